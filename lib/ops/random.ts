// Seeded random numbers: a Generator is MT19937 (32-bit Mersenne Twister), the engine PyTorch's CPU
// generator uses, and rand / randint / randperm / uniform_ turn its words into values the way
// PyTorch's CPU kernels do, so torch.manualSeed(s) then rand(n) gives PyTorch's numbers. The default
// generator starts from a fresh random seed in every process, as PyTorch's does; `new Generator()`
// starts from PyTorch's fixed default_rng_seed_val.
// ref: aten/src/ATen/core/MT19937RNGEngine.h, ATen/core/DistributionsHelper.h, TensorFactories.cpp (randperm_cpu).
import { randomBytes } from "node:crypto";
import { Tensor } from "../tensor.js";
import { backend } from "../backend/index.js";
import { MT_WORDS as N, mt19937Twist } from "../backend/js/random.js";
import { CPU, Device, device, deviceUnavailable, type DeviceLike } from "../device.js";
import { decodeState, encodeState } from "./rng_state.js";
import { crLog, crSinCos } from "./libm.js";
import { fromBFloat16Bits, fromHalfBits, toBFloat16Bits, toHalfBits } from "../half.js";

export class Generator {
  // NOTE: the words are kept as int32 (the same bits): V8 holds int32 in registers, while uint32
  // words >= 2^31 become doubles; drawing is about 2x faster so. nextUint32 returns them unsigned.
  private state = new Int32Array(N);
  private index = N;
  private seedValue = 67280421310721; // PyTorch's default_rng_seed_val
  /** The second Box-Muller value of the double-precision normal path, kept for the next draw. */
  private cachedNormal: number | null = null;

  /** `new Generator()`, PyTorch's `Generator(device="cpu")` as `new Generator("cpu")` or
   *  `new Generator({ device: "cpu" })`, or (torchlet) `new Generator(seed)`. */
  constructor(seedOrDevice?: number | DeviceLike | { device?: DeviceLike }) {
    let seed: number | undefined;
    if (typeof seedOrDevice === "number") seed = seedOrDevice;
    else if (seedOrDevice !== undefined && seedOrDevice !== null) {
      const d = typeof seedOrDevice === "object" && !(seedOrDevice instanceof Device) ? seedOrDevice.device : seedOrDevice;
      const dev = d === undefined ? CPU : device(d);
      if (dev.type !== "cpu") throw deviceUnavailable(dev, "Generator");
    }
    this.manualSeed(seed ?? this.seedValue);
  }

  /** The generator's state as PyTorch's 5056-byte ByteTensor (Generator.get_state). */
  getState(): Tensor {
    return encodeState({ seed: this.seedValue, words: this.state, index: this.index, cachedNormal: this.cachedNormal });
  }

  /** Restores a state from getState (or from PyTorch's get_state); returns this generator. */
  setState(state: Tensor): this {
    const s = decodeState(state);
    this.seedValue = s.seed;
    this.state.set(s.words);
    this.index = s.index;
    this.cachedNormal = s.cachedNormal;
    return this;
  }

  manualSeed(seed: number): this {
    if (!Number.isInteger(seed)) throw new TypeError(`manual_seed expected an integer, got ${seed}`);
    this.seedValue = seed;
    // NOTE: PyTorch seeds mt19937 with the low 32 bits of the 64-bit seed.
    let s = Number(BigInt.asUintN(32, BigInt(seed)));
    this.state[0] = s;
    for (let i = 1; i < N; i++) {
      s = (Math.imul(1812433253, s ^ (s >>> 30)) + i) >>> 0;
      this.state[i] = s;
    }
    this.index = N;
    this.cachedNormal = null;
    return this;
  }

  initialSeed(): number {
    return this.seedValue;
  }

  /** Reseeds from the OS's entropy and returns the new seed (PyTorch's Generator.seed()). */
  seed(): number {
    const s = nondeterministicSeed();
    this.manualSeed(s);
    return s;
  }

