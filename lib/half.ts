// float16 and bfloat16 elements: conversions between their 16-bit patterns (what a Uint16Array
// storage holds) and numbers. Every store rounds to nearest, ties to even, as PyTorch's c10::Half
// and c10::BFloat16 do; a double is first rounded to float32, because PyTorch converts float64 to
// either type through float32 (so 1 + 2^-11 + 2^-40 double-rounds to 1.0 in float16).
// ref: IEEE 754-2008 binary16; bfloat16 is float32's top 16 bits.

const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);

/** The float16 bit pattern nearest to v (after rounding v to float32). NaN becomes 0x7e00 (signed). */
export function toHalfBits(v: number): number {
  F32[0] = v;
  const x = U32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | (mant !== 0 ? 0x7e00 : 0x7c00);
  const e = exp - 112; // float16's biased exponent
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // a float16 subnormal (or zero): value = r * 2^-24
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let r = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    if (rem > half || (rem === half && (r & 1) !== 0)) r++;
    return sign | r;
  }
  let r = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // NOTE: a carry out of the mantissa bumps the exponent, up to 0x7c00 (Infinity): also right.
  if (rem > 0x1000 || (rem === 0x1000 && (r & 1) !== 0)) r++;
  return sign | r;
}

let HALF_TABLE: Float32Array | null = null;

function halfValue(h: number): number {
  const s = (h & 0x8000) !== 0 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m !== 0 ? NaN : s * Infinity;
  return s * (1024 + m) * 2 ** (e - 25);
}

/** All 65536 float16 values, by bit pattern (built once, 256 KiB). */
export function halfTable(): Float32Array {
  if (HALF_TABLE === null) {
    HALF_TABLE = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) HALF_TABLE[h] = halfValue(h);
  }
  return HALF_TABLE;
}

/** The value of a float16 bit pattern. */
export function fromHalfBits(h: number): number {
  return halfTable()[h & 0xffff];
}

/** The bfloat16 bit pattern nearest to v (after rounding v to float32). NaN stays a quiet NaN. */
export function toBFloat16Bits(v: number): number {
  F32[0] = v;
  const x = U32[0];
  if ((x & 0x7fffffff) > 0x7f800000) return ((x >>> 16) & 0x8000) | 0x7fc0;
  // NOTE: x + 0x7fff + lsb stays below 2^32 for every non-NaN x, so >>> sees the exact sum.
  return (x + 0x7fff + ((x >>> 16) & 1)) >>> 16;
}

/** The value of a bfloat16 bit pattern. */
export function fromBFloat16Bits(b: number): number {
  U32[0] = (b & 0xffff) << 16;
  return F32[0];
}
