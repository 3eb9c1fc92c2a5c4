import { TextDecoder } from 'node:util';

/**
 * Bytes to text, decided once before parsing: a byte-order mark wins, then the charset of the
 * Content-Type header, then the XML declaration's encoding, then UTF-8 if the bytes are valid
 * UTF-8, and windows-1252 (the common superset of ISO-8859-1) otherwise.
 */
export function decodeFeedBytes(bytes: Uint8Array, contentType?: string): string {
  const bom = sniffBom(bytes);
  if (bom) return decoderFor(bom.encoding).decode(bytes.subarray(bom.length));
  // Without a mark, "<?" or "<" in UTF-16 or UTF-32 still shows by where its zero bytes fall.
  const wide = sniffWideEncoding(bytes);
  if (wide) return decoderFor(wide).decode(bytes);

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
      if (decoder.encoding === 'utf-8') return utf8OrWindows1252(bytes);
      return decoderFor(decoder.encoding).decode(bytes);
    }
  }
  return utf8OrWindows1252(bytes);
}

/**
 * UTF-8, unless the bytes are not UTF-8 at all. A few stray bytes in a document that is otherwise
 * UTF-8 (a Latin-1 "é" pasted into a UTF-8 feed) are each read as windows-1252, rather than the
 * whole document, which would turn every "é" elsewhere into "Ã©".
 */
function utf8OrWindows1252(bytes: Uint8Array): string {
  const strict = tryStrictUtf8(bytes);
  if (strict !== undefined) return strict;
  const { text, valid, invalid } = repairUtf8(bytes);
  return valid > 0 && valid >= invalid ? text : decoderFor('windows-1252').decode(bytes);
}

/** Length of the UTF-8 sequence at `i`, or 0 if the bytes there do not form a valid one. */
function utf8SequenceAt(bytes: Uint8Array, i: number): number {
  const b = bytes[i] as number;
  if (b < 0x80) return 1;
  const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (length === 0 || i + length > bytes.length) return 0;
  const second = bytes[i + 1] as number;
  // The second byte's range excludes overlong forms, surrogates and code points past U+10FFFF.
  const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
  const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
  if (second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k] as number;
    if (next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}

/** UTF-8 with each invalid byte read as windows-1252; counts of multi-byte and invalid sequences. */
function repairUtf8(bytes: Uint8Array): { text: string; valid: number; invalid: number } {
  const utf8 = new TextDecoder('utf-8');
  const parts: string[] = [];
  let valid = 0;
  let invalid = 0;
  let runStart = 0;
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceAt(bytes, i);
    if (length > 1) valid++;
    if (length > 0) {
      i += length;
      continue;
    }
    invalid++;
    parts.push(utf8.decode(bytes.subarray(runStart, i)), WINDOWS_1252.decode(bytes.subarray(i, i + 1)));
    i++;
    runStart = i;
  }
  parts.push(utf8.decode(bytes.subarray(runStart)));
  return { text: parts.join(''), valid, invalid };
}

/** UTF-16 or UTF-32 without a byte-order mark, known by the zero bytes around the first "<". */
function sniffWideEncoding(bytes: Uint8Array): string | undefined {
  const head = Array.from(bytes.subarray(0, 4));
  const is = (...pattern: number[]) => pattern.every((b, i) => head[i] === b);
  if (is(0x00, 0x00, 0x00, 0x3c)) return 'utf-32be';
  if (is(0x3c, 0x00, 0x00, 0x00)) return 'utf-32le';
  if (is(0x00, 0x3c, 0x00, 0x3f) || is(0x00, 0x3c, 0x00)) return 'utf-16be';
  if (is(0x3c, 0x00, 0x3f, 0x00) || (is(0x3c, 0x00) && head[2] !== 0x00 && head[3] === 0x00))
    return 'utf-16le';
  return undefined;
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
  if (bytes[0] === 0x00 && bytes[1] === 0x00 && bytes[2] === 0xfe && bytes[3] === 0xff)
    return { encoding: 'utf-32be', length: 4 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0x00 && bytes[3] === 0x00)
    return { encoding: 'utf-32le', length: 4 };
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
  if (label === 'utf-32be' || label === 'utf-32le') return utf32(label === 'utf-32le');
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

/** TextDecoder knows no UTF-32; code points past U+10FFFF or surrogates become U+FFFD. */
function utf32(littleEndian: boolean): { decode(bytes: Uint8Array): string } {
  return {
    decode(bytes: Uint8Array): string {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const chars: string[] = [];
      for (let i = 0; i + 4 <= bytes.length; i += 4) {
        const code = view.getUint32(i, littleEndian);
        const valid = code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
        chars.push(String.fromCodePoint(valid ? code : 0xfffd));
      }
      return chars.join('');
    },
  };
}

function tryStrictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}
