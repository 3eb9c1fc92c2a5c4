/** One example: its non-zero features (numbers and values) and its label. */
export interface SparseExample {
  indices: readonly number[];
  values: readonly number[];
  label: boolean;
}

export interface FitOptions {
  featureCount: number;
  /** Gaussian prior per feature: the weight is pulled towards `priorMean[j]` with strength `lambda[j]`. */
  priorMean: Float64Array;
  lambda: Float64Array;
  biasPrior: number;
  /** Strength of the (weak) pull on the bias. */
  biasLambda?: number;
  maxSweeps?: number;
  /** Stops when no weight moved more than this in a sweep. */
  tolerance?: number;
}

export interface FittedModel {
  bias: number;
  weights: Float64Array;
  sweeps: number;
}

/**
 * L2-regularised logistic regression (a Gaussian prior around `priorMean`), fitted by cyclic
 * coordinate descent: one Newton step per weight with a backtracking line search, features in
 * a fixed order. No randomness, so the same examples always give the same weights; each sweep
 * costs one pass over the non-zero values, so thousands of examples take milliseconds.
 */
export function fitLogistic(examples: readonly SparseExample[], options: FitOptions): FittedModel {
  const n = examples.length;
  const { featureCount, priorMean, lambda } = options;
  const biasLambda = options.biasLambda ?? 1e-3;
  const maxSweeps = options.maxSweeps ?? 300;
  const tolerance = options.tolerance ?? 1e-5;
  const y = Float64Array.from(examples, (e) => (e.label ? 1 : -1));
  const columns = toColumns(examples, featureCount);
  const weights = Float64Array.from(priorMean);
  let bias = options.biasPrior;
  const margins = new Float64Array(n).fill(bias);
  examples.forEach((e, i) => {
    for (let k = 0; k < e.indices.length; k++) {
      margins[i] = (margins[i] as number) + (weights[e.indices[k] as number] as number) * (e.values[k] as number);
    }
  });
  const allRows = Int32Array.from({ length: n }, (_, i) => i);
  const ones = new Float64Array(n).fill(1);

  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let largest = 0;
    const biasStep = coordinateStep(allRows, ones, y, margins, bias, options.biasPrior, biasLambda);
    bias += biasStep;
    largest = Math.abs(biasStep);
    for (let j = 0; j < featureCount; j++) {
      const column = columns[j];
      if (!column) continue;
      const step = coordinateStep(
        column.rows,
        column.values,
        y,
        margins,
        weights[j] as number,
        priorMean[j] as number,
        lambda[j] as number,
      );
      weights[j] = (weights[j] as number) + step;
      largest = Math.max(largest, Math.abs(step));
    }
    if (largest < tolerance) break;
  }
  return { bias, weights, sweeps };
}

interface Column {
  rows: Int32Array;
  values: Float64Array;
}

function toColumns(examples: readonly SparseExample[], featureCount: number): Array<Column | undefined> {
  const counts = new Int32Array(featureCount);
  for (const e of examples) for (const j of e.indices) counts[j] = (counts[j] as number) + 1;
  const columns: Array<Column | undefined> = Array.from(counts, (c) =>
    c === 0 ? undefined : { rows: new Int32Array(c), values: new Float64Array(c) },
  );
  const filled = new Int32Array(featureCount);
  examples.forEach((e, i) => {
    for (let k = 0; k < e.indices.length; k++) {
      const j = e.indices[k] as number;
      const column = columns[j] as Column;
      const at = filled[j] as number;
      column.rows[at] = i;
      column.values[at] = e.values[k] as number;
      filled[j] = at + 1;
    }
  });
  return columns;
}

/**
 * Moves one weight to lower the penalised log-loss, updating the margins of the rows it touches,
 * and returns the step taken.
 */
function coordinateStep(
  rows: Int32Array,
  values: Float64Array,
  y: Float64Array,
  margins: Float64Array,
  weight: number,
  mean: number,
  lambda: number,
): number {
  let gradient = lambda * (weight - mean);
  let curvature = lambda;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    const x = values[k] as number;
    const yi = y[i] as number;
    const p = sigmoid(-yi * (margins[i] as number));
    gradient -= yi * x * p;
    curvature += x * x * p * (1 - p);
  }
  if (gradient === 0) return 0;
  let step = -gradient / Math.max(curvature, 1e-12);
  const before = penalisedLoss(rows, values, y, margins, weight, mean, lambda, 0);
  for (let attempt = 0; attempt < 30; attempt++) {
    const after = penalisedLoss(rows, values, y, margins, weight, mean, lambda, step);
    if (after <= before + 1e-4 * step * gradient) break;
    step /= 2;
    if (attempt === 29) step = 0;
  }
  if (step !== 0) {
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k] as number;
      margins[i] = (margins[i] as number) + step * (values[k] as number);
    }
  }
  return step;
}

function penalisedLoss(
  rows: Int32Array,
  values: Float64Array,
  y: Float64Array,
  margins: Float64Array,
  weight: number,
  mean: number,
  lambda: number,
  step: number,
): number {
  let loss = 0.5 * lambda * (weight + step - mean) ** 2;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k] as number;
    loss += logLoss((y[i] as number) * ((margins[i] as number) + step * (values[k] as number)));
  }
  return loss;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^-z), without overflow. */
function logLoss(z: number): number {
  return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
}
