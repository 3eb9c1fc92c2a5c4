import { stat } from 'node:fs/promises';
import { loadStorylineFile, loadStorylines } from '#shared/storyline/load-storylines.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';
import { UsageError } from './cli-io.ts';
import { STORYLINES_DIR } from './local-runtime.ts';

/** A storyline named on the command line: a file, or the id of a live one (in seeds/storylines/). */
export async function resolveStorylineReference(command: string, reference: string): Promise<Storyline> {
  const isFile = await stat(reference).then(
    (s) => s.isFile(),
    () => false,
  );
  if (isFile || reference.endsWith('.json')) return loadStorylineFile(reference);
  const live = await loadStorylines(STORYLINES_DIR);
  const found = live.find((s) => s.id === reference);
  if (found) return found;
  throw new UsageError(
    `${command}: "${reference}" is neither a storyline file nor a known storyline id (known: ${live.map((s) => s.id).join(', ')})`,
  );
}

/**
 * The live version of a storyline: the one with the same id in seeds/storylines/, which is also
 * what `cdk deploy` ships. Undefined for a storyline that is not live yet.
 */
export async function liveStoryline(id: string): Promise<Storyline | undefined> {
  return (await loadStorylines(STORYLINES_DIR)).find((s) => s.id === id);
}
