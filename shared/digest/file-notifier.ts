import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DigestMessage, DigestNotifier } from './digest-notifier.ts';

/** Local mode: each digest becomes a text file under `<dataDir>/digests/`, each alert under `<dataDir>/alerts/`. */
export class FileNotifier implements DigestNotifier {
  constructor(
    private readonly dataDir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async publish(message: DigestMessage): Promise<{ messageId: string }> {
    const dir = join(this.dataDir, message.kind === 'alert' ? 'alerts' : 'digests');
    await mkdir(dir, { recursive: true });
    const stamp = this.clock().toISOString().replace(/[:.]/g, '-');
    const content = `Subject: ${message.subject}\n\n${message.text}\n`;
    // Several alerts can go out in the same millisecond: never overwrite, take the next free name.
    for (let n = 1; ; n++) {
      const file = join(dir, `${message.storylineId}-${stamp}${n === 1 ? '' : `-${n}`}.txt`);
      try {
        await writeFile(file, content, { flag: 'wx' });
        return { messageId: file };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n >= 100) throw error;
      }
    }
  }
}
