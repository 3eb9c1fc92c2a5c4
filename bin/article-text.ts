import { readFile } from 'node:fs/promises';
import { decodeFeedBytes } from '#shared/feeds/decode-feed.ts';
import { DEFAULT_FETCH_LIMITS, fetchFeed } from '#shared/feeds/fetch-feed.ts';
import { articleBody } from './article-body.ts';
import { UsageError } from './cli-io.ts';

/**
 * The readable text of an article: a text file as it is, an HTML file or a web page reduced to its
 * headings and paragraphs.
 */
export async function readArticle(source: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let outcome: Awaited<ReturnType<typeof fetchFeed>>;
    try {
      // The user names these pages on their own machine, as they could open them in a browser.
      outcome = await fetchFeed(source, {}, { ...DEFAULT_FETCH_LIMITS, privateAddresses: 'allow' });
    } catch (error) {
      throw new UsageError(
        `${source} cannot be fetched (${(error as Error).message}); save the article to a file and pass the file`,
      );
    }
    if (outcome.kind !== 'fetched') throw new UsageError(`${source} answered 304 with no body`);
    return textOf(decodeFeedBytes(outcome.body, outcome.contentType));
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(source);
  } catch {
    throw new UsageError(`${source} cannot be read; check the path`);
  }
  return textOf(decodeFeedBytes(bytes));
}

export function textOf(content: string): string {
  if (!/<(html|body|p|article|div)\b/i.test(content)) return content;
  return articleBody(content);
}
