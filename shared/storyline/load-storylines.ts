import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserInputError } from '../errors.ts';
import { formatIssues, parseJsonText } from '../validation.ts';
import { type Storyline, storylineSchema } from './storyline-schema.ts';

export type StorylineValidation = { ok: true; storyline: Storyline } | { ok: false; errors: string[] };

/** Validates a storyline document; every problem is reported with its path in the file. */
export function validateStorylineText(text: string): StorylineValidation {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, errors: [parsed.error] };
  const result = storylineSchema.safeParse(parsed.value);
  if (!result.success) return { ok: false, errors: formatIssues(result.error) };
  return { ok: true, storyline: result.data };
}

export class StorylineFileError extends UserInputError {
  override name = 'StorylineFileError';
}

export async function loadStorylineFile(file: string): Promise<Storyline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StorylineFileError(`storyline file ${file} cannot be read; check the path`, { cause: error });
  }
  const result = validateStorylineText(text);
  if (!result.ok) {
    throw new StorylineFileError(
      `storyline file ${file} is invalid (${result.errors.length} problem(s)): ${result.errors[0]}; run "storyline validate ${file}" for all`,
    );
  }
  return result.storyline;
}

/** Loads every `*.json` storyline in a directory; ids must be unique and match the file name. */
export async function loadStorylines(dir: string): Promise<Storyline[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.json')).sort();
  } catch (error) {
    throw new StorylineFileError(`storyline directory ${dir} cannot be read; check the path`, {
      cause: error,
    });
  }
  if (names.length === 0) throw new StorylineFileError(`storyline directory ${dir} holds no .json storyline`);
  const storylines = await Promise.all(names.map((n) => loadStorylineFile(join(dir, n))));
  storylines.forEach((storyline, i) => {
    const expected = names[i]?.replace(/\.json$/, '');
    if (storyline.id !== expected) {
      throw new StorylineFileError(
        `storyline file ${join(dir, names[i] ?? '')} has id "${storyline.id}"; rename the file to ${storyline.id}.json or change the id`,
      );
    }
  });
  return storylines;
}
