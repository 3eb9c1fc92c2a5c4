import { TextDecoder } from 'node:util';

/**
 * Bytes to text, decided once before parsing: a byte-order mark wins, then the charset of the
 * Content-Type header, then the XML declaration's encoding, then UTF-8 if the bytes are valid
 * UTF-8, and windows-1252 (the common superset of ISO-8859-1) otherwise.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const bom = sniffBom(bytes);
  if (bom) return decoderFor(bom.encoding).decode(bytes.subarray(bom.length));

  const declared = charsetFromContentType(contentType) ?? charsetFromXmlDeclaration(bytes);
  if (declared) {
    const decoder = tryDecoder(declared);
    if (decoder) {
      // A header or declaration that claims UTF-8 over bytes that are not is common: fall back.
      if (decoder.encoding === 'utf-8') {
        const strict = tryStrictUtf8(bytes);
        if (strict !== undefined) return strict;
        return decoderFor('windows-1252').decode(bytes);
      }
      return decoder.decode(bytes);
    }
  }
  return tryStrictUtf8(bytes) ?? decoderFor('windows-1252').decode(bytes);
}

function sniffBom(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /charset\s*=\s*["']?([\w.:-]+)/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

function charsetFromXmlDeclaration(bytes: Uint8Array): string | undefined {
  // The declaration is ASCII in every encoding a feed uses in practice; read only the head.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512));
  return /<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head)?.[1]?.toLowerCase();
}

function tryDecoder(label: string): TextDecoder | undefined {
  try {
    return new TextDecoder(label);
  } catch {
    return undefined;
  }
}

function decoderFor(label: string): TextDecoder {
  return new TextDecoder(label);
}

function tryStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
