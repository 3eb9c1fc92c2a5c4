import { prepareDigest } from '../../shared/digest/digest-service.ts';
import { loadFeedList } from '../../shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS } from '../../shared/feeds/fetch-feed.ts';
import { type FeedOutcome, runPollCycle } from '../../shared/feeds/poll-cycle.ts';
import { StorylineMatcher } from '../../shared/storyline/storyline-matcher.ts';
import {
  CliOutput,
  COMMON_OPTIONS,
  type Command,
  parseCommandArgs,
  parsePort,
  parsePositiveInt,
} from '../cli-io.ts';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_FEEDS_FILE,
  DEFAULT_POLL_INTERVAL_MINUTES,
  openLocalRuntime,
} from '../local-runtime.ts';
import { type RunningServer, startStatusServer } from '../local-server.ts';

const PREVIEW_LINES = 40;

export const runCommand: Command = {
  name: 'run',
  summary: 'poll the feeds, store matches, preview the digest (once or in a loop)',
  usage: `news-monitor run [--once] [--feeds FILE] [--data-dir DIR] [--interval MIN] [--port N] [--json]

Polls every feed, matches items against every storyline, stores new matches in the embedded
DynamoDB, then prints a digest preview on stderr. Without --once it polls again every
--interval minutes until Ctrl-C.
  --once             one poll cycle, then exit
  --feeds FILE       JSON array of {"id", "url", "lang"?} (default seeds/feeds.json)
  --data-dir DIR     local state (default ${DEFAULT_DATA_DIR})
  --interval MIN     minutes between cycles (default ${DEFAULT_POLL_INTERVAL_MINUTES})
  --port N           also serve the status API on this port (0 picks a free one)
  --concurrency N    feeds fetched at once (default 16)
  --timeout-ms N     per-feed fetch timeout (default ${DEFAULT_FETCH_LIMITS.timeoutMs})
With --json, a line per cycle: {"feeds", "fetched", "notModified", "failed", "itemsSeen", "matched", "stored"}.`,
  async run({ argv, stdout, stderr, stopSignal }) {
    const { values } = parseCommandArgs('run', argv, {
      ...COMMON_OPTIONS,
      once: { type: 'boolean', default: false },
      feeds: { type: 'string', default: DEFAULT_FEEDS_FILE },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      interval: { type: 'string' },
      port: { type: 'string' },
      concurrency: { type: 'string' },
      'timeout-ms': { type: 'string' },
    });
    const intervalMinutes = parsePositiveInt(
      'run',
      values.interval,
      '--interval',
      DEFAULT_POLL_INTERVAL_MINUTES,
    );
    const concurrency = parsePositiveInt('run', values.concurrency, '--concurrency', 16);
    const timeoutMs = parsePositiveInt(
      'run',
      values['timeout-ms'],
      '--timeout-ms',
      DEFAULT_FETCH_LIMITS.timeoutMs,
    );
    const port = values.port === undefined ? undefined : parsePort('run', values.port, 0);
    const out = new CliOutput(values.json, stdout, stderr);

    const feeds = await loadFeedList(values.feeds);
    const runtime = await openLocalRuntime(values['data-dir']);
    let server: RunningServer | undefined;
    try {
      const matchers = runtime.storylines.map((s) => new StorylineMatcher(s));
      const clock = () => new Date();
      if (port !== undefined) {
        server = await startStatusServer(port, {
          store: runtime.store,
          storylines: runtime.storylines,
          feeds,
          clock,
          pollIntervalMinutes: intervalMinutes,
        });
      }
      for (;;) {
        out.note(`Polling ${feeds.length} feeds (data in ${runtime.dataDir})...`);
        const report = await runPollCycle(
          feeds,
          { store: runtime.store, matchers, clock },
          { concurrency, limits: { ...DEFAULT_FETCH_LIMITS, timeoutMs } },
          (outcome) => out.note(describeOutcome(outcome)),
        );
        const { run } = report;
        out.record({
          feeds: run.feeds,
          fetched: run.fetched,
          notModified: run.notModified,
          failed: run.failed,
          itemsSeen: run.itemsSeen,
          matched: run.matched,
          stored: run.stored,
        });
        out.say(
          `Polled ${run.feeds} feeds in ${(run.durationMs / 1000).toFixed(1)} s: ${run.fetched} fetched, ${run.notModified} not modified, ${run.failed} failed; ${run.itemsSeen} items seen, ${run.matched} matched, ${run.stored} new stored.`,
        );
        for (const storyline of runtime.storylines) {
          const digest = await prepareDigest(storyline, { store: runtime.store, clock });
          out.note(`\nDigest preview for ${storyline.id} (not sent):`);
          out.note(
            digest.itemCount === 0
              ? '  nothing new since the last digest'
              : previewText(`Subject: ${digest.subject}\n\n${digest.text}`),
          );
        }
        if (server) out.say(`Status: ${server.url}/status`);
        if (values.once || stopSignal.aborted) break;
        out.note(`Next poll in ${intervalMinutes} min; Ctrl-C to stop.`);
        if (!(await sleep(intervalMinutes * 60_000, stopSignal))) break;
      }
    } finally {
      await server?.close();
      await runtime.close();
    }
    return 0;
  },
};

function describeOutcome(outcome: FeedOutcome): string {
  switch (outcome.status) {
    case 'fetched':
      return `  ok       ${outcome.feedId}: ${outcome.itemsSeen} items, ${outcome.matched} matched, ${outcome.stored} new`;
    case 'not-modified':
      return `  304      ${outcome.feedId}: not modified`;
    case 'failed':
      return `  FAILED   ${outcome.feedId}: ${outcome.error}${outcome.retryAt ? ` (next try after ${outcome.retryAt})` : ''}`;
    case 'backing-off':
      return `  waiting  ${outcome.feedId}: backing off after failures until ${outcome.retryAt}`;
    case 'skipped':
      return `  skipped  ${outcome.feedId}: no time left in this cycle`;
  }
}

function previewText(text: string): string {
  const lines = text.split('\n');
  if (lines.length <= PREVIEW_LINES) return text;
  return `${lines.slice(0, PREVIEW_LINES).join('\n')}\n  ... (${lines.length - PREVIEW_LINES} more lines: news-monitor digest --storyline ID --preview)`;
}

/** Resolves true after `ms`, or false as soon as the user asks to stop. */
function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => resolve(true), ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve(false);
      },
      { once: true },
    );
  });
}
