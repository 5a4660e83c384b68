// The in-place random fills beyond uniform_ / normal_, drawn from a Generator's mt19937 stream the
// way PyTorch 1.13's CPU kernels draw them, so a seed gives PyTorch's numbers: bernoulli_ (p a float
// or a tensor), random_ (its three forms, every dtype), exponential_, geometric_, log_normal_ and
// cauchy_. Each kernel is PyTorch's cpu_serial_kernel: one value per element in TensorIterator's
// order (the dimensions by stride, outermost first), computed in double from 53-bit uniforms (24-bit
// ones for a float32 p of bernoulli_, 32-bit words for random_'s ranges below 2^32), then cast to the
// tensor's dtype.
// ref: aten/src/ATen/native/cpu/DistributionTemplates.h (the kernels), native/DistributionTemplates.h
//      (the checks, random_from_to_impl, update_from / update_to), core/DistributionsHelper.h and
//      core/TransformationHelper.h (uniform_int*, exponential, geometric, cauchy, log_normal, bernoulli).
// The kernels' libm calls (log, exp, tan) are the correctly rounded ones of libm.ts, as glibc's are.
// NOTE: PyTorch builds with MKL draw bernoulli_(float) and exponential_ through MKL's own streams;
// these are the non-MKL kernels (the ones torch.backends.mkl.is_available() == False builds run).
import { Tensor } from "../tensor.js";
import type { DType } from "../backend/types.js";
import { fromElement, isFloating, scalarTypeName, toElement } from "../dtype.js";
import * as ew from "./elementwise.js";
import { defaultGenerator, fma64, Generator } from "./random.js";
import { crExp, crLog, crTan } from "./libm.js";

/** A C++ double as PyTorch's messages print it (ostream's default: %g with 6 significant digits). */
export function cppDouble(v: number): string {
  if (Number.isNaN(v)) return v < 0 ? "-nan" : "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(6)))));
  if (exp < -4 || exp >= 6) {
    const [m, e] = v.toExponential(5).split("e");
    const mant = m.includes(".") ? m.replace(/0+$/, "").replace(/\.$/, "") : m;
    const n = Number(e);
    return `${mant}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`;
  }
  const s = v.toFixed(Math.max(0, 5 - exp));
  return s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
}

/** The `"kernel" not implemented for 'Type'` error of PyTorch's dtype dispatch. */
export function notImplemented(kernel: string, dtype: DType): Error {
  return new Error(`"${kernel}" not implemented for '${scalarTypeName(dtype)}'`);
}

/** A generator argument given bare or as `{ generator }` (PyTorch's keyword). */
export function generatorOf(arg: unknown): Generator {
  if (arg === undefined || arg === null) return defaultGenerator;
  if (arg instanceof Generator) return arg;
  if (typeof arg === "object") {
    const g = (arg as { generator?: unknown }).generator;
    if (g === undefined || g === null) return defaultGenerator;
    if (g instanceof Generator) return g;
  }
  throw new TypeError("argument 'generator' must be torch.Generator");
}

/** t's dimensions in TensorIterator's order for t as the output: largest stride (outermost) first. */
function iterOrder(t: Tensor): number[] {
  return t.shape.map((_, i) => i).sort((a, b) => t.strides[b] - t.strides[a] || a - b);
}

/**
 * Writes into t (in place) the values `draw(k)` gives for its elements in TensorIterator's order
 * (k counts them in that order), each cast to t's dtype as static_cast does. `perElement`, when
 * given, is t-shaped input read in the same order (bernoulli_'s p, expanded to t's shape).
 */
function fillInOrder(t: Tensor, draw: (k: number, x: number) => number, perElement?: Tensor): void {
  const n = t.numel();
  if (n === 0) return;
  const order = iterOrder(t);
  const u = Tensor.empty(order.map((i) => t.shape[i]), "float64");
  const d = u.typedArray as Float64Array;
  const input = perElement === undefined ? null : perElement.permute(order).contiguous();
  const xs = input === null ? null : input.typedArray;
  const xdt = input === null ? "float64" : input.dtype;
  for (let k = 0; k < n; k++) d[k] = draw(k, xs === null ? 0 : fromElement(xs[k], xdt));
  const back = order.map((_, i) => order.indexOf(i));
  ew.writeChecked(t, ew.cast(u.permute(back), t.dtype));
}

const TWO32 = 4294967296;
const INT64_MIN = -(2 ** 63);

