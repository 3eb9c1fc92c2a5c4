import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.ts';
import { dataDirWithArchive, VISA_ITEMS, visaStoryline, writeStoryline } from '../helpers/loop-fixtures.ts';
import { systemToolPresent } from '../helpers/system-tool.ts';
import { runCliInTerminal, scriptAvailable } from '../helpers/terminal.ts';

const inTerminal = systemToolPresent(
  scriptAvailable(),
  'script (util-linux)',
  'terminal tests of storyline label',
  'apt-get install bsdutils',
);

/** Scores at threshold 0.6: a 0.5 (least sure), b 1, c 0, d -1 (surest). */
const ITEMS = [
  { id: 'd', title: 'Coffee prices rise' },
  { id: 'c', title: 'Petro speaks at the UN' },
  { id: 'b', title: 'Petro visa revoked', source: 'Wire', lang: 'en' },
  { id: 'a', title: 'Petro speaks', summary: 'He spoke about his visa.' },
];

async function labelLines(file: string) {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('storyline label', () => {
  let dir: string;
  let storyline: string;
  let items: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'news-monitor-label-'));
    storyline = await writeStoryline(dir, 'petro-visa.json', visaStoryline({ threshold: 0.6 }));
    items = join(dir, 'items.jsonl');
    await writeFile(items, ITEMS.map((i) => JSON.stringify(i)).join('\n'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses in one line when stdin is not a terminal', async () => {
    const result = await runCli([
      'storyline',
      'label',
      storyline,
      '--out',
      join(dir, 'x.jsonl'),
      '--from',
      items,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'news-monitor: storyline label: needs an interactive terminal (stdin is not a TTY); run it in a terminal, or write labels as JSON Lines by hand',
    );
  });

  // Each session starts the CLI and answers several keys; a loaded machine needs time for that.
  describe.runIf(inTerminal)('in a terminal', { timeout: 120_000 }, () => {
    const labels = () => join(dir, 'labels.jsonl');

    it('asks the least sure first, one key per answer, and undo takes the last answer back', async () => {
      const term = runCliInTerminal(['storyline', 'label', storyline, '--out', labels(), '--from', items]);
      let at = await term.waitFor(/4 items to go, least sure first \(0 already in .*labels\.jsonl\)/);
      at = await term.waitFor(
        /\[1\/4\] 0 yes, 0 no, 0 skipped; 0 labels in .*\n {2}Petro speaks\n {2}score 0\.50 \(not kept\): Petro \+1\.0, visa \+0\.5\ny\/n\/s\/u\/q > $/,
        at,
      );
      term.press('y');
      at = await term.waitFor(
        /yes\n\n\[2\/4\] 1 yes, 0 no, 0 skipped; 1 labels in .*\n {2}Petro visa revoked\n {2}Wire · en\n {2}score 1\.00 \(kept\)/,
        at,
      );
      term.press('n');
      at = await term.waitFor(/no\n\n\[3\/4\] 1 yes, 1 no[^\n]*\n {2}Petro speaks at the UN\n/, at);
      expect((await labelLines(labels())).map((l) => [l.id, l.relevant])).toEqual([
        ['a', true],
        ['b', false],
      ]);
      term.press('u');
      at = await term.waitFor(
        /undo: asking again\n\n\[2\/4\] 1 yes, 0 no[^\n]*\n {2}Petro visa revoked\n/,
        at,
      );
      expect((await labelLines(labels())).map((l) => l.id)).toEqual(['a']);
      term.press('s');
      at = await term.waitFor(/skipped\n\n\[3\/4\][^\n]*\n {2}Petro speaks at the UN\n/, at);
      term.press('x');
      at = await term.waitFor(/y yes, n no, s skip, u undo, q quit > $/, at);
      term.press('y');
      at = await term.waitFor(/\[4\/4\] 2 yes, 0 no, 1 skipped[^\n]*\n {2}Coffee prices rise\n/, at);
      term.press('q');
      await term.waitFor(
        /quit\n\nLabelled 2 this session \(2 yes, 0 no\); .*labels\.jsonl holds 2 labels\.\nRun the same command to go on/,
        at,
      );
      expect(await term.exited).toBe(0);
      expect(await labelLines(labels())).toEqual([
        { id: 'a', title: 'Petro speaks', summary: 'He spoke about his visa.', relevant: true },
        { id: 'c', title: 'Petro speaks at the UN', relevant: true },
      ]);
    });

    it('resumes where it stopped: what the file holds is not asked again, answers are appended', async () => {
      const term = runCliInTerminal(['storyline', 'label', storyline, '--out', labels(), '--from', items]);
      let at = await term.waitFor(/2 items to go, least sure first \(2 already in .*\)/);
      at = await term.waitFor(
        /\[1\/2\] 0 yes, 0 no, 0 skipped; 2 labels in [^\n]*\n {2}Petro visa revoked\n[\s\S]*> $/,
        at,
      );
      term.press('n');
      at = await term.waitFor(/Coffee prices rise\n[\s\S]*> $/, at);
      term.press('n');
      await term.waitFor(
        /That was the last item\.\n\nLabelled 2 this session \(0 yes, 2 no\); .* holds 4 labels\./,
        at,
      );
      expect(await term.exited).toBe(0);
      expect((await labelLines(labels())).map((l) => [l.id, l.relevant])).toEqual([
        ['a', true],
        ['c', true],
        ['b', false],
        ['d', false],
      ]);
      expect((await labelLines(labels()))[2]).toEqual({
        id: 'b',
        title: 'Petro visa revoked',
        lang: 'en',
        source: 'Wire',
        relevant: false,
      });
    });

    it('asks about the archive, writing what storyline train reads with the source', async () => {
      const dataDir = await dataDirWithArchive(VISA_ITEMS);
      const out = join(dir, 'from-archive.jsonl');
      const term = runCliInTerminal(['storyline', 'label', storyline, '--out', out, '--data-dir', dataDir]);
      const at = await term.waitFor(/\[1\/4\][\s\S]*> $/);
      term.press('y');
      await term.waitFor(/yes\n/, at);
      term.press('\u0003');
      expect(await term.exited).toBe(0);
      await rm(dataDir, { recursive: true, force: true });
      const [label] = await labelLines(out);
      expect(label).toMatchObject({
        source: 'Wire',
        lang: 'en',
        publishedAt: '2026-01-05T10:00:00.000Z',
        relevant: true,
      });
      expect(VISA_ITEMS.map((i) => i.itemKey)).toContain(label.id);
      expect(label.url).toBe(`https://news.example/${label.id}`);
    });

    it('names the line of a labels file it cannot read, and exits', async () => {
      const bad = join(dir, 'bad.jsonl');
      await writeFile(bad, '{"id":"a","title":"t","relevant":true}\nnot json\n');
      const term = runCliInTerminal(['storyline', 'label', storyline, '--out', bad, '--from', items]);
      expect(await term.exited).toBe(2);
      expect(term.screen().trim()).toBe(
        `news-monitor: ${bad} line 2 is not JSON; give one JSON object per line`,
      );
    });
  });
});
