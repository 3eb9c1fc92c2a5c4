import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's own seeds, wherever the CLI is run from; NEWS_MONITOR_SEEDS_DIR points
 * elsewhere (a directory holding storylines/ and feeds.json). Kept apart from the local runtime
 * so commands that only read seeds (match) start without loading the database.
 */
export const SEEDS_DIR = process.env.NEWS_MONITOR_SEEDS_DIR
  ? resolve(process.env.NEWS_MONITOR_SEEDS_DIR)
  : fileURLToPath(new URL('../seeds/', import.meta.url));
export const STORYLINES_DIR = join(SEEDS_DIR, 'storylines');
