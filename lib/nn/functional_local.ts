// F.lp_pool1d / lp_pool2d (power-average pooling) and F.local_response_norm (AlexNet's LRN), each
// composed as PyTorch's Python composes it: average pooling of x^p (then ·kernel size, ^(1/p), the
// sign·relu(|·|) guard for gradients at 0), and x / (k + alpha·mean of x² over `size` neighbouring
// channels)^beta, the window zero-padded size//2 before and (size-1)//2 after.
// ref: torch/nn/functional.py lp_pool1d, lp_pool2d, local_response_norm (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { checkNumber, checkTensor, parseArgs } from "./args.js";
import { avgPool1d, avgPool2d } from "./functional_pool.js";
import { pad } from "./functional_conv.js";
import { avgPool3d } from "./functional_pool3d.js";
import { isFloating } from "../dtype.js";

type IntOrList = number | number[];
export interface LpPoolOptions { stride?: IntOrList | null; ceilMode?: boolean }

function lpPool(n: 1 | 2, args: unknown[]): Tensor {
  const fn = n === 1 ? "lp_pool1d" : "lp_pool2d";
  const o = parseArgs<{ input: Tensor; normType: number; kernelSize: IntOrList; stride: IntOrList | null; ceilMode: boolean }>(
    fn, args, ["input", "normType", "kernelSize", "stride", "ceilMode"], { stride: null, ceilMode: false },
  );
  const x = checkTensor(fn, "input", o.input, 1);
  const p = checkNumber(fn, "norm_type", o.normType);
  const k = o.kernelSize;
  const xp = x.pow(p);
  let out: Tensor;
  if (x.dtype === "float32" || !isFloating(x.dtype)) out = n === 1 ? avgPool1d(xp, k, o.stride, 0, o.ceilMode) : avgPool2d(xp, k, o.stride, 0, o.ceilMode);
  else {
    // avg_pool1d/2d run float32 only here: other float dtypes pool as a 3-D pool with unit depth.
    const t = (v: IntOrList): number[] => (Array.isArray(v) ? (v.length === 1 ? [v[0], v[0]] : v) : [v, v]);
    const kk3 = n === 1 ? [1, 1, Array.isArray(k) ? k[0] : k] : [1, ...t(k)];
    const st = o.stride === null ? kk3 : n === 1 ? [1, 1, Array.isArray(o.stride) ? o.stride[0] : o.stride] : [1, ...t(o.stride)];
    const batched = x.ndim === n + 2;
    const x5 = n === 1 ? xp.unsqueeze(-2).unsqueeze(-2) : xp.unsqueeze(-3);
    out = avgPool3d(batched || n === 2 ? x5 : x5.unsqueeze(0), kk3, st, 0, o.ceilMode);
    if (!batched && n === 1) out = out.squeeze(0);
    out = n === 1 ? out.squeeze(-2).squeeze(-2) : out.squeeze(-3);
  }
  const kk = n === 1 ? (Array.isArray(k) ? k[0] : k) : Array.isArray(k) ? (k.length === 1 ? k[0] * k[0] : k[0] * k[1]) : k * k;
  return out.sign().mul(out.abs().relu()).mul(kk).pow(1 / p);
}

/** F.lp_pool1d(input, normType, kernelSize, stride = null, ceilMode = false): (Σ x^p over each window)^(1/p). */
export function lpPool1d(input: Tensor, normType: number, kernelSize: IntOrList, stride?: IntOrList | null | LpPoolOptions, ceilMode?: boolean): Tensor;
export function lpPool1d(...args: unknown[]): Tensor {
  return lpPool(1, args);
}

/** F.lp_pool2d(input, normType, kernelSize, stride = null, ceilMode = false). */
export function lpPool2d(input: Tensor, normType: number, kernelSize: IntOrList, stride?: IntOrList | null | LpPoolOptions, ceilMode?: boolean): Tensor;
export function lpPool2d(...args: unknown[]): Tensor {
  return lpPool(2, args);
}

export interface LocalResponseNormOptions { alpha?: number; beta?: number; k?: number }

/** F.local_response_norm(input, size, alpha = 1e-4, beta = 0.75, k = 1): input of 3 or more dims, channels at dim 1. */
export function localResponseNorm(input: Tensor, size: number, alpha?: number | LocalResponseNormOptions, beta?: number, k?: number): Tensor;
export function localResponseNorm(...args: unknown[]): Tensor {
  const fn = "local_response_norm";
  const o = parseArgs<{ input: Tensor; size: number; alpha: number; beta: number; k: number }>(fn, args, ["input", "size", "alpha", "beta", "k"], { alpha: 1e-4, beta: 0.75, k: 1 });
  const x = checkTensor(fn, "input", o.input, 1);
  const size = o.size;
  if (x.ndim < 3) throw new RangeError(`Expected 3D or higher dimensionality                          input (got ${x.ndim} dimensions)`);
  if (x.numel() === 0) return x;
  const [N, C] = x.shape;
  // [N, 1, C, L, 1]: the mean of x² over `size` channels is a (size, 1, 1) average pool along C.
  let div = x.mul(x).reshape([N, 1, C, -1, 1]);
  div = pad(div, [0, 0, 0, 0, Math.floor(size / 2), Math.floor((size - 1) / 2)]);
  div = avgPool3d(div, [size, 1, 1], 1).reshape(x.shape);
  div = div.mul(checkNumber(fn, "alpha", o.alpha)).add(checkNumber(fn, "k", o.k)).pow(checkNumber(fn, "beta", o.beta));
  return x.div(div);
}
