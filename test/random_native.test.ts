// Dropout's mask drawn on the Generator's MT19937 state: the native kernel (native/random.cc)
// against its JS twin (lib/backend/js/random.ts), bit for bit (mask, fused product, state words,
// index) on every ISA this CPU runs and at 1-3 threads, from states at awkward indices (0, odd,
// 623, 624) and sizes around the 312-pair twist; both against a brute-force draw from the
// Generator's own nextUint32; switching backends mid-stream; F.dropout's fused path against the
// mask-then-multiply path and its gradient; the binding's rejection of bad input.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { Generator } from "../lib/ops/random.js";
import { jsBackend as J } from "../lib/backend/js.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import { vals } from "./helpers/backends.js";
import { nativeUnderTest } from "./helpers/native.js";

const F = torch.nn.functional;
const { backend: N, addon, isas: ISAS } = nativeUnderTest();
const CONFIGS = ISAS.flatMap((isa) => [1, 2, 3].map((threads) => ({ isa, threads })));

/** The Generator's private state and index (the words the backends continue). */
interface GenState {
  state: Int32Array;
  index: number;
}
const inner = (g: Generator): GenState => g as unknown as GenState;

/** A generator seeded `seed` after `skip` words, so its index is anywhere in the 624. */
function genAt(seed: number, skip: number): Generator {
  const g = new Generator(seed);
  for (let i = 0; i < skip; i++) g.nextUint32();
  return g;
}

/** Dropout's mask drawn word by word with the Generator's nextUint32: the brute-force reference. */
function bruteMask(g: Generator, n: number, keep: number, scale: number): Float32Array {
  const m = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const hi = g.nextUint32();
    const lo = g.nextUint32();
    m[i] = ((hi & 0x1fffff) * 2 ** 32 + lo) / 2 ** 53 < keep ? scale : 0;
  }
  return m;
}

function data(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    a[i] = (s / 2 ** 32) * 8 - 4;
  }
  return a;
}

const SKIPS = [0, 1, 623, 624, 625, 1000];
const SIZES = [0, 1, 311, 312, 313, 700, 5000];
const KEEPS = [0.5, 0.9, 0.1, 1e-9, 1, 0];

describe("dropoutMask: native vs JS twin vs brute force", () => {
  for (const { isa, threads } of CONFIGS) {
    it(`bit-identical masks, products, states and indices (${isa}, ${threads} threads)`, () => {
      setIsa(isa);
      setNumThreads(threads);
      let cases = 0;
      for (const skip of SKIPS) {
        for (const n of SIZES) {
          for (const keep of KEEPS) {
            const scale = keep === 0 ? 0 : Math.fround(1 / Math.fround(keep));
            const gj = inner(genAt(skip + 7, skip));
            const gn = inner(genAt(skip + 7, skip));
            const gb = genAt(skip + 7, skip);
            const x = data(n, n + skip);
            const [mj, oj, mn, on] = [new Float32Array(n), new Float32Array(n), new Float32Array(n).fill(NaN), new Float32Array(n).fill(NaN)];
            const ij = J.dropoutMask(gj.state, gj.index, keep, scale, mj, x, oj);
            const iN = N.dropoutMask(gn.state, gn.index, keep, scale, mn, x, on);
            expect(iN).toBe(ij);
            expect(Array.from(gn.state)).toEqual(Array.from(gj.state));
            expect(Array.from(mn)).toEqual(Array.from(mj));
            expect(Array.from(on)).toEqual(Array.from(oj));
            expect(Array.from(mj)).toEqual(Array.from(bruteMask(gb, n, keep, scale)));
            expect(Array.from(oj)).toEqual(Array.from(x, (v, i) => Math.fround(v * mj[i])));
            // The brute-force generator has drawn the same words: the next one agrees.
            gn.index = iN;
            expect((gn as unknown as Generator).nextUint32()).toBe(gb.nextUint32());
            cases++;
          }
        }
      }
      expect(cases).toBe(SKIPS.length * SIZES.length * KEEPS.length);
    });
  }

  it("masks without x/out leave nothing else written, and keep = 1 - p gives about 1 - p kept", () => {
    const g = inner(new Generator(3));
    const m = new Float32Array(20000);
    N.dropoutMask(g.state, g.index, 0.75, 4 / 3, m, null, null);
    const kept = m.filter((v) => v !== 0).length / m.length;
    expect(kept).toBeGreaterThan(0.73);
    expect(kept).toBeLessThan(0.77);
    expect(new Set(m)).toEqual(new Set([0, Math.fround(4 / 3)]));
  });
});