/** random64(): two words, the first the high half, as a BigInt. */
function nextU64(gen: Generator): bigint {
  const hi = gen.nextUint32();
  const lo = gen.nextUint32();
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The mantissa digits of a floating dtype (std::numeric_limits<T>::digits). */
const DIGITS: Partial<Record<DType, number>> = { float64: 53, float32: 24, float16: 11, bfloat16: 8 };

/** The C++ type name PyTorch's TypeMeta gives in random_'s bound messages. */
const CPP_NAME: Record<DType, string> = {
  float32: "float", float64: "double", float16: "c10::Half", bfloat16: "c10::BFloat16", int64: "long int",
  int32: "int", int16: "short int", int8: "signed char", uint8: "unsigned char", bool: "bool",
};

/** [lowest, max] of each dtype, as PyTorch's check_from_to_in_range reads them. */
const BOUNDS: Record<DType, [number, number]> = {
  float32: [-3.4028234663852886e38, 3.4028234663852886e38], float64: [-Number.MAX_VALUE, Number.MAX_VALUE],
  float16: [-65504, 65504], bfloat16: [-3.3895313892515355e38, 3.3895313892515355e38],
  int64: [INT64_MIN, 2 ** 63 - 1], int32: [-(2 ** 31), 2 ** 31 - 1], int16: [-32768, 32767], int8: [-128, 127],
  uint8: [0, 255], bool: [0, 1],
};

/** static_cast<scalar_t>(v) for a floating dtype, as a number. */
function roundTo(v: number, dtype: DType): number {
  return dtype === "float32" ? Math.fround(v) : dtype === "float64" ? v : fromElement(toElement(v, dtype, "random_"), dtype);
}

/** floor(log2(|v|)) for v >= 1 (the bit loop of update_from / update_to). */
const bitLength = (v: number) => (v < 1 ? 0 : Math.floor(Math.log2(v)));

/** update_from: `from` moved up to a value the floating dtype holds exactly. */
function updateFrom(from: number, dtype: DType): number {
  const plus1 = Math.trunc(roundTo(from + 1, dtype));
  if (plus1 < from) return plus1 + 2 ** (bitLength(Math.abs(from + 1)) - DIGITS[dtype]! + 1);
  return from;
}

/** update_to: `to` moved down to a value the floating dtype holds exactly. */
function updateTo(to: number, dtype: DType): number {
  const minus1 = Math.trunc(roundTo(to - 1, dtype));
  if (minus1 >= to) return minus1 - 2 ** (bitLength(Math.abs(to - 1)) - DIGITS[dtype]! + 1);
  return to;
}

function checkInt(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`random_(): argument '${name}' must be int, not ${typeof v === "number" ? "float" : typeof v}`);
  }
  return v;
}

/** check_from_to_in_range. */
function checkFromToInRange(from: number, toInc: number, dtype: DType): void {
  const [lo, hi] = BOUNDS[dtype];
  if (!(from >= lo && from <= hi)) throw new Error(`from is out of bounds for ${CPP_NAME[dtype]}`);
  if (!(toInc >= lo && toInc <= hi)) throw new Error(`to - 1 is out of bounds for ${CPP_NAME[dtype]}`);
}

/**
 * random_() / random_(to) / random_(from, to) / random_(from, null) on t, in place, as PyTorch's
 * random_impl and random_from_to_impl: integers uniform in [from, to) (to null: up to the dtype's
 * largest, or 2^digits for a float dtype; from = -2^63 with to null: the full 64-bit range), or
 * with no bounds [0, max] for integers ([0, 2^digits] for floats, {false, true} for bool).
 * NOTE: on an int64 tensor the forms whose values reach past 2^53 (random_(), random_(from, null))
 * throw: torchlet's int64 storage holds integers exactly only to 2^53 - 1.
 */
export function random_(t: Tensor, from: number | undefined, to: number | null | undefined, gen: Generator): Tensor {
  ew.checkInPlace(t, "random_");
  const dtype = t.dtype;
  if (from === undefined) {
    if (dtype === "int64") throw int64Range();
    fillInOrder(t, randomUniformInt(dtype, gen));
    return t;
  }
  checkInt(from, to === undefined ? "to" : "from");
  if (to === undefined) [from, to] = [0, from];
  if (to !== null) {
    checkInt(to, "to");
    if (!(from < to)) throw new Error(`random_ expects 'from' to be less than 'to', but got from=${from} >= to=${to}`);
    if (isFloating(dtype)) {
      from = updateFrom(from, dtype);
      to = updateTo(to, dtype);
      if (!(from < to)) {
        throw new Error(`random_ expects 'from' casted to dtype to be less than 'to' casted to dtype, but got from=${from} >= to=${to}`);
      }
    }
    checkFromToInRange(from, to - 1, dtype);
    fillInOrder(t, randomFromTo(to - from, from, dtype, gen));
    return t;
  }
  if (from !== INT64_MIN) {
    let toInc: number;
    if (isFloating(dtype)) {
      toInc = 2 ** DIGITS[dtype]!;
      from = updateFrom(from, dtype);
      if (!(from < toInc)) {
        throw new Error(`random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' casted to dtype, but got from=${from} > to_inc=${toInc}`);
      }
    } else {
      if (dtype === "int64") throw int64Range();
      toInc = BOUNDS[dtype][1];
    }
    checkFromToInRange(from, toInc, dtype);
    fillInOrder(t, randomFromTo(toInc - from + 1, from, dtype, gen));
    return t;
  }
  // [int64 min, int64 max]: random_full_64_bits_range_kernel.
  if (dtype === "float16" || dtype === "bool") throw notImplemented("random_full_64_bits_range_kernel_cpu", dtype);
  if (dtype !== "int64" && dtype !== "float64" && dtype !== "float32" && dtype !== "bfloat16") {
    throw new Error("random_full_64_bits_range_kernel_cpu handles only int64, double, float and bfloat16");
  }
  if (dtype === "int64") throw int64Range();
  fillInOrder(t, () => Number(BigInt.asIntN(64, nextU64(gen))));
  return t;
}

