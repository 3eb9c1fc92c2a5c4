import { readFile } from 'node:fs/promises';
import { describeError } from '#shared/errors.ts';
import {
  DEFAULT_FETCH_LIMITS,
  FeedFetchError,
  type FetchLimits,
  fetchFeed,
} from '#shared/feeds/fetch-feed.ts';
import { type ReadFeed, readFeedBytes } from '#shared/feeds/read-feed.ts';
import { CliOutput, COMMON_OPTIONS, type Command, parseCommandArgs, UsageError } from '../cli-io.ts';

// The user names these feeds on their own machine, as for "feeds add" and "run".
const FETCH_LIMITS: FetchLimits = { ...DEFAULT_FETCH_LIMITS, privateAddresses: 'allow' };

export const parseFeedCommand: Command = {
  name: 'parse-feed',
  summary: 'parse feed files without network (or, with --fetch, feeds at URLs)',
  usage: `news-monitor parse-feed FILE... [--json]
news-monitor parse-feed --fetch URL... [--json]

Parses each file as an RSS or Atom feed, as the poller would after fetching it. A file has no URL,
so relative links and ids that no xml:base resolves stay relative (an item's link is then null).
With --json, one line per file:
  {"file", "ok", "error"?, "partial"?, "feed": {"title", "link", "id"}, "items": [{"id", "title", "url", "summary", "publishedAt"}]}
Titles are given as the feed typed them, as feedparser gives them: text as text, and a title the
feed typed as HTML (Atom type="html" or "xhtml") as HTML, its text with "<" and ">" escaped. An entry without a title has
"title": "". "partial": true when the document was cut short or damaged; the items are what it
held before.
--fetch     the arguments are http or https URLs, each fetched as the poller fetches a feed
            (redirects followed; relative links and ids resolve against xml:base, then the
            response's Content-Location, then the URL after redirects). Lines carry "url" in
            place of "file". Without it parse-feed never uses the network.
Exits 1 if any file could not be parsed (or fetched).`,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(
      'parse-feed',
      argv,
      { ...COMMON_OPTIONS, fetch: { type: 'boolean', default: false } },
      true,
    );
    if (positionals.length === 0)
      throw new UsageError(
        `parse-feed: give at least one ${values.fetch ? 'URL' : 'FILE'}; see "news-monitor parse-feed --help"`,
      );
    const key = values.fetch ? 'url' : 'file';
    if (values.fetch) {
      const bad = positionals.find((p) => !/^https?:\/\//i.test(p) || !URL.canParse(p));
      if (bad) throw new UsageError(`parse-feed --fetch: "${bad}" is not an http or https URL`);
    }
    const out = new CliOutput(values.json, stdout, stderr);
    let failures = 0;
    for (const source of positionals) {
      try {
        const feed = values.fetch
          ? await readAtUrl(source)
          : await readFeedBytes(await readFeedFile(source), undefined, {});
        out.record({ [key]: source, ok: true, ...describeFeed(feed) });
        out.say(`${source}: ${feed.title ?? '(untitled)'}, ${feed.items.length} items`);
      } catch (error) {
        failures++;
        const reason = describeError(error);
        out.record({
          [key]: source,
          ok: false,
          error: reason,
          feed: { title: null, link: null, id: null },
          items: [],
        });
        out.say(`${source}: ${reason}`);
      }
    }
    return failures > 0 ? 1 : 0;
  },
};

class FeedFileError extends Error {
  override name = 'FeedFileError';
}

async function readFeedFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'ENOENT: no such file' : code === 'EISDIR' ? 'EISDIR: a directory' : code;
    throw new FeedFileError(`cannot be read (${why ?? describeError(error)}); check the path`);
  }
}

/** The real fetch-and-read path, as a poll takes it. */
async function readAtUrl(url: string): Promise<ReadFeed> {
  const fetched = await fetchFeed(url, {}, FETCH_LIMITS);
  if (fetched.kind !== 'fetched') throw new FeedFetchError('the server answered 304 to a plain GET');
  return readFeedBytes(fetched.body, fetched.contentType, { url: fetched.baseUrl });
}

function describeFeed(feed: ReadFeed) {
  return {
    ...(feed.partial ? { partial: true } : {}),
    feed: {
      title: feed.title === undefined ? null : asTyped(feed.title, feed.titleWasHtml),
      link: feed.link ?? null,
      id: feed.id ?? null,
    },
    items: feed.items.map((i) => ({
      id: i.id,
      title: asTyped(i.title, i.titleWasHtml),
      url: i.url ?? null,
      summary: i.summary,
      publishedAt: i.publishedAt ?? null,
    })),
  };
}

function asTyped(text: string, html: boolean): string {
  return html ? text.replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}
