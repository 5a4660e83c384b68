// MT19937 on a bare state (the 624 words as int32 bits, plus an index): the twist that the frontend
// Generator (lib/ops/random.ts) runs, and dropout's mask drawn from that state. This is the oracle
// of native/random.cc, which continues the same state in place.
// ref: aten/src/ATen/core/MT19937RNGEngine.h, ATen/core/DistributionsHelper.h (bernoulli).

export const MT_WORDS = 624;
const M = 397;

/** Regenerates all 624 words. NOTE: the textbook loop with (i + 1) % N and (i + M) % N, split where
 *  the indices wrap so no modulo runs per word (it was most of the cost of drawing). */
export function mt19937Twist(st: Int32Array): void {
  const N = MT_WORDS;
  let i = 0;
  for (; i < N - M; i++) {
    const y = (st[i] & 0x80000000) | (st[i + 1] & 0x7fffffff);
    st[i] = st[i + M] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  for (; i < N - 1; i++) {
    const y = (st[i] & 0x80000000) | (st[i + 1] & 0x7fffffff);
    st[i] = st[i + M - N] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
  }
  const y = (st[N - 1] & 0x80000000) | (st[0] & 0x7fffffff);
  st[N - 1] = st[M - 1] ^ (y >>> 1) ^ (-(y & 1) & 0x9908b0df);
}

/** MT19937's output transform of one state word (int32 bits in, unsigned out). */
export function mt19937Temper(y: number): number {
  y ^= y >>> 11;
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  return (y ^ (y >>> 18)) >>> 0;
}

/**
 * Backend.dropoutMask: per element one 53-bit uniform u from two words (high word first), mask =
 * u < keep ? scale : 0 (PyTorch's CPU bernoulli_(keep)); with x and out, also out = x * mask in
 * float32. Advances the state in place and returns the new index.
 */
export function dropoutMask(
  state: Int32Array, index: number, keep: number, scale: number, mask: Float32Array, x: Float32Array | null, out: Float32Array | null,
): number {
  const n = mask.length;
  const s = Math.fround(scale);
  for (let i = 0; i < n; i++) {
    if (index >= MT_WORDS) (mt19937Twist(state), (index = 0));
    const hi = mt19937Temper(state[index++]);
    if (index >= MT_WORDS) (mt19937Twist(state), (index = 0));
    const lo = mt19937Temper(state[index++]);
    const u = ((hi & 0x1fffff) * 2 ** 32 + lo) * 2 ** -53;
    mask[i] = u < keep ? s : 0;
  }
  if (x !== null && out !== null) for (let i = 0; i < n; i++) out[i] = x[i] * mask[i];
  return index;
}
