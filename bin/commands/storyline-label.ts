import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { parseJsonLines } from '#shared/json-lines.ts';
import { DEFAULT_RETENTION } from '#shared/store/dynamo-store.ts';
import type { Label } from '#shared/storyline/labels-file.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { readArchive } from '../archive-source.ts';
import { COMMON_OPTIONS, parseCommandArgs, parsePositiveInt, requireOption, UsageError } from '../cli-io.ts';
import {
  type Answer,
  candidatesToLabel,
  type LabelCandidate,
  LabelSession,
  LabelsAppender,
} from '../label-session.ts';
import { DEFAULT_DATA_DIR } from '../local-runtime.ts';
import { resolveStorylineReference } from '../storyline-reference.ts';

export const STORYLINE_LABEL_USAGE = `news-monitor storyline label FILE --out LABELS [--data-dir DIR | --table NAME | --from JSONL] [--days N]

label: asks you, in the terminal, whether items belong to the story, the items the storyline is
least sure of (closest to its threshold) first, showing each one's title, source, date, score and
why. One key each: y yes, n no, s skip, u undo, q quit. Every answer is appended to LABELS at once
(the JSON Lines storyline train reads); run it again to go on where you stopped.
  --out LABELS     the labels file, created or added to
  --data-dir DIR   ask about items in the local archive (default ${DEFAULT_DATA_DIR}; the demo's is .data/demo)
  --table NAME     ask about items in the deployed table's archive instead
  --from JSONL     ask about the items of a JSON Lines file instead: {"id", "title", "summary"?,
                   "lang"?, "publishedAt"?, "url"?, "source"?} per line
  --days N         how far back in the archive (default ${DEFAULT_RETENTION.archiveDays})
Needs a terminal.`;

type Item = Omit<Label, 'relevant'>;

const itemSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string(),
  summary: z.string().optional(),
  lang: z.string().optional(),
  publishedAt: z.string().optional(),
  url: z.string().optional(),
  source: z.string().optional(),
});

interface TerminalIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stopSignal: AbortSignal;
}

export async function storylineLabel(argv: string[], io: TerminalIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'storyline label',
    argv,
    {
      ...COMMON_OPTIONS,
      out: { type: 'string' },
      from: { type: 'string' },
      days: { type: 'string' },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      table: { type: 'string' },
    },
    true,
  );
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('storyline label: give exactly one storyline FILE');
  const out = requireOption('storyline label', values.out, '--out LABELS');
  const days = parsePositiveInt('storyline label', values.days, '--days', DEFAULT_RETENTION.archiveDays);
  const stdin = io.stdin as NodeJS.ReadStream;
  if (!stdin.isTTY || typeof stdin.setRawMode !== 'function') {
    throw new UsageError(
      'storyline label: needs an interactive terminal (stdin is not a TTY); run it in a terminal, or write labels as JSON Lines by hand',
    );
  }
  const storyline = await resolveStorylineReference('storyline label', file);
  const matcher = new StorylineMatcher(storyline);
  const labels = await LabelsAppender.open(out);
  const items =
    values.from !== undefined
      ? await readItemsFile(values.from)
      : (await readArchive({ dataDir: values['data-dir'], table: values.table }, days)).items.map(
          (a): Item => ({
            id: a.itemKey,
            title: a.title,
            ...(a.summary ? { summary: a.summary } : {}),
            ...(a.lang ? { lang: a.lang } : {}),
            ...(a.publishedAt ? { publishedAt: a.publishedAt } : {}),
            ...(a.url ? { url: a.url } : {}),
            source: a.source ?? a.feedId,
          }),
        );
  const candidates = candidatesToLabel(matcher, items, labels.existing);
  const write = (text: string) => io.stdout.write(text);
  if (candidates.length === 0) {
    write(`Nothing left to label: ${out} already holds every one of the ${items.length} items.\n`);
    return 0;
  }
  write(
    `Labelling for ${storyline.id}: ${candidates.length} items to go, least sure first (${labels.existing.length} already in ${out}).\n` +
      'Does each belong to the story? y yes, n no, s skip, u undo, q quit.\n',
  );
  const session = new LabelSession(candidates, labels);
  const keys = new KeyReader(stdin, io.stopSignal);
  try {
    await askAll(session, keys, labels.existing.length, out, write);
  } finally {
    keys.close();
  }
  const { yes, no } = session.counts();
  write(
    `\nLabelled ${yes + no} this session (${yes} yes, ${no} no); ${out} holds ${labels.existing.length + yes + no} labels.\n` +
      `Run the same command to go on, or train: news-monitor storyline train ${file} --labels ${out} --out ${file}\n`,
  );
  return 0;
}

