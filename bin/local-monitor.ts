import { type AlertEvent, createAlertStep } from '#shared/alerts/alert-service.ts';
import { prepareDigest } from '#shared/digest/digest-service.ts';
import { FileNotifier } from '#shared/digest/file-notifier.ts';
import type { PrivateAddressPolicy } from '#shared/feeds/address-policy.ts';
import type { FeedSource } from '#shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { type FeedOutcome, runPollCycle } from '#shared/feeds/poll-cycle.ts';
import type { AlertRunSummary } from '#shared/store/records.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { CliOutput } from './cli-io.ts';
import type { LocalRuntime } from './local-runtime.ts';
import { type RunningServer, startStatusServer } from './local-server.ts';

export interface LocalMonitorOptions {
  feeds: readonly FeedSource[];
  runtime: LocalRuntime;
  out: CliOutput;
  /** Also serve the status page on this port (0 picks a free one). */
  port?: number | undefined;
  once: boolean;
  intervalMinutes: number;
  concurrency: number;
  timeoutMs: number;
  /** Locally "allow": the user's own feed generator may live on localhost. */
  privateAddresses: PrivateAddressPolicy;
  stopSignal: AbortSignal;
  /** A live progress line on a terminal (else one line per feed). */
  interactive: boolean;
  /** Called once the status page answers, with its URL. */
  onServing?: (url: string) => void;
}

const PREVIEW_LINES = 40;

/**
 * Local mode: poll cycles over the embedded DynamoDB, a digest preview after each, and the status
 * page served on loopback, until the cycle count or the user says stop.
 */
export async function runLocalMonitor(options: LocalMonitorOptions): Promise<void> {
  const { feeds, runtime, out } = options;
  const matchers = runtime.storylines.map((s) => new StorylineMatcher(s));
  const clock = () => new Date();
  // Alerts go where digests go locally: files under the data directory, and the terminal.
  const alertEvents: AlertEvent[] = [];
  const sendAlerts = createAlertStep(
    runtime.storylines,
    { items: runtime.store, ledger: runtime.alerts, notifier: new FileNotifier(runtime.dataDir), clock },
    (event) => alertEvents.push(event),
  );
  let server: RunningServer | undefined;
  try {
    if (options.port !== undefined) {
      server = await startStatusServer(
        options.port,
        runtime.statusDependencies(feeds, options.intervalMinutes),
      );
    }
    for (;;) {
      out.note(`Polling ${feeds.length} feeds (data in ${runtime.dataDir})...`);
      const progress = new Progress(feeds.length, out, options.interactive);
      const report = await runPollCycle(
        feeds,
        { store: runtime.store, matchers, clock, sendAlerts },
        {
          concurrency: options.concurrency,
          limits: {
            ...DEFAULT_FETCH_LIMITS,
            timeoutMs: options.timeoutMs,
            privateAddresses: options.privateAddresses,
          },
          signal: options.stopSignal,
        },
        (outcome) => progress.add(outcome),
      );
      progress.finish();
      const { run } = report;
      for (const problem of [run.archiveError, run.rematchError]) if (problem) out.note(`  ${problem}`);
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
        `${options.stopSignal.aborted ? 'Stopped after' : 'Polled'} ${run.feeds} feeds in ${(run.durationMs / 1000).toFixed(1)} s: ${run.fetched} fetched, ${run.notModified} not modified, ${run.failed} failed${run.backingOff ? `, ${run.backingOff} waiting after failures` : ''}; ${run.itemsSeen} items seen, ${run.matched} matched, ${run.stored} new stored${run.itemsSkipped ? `, ${run.itemsSkipped} skipped (too large or refused)` : ''}, ${run.archived ?? 0} archived${run.rematched ? `; ${run.rematched} found by changed storylines in the archive` : ''}${describeAlertCounts(run.alerts)}.`,
      );
      for (const event of alertEvents.splice(0)) out.note(describeAlert(event));
      if (run.alerts?.error)
        out.note(`Alerts could not finish (looked at again next run): ${run.alerts.error}`);
      if (options.stopSignal.aborted) {
        out.note(`Stopped: ${run.skipped} feed(s) not polled this time; what was done is saved.`);
        break;
      }
      for (const storyline of runtime.storylines) {
        const digest = await prepareDigest(storyline, {
          store: runtime.store,
          alerts: runtime.alerts,
          clock,
        });
        out.note(`\nDigest preview for ${storyline.id} (not sent):`);
        out.note(
          digest.itemCount === 0
            ? '  nothing new since the last digest'
            : previewText(`Subject: ${digest.subject}\n\n${digest.text}`),
        );
      }
      if (server) {
        out.say(`\nStatus page: ${server.url}/status`);
        options.onServing?.(server.url);
      }
      if (options.once || options.stopSignal.aborted) break;
      out.note(`Next poll in ${options.intervalMinutes} min; Ctrl-C to stop.`);
      if (!(await sleep(options.intervalMinutes * 60_000, options.stopSignal))) break;
    }
  } finally {
    await server?.close();
  }
}

