import { describe, expect, it } from 'vitest';
import { priorDecision } from '#shared/storyline/decision-model.ts';
import { type Label, parseLabels } from '#shared/storyline/labels-file.ts';
import { fitLogistic } from '#shared/storyline/logistic-regression.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { type Storyline, storylineSchema } from '#shared/storyline/storyline-schema.ts';
import { assignFolds, chooseThreshold, trainDecision } from '#shared/storyline/train-decision.ts';

describe('fitLogistic', () => {
  it('learns a separable toy set and separates it', () => {
    // Feature 0 marks the positives, feature 1 the negatives, feature 2 is noise on both.
    const examples = Array.from({ length: 40 }, (_, i) => ({
      indices: [i % 2 === 0 ? 0 : 1, 2],
      values: [1, (i % 5) / 5],
      label: i % 2 === 0,
    }));
    const model = fitLogistic(examples, {
      featureCount: 3,
      priorMean: new Float64Array(3),
      lambda: new Float64Array(3).fill(0.1),
      biasPrior: 0,
    });
    for (const e of examples) {
      let score = model.bias;
      e.indices.forEach((j, k) => {
        score += (model.weights[j] as number) * (e.values[k] as number);
      });
      expect(score > 0).toBe(e.label);
    }
    expect(model.weights[0]).toBeGreaterThan(2);
    expect(model.weights[1]).toBeLessThan(-2);
  });

  it('stays at the prior for a feature no example has, and is pulled towards it by lambda', () => {
    const examples = [{ indices: [0], values: [1], label: true }];
    const prior = Float64Array.from([0, 3]);
    const model = fitLogistic(examples, {
      featureCount: 2,
      priorMean: prior,
      lambda: new Float64Array(2).fill(1),
      biasPrior: 0,
    });
    expect(model.weights[1]).toBe(3);
  });
});

const storyline: Storyline = storylineSchema.parse({
  id: 'harbour',
  title: 'Harbour strike',
  description: 'Dock workers strike at the port.',
  actors: [
    {
      id: 'union',
      name: 'Dock union',
      kind: 'organisation',
      group: 'workers',
      aliases: { en: ['dock union', 'dockers'] },
    },
    { id: 'port', name: 'Port', kind: 'place', group: 'port', aliases: { en: ['port'] } },
  ],
  themes: [{ id: 'strike', label: 'Strike', phrases: { en: ['strike', 'walkout'] } }],
});

/** Headlines where the vocabulary alone misleads: "strike" at a port in a storm is not the story. */
function labels(): Label[] {
  const outlets = ['a.example', 'b.example', 'c.example', 'd.example', 'e.example', 'f.example'];
  const rows: Label[] = [];
  for (let i = 0; i < 36; i++) {
    const source = outlets[i % outlets.length] as string;
    rows.push({
      id: `p${i}`,
      source,
      title: `Dockers strike at the port over automation, day ${i}`,
      relevant: true,
    });
    rows.push({
      id: `q${i}`,
      source,
      title: `Lightning strike hits the port as storm rolls in, report ${i}`,
      relevant: false,
    });
    if (i % 3 === 0)
      rows.push({ id: `r${i}`, source, title: `Port traffic storm delays, update ${i}`, relevant: false });
  }
  return rows;
}

