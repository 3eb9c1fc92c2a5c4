import { loadFeedList } from '#shared/feeds/feed-list.ts';
import { BasicAuthGate, parseStatusCredential } from '#shared/status/basic-auth.ts';
import {
  CliOutput,
  COMMON_OPTIONS,
  type Command,
  parseCommandArgs,
  parsePort,
  requireOption,
  UsageError,
} from '../cli-io.ts';
import { DEFAULT_DATA_DIR, DEFAULT_FEEDS_FILE, openLocalRuntime } from '../local-runtime.ts';
import { startStatusServer } from '../local-server.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the status API locally (GET /status, GET /storylines/{id}/items)',
  usage: `news-monitor serve --port N [--data-dir DIR] [--feeds FILE] [--auth CREDENTIAL]

Serves the status API on 127.0.0.1 with the same handler as the Lambda, until Ctrl-C.
  --port N         port to listen on (0 picks a free one)
  --data-dir DIR   local state (default ${DEFAULT_DATA_DIR})
  --feeds FILE     feeds to report on (default seeds/feeds.json)
  --auth CREDENTIAL  private: readers must sign in (HTTP Basic); the value comes from
                   "news-monitor status-password"`,
  async run({ argv, stdout, stderr, stopSignal }) {
    const { values } = parseCommandArgs('serve', argv, {
      ...COMMON_OPTIONS,
      port: { type: 'string' },
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      feeds: { type: 'string', default: DEFAULT_FEEDS_FILE },
      auth: { type: 'string' },
    });
    const port = parsePort('serve', requireOption('serve', values.port, '--port'), 0);
    const auth = values.auth === undefined ? undefined : authGate(values.auth);
    const out = new CliOutput(values.json, stdout, stderr);
    const feeds = await loadFeedList(values.feeds);
    const runtime = await openLocalRuntime(values['data-dir']);
    try {
      const server = await startStatusServer(port, { ...runtime.statusDependencies(feeds), auth });
      out.record({ url: `${server.url}/status` });
      out.say(`Status: ${server.url}/status (Ctrl-C to stop)`);
      await new Promise<void>((resolve) =>
        stopSignal.addEventListener('abort', () => resolve(), { once: true }),
      );
      await server.close();
    } finally {
      await runtime.close();
    }
    return 0;
  },
};

function authGate(value: string): BasicAuthGate {
  try {
    return new BasicAuthGate(parseStatusCredential(value));
  } catch (error) {
    throw new UsageError(`serve: --auth ${(error as Error).message}`);
  }
}
