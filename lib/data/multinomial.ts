// torch.multinomial for one row of float64 weights, as WeightedRandomSampler calls it: the CPU
// kernels of PyTorch 1.13, drawing from the generator in the same order. Internal to lib/data (it
// takes and returns plain arrays, not tensors).
// ref: aten/src/ATen/native/Distributions.cpp (multinomial_out), native/cpu/MultinomialKernel.cpp.
import type { Generator } from "../ops/random.js";

/**
 * `numSamples` category indices drawn with probabilities proportional to `weights`.
 * - Without replacement: the Gumbel-max trick PyTorch uses, q = w / Exp(1) drawn per category,
 *   then the indices of the numSamples largest q in descending order (topk).
 * - With replacement (also for one sample: PyTorch 1.13 has no one-sample shortcut there): the
 *   normalised cumulative sum and a binary search per uniform draw.
 */
export function multinomial(weights: readonly number[], numSamples: number, replacement: boolean, gen: Generator): number[] {
  const n = weights.length;
  if (n === 0) throw new RangeError("multinomial: prob_dist must be 1 or 2 dim with at least one category");
  if (!(numSamples > 0)) throw new RangeError("cannot sample n_sample <= 0 samples");
  if (!replacement && numSamples > n) throw new RangeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  if (n > 2 ** 24) throw new RangeError("number of categories cannot exceed 2^24");

  if (!replacement) {
    let sum = 0;
    for (const w of weights) {
      if (!(w >= 0 && w < Infinity)) throw new RangeError("probability tensor contains either `inf`, `nan` or element < 0");
      sum += w;
    }
    if (sum === 0) throw new RangeError("invalid multinomial distribution (sum of probabilities <= 0)");
    // NOTE: exponential_ on a float64 tensor: -log(1 - u) with u from 53 bits of a 64-bit draw.
    // That is the build without MKL (Debian's python3-torch, which checked these orders); builds with
    // MKL (the pip wheels) seed an MKL stream from the generator instead, so their orders differ here.
    const q = weights.map((w) => w / -Math.log(1 - gen.nextDouble53()));
    // NOTE: topk's order is fixed for distinct keys; for ties (zero weights) we take the lower index
    // first, where PyTorch's partial sort gives an unspecified order.
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => q[b] - q[a] || a - b);
    return order.slice(0, numSamples);
  }

  // With replacement: MultinomialKernel.cpp's multinomial_with_replacement_apply.
  const cum = new Float64Array(n);
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const w = weights[j];
    // NOTE: as in PyTorch, NaN fails this first check (NaN >= 0 is false) and gets its message.
    if (!(w >= 0)) throw new RangeError("invalid multinomial distribution (encountering probability entry < 0)");
    if (!Number.isFinite(w)) throw new RangeError("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
    sum += w;
    cum[j] = sum;
  }
  if (!(sum > 0)) throw new RangeError("invalid multinomial distribution (sum of probabilities <= 0)");
  for (let j = 0; j < n; j++) cum[j] /= sum;
  cum[n - 1] = 1; // the last bucket ends at exactly 1
  const out = new Array<number>(numSamples);
  for (let s = 0; s < numSamples; s++) {
    const u = gen.nextDouble53();
    let left = 0;
    let right = n;
    while (right - left > 0) {
      const mid = left + ((right - left) >> 1);
      if (cum[mid] < u) left = mid + 1;
      else right = mid;
    }
    out[s] = left;
  }
  return out;
}
