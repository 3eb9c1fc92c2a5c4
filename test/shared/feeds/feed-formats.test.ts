import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { FeedParseError } from '#shared/feeds/raw-feed.ts';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';

const read = async (name: string, contentType?: string, url?: string) =>
  readFeedBytes(await readFile(`test/fixtures/feeds/formats/${name}`), contentType, { url });

describe('feed formats', () => {
  it('reads RSS 0.91 and takes its language from the channel', async () => {
    const feed = await read('rss-0.91.xml');
    expect(feed).toMatchObject({ title: 'Old Wire 0.91', link: 'http://old-wire.example/' });
    expect(feed.items[0]).toMatchObject({ title: 'Petro speaks at the United Nations', lang: 'en' });
  });

  it('reads RSS 1.0 (RDF): rdf:about as the id, dc:date as the date', async () => {
    const feed = await read('rss-1.0-rdf.xml');
    expect(feed.items[0]).toMatchObject({
      id: 'http://rdf-wire.example/2025/11/inteligencia',
      publishedAt: '2025-11-11T21:00:00.000Z',
    });
  });

  it('reads RSS without a version attribute as RSS 2.0', async () => {
    expect((await read('rss-no-version.xml')).items[0]).toMatchObject({
      id: 'nv-1',
      url: 'https://nv.example/a',
    });
  });

  it('reads Atom 0.3: issued dates, escaped summaries, xml:lang', async () => {
    const [item] = (await read('atom-0.3.xml')).items;
    expect(item).toMatchObject({
      title: 'EUA revogam visto de Petro',
      url: 'https://antigo.example/visto',
      id: 'tag:antigo.example,2025:visto',
      publishedAt: '2025-09-27T08:00:00.000Z',
      summary: 'O visto foi revogado.',
      lang: 'pt',
    });
  });

  it('reads Atom 1.0: xml:base, the alternate link, XHTML titles in order, HTML titles as text', async () => {
    const feed = await read('atom-1.0-xml-base.xml');
    expect(feed).toMatchObject({ title: 'Base & Links', link: 'https://base.example/' });
    expect(feed.items[0]).toMatchObject({
      title: 'Hegseth confirms new strike in the Pacific',
      url: 'https://base.example/news/2025/11/pacific-strike.html',
      publishedAt: '2025-11-04T19:15:00.000Z',
      summary: 'Body with a link.',
    });
  });

  it('reads JSON Feed 1.1, skipping entries that are not objects and keeping untitled ones', async () => {
    const feed = await read('json-feed-1.1.json', 'application/feed+json');
    expect(feed.title).toBe('JSON Wire');
    expect(feed.items.map((i) => i.id)).toEqual(['jw-1', '2']);
    expect(feed.items[1]).toMatchObject({ title: '', headline: 'An item with no title' });
    expect(feed.items[0]).toMatchObject({
      title: 'US decertifies Colombia',
      lang: 'en',
      publishedAt: '2025-09-15T22:00:00.000Z',
    });
  });

  it('separates a news-search headline from its outlet', async () => {
    const [item] = (await read('google-news.xml')).items;
    expect(item).toMatchObject({
      title: 'Trump and Petro meet at the White House',
      source: 'Example Times',
      id: 'CBMiAbc',
    });
  });
});

describe('malformations', () => {
  it('repairs HTML entities, bare ampersands, stray "<" and control characters', async () => {
    const [item] = (await read('malformed-entities.xml')).items;
    expect(item?.title).toBe('Petro y Trump: café — AT&T © 3 < 4');
    expect(item?.url).toBe('https://ent.example/a?x=1&y=2');
    expect(item?.summary).toBe('Bare & fine, control chars and &unknownentity; stay text');
  });

  it('keeps what a document cut inside its only item held: the channel, no items, partial', async () => {
    const feed = await read('truncated.xml');
    expect(feed).toMatchObject({ title: 'Cut', items: [], partial: true });
  });

  it('skips junk and a byte-order mark before the XML declaration', async () => {
    expect((await read('junk-before-declaration.xml')).title).toBe('Junk First');
  });

  it('never expands entities declared in the document, internal or external', async () => {
    const feed = await read('doctype-entities.xml');
    expect(feed.title).toBe('Entity Bomb &c;');
    expect(feed.items[0]?.title).toBe('&secret; headline');
  });

  it.each([
    ['not-a-feed.html', /not a valid RSS or Atom feed/],
    ['empty.xml', /not a feed/],
    ['binary.bin', /not a feed/],
  ])('refuses %s with a reason', async (name, reason) => {
    const error = await read(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseError);
    expect((error as Error).message).toMatch(reason);
  });
});

describe('encodings', () => {
  it.each([
    ['windows-1252.xml', undefined, '“Bogotá responde” – Petro'],
    ['latin1-undeclared.xml', undefined, 'Cancillería colombiana: ¡protesta!'],
    ['utf-16le-bom.xml', undefined, 'Maduro y el Caribe: ñandú'],
    ['utf-8-labelled-latin1.xml', undefined, 'Descertificación: Colombia reacciona'],
    ['utf-8-labelled-latin1.xml', 'text/xml; charset=iso-8859-1', 'Descertificación: Colombia reacciona'],
    ['windows-1252.xml', 'application/rss+xml; charset=utf-8', '“Bogotá responde” – Petro'],
  ])('decodes %s (Content-Type %s)', async (name, contentType, title) => {
    expect((await read(name, contentType)).items[0]?.title).toBe(title);
  });
});
