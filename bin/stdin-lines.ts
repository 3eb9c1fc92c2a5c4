import { UserInputError } from '#shared/errors.ts';

/** A line of input longer than the reader accepts (a string that long would not even fit in memory). */
export class LineTooLongError extends UserInputError {
  override name = 'LineTooLongError';
}

export interface LineLimits {
  /** Longest line accepted, in bytes; a longer one stops reading as soon as it is seen. */
  maxLineBytes: number;
  /** Names the input in the error: "match: stdin". */
  name: string;
}

const LF = 0x0a;

/**
 * The lines of a byte stream (LF or CRLF), decoded as UTF-8, never holding more than one line:
 * unlike readline, a line over the limit is refused with its number instead of growing a string
 * until it fails with a RangeError.
 */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  limits: LineLimits,
): AsyncGenerator<string> {
  let pieces: Buffer[] = [];
  let size = 0;
  let lineNumber = 1;
  const take = (bytes: Buffer) => {
    size += bytes.length;
    if (size > limits.maxLineBytes) {
      const limit = describeBytes(limits.maxLineBytes);
      throw new LineTooLongError(
        `${limits.name} line ${lineNumber} is longer than ${limit}; give one item per line, each under ${limit}`,
      );
    }
    pieces.push(bytes);
  };
  const line = () => {
    const text = Buffer.concat(pieces, size).toString('utf8');
    pieces = [];
    size = 0;
    lineNumber++;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(LF); end !== -1; end = bytes.indexOf(LF, start)) {
      take(bytes.subarray(start, end));
      yield line();
      start = end + 1;
    }
    if (start < bytes.length) take(bytes.subarray(start));
  }
  if (size > 0) yield line();
}

function describeBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${bytes.toLocaleString('en')} bytes`;
}
