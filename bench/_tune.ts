import { readLabelsFile } from '#shared/storyline/labels-file.ts';
import { loadStorylineFile } from '#shared/storyline/load-storylines.ts';
import { evaluateMatcher } from '#shared/storyline/match-evaluation.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { trainDecision } from '#shared/storyline/train-decision.ts';

const dir = 'test/fixtures/real-headlines/us-colombia';
const s = await loadStorylineFile(process.argv[2] ?? 'seeds/storylines/us-colombia-counternarcotics.json');
const train = await readLabelsFile(`${dir}/train.jsonl`);
const dev = await readLabelsFile(`${dir}/dev.jsonl`);
const t0 = Date.now();
const { decision, report } = trainDecision(
  { ...s, decision: undefined },
  train,
  JSON.parse(process.env.OPTS ?? '{}'),
);
const { heldOut: _h, ...brief } = report;
console.log(Date.now() - t0, 'ms', JSON.stringify(brief));
const m = new StorylineMatcher({ ...s, decision });
const f = (e: any) =>
  `P ${e.precision.toFixed(3)} R ${e.recall.toFixed(3)} F1 ${e.f1.toFixed(3)} cost ${e.detectionCost.toFixed(3)}`;
const e = evaluateMatcher(dev, (i) => m.match(i));
console.log('dev (dates)', f(e));
const e2 = evaluateMatcher(
  dev.map((d) => ({ ...d, publishedAt: undefined })),
  (i) => m.match(i),
);
console.log('dev (titles only)', f(e2));
const p = new StorylineMatcher({ ...s, decision: undefined });
console.log('prior dev', f(evaluateMatcher(dev, (i) => p.match(i))));
if (process.argv.includes('-v')) {
  for (const x of e2.misses) console.log('MISS ', x.title, '|', x.result.score, x.result.why);
  for (const x of e2.falseAlarms) console.log('FALSE', x.title, '|', x.result.score, x.result.why);
}
if (process.argv.includes('-d'))
  console.log(JSON.stringify(decision.cues), decision.bias, decision.threshold);
if (process.argv.includes('-t')) {
  report.heldOut.forEach((h, i) => {
    const l = train[i]!;
    if (h.relevant !== l.relevant)
      console.log(
        l.relevant ? 'CVMISS ' : 'CVFALSE',
        l.title,
        '|',
        h.score,
        '>=',
        h.threshold,
        l.publishedAt ?? '',
        new StorylineMatcher({ ...s, decision }).match(l).why,
      );
  });
}
