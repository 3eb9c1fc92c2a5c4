/** One measured figure, printed as a JSON line by `npm run bench`. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: { atLeast?: number; atMost?: number };
  details?: Record<string, unknown>;
}

export function meetsTarget(result: BenchResult): boolean | undefined {
  if (!result.target) return undefined;
  const { atLeast, atMost } = result.target;
  return (
    (atLeast === undefined || result.value >= atLeast) && (atMost === undefined || result.value <= atMost)
  );
}
