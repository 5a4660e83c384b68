// torch.multinomial: category indices drawn from the rows of a probability (weight) tensor, with the
// draws PyTorch 1.13's CPU kernels make, so a seeded Generator gives PyTorch's samples:
// - without replacement: q ~ Exp(1) per element (float32 of -log(1 - u), u a 53-bit double, row-major
//   over the whole input), then the top num_samples of p / q per row (the Gumbel-max trick);
// - with replacement: per row, the float32 cumulative sum normalised by its total, then per sample one
//   53-bit double u and a binary search for the first bucket with cum >= u.
// ref: aten/src/ATen/native/Distributions.cpp (multinomial_out), cpu/MultinomialKernel.cpp,
//      core/DistributionsHelper.h (exponential_distribution, uniform_real_distribution).
import { crLog } from "./libm.js";
import { allocStorage, isFloating, scalarTypeName } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { defaultGenerator, type Generator } from "./random.js";
import { topk } from "./sorting.js";
import { argReduce } from "./reduce.js";

export interface MultinomialOptions {
  generator?: Generator;
}

function checkInput(p: Tensor, numSamples: number, replacement: boolean): void {
  if (!isFloating(p.dtype)) throw new TypeError(`multinomial only supports floating-point dtypes for input, got: ${scalarTypeName(p.dtype)}`);
  if (p.ndim !== 1 && p.ndim !== 2) throw new RangeError("prob_dist must be 1 or 2 dim");
  if (!Number.isInteger(numSamples) || numSamples <= 0) throw new RangeError("cannot sample n_sample <= 0 samples");
  const n = p.shape[p.ndim - 1];
  if (!replacement && numSamples > n) {
    throw new RangeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  }
}

/** Rounds a computed value to the precision of the weights' dtype (Math.fround for float32). */
export type Rounding = (x: number) => number;
const exact: Rounding = (x) => x;

/** Checks rows of n weights for the draw without replacement (PyTorch's messages). */
function checkWithoutReplacement(d: ArrayLike<number>, rows: number, n: number): void {
  for (let i = 0; i < rows * n; i++) {
    if (!(d[i] >= 0 && d[i] < Infinity)) throw new RangeError("probability tensor contains either `inf`, `nan` or element < 0");
  }
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += d[r * n + j];
    if (s === 0) throw new RangeError("invalid multinomial distribution (sum of probabilities <= 0)");
  }
}

/** The keys w / q with q ~ Exp(1), one draw per weight in row-major order: the top numSamples keys
 *  of a row are its samples without replacement (the Gumbel-max trick). */
export function exponentialKeys(d: ArrayLike<number>, rows: number, n: number, gen: Generator, round: Rounding = exact): Float64Array {
  checkWithoutReplacement(d, rows, n);
  const keys = new Float64Array(rows * n);
  for (let i = 0; i < keys.length; i++) keys[i] = round(d[i] / round(-crLog(1 - gen.nextDouble53())));
  return keys;
}

/** numSamples draws with replacement per row: the cumulative sum normalised by its total (in the
 *  weights' precision), then per sample one 53-bit double u and a binary search for the first
 *  bucket with cum >= u. Row-major [rows, numSamples] indices. */
export function drawWithReplacement(d: ArrayLike<number>, rows: number, n: number, numSamples: number, gen: Generator, round: Rounding = exact): Float64Array {
  const out = allocStorage("int64", rows * numSamples) as Float64Array; // checked: numSamples can be huge
  const cum = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const v = d[r * n + j];
      // NOTE: as in PyTorch, NaN fails this first check (NaN >= 0 is false) and gets its message.
      if (!(v >= 0)) throw new RangeError("invalid multinomial distribution (encountering probability entry < 0)");
      if (!Number.isFinite(v)) throw new RangeError("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
      sum = round(sum + v);
      cum[j] = sum;
    }
    if (!(sum > 0)) throw new RangeError("invalid multinomial distribution (sum of probabilities <= 0)");
    for (let j = 0; j < n; j++) cum[j] = round(cum[j] / sum);
    cum[n - 1] = 1; // the last bucket ends at exactly 1
    for (let s = 0; s < numSamples; s++) {
      const u = gen.nextDouble53();
      let lo = 0;
      let hi = n;
      while (hi - lo > 0) {
        const mid = lo + ((hi - lo) >> 1);
        if (cum[mid] < u) lo = mid + 1;
        else hi = mid;
      }
      out[r * numSamples + s] = lo;
    }
  }
  return out;
}

export function multinomial(p: Tensor, numSamples: number, replacement = false, opts: MultinomialOptions = {}): Tensor {
  checkInput(p, numSamples, replacement);
  const gen = opts.generator ?? defaultGenerator;
  // NOTE: float16/bfloat16 weights are drawn in float32 (PyTorch's CPU kernel accumulates them so).
  const probs = (p.dtype === "float64" ? p : p.float()).detach().contiguous();
  const round: Rounding = p.dtype === "float64" ? exact : Math.fround;
  const d = probs.storage();
  const n = probs.shape[probs.ndim - 1];
  const rows = probs.ndim === 2 ? probs.shape[0] : 1;
  const outShape = probs.ndim === 2 ? [rows, numSamples] : [numSamples];
  if (!replacement) {
    const keys = exponentialKeys(d, rows, n, gen, round);
    const k = Tensor.empty(probs.shape, p.dtype === "float64" ? "float64" : "float32");
    (k.typedArray as Float32Array | Float64Array).set(keys);
    // NOTE: PyTorch takes argmax (the first maximum) for one sample and topk otherwise.
    return numSamples === 1 ? argReduce("argmax", k, -1, true) : topk(k, numSamples, -1).indices;
  }
  return Tensor.fromStorage(drawWithReplacement(d, rows, n, numSamples, gen, round), outShape);
}
