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
    // A Latin-1 label over bytes that are valid UTF-8 with multi-byte characters is a wrong label:
    // Latin-1 text almost never forms valid UTF-8 sequences by chance.
    if (decoder && SINGLE_BYTE_LATIN.has(decoder.encoding) && hasMultiByteUtf8(bytes)) {
      const utf8 = tryStrictUtf8(bytes);
      if (utf8 !== undefined) return utf8;
    }
    if (decoder) {
      // A header or declaration that claims UTF-8 over bytes that are not is common: fall back.
      if (decoder.encoding === 'utf-8') {
        const strict = tryStrictUtf8(bytes);
        if (strict !== undefined) return strict;
        return decoderFor('windows-1252').decode(bytes);
      }
      return decoderFor(decoder.encoding).decode(bytes);
    }
  }
  return tryStrictUtf8(bytes) ?? decoderFor('windows-1252').decode(bytes);
}

const SINGLE_BYTE_LATIN = new Set(['windows-1252', 'iso-8859-1', 'iso-8859-15', 'us-ascii']);

function hasMultiByteUtf8(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length - 1; i++) {
    const b = bytes[i] as number;
    const next = bytes[i + 1] as number;
    if (b >= 0xc2 && b <= 0xf4 && next >= 0x80 && next <= 0xbf) return true;
  }
  return false;
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

/** Decoders by label; windows-1252 (and the Latin-1 labels that mean it) is done by hand below. */
function decoderFor(label: string): { decode(bytes: Uint8Array): string } {
  const decoder = new TextDecoder(label);
  return decoder.encoding === 'windows-1252' ? WINDOWS_1252 : decoder;
}

// Some Node versions decode windows-1252 as ISO-8859-1, turning curly quotes and dashes
// (0x80-0x9F) into invisible control characters. Those 32 bytes are mapped here.
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
const WINDOWS_1252 = {
  decode(bytes: Uint8Array): string {
    const latin1 = new TextDecoder('latin1').decode(bytes);
    return latin1.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
  },
};

function tryStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
