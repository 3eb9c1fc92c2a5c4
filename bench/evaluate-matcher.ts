import { readFile } from 'node:fs/promises';
import { loadStorylineFile } from '#shared/storyline/load-storylines.ts';
import { evaluateMatcher, type LabelledItem } from '#shared/storyline/match-evaluation.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

/**
 * npm run eval [-- --set FILE] [--storyline FILE] [--verbose] [--json]
 * Scores the matcher on a labelled set (JSON Lines of {"id", "title", "summary"?, "relevant"}),
 * next to the kind of keyword query people type into alert services, for comparison.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const setFile = option('--set', 'test/fixtures/matching/dev-set.jsonl');
const storylineFile = option('--storyline', 'seeds/storylines/us-colombia-counternarcotics.json');

const items: LabelledItem[] = (await readFile(setFile, 'utf8'))
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l));
const matcher = new StorylineMatcher(await loadStorylineFile(storylineFile));
const result = evaluateMatcher(items, (item) => matcher.match(item));
const baseline = evaluateMatcher(items, keywordQuery);

/** (Petro OR Colombia OR Venezuela OR Maduro) AND (Trump OR US OR Washington OR strike OR boat) */
function keywordQuery(item: { title: string; summary?: string | undefined }) {
  const text = `${item.title} ${item.summary ?? ''}`;
  const any = (words: string[]) => words.some((w) => new RegExp(`\\b${w}\\b`, 'i').test(text));
  const relevant =
    any(['Petro', 'Colombia', 'Venezuela', 'Maduro']) && any(['Trump', 'US', 'Washington', 'strike', 'boat']);
  return { relevant, score: 0, actors: [], themes: [], vetoes: [] };
}

const round = (n: number) => Number(n.toFixed(4));
const summary = {
  set: setFile,
  items: result.items,
  relevant: result.relevant,
  precision: round(result.precision),
  recall: round(result.recall),
  f1: round(result.f1),
  pMiss: round(result.pMiss),
  pFalseAlarm: round(result.pFalseAlarm),
  detectionCost: round(result.detectionCost),
  keywordQuery: {
    precision: round(baseline.precision),
    recall: round(baseline.recall),
    f1: round(baseline.f1),
  },
};
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  process.stdout.write(
    `${result.items} headlines (${result.relevant} relevant) from ${setFile}\n` +
      `precision ${summary.precision}  recall ${summary.recall}  F1 ${summary.f1}\n` +
      `P_miss ${summary.pMiss}  P_fa ${summary.pFalseAlarm}  detection cost (P_miss + 4.9 P_fa) ${summary.detectionCost}\n` +
      `(keyword query for comparison: precision ${summary.keywordQuery.precision}  recall ${summary.keywordQuery.recall}  F1 ${summary.keywordQuery.f1})\n`,
  );
}
if (args.includes('--verbose')) {
  const explain = (r: { result: { score: number; actors: string[]; themes: string[] } }) =>
    `score ${r.result.score} [${[...r.result.actors, ...r.result.themes].join(', ')}]`;
  for (const m of result.misses) process.stderr.write(`MISS   ${m.id}  ${m.title}  ${explain(m)}\n`);
  for (const f of result.falseAlarms) process.stderr.write(`FALSE  ${f.id}  ${f.title}  ${explain(f)}\n`);
}
