// Dropout's native mask asks PyTorch's question u < keep (u = 53 bits · 2^-53) as an integer
// compare against ceil(keep · 2^53) (native/random.cc): at the boundary the two must agree. The
// state words are built by inverting MT19937's tempering, so the draws hit chosen 53-bit values
// (threshold - 1, threshold, threshold + 1) exactly, on every ISA, against the JS twin's
// floating-point compare. An off-by-one threshold (floor instead of ceil, <= instead of <) fails.
import { describe, expect, it } from "vitest";
import { jsBackend as J } from "../lib/backend/js.js";
import { MT_WORDS, mt19937Temper } from "../lib/backend/js/random.js";
import { setIsa } from "../lib/backend/native.js";
import { nativeUnderTest } from "./helpers/native.js";

const { backend: N, isas: ISAS } = nativeUnderTest();

/** The state word whose tempered value is t (MT19937's tempering is a bijection). */
function untemper(t: number): number {
  let y = t >>> 0;
  y = (y ^ (y >>> 18)) >>> 0;
  y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
  let x = y;
  for (let i = 0; i < 4; i++) x = (y ^ ((x << 7) & 0x9d2c5680)) >>> 0;
  y = x;
  return (y ^ (y >>> 11) ^ (y >>> 22)) >>> 0;
}

/** A state at index 0 (no twist before 312 draws) whose draws are the 53-bit values `bits`. */
function stateDrawing(bits: bigint[]): Int32Array {
  const st = new Int32Array(MT_WORDS);
  bits.forEach((b, i) => {
    st[2 * i] = untemper(Number(b >> 32n)) | 0;
    st[2 * i + 1] = untemper(Number(b & 0xffffffffn)) | 0;
  });
  return st;
}

const TWO53 = 2 ** 53;

describe("dropout's integer threshold at the boundary", () => {
  it("untemper inverts the tempering", () => {
    for (const t of [0, 1, 0x1fffff, 0xffffffff, 0x80000000, 0x12345678]) expect(mt19937Temper(untemper(t))).toBe(t >>> 0);
  });

  // keep·2^53 an integer (any double keep in [0.5, 1), and 2^-53) and not (0.1, 1/3: there floor
  // instead of ceil would fail).
  for (const keep of [0.5, 0.75, 2 ** -53, 1 - 2 ** -53, 0.9, 0.1, 1 / 3]) {
    it(`keep ${keep}: draws just below, at and above keep·2^53, every ISA, as the JS compare`, () => {
      const edge = BigInt(Math.ceil(keep * TWO53));
      const bits = [edge - 2n, edge - 1n, edge, edge + 1n, 0n, BigInt(TWO53 - 1)].filter((b) => b >= 0n && b < BigInt(TWO53));
      const n = bits.length;
      const x = Float32Array.from({ length: n }, (_, i) => i + 1);
      const want = new Float32Array(n);
      J.dropoutMask(stateDrawing(bits), 0, keep, 2, want, null, null);
      expect(Array.from(want)).toEqual(bits.map((b) => (Number(b) / TWO53 < keep ? 2 : 0)));
      for (const isa of ISAS) {
        setIsa(isa);
        const [mask, out] = [new Float32Array(n), new Float32Array(n)];
        N.dropoutMask(stateDrawing(bits), 0, keep, 2, mask, x, out);
        expect(Array.from(mask)).toEqual(Array.from(want));
        expect(Array.from(out)).toEqual(Array.from(x, (v, i) => v * want[i]));
      }
    });
  }
});
