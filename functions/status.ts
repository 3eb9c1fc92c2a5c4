import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readStatusConfig } from '../shared/config.ts';
import { loadFeedList } from '../shared/feeds/feed-list.ts';
import { DynamoStore } from '../shared/store/dynamo-store.ts';
import { loadStorylines } from '../shared/storyline/load-storylines.ts';
import { createObservability } from './observability.ts';
import { createStatusHandler } from './status-handler.ts';

const config = readStatusConfig(process.env);
const { logger } = createObservability('status');
const [storylines, feeds] = await Promise.all([
  loadStorylines(join(config.SEEDS_DIR, 'storylines')),
  loadFeedList(join(config.SEEDS_DIR, 'feeds.json')),
]);

export const handler = createStatusHandler({
  store: new DynamoStore(new DynamoDBClient({ maxAttempts: 5 }), config.TABLE_NAME),
  storylines,
  feeds,
  clock: () => new Date(),
  pollIntervalMinutes: config.POLL_INTERVAL_MINUTES,
  logger,
});
