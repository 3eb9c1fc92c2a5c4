import { loadStorylineFile, loadStorylines } from '#shared/storyline/load-storylines.ts';
import { type MatchInput, type MatchResult, StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';
import { BatchedWriter } from '../batched-writer.ts';
import { COMMON_OPTIONS, type Command, parseCommandArgs, requireOption, UsageError } from '../cli-io.ts';
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
    const out = new BatchedWriter(stdout);
    const format = values.json ? toJsonLine : toHumanLine;
    let lineNumber = 0;
    const handle = (line: string) => {
      lineNumber++;
      const item = parseInputLine(line, lineNumber);
      if (item) out.write(format(item, matcher.match(item)));
    };
    let pending = '';
    (stdin as NodeJS.ReadStream).setEncoding?.('utf8');
    for await (const chunk of stdin) {
      const text = pending === '' ? (chunk as string) : pending + (chunk as string);
      let start = 0;
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
        handle(text.slice(start, end));
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
    if (pending !== '') handle(pending);
    await out.end();
    return 0;
  },
};

/**
 * The --json line, written by hand: JSON.stringify of the whole object is the largest single
 * cost at these rates. Ids of actors, themes and vetoes are lower-case words and hyphens (the
 * schema says so) and need no escaping; feature names are escaped once and kept. The labels are
 * in "why"; a contribution names its feature as `decision.weights` does.
 */
function toJsonLine(item: ParsedItem, result: MatchResult): string {
  let contributions = '';
  for (const c of result.contributions) {
    contributions += `${contributions === '' ? '' : ','}${contributionPrefix(c.feature)}${c.weight}}`;
  }
  let line = `{"id":${typeof item.id === 'number' ? item.id : JSON.stringify(item.id)},"relevant":${result.relevant},"score":${result.score},"probability":${result.probability},"actors":${idList(result.actors)},"themes":${idList(result.themes)},"why":${JSON.stringify(result.why)},"contributions":[${contributions}]`;
  if (result.vetoes.length > 0) line += `,"vetoes":${idList(result.vetoes)}`;
  if (result.outsideWindow) line += `,"outsideWindow":${JSON.stringify(result.outsideWindow)}`;
  return `${line}}\n`;
}

function idList(ids: readonly string[]): string {
  return ids.length === 0 ? '[]' : `["${ids.join('","')}"]`;
}

const prefixes = new Map<string, string>();

function contributionPrefix(feature: string): string {
  let prefix = prefixes.get(feature);
  if (prefix === undefined) {
    prefix = `{"feature":${JSON.stringify(feature)},"weight":`;
    if (prefixes.size < 10_000) prefixes.set(feature, prefix);
  }
  return prefix;
}

function toHumanLine(item: ParsedItem, result: MatchResult): string {
  return `${result.relevant ? 'MATCH' : 'no   '} ${result.score.toFixed(1).padStart(6)}  ${item.title}  [${result.why}]\n`;
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

interface ParsedItem extends MatchInput {
  id: string | number;
}

const OPTIONAL_TEXT = ['summary', 'url', 'lang', 'publishedAt'] as const;

/**
 * One stdin line as an item, checked by hand (a schema library costs more than the matching at
 * hundreds of thousands of lines a second). Blank lines give undefined.
 */
function parseInputLine(raw: string, lineNumber: number): ParsedItem | undefined {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    if (line.trim() === '') return undefined;
    throw new UsageError(`match: stdin line ${lineNumber} is not JSON; give one JSON object per line`);
  }
  const where = `match: stdin line ${lineNumber}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: must be a JSON object like {"id": "1", "title": "..."}`);
  }
  const item = value as Record<string, unknown>;
  if (typeof item.id !== 'string' && typeof item.id !== 'number') {
    throw new UsageError(`${where}: id must be a string or a number`);
  }
  if (typeof item.title !== 'string') throw new UsageError(`${where}: title must be a string`);
  for (const key of OPTIONAL_TEXT) {
    if (item[key] !== undefined && typeof item[key] !== 'string') {
      throw new UsageError(`${where}: ${key} must be a string when given`);
    }
  }
  if (item.publishedAt !== undefined && Number.isNaN(Date.parse(item.publishedAt as string))) {
    throw new UsageError(`${where}: publishedAt must be an ISO 8601 date, e.g. "2025-11-12T08:00:00Z"`);
  }
  return item as unknown as ParsedItem;
}
