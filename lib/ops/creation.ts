// Tensor creation: from nested arrays, constants, ranges and random draws.
// NOTE: JavaScript has one number type, so `tensor([1, 2])` can't tell ints from floats the way
// Python does: numbers make float32 unless `{ dtype: "int64" }` is given; booleans make bool.
import type { DType, Storage } from "../backend/types.js";
import { backend } from "../backend/index.js";
import { allocStorage, checkInt64, fromElement, getDefaultDtype, isFloating, scalarTypeName, isIntegral, parseDType, toElement, toStoredElement } from "../dtype.js";
import { checkShape, numelOf } from "../shape.js";
import { Tensor } from "../tensor.js";
import { checkDevice, type DeviceLike } from "../device.js";
import { defaultGenerator, fillNormal, fillRandint, fillUniform, fma64, fmaf, type Generator } from "./random.js";
import { random_ as randomFill_, uniform_ as uniformFill_ } from "./random_dists.js";

export interface TensorOptions {
  dtype?: DType | string;
  requiresGrad?: boolean;
  /** "cpu" (or null/undefined, or a CPU torch.device) only: accepted for porting, others throw. */
  device?: DeviceLike | null;
}
export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}
/** `(2, 3)`, `([2, 3])`, `(2, 3, { dtype })` or `([2, 3], { dtype })`. */
export type SizeAndOptions<O> = (number | readonly number[] | O | undefined)[];

export function parseSizeArgs<O extends object>(args: SizeAndOptions<O>, fn: string): [number[], O] {
  let opts = {} as O;
  const list = [...args];
  const last = list[list.length - 1];
  if (last !== undefined && last !== null && typeof last === "object" && !Array.isArray(last)) {
    opts = last as O;
    list.pop();
  }
  while (list.length && list[list.length - 1] === undefined) list.pop();
  const sizes = list.length === 1 && Array.isArray(list[0]) ? [...(list[0] as number[])] : list;
  checkDevice((opts as TensorOptions).device, fn);
  return [checkShape(sizes, fn), opts];
}

function finish(t: Tensor, opts: TensorOptions): Tensor {
  if (opts.requiresGrad) t.requiresGrad = true;
  return t;
}

function dtypeOf(opts: TensorOptions, fallback: DType, fn: string): DType {
  checkDevice(opts.device, fn);
  return opts.dtype === undefined ? fallback : parseDType(opts.dtype, fn);
}

function store(data: Storage, i: number, v: unknown, dtype: DType, fn: string): void {
  if (typeof v === "boolean" || typeof v === "number") data[i] = toElement(v, dtype, fn);
  else throw new TypeError(`${fn}: expected numbers or booleans, got ${typeof v} (${String(v)})`);
}

/** PyTorch's limit on the nesting depth of torch.tensor's data (torch/csrc/utils/tensor_new.cpp). */
const MAX_NESTING = 128;

type Nested = number | boolean | readonly Nested[] | ArrayLike<number> | ArrayLike<bigint>;

/** torch.tensor(data): copies nested arrays, typed arrays or a scalar into a new tensor. */
export function tensor(data: Nested, opts: TensorOptions = {}): Tensor {
  if (data instanceof Tensor) {
    throw new TypeError("tensor(): pass nested arrays; to copy a Tensor use t.clone().detach()");
  }
  const shape: number[] = [];
  let probe: any = data;
  while (Array.isArray(probe) || ArrayBuffer.isView(probe)) {
    if (shape.length === MAX_NESTING) throw new RangeError(`tensor(): too many dimensions 'list' (more than ${MAX_NESTING} nested levels)`);
    shape.push((probe as ArrayLike<unknown>).length);
    probe = (probe as ArrayLike<unknown>)[0];
  }
  const inferred: DType =
    typeof probe === "boolean" ? "bool" : ArrayBuffer.isView(data) && !(data instanceof Float32Array || data instanceof Float64Array) ? "int64" : getDefaultDtype();
  const dtype = dtypeOf(opts, inferred, "tensor");
  const out = allocStorage(dtype, numelOf(checkShape(shape, "tensor")));
  let k = 0;
  const walk = (v: any, d: number): void => {
    if (d === shape.length) return store(out, k++, typeof v === "bigint" ? bigintValue(v, "tensor") : v, dtype, "tensor");
    if (!(Array.isArray(v) || ArrayBuffer.isView(v)) || (v as ArrayLike<unknown>).length !== shape[d]) {
      throw new RangeError(`tensor(): expected sequence of length ${shape[d]} at dim ${d} (got ${Array.isArray(v) ? v.length : typeof v})`);
    }
    for (let i = 0; i < shape[d]; i++) walk((v as any)[i], d + 1);
  };
  walk(data, 0);
  return finish(new Tensor(out, shape), opts);
}

