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
  /** Newton iterations at most. */
  maxSweeps?: number;
  /** Stops when the gradient's norm falls below this fraction of its first value. */
  tolerance?: number;
}

export interface FittedModel {
  bias: number;
  weights: Float64Array;
  /** Newton iterations taken. */
  sweeps: number;
}

/**
 * L2-regularised logistic regression (a Gaussian prior around `priorMean`), fitted by Newton's
 * method with conjugate gradients for each step and a backtracking line search. Features are
 * strongly correlated here (an actor, its group, their pairs), which makes simple coordinate
 * descent crawl; Newton steps do not mind. No randomness: the same examples always give the
 * same weights, and thousands of examples take a fraction of a second.
 */
export function fitLogistic(examples: readonly SparseExample[], options: FitOptions): FittedModel {
  const n = examples.length;
  const d = options.featureCount + 1;
  const biasAt = options.featureCount;
  const matrix = toRows(examples, biasAt);
  const y = Float64Array.from(examples, (e) => (e.label ? 1 : 0));
  const mean = new Float64Array(d);
  mean.set(options.priorMean.subarray(0, options.featureCount));
  mean[biasAt] = options.biasPrior;
  const lambda = new Float64Array(d);
  lambda.set(options.lambda.subarray(0, options.featureCount));
  lambda[biasAt] = options.biasLambda ?? 1e-3;
  const maxIterations = options.maxSweeps ?? 100;
  const tolerance = options.tolerance ?? 1e-6;

  const w = Float64Array.from(mean);
  const margins = new Float64Array(n);
  const curvature = new Float64Array(n);
  const gradient = new Float64Array(d);
  let loss = objective(matrix, y, w, mean, lambda, margins);
  let firstNorm = 0;
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // Gradient, and the curvature of each example's loss at the current margins.
    gradient.fill(0);
    const residual = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = sigmoid(margins[i] as number);
      residual[i] = p - (y[i] as number);
      curvature[i] = p * (1 - p);
    }
    transposeTimes(matrix, residual, gradient);
    for (let j = 0; j < d; j++)
      gradient[j] =
        (gradient[j] as number) + (lambda[j] as number) * ((w[j] as number) - (mean[j] as number));
    const norm = Math.sqrt(dot(gradient, gradient));
    if (iterations === 0) firstNorm = norm;
    if (norm <= tolerance * Math.max(1, firstNorm)) break;

    const step = conjugateGradient(matrix, curvature, lambda, gradient, 0.1 * norm);
    const slope = dot(gradient, step);
    let t = 1;
    const trial = new Float64Array(d);
    let trialLoss = loss;
    for (let attempt = 0; attempt < 40; attempt++) {
      for (let j = 0; j < d; j++) trial[j] = (w[j] as number) + t * (step[j] as number);
      trialLoss = objective(matrix, y, trial, mean, lambda, margins);
      if (trialLoss <= loss + 1e-4 * t * slope) break;
      t /= 2;
    }
    let moved = 0;
    for (let j = 0; j < d; j++) moved = Math.max(moved, Math.abs((trial[j] as number) - (w[j] as number)));
    w.set(trial);
    loss = trialLoss;
    if (moved < 1e-7) break;
  }
  objective(matrix, y, w, mean, lambda, margins);
  return { bias: w[biasAt] as number, weights: w.subarray(0, options.featureCount), sweeps: iterations };
}

interface RowMatrix {
  starts: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  rows: number;
}

/** Compressed rows, with the bias as one more column of ones. */
function toRows(examples: readonly SparseExample[], biasAt: number): RowMatrix {
  const total = examples.reduce((sum, e) => sum + e.indices.length + 1, 0);
  const starts = new Int32Array(examples.length + 1);
  const columns = new Int32Array(total);
  const values = new Float64Array(total);
  let at = 0;
  examples.forEach((e, i) => {
    starts[i] = at;
    for (let k = 0; k < e.indices.length; k++) {
      columns[at] = e.indices[k] as number;
      values[at] = e.values[k] as number;
      at++;
    }
    columns[at] = biasAt;
    values[at] = 1;
    at++;
  });
  starts[examples.length] = at;
  return { starts, columns, values, rows: examples.length };
}

