import { readFile, writeFile } from 'node:fs/promises';
import { addFeeds, checkFeeds } from '#shared/feeds/feed-check.ts';
import { type FeedSource, loadFeedList } from '#shared/feeds/feed-list.ts';
import { DEFAULT_FETCH_LIMITS, type FetchLimits } from '#shared/feeds/fetch-feed.ts';
import { CliOutput, COMMON_OPTIONS, type Command, parseCommandArgs, UsageError } from '../cli-io.ts';
import { DEFAULT_FEEDS_FILE } from '../local-runtime.ts';

const USAGE = `news-monitor feeds add URL [--feeds FILE] [--json]
news-monitor feeds check [--feeds FILE] [--json]

add     fetches URL: a feed (RSS, Atom, JSON Feed) is checked and added; a web page's advertised
        feeds (<link rel="alternate">) are each fetched, checked and the good ones added, with an
        id, name and language taken from the feed. A feed already listed (the same URL once
        normalised, or the same feed behind a redirect) is refused, naming its id.
        --json prints {"added": [...], "rejected": [{"url", "reason"}]}. Exits 1 if nothing was added.
check   fetches every listed feed once and prints its status, items, newest item, language and
        error. --json prints one line per feed: {"id", "url", "status", "items", "newestItemAt",
        "language", "error"}. Exits 1 if any feed failed.
  --feeds FILE                   the feeds file (default seeds/feeds.json)
  --refuse-private-addresses     refuse feeds on loopback and private addresses, as the deployed
                                 poll function does (allowed by default here, as for run)`;

export const feedsCommand: Command = {
  name: 'feeds',
  summary: 'add feeds (a feed URL, or a page that advertises feeds) and check the listed ones',
  usage: USAGE,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(
      'feeds',
      argv,
      {
        ...COMMON_OPTIONS,
        feeds: { type: 'string', default: DEFAULT_FEEDS_FILE },
        'refuse-private-addresses': { type: 'boolean', default: false },
      },
      true,
    );
    const out = new CliOutput(values.json, stdout, stderr);
    const limits: FetchLimits = {
      ...DEFAULT_FETCH_LIMITS,
      privateAddresses: values['refuse-private-addresses'] ? 'refuse' : 'allow',
    };
    const [action, ...rest] = positionals;
    if (action === 'add') {
      if (rest.length !== 1) throw new UsageError('feeds add: give one URL; see "news-monitor feeds --help"');
      return add(rest[0] as string, values.feeds, limits, out);
    }
    if (action === 'check') {
      if (rest.length > 0)
        throw new UsageError('feeds check: takes no arguments; see "news-monitor feeds --help"');
      return check(values.feeds, limits, out);
    }
    throw new UsageError('feeds: say "add URL" or "check"; see "news-monitor feeds --help"');
  },
};

async function add(url: string, file: string, limits: FetchLimits, out: CliOutput): Promise<number> {
  if (!/^https?:\/\/[^\s/]+/i.test(url) || !URL.canParse(url)) {
    throw new UsageError(`feeds add: "${url}" is not an http or https URL`);
  }
  const list = await listForEditing(file);
  const result = await addFeeds(url, list, limits);
  if (result.added.length > 0) await writeFile(file, `${JSON.stringify(result.list, null, 2)}\n`);
  out.record({ added: result.added, rejected: result.rejected });
  for (const feed of result.added)
    out.say(`added ${feed.id}: ${feed.name ?? ''} ${feed.url}${feed.lang ? ` (${feed.lang})` : ''}`);
  for (const refused of result.rejected) out.say(`not added ${refused.url}: ${refused.reason}`);
  if (result.added.length > 0) out.note(`${file}: ${result.list.length} feeds`);
  return result.added.length > 0 ? 0 : 1;
}

/** The list to add to: a missing file or an empty array starts a new one. */
async function listForEditing(file: string): Promise<FeedSource[]> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined || text.trim() === '' || /^\[\s*\]$/.test(text.trim())) return [];
  return loadFeedList(file);
}

async function check(file: string, limits: FetchLimits, out: CliOutput): Promise<number> {
  const list = await loadFeedList(file);
  const results = await checkFeeds(list, limits);
  const rows = results.map(({ source, document }) => {
    if (document.kind === 'feed') {
      const { feed } = document;
      return {
        id: source.id,
        url: source.url,
        status: feed.partial ? 'partial' : 'ok',
        items: feed.items,
        newestItemAt: feed.newestItemAt ?? null,
        language: feed.language ?? null,
        error: null,
      };
    }
    const error = document.kind === 'page' ? 'a web page, not a feed' : document.reason;
    return {
      id: source.id,
      url: source.url,
      status: 'failed',
      items: 0,
      newestItemAt: null,
      language: null,
      error,
    };
  });
  for (const row of rows) out.record(row);
  const table = [
    ['FEED', 'STATUS', 'ITEMS', 'NEWEST ITEM', 'LANG', 'LAST ERROR'],
    ...rows.map((r) => [
      r.id,
      r.status,
      String(r.items),
      r.newestItemAt ?? '-',
      r.language ?? '-',
      r.error ?? '',
    ]),
  ];
  const widths = table[0]?.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length))) ?? [];
  for (const row of table)
    out.say(
      row
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  const failed = rows.filter((r) => r.status === 'failed').length;
  out.note(`${rows.length} feeds checked, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}
