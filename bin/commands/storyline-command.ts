import { readFile, writeFile } from 'node:fs/promises';
import { draftStoryline } from '#shared/storyline/draft-storyline.ts';
import { type Label, readLabelsFile } from '#shared/storyline/labels-file.ts';
import { validateStorylineText } from '#shared/storyline/load-storylines.ts';
import { type TrainReport, trainDecision } from '#shared/storyline/train-decision.ts';
import { readArticle } from '../article-text.ts';
import { CliOutput, COMMON_OPTIONS, type Command, parseCommandArgs, UsageError } from '../cli-io.ts';
import { STORYLINE_LABEL_USAGE, storylineLabel } from './storyline-label.ts';
import { STORYLINE_TEST_USAGE, storylineTest } from './storyline-test.ts';

export const storylineCommand: Command = {
  name: 'storyline',
  summary: 'check, draft, backtest, label for and train a storyline',
  usage: `news-monitor storyline validate FILE [--json]
news-monitor storyline draft FILE|URL... --id ID [--title TITLE] [--out FILE]
news-monitor storyline train FILE --labels LABELS --out FILE [--json]
news-monitor storyline test FILE [--days N] [--data-dir DIR | --table NAME] [--json]
news-monitor storyline label FILE --out LABELS [--data-dir DIR | --table NAME | --from JSONL]

validate: checks a storyline file and reports every problem with its path in the file,
e.g. actors[2].aliases.es[0]: must not be empty.
With --json: {"ok", "errors": [...]}. Exits 1 when the file is invalid.

draft: reads articles you already have (text or HTML files, or web pages) and writes a first
storyline: the names they repeat as actors (with accent-free spellings and surnames as aliases),
the words and word pairs they repeat as themes, and a starting decision (a prior from those
weights: no labels yet). Edit it, validate it, then test, label and train it.
  --id ID          the storyline id: lower-case words joined by hyphens
  --title TITLE    a title (default: the id)
  --out FILE       write it there (default: stdout)

train: fits the storyline's decision (the weights of what fired, learned cue words and the
threshold) to labelled headlines, deterministically, and writes the storyline with it. LABELS is
JSON Lines: {"id", "title", "summary"?, "lang"?, "publishedAt"?, "source"?, "url"?, "relevant"}.
Prints precision, recall, F1 and the detection cost P_miss + 4.9 P_fa, cross-validated over 5
folds grouped by source (the "source" field or the url's host) when the labels carry one.
With --json: {"examples", "crossValidated": {"precision", "recall", "f1", "cost"}, ...}.
  --labels LABELS  the labelled headlines
  --out FILE       where to write the trained storyline (may be FILE itself)

${STORYLINE_TEST_USAGE.split('\n').slice(2).join('\n')}

${STORYLINE_LABEL_USAGE.split('\n').slice(2).join('\n')}`,
  async run({ argv, stdin, stdout, stderr, stopSignal }) {
    // test and label read the archive and take options of their own.
    if (argv[0] === 'test') return storylineTest(argv.slice(1), stdout, stderr);
    if (argv[0] === 'label') return storylineLabel(argv.slice(1), { stdin, stdout, stderr, stopSignal });
    const { values, positionals } = parseCommandArgs(
      'storyline',
      argv,
      {
        ...COMMON_OPTIONS,
        id: { type: 'string' },
        title: { type: 'string' },
        out: { type: 'string' },
        labels: { type: 'string' },
      },
      true,
    );
    const [action, file, ...extra] = positionals;
    if (action === 'draft') return draft(positionals.slice(1), values, stdout, stderr);
    if (action === 'train') return train(positionals.slice(1), values, stdout, stderr);
    if (action !== 'validate') {
      throw new UsageError(
        `storyline: unknown action "${action ?? ''}"; use validate, draft, train, test or label (see "news-monitor storyline --help")`,
      );
    }
    if (!file || extra.length > 0) throw new UsageError('storyline validate: give exactly one FILE');
    const out = new CliOutput(values.json, stdout, stderr);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new UsageError(`storyline validate: ${file} cannot be read; check the path`);
    }
    const result = validateStorylineText(text);
    const errors = result.ok ? [] : result.errors;
    out.record({ ok: result.ok, errors });
    if (result.ok) out.say(`${file}: valid storyline "${result.storyline.id}"`);
    else for (const error of errors) out.say(`${file}: ${error}`);
    return result.ok ? 0 : 1;
  },
};

