import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAlertStep } from '#shared/alerts/alert-service.ts';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import { parseFeedList } from '#shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { runPollCycle } from '#shared/feeds/poll-cycle.ts';
import { DynamoAlertStore } from '#shared/store/alert-store.ts';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { type FeedFileServer, serveFeedFiles } from '../../../bin/demo-feed-server.ts';
import { startLocalStore } from '../../helpers/local-store.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:digest';

describe('alerts from a poll cycle', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let feedServer: FeedFileServer;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    feedServer = await serveFeedFiles('seeds/demo');
  });
  afterAll(async () => {
    await feedServer.close();
    await db.close();
  });

  it("publishes one alert per development: Petro's suspension of intelligence sharing, reported in English and Spanish by three feeds, and the UK's own", async () => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const storylines = await loadStorylines('seeds/storylines');
    const feeds = parseFeedList(JSON.stringify(feedServer.feeds), 'seeds/demo');
    const clock = () => new Date('2025-11-11T19:00:00Z');
    const sendAlerts = createAlertStep(storylines, {
      items: store,
      ledger: new DynamoAlertStore(db.client, db.tableName),
      notifier: new SnsNotifier(new SNSClient({ region: 'us-east-1' }), TOPIC),
      clock,
    });
    const deps = { store, matchers: storylines.map((s) => new StorylineMatcher(s)), clock, sendAlerts };
    const options = {
      concurrency: 4,
      limits: { ...DEFAULT_FETCH_LIMITS, privateAddresses: 'allow' as const },
    };

    const first = await runPollCycle(feeds, deps, options);

    expect(first.run.alerts).toEqual({ sent: 2, failed: 0, capped: 0, unknown: 0 });
    const calls = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    for (const call of calls) {
      expect(call.MessageAttributes?.kind).toEqual({ DataType: 'String', StringValue: 'alert' });
      expect(call.MessageAttributes?.storyline).toEqual({
        DataType: 'String',
        StringValue: 'us-colombia-counternarcotics',
      });
    }
    // Three reports of Petro's order, in two languages, are one alert...
    const petro = calls.filter((c) => /^Alert: Petro .*intelligence sharing/.test(c.Subject ?? ''));
    expect(petro).toHaveLength(1);
    expect(petro[0]?.Message).toContain('Petro suspende el intercambio de inteligencia con Estados Unidos');
    expect(petro[0]?.Message).toMatch(/Demo Wire \(sample\)/);
    expect(petro[0]?.Message).toMatch(/Example Times/);
    // ...and the United Kingdom holding back its own intelligence is another development.
    const uk = calls.filter((c) => /^Alert: Reino Unido suspende .*inteligencia/.test(c.Subject ?? ''));
    expect(uk).toHaveLength(1);
    expect(uk[0]?.Message).not.toContain('Petro suspende');

    const second = await runPollCycle(feeds, deps, options);

    expect(second.run.alerts).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 0 });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect((await store.latestRun())?.alerts).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 0 });
  });
});
