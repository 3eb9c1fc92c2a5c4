import type { MatchInput } from './storyline-matcher.ts';

/** A headline with the answer a person gave: does it belong to the storyline? */
export interface LabelledItem extends MatchInput {
  id: string;
  relevant: boolean;
  lang?: string;
}

/** The least a decision must say about an item to be evaluated. */
export interface Verdict {
  relevant: boolean;
}

export interface Evaluation<R extends Verdict = Verdict> {
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
  misses: Array<LabelledItem & { result: R }>;
  falseAlarms: Array<LabelledItem & { result: R }>;
}

export function evaluateMatcher<R extends Verdict>(
  items: readonly LabelledItem[],
  match: (item: MatchInput) => R,
): Evaluation<R> {
  const misses: Evaluation<R>['misses'] = [];
  const falseAlarms: Evaluation<R>['falseAlarms'] = [];
  let truePositives = 0;
  for (const item of items) {
    const result = match(item);
    if (result.relevant && item.relevant) truePositives++;
    else if (result.relevant) falseAlarms.push({ ...item, result });
    else if (item.relevant) misses.push({ ...item, result });
  }
  const figures = detectionFigures(
    truePositives,
    falseAlarms.length,
    misses.length,
    items.length - truePositives - falseAlarms.length - misses.length,
  );
  return {
    items: items.length,
    relevant: truePositives + misses.length,
    truePositives,
    falsePositives: falseAlarms.length,
    falseNegatives: misses.length,
    ...figures,
    misses,
    falseAlarms,
  };
}

export interface DetectionFigures {
  precision: number;
  recall: number;
  f1: number;
  pMiss: number;
  pFalseAlarm: number;
  /** The TDT detection cost: P_miss + 4.9 * P_fa. */
  detectionCost: number;
}

/** Cost of a false alarm against a miss in the TDT detection cost. */
export const FALSE_ALARM_COST = 4.9;

export function detectionFigures(
  truePositives: number,
  falsePositives: number,
  falseNegatives: number,
  trueNegatives: number,
): DetectionFigures {
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, truePositives + falseNegatives);
  const pMiss = ratio(falseNegatives, truePositives + falseNegatives);
  const pFalseAlarm = ratio(falsePositives, falsePositives + trueNegatives);
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    pMiss,
    pFalseAlarm,
    detectionCost: pMiss + FALSE_ALARM_COST * pFalseAlarm,
  };
}

function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}
