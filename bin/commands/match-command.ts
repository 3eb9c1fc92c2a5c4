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
  async run({ argv, stdin, stdout, stderr }) {
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
    // Run by hand without a pipe, it would otherwise wait in silence, and answer only at the end.
    const typed = (stdin as NodeJS.ReadStream).isTTY === true;
    if (typed) {
      stderr.write(
        'match: reading items from the terminal, one JSON object per line ({"id", "title"}); Ctrl-D ends. Or pipe them: news-monitor match --storyline ID < items.jsonl\n',
      );
    }
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
      await (typed ? out.flush() : out.flushIfFull());
    }
    if (pending !== '') handle(pending, 0, pending.length);
    await out.end();
    return 0;
  },
};

/**
 * The --json line, written by hand into the output buffer: JSON.stringify of the whole object,
 * or even a template string per line, is the largest single cost at these rates. The fixed parts,
 * ids, feature names and numbers are encoded once and copied. Ids of actors, themes and vetoes
 * are lower-case words and hyphens (the schema says so) and need no escaping. The labels are in
 * "why"; a contribution names its feature as `decision.weights` does.
 */
function writeJsonLine(out: ByteWriter, item: MatchItem, result: MatchResult): void {
  out.bytes(ID);
  if (typeof item.id === 'number') out.text(String(item.id));
  else out.jsonString(item.id);
  out.bytes(result.relevant ? RELEVANT_SCORE : NOT_RELEVANT_SCORE);
  out.bytes(scoreTexts.of(result.score));
  out.bytes(PROBABILITY);
  out.bytes(probabilityTexts.of(result.probability));
  writeIdList(out, ACTORS, result.actors);
  writeIdList(out, THEMES, result.themes);
  out.bytes(WHY);
  out.bytes(explanationJson(result.why));
  out.bytes(contributionsJson(result.contributions));
  if (result.vetoes.length > 0) writeIdList(out, VETOES, result.vetoes);
  if (result.outsideWindow) out.text(`,"outsideWindow":${JSON.stringify(result.outsideWindow)}`);
  out.bytes(LINE_END);
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const ID = utf8('{"id":');
const RELEVANT_SCORE = utf8(',"relevant":true,"score":');
const NOT_RELEVANT_SCORE = utf8(',"relevant":false,"score":');
const PROBABILITY = utf8(',"probability":');
const ACTORS = utf8(',"actors":[');
const THEMES = utf8(',"themes":[');
const WHY = utf8(',"why":');
const VETOES = utf8(',"vetoes":[');
const LINE_END = utf8('}\n');
const COMMA = 0x2c;
const CLOSE_BRACKET = 0x5d;

/** `opening` ends with the list's "[". */
function writeIdList(out: ByteWriter, opening: Uint8Array, ids: readonly string[]): void {
  out.bytes(opening);
  for (let k = 0; k < ids.length; k++) {
    if (k > 0) out.byte(COMMA);
    out.bytes(quotedId(ids[k] as string));
  }
  out.byte(CLOSE_BRACKET);
}

/** Encoded pieces kept per string (ids and feature names, a storyline's worth); bounded all the same. */
const MAX_KEPT_PIECES = 10_000;
const quotedIds = new Map<string, Uint8Array>();

function quotedId(id: string): Uint8Array {
  let bytes = quotedIds.get(id);
  if (bytes === undefined) {
    bytes = utf8(`"${id}"`);
    if (quotedIds.size < MAX_KEPT_PIECES) quotedIds.set(id, bytes);
  }
  return bytes;
}

const explanations = new Map<string, Uint8Array>();

/** The matcher gives a repeated explanation as the same string: its JSON is encoded once. */
function explanationJson(why: string): Uint8Array {
  let bytes = explanations.get(why);
  if (bytes === undefined) {
    bytes = utf8(JSON.stringify(why));
    if (explanations.size >= MAX_KEPT_PIECES) explanations.clear();
    explanations.set(why, bytes);
  }
  return bytes;
}

const contributionLists = new Map<MatchResult['contributions'], Uint8Array>();

/**
 * `,"contributions":[...]`, encoded once per list: the matcher gives the contributions of a
 * repeated explanation as the same list. A contribution names its feature as `decision.weights` does.
 */
function contributionsJson(contributions: MatchResult['contributions']): Uint8Array {
  let bytes = contributionLists.get(contributions);
  if (bytes === undefined) {
    const listed = contributions.map((c) => `{"feature":${JSON.stringify(c.feature)},"weight":${c.weight}}`);
    bytes = utf8(`,"contributions":[${listed.join(',')}]`);
    if (contributionLists.size >= MAX_KEPT_PIECES) contributionLists.clear();
    contributionLists.set(contributions, bytes);
  }
  return bytes;
}

/**
 * The text of numbers rounded to a fixed step (score to hundredths, probability to thousandths),
 * encoded once per value: number to text is slow at a few hundred thousand a second. A value
 * that is not such a step, or out of range, is converted as usual.
 */
class SteppedNumberTexts {
  private readonly texts: Array<Uint8Array | undefined> = [];

  constructor(
    private readonly stepsPerUnit: number,
    private readonly maxSteps: number,
  ) {
    for (let k = -maxSteps; k <= maxSteps; k++) this.texts.push(undefined);
  }

  of(value: number): Uint8Array {
    const steps = Math.round(value * this.stepsPerUnit);
    if (steps / this.stepsPerUnit !== value || steps < -this.maxSteps || steps > this.maxSteps) {
      return utf8(String(value));
    }
    const slot = steps + this.maxSteps;
    let text = this.texts[slot];
    if (text === undefined) {
      text = utf8(String(value));
      this.texts[slot] = text;
    }
    return text;
  }
}

const scoreTexts = new SteppedNumberTexts(100, 10_000);
const probabilityTexts = new SteppedNumberTexts(1000, 1000);

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
