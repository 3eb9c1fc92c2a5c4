import { DEFAULT_RETENTION } from '#shared/store/dynamo-store.ts';
import type { ArchivedItem } from '#shared/store/records.ts';
import {
  backtestStoryline,
  type ChangedItem,
  type JudgedItem,
} from '#shared/storyline/backtest-storyline.ts';
import { type MatchResult, StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import { readArchive } from '../archive-source.ts';
import { CliOutput, COMMON_OPTIONS, parseCommandArgs, parsePositiveInt, UsageError } from '../cli-io.ts';
import { DEFAULT_DATA_DIR } from '../local-runtime.ts';
import { liveStoryline, resolveStorylineReference } from '../storyline-reference.ts';

export const STORYLINE_TEST_USAGE = `news-monitor storyline test FILE [--days N] [--data-dir DIR | --table NAME] [--limit N] [--json]

test: runs a storyline over the archive of every item the monitor saw (matched or not) and shows
what it would have kept, and what it gains and loses against the live version of that storyline
(the one with the same id in seeds/storylines/, which is also what is deployed), each with its
score and the contributions that decided it.
  --days N         how far back to look (default ${DEFAULT_RETENTION.archiveDays}, the archive's length)
  --data-dir DIR   the local archive (default ${DEFAULT_DATA_DIR}; the demo's is .data/demo)
  --table NAME     the deployed table instead (the TableName output of cdk deploy); credentials and
                   region come from the usual AWS settings (AWS_PROFILE, AWS_REGION, ...)
  --limit N        items listed per section (default 15; 0 lists all)
With --json: {"seen", "kept", "gained", "lost"} then one line per changed item:
{"change", "id", "title", "score", "why", "contributions", "live": {"score", "why"} | null, ...}.`;

export async function storylineTest(
  argv: string[],
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    'storyline test',
    argv,
    {
      ...COMMON_OPTIONS,
      days: { type: 'string' },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      table: { type: 'string' },
      limit: { type: 'string' },
    },
    true,
  );
  const [file, ...extra] = positionals;
  if (!file || extra.length > 0) throw new UsageError('storyline test: give exactly one storyline FILE');
  const days = parsePositiveInt('storyline test', values.days, '--days', DEFAULT_RETENTION.archiveDays);
  const limit = parseLimit(values.limit);
  const out = new CliOutput(values.json, stdout, stderr);

  const storyline = await resolveStorylineReference('storyline test', file);
  const live = await liveStoryline(storyline.id);
  const reading = performance.now();
  const { items, where } = await readArchive({ dataDir: values['data-dir'], table: values.table }, days);
  const started = performance.now();
  const tested = new StorylineMatcher(storyline);
  const { threshold } = tested.decision;
  const report = backtestStoryline(tested, live ? new StorylineMatcher(live) : undefined, items);
  const ms = performance.now() - started;

  out.record({
    seen: report.seen,
    kept: report.kept.length,
    gained: report.gained.length,
    lost: report.lost.length,
    liveKept: report.liveKept ?? null,
    storyline: storyline.id,
    days,
  });
  if (out.json) {
    stdout.write(
      [...report.gained, ...report.lost].map((c) => `${JSON.stringify(changedRecord(c))}\n`).join(''),
    );
  }
  const versus =
    report.liveKept === undefined
      ? `no live storyline "${storyline.id}" to compare with, so everything kept counts as gained`
      : `the live "${storyline.id}" keeps ${report.liveKept}`;
  out.say(
    `Backtest of ${file} on ${report.seen} items first seen in the last ${days} days (archive in ${where}; read in ${(started - reading).toFixed(0)} ms, matched in ${ms.toFixed(0)} ms):`,
  );
  out.say(
    `  it keeps ${report.kept.length}, scoring at least ${threshold.toFixed(2)} (${versus}): ${report.gained.length} gained, ${report.lost.length} lost.`,
  );
  section(out, `Kept (${report.kept.length}), best first:`, report.kept, limit, (j) =>
    describe(j, undefined),
  );
  if (report.liveKept !== undefined) {
    section(
      out,
      `Gained (${report.gained.length}): kept now, not by the live version`,
      report.gained,
      limit,
      (c) => describe(c, c.live),
    );
    section(out, `Lost (${report.lost.length}): kept by the live version, not now`, report.lost, limit, (c) =>
      describe(c, c.live),
    );
  }
  return 0;
}

function section<T>(
  out: CliOutput,
  heading: string,
  entries: readonly T[],
  limit: number,
  show: (e: T) => string,
) {
  if (entries.length === 0) return;
  out.say(`\n${heading}`);
  const shown = limit === 0 ? entries : entries.slice(0, limit);
  for (const entry of shown) out.say(show(entry));
  if (shown.length < entries.length) {
    out.say(
      `  ... and ${entries.length - shown.length} more (--limit 0 lists all, --json gives every changed item)`,
    );
  }
}

function describe(judged: JudgedItem, live: MatchResult | undefined): string {
  const { item, result } = judged;
  const lines = [
    `  ${signed(result.score)}  ${item.title || '(no title)'}`,
    `         ${[item.source ?? item.feedId, (item.publishedAt ?? item.firstSeenAt).slice(0, 10), item.url].filter(Boolean).join(' · ')}`,
    `         why: ${result.why}`,
  ];
  if (live) lines.push(`         live: ${signed(live.score)}  ${live.why}`);
  return lines.join('\n');
}

function signed(score: number): string {
  return `${score >= 0 ? '+' : ''}${score.toFixed(2)}`.padStart(6);
}

function changedRecord(changed: ChangedItem) {
  const { item, result, live } = changed;
  return {
    change: changed.change,
    id: item.itemKey,
    title: item.title,
    ...optional(item),
    score: result.score,
    why: result.why,
    contributions: result.contributions,
    live: live ? { score: live.score, why: live.why, contributions: live.contributions } : null,
  };
}

function optional(item: ArchivedItem) {
  return {
    url: item.url,
    source: item.source,
    feed: item.feedId,
    lang: item.lang,
    publishedAt: item.publishedAt,
    firstSeenAt: item.firstSeenAt,
  };
}

function parseLimit(value: string | undefined): number {
  if (value === undefined) return 15;
  if (!/^\d+$/.test(value)) {
    throw new UsageError(`storyline test: --limit must be a whole number (0 lists all), not "${value}"`);
  }
  return Number(value);
}
