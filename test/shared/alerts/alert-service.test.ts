import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AlertDependencies, CLAIM_LEASE_MS, createAlertStep } from '#shared/alerts/alert-service.ts';
import { prepareDigest } from '#shared/digest/digest-service.ts';
import { SnsNotifier } from '#shared/digest/sns-notifier.ts';
import { renderStatusHtml } from '#shared/status/status-html.ts';
import { buildStatus } from '#shared/status/status-model.ts';
import { DynamoAlertStore } from '#shared/store/alert-store.ts';
import type { DynamoStore, NewMatch } from '#shared/store/dynamo-store.ts';
import type { EmbeddedDynamoDb } from '#shared/store/embedded-dynamodb.ts';
import { itemKeyFor } from '#shared/store/table-design.ts';
import { type Storyline, storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { startLocalStore } from '../../helpers/local-store.ts';
import { sampleMatch } from '../../helpers/sample-match.ts';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:digest';
const MINUTE = 60_000;

let counter = 0;
function storyline(alerts: Record<string, unknown> = {}): Storyline {
  counter++;
  return storylineSchema.parse({
    id: `alerting-${counter}`,
    title: 'Colombia y EE. UU.',
    description: 'test',
    actors: [
      { id: 'petro', name: 'Gustavo Petro', kind: 'person', group: 'co', aliases: { en: ['Petro'] } },
      { id: 'trump', name: 'Donald Trump', kind: 'person', group: 'us', aliases: { en: ['Trump'] } },
      {
        id: 'treasury',
        name: 'US Treasury',
        kind: 'organisation',
        group: 'us',
        aliases: { en: ['Treasury'] },
      },
    ],
    themes: [
      {
        id: 'intelligence-sharing',
        label: 'Intelligence sharing',
        phrases: { en: ['intelligence sharing'] },
      },
      { id: 'decertification', label: 'Decertification', phrases: { en: ['decertifies'] } },
      { id: 'sanctions', label: 'Sanctions', phrases: { en: ['sanctions'] } },
      { id: 'boat-strikes', label: 'Boat strikes', phrases: { en: ['boat strike'] } },
      { id: 'visas', label: 'Visas', phrases: { en: ['visa'] } },
    ],
    alerts: { minScore: 5, maxPerHour: 2, ...alerts },
  });
}

describe('alerts through SNS', () => {
  let db: EmbeddedDynamoDb;
  let store: DynamoStore;
  let ledger: DynamoAlertStore;
  let now: Date;
  const clock = () => now;
  const notifier = new SnsNotifier(new SNSClient({ region: 'us-east-1' }), TOPIC);
  const deps = (): AlertDependencies => ({ items: store, ledger, notifier, clock });

  beforeAll(async () => {
    ({ db, store } = await startLocalStore());
    ledger = new DynamoAlertStore(db.client, db.tableName);
  });
  afterAll(() => db.close());
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    now = new Date('2025-11-11T13:00:00Z');
  });

  async function report(s: Storyline, over: Partial<NewMatch>, minutesAgo = 1): Promise<void> {
    await store.saveMatch(
      sampleMatch({ storylineId: s.id, ...over }),
      new Date(now.getTime() - minutesAgo * MINUTE),
    );
  }

  async function runStep(s: Storyline, d: AlertDependencies = deps()) {
    const step = createAlertStep([s], d);
    if (!step) throw new Error('the storyline has an alert rule');
    return step();
  }

  const published = () => sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
  const recordsOf = (s: Storyline) => ledger.listAlertsSince(s.id, new Date(0));

  const intelligence = {
    en: {
      title: 'Petro suspends intelligence sharing with the United States',
      canonicalUrl: 'https://wire.example/intel',
      url: 'https://wire.example/intel',
      source: 'Andes Wire',
      lang: 'en',
      score: 9,
      actors: ['petro', 'trump'],
      themes: ['intelligence-sharing'],
      why: 'intelligence sharing +3.1, colombia & us +2.9',
    },
    es: {
      title: 'Petro suspende el intercambio de inteligencia con Estados Unidos',
      canonicalUrl: 'https://diario.example/inteligencia',
      source: 'Diario Caribe',
      lang: 'es',
      score: 8,
      actors: ['petro', 'trump'],
      themes: ['intelligence-sharing'],
    },
  } satisfies Record<string, Partial<NewMatch>>;

  it('sends one alert for a development reported by several outlets in several languages', async () => {
    const s = storyline();
    await report(s, intelligence.en, 3);
    await report(s, intelligence.es, 2);

    const summary = await runStep(s);

    expect(summary).toEqual({ sent: 1, failed: 0, capped: 0, unknown: 0 });
    const [input] = published();
    expect(published()).toHaveLength(1);
    expect(input?.TopicArn).toBe(TOPIC);
    expect(input?.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'alert' },
      storyline: { DataType: 'String', StringValue: s.id },
      itemCount: { DataType: 'Number', StringValue: '2' },
    });
    expect(input?.Subject).toBe('Alert: Petro suspends intelligence sharing with the United States');
    expect(input?.Subject).toMatch(/^[\x20-\x7e]{1,99}$/);
    expect(input?.Message).toContain('Andes Wire; also reported by Diario Caribe');
    expect(input?.Message).toContain('https://wire.example/intel');
    expect(input?.Message).toContain('Why: intelligence sharing +3.1, colombia & us +2.9 (score 9)');
    expect(input?.Message).toContain(
      'Also: Petro suspende el intercambio de inteligencia con Estados Unidos',
    );
    const [record] = await recordsOf(s);
    expect(record).toMatchObject({
      state: 'sent',
      messageId: 'm-1',
      itemKey: itemKeyFor({ id: 'guid-1', canonicalUrl: intelligence.en.canonicalUrl }),
    });
  });

  it('sends no further alert for later reports of an alerted development: they wait for the digest', async () => {
    const s = storyline();
    await report(s, intelligence.en, 3);
    await runStep(s);
    now = new Date(now.getTime() + 3 * 3_600_000);
    await report(s, intelligence.es, 1);
    await report(s, {
      title: 'Petro suspende o compartilhamento de inteligência com os EUA',
      canonicalUrl: 'https://noticias.example/inteligencia',
      source: 'Notícias',
      lang: 'pt',
      score: 12,
      actors: ['petro', 'trump'],
      themes: ['intelligence-sharing'],
    });

    const summary = await runStep(s);

    expect(summary.sent).toBe(0);
    expect(published()).toHaveLength(1);
  });

  it('caps alerts per storyline per hour; the rest wait for the digest and are never alerted later', async () => {
    const s = storyline();
    const developments = [
      { title: 'Petro suspends intelligence sharing', actors: ['petro'], themes: ['intelligence-sharing'] },
      { title: 'Trump decertifies Colombia', actors: ['trump'], themes: ['decertification'] },
      { title: 'Treasury sanctions the president', actors: ['treasury'], themes: ['sanctions'] },
      { title: 'New boat strike leaves 3 dead', actors: [], themes: ['boat-strikes'] },
    ];
    for (const [i, d] of developments.entries()) {
      await report(s, { ...d, canonicalUrl: `https://n.example/${i}`, score: 6 + i });
    }

    const first = await runStep(s);

    expect(first).toEqual({ sent: 2, failed: 0, capped: 2, unknown: 0 });
    // The best two went out.
    expect(published().map((p) => p.Subject)).toEqual([
      'Alert: New boat strike leaves 3 dead',
      'Alert: Treasury sanctions the president',
    ]);
    const capped = (await recordsOf(s)).filter((r) => r.state === 'capped').map((r) => r.title);
    expect(capped.sort()).toEqual(['Petro suspends intelligence sharing', 'Trump decertifies Colombia']);

    // An hour later the cap has room again: a new development goes out, the capped ones do not.
    now = new Date(now.getTime() + 61 * MINUTE);
    await report(s, {
      title: 'State Department revokes the visa',
      canonicalUrl: 'https://n.example/visa',
      actors: [],
      themes: ['visas'],
      score: 7,
    });
    const later = await runStep(s);

    expect(later).toEqual({ sent: 1, failed: 0, capped: 0, unknown: 0 });
    expect(published().at(-1)?.Subject).toBe('Alert: State Department revokes the visa');

    // The digest says so.
    const digest = await prepareDigest(s, { store, clock, alerts: ledger });
    expect(digest.text).toContain(
      'Alerts: 3 developments were sent as alerts; alerts were capped at 2 an hour, so 2 developments that passed the alert bar waited for this digest.',
    );
    expect(digest.text).toMatch(
      /Trump decertifies Colombia\n(.*\n){3} {3}Not alerted: the hourly cap of alerts was reached/,
    );
    expect(digest.text).toMatch(
      /State Department revokes the visa\n(.*\n){3} {3}Alerted 2025-11-11 14:01 UTC/,
    );
  });

  it('keeps an alert whose publish failed and sends the same message at the next run', async () => {
    const s = storyline();
    await report(s, intelligence.en);
    sns.on(PublishCommand).rejects(new Error('Rate exceeded'));

    const failed = await runStep(s);

    expect(failed).toEqual({ sent: 0, failed: 1, capped: 0, unknown: 0 });
    expect(await recordsOf(s)).toMatchObject([{ state: 'failed', error: 'Rate exceeded', attempts: 1 }]);

    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    now = new Date(now.getTime() + 15 * MINUTE);
    const retried = await runStep(s);

    expect(retried).toEqual({ sent: 1, failed: 0, capped: 0, unknown: 0 });
    expect(published()).toHaveLength(1);
    expect(published()[0]?.Subject).toBe('Alert: Petro suspends intelligence sharing with the United States');
    expect(await recordsOf(s)).toMatchObject([{ state: 'sent', messageId: 'm-2', attempts: 2 }]);
    // And it is not sent a third time.
    now = new Date(now.getTime() + 15 * MINUTE);
    await runStep(s);
    expect(published()).toHaveLength(1);
  });

  it('never resends an alert whose run died between publishing and recording it', async () => {
    const s = storyline();
    await report(s, intelligence.en);
    // The process dies right after SNS accepted the message: nothing after publish is written.
    const dying: AlertDependencies = {
      ...deps(),
      ledger: Object.assign(Object.create(ledger) as DynamoAlertStore, {
        markSent: () => Promise.reject(new Error('process killed')),
      }),
    };

    const crashed = await runStep(s, dying);

    expect(crashed.error).toContain('process killed');
    expect(published()).toHaveLength(1);
    expect(await recordsOf(s)).toMatchObject([{ state: 'claimed' }]);

    // The next run, inside the claim's lease, leaves it alone; no second alert for the development.
    now = new Date(now.getTime() + 5 * MINUTE);
    await report(s, intelligence.es);
    expect(await runStep(s)).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 0 });

    // Past the lease the claim is taken as "maybe sent": recorded, shown, never published again.
    now = new Date(now.getTime() + CLAIM_LEASE_MS);
    expect(await runStep(s)).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 1 });
    now = new Date(now.getTime() + 15 * MINUTE);
    expect(await runStep(s)).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 0 });

    expect(published()).toHaveLength(1);
    expect(await recordsOf(s)).toMatchObject([{ state: 'unknown' }]);
    const digest = await prepareDigest(s, { store, clock, alerts: ledger });
    expect(digest.text).toContain('Alert may not have gone out (a run stopped while sending it)');
  });

  it('alerts only the themes the rule names, and only past its bar', async () => {
    const s = storyline({ themes: ['intelligence-sharing'], minScore: 8.5 });
    await report(s, { ...intelligence.es, canonicalUrl: 'https://n.example/below-bar' });
    await report(s, {
      title: 'Trump decertifies Colombia',
      canonicalUrl: 'https://n.example/d',
      score: 20,
      actors: ['trump'],
      themes: ['decertification'],
    });

    expect(await runStep(s)).toEqual({ sent: 0, failed: 0, capped: 0, unknown: 0 });

    await report(s, intelligence.en);
    expect(await runStep(s)).toMatchObject({ sent: 1 });
  });

  it("lets one run at a time decide a storyline's alerts", async () => {
    const s = storyline();
    await report(s, intelligence.en);
    await report(s, {
      title: 'Trump decertifies Colombia',
      canonicalUrl: 'https://n.example/d2',
      actors: ['trump'],
      themes: ['decertification'],
    });

    const results = await Promise.all([runStep(s), runStep(s)]);

    expect(results.map((r) => r.sent).sort()).toEqual([0, 2]);
    expect(published()).toHaveLength(2);
  });

  it('reports a store failure without throwing, and looks again at the next run', async () => {
    const s = storyline();
    await report(s, intelligence.en);
    const broken: AlertDependencies = {
      ...deps(),
      ledger: Object.assign(Object.create(ledger) as DynamoAlertStore, {
        create: () => Promise.reject(new Error('ProvisionedThroughputExceededException')),
      }),
    };

    const summary = await runStep(s, broken);

    expect(summary.error).toBe(`${s.id}: ProvisionedThroughputExceededException`);
    expect(published()).toHaveLength(0);
    expect(await runStep(s)).toMatchObject({ sent: 1 });
  });

  it('shows the last alerts per storyline on the status, failed ones with their reason', async () => {
    const s = storyline();
    await report(s, intelligence.en);
    await report(s, {
      title: 'Trump decertifies Colombia',
      canonicalUrl: 'https://n.example/d3',
      actors: ['trump'],
      themes: ['decertification'],
      score: 6,
    });
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm-9' }).rejects(new Error('Topic does not exist'));
    await runStep(s);

    const status = await buildStatus({
      store,
      storylines: [s],
      feeds: [],
      clock,
      pollIntervalMinutes: 15,
      alerts: ledger,
    });

    // Newest first; these two were decided in the same instant.
    expect(status.storylines[0]?.lastAlerts).toHaveLength(2);
    expect(status.storylines[0]?.lastAlerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          title: 'Trump decertifies Colombia',
          state: 'failed',
          sentAt: null,
          error: 'Topic does not exist',
        }),
        expect.objectContaining({
          title: intelligence.en.title,
          url: intelligence.en.url,
          state: 'sent',
          sentAt: now.toISOString(),
          sources: ['Andes Wire'],
          score: 9,
          error: null,
        }),
      ]),
    );
    const html = renderStatusHtml(status, [s]);
    expect(html).toContain('<h4>Last alerts</h4>');
    expect(html).toContain('failed, retried next poll: Topic does not exist');
  });

  it('has no step for storylines without an alert rule', () => {
    const plain = storylineSchema.parse({ ...storyline(), alerts: undefined });
    expect(createAlertStep([plain], deps())).toBeUndefined();
  });
});
