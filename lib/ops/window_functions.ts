// The signal windows torch.hann_window, hamming_window, blackman_window, bartlett_window and
// kaiser_window: the same op sequence as PyTorch's (an arange scaled and passed through cos in the
// window's dtype), so float32 windows round as PyTorch's do. periodic (the default) computes
// length + 1 points and drops the last, the form spectral analysis wants.
// ref: PyTorch 1.13 aten/src/ATen/native/TensorFactories.cpp (hamming_window, blackman_window,
// bartlett_window, kaiser_window) and cpu/UnaryOpsKernel.cpp (kaiser_window_kernel).
import { Tensor } from "../tensor.js";
import { getDefaultDtype, isFloating, type DType } from "../dtype.js";
import { arange, ones, zeros } from "./creation.js";
import { i0 as i0Scalar } from "./special_scalar.js";

export interface WindowOptions {
  /** true (default): a window for spectral analysis (length + 1 points, the last dropped). */
  periodic?: boolean;
  dtype?: DType;
  requiresGrad?: boolean;
}

/** The checks every window makes, and its length with the periodic point, or a result for 0 / 1. */
function prepare(fn: string, n: number, o: WindowOptions): { dtype: DType; len: number; periodic: boolean } | Tensor {
  if (!Number.isInteger(n)) throw new TypeError(`${fn}(): argument 'window_length' must be int, not ${typeof n === "number" ? "float" : typeof n}`);
  if (n < 0) throw new RangeError(`${fn} requires non-negative window_length, got window_length=${n}`);
  const dtype = o.dtype ?? getDefaultDtype();
  if (!isFloating(dtype)) throw new TypeError(`${fn} expects floating point dtypes, got: ${dtype}`);
  const periodic = o.periodic ?? true;
  if (n === 0) return zeros([0], { dtype, requiresGrad: o.requiresGrad });
  if (n === 1) return ones([1], { dtype, requiresGrad: o.requiresGrad });
  return { dtype, len: periodic ? n + 1 : n, periodic };
}

function finish(w: Tensor, len: number, periodic: boolean, o: WindowOptions): Tensor {
  const out = periodic ? w.narrow(0, 0, len - 1).contiguous() : w;
  return o.requiresGrad ? out.requiresGrad_(true) : out;
}

/** alpha - beta cos(2πn / (N - 1)); hann is alpha = beta = 0.5. */
export function hammingWindow(n: number, o: WindowOptions & { alpha?: number; beta?: number } = {}, fn = "hamming_window"): Tensor {
  const p = prepare(fn, n, o);
  if (p instanceof Tensor) return p;
  const { alpha = 0.54, beta = 0.46 } = o;
  const w = arange(p.len, { dtype: p.dtype }).mul_((Math.PI * 2) / (p.len - 1)).cos_().mul_(-beta).add_(alpha);
  return finish(w, p.len, p.periodic, o);
}

export const hannWindow = (n: number, o: WindowOptions = {}): Tensor => hammingWindow(n, { ...o, alpha: 0.5, beta: 0.5 }, "hann_window");

/** 0.42 - 0.5 cos(2πn / (N - 1)) + 0.08 cos(4πn / (N - 1)). */
export function blackmanWindow(n: number, o: WindowOptions = {}): Tensor {
  const p = prepare("blackman_window", n, o);
  if (p instanceof Tensor) return p;
  const x = arange(p.len, { dtype: p.dtype }).mul_(Math.PI / (p.len - 1));
  const w = x.mul(4).cos_().mul_(0.08).sub(x.mul(2).cos_().mul_(0.5)).add(0.42);
  return finish(w, p.len, p.periodic, o);
}

/** The triangle 1 - |2n / (N - 1) - 1|. */
export function bartlettWindow(n: number, o: WindowOptions = {}): Tensor {
  const p = prepare("bartlett_window", n, o);
  if (p instanceof Tensor) return p;
  const w = arange(p.len, { dtype: p.dtype }).mul_(2 / (p.len - 1));
  const firstHalf = ((p.len - 1) >> 1) + 1;
  w.narrow(0, firstHalf, p.len - firstHalf).mul_(-1).add_(2);
  return finish(w, p.len, p.periodic, o);
}

/** I0(β sqrt(1 - ((n - α) / α)²)) / I0(β), α = (N - 1) / 2, in double then rounded (PyTorch's kernel computes in the op math type). */
export function kaiserWindow(n: number, o: WindowOptions & { beta?: number } = {}): Tensor {
  const p = prepare("kaiser_window", n, o);
  if (p instanceof Tensor) return p;
  const beta = o.beta ?? 12;
  const f32 = p.dtype !== "float64";
  const r = f32 ? Math.fround : (v: number) => v;
  const alpha = r((p.len - 1) / 2);
  const b = r(beta);
  const denom = r(i0Scalar(b));
  const values = Array.from({ length: p.len }, (_, k) => r(r(i0Scalar(r(b * r(Math.sqrt(r(1 - r(r((k - alpha) / alpha) ** 2))))))) / denom));
  const w = Tensor.empty([p.len], p.dtype === "float64" ? "float64" : "float32");
  (w.typedArray as Float32Array | Float64Array).set(values);
  return finish(p.dtype === "float64" || p.dtype === "float32" ? w : w.to(p.dtype), p.len, p.periodic, o);
}
