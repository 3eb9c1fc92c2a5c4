import { loadFeedList } from '#shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS } from '#shared/feeds/fetch-feed.ts';
import { DEFAULT_RETENTION } from '#shared/store/dynamo-store.ts';
import {
  CliOutput,
  COMMON_OPTIONS,
  type Command,
  isInteractive,
  parseCommandArgs,
  parsePort,
  parsePositiveInt,
} from '../cli-io.ts';
import { runLocalMonitor } from '../local-monitor.ts';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_FEEDS_FILE,
  DEFAULT_POLL_INTERVAL_MINUTES,
  openLocalRuntime,
} from '../local-runtime.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'poll the feeds, store matches, preview the digest (once or in a loop)',
  usage: `news-monitor run [--once] [--feeds FILE] [--data-dir DIR] [--interval MIN] [--port N]
                   [--refuse-private-addresses] [--json]

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
  --refuse-private-addresses
                     do not fetch feeds or follow redirects to loopback, link-local or private
                     addresses (as in AWS); by default a local run allows them
  --archive-days N   keep every item seen this many days, for "storyline test" and "storyline label"
                     (default ${DEFAULT_RETENTION.archiveDays})
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
      'refuse-private-addresses': { type: 'boolean', default: false },
      'archive-days': { type: 'string' },
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
    const archiveDays = parsePositiveInt(
      'run',
      values['archive-days'],
      '--archive-days',
      DEFAULT_RETENTION.archiveDays,
    );
    const port = values.port === undefined ? undefined : parsePort('run', values.port, 0);
    const out = new CliOutput(values.json, stdout, stderr);

    const feeds = await loadFeedList(values.feeds);
    const runtime = await openLocalRuntime(values['data-dir'], { archiveDays });
    try {
      await runLocalMonitor({
        feeds,
        runtime,
        out,
        port,
        once: values.once,
        intervalMinutes,
        concurrency,
        timeoutMs,
        privateAddresses: values['refuse-private-addresses'] ? 'refuse' : 'allow',
        stopSignal,
        interactive: isInteractive(stderr) && !values.json,
      });
    } finally {
      await runtime.close();
    }
    return 0;
  },
};