describe('trainDecision', () => {
  it('learns cue words that separate what the vocabulary cannot, and reports cross-validated figures', () => {
    const untrained = new StorylineMatcher(storyline);
    expect(untrained.match({ title: 'Lightning strike hits the port as storm rolls in' }).relevant).toBe(
      true,
    );

    const { decision, report } = trainDecision(storyline, labels());
    const trained = new StorylineMatcher({ ...storyline, decision });
    const storm = trained.match({ title: 'Lightning strike hits the port as storm rolls in' });
    expect(storm.relevant).toBe(false);
    // The labels carry no language, so the cues are filed under "other".
    const negative = Object.entries(decision.cues.other ?? {}).filter(([, weight]) => weight < 0);
    expect(negative.map(([cue]) => cue)).toEqual(expect.arrayContaining(['storm', 'lightning']));
    expect(trained.match({ title: 'Dockers strike at the port over automation' }).relevant).toBe(true);
    expect(report).toMatchObject({ examples: 84, relevant: 36, folds: 5, groupedBy: 'source' });
    expect(report.crossValidated.f1).toBeGreaterThanOrEqual(0.95);
    expect(report.crossValidated.cost).toBeLessThanOrEqual(0.15);
  });

  it('gives the same decision for the same labels, whatever their order', () => {
    const rows = labels();
    const first = trainDecision(storyline, rows).decision;
    const again = trainDecision(storyline, rows).decision;
    const reversed = trainDecision(storyline, [...rows].reverse()).decision;
    expect(again).toEqual(first);
    expect(reversed.weights).toEqual(first.weights);
    expect(reversed.cues).toEqual(first.cues);
  });

  it('keeps what the starting decision knew where a few labels say nothing, cues included', () => {
    // A hand-written (or drafted) decision: the union alone finds the story, "automation" helps.
    const start = {
      ...priorDecision(storyline),
      weights: { ...priorDecision(storyline).weights, 'actor:union': 3 },
      cues: { en: { automation: 1.5 } },
    };
    // Twelve labels about the port alone: none names the union or automation.
    const rows = labels()
      .filter((l) => !/dockers|automation/i.test(l.title))
      .slice(0, 8);
    rows.push(
      ...['a', 'b', 'c', 'd'].map((x) => ({
        id: `s${x}`,
        source: `${x}.example`,
        title: `Port strike halts the cranes, ${x}`,
        relevant: true,
      })),
    );
    const { decision } = trainDecision({ ...storyline, decision: start }, rows);
    expect(decision.weights['actor:union']).toBe(3);
    expect(decision.cues.en?.automation).toBe(1.5);
    const trained = new StorylineMatcher({ ...storyline, decision });
    expect(trained.match({ title: 'Dock union meets the ministry' }).relevant).toBe(true);

    // A decision already fitted to labels is no starting point: training goes back to the prior.
    const refitted = trainDecision({ ...storyline, decision: { ...start, trained: { examples: 12 } } }, rows);
    expect(refitted.decision.weights['actor:union']).toBe(priorDecision(storyline).weights['actor:union']);
    expect(refitted.decision.cues.en?.automation).toBeUndefined();
  });

  it('refuses labels with too few of either answer', () => {
    const few = labels().filter((l) => l.relevant || l.id === 'q0');
    expect(() => trainDecision(storyline, few)).toThrow(/at least 4 relevant and 4 not relevant/);
  });
});

describe('assignFolds', () => {
  it('keeps every source in one fold and balances the folds', () => {
    const groups = ['a', 'a', 'a', 'b', 'b', 'c', 'd', 'd', 'e', 'f'];
    const folds = assignFolds(groups, 3);
    for (const g of new Set(groups)) {
      expect(new Set(folds.filter((_, i) => groups[i] === g)).size).toBe(1);
    }
    const sizes = [0, 1, 2].map((f) => folds.filter((x) => x === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });
});

describe('chooseThreshold', () => {
  it('picks the threshold of lowest detection cost, between two scores', () => {
    const { threshold, cost } = chooseThreshold([3, 2, 1, -1, -2], [true, true, false, false, false]);
    expect(cost).toBe(0);
    expect(threshold).toBe(1.5);
  });
});

describe('parseLabels', () => {
  it('names the line of a bad label', () => {
    const text = '{"id":"1","title":"a","relevant":true}\n\n{"id":"2","title":"b","relevant":"yes"}\n';
    expect(() => parseLabels(text, 'labels.jsonl')).toThrow(
      'labels.jsonl line 3: relevant: must be true or false',
    );
    expect(() => parseLabels('{"id":"1"\n', 'labels.jsonl')).toThrow(
      'labels.jsonl line 1 is not JSON; give one JSON object per line',
    );
  });

  it('reads the corpus field "date" as publishedAt', () => {
    const [label] = parseLabels('{"id":"1","title":"a","relevant":false,"date":"2025-01-26"}', 'x');
    expect(label).toMatchObject({ publishedAt: '2025-01-26' });
  });
});
