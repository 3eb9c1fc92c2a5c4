import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { prepareDigest, sendDigest } from '#shared/digest/digest-service.ts';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import type { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { type Storyline, storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { startLocalStore } from '../../helpers/local-store.ts';
import { sampleMatch } from '../../helpers/sample-match.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:digest';

let counter = 0;
function storyline(): Storyline {
  counter++;
  return storylineSchema.parse({
    id: `story-${counter}`,
    title: 'Colombia y EE. UU.',
    description: 'test',
    actors: [{ id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } }],
  });
}

describe('sendDigest through SNS', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  const notifier = new SnsNotifier(new SNSClient({ region: 'us-east-1' }), TOPIC);
  let now = new Date('2025-11-12T07:00:00Z');
  const clock = () => now;

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
  });
  afterAll(() => db.close());
  beforeEach(() => sns.reset());

  async function seen(s: Storyline, title: string, at: string) {
    await store.saveMatch(
      sampleMatch({
        storylineId: s.id,
        title,
        canonicalUrl: `https://n.example/${encodeURIComponent(title)}`,
      }),
      new Date(at),
    );
  }

  it('publishes an ASCII subject, the kind, storyline and count as attributes, then moves the cursor', async () => {
    const s = storyline();
    await seen(s, 'Petro suspende la cooperación de inteligencia', '2025-11-11T10:00:00Z');
    await seen(s, 'Petro answers Trump', '2025-11-11T11:00:00Z');
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });

    const outcome = await sendDigest(s, { store, clock, notifier });

    expect(outcome.status).toBe('sent');
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.TopicArn).toBe(TOPIC);
    expect(input?.Subject).toMatch(/^Colombia y EE\. UU\.: 2 new items - /);
    expect(input?.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(input?.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'digest' },
      storyline: { DataType: 'String', StringValue: s.id },
      itemCount: { DataType: 'Number', StringValue: '2' },
    });
    expect(input?.Message).toContain('Petro suspende la cooperación de inteligencia');
    expect((await store.getDigestCursor(s.id))?.lastItemCount).toBe(2);
    expect((await prepareDigest(s, { store, clock })).itemCount).toBe(0);
  });

  it('keeps the published message under 256 KB, saying how many entries were left out', async () => {
    const s = storyline();
    for (let i = 0; i < 600; i++) {
      const url = `https://n.example/${i}/${'path/'.repeat(30)}`;
      await store.saveMatch(
        sampleMatch({
          storylineId: s.id,
          title: `Petro development ${i}: ${'a long headline with many words about the story '.repeat(5)}`,
          canonicalUrl: url,
          url,
        }),
        new Date(Date.UTC(2025, 10, 11, 0, 0, i)),
      );
    }
    sns.on(PublishCommand).resolves({ MessageId: 'm-big' });
    await sendDigest(s, { store, clock, notifier });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    const message = String(input?.Message);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(256 * 1024);
    const shown = message.match(/^\d+\. /gm)?.length ?? 0;
    const more = Number(/\.\.\. and (\d+) more$/.exec(message)?.[1]);
    expect(shown + more).toBe(600);
    expect(input?.MessageAttributes?.itemCount?.StringValue).toBe('600');
  }, 60_000);

  it('leaves the cursor when SNS fails, so the next run sends the same items and newer ones', async () => {
    const s = storyline();
    await seen(s, 'Petro first', '2025-11-11T10:00:00Z');
    sns.on(PublishCommand).rejects(new Error('SNS is down'));
    await expect(sendDigest(s, { store, clock, notifier })).rejects.toThrow('SNS is down');
    expect(await store.getDigestCursor(s.id)).toBeUndefined();

    await seen(s, 'Petro second', '2025-11-11T12:00:00Z');
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const outcome = await sendDigest(s, { store, clock, notifier });
    expect(outcome.digest.itemCount).toBe(2);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('selects by discovery time: an old article first seen today is new', async () => {
    const s = storyline();
    await store.saveMatch(
      sampleMatch({ storylineId: s.id, title: 'Petro old story', publishedAt: '2020-01-01T00:00:00.000Z' }),
      new Date('2025-11-12T06:00:00Z'),
    );
    const digest = await prepareDigest(s, { store, clock });
    expect(digest.itemCount).toBe(1);
  });

  it('publishes a window once when two runs race for it, and a retry after success sends nothing', async () => {
    const s = storyline();
    await seen(s, 'Petro race', '2025-11-11T10:00:00Z');
    let publishes = 0;
    const slow = {
      publish: async () => {
        publishes++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        return { messageId: `m-${publishes}` };
      },
    };
    const outcomes = await Promise.all([
      sendDigest(s, { store, clock, notifier: slow }),
      sendDigest(s, { store, clock, notifier: slow }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['already-sent', 'sent']);
    expect(publishes).toBe(1);
    const retry = await sendDigest(s, { store, clock, notifier: slow });
    expect(retry.status).toBe('quiet');
    expect(publishes).toBe(1);
  });

  it('sends a short note for a quiet window only when asked to', async () => {
    const s = storyline();
    sns.on(PublishCommand).resolves({ MessageId: 'quiet-1' });
    const outcome = await sendDigest(s, { store, clock, notifier }, { sendWhenQuiet: true });
    expect(outcome).toMatchObject({ status: 'quiet', messageId: 'quiet-1' });
    const input = sns.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input?.Subject).toBe('Colombia y EE. UU.: no new items');
    expect(input?.MessageAttributes?.itemCount?.StringValue).toBe('0');
  });

  it('sends nothing for a quiet window', async () => {
    const s = storyline();
    const outcome = await sendDigest(s, { store, clock, notifier });
    expect(outcome.status).toBe('quiet');
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('does not send items first seen after the window closed', async () => {
    const s = storyline();
    now = new Date('2025-11-12T07:00:00Z');
    await seen(s, 'Petro later', '2025-11-12T08:00:00Z');
    expect((await prepareDigest(s, { store, clock })).itemCount).toBe(0);
  });
});