/** Feeds done, failing and items matched as the cycle runs. */
class Progress {
  private done = 0;
  private failing = 0;
  private matched = 0;
  private readonly failures: string[] = [];

  constructor(
    private readonly total: number,
    private readonly out: CliOutput,
    private readonly interactive: boolean,
  ) {}

  add(outcome: FeedOutcome): void {
    this.done++;
    if (outcome.status === 'failed') {
      this.failing++;
      this.failures.push(describeOutcome(outcome));
    }
    if (outcome.status === 'fetched') this.matched += outcome.matched;
    if (!this.interactive) {
      this.out.note(describeOutcome(outcome));
      return;
    }
    this.out.progress(
      `  [${this.done}/${this.total}] feeds done, ${this.failing} failing, ${this.matched} items matched`,
    );
  }

  finish(): void {
    if (!this.interactive) return;
    this.out.progress(null);
    for (const line of this.failures) this.out.note(line);
  }
}

export function describeOutcome(outcome: FeedOutcome): string {
  switch (outcome.status) {
    case 'fetched':
      return `  ok       ${outcome.feedId}: ${outcome.itemsSeen} items, ${outcome.matched} matched, ${outcome.stored} new${outcome.itemsSkipped ? `, ${outcome.itemsSkipped} skipped (too large or refused)` : ''}`;
    case 'not-modified':
      return `  304      ${outcome.feedId}: not modified`;
    case 'failed':
      return `  FAILED   ${outcome.feedId}: ${outcome.error}${outcome.retryAt ? ` (next try after ${outcome.retryAt})` : ''}`;
    case 'backing-off':
      return `  waiting  ${outcome.feedId}: backing off after failures until ${outcome.retryAt}`;
    case 'skipped':
      return `  skipped  ${outcome.feedId}: not polled in this cycle (no time left, or stopping)`;
  }
}

/** An alert as the terminal shows it: sent ones in full, as the reader gets them. */
export function describeAlert(event: AlertEvent): string {
  switch (event.state) {
    case 'sent':
      return `\nALERT ${event.retry ? 'sent on retry' : 'sent'} for ${event.storylineId} (written to ${event.messageId}):\n${indent(`Subject: ${event.subject}\n\n${event.text}`)}`;
    case 'failed':
      return `\nALERT FAILED for ${event.storylineId}: ${event.title}: ${event.error} (the next run tries again)`;
    case 'capped':
      return `\nAlert held back for ${event.storylineId}: ${event.title} (hourly cap reached; it waits for the digest)`;
    case 'unknown':
      return `\nAlert for ${event.storylineId} may not have gone out (a run stopped while sending it); not sent again: ${event.title}`;
  }
}

function describeAlertCounts(alerts: AlertRunSummary | undefined): string {
  if (!alerts) return '';
  const parts = [`${alerts.sent} alert${alerts.sent === 1 ? '' : 's'} sent`];
  if (alerts.failed) parts.push(`${alerts.failed} failed`);
  if (alerts.capped) parts.push(`${alerts.capped} held back by the hourly cap`);
  if (alerts.unknown) parts.push(`${alerts.unknown} of unknown delivery`);
  return `; ${parts.join(', ')}`;
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
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
