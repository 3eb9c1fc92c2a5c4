import { loadStorylineFile, loadStorylines } from '#shared/storyline/load-storylines.ts';
import { type MatchResult, StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';
import { ByteWriter } from '../byte-writer.ts';
import { COMMON_OPTIONS, type Command, parseCommandArgs, requireOption, UsageError } from '../cli-io.ts';
import { type MatchItem, readItemLine } from '../match-input.ts';
import { STORYLINES_DIR } from '../seeds-dir.ts';

/** A stdin line longer than this is refused (named by its number) rather than buffered without end. */
export const MAX_LINE_CHARS = 1_000_000;

export const matchCommand: Command = {
  name: 'match',
  summary: 'match JSON Lines items from stdin against a storyline',
  usage: `news-monitor match --storyline ID|FILE [--json]

Reads one JSON object per line from stdin: {"id", "title", "summary"?, "url"?, "lang"?, "publishedAt"?}.
Prints, per item and in the same order, whether it belongs to the storyline and why: its score
(log-odds) and the largest contributions, e.g. "Gustavo Petro +2.1, boat strikes +1.8".
With --json: {"id", "relevant", "score", "probability", "actors": [...], "themes": [...],
"why", "contributions": [{"feature", "weight"}]} per line, plus "vetoes" and
"outsideWindow" when they apply. An item dated outside the storyline's active window does not belong.

  --storyline ID   a storyline id from seeds/storylines/, or a path to a storyline .json file`,
  async run({ argv, stdin, stdout }) {
    const { values } = parseCommandArgs('match', argv, { ...COMMON_OPTIONS, storyline: { type: 'string' } });
    const matcher = new StorylineMatcher(
      await resolveStoryline(requireOption('match', values.storyline, '--storyline')),
    );
    // People's lines go to stdout too without --json: this command's output is its result.
    const out = new ByteWriter(stdout);
    const write = values.json ? writeJsonLine : writeHumanLine;
    let lineNumber = 0;
    const handle = (text: string, start: number, end: number) => {
      lineNumber++;
      const item = readItemLine(text, start, end, lineNumber);
      if (item) write(out, item, matcher.match(item));
    };
    let pending = '';
    (stdin as NodeJS.ReadStream).setEncoding?.('utf8');
    for await (const chunk of stdin) {
      const text = pending === '' ? (chunk as string) : pending + (chunk as string);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        handle(text, start, end);
        start = end + 1;
      }
      pending = start === 0 ? text : text.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        throw new UsageError(
          `match: stdin line ${lineNumber + 1} is longer than ${MAX_LINE_CHARS.toLocaleString('en')} characters; give one JSON object per line`,
        );
      }
      await out.flushIfFull();
    }
    if (pending !== '') handle(pending, 0, pending.length);
    await out.end();
    return 0;
  },
};

/**
 * The --json line, written by hand into the output buffer: JSON.stringify of the whole object,
 * or even a template string per line, is the largest single cost at these rates. Ids of actors,
 * themes and vetoes are lower-case words and hyphens (the schema says so) and need no escaping;
 * feature names are escaped once and kept; numbers are turned to text once per value. The labels
 * are in "why"; a contribution names its feature as `decision.weights` does.
 */
function writeJsonLine(out: ByteWriter, item: MatchItem, result: MatchResult): void {
  out.text('{"id":');
  if (typeof item.id === 'number') out.text(String(item.id));
  else out.jsonString(item.id);
  out.text(result.relevant ? ',"relevant":true,"score":' : ',"relevant":false,"score":');
  out.text(scoreTexts.of(result.score));
  out.text(',"probability":');
  out.text(probabilityTexts.of(result.probability));
  out.text(',"actors":');
  writeIdList(out, result.actors);
  out.text(',"themes":');
  writeIdList(out, result.themes);
  out.text(',"why":');
  out.jsonString(result.why);
  out.text(',"contributions":[');
  const { contributions } = result;
  for (let k = 0; k < contributions.length; k++) {
    const c = contributions[k] as MatchResult['contributions'][number];
    out.text(k === 0 ? '' : ',');
    out.text(contributionPrefix(c.feature));
    out.text(weightTexts.of(c.weight));
    out.text('}');
  }
  out.text(']');
  if (result.vetoes.length > 0) {
    out.text(',"vetoes":');
    writeIdList(out, result.vetoes);
  }
  if (result.outsideWindow) out.text(`,"outsideWindow":${JSON.stringify(result.outsideWindow)}`);
  out.text('}\n');
}

function writeIdList(out: ByteWriter, ids: readonly string[]): void {
  out.text('[');
  for (let k = 0; k < ids.length; k++) {
    out.text(k === 0 ? '"' : ',"');
    out.text(ids[k] as string);
    out.text('"');
  }
  out.text(']');
}

/**
 * The text of numbers rounded to a fixed step (score to hundredths, probability to thousandths,
 * weights to tenths), kept per value: number to text is slow at a few hundred thousand a second.
 * A value that is not such a step, or out of range, is converted as usual.
 */
class SteppedNumberTexts {
  private readonly texts: Array<string | undefined> = [];

  constructor(
    private readonly stepsPerUnit: number,
    private readonly maxSteps: number,
  ) {
    for (let k = -maxSteps; k <= maxSteps; k++) this.texts.push(undefined);
  }

  of(value: number): string {
    const steps = Math.round(value * this.stepsPerUnit);
    if (steps / this.stepsPerUnit !== value || steps < -this.maxSteps || steps > this.maxSteps)
      return String(value);
    const slot = steps + this.maxSteps;
    let text = this.texts[slot];
    if (text === undefined) {
      text = String(value);
      this.texts[slot] = text;
    }
    return text;
  }
}

const scoreTexts = new SteppedNumberTexts(100, 10_000);
const probabilityTexts = new SteppedNumberTexts(1000, 1000);
const weightTexts = new SteppedNumberTexts(10, 10_000);

const prefixes = new Map<string, string>();

function contributionPrefix(feature: string): string {
  let prefix = prefixes.get(feature);
  if (prefix === undefined) {
    prefix = `{"feature":${JSON.stringify(feature)},"weight":`;
    if (prefixes.size < 10_000) prefixes.set(feature, prefix);
  }
  return prefix;
}

function writeHumanLine(out: ByteWriter, item: MatchItem, result: MatchResult): void {
  out.text(
    `${result.relevant ? 'MATCH' : 'no   '} ${result.score.toFixed(1).padStart(6)}  ${item.title}  [${result.why}]\n`,
  );
}

async function resolveStoryline(reference: string): Promise<Storyline> {
  if (reference.endsWith('.json')) return loadStorylineFile(reference);
  const storylines = await loadStorylines(STORYLINES_DIR);
  const found = storylines.find((s) => s.id === reference);
  if (!found) {
    throw new UsageError(
      `match: no storyline "${reference}"; known: ${storylines.map((s) => s.id).join(', ')} (or pass a .json file)`,
    );
  }
  return found;
}
