import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateStorylineText } from '#shared/storyline/load-storylines.ts';
import { jsonLines, runCli } from '../helpers/cli.ts';

const COMMANDS = [
  'run',
  'demo',
  'digest',
  'serve',
  'status',
  'match',
  'parse-feed',
  'storyline',
  'subscribe',
  'feeds',
  'status-password',
];

describe.concurrent('the CLI contract', () => {
  it('lists every command in --help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
  });

  it.each(COMMANDS)('%s --help prints its usage', async (command) => {
    const result = await runCli([command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`news-monitor ${command}`);
  });

  it('match --json prints one line per item, in order, with the explanation', async () => {
    const stdin = [
      { id: 'a', title: 'Petro suspends intelligence sharing with the US' },
      { id: 2, title: 'Petrobras posts record profit', lang: 'pt' },
      { id: 'c', title: 'Weekly roundup', summary: 'EE.UU. descertifica a Colombia' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const result = await runCli(['match', '--storyline', 'us-colombia-counternarcotics', '--json'], {
      stdin,
    });
    expect(result.code, result.stderr).toBe(0);
    const lines = jsonLines(result.stdout);
    expect(lines.map((l) => l.id)).toEqual(['a', 2, 'c']);
    expect(lines[0]).toEqual({
      id: 'a',
      relevant: true,
      score: expect.any(Number),
      probability: expect.any(Number),
      actors: expect.arrayContaining(['gustavo-petro', 'united-states']),
      themes: ['intelligence-sharing'],
      why: expect.stringMatching(/^.+ [+-]\d+\.\d(, .+ [+-]\d+\.\d)*$/),
      contributions: expect.arrayContaining([{ feature: expect.any(String), weight: expect.any(Number) }]),
    });
    expect(lines[1]).toMatchObject({ relevant: false, actors: [], themes: [] });
    expect(lines[2]).toMatchObject({ relevant: true, themes: ['decertification'] });
  });

  it('match rules out an item dated outside the active window, and says why', async () => {
    const title = 'Petro suspends intelligence sharing with the US';
    const stdin = [
      { id: 'old', title, publishedAt: '2025-01-27T10:00:00Z' },
      { id: 'new', title, publishedAt: '2025-11-12T10:00:00Z' },
    ]
      .map((l) => JSON.stringify(l))
      .join('\n');
    const result = await runCli(['match', '--storyline', 'us-colombia-counternarcotics', '--json'], {
      stdin,
    });
    const [old, fresh] = jsonLines(result.stdout);
    expect(old).toMatchObject({
      relevant: false,
      why: "published 2025-01-27, before the story's active window (from 2025-07-01)",
      outsideWindow: { side: 'before', bound: '2025-07-01' },
    });
    expect(fresh).toMatchObject({ relevant: true });
  });

  it('match names a stdin line too long to be an item', async () => {
    const long = JSON.stringify({ id: 'x', title: 'a'.repeat(1_100_000) });
    const result = await runCli(['match', '--storyline', 'us-colombia-counternarcotics', '--json'], {
      stdin: `{"id":"1","title":"Petro"}\n${long}\n`,
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'news-monitor: match: stdin line 2 is longer than 1,000,000 characters; give one JSON object per line',
    );
  });

  it('storyline train fits the decision, prints cross-validated figures and names a bad label line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'train-'));
    const out = join(dir, 'trained.json');
    const result = await runCli([
      'storyline',
      'train',
      'seeds/storylines/us-colombia-counternarcotics.json',
      '--labels',
      'test/fixtures/matching/holdout-set.jsonl',
      '--out',
      out,
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const [report] = jsonLines(result.stdout);
    expect(report).toMatchObject({
      examples: 121,
      crossValidated: {
        precision: expect.any(Number),
        recall: expect.any(Number),
        f1: expect.any(Number),
        cost: expect.any(Number),
      },
    });
    const written = validateStorylineText(await readFile(out, 'utf8'));
    expect(written.ok && written.storyline.decision?.trained?.examples).toBe(121);

    const bad = join(dir, 'bad.jsonl');
    await writeFile(bad, '{"id":"1","title":"a","relevant":true}\n{"id":"2","title":"b"}\n');
    const failed = await runCli(['storyline', 'train', out, '--labels', bad, '--out', out]);
    expect(failed.code).toBe(2);
    expect(failed.stderr.trim()).toBe(`news-monitor: ${bad} line 2: relevant: must be true or false`);
  }, 90_000);

  it('match names the line that is not JSON', async () => {
    const result = await runCli(['match', '--storyline', 'us-colombia-counternarcotics'], {
      stdin: '{"id":"a","title":"ok"}\nnot json\n',
    });
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'news-monitor: match: stdin line 2 is not JSON; give one JSON object per line',
    );
  });

  it('parse-feed --json gives every file a line, ok or not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'parse-feed-'));
    const junk = join(dir, 'junk.xml');
    await writeFile(junk, '\u0000\u0001 definitely not a feed');
    const result = await runCli([
      'parse-feed',
      'test/fixtures/feeds/andes-wire.xml',
      junk,
      join(dir, 'missing.xml'),
      '--json',
    ]);
    expect(result.code).toBe(1);
    const [good, bad, missing] = jsonLines(result.stdout);
    expect(good).toMatchObject({
      file: 'test/fixtures/feeds/andes-wire.xml',
      ok: true,
      feed: { title: 'Andes Wire (test fixture)' },
    });
    const items = (good?.items ?? []) as Array<Record<string, unknown>>;
    expect(items).toHaveLength(4);
    expect(items[0]).toEqual({
      id: 'andes-0001',
      title: 'Petro orders Colombian agencies to stop sharing intelligence with Washington',
      url: expect.stringContaining('petro-intelligence'),
      summary: 'The order follows US strikes on boats in the Caribbean.',
      publishedAt: '2025-11-11T14:05:00.000Z',
    });
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/not a feed/), items: [] });
    expect(missing).toMatchObject({
      ok: false,
      error: 'cannot be read (ENOENT: no such file); check the path',
    });
  });

  it('storyline validate --json reports problems with their paths and exits 1', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'storyline-'));
    const file = join(dir, 'bad.json');
    await writeFile(
      file,
      JSON.stringify({
        id: 'Bad Id',
        title: 't',
        description: 'd',
        actors: [],
        rule: { threshold: 1, combinations: [] },
      }),
    );
    const result = await runCli(['storyline', 'validate', file, '--json']);
    expect(result.code).toBe(1);
    const [report] = jsonLines(result.stdout);
    expect(report?.ok).toBe(false);
    expect(report?.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: /),
        'actors: needs at least one actor',
        expect.stringMatching(/^rule: the hand-tuned "rule" is gone: delete it/),
      ]),
    );
    const good = await runCli([
      'storyline',
      'validate',
      'seeds/storylines/us-colombia-counternarcotics.json',
      '--json',
    ]);
    expect(jsonLines(good.stdout)).toEqual([{ ok: true, errors: [] }]);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['run', '--bogus'], /run: Unknown option '--bogus'/],
    [['digest'], /digest: --storyline is required/],
    [
      ['digest', '--storyline', 'nope', '--preview', '--data-dir', join(tmpdir(), 'nm-unknown-storyline')],
      /no storyline "nope"; known: us-colombia-counternarcotics/,
    ],
    [['run', '--once', '--feeds', 'no/such/feeds.json'], /feeds file no\/such\/feeds.json cannot be read/],
    [['run', '--once', '--interval', '0'], /--interval must be a whole number of at least 1/],
    [['serve', '--port', 'http'], /--port must be a number from 0 to 65535/],
    [['subscribe', 'not-an-email', '--topic-arn', 'x'], /subscribe: "not-an-email" is not an email address/],
    [['subscribe', 'ana@example.org', '--topic-arn', 'my-topic'], /"my-topic" is not an SNS topic ARN/],
    [
      [
        'subscribe',
        'ana@example.org',
        '--topic-arn',
        'arn:aws:sns:eu-west-1:123456789012:t',
        '--storyline',
        'nope',
      ],
      /subscribe: no storyline "nope"/,
    ],
    [
      [
        'subscribe',
        'ana@example.org',
        '--topic-arn',
        'arn:aws:sns:eu-west-1:123456789012:t',
        '--only',
        'news',
      ],
      /subscribe: --only must be "alerts" or "digests", not "news"/,
    ],
  ])('%j fails with exit 2 and one line naming the problem', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });
});
