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
    const r = Math.sqrt(-2 * Math.log(1 - u2));
    const theta = 2 * Math.PI * u1;
    this.cachedNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
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

/** Uniform float32 in [low, high): `u * (high - low) + low`, computed in float32 as PyTorch does. */
export function fillUniform(shape: readonly number[], low: number, high: number, gen = defaultGenerator): Tensor {
  checkUniformArgs(low, high);
  const t = Tensor.empty(shape, "float32");
  const d = t.data as Float32Array;
  // NOTE: PyTorch casts the bounds to float32 first, and its kernel (built with FMA) rounds
  // u * range + low once; u * range is exact in a double, so one fround of the sum matches it.
  const lo = Math.fround(low);
  const range = Math.fround(Math.fround(high) - lo);
  for (let i = 0; i < d.length; i++) d[i] = Math.fround(gen.nextFloat24() * range + lo);
  return t;
}

/** Normal(mean, std) as PyTorch's CPU normal_: tensors of 16 or more elements use float32 uniforms
 *  transformed 16 at a time by Box-Muller (the last 16 redrawn when the size isn't a multiple of 16);
 *  smaller ones draw each element from the double-precision path. */
export function fillNormal(shape: readonly number[], mean: number, std: number, gen = defaultGenerator): Tensor {
  if (typeof mean !== "number") throw new TypeError(`normal_(): argument 'mean' must be a number, not ${typeof mean}`);
  if (typeof std !== "number") throw new TypeError(`normal_(): argument 'std' must be a number, not ${typeof std}`);
  if (!(std >= 0)) throw new RangeError(`normal expects std >= 0.0, but found std ${pyNum(std)}`);
  const t = Tensor.empty(shape, "float32");
  const d = t.data as Float32Array;
  const n = d.length;
  if (n < 16) {
    for (let i = 0; i < n; i++) d[i] = gen.nextNormalDouble() * std + mean;
    return t;
  }
  for (let i = 0; i < n; i++) d[i] = gen.nextFloat24();
  const block = (start: number) => {
    for (let j = 0; j < 8; j++) {
      const radius = Math.sqrt(-2 * Math.log(1 - d[start + j]));
      const theta = 2 * Math.PI * d[start + j + 8];
      d[start + j] = radius * Math.cos(theta) * std + mean;
      d[start + j + 8] = radius * Math.sin(theta) * std + mean;
    }
  };
  for (let i = 0; i + 16 <= n; i += 16) block(i);
  if (n % 16 !== 0) {
    for (let i = n - 16; i < n; i++) d[i] = gen.nextFloat24();
    block(n - 16);
  }
  return t;
}

/** Integers uniform in [low, high): `word % range + low` as PyTorch's random_from_to. */
export function fillRandint(shape: readonly number[], low: number, high: number, gen = defaultGenerator): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high)) throw new TypeError("randint: low and high must be integers");
  if (high <= low) throw new RangeError(`random_ expects 'from' to be less than 'to', but got from=${low} >= to=${high}`);
  const range = high - low;
  if (range > 2 ** 32) throw new RangeError("randint: range above 2^32 is not supported");
  const t = Tensor.empty(shape, "int64");
  for (let i = 0; i < t.data.length; i++) t.data[i] = (gen.nextUint32() % range) + low;
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
  const r = t.data;
  for (let i = 0; i < n; i++) r[i] = i;
  for (let i = 0; i < n - 1; i++) {
    const z = gen.nextUint32() % (n - i);
    const tmp = r[i];
    r[i] = r[z + i];
    r[z + i] = tmp;
  }
  return t;
}
