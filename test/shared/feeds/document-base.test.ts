import { describe, expect, it } from 'vitest';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';

// Written for these tests: every reference relative, as some generators write them.
const ATOM = `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Relative Wire</title>
  <id>/feeds/relative-wire</id>
  <link rel="alternate" type="text/html" href="/front"/>
  <entry>
    <title>Ports reopen after the strike</title>
    <id>/stories/ports-reopen</id>
    <link rel="alternate" type="text/html" href="stories/ports-reopen.html"/>
  </entry>
</feed>`;

const read = (xml: string, url?: string) => readFeedBytes(Buffer.from(xml), undefined, { url });

describe('relative links and ids against the document URL', () => {
  it('resolves the feed link, the feed id, the entry id and link against the document URL', async () => {
    const feed = await read(ATOM, 'https://wire.example/feeds/atom.xml');
    expect(feed.link).toBe('https://wire.example/front');
    expect(feed.id).toBe('https://wire.example/feeds/relative-wire');
    expect(feed.items[0]).toMatchObject({
      id: 'https://wire.example/stories/ports-reopen',
      url: 'https://wire.example/feeds/stories/ports-reopen.html',
    });
  });

  it('leaves them relative when the document has no URL (a file), and gives no item link', async () => {
    const feed = await read(ATOM);
    expect(feed.id).toBe('/feeds/relative-wire');
    expect(feed.link).toBe('/front');
    expect(feed.items[0]).toMatchObject({ id: '/stories/ports-reopen', url: undefined });
  });

  it('lets xml:base win over the document URL, itself relative to that URL', async () => {
    const based = ATOM.replace('<feed ', '<feed xml:base="/mirror/" ')
      .replace('<id>/feeds/relative-wire</id>', '<id>relative-wire</id>')
      .replace('<entry>', '<entry xml:base="https://other.example/desk/">');
    const feed = await read(based, 'https://wire.example/feeds/atom.xml');
    expect(feed.link).toBe('https://wire.example/front');
    expect(feed.id).toBe('https://wire.example/mirror/relative-wire');
    expect(feed.items[0]).toMatchObject({
      id: 'https://other.example/stories/ports-reopen',
      url: 'https://other.example/desk/stories/ports-reopen.html',
    });
  });

  it('keeps an id with a scheme exactly as written, and an RSS GUID as written whatever it looks like', async () => {
    const atom = ATOM.replace(
      '<id>/stories/ports-reopen</id>',
      '<id>HTTP://Wire.Example/Stories/1</id>',
    ).replace('<id>/feeds/relative-wire</id>', '<id>tag:wire.example,2025:feed</id>');
    const feed = await read(atom, 'https://wire.example/feeds/atom.xml');
    expect(feed.id).toBe('tag:wire.example,2025:feed');
    expect(feed.items[0]?.id).toBe('HTTP://Wire.Example/Stories/1');

    const rss = `<rss version="2.0"><channel><title>t</title><link>/about</link>
      <item><title>Ports reopen</title><link>/2025/ports</link><guid>story-17</guid></item>
      <item><title>Strike ends</title><guid isPermaLink="false">/2025/strike</guid></item>
      </channel></rss>`;
    const items = (await read(rss, 'https://wire.example/rss')).items;
    expect(items.map((i) => [i.id, i.url])).toEqual([
      ['story-17', 'https://wire.example/2025/ports'],
      ['/2025/strike', undefined],
    ]);
  });
});
