import { appendFile, readFile, truncate } from 'node:fs/promises';
import type { Label } from '#shared/storyline/labels-file.ts';
import { parseLabels } from '#shared/storyline/labels-file.ts';
import type { MatchResult, StorylineMatcher } from '#shared/storyline/storyline-matcher.ts';

/** An item that may be labelled: what the labels file keeps of it, and what the storyline made of it. */
export interface LabelCandidate {
  item: Omit<Label, 'relevant'>;
  result: MatchResult;
  /** How far the score is from the threshold: the smaller, the less sure the storyline is. */
  margin: number;
}

/**
 * The items a person should label first: those the storyline is least sure of (closest to its
 * threshold), in an order that does not depend on the items' order, leaving out what the labels
 * file already holds (by id, or by the same headline).
 */
export function candidatesToLabel(
  matcher: StorylineMatcher,
  items: ReadonlyArray<Omit<Label, 'relevant'>>,
  labelled: readonly Label[],
): LabelCandidate[] {
  const ids = new Set(labelled.map((l) => l.id));
  const titles = new Set(labelled.map((l) => titleKey(l.title)));
  const candidates: LabelCandidate[] = [];
  for (const item of items) {
    const key = titleKey(item.title);
    if (ids.has(item.id) || titles.has(key)) continue;
    titles.add(key);
    const result = matcher.match(item);
    candidates.push({ item, result, margin: Math.abs(result.score - matcher.decision.threshold) });
  }
  return candidates.sort(leastSureFirst);
}

/**
 * Closest to the threshold first. Ties (a draft's prior gives many equal scores) go to what the
 * storyline keeps, then by id, so the order does not depend on which feed answered first.
 */
function leastSureFirst(a: LabelCandidate, b: LabelCandidate): number {
  return (
    a.margin - b.margin ||
    b.result.score - a.result.score ||
    (a.item.id < b.item.id ? -1 : a.item.id > b.item.id ? 1 : 0)
  );
}

function titleKey(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * A labels file being added to: each answer is appended as one JSON line, so nothing is lost if
 * the session ends abruptly, and an undo cuts the file back to where it was before that line.
 */
export class LabelsAppender {
  private constructor(
    readonly file: string,
    readonly existing: Label[],
    private size: number,
  ) {}

  /** Reads what the file holds (a bad line is an error naming it); a missing file is empty. */
  static async open(file: string): Promise<LabelsAppender> {
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const existing = parseLabels(text, file);
    if (text !== '' && !text.endsWith('\n')) {
      await appendFile(file, '\n');
      text += '\n';
    }
    return new LabelsAppender(file, existing, Buffer.byteLength(text));
  }

  /** Appends a label; returns the file's size before it, for undo. */
  async append(label: Label): Promise<number> {
    const before = this.size;
    const line = `${JSON.stringify(label)}\n`;
    await appendFile(this.file, line);
    this.size += Buffer.byteLength(line);
    return before;
  }

  async cutBackTo(size: number): Promise<void> {
    await truncate(this.file, size);
    this.size = size;
  }
}

export type Answer = 'yes' | 'no' | 'skip';

interface Step {
  index: number;
  answer: Answer;
  /** The file's size before this answer's line; undefined for a skip (nothing written). */
  sizeBefore: number | undefined;
}

/** The labelling session's state: which item is asked, and what undo takes back. */
export class LabelSession {
  private position = 0;
  private readonly history: Step[] = [];

  constructor(
    readonly candidates: readonly LabelCandidate[],
    private readonly labels: LabelsAppender,
  ) {}

  get current(): LabelCandidate | undefined {
    return this.candidates[this.position];
  }

  get asked(): number {
    return this.position;
  }

  counts(): { yes: number; no: number; skipped: number } {
    const count = (answer: Answer) => this.history.filter((s) => s.answer === answer).length;
    return { yes: count('yes'), no: count('no'), skipped: count('skip') };
  }

  async answer(answer: Answer): Promise<void> {
    const candidate = this.current;
    if (!candidate) return;
    const sizeBefore =
      answer === 'skip' ? undefined : await this.labels.append(toLabel(candidate.item, answer === 'yes'));
    this.history.push({ index: this.position, answer, sizeBefore });
    this.position++;
  }

  /** Takes back the last answer (its line leaves the file) and asks that item again. */
  async undo(): Promise<LabelCandidate | undefined> {
    const step = this.history.pop();
    if (!step) return undefined;
    if (step.sizeBefore !== undefined) await this.labels.cutBackTo(step.sizeBefore);
    this.position = step.index;
    return this.current;
  }
}

/** The line storyline train reads: id, title and what is known of the item, then the answer. */
export function toLabel(item: Omit<Label, 'relevant'>, relevant: boolean): Label {
  const label: Omit<Label, 'relevant'> = { id: item.id, title: item.title };
  if (item.summary) label.summary = item.summary;
  if (item.lang) label.lang = item.lang;
  if (item.publishedAt) label.publishedAt = item.publishedAt;
  if (item.url) label.url = item.url;
  if (item.source) label.source = item.source;
  return { ...label, relevant };
}