export function full(size: readonly number[], value: number | boolean, opts: TensorOptions = {}): Tensor {
  const shape = checkShape(size, "full");
  const dtype = dtypeOf(opts, typeof value === "boolean" ? "bool" : getDefaultDtype(), "full");
  if (typeof value === "number") toStoredElement(value, dtype, "full"); // refuses a float overflow, as fill_
  const t = Tensor.empty(shape, dtype);
  store(t.typedArray, 0, value, dtype, "full");
  // NOTE: fill takes the value, not its float16/bfloat16 bits: the stored element, decoded.
  if (t.numel() > 0) backend().fill(t, fromElement(t.typedArray[0], dtype));
  return finish(t, opts);
}

export function zeros(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "zeros");
  return finish(Tensor.empty(shape, dtypeOf(opts, getDefaultDtype(), "zeros")), opts);
}

export function ones(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "ones");
  return full(shape, 1, { dtype: getDefaultDtype(), ...opts });
}

/** NOTE: typed arrays are zero-filled, so empty() is zeros(); code must not rely on either. */
export function empty(...args: SizeAndOptions<TensorOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "empty");
  return finish(Tensor.empty(shape, dtypeOf(opts, getDefaultDtype(), "empty")), opts);
}

const likeDtype = (t: Tensor, opts: TensorOptions): TensorOptions => ({ dtype: t.dtype, ...opts });
export const zerosLike = (t: Tensor, opts: TensorOptions = {}) => zeros(t.shape, likeDtype(t, opts));
export const onesLike = (t: Tensor, opts: TensorOptions = {}) => ones(t.shape, likeDtype(t, opts));
export const emptyLike = (t: Tensor, opts: TensorOptions = {}) => empty(t.shape, likeDtype(t, opts));
export const fullLike = (t: Tensor, value: number, opts: TensorOptions = {}) => full(t.shape, value, likeDtype(t, opts));

/** A BigInt argument as a number when it is exact, else PyTorch's overflow error. */
function bigintValue(v: bigint, fn: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) checkInt64(n, fn);
  return n;
}

/** A numeric argument: numbers as they are, exact BigInts as numbers, anything else a TypeError. */
export function numberArg(v: unknown, fn: string, name: string): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return bigintValue(v, fn);
  throw new TypeError(`${fn}(): argument '${name}' must be a number, not ${v === null ? "null" : typeof v}`);
}

/**
 * arange(end) / arange(start, end, step), options last: int64 when every argument is an integer,
 * else float32. NOTE: JS can't tell 0.0 from 0, so PyTorch's `arange(0.0, 5)` is
 * `arange(0, 5, { dtype: "float32" })` here.
 */
export function arange(start: number, end?: number | TensorOptions, step: number | TensorOptions = 1, opts: TensorOptions = {}): Tensor {
  if (typeof end === "object" && end !== null) [end, step, opts] = [undefined, 1, end];
  if (end === null) end = undefined;
  if (typeof step === "object") [step, opts] = [1, step];
  if (end === undefined) [start, end] = [0, start];
  start = numberArg(start, "arange", "start");
  end = numberArg(end, "arange", "end");
  step = numberArg(step, "arange", "step");
  if (![start, end, step].every(Number.isFinite)) throw new RangeError("arange: unsupported range: non-finite bound");
  const dtype = dtypeOf(opts, [start, end, step].every(Number.isInteger) ? "int64" : getDefaultDtype(), "arange");
  // NOTE: an int64 arange works in integers, as PyTorch's does: start, end and step are truncated
  // first (so arange(0, 2, 0.5) as int64 has step 0 and fails), then checked against the range.
  if (dtype === "int64") [start, end, step] = [start, end, step].map((v) => checkInt64(Math.trunc(v) + 0, "arange"));
  else if (isIntegral(dtype)) [start, end, step] = [start, end, step].map((v) => Math.trunc(v) + 0);
  if (step === 0) throw new RangeError("arange: step must be nonzero");
  if ((end - start) / step < 0) throw new RangeError("upper bound and larger bound inconsistent with step sign");
  const n = Math.ceil((end - start) / step);
  const t = Tensor.empty(checkShape([n], "arange"), dtype);
  for (let i = 0; i < n; i++) t.typedArray[i] = toElement(start + i * step, dtype, "arange");
  return finish(t, opts);
}

