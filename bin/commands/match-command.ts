import * as z from 'zod';
import { loadStorylineFile, loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';
import { formatIssues } from '#shared/validation.ts';
import {
  CliOutput,
  COMMON_OPTIONS,
  type Command,
  parseCommandArgs,
  requireOption,
  UsageError,
} from '../cli-io.ts';
import { STORYLINES_DIR } from '../local-runtime.ts';
import { readLines } from '../stdin-lines.ts';

/** A JSON Lines item is a headline and a summary: anything longer is not one item. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;

const inputSchema = z.object({
  id: z.union([z.string(), z.number()]),
  title: z.string(),
  summary: z.string().optional(),
  url: z.string().optional(),
  lang: z.string().optional(),
});

export const matchCommand: Command = {
  name: 'match',
  summary: 'match JSON Lines items from stdin against a storyline',
  usage: `news-monitor match --storyline ID [--json]

Reads one JSON object per line from stdin: {"id", "title", "summary"?, "url"?, "lang"?}.
Prints, per item and in the same order, whether it belongs to the storyline and why.
With --json: {"id", "relevant", "score", "actors": [...], "themes": [...]} per line.

  --storyline ID   a storyline id from seeds/storylines/, or a path to a storyline .json file`,
  async run({ argv, stdin, stdout, stderr }) {
    const { values } = parseCommandArgs('match', argv, { ...COMMON_OPTIONS, storyline: { type: 'string' } });
    const out = new CliOutput(values.json, stdout, stderr);
    const matcher = new StorylineMatcher(
      await resolveStoryline(requireOption('match', values.storyline, '--storyline')),
    );
    const lines = readLines(stdin as AsyncIterable<Buffer>, {
      maxLineBytes: MAX_LINE_BYTES,
      name: 'match: stdin',
    });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber++;
      if (line.trim() === '') continue;
      const item = parseInputLine(line, lineNumber);
      const result = matcher.match(item);
      out.record({
        id: item.id,
        relevant: result.relevant,
        score: result.score,
        actors: result.actors,
        themes: result.themes,
      });
      const why = [...result.actors, ...result.themes].join(', ') || 'nothing matched';
      const vetoed = result.vetoes.length > 0 ? ` vetoed by ${result.vetoes.join(', ')}` : '';
      out.say(
        `${result.relevant ? 'MATCH' : 'no   '} ${String(result.score).padStart(5)}  ${item.title}  [${why}]${vetoed}`,
      );
    }
    return 0;
  },
};

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

function parseInputLine(line: string, lineNumber: number): z.infer<typeof inputSchema> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new UsageError(`match: stdin line ${lineNumber} is not JSON; give one JSON object per line`);
  }
  const result = inputSchema.safeParse(value);
  if (!result.success) {
    throw new UsageError(`match: stdin line ${lineNumber}: ${formatIssues(result.error).join('; ')}`);
  }
  return result.data;
}
