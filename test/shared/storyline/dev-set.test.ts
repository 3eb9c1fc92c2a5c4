import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { readLabelsFile } from '#shared/storyline/labels-file.ts';
import { loadStorylineFile } from '#shared/storyline/load-storylines.ts';
import { evaluateMatcher, type LabelledItem } from '#shared/storyline/match-evaluation.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

async function labelled(file: string): Promise<LabelledItem[]> {
  const text = await readFile(`test/fixtures/matching/${file}`, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
}

describe('the seed storyline on labelled headlines', () => {
  let matcher: StorylineMatcher;
  beforeAll(async () => {
    matcher = new StorylineMatcher(
      await loadStorylineFile('seeds/storylines/us-colombia-counternarcotics.json'),
    );
  });

  it('the development set is large and mixed enough to mean something', async () => {
    const items = await labelled('dev-set.jsonl');
    expect(items.length).toBeGreaterThanOrEqual(300);
    for (const lang of ['en', 'es', 'pt']) {
      expect(items.filter((i) => i.lang === lang && i.relevant).length).toBeGreaterThanOrEqual(10);
      expect(items.filter((i) => i.lang === lang && !i.relevant).length).toBeGreaterThanOrEqual(10);
    }
  });

  // The written sets are unit-test fixtures, not evidence of quality: they were written to a looser
  // idea of the story than docs/labelling.md (a Venezuela build-up with no drug framing counted),
  // and the seed is now fitted to the guide. What must hold is that it raises no false alarms there.
  it.each(['dev-set.jsonl', 'holdout-set.jsonl', 'second-holdout-set.jsonl'])(
    'keeps precision at 0.95 or more on the written %s',
    async (file) => {
      const result = evaluateMatcher(await labelled(file), (item) => matcher.match(item));
      const report = result.falseAlarms.map((i) => `FALSE ${i.title}  [${i.result.why}]`);
      expect(result.precision, report.join('\n')).toBeGreaterThanOrEqual(0.95);
    },
  );

  it("stays at or above its measured floor on the real corpus's development part", async () => {
    // A regression floor (measured: precision 0.947, F1 0.917); `npm run eval` reports the test part.
    const items = await readLabelsFile('test/fixtures/real-headlines/us-colombia/dev.jsonl');
    const result = evaluateMatcher(items, (item) => matcher.match(item));
    expect(result.precision).toBeGreaterThanOrEqual(0.9);
    expect(result.f1).toBeGreaterThanOrEqual(0.9);
  });
});

describe('evaluateMatcher', () => {
  it('computes precision, recall, F1 and the TDT detection cost', () => {
    const items: LabelledItem[] = [
      { id: '1', title: 'a', relevant: true },
      { id: '2', title: 'b', relevant: true },
      { id: '3', title: 'c', relevant: false },
      { id: '4', title: 'd', relevant: false },
    ];
    const says = new Map([
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
    ]);
    const result = evaluateMatcher(items, (item) => ({
      relevant: says.get(item.title) ?? false,
      score: 0,
      actors: [],
      themes: [],
      vetoes: [],
    }));
    expect(result).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5, pMiss: 0.5, pFalseAlarm: 0.5 });
    expect(result.detectionCost).toBeCloseTo(0.5 + 4.9 * 0.5);
  });
});
