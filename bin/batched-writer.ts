/** Bytes gathered before one write to the stream: one write per line costs more than the work. */
const BATCH_CHARS = 64 * 1024;

/** Gathers output lines and writes them in batches, waiting when the stream asks it to. */
export class BatchedWriter {
  private parts: string[] = [];
  private size = 0;

  constructor(private readonly stream: NodeJS.WritableStream) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
  }

  /** Writes what was gathered once there is enough of it; resolves when the stream can take more. */
  async flushIfFull(): Promise<void> {
    if (this.size >= BATCH_CHARS) await this.flush();
  }

  async end(): Promise<void> {
    await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.size === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(text)) {
      await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
    }
  }
}
