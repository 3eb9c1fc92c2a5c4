import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { load } from 'cheerio/slim';
import { textOf } from '../bin/article-text.ts';
import type { BenchResult } from './bench-result.ts';

/**
 * `npm run bench -- article --pages DIR`: how cleanly `storyline draft` reads a saved news page,
 * on a corpus of real pages whose article text someone else marked (DIR holds one folder per page
 * with `source.html` and `expected.html`, as Mozilla Readability's `test/test-pages` does). Word
 * precision is the share of the words read that belong to the article (menus, other stories'
 * headlines and footers are what lowers it: a draft would take them for the story's vocabulary);
 * recall is the share of the article's words read. Pages whose article has under 150 words are
 * left out. Without --pages there is nothing to score.
 */
export async function benchArticleExtraction(args: readonly string[]): Promise<BenchResult[]> {
  const at = args.indexOf('--pages');
  const pages = at >= 0 ? args[at + 1] : undefined;
  if (!pages) {
    process.stderr.write(
      'article-extraction: skipped (give --pages DIR, e.g. Readability test/test-pages)\n',
    );
    return [];
  }
  const root = resolve(pages);
  let precision = 0;
  let recall = 0;
  let scored = 0;
  for (const page of (await readdir(root)).sort()) {
    let source: string;
    let expected: string;
    try {
      source = await readFile(join(root, page, 'source.html'), 'utf8');
      expected = await readFile(join(root, page, 'expected.html'), 'utf8');
    } catch {
      continue;
    }
    const read = wordCounts(textOf(source));
    const article = wordCounts(load(expected).root().text());
    const articleWords = total(article);
    if (articleWords < 150) continue;
    let shared = 0;
    for (const [word, count] of read) shared += Math.min(count, article.get(word) ?? 0);
    precision += total(read) > 0 ? shared / total(read) : 0;
    recall += shared / articleWords;
    scored++;
  }
  const details = { pages: scored, corpus: root };
  return [
    {
      name: 'article-extraction-precision',
      value: round(precision / scored),
      unit: 'mean word precision of the text read from saved pages',
      details,
    },
    { name: 'article-extraction-recall', value: round(recall / scored), unit: 'mean word recall', details },
  ];
}

function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .split(/[^\p{L}\p{N}]+/u)) {
    if (word.length > 2) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

function total(counts: Map<string, number>): number {
  let sum = 0;
  for (const count of counts.values()) sum += count;
  return sum;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