function times(matrix: RowMatrix, v: Float64Array, out: Float64Array): void {
  const { starts, columns, values } = matrix;
  for (let i = 0; i < matrix.rows; i++) {
    let sum = 0;
    for (let k = starts[i] as number; k < (starts[i + 1] as number); k++) {
      sum += (values[k] as number) * (v[columns[k] as number] as number);
    }
    out[i] = sum;
  }
}

function transposeTimes(matrix: RowMatrix, u: Float64Array, out: Float64Array): void {
  const { starts, columns, values } = matrix;
  for (let i = 0; i < matrix.rows; i++) {
    const ui = u[i] as number;
    if (ui === 0) continue;
    for (let k = starts[i] as number; k < (starts[i + 1] as number); k++) {
      const j = columns[k] as number;
      out[j] = (out[j] as number) + (values[k] as number) * ui;
    }
  }
}

/** Penalised log-loss at `w`; leaves the margins X w in `margins`. */
function objective(
  matrix: RowMatrix,
  y: Float64Array,
  w: Float64Array,
  mean: Float64Array,
  lambda: Float64Array,
  margins: Float64Array,
): number {
  times(matrix, w, margins);
  let loss = 0;
  for (let i = 0; i < matrix.rows; i++) {
    const m = margins[i] as number;
    loss += logLoss(y[i] === 1 ? m : -m);
  }
  for (let j = 0; j < w.length; j++)
    loss += 0.5 * (lambda[j] as number) * ((w[j] as number) - (mean[j] as number)) ** 2;
  return loss;
}

/**
 * Solves (X' D X + diag(lambda)) s = -g approximately, to a residual below `tolerance`, by
 * conjugate gradients preconditioned with the diagonal.
 */
function conjugateGradient(
  matrix: RowMatrix,
  curvature: Float64Array,
  lambda: Float64Array,
  gradient: Float64Array,
  tolerance: number,
): Float64Array {
  const d = gradient.length;
  const diagonal = Float64Array.from(lambda);
  const { starts, columns, values } = matrix;
  for (let i = 0; i < matrix.rows; i++) {
    for (let k = starts[i] as number; k < (starts[i + 1] as number); k++) {
      const j = columns[k] as number;
      diagonal[j] = (diagonal[j] as number) + (values[k] as number) ** 2 * (curvature[i] as number);
    }
  }
  const s = new Float64Array(d);
  const r = Float64Array.from(gradient, (g) => -g);
  const z = Float64Array.from(r, (v, j) => v / (diagonal[j] as number));
  const p = Float64Array.from(z);
  const xp = new Float64Array(matrix.rows);
  const hp = new Float64Array(d);
  let rz = dot(r, z);
  for (let iteration = 0; iteration < 250 && Math.sqrt(dot(r, r)) > tolerance; iteration++) {
    times(matrix, p, xp);
    for (let i = 0; i < matrix.rows; i++) xp[i] = (xp[i] as number) * (curvature[i] as number);
    hp.fill(0);
    transposeTimes(matrix, xp, hp);
    for (let j = 0; j < d; j++) hp[j] = (hp[j] as number) + (lambda[j] as number) * (p[j] as number);
    const alpha = rz / dot(p, hp);
    for (let j = 0; j < d; j++) {
      s[j] = (s[j] as number) + alpha * (p[j] as number);
      r[j] = (r[j] as number) - alpha * (hp[j] as number);
      z[j] = (r[j] as number) / (diagonal[j] as number);
    }
    const next = dot(r, z);
    const beta = next / rz;
    rz = next;
    for (let j = 0; j < d; j++) p[j] = (z[j] as number) + beta * (p[j] as number);
  }
  return s;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += (a[j] as number) * (b[j] as number);
  return sum;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^-z), without overflow. */
function logLoss(z: number): number {
  return z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
}