/** random_'s int64 draws up to 2^63 - 1, which torchlet's int64 storage (exact to 2^53) can't hold. */
function int64Range(): RangeError {
  return new RangeError(
    "random_: an int64 tensor's draws up to 2^63 - 1 are outside the int64 range torchlet stores exactly (integers of magnitude at most 2^53 - 1); give random_(from, to) bounds within it",
  );
}

/** uniform_int_from_to_distribution: `word % range + base`, the word 64-bit for a range of 2^32 or
 *  more in int64 / double / float / bfloat16, else 32-bit. */
function randomFromTo(range: number, base: number, dtype: DType, gen: Generator): () => number {
  const wide = range >= TWO32 && (dtype === "int64" || dtype === "float64" || dtype === "float32" || dtype === "bfloat16");
  if (!wide) {
    // NOTE: a 32-bit word % range + base is exact in a double when |base| < 2^53 - 2^32.
    if (Math.abs(base) < 2 ** 52) return () => (gen.nextUint32() % range) + base;
    const r = BigInt(range), b = BigInt(base);
    return () => Number(BigInt.asIntN(64, (BigInt(gen.nextUint32()) % r) + b));
  }
  const r = BigInt(range), b = BigInt(base);
  return () => Number(BigInt.asIntN(64, (nextU64(gen) % r) + b));
}

/** uniform_int_distribution: random_() with no bounds. */
function randomUniformInt(dtype: DType, gen: Generator): () => number {
  switch (dtype) {
    case "bool":
      return () => gen.nextUint32() & 1;
    case "int64":
      return () => (gen.nextUint32() & 0x7fffffff) * TWO32 + gen.nextUint32();
    case "float64": {
      const m = (1n << 53n) + 1n;
      return () => Number(nextU64(gen) % m);
    }
    case "float32":
    case "float16":
    case "bfloat16": {
      const m = 2 ** DIGITS[dtype]! + 1;
      return () => gen.nextUint32() % m;
    }
    default: {
      const m = BOUNDS[dtype][1] + 1;
      return () => gen.nextUint32() % m;
    }
  }
}

/** The floating dtypes (with float16 / bfloat16) that exponential_, log_normal_, cauchy_ take. */
function checkFloating(t: Tensor, kernel: string): void {
  if (!isFloating(t.dtype)) throw notImplemented(kernel, t.dtype);
}

/** exponential_(lambd): `-1 / lambd * log(1 - u)`. */
export function exponential_(t: Tensor, lambd: number, gen: Generator): Tensor {
  ew.checkInPlace(t, "exponential_");
  if (!(lambd >= 0)) throw new Error(`exponential_ expects lambda >= 0.0, but found lambda=${cppDouble(lambd)}`);
  checkFloating(t, "exponential_cpu");
  const c = -1 / lambd;
  fillInOrder(t, () => c * crLog(1 - gen.nextDouble53()));
  return t;
}

/** geometric_(p): `ceil(log(u) / log(1 - p))`, in any dtype but bool. */
export function geometric_(t: Tensor, p: number, gen: Generator): Tensor {
  ew.checkInPlace(t, "geometric_");
  if (!(p > 0 && p < 1)) throw new Error(`geometric_ expects p to be in (0, 1), but got p=${cppDouble(p)}`);
  if (t.dtype === "bool") throw notImplemented("geometric_cpu", t.dtype);
  const q = crLog(1 - p);
  fillInOrder(t, () => Math.ceil(crLog(gen.nextDouble53()) / q));
  return t;
}

