import * as z from 'zod';
import { formatIssues } from '../validation.ts';
import { FeedParseError, type RawFeed } from './raw-feed.ts';

const jsonFeedItem = z
  .object({
    id: z.union([z.string(), z.number()]).optional(),
    url: z.string().optional(),
    external_url: z.string().optional(),
    title: z.string().optional(),
    content_html: z.string().optional(),
    content_text: z.string().optional(),
    summary: z.string().optional(),
    date_published: z.string().optional(),
    date_modified: z.string().optional(),
    language: z.string().optional(),
  })
  .loose();

const jsonFeed = z
  .object({
    version: z
      .string()
      .regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?$/, 'is not a JSON Feed 1.x version URL'),
    title: z.string().optional(),
    home_page_url: z.string().optional(),
    feed_url: z.string().optional(),
    language: z.string().optional(),
    items: z.array(z.unknown()),
  })
  .loose();

/**
 * JSON Feed 1.0 and 1.1. An item that is not an object or lacks the basics is skipped rather than
 * failing the whole feed, as a broken XML entry would be.
 */
export function parseJsonFeed(text: string): RawFeed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FeedParseError(
      `not a valid JSON Feed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const feed = jsonFeed.safeParse(value);
  if (!feed.success) throw new FeedParseError(`not a valid JSON Feed: ${formatIssues(feed.error)[0]}`);
  const items: RawFeed['items'] = [];
  for (const entry of feed.data.items) {
    const item = jsonFeedItem.safeParse(entry);
    if (!item.success) continue;
    const i = item.data;
    items.push({
      title: i.title,
      link: i.url ?? i.external_url,
      guid: i.id === undefined ? undefined : String(i.id),
      summary: i.summary ?? i.content_html ?? i.content_text,
      date: i.date_published ?? i.date_modified,
      language: i.language,
    });
  }
  return {
    title: feed.data.title,
    link: feed.data.home_page_url,
    language: feed.data.language,
    items,
  };
}
