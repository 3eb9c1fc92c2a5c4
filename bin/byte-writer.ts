/** Bytes gathered before a write to the stream: one write per line costs more than the work. */
const BATCH_BYTES = 64 * 1024;
/** Bytes a stream may hold, unwritten, before the writer waits for it. */
const MAX_PENDING_BYTES = 4 * 1024 * 1024;

/**
 * Output encoded straight into a buffer as UTF-8 and written in batches, waiting when the stream
 * asks it to. Building each line as a string, joining the lines and encoding the result cost
 * more than the matching at hundreds of thousands of lines a second.
 */
export class ByteWriter {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES * 2);
  private size = 0;
  private mustDrain = false;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  /** Bytes encoded beforehand (the fixed parts of a line). */
  bytes(bytes: Uint8Array): void {
    const length = bytes.length;
    this.reserve(length);
    const { buffer } = this;
    let at = this.size;
    // A loop beats TypedArray#set for short pieces.
    if (length > 24) {
      buffer.set(bytes, at);
      at += length;
    } else for (let k = 0; k < length; k++) buffer[at++] = bytes[k] as number;
    this.size = at;
  }

  /** One ASCII character. */
  byte(code: number): void {
    this.reserve(1);
    this.buffer[this.size++] = code;
  }

  /** Any text, as UTF-8 (lone surrogates become U+FFFD, as when a stream encodes a string). */
  text(text: string): void {
    const length = text.length;
    this.reserve(length * 3);
    const { buffer } = this;
    const start = this.size;
    let at = start;
    for (let k = 0; k < length; k++) {
      const c = text.charCodeAt(k);
      if (c < 0x80) buffer[at++] = c;
      else if (c < 0xd800 || c > 0xdfff) at = putMultiByte(buffer, at, c);
      else {
        this.size = start + buffer.write(text, start, 'utf8');
        return;
      }
    }
    this.size = at;
  }

  /** A string as JSON.stringify writes it, quotes included. */
  jsonString(text: string): void {
    const length = text.length;
    this.reserve(length * 3 + 2);
    const { buffer } = this;
    const start = this.size;
    let at = start;
    buffer[at++] = QUOTE;
    for (let k = 0; k < length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x20 && c < 0x80) {
        if (c === QUOTE || c === BACKSLASH) buffer[at++] = BACKSLASH;
        buffer[at++] = c;
      } else if (c >= 0x80 && (c < 0xd800 || c > 0xdfff)) at = putMultiByte(buffer, at, c);
      else {
        // Control characters and surrogates: JSON.stringify decides how they are escaped.
        this.size = start;
        this.text(JSON.stringify(text));
        return;
      }
    }
    buffer[at++] = QUOTE;
    this.size = at;
  }

  /**
   * Writes what was gathered once there is enough of it; resolves when the stream can take more.
   * A stream that tells how much it holds may hold up to MAX_PENDING_BYTES: matching the next
   * lines while a reader drains a pipe is faster than taking turns with it.
   */
  async flushIfFull(): Promise<void> {
    if (this.size >= BATCH_BYTES) this.writeOut();
    if (!this.mustDrain) return;
    const pending = (this.stream as { writableLength?: number }).writableLength;
    // Still holding bytes, so the stream has yet to say 'drain'.
    if (pending !== undefined && pending > 0 && pending <= MAX_PENDING_BYTES) return;
    this.mustDrain = false;
    if (pending === 0) return;
    await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Writes the rest; resolves when the stream has taken it all. */
  end(): Promise<void> {
    return this.flush();
  }

  /** Writes what was gathered now (a person typing waits for each answer); resolves when taken. */
  async flush(): Promise<void> {
    this.writeOut();
    const pending = (this.stream as { writableLength?: number }).writableLength;
    if (this.mustDrain && pending !== 0) {
      this.mustDrain = false;
      await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
    }
  }

  /** Room for `bytes` more; a full batch goes to the stream first (the wait comes at flushIfFull). */
  private reserve(bytes: number): void {
    if (this.size + bytes <= this.buffer.length) return;
    this.writeOut();
    if (bytes > this.buffer.length) this.buffer = Buffer.allocUnsafe(bytes);
  }

  private writeOut(): void {
    if (this.size === 0) return;
    // The stream keeps what it is given until it is written: a copy of the part in use, so the
    // working buffer is reused and no more memory is taken than the bytes need.
    const full = Buffer.from(this.buffer.subarray(0, this.size));
    this.size = 0;
    // Set by the latest write: only a write refused since the last drain is followed by another.
    this.mustDrain = !this.stream.write(full);
  }
}

/** UTF-8 of a character from U+0080 up that is not half of a surrogate pair. */
function putMultiByte(buffer: Buffer, at: number, c: number): number {
  if (c < 0x800) {
    buffer[at] = 0xc0 | (c >> 6);
    buffer[at + 1] = 0x80 | (c & 0x3f);
    return at + 2;
  }
  buffer[at] = 0xe0 | (c >> 12);
  buffer[at + 1] = 0x80 | ((c >> 6) & 0x3f);
  buffer[at + 2] = 0x80 | (c & 0x3f);
  return at + 3;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