/** log_normal_(mean, std): exp of normal_distribution<double>(mean, std) (the Box-Muller pair's cache). */
export function logNormal_(t: Tensor, mean: number, std: number, gen: Generator): Tensor {
  ew.checkInPlace(t, "log_normal_");
  if (!(std > 0)) throw new Error(`log_normal_ expects std > 0.0, but found std=${cppDouble(std)}`);
  checkFloating(t, "log_normal_cpu");
  fillInOrder(t, () => crExp(fma64(gen.nextNormalDouble(), std, mean)));
  return t;
}

/** cauchy_(median, sigma): `median + sigma * tan(pi * (u - 0.5))`. */
export function cauchy_(t: Tensor, median: number, sigma: number, gen: Generator): Tensor {
  ew.checkInPlace(t, "cauchy_");
  checkFloating(t, "cauchy_cpu");
  fillInOrder(t, () => fma64(sigma, crTan(Math.PI * (gen.nextDouble53() - 0.5)), median));
  return t;
}

const P_RANGE_MESSAGE =
  "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be improved?  If so, please report an enhancement request to PyTorch.)";

/** bernoulli_(p) with a float p: 1 where a 53-bit uniform is below p. */
export function bernoulliScalar_(t: Tensor, p: number, gen: Generator): Tensor {
  ew.checkInPlace(t, "bernoulli_");
  if (typeof p !== "number") throw new TypeError(`bernoulli_(): argument 'p' must be float, not ${typeof p}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`bernoulli_ expects p to be in [0, 1], but got p=${cppDouble(p)}`);
  if (t.dtype === "float16" || t.dtype === "bfloat16") throw notImplemented("bernoulli_scalar_cpu_", t.dtype);
  fillInOrder(t, () => (gen.nextDouble53() < p ? 1 : 0));
  return t;
}

/** bernoulli_(p) with a tensor p (broadcast to t's shape): a 53-bit uniform against a float64 p,
 *  a 24-bit one against a float32 p, per element. */
export function bernoulliTensor_(t: Tensor, p: Tensor, gen: Generator): Tensor {
  ew.checkInPlace(t, "bernoulli_");
  if (t.dtype === "float16" || t.dtype === "bfloat16") throw notImplemented("bernoulli_tensor_cpu_self_", t.dtype);
  if (p.dtype !== "float32" && p.dtype !== "float64") throw notImplemented("bernoulli_tensor_cpu_p_", p.dtype);
  const pe = p.detach().expand(t.shape);
  const wide = p.dtype === "float64";
  fillInOrder(
    t,
    (_k, pv) => {
      if (!(pv >= 0 && pv <= 1)) throw new Error(P_RANGE_MESSAGE);
      return (wide ? gen.nextDouble53() : gen.nextFloat24()) < pv ? 1 : 0;
    },
    pe,
  );
  return t;
}

/**
 * uniform_(from, to) on t, in place, as PyTorch's uniform_impl_ and uniform_kernel: the bounds checked
 * against t's dtype, then per element (TensorIterator's order) `u * (to - from) + from` with u from 24
 * bits of a word in float32, 53 bits of two words in float64 (rounded once: the kernel's FMA), 11 / 8
 * bits of a word for float16 / bfloat16 (computed in float32 from the bounds cast to the dtype).
 */
export function uniform_(t: Tensor, from: number, to: number, gen: Generator): Tensor {
  ew.checkInPlace(t, "uniform_");
  for (const [name, v] of [["from", from], ["to", to]] as const) {
    if (typeof v !== "number") throw new TypeError(`uniform_(): argument '${name}' must be float, not ${typeof v}`);
  }
  const dtype = t.dtype;
  if (!isFloating(dtype)) throw notImplemented("check_uniform_bounds", dtype);
  const [lo, hi] = BOUNDS[dtype];
  if (!(from >= lo && from <= hi)) throw new RangeError(`from is out of bounds for ${CPP_NAME[dtype]}`);
  if (!(to >= lo && to <= hi)) throw new RangeError(`to is out of bounds for ${CPP_NAME[dtype]}`);
  if (!(from <= to)) throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${cppDouble(from)} > to=${cppDouble(to)}`);
  if (!(to - from <= hi)) {
    throw new RangeError(
      `uniform_ expects to-from <= std::numeric_limits<${scalarTypeName(dtype)}>::max(), but found to=${cppDouble(to)} and from=${cppDouble(from)} which result in to-from to exceed the limit`,
    );
  }
  if (dtype === "float64") {
    const range = to - from;
    fillInOrder(t, () => fma64(gen.nextDouble53(), range, from));
    return t;
  }
  const bits = DIGITS[dtype]!;
  const mask = 2 ** bits - 1;
  const scale = 2 ** -bits;
  const f = roundTo(from, dtype);
  const range = roundTo(roundTo(to, dtype) - f, dtype);
  fillInOrder(t, () => Math.fround(((gen.nextUint32() & mask) * scale) * range + f));
  return t;
}
