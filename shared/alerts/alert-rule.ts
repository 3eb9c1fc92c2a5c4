import * as z from 'zod';
import { SAME_DEVELOPMENT_WINDOW_HOURS } from '../digest/cluster-items.ts';
import type { StoredItem } from '../store/records.ts';

const score = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? "is required: the score an item needs to be alerted, above the decision's threshold"
        : 'must be a number',
  })
  .refine(Number.isFinite, 'must be a finite number');

/**
 * When a match cannot wait for the digest. `minScore` is on the decision's score scale (log-odds)
 * and must be above its threshold; `themes`, when given, limits alerts to items that fired one of
 * them. Reports of one development within `windowHours` make one alert; past `maxPerHour` alerts
 * in the last hour the rest wait for the digest.
 */
export const alertRuleSchema = z
  .object({
    minScore: score,
    themes: z
      .array(z.string().trim().min(1, 'must not be empty'))
      .min(1, 'must name at least one theme, or be left out for every theme')
      .optional(),
    maxPerHour: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(60, 'must be at most 60')
      .default(3),
    windowHours: z
      .number()
      .positive('must be greater than 0')
      .max(168, 'must be at most 168 (a week)')
      .default(SAME_DEVELOPMENT_WINDOW_HOURS),
  })
  .strict();

export type AlertRule = z.infer<typeof alertRuleSchema>;

/** Problems a rule has with its own storyline, as [path inside the rule, message]. */
export function alertRuleProblems(
  rule: AlertRule,
  themeIds: readonly string[],
  decisionThreshold: number,
): Array<[Array<string | number>, string]> {
  const problems: Array<[Array<string | number>, string]> = [];
  if (rule.minScore <= decisionThreshold) {
    problems.push([
      ['minScore'],
      `must be above the decision's threshold (${decisionThreshold}), or every match would be an alert`,
    ]);
  }
  rule.themes?.forEach((theme, i) => {
    if (!themeIds.includes(theme)) {
      problems.push([['themes', i], `"${theme}" is not one of the storyline's theme ids`]);
    }
  });
  return problems;
}

/** Whether a stored match passes the rule's bar (the development's other reports need not). */
export function passesAlertRule(rule: AlertRule, item: Pick<StoredItem, 'score' | 'themes'>): boolean {
  if (item.score < rule.minScore) return false;
  return rule.themes === undefined || item.themes.some((t) => rule.themes?.includes(t));
}
