// Test data for native-vs-JS kernel tests: deterministic, so a failure replays, and independent of
// the library's own random streams, so a bug there can't hide one in the kernel under test.
import type { View } from "../../lib/backend/types.js";

/** n pseudo-random numbers in [0, 1) from a 32-bit LCG seeded by `seed`. */
export function lcgUniform(n: number, seed: number): Float64Array {
  const u = new Float64Array(n);
  let s = seed * 2654435761 + 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    u[i] = s / 2 ** 32;
  }
  return u;
}

/** A row-major view over the whole of `data`. */
export function contiguousView(data: Float32Array | Float64Array, shape: number[]): View {
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return { typedArray: data, offset: 0, shape, strides };
}