  /** The next 32-bit word. */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return (y ^ (y >>> 18)) >>> 0;
  }

  /** A float32-grid uniform in [0, 1): 24 random bits, as PyTorch's uniform for float. */
  nextFloat24(): number {
    return (this.nextUint32() & 0xffffff) / 0x1000000;
  }

  /** A double uniform in [0, 1) from 53 bits of two words (high word first), as PyTorch's random64. */
  nextDouble53(): number {
    const hi = this.nextUint32() & 0x1fffff; // the top 21 of the 53 bits
    const lo = this.nextUint32();
    return (hi * 0x100000000 + lo) / 2 ** 53;
  }

  /** One standard normal from PyTorch's double-precision Box-Muller, which yields values in pairs. */
  nextNormalDouble(): number {
    if (this.cachedNormal !== null) {
      const v = this.cachedNormal;
      this.cachedNormal = null;
      return v;
    }
    const u1 = this.nextDouble53();
    const u2 = this.nextDouble53();
    const r = Math.sqrt(-2 * crLog(1 - u2));
    crSinCos(2 * Math.PI * u1, sc);
    this.cachedNormal = r * sc[0];
    return r * sc[1];
  }

  /**
   * Dropout's mask from this stream (Backend.dropoutMask): mask = scale where a 53-bit uniform is
   * below keep, else 0; with x and out also out = x * mask. Runs on the current backend, which
   * continues this state in place, so the draws are the same on either backend.
   */
  fillDropoutMask(keep: number, scale: number, mask: Float32Array, x: Float32Array | null = null, out: Float32Array | null = null): void {
    this.index = backend().dropoutMask(this.state, this.index, keep, scale, mask, x, out);
  }

  private twist(): void {
    mt19937Twist(this.state);
    this.index = 0;
  }
}

/**
 * A seed from the OS's entropy, as PyTorch's getNonDeterministicRandom (/dev/urandom).
 * NOTE: 53 random bits, not PyTorch's 64, so that the seed is an exact JS number and
 * `manualSeed(initialSeed())` replays a run; mt19937 only uses the low 32 bits anyway.
 */
function nondeterministicSeed(): number {
  return Number(randomBytes(8).readBigUInt64LE() & 0x1fffffffffffffn);
}

/**
 * The process-wide generator behind every random op without an explicit one. Like PyTorch's default
 * CPU generator it is seeded randomly per process: call torch.manualSeed(s) for repeatable numbers.
 */
export const defaultGenerator = new Generator(nondeterministicSeed());

/** The default generator's state (torch.get_rng_state): a 5056-byte uint8 tensor, PyTorch's layout. */
export function getRngState(): Tensor {
  return defaultGenerator.getState();
}

/** Restores the default generator's state (torch.set_rng_state). */
export function setRngState(state: Tensor): void {
  defaultGenerator.setState(state);
}

/** Seeds the default generator (PyTorch's torch.manual_seed); returns it. */
export function manualSeed(seed: number): Generator {
  return defaultGenerator.manualSeed(seed);
}

/** The seed the default generator started from: random per process unless manualSeed was called. */
export function initialSeed(): number {
  return defaultGenerator.initialSeed();
}

/** Reseeds the default generator from the OS's entropy and returns the seed (PyTorch's torch.seed()). */
export function seed(): number {
  return defaultGenerator.seed();
}

/**
 * Uniform in [low, high): `u * (high - low) + low`, as PyTorch's uniform_real_distribution: float32
 * from 24 random bits, computed in float32; float64 from 53 bits of a 64-bit draw (random64),
 * computed in double with the kernel's fused multiply-add.
 */
export function fillUniform(shape: readonly number[], low: number, high: number, gen = defaultGenerator, dtype: "float32" | "float64" = "float32"): Tensor {
  checkUniformArgs(low, high);
  if (dtype === "float64") {
    const t = Tensor.empty(shape, "float64");
    const d = t.typedArray as Float64Array;
    for (let i = 0; i < d.length; i++) d[i] = fma64(gen.nextDouble53(), high - low, low);
    return t;
  }
  const t = Tensor.empty(shape, "float32");
  const d = t.typedArray as Float32Array;
  // NOTE: PyTorch casts the bounds to float32 first, and its kernel (built with FMA) rounds
  // u * range + low once; u * range is exact in a double, so one fround of the sum matches it.
  const lo = Math.fround(low);
  const range = Math.fround(Math.fround(high) - lo);
  for (let i = 0; i < d.length; i++) d[i] = Math.fround(gen.nextFloat24() * range + lo);
  return t;
}

