import { loadFeedList } from '#shared/feeds/feed-list.ts';
import { buildStatus } from '#shared/status/status-model.ts';
import { CliOutput, COMMON_OPTIONS, type Command, parseCommandArgs } from '../cli-io.ts';
import { DEFAULT_DATA_DIR, DEFAULT_FEEDS_FILE, openLocalRuntime } from '../local-runtime.ts';

export const statusCommand: Command = {
  name: 'status',
  summary: 'print the monitor status from local state',
  usage: `news-monitor status [--data-dir DIR] [--feeds FILE] [--json]

Prints health, the last poll run, every feed and every storyline, as GET /status does.
  --data-dir DIR   local state (default ${DEFAULT_DATA_DIR})
  --feeds FILE     feeds to report on (default seeds/feeds.json)`,
  async run({ argv, stdout, stderr }) {
    const { values } = parseCommandArgs('status', argv, {
      ...COMMON_OPTIONS,
      'data-dir': { type: 'string', default: DEFAULT_DATA_DIR },
      feeds: { type: 'string', default: DEFAULT_FEEDS_FILE },
    });
    const out = new CliOutput(values.json, stdout, stderr);
    const feeds = await loadFeedList(values.feeds);
    const runtime = await openLocalRuntime(values['data-dir']);
    try {
      const status = await buildStatus(runtime.statusDependencies(feeds));
      out.record(status);
      out.say(`Health: ${status.health.state} (${status.health.reason})`);
      const run = status.lastRun;
      out.say(
        run
          ? `Last run: ${run.finishedAt}, ${run.feeds} feeds, ${run.fetched} fetched, ${run.notModified} not modified, ${run.failed} failed, ${run.matched} matched, ${run.stored} stored`
          : 'Last run: none yet (run "npm start" or "news-monitor run --once")',
      );
      for (const s of status.storylines) {
        out.say(
          `Storyline ${s.id}: ${s.items === null ? 'items not counted yet (the next run counts them)' : `${s.items} items, ${s.itemsLast24h} in the last 24 h`}, last digest ${s.lastDigest?.sentAt ?? 'never'}`,
        );
      }
      for (const f of status.feeds) {
        const state = !f.polled
          ? 'never polled'
          : f.consecutiveFailures > 0
            ? `FAILING x${f.consecutiveFailures}: ${f.lastError}${f.backingOffUntil ? ` (next try after ${f.backingOffUntil})` : ''}`
            : 'ok';
        out.say(`  ${f.id.padEnd(28)} ${state}`);
      }
    } finally {
      await runtime.close();
    }
    return 0;
  },
};
