import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, runCli } from '../helpers/cli.ts';
import { dataDirWithArchive, VISA_ITEMS, visaStoryline, writeStoryline } from '../helpers/loop-fixtures.ts';

describe('storyline test: a backtest on the archive', () => {
  let seeds: string;
  let dataDir: string;
  let changed: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    seeds = await mkdtemp(join(tmpdir(), 'news-monitor-seeds-'));
    await mkdir(join(seeds, 'storylines'));
    // The live version, where the CLI looks for it; the changed one is a file beside it.
    await writeStoryline(join(seeds, 'storylines'), 'petro-visa.json', visaStoryline());
    changed = await writeStoryline(
      seeds,
      'changed.json',
      visaStoryline({ threshold: -0.5, sportVeto: true }),
    );
    env = { NEWS_MONITOR_SEEDS_DIR: seeds };
    dataDir = await dataDirWithArchive(VISA_ITEMS);
  });
  afterAll(async () => {
    await rm(seeds, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints the counts, then each gained and lost item with its score and explanation', async () => {
    const result = await runCli(['storyline', 'test', changed, '--data-dir', dataDir, '--json'], { env });
    expect(result.code).toBe(0);
    const [summary, ...changes] = jsonLines(result.stdout);
    expect(summary).toMatchObject({ seen: 4, kept: 2, gained: 1, lost: 1, liveKept: 2 });
    expect(changes.map((c) => [c.change, c.id, c.title])).toEqual([
      ['gained', 'gained', 'Petro speaks at the UN'],
      ['lost', 'lost', 'Petro visa row overshadows friendly match'],
    ]);
    expect(changes[1]).toMatchObject({
      score: -4,
      why: 'veto sport -5.0, Petro +1.0, visa +1.0',
      source: 'Wire',
      live: { score: 1, why: 'Petro +1.0, visa +1.0' },
    });
    expect(changes[1]?.contributions).toContainEqual({
      feature: 'veto:sport',
      label: 'veto sport',
      weight: -5,
    });
  });

  it('shows people what it keeps, gains and loses', async () => {
    const result = await runCli(['storyline', 'test', changed, '--data-dir', dataDir], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'it keeps 2, scoring at least -0.50 (the live "petro-visa" keeps 2): 1 gained, 1 lost.',
    );
    expect(result.stdout).toMatch(/Gained \(1\)[^\n]*\n\s+\+0\.00\s+Petro speaks at the UN/);
    expect(result.stdout).toMatch(
      /Lost \(1\)[^\n]*\n\s+-4\.00\s+Petro visa row overshadows friendly match\n.*Wire · 2026-01-05/,
    );
    expect(result.stdout).toContain('live:  +1.00  Petro +1.0, visa +1.0');
  });

  it('refuses, in one line naming the thing, a missing archive, an empty one and an unknown storyline id', async () => {
    const nowhere = join(seeds, 'no-data');
    const missing = await runCli(['storyline', 'test', changed, '--data-dir', nowhere], { env });
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain(`no archive in ${nowhere}: fill it with "news-monitor run --once"`);

    const emptyDir = await dataDirWithArchive([]);
    const empty = await runCli(['storyline', 'test', changed, '--data-dir', emptyDir, '--days', '7'], {
      env,
    });
    await rm(emptyDir, { recursive: true, force: true });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(
      /the archive in .* holds no items first seen in the last 7 days: fill it with .*npm run demo -- --once/,
    );

    const unknown = await runCli(['storyline', 'test', 'nope', '--data-dir', dataDir], { env });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      'news-monitor: storyline test: "nope" is neither a storyline file nor a known storyline id (known: petro-visa)',
    );
  });
});
