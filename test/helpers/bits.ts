// Bit-for-bit comparison of float32 results (NaNs and signed zeros included), failing at the first
// element that differs instead of diffing whole arrays (slow on a million elements).
import { expect } from "vitest";

/** Fails unless got and want hold the same float32 bits. */
export function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  const a = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const b = new Uint32Array(want.buffer, want.byteOffset, want.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) expect.fail(`${what}: element ${i} differs`);
}