async function draft(
  sources: string[],
  values: { id?: string | undefined; title?: string | undefined; out?: string | undefined; json: boolean },
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  if (sources.length === 0) throw new UsageError('storyline draft: give at least one article FILE or URL');
  const id = values.id ?? '';
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) {
    throw new UsageError(
      'storyline draft: --id must be lower-case words joined by hyphens, e.g. --id my-story',
    );
  }
  const out = new CliOutput(values.json, stdout, stderr);
  const texts = await Promise.all(sources.map((s) => readArticle(s)));
  const storyline = draftStoryline(texts, { id, title: values.title ?? id });
  const json = `${JSON.stringify(storyline, null, 2)}\n`;
  if (values.out) {
    await writeFile(values.out, json);
    out.note(
      `Wrote ${values.out}: ${storyline.actors.length} actors, ${storyline.themes.length} themes. Edit it, then run "news-monitor storyline validate ${values.out}".`,
    );
  } else stdout.write(json);
  return 0;
}

async function train(
  files: string[],
  values: { labels?: string | undefined; out?: string | undefined; json: boolean },
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const [file, ...extra] = files;
  if (!file || extra.length > 0) throw new UsageError('storyline train: give exactly one storyline FILE');
  if (!values.labels)
    throw new UsageError('storyline train: --labels LABELS is required (JSON Lines of labelled headlines)');
  if (!values.out)
    throw new UsageError('storyline train: --out FILE is required (it may be the storyline file itself)');
  const out = new CliOutput(values.json, stdout, stderr);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(`storyline train: ${file} cannot be read; check the path`);
  }
  const checked = validateStorylineText(text);
  if (!checked.ok) {
    throw new UsageError(
      `storyline train: ${file} is invalid: ${checked.errors[0]}; run "storyline validate ${file}" for all`,
    );
  }
  const labels = await readLabelsFile(values.labels);
  const { decision, report } = trainDecision(checked.storyline, labels);
  // The file as written, with only its decision replaced: the user's layout of the rest stays.
  const document = JSON.parse(text) as Record<string, unknown>;
  document.decision = decision;
  await writeFile(values.out, `${JSON.stringify(document, null, 2)}\n`);
  out.record({
    examples: report.examples,
    relevant: report.relevant,
    crossValidated: report.crossValidated,
    folds: report.folds,
    groupedBy: report.groupedBy,
    cues: report.cues,
  });
  const cv = report.crossValidated;
  out.say(
    `Trained on ${report.examples} labels (${report.relevant} relevant), ${report.cues} cue words. Cross-validated over ${report.folds} folds grouped by ${report.groupedBy}: precision ${cv.precision.toFixed(3)}, recall ${cv.recall.toFixed(3)}, F1 ${cv.f1.toFixed(3)}, cost ${cv.cost.toFixed(3)}. Wrote ${values.out}.`,
  );
  for (const line of crossValidationErrors(labels, report.heldOut)) out.say(line);
  return 0;
}

/** Misses and false alarms listed of each, nearest the threshold first. */
const ERRORS_SHOWN = 3;

/**
 * What cross-validation decided wrong: how many relevant labels a held-out fold missed and how
 * many it kept wrongly, with the nearest to the threshold of each, the ones to look at next.
 */
export function crossValidationErrors(labels: readonly Label[], heldOut: TrainReport['heldOut']): string[] {
  const wrong = labels
    .map((label, i) => ({ label, held: heldOut[i] }))
    .filter(({ label, held }) => held !== undefined && held.relevant !== label.relevant);
  if (wrong.length === 0) return [];
  const misses = wrong.filter(({ label }) => label.relevant);
  const alarms = wrong.filter(({ label }) => !label.relevant);
  const lines: string[] = [];
  const show = (list: typeof wrong, what: string) => {
    if (list.length === 0) return;
    lines.push(`In cross-validation it ${what}; the nearest:`);
    // Closest to the threshold first: those a word or a label more would turn.
    const nearest = [...list].sort(
      (a, b) =>
        Math.abs((a.held?.score ?? 0) - (a.held?.threshold ?? 0)) -
        Math.abs((b.held?.score ?? 0) - (b.held?.threshold ?? 0)),
    );
    for (const { label, held } of nearest.slice(0, ERRORS_SHOWN))
      lines.push(`  ${held?.score.toFixed(2)} (threshold ${held?.threshold.toFixed(2)})  ${label.title}`);
  };
  const relevant = labels.filter((l) => l.relevant).length;
  show(misses, `missed ${misses.length} of ${relevant} relevant labels`);
  show(alarms, `kept ${alarms.length} of ${labels.length - relevant} labels marked not relevant`);
  if (misses.length > 0)
    lines.push(
      'A miss usually names the story in words the storyline lacks: add them as aliases or themes, or label more like it, and train again.',
    );
  return lines;
}
