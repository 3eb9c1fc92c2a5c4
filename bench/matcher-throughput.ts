import { readFile } from 'node:fs/promises';
import { loadStorylines } from '#shared/storyline/load-storylines.ts';
import { StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';
import type { BenchResult } from './bench-result.ts';

const ROUNDS = 7;
const PER_ROUND = 100_000;

/**
 * Headlines matched per second on one core against the seed storyline, over the labelled
 * headlines of the development and hold-out sets (English, Spanish, Portuguese), repeated.
 * Several rounds are timed and the median is reported: the machines are shared and noisy.
 */
export async function benchMatcher(): Promise<BenchResult> {
  const [storyline] = await loadStorylines('seeds/storylines');
  if (!storyline) throw new Error('no seed storyline');
  const matcher = new StorylineMatcher(storyline);
  const titles: string[] = [];
  for (const file of ['dev-set.jsonl', 'holdout-set.jsonl', 'second-holdout-set.jsonl']) {
    const text = await readFile(`test/fixtures/matching/${file}`, 'utf8');
    for (const line of text.split('\n')) if (line.trim()) titles.push(JSON.parse(line).title);
  }
  const inputs = Array.from({ length: PER_ROUND }, (_, i) => ({
    title: titles[i % titles.length] as string,
  }));
  for (const input of inputs.slice(0, 20_000)) matcher.match(input);

  const rates: number[] = [];
  let relevant = 0;
  for (let round = 0; round < ROUNDS; round++) {
    relevant = 0;
    const start = process.hrtime.bigint();
    for (const input of inputs) if (matcher.match(input).relevant) relevant++;
    rates.push(inputs.length / (Number(process.hrtime.bigint() - start) / 1e9));
  }
  rates.sort((a, b) => a - b);
  return {
    name: 'matcher-throughput',
    value: Math.round(rates[Math.floor(ROUNDS / 2)] as number),
    unit: 'headlines/s (median of 7 rounds)',
    target: { atLeast: 200_000 },
    details: {
      headlinesPerRound: PER_ROUND,
      distinctHeadlines: titles.length,
      relevantPerRound: relevant,
      slowest: Math.round(rates[0] as number),
      fastest: Math.round(rates.at(-1) as number),
    },
  };
}
