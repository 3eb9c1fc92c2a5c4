import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '#shared/feeds/decode-feed.ts';
import { canonicaliseUrl, plainText } from '#shared/feeds/normalise-item.ts';
import { FeedParseError } from '#shared/feeds/raw-feed.ts';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';

const fixture = (name: string) => readFile(`test/fixtures/feeds/${name}`);

describe('readFeedBytes', () => {
  it('reads RSS 2.0: plain-text summaries, absolute and canonical links, ISO dates', async () => {
    const feed = await readFeedBytes(await fixture('andes-wire.xml'), 'application/rss+xml', {
      url: 'https://andes-wire.example/rss',
      lang: 'en',
    });
    expect(feed.title).toBe('Andes Wire (test fixture)');
    const [first, second] = feed.items;
    expect(first).toMatchObject({
      id: 'andes-0001',
      canonicalUrl: 'https://andes-wire.example/2025/11/petro-intelligence',
      summary: 'The order follows US strikes on boats in the Caribbean.',
      publishedAt: '2025-11-11T14:05:00.000Z',
      source: 'Andes Wire (test fixture)',
      lang: 'en',
    });
    expect(second?.url).toBe('https://andes-wire.example/2025/10/pacific-strike');
  });

  it('reads Atom', async () => {
    const feed = await readFeedBytes(await fixture('caribe-hoy.atom'), undefined, { lang: 'es' });
    expect(feed.items).toHaveLength(3);
    expect(feed.items[0]).toMatchObject({
      id: 'urn:caribe-hoy:entry:1',
      title: 'Petro ordena suspender el intercambio de inteligencia con Estados Unidos',
      canonicalUrl: 'https://andes-wire.example/2025/11/petro-intelligence',
      publishedAt: '2025-11-11T15:00:00.000Z',
    });
  });

  it('separates a news-search headline from its outlet', async () => {
    const xml = `<rss version="2.0"><channel><title>Search</title><item><title>Petro answers Trump - Outlet Daily</title><link>https://news.example/a</link><source url="https://outlet.example">Outlet Daily</source></item></channel></rss>`;
    const feed = await readFeedBytes(Buffer.from(xml), undefined, {});
    expect(feed.items[0]).toMatchObject({ title: 'Petro answers Trump', source: 'Outlet Daily' });
  });

  it('never expands entities a document declares for itself', async () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY boom "BOOM">]><rss version="2.0"><channel><title>t</title><item><title>Safe</title><guid>g</guid></item></channel></rss>`;
    const feed = await readFeedBytes(Buffer.from(xml), undefined, {});
    expect(feed.items.map((i) => i.title)).toEqual(['Safe']);
    const withEntity = xml.replace('<title>Safe</title>', '<title>&boom;</title>');
    const expanded = await readFeedBytes(Buffer.from(withEntity), undefined, {});
    expect(expanded.items.map((i) => i.title)).toEqual(['&boom;']);
  });

  it('never lets an item link inherit the credentials or query of the feed URL', async () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>relative</title><link>/2025/a</link></item>
      <item><title>fragment</title><link>#top</link><guid>g-2</guid></item>
      <item><title>explicit</title><link>https://someone:pw@news.example/b</link></item>
      </channel></rss>`;
    const feed = await readFeedBytes(Buffer.from(xml), 'application/rss+xml', {
      url: 'https://reader:hunter22@feeds.example/rss?apikey=k3y',
    });
    expect(feed.items.map((i) => [i.url, i.canonicalUrl])).toEqual([
      ['https://feeds.example/2025/a', 'https://feeds.example/2025/a'],
      [undefined, undefined],
      ['https://news.example/b', 'https://news.example/b'],
    ]);
  });

  it('rejects what is not a feed with a reason', async () => {
    await expect(readFeedBytes(Buffer.from('<html><body>hi</body></html>'), 'text/html', {})).rejects.toThrow(
      /not a valid RSS or Atom feed/,
    );
    await expect(readFeedBytes(Buffer.from('{"not":"xml"}'), undefined, {})).rejects.toThrow(
      /not a valid JSON Feed: version/,
    );
    await expect(readFeedBytes(Buffer.from('plain words'), undefined, {})).rejects.toThrow(FeedParseError);
  });
});

describe('item ids', () => {
  it('falls back from the GUID to the canonical URL, then to a hash of title and date', async () => {
    const xml = `<rss version="2.0"><channel><title>t</title>
      <item><title>With guid</title><guid>g-1</guid><link>https://n.example/a</link></item>
      <item><title>With link</title><link>https://n.example/b?utm_source=x#top</link></item>
      <item><title>Bare</title><pubDate>Tue, 11 Nov 2025 14:05:00 GMT</pubDate></item>
      <item><title>Bare</title><pubDate>Tue, 11 Nov 2025 14:05:00 GMT</pubDate></item>
    </channel></rss>`;
    const [guid, link, bare, again] = (await readFeedBytes(Buffer.from(xml), undefined, {})).items;
    expect(guid?.id).toBe('g-1');
    expect(link?.id).toBe('https://n.example/b');
    expect(bare?.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(again?.id).toBe(bare?.id);
  });
});

describe('decodeFeedBytes', () => {
  const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><t>Bogot\xe1</t>', 'latin1');

  it('follows the XML declaration', () => {
    expect(decodeFeedBytes(latin1)).toContain('Bogotá');
  });

  it('prefers the Content-Type charset, and falls back when it wrongly claims UTF-8', () => {
    expect(decodeFeedBytes(Buffer.from('<t>Bogot\xe1</t>', 'latin1'), 'text/xml; charset=windows-1252')).toBe(
      '<t>Bogotá</t>',
    );
    expect(decodeFeedBytes(latin1, 'text/xml; charset=utf-8')).toContain('Bogotá');
  });

  it('honours a byte-order mark over everything else', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<t>Bogotá</t>', 'utf16le')]);
    expect(decodeFeedBytes(utf16, 'text/xml; charset=iso-8859-1')).toBe('<t>Bogotá</t>');
  });
});

describe('normalising helpers', () => {
  it('strips markup and collapses whitespace', () => {
    expect(plainText('<p>Petro &amp; <i>Trump</i>\n  meet</p>')).toBe('Petro & Trump meet');
  });

  it('removes tracking parameters and fragments, keeps the rest', () => {
    expect(canonicaliseUrl('https://News.Example/a?id=7&utm_source=x&fbclid=y&gclid=z#frag')).toBe(
      'https://news.example/a?id=7',
    );
  });
});
