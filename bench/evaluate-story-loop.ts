import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { draftStoryline } from '#shared/storyline/draft-storyline.ts';
import { readLabelsFile } from '#shared/storyline/labels-file.ts';
import { type Evaluation, evaluateMatcher } from '#shared/storyline/match-evaluation.ts';
import { foldDiacritics } from '#shared/storyline/normalise-text.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { trainDecision } from '#shared/storyline/train-decision.ts';
import { readArticle } from '../bin/article-text.ts';

/**
 * npm run eval:loop [-- --story DIR] [--labels N] [--articles-in LANG] [--json] [--tuning]
 *
 * The "new story" loop as a newcomer runs it, on a story the project never followed: `storyline
 * draft` from the story's articles (DIR/articles/), `storyline train` on N labelled real headlines
 * (the first N of DIR/train.jsonl, default 100), then matching the held-out DIR/test.jsonl. Prints
 * the draft alone, the trained storyline and the hand-typed alert query (DIR/keyword-query.txt)
 * on the same held-out headlines. `--tuning` prints only what may be tuned on: the draft on the
 * training labels and the trained storyline's cross-validated figures; the held-out part is not read.
 * `--articles-in en` drafts from the English article alone, as a user whose articles are all in
 * one language would (the stories keep one article per language, named NN-LANG-...).
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const dir = option('--story', 'test/fixtures/real-headlines/suez-ever-given');
const labelCount = Number(option('--labels', '100'));

const articlesIn = option('--articles-in', '');
const articleFiles = (await readdir(join(dir, 'articles')))
  .sort()
  .filter((f) => articlesIn === '' || f.includes(`-${articlesIn}-`))
  .map((f) => join(dir, 'articles', f));
const articles = await Promise.all(articleFiles.map((f) => readArticle(f)));
const draft = draftStoryline(articles, { id: 'new-story', title: 'New story' });
const labels = (await readLabelsFile(join(dir, 'train.jsonl'))).slice(0, labelCount);
if (args.includes('--tuning')) {
  const onTrain = evaluateMatcher(labels, (item) => new StorylineMatcher(draft).match(item));
  const { report } = trainDecision(draft, labels);
  const cv = report.crossValidated;
  process.stdout.write(
    `${dir} (tuning view: ${labels.length} training labels, the held-out part unread)\n` +
      `  draft on the training labels   F1 ${onTrain.f1.toFixed(3)}  cost ${onTrain.detectionCost.toFixed(3)}\n` +
      `  trained, cross-validated       F1 ${cv.f1.toFixed(3)}  cost ${cv.cost.toFixed(3)}\n`,
  );
  process.exit(0);
}
const heldOut = await readLabelsFile(join(dir, 'test.jsonl'));

const started = performance.now();
const { decision, report } = trainDecision(draft, labels);
const trainSeconds = (performance.now() - started) / 1000;
const trained = { ...draft, decision };

const draftMatcher = new StorylineMatcher(draft);
const trainedMatcher = new StorylineMatcher(trained);
const query = parseAlertQuery(await readFile(join(dir, 'keyword-query.txt'), 'utf8'));
const results = {
  draft: evaluateMatcher(heldOut, (item) => draftMatcher.match(item)),
  trained: evaluateMatcher(heldOut, (item) => trainedMatcher.match(item)),
  keywordQuery: evaluateMatcher(heldOut, (item) => ({ relevant: query(item.title) })),
};

const round = (n: number) => Number(n.toFixed(3));
const figures = (e: Evaluation) => ({
  precision: round(e.precision),
  recall: round(e.recall),
  f1: round(e.f1),
  cost: round(e.detectionCost),
});
const summary = {
  story: dir,
  draft: { actors: draft.actors.length, themes: draft.themes.length },
  labels: report.examples,
  trainSeconds: round(trainSeconds),
  heldOut: { items: results.draft.items, relevant: results.draft.relevant },
  ...Object.fromEntries(Object.entries(results).map(([k, e]) => [k, figures(e)])),
};
if (args.includes('--json')) process.stdout.write(`${JSON.stringify(summary)}\n`);
else {
  process.stdout.write(
    `${dir}: draft from ${articles.length} articles (${draft.actors.length} actors, ${draft.themes.length} themes), ` +
      `trained on ${report.examples} labels in ${trainSeconds.toFixed(1)} s, measured on ${results.draft.items} held-out headlines (${results.draft.relevant} relevant)\n`,
  );
  for (const [name, e] of Object.entries(results)) {
    const f = figures(e);
    process.stdout.write(
      `  ${name.padEnd(14)} precision ${f.precision.toFixed(3)}  recall ${f.recall.toFixed(3)}  F1 ${f.f1.toFixed(3)}  cost ${f.cost.toFixed(3)}\n`,
    );
  }
  process.stdout.write('cost is the TDT detection cost P_miss + 4.9 * P_fa\n');
}

/**
 * An alert-service query as people write them: one line per group of alternatives (`a OR "b c"`),
 * every group must match, and a `NOT:` line lists terms that rule a headline out. Terms match
 * whole words, ignoring case and accents.
 */
function parseAlertQuery(text: string): (title: string) => boolean {
  const terms = (line: string) =>
    line
      .split(/\s+OR\s+/)
      .map((t) => fold(t.replace(/"/g, '').trim()))
      .filter(Boolean);
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const excluded = lines.filter((l) => l.startsWith('NOT:')).flatMap((l) => terms(l.slice(4)));
  const groups = lines.filter((l) => !l.startsWith('NOT:')).map(terms);
  return (title: string) => {
    const folded = ` ${fold(title)} `;
    const has = (term: string) => folded.includes(` ${term} `);
    return groups.every((group) => group.some(has)) && !excluded.some(has);
  };
}

function fold(text: string): string {
  return foldDiacritics(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