/**
 * `steps` points from start to end inclusive, as PyTorch 1.13's linspace kernel
 * (aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp) computes them on an x86 AVX2 build, bit for bit
 * for float32 and float64: start, end and step = (end - start) / (steps - 1) in the dtype; the points go
 * in runs of one SIMD vector (8 floats / 4 doubles) whose first lane is `start + step*idx` (or
 * `end - step*(steps-1-idx)` from the run starting at or past steps/2), fused into one FMA, and
 * lane j is `base + step*j` rounded twice; the points past the last whole pair of vectors take the
 * scalar formula (FMA) each. int64 truncates each point; float16/bfloat16 compute in float32.
 * NOTE: PyTorch splits more than 32768 points among its threads, each chunk starting its own runs;
 * these are the runs of one thread (any length up to 32768 points, or torch.set_num_threads(1)).
 */
export function linspace(start: number, end: number, steps: number, opts: TensorOptions = {}): Tensor {
  const dtype = dtypeOf(opts, getDefaultDtype(), "linspace");
  if (typeof steps === "number" && steps < 0) throw new RangeError("linspace: number of steps must be non-negative");
  const t = Tensor.empty(checkShape([steps], "linspace"), dtype);
  if (dtype === "float32" || dtype === "float64") {
    linspaceSimd(t.typedArray as Float32Array | Float64Array, start, end, steps, dtype === "float32");
    return finish(t, opts);
  }
  // NOTE: float16/bfloat16 compute in float32 (PyTorch's opmath).
  const r = isFloating(dtype) ? Math.fround : Math.trunc;
  const [s, e] = [r(start), r(end)];
  const f32 = r === Math.fround;
  const raw = steps > 1 ? (f32 ? Math.fround(e - s) : e - s) / (steps - 1) : 0;
  const step = f32 ? Math.fround(raw) : raw;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    // NOTE: one point is `start` (PyTorch fills it), not the `end` the second-half rule gives.
    const v = i < half || steps === 1 ? s + step * i : e - step * (steps - 1 - i);
    t.typedArray[i] = toElement(v, dtype, "linspace");
  }
  return finish(t, opts);
}

/** linspace_kernel's float / double loop (cpu_serial_kernel_vec: two vectors at a time, then scalars). */
function linspaceSimd(d: Float32Array | Float64Array, start: number, end: number, steps: number, f32: boolean): void {
  const r = f32 ? Math.fround : (v: number) => v;
  const fma = f32 ? fmaf : fma64;
  const s = r(start), e = r(end);
  // NOTE: steps - 1 is an int64 converted to the dtype; (steps - 1) / 0 when steps is 1 is unused.
  const step = r(r(e - s) / r(steps - 1));
  const half = Math.floor(steps / 2);
  const lanes = f32 ? 8 : 4;
  const point = (idx: number) => (idx < half ? fma(step, idx, s) : fma(-step, steps - idx - 1, e));
  if (steps === 1) {
    d[0] = s; // PyTorch fills start
    return;
  }
  let idx = 0;
  for (; idx + 2 * lanes <= steps; ) {
    for (let v = 0; v < 2; v++, idx += lanes) {
      const base = point(idx);
      d[idx] = base;
      for (let j = 1; j < lanes; j++) d[idx + j] = r(base + r(step * j));
    }
  }
  for (; idx < steps; idx++) d[idx] = point(idx);
}

/**
 * `steps` points base ** v for v from start to end, as PyTorch 1.13's logspace (RangeFactories.cpp):
 * start and end in the dtype, step = (end - start) in the dtype, then in double / (steps - 1), each
 * exponent `start + step*i` (or `end - step*(steps-1-i)` past the middle) in double, pow in double.
 * One point is pow(base, start) with start unrounded.
 */
