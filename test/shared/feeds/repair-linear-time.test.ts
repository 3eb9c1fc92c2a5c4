import { describe, expect, it } from 'vitest';
import { readFeedBytes } from '#shared/feeds/read-feed.ts';

const MB = 1024 * 1024;

/** Repeats `unit` to about 1 MB between a head and a tail. */
function shape(head: string, unit: string, tail = ''): Buffer {
  return Buffer.from(head + unit.repeat(Math.ceil((MB - head.length - tail.length) / unit.length)) + tail);
}

function plainFeed(): Buffer {
  const item = (i: number) =>
    `<item><title>Headline ${i}: Petro &amp; Trump</title><link>https://plain.example/${i}</link><guid>g-${i}</guid><description>&lt;p&gt;Words of a summary, with a link.&lt;/p&gt;</description></item>\n`;
  const items: string[] = [];
  let size = 0;
  for (let i = 0; size < MB; i++) {
    items.push(item(i));
    size += items[i]?.length ?? 0;
  }
  return Buffer.from(
    `<?xml version="1.0"?><rss version="2.0"><channel><title>Plain</title>${items.join('')}</channel></rss>`,
  );
}

const RSS_HEAD = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>';
const PATHOLOGICAL: Array<[string, Buffer]> = [
  [
    'a DOCTYPE of 40 bracket pairs with no "]>" after them',
    shape(`${RSS_HEAD.slice(0, 21)}<!DOCTYPE rss ${'[]'.repeat(40)}`, 'words without an end '),
  ],
  ['a DOCTYPE of bracket pairs to 1 MB', shape('<!DOCTYPE rss ', '[]', '<rss/>')],
  ['unclosed CDATA sections', shape(`${RSS_HEAD}<item><title>`, '<![CDATA[x')],
  ['unclosed comments', shape(RSS_HEAD, '<!--x')],
  [
    'unclosed XHTML titles',
    shape('<feed xmlns="http://www.w3.org/2005/Atom"><entry>', '<title type="xhtml"><div>x'),
  ],
  ['end tags cut short', shape(RSS_HEAD, '</a')],
  ['end tags that close nothing, after deep nesting', shape(`${RSS_HEAD}${'<a>'.repeat(100_000)}`, '</b>')],
  ['attribute quotes never closed', shape(RSS_HEAD, '<a b="x')],
  ['declarations never closed', shape(RSS_HEAD, '<!x')],
];

async function timeToRead(bytes: Buffer): Promise<number> {
  const start = performance.now();
  await readFeedBytes(bytes, undefined, {}).catch(() => undefined);
  return performance.now() - start;
}

describe('repair in linear time', () => {
  it('reads each pathological 1 MB shape within 10 times a plain 1 MB feed', async () => {
    const plain = plainFeed();
    await timeToRead(plain);
    const baseline = Math.min(await timeToRead(plain), await timeToRead(plain));
    for (const [name, bytes] of PATHOLOGICAL) {
      expect(bytes.length, name).toBeGreaterThanOrEqual(MB - 16);
      const took = await timeToRead(bytes);
      // 10x the plain feed, with 100 ms of slack for a busy machine's noise on short runs.
      expect(took, `${name}: ${took.toFixed(0)} ms against ${baseline.toFixed(0)} ms`).toBeLessThan(
        10 * baseline + 100,
      );
    }
  }, 120_000);
});
