// conv2d's stride-1 forward run by the native backend in one call (Backend.convPaddedForward,
// native/conv_padded_forward.h): the chunks of images of lib/ops/conv_padded_rows.ts, each chunk's
// steps (pad, bias, implicit GEMM, copy out) on one thread when there are chunks for every thread,
// else one chunk after another with each step split (here: 2 chunks, so per thread at 1 and 2
// threads, step by step at 3, 4 and 7). Checked: bit for bit the step-by-step loop
// over the same backend (the method removed), on every ISA at 1, 2, 3, 4 and 7 threads (the chunks
// run per thread at some counts and step by step at others), against direct loops; several chunks
// with a shorter last one, both column layouts, groups and dilation, no bias, a strided image;
// then the binding's checks.
import { afterEach, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { setIsa, setNumThreads } from "../lib/backend/native.js";
import type { PaddedConvGeometry, View } from "../lib/backend/types.js";
import { vals } from "./helpers/backends.js";
import { expectSameBits } from "./helpers/bits.js";
import { close } from "./helpers/close.js";
import { refConv, type StrideOneConv } from "./helpers/conv_ref.js";
import { nativeUnderTest } from "./helpers/native.js";

const under = nativeUnderTest();
const { backend: NB, addon, info: info0, isas: ISAS } = under;
const THREADS = [1, 2, 3, 4, 7];

interface Case extends StrideOneConv { name: string; bias: boolean; transposed?: boolean }
const CASES: Case[] = [
  { name: "padded rows, 2 chunks of 4 images (the CNN's conv2 in small)", x: [8, 4, 22, 22], w: [64, 4, 3, 3], pad: 1, bias: true },
  { name: "padded rows, no bias, a shorter last chunk", x: [7, 3, 30, 30], w: [40, 3, 3, 3], pad: 1, bias: false },
  { name: "exact columns (7x7 outputs, 136 per group)", x: [40, 16, 7, 7], w: [136, 16, 3, 3], pad: 1, bias: true },
  { name: "groups 2, dilation 2, padding 0", x: [8, 4, 26, 25], w: [64, 2, 3, 3], pad: 0, dil: 2, groups: 2, bias: true },
  { name: "a strided image (H and W transposed), one channel", x: [6, 1, 40, 38], w: [32, 1, 3, 3], pad: 1, bias: true, transposed: true },
];

/** A contiguous tensor's float32 elements (a copy). */
function elements(t: torch.Tensor): Float32Array {
  return Float32Array.from((t.typedArray as Float32Array).subarray(t.offset, t.offset + t.numel()));
}

type WithOptional = { convPaddedForward?: unknown };
/** conv2d with the backend's one-call path removed: conv_padded_rows.ts's loop over the steps. */
function stepByStep<T>(fn: () => T): T {
  (NB as WithOptional).convPaddedForward = undefined;
  try {
    return fn();
  } finally {
    delete (NB as WithOptional).convPaddedForward;
  }
}

describe("conv2d's forward in one native call", () => {
  afterEach(() => {
    setIsa(info0.isa);
    setNumThreads(info0.threads);
  });

  for (const c of CASES) {
    it(`${c.name}: the step-by-step loop's bits on every ISA and thread count; = direct loops`, () => {
      torch.manualSeed(3);
      const x0 = torch.randn(...c.x);
      // A strided image: the same values stored with H and W swapped, read through a transpose.
      const x = c.transposed ? x0.transpose(2, 3).contiguous().transpose(2, 3) : x0;
      const w = torch.randn(...c.w), b = c.bias ? torch.randn(c.w[0]) : null;
      const conv = () => torch.noGrad(() => torch.nn.functional.conv2d(x, w, b, 1, c.pad, c.dil ?? 1, c.groups ?? 1));
      // The case runs in several chunks, through the one-call path.
      const seen: PaddedConvGeometry[] = [];
      const native = NB.convPaddedForward!.bind(NB);
      (NB as WithOptional).convPaddedForward = (...a: Parameters<typeof native>) => (seen.push(a[4]), native(...a));
      try {
        conv();
      } finally {
        delete (NB as WithOptional).convPaddedForward;
      }
      expect(seen.length).toBe(1);
      expect(Math.ceil(c.x[0] / seen[0].imagesPerChunk)).toBeGreaterThanOrEqual(2);

      close(vals(conv()), refConv(c, vals(x0), vals(w), b ? vals(b) : null), 2e-5);
      let first: Float32Array | null = null;
      for (const isa of ISAS) {
        setIsa(isa);
        for (const t of THREADS) {
          setNumThreads(t);
          const one = elements(conv());
          expectSameBits(one, elements(stepByStep(conv)), `${isa} ${t} threads: one call vs steps`);
          if (isa === ISAS[0]) {
            first ??= one;
            expectSameBits(one, first, `${isa} ${t} threads vs 1`);
          }
        }
      }
    });
  }

  it("the binding rejects shapes that don't match and outputs that overlap", () => {
    const view = (data: Float32Array, shape: number[]): View => {
      const strides = shape.map((_, d) => shape.slice(d + 1).reduce((p, q) => p * q, 1));
      return { typedArray: data, offset: 0, shape, strides };
    };
    const x = view(new Float32Array(2 * 3 * 5 * 5), [2, 3, 5, 5]);
    const w = view(new Float32Array(8 * 27), [1, 8, 27]);
    const out = view(new Float32Array(2 * 8 * 5 * 5), [2, 8, 5, 5]);
    const g: PaddedConvGeometry = { kh: 3, kw: 3, dilH: 1, dilW: 1, padTop: 1, padLeft: 1, Hp: 7, Wp: 7, groups: 1, imagesPerChunk: 1, exact: true };
    expect(NB.convPaddedForward!(x, w, null, out, g)).toBe(true);
    expect(() => NB.convPaddedForward!(x, w, null, out, { ...g, Hp: 8 })).toThrow(RangeError);
    expect(() => NB.convPaddedForward!(x, view(new Float32Array(8 * 26), [1, 8, 26]), null, out, g)).toThrow(RangeError);
    expect(() => NB.convPaddedForward!(x, w, view(new Float32Array(7), [7]), out, g)).toThrow(RangeError);
    expect(() => NB.convPaddedForward!(x, w, null, out, { ...g, groups: 2 })).toThrow(RangeError);
    expect(() => NB.convPaddedForward!(x, w, null, out, { ...g, imagesPerChunk: 0 })).toThrow(RangeError);
    // out over x's own storage
    const shared = new Float32Array(2 * 8 * 5 * 5);
    expect(() => NB.convPaddedForward!(view(shared.subarray(0, 150), [2, 3, 5, 5]), w, null, view(shared, [2, 8, 5, 5]), g)).toThrow();
    // float64 is not this path's: nothing written, the caller runs its loop
    const x64 = { ...x, typedArray: new Float64Array(150) };
    expect(NB.convPaddedForward!(x64, w, null, out, g)).toBe(false);
    expect(typeof addon.convPaddedForward).toBe("function");
  });
});
