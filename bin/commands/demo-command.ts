import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FeedListError, parseFeedList } from '#shared/feeds/feed-list.ts';
import { refuseDataDirInUse } from '#shared/store/embedded-dynamodb.ts';
import {
  CliOutput,
  COMMON_OPTIONS,
  type Command,
  isInteractive,
  parseCommandArgs,
  parsePort,
} from '../cli-io.ts';
import { serveFeedFiles } from '../demo-feed-server.ts';
import { runLocalMonitor } from '../local-monitor.ts';
import { DEFAULT_DATA_DIR, DEMO_FEEDS_DIR, openLocalRuntime } from '../local-runtime.ts';

const DEMO_PORT = 8788;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'the whole monitor offline, on sample feeds shipped in the repository',
  usage: `news-monitor demo [--port N] [--data-dir DIR] [--once] [--keep] [--json]

Serves the sample feeds in seeds/demo/ on 127.0.0.1 (one of them is deliberately not a feed),
polls them into a fresh embedded DynamoDB, prints what matched and a digest preview, and serves
the status page until Ctrl-C. Needs no network and no AWS account.
  --port N         status page port (default ${DEMO_PORT}; 0 picks a free one)
  --data-dir DIR   where the demo keeps its state (default ${DEFAULT_DATA_DIR}/demo, emptied at start)
  --once           one poll cycle and a digest preview, then exit (no status page)
  --keep           keep the state of the last demo (its archive, its matches) instead of emptying it:
                   a storyline added or changed since is first run over the archive`,
  async run({ argv, stdout, stderr, stopSignal }) {
    const { values } = parseCommandArgs('demo', argv, {
      ...COMMON_OPTIONS,
      port: { type: 'string' },
      'data-dir': { type: 'string', default: join(DEFAULT_DATA_DIR, 'demo') },
      once: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    });
    const port = parsePort('demo', values.port, DEMO_PORT);
    const out = new CliOutput(values.json, stdout, stderr);
    const dataDir = values['data-dir'];
    if (!values.keep) {
      await refuseDataDirInUse(dataDir);
      await rm(dataDir, { recursive: true, force: true });
    }

    const sample = await serveFeedFiles(DEMO_FEEDS_DIR);
    try {
      const feeds = parseFeedList(JSON.stringify(sample.feeds), 'seeds/demo');
      out.say(`Serving ${feeds.length} sample feeds from seeds/demo/ on 127.0.0.1 (no network needed).`);
      const runtime = await openLocalRuntime(dataDir);
      try {
        await runLocalMonitor({
          feeds,
          runtime,
          out,
          port: values.once ? undefined : port,
          once: values.once,
          intervalMinutes: 15,
          concurrency: 8,
          timeoutMs: 5_000,
          privateAddresses: 'allow',
          stopSignal,
          interactive: isInteractive(stderr) && !values.json,
          onServing: (url) => {
            out.record({ statusUrl: `${url}/status` });
            out.say(`Open ${url}/status in a browser. Ctrl-C stops the demo.`);
          },
        });
      } finally {
        await runtime.close();
      }
    } catch (error) {
      if (error instanceof FeedListError) throw new Error(`the sample feeds are broken: ${error.message}`);
      throw error;
    } finally {
      await sample.close();
    }
    return 0;
  },
};