export function logspace(start: number, end: number, steps: number, base: number | TensorOptions = 10, opts: TensorOptions = {}): Tensor {
  if (typeof base === "object") [base, opts] = [10, base];
  const dtype = dtypeOf(opts, getDefaultDtype(), "logspace");
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError("number of steps must be non-negative");
  const t = Tensor.empty(checkShape([steps], "logspace"), dtype);
  const r = isFloating(dtype) && dtype !== "float64" ? Math.fround : isFloating(dtype) ? (v: number) => v : Math.trunc;
  const [s, e] = [r(start), r(end)];
  const step = steps > 1 ? r(e - s) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) {
    const v = steps === 1 ? base ** start : base ** (i < half ? s + step * i : e - step * (steps - 1 - i));
    t.typedArray[i] = toElement(isIntegral(dtype) ? Math.trunc(v) : v, dtype, "logspace");
  }
  return finish(t, opts);
}

export function eye(n: number, m?: number | TensorOptions, opts: TensorOptions = {}): Tensor {
  if (typeof m === "object" && m !== null) [m, opts] = [undefined, m]; // eye(n, { dtype })
  m ??= n;
  checkShape([n, m], "eye");
  const t = zeros([n, m], opts);
  const one = toElement(1, t.dtype, "eye");
  for (let i = 0; i < Math.min(n, m); i++) t.typedArray[i * m + i] = one;
  return t;
}

/** A float32 random tensor in the dtype asked for. */
function randomAs(t: Tensor, opts: TensorOptions, kernel: string): Tensor {
  const dtype = dtypeOf(opts, getDefaultDtype(), kernel);
  if (!isFloating(dtype)) throw new TypeError(`"${kernel}" not implemented for '${scalarTypeName(dtype)}'`);
  return dtype === "float32" ? t : t.to(dtype);
}

/** rand: uniform_(0, 1) on a new tensor; float32 from 24-bit words, float64 from 53-bit pairs,
 *  float16 / bfloat16 from 11 / 8 bits, as PyTorch's uniform kernel (random_dists.ts uniform_). */
export function rand(...args: SizeAndOptions<RandomOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "rand");
  const dtype = dtypeOf(opts, getDefaultDtype(), "check_uniform_bounds");
  if (dtype === "float32" || !isFloating(dtype)) {
    return finish(randomAs(fillUniform(shape, 0, 1, opts.generator ?? defaultGenerator), opts, "check_uniform_bounds"), opts);
  }
  return finish(uniformFill_(Tensor.empty(shape, dtype), 0, 1, opts.generator ?? defaultGenerator), opts);
}

export function randn(...args: SizeAndOptions<RandomOptions>): Tensor {
  const [shape, opts] = parseSizeArgs(args, "randn");
  // NOTE: each float dtype has its own kernel in PyTorch (fillNormal follows them).
  const dtype = dtypeOf(opts, getDefaultDtype(), "normal_kernel_cpu");
  if (!isFloating(dtype)) throw new TypeError(`"normal_kernel_cpu" not implemented for '${scalarTypeName(dtype)}'`);
  return finish(fillNormal(shape, 0, 1, opts.generator ?? defaultGenerator, dtype as "float32" | "float64" | "float16" | "bfloat16"), opts);
}

/** randint(high, size) or randint(low, high, size). */
export function randint(a: number, b: number | readonly number[], c?: readonly number[] | RandomOptions, d?: RandomOptions): Tensor {
  const [low, high, size, opts] = Array.isArray(b) ? [0, a, b, (c ?? {}) as RandomOptions] : [a, b as number, c as readonly number[], d ?? {}];
  checkDevice(opts.device, "randint");
  if (!Array.isArray(size)) throw new TypeError("randint(): argument 'size' must be an array of integers");
  // NOTE: every value drawn must be an int64 torchlet stores exactly.
  if (typeof low === "number" && Number.isInteger(low)) checkInt64(low, "randint");
  if (typeof high === "number" && Number.isInteger(high)) checkInt64(high, "randint");
  const dtype = opts.dtype === undefined ? "int64" : parseDType(opts.dtype, "randint");
  if (dtype !== "int64") {
    // random_(low, high) on a tensor of that dtype: its bound checks, its kernel's words
    return randomFill_(Tensor.empty(checkShape(size, "randint"), dtype), low, high, opts.generator ?? defaultGenerator);
  }
  return fillRandint(checkShape(size, "randint"), low, high, opts.generator ?? defaultGenerator);
}

/** rand_like / randn_like: t's shape, and its dtype unless opts.dtype says otherwise. */
export const randLike = (t: Tensor, opts: RandomOptions = {}) => rand(t.shape, { dtype: t.dtype, ...opts });
export const randnLike = (t: Tensor, opts: RandomOptions = {}) => randn(t.shape, { dtype: t.dtype, ...opts });
