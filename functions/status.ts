import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readStatusConfig } from '#shared/config.ts';
import { ConfigError } from '#shared/errors.ts';
import { loadFeedList } from '#shared/feeds/feed-list.ts';
import { BasicAuthGate, parseStatusCredential } from '#shared/status/basic-auth.ts';
import { DynamoAlertStore } from '#shared/store/alert-store.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { LeanDynamoDbClient } from '#shared/store/lean-dynamodb-client.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { createObservability, instrumentHandler } from './observability.ts';
import { createStatusHandler } from './status-handler.ts';

const config = readStatusConfig(process.env);
// Only cold starts are counted here: API Gateway already measures requests, errors and latency.
const observability = createObservability('status', { applicationMetrics: false });
// The SDK's client would more than double this bundle; the status API only reads, through a lean client.
const dynamo = LeanDynamoDbClient.fromEnvironment(process.env);
if (!dynamo)
  throw new ConfigError('settings AWS_REGION and AWS credentials are missing; Lambda provides them');
const [storylines, feeds] = await Promise.all([
  loadStorylines(join(config.SEEDS_DIR, 'storylines')),
  loadFeedList(join(config.SEEDS_DIR, 'feeds.json')),
]);

export const handler = instrumentHandler(
  createStatusHandler({
    store: new DynamoStore(dynamo as unknown as DynamoDBClient, config.TABLE_NAME),
    alerts: new DynamoAlertStore(dynamo as unknown as DynamoDBClient, config.TABLE_NAME),
    storylines,
    feeds,
    clock: () => new Date(),
    pollIntervalMinutes: config.POLL_INTERVAL_MINUTES,
    auth: config.STATUS_AUTH ? new BasicAuthGate(parseStatusCredential(config.STATUS_AUTH)) : undefined,
    logger: observability.logger,
  }),
  observability,
);