async function askAll(
  session: LabelSession,
  keys: KeyReader,
  alreadyLabelled: number,
  file: string,
  write: (text: string) => void,
): Promise<void> {
  const answers: Record<string, Answer> = { y: 'yes', n: 'no', s: 'skip', ' ': 'skip' };
  for (let candidate = session.current; candidate !== undefined; candidate = session.current) {
    const { yes, no, skipped } = session.counts();
    write(
      `\n[${session.asked + 1}/${session.candidates.length}] ${yes} yes, ${no} no, ${skipped} skipped; ${alreadyLabelled + yes + no} labels in ${file}\n`,
    );
    write(describeCandidate(candidate));
    write('y/n/s/u/q > ');
    for (;;) {
      const key = (await keys.next()).toLowerCase();
      const answer = answers[key];
      if (answer) {
        await session.answer(answer);
        write(`${answer === 'skip' ? 'skipped' : answer}\n`);
        break;
      }
      if (key === 'u' || key === '\u007f') {
        const again = await session.undo();
        write(again ? `undo: asking again\n` : 'nothing to undo\n');
        break;
      }
      if (key === 'q' || key === '\u0003' || key === '\u0004' || key === '\u001b') {
        write('quit\n');
        return;
      }
      write('\ny yes, n no, s skip, u undo, q quit > ');
    }
  }
  write('\nThat was the last item.\n');
}

function describeCandidate({ item, result }: LabelCandidate): string {
  const where = [item.source, item.publishedAt?.slice(0, 10), item.lang].filter(Boolean).join(' · ');
  return [
    `  ${item.title || '(no title)'}`,
    ...(where ? [`  ${where}`] : []),
    ...(item.url ? [`  ${item.url}`] : []),
    `  score ${result.score.toFixed(2)} (${result.relevant ? 'kept' : 'not kept'}): ${result.why}`,
    '',
  ].join('\n');
}

/** Items to label from a JSON Lines file; a bad line is named by its number. */
async function readItemsFile(file: string): Promise<Item[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`storyline label: --from ${file} cannot be read; check the path`);
  }
  const items: Item[] = parseJsonLines(
    text,
    itemSchema,
    (line, whatIsWrong) => new UsageError(`storyline label: ${file} line ${line}${whatIsWrong}`),
  );
  if (items.length === 0)
    throw new UsageError(`storyline label: ${file} holds no items; give one JSON object per line`);
  return items;
}

/** Single key presses from a terminal in raw mode; the end of input or a stop request reads as q. */
class KeyReader {
  private readonly queue: string[] = [];
  private waiting: ((key: string) => void) | undefined;
  private readonly onData = (data: Buffer | string) => {
    for (const key of data.toString()) this.push(key);
  };
  private readonly onEnd = () => this.push('q');

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    stop: AbortSignal,
  ) {
    stdin.setRawMode(true);
    stdin.on('data', this.onData);
    stdin.on('end', this.onEnd);
    stdin.resume();
    stop.addEventListener('abort', this.onEnd, { once: true });
  }

  next(): Promise<string> {
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  close(): void {
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.setRawMode(false);
    this.stdin.pause();
  }

  private push(key: string): void {
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(key);
    } else this.queue.push(key);
  }
}
