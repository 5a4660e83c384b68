// torch.multinomial for one row of float64 weights, as WeightedRandomSampler calls it: the CPU
// kernels of PyTorch 1.13, drawing from the generator in the same order. Internal to lib/data (it
// takes and returns plain arrays, not tensors).
// ref: aten/src/ATen/native/Distributions.cpp (multinomial_out), native/cpu/MultinomialKernel.cpp.
import type { Generator } from "../ops/random.js";
import { drawWithReplacement, exponentialKeys } from "../ops/multinomial.js";

/**
 * `numSamples` category indices drawn with probabilities proportional to `weights`, with the draws
 * of lib/ops/multinomial.ts in float64. Without replacement: the numSamples largest w / Exp(1) keys
 * in descending order (topk). With replacement (also for one sample: PyTorch 1.13 has no
 * one-sample shortcut there): the normalised cumulative sum and a binary search per uniform draw.
 */
export function multinomial(weights: readonly number[], numSamples: number, replacement: boolean, gen: Generator): number[] {
  const n = weights.length;
  if (n === 0) throw new RangeError("multinomial: prob_dist must be 1 or 2 dim with at least one category");
  if (!(numSamples > 0)) throw new RangeError("cannot sample n_sample <= 0 samples");
  if (!replacement && numSamples > n) throw new RangeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
  if (n > 2 ** 24) throw new RangeError("number of categories cannot exceed 2^24");
  // NOTE: float64 weights (WeightedRandomSampler's torch.double), so no rounding to float32 here.
  if (replacement) return Array.from(drawWithReplacement(weights, 1, n, numSamples, gen));
  // NOTE: exponential_ on a float64 tensor: -log(1 - u) with u from 53 bits of a 64-bit draw.
  // That is the build without MKL (Debian's python3-torch, which checked these orders); builds with
  // MKL (the pip wheels) seed an MKL stream from the generator instead, so their orders differ here.
  const q = exponentialKeys(weights, 1, n, gen);
  // NOTE: topk's order is fixed for distinct keys; for ties (zero weights) we take the lower index
  // first, where PyTorch's partial sort gives an unspecified order.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => q[b] - q[a] || a - b);
  return order.slice(0, numSamples);
}
