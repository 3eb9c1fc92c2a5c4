import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DigestMessage, DigestNotifier } from './digest-notifier.ts';

/** Local mode: each digest becomes a text file under `<dataDir>/digests/`. */
export class FileNotifier implements DigestNotifier {
  constructor(
    private readonly dataDir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async publish(message: DigestMessage): Promise<{ messageId: string }> {
    const dir = join(this.dataDir, 'digests');
    await mkdir(dir, { recursive: true });
    const stamp = this.clock().toISOString().replace(/[:.]/g, '-');
    const file = join(dir, `${message.storylineId}-${stamp}.txt`);
    await writeFile(file, `Subject: ${message.subject}\n\n${message.text}\n`, { flag: 'wx' });
    return { messageId: file };
  }
}