describe("F.dropout on the native kernel", () => {
  it("gives the same masks as the JS backend from the same seed, with backends switched mid-stream", () => {
    const x = torch.tensor(Array.from(data(3 * 257, 1))).reshape([3, 257]);
    const run = (order: ("js" | "native")[]) => {
      torch.manualSeed(11);
      const out = order.map((b) => {
        torch.setBackend(b);
        return vals(F.dropout(x, 0.3));
      });
      out.push([torch.rand([5]).sum().item()]);
      torch.setBackend("native");
      return out;
    };
    const ref = run(["js", "js", "js"]);
    expect(run(["native", "native", "native"])).toEqual(ref);
    expect(run(["native", "js", "native"])).toEqual(ref);
    expect(run(["js", "native", "js"])).toEqual(ref);
  });

  it("the fused path equals the mask-then-multiply path (a transposed view) and its gradient is the mask", () => {
    torch.setBackend("native");
    const base = torch.tensor(Array.from(data(40 * 33, 2))).reshape([40, 33]);
    const xt = base.t(); // not contiguous: mask drawn, then multiplied
    const xc = xt.contiguous().detach().requiresGrad_(true);
    torch.manualSeed(5);
    const a = F.dropout(xt, 0.4);
    torch.manualSeed(5);
    const b = F.dropout(xc, 0.4);
    expect(vals(b)).toEqual(vals(a));
    expect(b.gradFn?.name).toBe("MulBackward0");
    b.sum().backward();
    const scale = Math.fround(1 / Math.fround(0.6));
    expect(vals(xc.grad!)).toEqual(vals(b).map((v) => (v === 0 ? 0 : scale)));
  });

  it("in place without grad writes the input", () => {
    torch.setBackend("native");
    const x = torch.ones([1000]);
    torch.manualSeed(9);
    const y = F.dropout(x, 0.5, true, true);
    expect(y).toBe(x);
    expect(new Set(vals(x))).toEqual(new Set([0, 2]));
  });
});

describe("the binding rejects bad input", () => {
  const st = () => new Int32Array(624);
  const m = new Float32Array(4);
  it.each([
    ["state length", () => addon.dropoutMask(new Int32Array(623), 0, 0.5, 2, m, null, null), /state must hold 624 words/],
    ["state kind", () => addon.dropoutMask(new Uint32Array(624) as unknown as Int32Array, 0, 0.5, 2, m, null, null), /state must be a Int32Array/],
    ["index above 624", () => addon.dropoutMask(st(), 625, 0.5, 2, m, null, null), /index must be an integer/],
    ["index not an integer", () => addon.dropoutMask(st(), 1.5, 0.5, 2, m, null, null), /index must be an integer/],
    ["mask kind", () => addon.dropoutMask(st(), 0, 0.5, 2, new Float64Array(4) as unknown as Float32Array, null, null), /mask must be a Float32Array/],
    ["x length", () => addon.dropoutMask(st(), 0, 0.5, 2, m, new Float32Array(3), new Float32Array(4)), /x and out must have mask's length/],
    ["out missing", () => addon.dropoutMask(st(), 0, 0.5, 2, m, new Float32Array(4), null), /out must be a Float32Array/],
    ["keep not a number", () => addon.dropoutMask(st(), 0, "a" as unknown as number, 2, m, null, null), /keep must be a number/],
    ["argument count", () => (addon.dropoutMask as (...a: unknown[]) => number)(st(), 0, 0.5), /expected 7 arguments/],
  ])("%s", (_name, call, msg) => {
    expect(call).toThrow(msg);
  });
  it("mask overlapping the state", () => {
    const buf = new ArrayBuffer(624 * 4 + 64);
    expect(() => addon.dropoutMask(new Int32Array(buf, 0, 624), 0, 0.5, 2, new Float32Array(buf, 620 * 4, 8), null, null)).toThrow(/must not overlap state/);
  });
});
