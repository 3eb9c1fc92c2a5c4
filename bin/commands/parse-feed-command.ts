import { readFile } from 'node:fs/promises';
import { describeError } from '#shared/errors.ts';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';
import { CliOutput, COMMON_OPTIONS, type Command, parseCommandArgs, UsageError } from '../cli-io.ts';

export const parseFeedCommand: Command = {
  name: 'parse-feed',
  summary: 'parse feed files without network',
  usage: `news-monitor parse-feed FILE... [--json]

Parses each file as an RSS or Atom feed, as the poller would after fetching it.
With --json, one line per file:
  {"file", "ok", "error"?, "partial"?, "feed": {"title", "link", "id"}, "items": [{"id", "title", "url", "summary", "publishedAt"}]}
Titles are given as the feed typed them, as feedparser gives them: text as text, and a title the
feed typed as HTML (Atom type="html" or "xhtml") as HTML, its text with "<" and ">" escaped. An entry without a title has
"title": "". "partial": true when the document was cut short or damaged; the items are what it
held before.
Exits 1 if any file could not be parsed.`,
  async run({ argv, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs('parse-feed', argv, COMMON_OPTIONS, true);
    if (positionals.length === 0)
      throw new UsageError('parse-feed: give at least one FILE; see "news-monitor parse-feed --help"');
    const out = new CliOutput(values.json, stdout, stderr);
    let failures = 0;
    for (const file of positionals) {
      try {
        const feed = await readFeedBytes(await readFile(file), undefined, {});
        out.record({
          file,
          ok: true,
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
        });
        out.say(`${file}: ${feed.title ?? '(untitled)'}, ${feed.items.length} items`);
      } catch (error) {
        failures++;
        const reason = describeError(error);
        out.record({
          file,
          ok: false,
          error: reason,
          feed: { title: null, link: null, id: null },
          items: [],
        });
        out.say(`${file}: ${reason}`);
      }
    }
    return failures > 0 ? 1 : 0;
  },
};

function asTyped(text: string, html: boolean): string {
  return html ? text.replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
}
