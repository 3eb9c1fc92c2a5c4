import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StatusDependencies } from '#shared/status/status-model.ts';
import { DynamoAlertStore } from '#shared/store/alert-store.ts';
import { DynamoStore, type Retention } from '#shared/store/dynamo-store.ts';
import { type EmbeddedDynamoDb, startEmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import type { Storyline } from '#shared/storyline/storyline-schema.ts';

import { SEEDS_DIR, STORYLINES_DIR } from './seeds-dir.ts';

export { SEEDS_DIR, STORYLINES_DIR };
/** The demo's sample feeds always come from the repository. */
export const DEMO_FEEDS_DIR = fileURLToPath(new URL('../seeds/demo/', import.meta.url));
export const DEFAULT_FEEDS_FILE = join(SEEDS_DIR, 'feeds.json');
export const DEFAULT_DATA_DIR = '.data';
export const DEFAULT_POLL_INTERVAL_MINUTES = 15;

/** Local mode: the same services as in AWS, over the embedded DynamoDB in the data directory. */
export interface LocalRuntime {
  dataDir: string;
  store: DynamoStore;
  /** Alert records, in the same table. */
  alerts: DynamoAlertStore;
  storylines: Storyline[];
  database: EmbeddedDynamoDb;
  /** What the status API needs to report on these feeds, polled every `pollIntervalMinutes`. */
  statusDependencies(feeds: StatusDependencies['feeds'], pollIntervalMinutes?: number): StatusDependencies;
  close(): Promise<void>;
}

export async function openLocalRuntime(
  dataDir: string = DEFAULT_DATA_DIR,
  retention: Partial<Retention> = {},
): Promise<LocalRuntime> {
  const storylines = await loadStorylines(STORYLINES_DIR);
  const absolute = resolve(dataDir);
  const database = await startEmbeddedDynamoDb(absolute);
  const store = new DynamoStore(database.client, database.tableName, retention);
  const alerts = new DynamoAlertStore(database.client, database.tableName);
  try {
    // A data directory from before the item counters is counted once, here, so the status has them.
    await store.ensureItemCounts(
      storylines.map((s) => s.id),
      new Date(),
    );
  } catch (error) {
    await database.close();
    throw error;
  }
  return {
    dataDir: absolute,
    store,
    alerts,
    storylines,
    database,
    statusDependencies: (feeds, pollIntervalMinutes = DEFAULT_POLL_INTERVAL_MINUTES) => ({
      store,
      storylines,
      feeds,
      clock: () => new Date(),
      pollIntervalMinutes,
      alerts,
    }),
    close: () => database.close(),
  };
}
