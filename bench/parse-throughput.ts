import { readFeedBytes } from '#shared/feeds/read-feed.ts';
import type { BenchResult } from './bench-result.ts';

/** An RSS 2.0 feed of `items` entries written for the benchmark, with markup in the summaries. */
function syntheticFeed(items: number, seed: number): Buffer {
  const entries: string[] = [];
  for (let i = 0; i < items; i++) {
    entries.push(`<item><title>Headline ${seed}-${i}: Petro, Trump &amp; the strikes in the Caribbean</title>
<link>https://bench.example/${seed}/${i}?utm_source=rss&amp;utm_medium=feed</link><guid isPermaLink="false">bench-${seed}-${i}</guid>
<pubDate>Tue, 11 Nov 2025 14:${String(i % 60).padStart(2, '0')}:00 GMT</pubDate>
<description><![CDATA[<p>Paragraph with <a href="https://bench.example/x">a link</a>, <b>bold</b> text and an&nbsp;entity. ${'More words for a realistic summary length. '.repeat(4)}</p>]]></description></item>`);
  }
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench ${seed}</title><link>https://bench.example/</link>${entries.join('\n')}</channel></rss>`,
  );
}

async function throughput(
  feeds: Buffer[],
  rounds: number,
): Promise<{ mbPerSecond: number; seconds: number }> {
  const bytes = feeds.reduce((n, f) => n + f.length, 0);
  const timings: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = process.hrtime.bigint();
    for (const feed of feeds) await readFeedBytes(feed, 'application/rss+xml; charset=utf-8', {});
    timings.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  timings.sort((a, b) => a - b);
  const median = timings[Math.floor(rounds / 2)] as number;
  return { mbPerSecond: bytes / 1024 / 1024 / median, seconds: median };
}

/** Decode, repair, parse and normalise: one large feed, and many small ones. */
export async function benchParse(): Promise<BenchResult[]> {
  const large = syntheticFeed(5_000, 0);
  const small = Array.from({ length: 2_000 }, (_, i) => syntheticFeed(5, i + 1));
  await throughput([large], 1);
  const largeResult = await throughput([large], 3);
  const smallResult = await throughput(small, 3);
  const smallBytes = small.reduce((n, f) => n + f.length, 0);
  return [
    {
      name: 'parse-large-feed',
      value: Number(largeResult.mbPerSecond.toFixed(2)),
      unit: 'MB/s (median of 3)',
      details: { bytes: large.length, items: 5_000, seconds: Number(largeResult.seconds.toFixed(3)) },
    },
    {
      name: 'parse-small-feeds',
      value: Number(smallResult.mbPerSecond.toFixed(2)),
      unit: 'MB/s (median of 3)',
      details: {
        files: small.length,
        bytes: smallBytes,
        filesPerSecond: Math.round(small.length / smallResult.seconds),
      },
    },
  ];
}
