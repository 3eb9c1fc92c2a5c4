import type { MatchInput, MatchResult } from './storyline-matcher.ts';

/** A headline with the answer a person gave: does it belong to the storyline? */
export interface LabelledItem extends MatchInput {
  id: string;
  relevant: boolean;
  lang?: string;
}

export interface Evaluation {
  items: number;
  relevant: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Miss and false-alarm rates, and the TDT detection cost P_miss + 4.9 * P_fa. */
  pMiss: number;
  pFalseAlarm: number;
  detectionCost: number;
  misses: Array<LabelledItem & { result: MatchResult }>;
  falseAlarms: Array<LabelledItem & { result: MatchResult }>;
}

export function evaluateMatcher(
  items: readonly LabelledItem[],
  match: (item: MatchInput) => MatchResult,
): Evaluation {
  const misses: Evaluation['misses'] = [];
  const falseAlarms: Evaluation['falseAlarms'] = [];
  let truePositives = 0;
  for (const item of items) {
    const result = match(item);
    if (result.relevant && item.relevant) truePositives++;
    else if (result.relevant) falseAlarms.push({ ...item, result });
    else if (item.relevant) misses.push({ ...item, result });
  }
  const relevant = items.filter((i) => i.relevant).length;
  const irrelevant = items.length - relevant;
  const precision = ratio(truePositives, truePositives + falseAlarms.length);
  const recall = ratio(truePositives, relevant);
  const pMiss = ratio(misses.length, relevant);
  const pFalseAlarm = ratio(falseAlarms.length, irrelevant);
  return {
    items: items.length,
    relevant,
    truePositives,
    falsePositives: falseAlarms.length,
    falseNegatives: misses.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    pMiss,
    pFalseAlarm,
    detectionCost: pMiss + 4.9 * pFalseAlarm,
    misses,
    falseAlarms,
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
