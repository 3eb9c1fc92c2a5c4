import { readFile } from 'node:fs/promises';
import * as z from 'zod';
import { UserInputError } from '../errors.ts';
import { parseJsonLines } from '../json-lines.ts';

/** A labelled headline; `source` (or the host of `url`) groups near-copies in cross-validation. */
export const labelSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string(),
  summary: z.string().optional(),
  lang: z.string().optional(),
  publishedAt: z.string().optional(),
  /** The collected corpora write the date as `date`; it stands for `publishedAt`. */
  date: z.string().optional(),
  url: z.string().optional(),
  source: z.string().optional(),
  relevant: z.boolean({ error: 'must be true or false' }),
});

export type Label = Omit<z.infer<typeof labelSchema>, 'date'>;

export class LabelsFileError extends UserInputError {
  override name = 'LabelsFileError';
}

/** Parses JSON Lines of labels; a bad line is reported with its number. Blank lines are skipped. */
export function parseLabels(text: string, file: string): Label[] {
  return parseJsonLines(
    text,
    labelSchema,
    (line, whatIsWrong) => new LabelsFileError(`${file} line ${line}${whatIsWrong}`),
  ).map(({ date, ...label }) => ({ ...label, publishedAt: label.publishedAt ?? date }));
}

export async function readLabelsFile(file: string): Promise<Label[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LabelsFileError(`labels file ${file} cannot be read; check the path`, { cause: error });
  }
  return parseLabels(text, file);
}

/** Where a label came from, for grouping: its `source`, else the host of its `url` without "www.". */
export function sourceOf(label: Pick<Label, 'source' | 'url'>): string | undefined {
  if (label.source) return label.source.toLowerCase().replace(/^www\./, '');
  if (!label.url) return undefined;
  try {
    return new URL(label.url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
