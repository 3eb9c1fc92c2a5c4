import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { readDigestConfig } from '#shared/config.ts';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import { DynamoAlertStore } from '#shared/store/alert-store.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { createDigestHandler } from './digest-handler.ts';
import { createObservability, instrumentHandler } from './observability.ts';

const config = readDigestConfig(process.env);
const observability = createObservability('digest');
const dynamo = new DynamoDBClient({ maxAttempts: 5 });
const storylines = await loadStorylines(join(config.SEEDS_DIR, 'storylines'));

export const handler = instrumentHandler(
  createDigestHandler({
    store: new DynamoStore(dynamo, config.TABLE_NAME),
    alerts: new DynamoAlertStore(dynamo, config.TABLE_NAME),
    notifier: new SnsNotifier(new SNSClient({}), config.TOPIC_ARN),
    storylines,
    sendWhenQuiet: config.DIGEST_SEND_WHEN_QUIET,
    clock: () => new Date(),
    ...observability,
  }),
  observability,
);
