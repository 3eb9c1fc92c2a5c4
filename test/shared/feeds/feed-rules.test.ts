import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeFeedBytes } from '#shared/feeds/decode-feed.ts';
import { FeedParseTimeoutError } from '#shared/feeds/raw-feed.ts';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

const fixture = (name: string) => readFile(`test/fixtures/feeds/rules/${name}`);
const read = async (name: string, url?: string) => readFeedBytes(await fixture(name), undefined, { url });

describe('entries without a title', () => {
  it('keeps an Atom entry that has only an id and a link', async () => {
    const feed = await read('untitled-entries.atom');
    expect(feed.id).toBe('urn:harbour-notes:feed');
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({
      id: 'urn:harbour-notes:entry:1',
      title: '',
      url: 'https://harbour-notes.example/2025/11/ferry',
      headline: 'https://harbour-notes.example/2025/11/ferry',
    });
  });

  it('keeps social posts, shows their first words as the headline and matches them on their text', async () => {
    const feed = await read('social-posts.xml');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://social.example/@cartagena_watch/1101',
      'https://social.example/@cartagena_watch/1102',
    ]);
    const [post, short] = feed.items;
    expect(post?.title).toBe('');
    expect(post?.headline).toBe(
      'Petro suspends intelligence sharing with the United States after another boat strike…',
    );
    expect(short?.headline).toBe('Market day.');
    const [storyline] = await loadStorylines('seeds/storylines');
    const matcher = new StorylineMatcher(storyline as NonNullable<typeof storyline>);
    expect(matcher.match(post as NonNullable<typeof post>).relevant).toBe(true);
  });
});

describe('Atom text constructs', () => {
  it('reads each by its type: text keeps its brackets, HTML and XHTML lose their tags, not their words', async () => {
    const feed = await read('atom-text-constructs.atom');
    expect(feed.title).toBe('Markup & Manners');
    expect(feed.items.map((i) => [i.title, i.titleWasHtml])).toEqual([
      ['Why the <marquee> element scrolled away', false],
      ['Browsers drop bold claims', true],
      ['A guide to the <details> element, finally done', true],
      ['Petro meets the press', true],
      ['Port reopens at dawn', true],
    ]);
    expect(feed.items[3]?.summary).toBe('Base64 body');
  });

  it('decodes Atom 0.3 base64 titles', async () => {
    const feed = await read('atom-0.3-base64.xml');
    expect(feed.title).toBe('Old Wire Archive');
    expect(feed.items[0]?.title).toBe('Strike in the <caribbean>');
  });
});

describe('links', () => {
  it('resolves relative links against the feed URL and keeps absolute ones as written', async () => {
    const feed = await read('relative-links.xml', 'https://relative-wire.example/feeds/rss.xml');
    expect(feed.link).toBe('https://relative-wire.example/');
    expect(feed.items.map((i) => i.url)).toEqual([
      'https://relative-wire.example/2025/11/ministers',
      'https://Relative-Wire.example/Story',
    ]);
    expect(feed.items[1]?.canonicalUrl).toBe('https://relative-wire.example/Story');
  });
});

describe('namespace prefixes', () => {
  it.each([
    ['prefixed-rss-1.0.xml', 'Prefix Wire', 'Customs seize a semi-submersible'],
    ['prefixed-rss-2.0.xml', 'Userland Wire', 'Coast guard patrol extended'],
    ['prefixed-atom.xml', 'Prefixed Atom', 'Talks resume in Panama'],
  ])('reads %s', async (name, title, itemTitle) => {
    const feed = await read(name);
    expect(feed.title).toBe(title);
    expect(feed.items.map((i) => i.title)).toEqual([itemTitle]);
  });

  it('leaves an atom:link inside RSS 2.0 alone', async () => {
    expect((await read('prefixed-rss-2.0.xml')).link).toBe('https://userland-wire.example/');
  });
});

describe('empty and cut-off documents', () => {
  it.each(['empty-channel.xml', 'no-channel.xml'])('reads %s as a feed with no items', async (name) => {
    const feed = await read(name);
    expect(feed.items).toEqual([]);
    expect(feed.partial).toBe(false);
  });

  it('keeps the whole items before the cut, drops the one it fell in, and says it was partial', async () => {
    const feed = await read('truncated-after-items.xml');
    expect(feed.title).toBe('Cut Wire');
    expect(feed.items.map((i) => i.id)).toEqual(['cw-1', 'cw-2']);
    expect(feed.partial).toBe(true);
  });

  it('reads a document cut off before its last ">"', async () => {
    const feed = await read('truncated-last-tag.xml');
    expect(feed.items.map((i) => i.id)).toEqual(['close-1']);
    expect(feed.partial).toBe(true);
  });
});

describe('encodings without a byte-order mark', () => {
  it.each([
    'utf-16le-no-bom.xml',
    'utf-16be-no-bom.xml',
    'utf-32le-no-bom.xml',
    'utf-32be-no-bom.xml',
    'utf-32be-bom.xml',
  ])('detects %s', async (name) => {
    const feed = await read(name);
    expect(feed.title).toBe('Ancho');
    expect(feed.items[0]?.title).toBe('Cartagena: señal');
  });

  it('repairs one invalid byte in UTF-8 instead of reading the whole feed as windows-1252', async () => {
    const feed = await read('utf-8-one-bad-byte.xml');
    expect(feed.items[0]?.title).toBe('Un été en Bogotá');
    expect(feed.items[0]?.summary).toBe('Café y más');
  });

  it('still reads a document that is windows-1252 throughout as windows-1252', () => {
    const bytes = Buffer.from('<t>Caf\xe9, Bogot\xe1 y \x93m\xe1s\x94</t>', 'latin1');
    expect(decodeFeedBytes(bytes, 'text/xml; charset=utf-8')).toBe('<t>Café, Bogotá y “más”</t>');
  });
});

describe('entities', () => {
  it('mends an upper-case hexadecimal reference, HTML entities and bare ampersands in attributes', async () => {
    const feed = await read('entities.xml');
    expect(feed.title).toBe('Entities – Wire');
    expect(feed.items[0]).toMatchObject({
      title: 'Petro’s “answer” to the strikes',
      url: 'https://entities.example/a?x=1&y=2',
    });
  });
});

describe('CDF', () => {
  it('reads a Channel Definition Format channel', async () => {
    const feed = await read('cdf-channel.xml');
    expect(feed).toMatchObject({ title: 'CDF Wire', link: 'https://cdf-wire.example/' });
    expect(feed.items[0]).toMatchObject({
      title: 'Channel item',
      url: 'https://cdf-wire.example/1',
      summary: 'Its abstract',
      publishedAt: '2004-04-07T04:05:43.000Z',
    });
  });
});

describe('time limit', () => {
  it('stops reading a feed past its time limit with a typed error', async () => {
    const items = Array.from(
      { length: 20_000 },
      (_, i) => `<item><title>Item ${i}</title><guid>t-${i}</guid></item>`,
    ).join('');
    const bytes = Buffer.from(`<rss version="2.0"><channel><title>Big</title>${items}</channel></rss>`);
    const error = await readFeedBytes(bytes, undefined, {}, { timeLimitMs: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FeedParseTimeoutError);
    expect((error as Error).message).toMatch(/took longer than 1 ms/);
  });
});