/**
 * Normal(mean, std) as PyTorch 1.13's CPU normal_ (aten/src/ATen/native/cpu/DistributionTemplates.h,
 * normal_kernel), bit for bit:
 * - float32, 16 or more elements, contiguous: normal_fill_AVX2 — float32 uniforms transformed 16 at a
 *   time by Box-Muller in float32 with avx_mathfun's log256_ps / sincos256_ps (see normalBlock32),
 *   the last 16 redrawn and redone when the size isn't a multiple of 16;
 * - float64, 16 or more, contiguous: normal_fill<double> — the same blocks on 53-bit uniforms in double
 *   with libm's log / cos / sin, here the correctly rounded ones of libm.ts (glibc's round correctly
 *   in all but about 1 in 1000 cases; V8's Math.* misround a few percent, which showed as last-bit
 *   differences in ~6% of float64 normals);
 * - anything smaller (or a strided tensor, see Tensor.normal_): one double Box-Muller value per element
 *   (nextNormalDouble), `x * std + mean` in double (FMA) then rounded to the dtype.
 * NOTE: PyTorch picks the float32 kernel by CPU: without AVX2 it runs normal_fill<float> (std::log,
 * std::cos in float), whose last bits differ; torchlet always gives the AVX2 kernel's numbers, the ones
 * x86-64 machines of the last decade give.
 */
export function fillNormal(shape: readonly number[], mean: number, std: number, gen = defaultGenerator, dtype: "float32" | "float64" | "float16" | "bfloat16" = "float32"): Tensor {
  checkNormalArgs(mean, std);
  if (dtype === "float16" || dtype === "bfloat16") return fillNormalReduced(shape, mean, std, gen, dtype);
  const t = Tensor.empty(shape, dtype);
  const d = t.typedArray as Float32Array | Float64Array;
  const n = d.length;
  if (n < 16) {
    fillNormalSerial(d, mean, std, gen);
  } else if (dtype === "float32") {
    normalFill32(d as Float32Array, Math.fround(mean), Math.fround(std), gen);
  } else {
    normalFill64(d as Float64Array, mean, std, gen);
  }
  return t;
}

/**
 * normal_ on a contiguous float16 / bfloat16 tensor: of 16+ elements, PyTorch's normal_fill<Half> /
 * <BFloat16>: 11 / 8-bit uniforms, and Box-Muller blocks in the type's arithmetic (each c10 operation
 * in float, rounded to the type where it is stored: u1, radius, theta; log / cos / sin in float);
 * smaller ones the serial double path, its values cast double -> float -> the type (c10's cast).
 */
function fillNormalReduced(shape: readonly number[], mean: number, std: number, gen: Generator, dtype: "float16" | "bfloat16"): Tensor {
  const half = dtype === "float16";
  const r = half ? (v: number) => fromHalfBits(toHalfBits(v)) : (v: number) => fromBFloat16Bits(toBFloat16Bits(v));
  const t = Tensor.empty(shape, dtype);
  const n = t.typedArray.length;
  const d = new Float64Array(n);
  if (n < 16) {
    for (let i = 0; i < n; i++) d[i] = r(Math.fround(fma64(gen.nextNormalDouble(), std, mean)));
  } else {
    const bits = half ? 11 : 8;
    const mask = 2 ** bits - 1, scale = 2 ** -bits;
    const m = r(Math.fround(mean)), sd = r(Math.fround(std));
    // NOTE: c10's BFloat16 has std::log / sqrt / cos / sin overloads returning BFloat16, and its
    // BFloat16 x BFloat16 operators round each result; Half's math goes through float (and GCC
    // fuses `radius * cos * std + mean`'s last multiply-add).
    const block = half
      ? (o: number) => {
          for (let j = 0; j < 8; j++) {
            const u1 = r(1 - d[o + j]);
            const radius = r(fr(Math.sqrt(fr(-2 * fr(crLog(u1))))));
            const theta = r(fr(2 * Math.PI * d[o + j + 8]));
            crSinCos(theta, sc);
            d[o + j] = r(fmaf(fr(radius * fr(sc[1])), sd, m));
            d[o + j + 8] = r(fmaf(fr(radius * fr(sc[0])), sd, m));
          }
        }
      : (o: number) => {
          for (let j = 0; j < 8; j++) {
            const u1 = r(1 - d[o + j]);
            const radius = r(fr(Math.sqrt(r(-2 * r(fr(crLog(u1)))))));
            const theta = r(fr(2 * Math.PI * d[o + j + 8]));
            crSinCos(theta, sc);
            d[o + j] = r(r(r(radius * r(fr(sc[1]))) * sd) + m);
            d[o + j + 8] = r(r(r(radius * r(fr(sc[0]))) * sd) + m);
          }
        };
    for (let i = 0; i < n; i++) d[i] = (gen.nextUint32() & mask) * scale;
    for (let i = 0; i + 16 <= n; i += 16) block(i);
    if (n % 16 !== 0) {
      for (let i = n - 16; i < n; i++) d[i] = (gen.nextUint32() & mask) * scale;
      block(n - 16);
    }
  }
  const out = t.typedArray;
  for (let i = 0; i < n; i++) out[i] = half ? toHalfBits(d[i]) : toBFloat16Bits(d[i]);
  return t;
}

