// torch.poisson and torch.binomial: counts drawn per element from a Generator's stream as PyTorch
// 1.13's CPU kernels draw them (_s_poisson_cpu: sample_poisson, Hoermann's transformed rejection for
// rates of 10 or more, products of uniforms below; _s_binomial_cpu: sample_binomial, BTRS for
// count * p >= 10, geometric inversion below), each uniform a 53-bit double, libm's log / exp /
// log1p correctly rounded (libm.ts) as glibc's are.
// ref: aten/src/ATen/native/Distributions.cpp (sample_poisson, _s_poisson_cpu, _s_binomial_cpu),
//      aten/src/ATen/native/Distributions.h (sample_binomial, btrs, binomial_inversion,
//      stirling_approx_tail).
import { Tensor } from "../tensor.js";
import { isFloating, fromElement, scalarTypeName } from "../dtype.js";
import { broadcastShapes, sameShape } from "../shape.js";
import * as ew from "./elementwise.js";
import { Generator } from "./random.js";
import { notImplemented } from "./random_dists.js";
import { crExp, crLog, crLog1p } from "./libm.js";

const LOG_SQRT_2PI = 0.9189385332046727; // log(sqrt(2 pi))

/** log(Gamma(x)) for x >= 1 (here x = k + 1, k a count): log(k!) from the product while it is
 *  exact, else Stirling's series to 1e-17 relative (PyTorch calls std::lgamma). */
export function lgammaCount(x: number): number {
  if (x < 23) {
    let f = 1;
    for (let i = 2; i < x; i++) f *= i;
    return crLog(f);
  }
  const r = 1 / x, r2 = r * r;
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680 - r2 / 1188))));
  return (x - 0.5) * crLog(x) - x + LOG_SQRT_2PI + series;
}

/** (int64_t)v as x86-64 computes it: out of range (and NaN) gives INT64_MIN (PyTorch's result for
 *  an infinite or huge rate). */
const toInt64 = (v: number) => (v >= -(2 ** 63) && v < 2 ** 63 ? v : -(2 ** 63));

/** sample_poisson: one Poisson(lambda) draw. */
export function samplePoisson(lambda: number, gen: Generator): number {
  if (!(lambda >= 0)) throw new Error("invalid Poisson rate, expected rate to be non-negative");
  if (lambda >= 10) {
    const slam = Math.sqrt(lambda);
    const loglam = crLog(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const U = gen.nextDouble53() - 0.5;
      const V = gen.nextDouble53();
      const us = 0.5 - Math.abs(U);
      const k = toInt64(Math.floor(((2 * a) / us + b) * U + lambda + 0.43));
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if (crLog(V) + crLog(invalpha) - crLog(a / (us * us) + b) <= -lambda + k * loglam - lgammaCount(k + 1)) return k;
    }
  }
  if (lambda === 0) return 0;
  const enlam = crExp(-lambda);
  let x = 0;
  let prod = 1;
  for (;;) {
    prod *= gen.nextDouble53();
    if (prod > enlam) x += 1;
    else return x;
  }
}

/** torch.poisson(rates): a tensor of rates' shape and dtype (floating) of Poisson counts. */
export function poisson(rates: Tensor, gen: Generator): Tensor {
  if (!isFloating(rates.dtype)) throw notImplemented("poisson_cpu", rates.dtype);
  const r = rates.detach().contiguous();
  const out = Tensor.empty(r.shape, "float64");
  const d = out.typedArray as Float64Array;
  for (let i = 0; i < d.length; i++) d[i] = samplePoisson(fromElement(r.typedArray[i], r.dtype), gen);
  return ew.cast(out, rates.dtype);
}

const TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

/** stirling_approx_tail: log(k!) minus Stirling's approximation of it. */
function stirlingTail(k: number): number {
  if (k <= 9) return TAIL[k];
  const kp1sq = (k + 1) * (k + 1);
  return (1 / 12 - (1 / 360 - 1 / 1260 / kp1sq) / kp1sq) / (k + 1);
}

/** btrs (Hoermann's transformed rejection with squeeze), in double, its k rounded by `round`. */
function btrs(count: number, prob: number, gen: Generator, round: (v: number) => number): number {
  const stddev = Math.sqrt(count * prob * (1 - prob));
  const b = 1.15 + 2.53 * stddev;
  const a = -0.0873 + 0.0248 * b + 0.01 * prob;
  const c = count * prob + 0.5;
  const vr = 0.92 - 4.2 / b;
  const r = prob / (1 - prob);
  const alpha = (2.83 + 5.1 / b) * stddev;
  const m = Math.floor((count + 1) * prob);
  for (;;) {
    const U = gen.nextDouble53() - 0.5;
    let V = gen.nextDouble53();
    const us = 0.5 - Math.abs(U);
    const k = round(Math.floor(((2 * a) / us + b) * U + c));
    if (k < 0 || k > count) continue;
    if (us >= 0.07 && V <= vr) return k;
    V = crLog((V * alpha) / (a / (us * us) + b));
    const upper =
      (m + 0.5) * crLog((m + 1) / (r * (count - m + 1))) +
      (count + 1) * crLog((count - m + 1) / (count - k + 1)) +
      (k + 0.5) * crLog((r * (count - k + 1)) / (k + 1)) +
      stirlingTail(m) + stirlingTail(count - m) - stirlingTail(k) - stirlingTail(count - k);
    if (V <= upper) return k;
  }
}

/** binomial_inversion: the number of geometric steps that fit in count. */
function binomialInversion(count: number, prob: number, gen: Generator): number {
  let geomSum = 0;
  let num = 0;
  const logprob = crLog1p(-prob);
  for (;;) {
    geomSum += Math.ceil(crLog(gen.nextDouble53()) / logprob);
    if (geomSum > count) return num;
    num += 1;
  }
}

/** sample_binomial, with count and prob already in the element type (float32 rounds via `round`). */
export function sampleBinomial(count: number, prob: number, gen: Generator, round: (v: number) => number = (v) => v): number {
  if (count <= 0 || prob <= 0) return 0;
  if (prob >= 1) return count;
  if (prob <= 0.5) {
    return round(count * prob) >= 10 ? btrs(count, prob, gen, round) : binomialInversion(count, prob, gen);
  }
  if (prob > 0.5) {
    const q = round(1 - prob);
    return round(count - (round(count * q) >= 10 ? btrs(count, q, gen, round) : binomialInversion(count, q, gen)));
  }
  return NaN;
}

/** torch.binomial(count, prob): count's shape and dtype (float32 / float64), prob broadcast to it. */
export function binomial(count: Tensor, prob: Tensor, gen: Generator): Tensor {
  if (count.dtype !== prob.dtype) {
    throw new Error(`Found dtype ${scalarTypeName(prob.dtype)} but expected ${scalarTypeName(count.dtype)}`);
  }
  if (count.dtype !== "float32" && count.dtype !== "float64") throw notImplemented("binomial_cpu", count.dtype);
  const shape = broadcastShapes(count.shape, prob.shape);
  if (!sameShape(shape, count.shape)) {
    throw new Error(`output with shape [${count.shape.join(", ")}] doesn't match the broadcast shape [${shape.join(", ")}]`);
  }
  const c = count.detach().contiguous();
  const p = prob.detach().expand(count.shape).contiguous();
  const round = count.dtype === "float32" ? Math.fround : (v: number) => v;
  const out = Tensor.empty(count.shape, count.dtype);
  const d = out.typedArray;
  for (let i = 0; i < d.length; i++) d[i] = sampleBinomial(c.typedArray[i], p.typedArray[i], gen, round);
  return out;
}
