import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { UserInputError } from '../errors.ts';
import { LANGUAGES } from '../storyline/storyline-schema.ts';
import { formatIssues, parseJsonText } from '../validation.ts';

const feedSourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/, 'must be lower-case letters, digits and - _ .'),
    url: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .refine((u) => u.length <= 2048, 'must be at most 2048 characters'),
    lang: z.enum(LANGUAGES).optional(),
    name: z.string().trim().min(1).optional(),
  })
  .strict();

export const feedListSchema = z
  .array(feedSourceSchema)
  .min(1, 'needs at least one feed')
  .superRefine((feeds, ctx) => {
    const seen = new Set<string>();
    feeds.forEach((feed, i) => {
      if (seen.has(feed.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate feed id "${feed.id}"` });
      seen.add(feed.id);
    });
  });

export type FeedSource = z.infer<typeof feedSourceSchema>;

export class FeedListError extends UserInputError {
  override name = 'FeedListError';
}

export function parseFeedList(text: string, file: string): FeedSource[] {
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new FeedListError(`feeds file ${file}: ${parsed.error}`);
  const result = feedListSchema.safeParse(parsed.value);
  if (!result.success) {
    const issues = formatIssues(result.error);
    throw new FeedListError(`feeds file ${file} is invalid: ${issues.join('; ')}`);
  }
  return result.data;
}

export async function loadFeedList(file: string): Promise<FeedSource[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FeedListError(`feeds file ${file} cannot be read; check the path given to --feeds`, {
      cause: error,
    });
  }
  return parseFeedList(text, file);
}
