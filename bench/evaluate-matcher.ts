import { type Label, readLabelsFile } from '#shared/storyline/labels-file.ts';
import { loadStorylineFile } from '#shared/storyline/load-storylines.ts';
import { type Evaluation, evaluateMatcher } from '#shared/storyline/match-evaluation.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { trainDecision } from '#shared/storyline/train-decision.ts';

/**
 * npm run eval [-- --corpus DIR] [--part test|dev] [--storyline FILE] [--set FILE] [--verbose] [--json]
 *
 * On a corpus split into train.jsonl / dev.jsonl / test.jsonl (default: the real headlines of the
 * seed story): the storyline's decision on the held-out part (test unless --part dev), and the
 * cross-validated figures of training on the train part, each beside a plain keyword query of
 * the kind people type into alert services. `--set FILE` scores one labelled file instead.
 * `--verbose` lists misses and false alarms; use it on train or dev, never to tune on test.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const corpus = option('--corpus', 'test/fixtures/real-headlines/us-colombia');
const part = option('--part', 'test');
const storylineFile = option('--storyline', 'seeds/storylines/us-colombia-counternarcotics.json');
const setFile = args.includes('--set') ? option('--set', '') : undefined;

const storyline = await loadStorylineFile(storylineFile);
const matcher = new StorylineMatcher(storyline);
const heldOutFile = setFile ?? `${corpus}/${part}.jsonl`;
const heldOut = await readLabelsFile(heldOutFile);
const model = evaluateMatcher(heldOut, (item) => matcher.match(item));
const titlesOnly = evaluateMatcher(
  heldOut.map((l) => ({ ...l, publishedAt: undefined })),
  (item) => matcher.match(item),
);
const baseline = evaluateMatcher(heldOut, keywordQuery);

let crossValidated:
  | { examples: number; precision: number; recall: number; f1: number; cost: number }
  | undefined;
let baselineOnTrain: Evaluation | undefined;
if (!setFile) {
  const train = await readLabelsFile(`${corpus}/train.jsonl`);
  const { report } = trainDecision(storyline, train);
  crossValidated = { examples: report.examples, ...report.crossValidated };
  baselineOnTrain = evaluateMatcher(train, keywordQuery);
}

/**
 * What a careful person types into an alert service for this story:
 * (Petro OR Colombia OR Colombian OR Venezuela OR Maduro OR Caribbean OR Pacific) AND
 * (Trump OR US OR Washington OR Hegseth OR Rubio OR strike OR strikes OR boat OR boats OR drug OR drugs), with the
 * Spanish and Portuguese forms. Kept fixed, so the comparison means the same every time.
 */
function keywordQuery(item: Pick<Label, 'title'> & { summary?: string | undefined }) {
  const text = ` ${`${item.title} ${item.summary ?? ''}`.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()} `;
  const any = (words: string[]) => words.some((w) => new RegExp(`[^\\p{L}]${w}[^\\p{L}]`, 'u').test(text));
  const where = [
    'petro',
    'colombia',
    'colombian',
    'colombiano',
    'colombiana',
    'venezuela',
    'maduro',
    'caribbean',
    'caribe',
    'pacific',
    'pacifico',
  ];
  const what = [
    'trump',
    'us',
    'u\\.s\\.',
    'eeuu',
    'ee\\. ?uu\\.',
    'eua',
    'estados unidos',
    'washington',
    'hegseth',
    'rubio',
    'strike',
    'strikes',
    'boat',
    'boats',
    'lancha',
    'lanchas',
    'barco',
    'barcos',
    'drug',
    'drugs',
    'droga',
    'drogas',
    'ataque',
    'ataques',
  ];
  return { relevant: any(where) && any(what) };
}

const round = (n: number) => Number(n.toFixed(3));
const figures = (e: Evaluation) => ({
  items: e.items,
  relevant: e.relevant,
  precision: round(e.precision),
  recall: round(e.recall),
  f1: round(e.f1),
  cost: round(e.detectionCost),
});
const summary = {
  storyline: storylineFile,
  heldOut: {
    file: heldOutFile,
    ...figures(model),
    titlesOnly: figures(titlesOnly),
    keywordQuery: figures(baseline),
  },
  ...(crossValidated && baselineOnTrain
    ? { train: { crossValidated, keywordQuery: figures(baselineOnTrain) } }
    : {}),
};
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  const line = (label: string, f: ReturnType<typeof figures> | typeof crossValidated) =>
    f
      ? `  ${label.padEnd(34)} precision ${f.precision.toFixed(3)}  recall ${f.recall.toFixed(3)}  F1 ${f.f1.toFixed(3)}  cost ${f.cost.toFixed(3)}\n`
      : '';
  process.stdout.write(
    `${heldOutFile}: ${model.items} headlines (${model.relevant} relevant)\n` +
      line('the storyline (titles and dates)', figures(model)) +
      line('the storyline (titles only)', figures(titlesOnly)) +
      line('keyword query', figures(baseline)) +
      (crossValidated && baselineOnTrain
        ? `${corpus}/train.jsonl: ${crossValidated.examples} headlines, 5-fold cross-validation grouped by source\n` +
          line('storyline train (held-out folds)', crossValidated) +
          line('keyword query', figures(baselineOnTrain))
        : '') +
      'cost is the TDT detection cost P_miss + 4.9 * P_fa\n',
  );
}
if (args.includes('--verbose')) {
  for (const m of titlesOnly.misses)
    process.stderr.write(`MISS   ${m.id}  ${m.title}  [${'why' in m.result ? m.result.why : ''}]\n`);
  for (const f of titlesOnly.falseAlarms)
    process.stderr.write(`FALSE  ${f.id}  ${f.title}  [${'why' in f.result ? f.result.why : ''}]\n`);
}