/** normal_'s checks of mean and std. */
export function checkNormalArgs(mean: number, std: number): void {
  if (typeof mean !== "number") throw new TypeError(`normal_(): argument 'mean' must be a number, not ${typeof mean}`);
  if (typeof std !== "number") throw new TypeError(`normal_(): argument 'std' must be a number, not ${typeof std}`);
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${pyNum(std)}`);
}

/** PyTorch's serial normal path (strided tensors, or under 16 elements): normal_distribution<double>
 *  per element, in d's order. */
export function fillNormalSerial(d: Float32Array | Float64Array, mean: number, std: number, gen = defaultGenerator): void {
  for (let i = 0; i < d.length; i++) d[i] = fma64(gen.nextNormalDouble(), std, mean);
}

function normalFill32(d: Float32Array, mean: number, std: number, gen: Generator): void {
  const n = d.length;
  for (let i = 0; i < n; i++) d[i] = gen.nextFloat24();
  for (let i = 0; i + 16 <= n; i += 16) normalBlock32(d, i, mean, std);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) d[i] = gen.nextFloat24();
    normalBlock32(d, n - 16, mean, std);
  }
}

function normalFill64(d: Float64Array, mean: number, std: number, gen: Generator): void {
  const n = d.length;
  for (let i = 0; i < n; i++) d[i] = gen.nextDouble53();
  for (let i = 0; i + 16 <= n; i += 16) normalBlock64(d, i, mean, std);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) d[i] = gen.nextDouble53();
    normalBlock64(d, n - 16, mean, std);
  }
}

/** normal_fill_16<double>: `radius * cos(theta) * std + mean` (the compiler fuses the last multiply-add). */
function normalBlock64(d: Float64Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const radius = Math.sqrt(-2 * crLog(1 - d[o + j]));
    crSinCos(2 * Math.PI * d[o + j + 8], sc);
    d[o + j] = fma64(radius * sc[1], std, mean);
    d[o + j + 8] = fma64(radius * sc[0], std, mean);
  }
}

const fr = Math.fround;
const TWO_PI_F = fr(2 * Math.PI);
// avx_mathfun.h's constants, as the float32 values the header's float initializers give.
const SQRTHF = fr(0.707106781186547524);
const LOG_P0 = fr(7.0376836292e-2), LOG_P1 = fr(-1.151461031e-1), LOG_P2 = fr(1.167699874e-1);
const LOG_P3 = fr(-1.2420140846e-1), LOG_P4 = fr(1.4249322787e-1), LOG_P5 = fr(-1.6668057665e-1);
const LOG_P6 = fr(2.0000714765e-1), LOG_P7 = fr(-2.4999993993e-1), LOG_P8 = fr(3.3333331174e-1);
const LOG_Q1 = fr(-2.1219444e-4), LOG_Q2 = 0.693359375;
const MIN_NORM = 1.1754943508222875e-38;
const FOPI = fr(1.27323954473516);
const DP1 = -0.78515625, DP2 = fr(-2.4187564849853515625e-4), DP3 = fr(-3.77489497744594108e-8);
const SIN_P0 = fr(-1.9515295891e-4), SIN_P1 = fr(8.3321608736e-3), SIN_P2 = fr(-1.6666654611e-1);
const COS_P0 = fr(2.443315711809948e-5), COS_P1 = fr(-1.388731625493765e-3), COS_P2 = fr(4.166664568298827e-2);
const bitsF = new Float32Array(1);
const bitsI = new Int32Array(bitsF.buffer);

/**
 * fmaf(a, b, c): a*b + c rounded once to float32, for float32 a, b, c. a*b is exact in a double, so
 * the double sum is one rounding away; rounding that again to float32 is wrong only when the double
 * lands exactly halfway between two floats with the exact sum off that midpoint (a double rounding),
 * which is checked for and resolved by the sign of the sum's error.
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = fr(s);
  if (r === s) return r;
  const other = 2 * s - r; // the float on the other side of s when s is a midpoint
  if (fr(other) !== other) return r;
  const bv = s - p;
  const err = (p - (s - bv)) + (c - bv); // p + c - s, exactly (TwoSum)
  if (err === 0) return r;
  return (err > 0) === (other > r) ? other : r;
}

/** fma(a, b, c) in double: a*b + c with (almost always) one rounding (Dekker's product, TwoSum). */
export function fma64(a: number, b: number, c: number): number {
  if (b === 1) return a + c;
  const p = a * b;
  if (!Number.isFinite(p) || Math.abs(p) > 1e300 || Math.abs(p) < 1e-290) return p + c;
  // NOTE: Dekker's split overflows past ~1e291: scale the large factor and c down by 2^-128 (exact).
  if (Math.abs(a) > 1e290 || Math.abs(b) > 1e290) {
    const k = 2 ** -128;
    return Math.abs(a) > 1e290 ? fma64(a * k, b, c * k) / k : fma64(a, b * k, c * k) / k;
  }
  const SPLIT = 134217729; // 2^27 + 1
  let t = a * SPLIT;
  const ah = t - (t - a), al = a - ah;
  t = b * SPLIT;
  const bh = t - (t - b), bl = b - bh;
  const pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  const s = p + c;
  const bv = s - p;
  const se = (p - (s - bv)) + (c - bv);
  return s + (pe + se);
}

/**
 * log256_ps (avx_mathfun.h, the Cephes logf) for one float32 lane, as PyTorch's AVX2 build computes
 * it: GCC (-ffp-contract=fast with -mfma) fuses the polynomial's multiply-adds and `y*z + e*q1` into
 * FMAs; the other fusable pairs (z*0.5, e*q2) are exact products, so fused or not they round alike.
 * Found by comparing every lane against PyTorch 1.13's output (scripts/check_rng_torch.py).
 */
export function log256(v: number): number {
  if (!(v > 0)) return v === 0 || v < 0 ? NaN : v; // NaN in, NaN out; x <= 0 -> NaN (the invalid mask)
  if (v === Infinity) return Infinity;
  bitsF[0] = Math.max(v, MIN_NORM);
  const bits = bitsI[0];
  bitsI[0] = (bits & ~0x7f800000) | 0x3f000000; // the mantissa, scaled to [0.5, 1)
  let x = bitsF[0];
  let e = (bits >>> 23) - 0x7f + 1;
  let tmp = 0;
  if (x < SQRTHF) {
    e -= 1;
    tmp = x;
  }
  x = fr(fr(x - 1) + tmp);
  const z = fr(x * x);
  let y = fmaf(LOG_P0, x, LOG_P1);
  y = fmaf(y, x, LOG_P2);
  y = fmaf(y, x, LOG_P3);
  y = fmaf(y, x, LOG_P4);
  y = fmaf(y, x, LOG_P5);
  y = fmaf(y, x, LOG_P6);
  y = fmaf(y, x, LOG_P7);
  y = fmaf(y, x, LOG_P8);
  y = fr(y * x);
  y = fmaf(y, z, fr(e * LOG_Q1));
  y = fr(y - z * 0.5); // z*0.5 is exact
  return fr(fr(x + y) + e * LOG_Q2); // e*q2 is exact (q2 has 9 bits, |e| < 2^8)
}

/**
 * sincos256_ps (avx_mathfun.h, the Cephes sinf / cosf) for one float32 lane; writes sin to out[0],
 * cos to out[1]. Fused as GCC fuses it: the three-part reduction x + y*DPi, the polynomials' steps,
 * `y*z - z*0.5` in the cosine and `y2*x + x` in the sine.
 */
export function sincos256(v: number, out: Float64Array | number[]): void {
  let x = Math.abs(v);
  let j = Math.trunc(fr(x * FOPI)); // cvttps_epi32 (|x| < 2^31 here: 2*pi*u)
  j = (j + 1) & ~1;
  const y = j;
  const sinSign = (v < 0 || Object.is(v, -0)) !== ((j & 4) !== 0);
  const polyIsSin = (j & 2) === 0; // the sine polynomial serves sin, the cosine one cos
  const cosSign = ((j - 2) & 4) === 0;
  x = fmaf(y, DP1, x);
  x = fmaf(y, DP2, x);
  x = fmaf(y, DP3, x);
  const z = fr(x * x);
  let c = fmaf(COS_P0, z, COS_P1);
  c = fmaf(c, z, COS_P2);
  c = fr(c * z);
  c = fr(fmaf(c, z, -(z * 0.5)) + 1);
  let s = fmaf(SIN_P0, z, SIN_P1);
  s = fmaf(s, z, SIN_P2);
  s = fr(s * z);
  s = fmaf(s, x, x);
  const rs = polyIsSin ? s : c;
  const rc = polyIsSin ? c : s;
  out[0] = sinSign ? -rs : rs;
  out[1] = cosSign ? -rc : rc;
}

const sc = new Float64Array(2);

/** normal_fill_16_AVX2: 8 Box-Muller pairs, (j, j + 8), in float32, on d[o .. o + 16) holding uniforms. */
export function normalBlock32(d: Float32Array, o: number, mean: number, std: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = fr(1 - d[o + j]);
    const radius = fr(Math.sqrt(fr(-2 * log256(u1))));
    sincos256(fr(TWO_PI_F * d[o + j + 8]), sc);
    d[o + j] = fmaf(fr(radius * sc[1]), std, mean);
    d[o + j + 8] = fmaf(fr(radius * sc[0]), std, mean);
  }
}

/** Integers uniform in [low, high): `word % range + low` as PyTorch's random_from_to (a 64-bit
 *  word for ranges of 2^32 or more). */
export function fillRandint(shape: readonly number[], low: number, high: number, gen = defaultGenerator): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new TypeError("randint: low and high must be integers");
  if (high <= low) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const range = high - low;
  const t = Tensor.empty(shape, "int64");
  if (range < 2 ** 32) {
    for (let i = 0; i < t.typedArray.length; i++) t.typedArray[i] = (gen.nextUint32() % range) + low;
    return t;
  }
  // NOTE: a range of 2^32 or more takes a 64-bit draw (two words, high first), as PyTorch's
  // uniform_int_from_to_distribution does for int64.
  const r = BigInt(range), b = BigInt(low);
  for (let i = 0; i < t.typedArray.length; i++) {
    const hi = BigInt(gen.nextUint32());
    const w = (hi << 32n) | BigInt(gen.nextUint32());
    t.typedArray[i] = Number((w % r) + b);
  }
  return t;
}

/** Python's spelling of a float in PyTorch's messages: nan, inf. */
function pyNum(v: number): string {
  return Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : String(v);
}

/** PyTorch's checks of uniform_'s bounds (aten/src/ATen/native/DistributionTemplates.h). */
function checkUniformArgs(low: number, high: number): void {
  for (const [name, v] of [["from", low], ["to", high]] as const) {
    if (typeof v !== "number") throw new TypeError(`uniform_(): argument '${name}' must be a number, not ${typeof v}`);
    if (!(Math.abs(Math.fround(v)) <= 3.4028234663852886e38)) throw new RangeError(`uniform_: ${name} is out of bounds for float`);
  }
  if (low > high) throw new RangeError(`uniform_ expects to return a [from, to) range, but found from=${pyNum(low)} > to=${pyNum(high)}`);
  if (high - low > 3.4028234663852886e38) {
    throw new RangeError(`uniform_ expects to-from <= std::numeric_limits<float>::max(), but found to=${high} and from=${low} which result in to-from to exceed the limit`);
  }
}

/** A random permutation of 0..n-1: PyTorch's randperm_cpu Fisher-Yates. */
export function randperm(n: number, opts: { generator?: Generator } = {}): Tensor {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`randperm: n must be a non-negative integer, got ${n}`);
  const gen = opts.generator ?? defaultGenerator;
  const t = Tensor.empty([n], "int64");
  const r = t.typedArray;
  for (let i = 0; i < n; i++) r[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.nextUint32() % (n - i);
    const tmp = r[i];
    r[i] = r[z + i];
    r[z + i] = tmp;
  }
  return t;
}
