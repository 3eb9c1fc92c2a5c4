import { readFile } from 'node:fs/promises';
import { validateStorylineText } from '../../shared/storyline/load-storylines.ts';
import { CliOutput, COMMON_OPTIONS, type Command, parseCommandArgs, UsageError } from '../cli-io.ts';

export const storylineCommand: Command = {
  name: 'storyline',
  summary: 'work with storyline files (validate)',
  usage: `news-monitor storyline validate FILE [--json]

Checks a storyline file and reports every problem with its path in the file,
e.g. actors[2].aliases.es[0]: must not be empty.
With --json: {"ok", "errors": [...]}. Exits 1 when the file is invalid.`,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs('storyline', argv, COMMON_OPTIONS, true);
    const [action, file, ...extra] = positionals;
    if (action !== 'validate') {
      throw new UsageError(`storyline: unknown action "${action ?? ''}"; use "storyline validate FILE"`);
    }
    if (!file || extra.length > 0) throw new UsageError('storyline validate: give exactly one FILE');
    const out = new CliOutput(values.json, stdout, stderr);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`storyline validate: ${file} cannot be read; check the path`);
    }
    const result = validateStorylineText(text);
    const errors = result.ok ? [] : result.errors;
    out.record({ ok: result.ok, errors });
    if (result.ok) out.say(`${file}: valid storyline "${result.storyline.id}"`);
    else for (const error of errors) out.say(`${file}: ${error}`);
    return result.ok ? 0 : 1;
  },
};
