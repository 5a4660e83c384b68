// The native pool hands out a job's chunks in runs of consecutive chunks that shrink as the job
// drains (native/pool.cc, kClaimShare). Checked through in-place kernels, where a chunk run twice or
// skipped shows in the values: at 1-64 threads and chunk counts from 1 to thousands (with a short
// last chunk), every element is updated exactly once, and a reduction over many chunks keeps its bits
// at every thread count.
import { afterAll, describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { nativeInfo, setNumThreads } from "../lib/backend/native.js";
import { nativeUnderTest } from "./helpers/native.js";

nativeUnderTest();
const threads0 = nativeInfo()!.threads;
afterAll(() => setNumThreads(threads0));

// Elementwise kernels split into chunks of 32768 elements (native/ops.h, kGrainCheap).
const GRAIN = 32768;
const THREADS = [1, 2, 3, 5, 8, 16, 64];

describe("the pool's chunk claims", () => {
  it("every chunk runs once: add_ in place at 1-64 threads, 1 to ~1000 chunks", () => {
    for (const chunks of [1, 2, 15, 16, 17, 127, 1001]) {
      const n = (chunks - 1) * GRAIN + 5; // a short last chunk
      for (const t of THREADS) {
        setNumThreads(t);
        const x = torch.zeros(n);
        x.add_(1);
        x.add_(2);
        const d = x.typedArray as Float32Array;
        for (let i = 0; i < n; i++) if (d[i] !== 3) expect.fail(`${chunks} chunks, ${t} threads: element ${i} is ${d[i]}`);
      }
    }
  });

  it("a sum over thousands of chunks has the same bits at 1-64 threads", () => {
    torch.manualSeed(5);
    const x = torch.randn(1 << 22).exp();
    let first: number | null = null;
    for (const t of THREADS) {
      setNumThreads(t);
      const v = [x.sum().item(), x.exp().sum().item()];
      const bits = Array.from(new Uint32Array(Float32Array.from(v).buffer));
      first ??= bits[0] * 2 ** 32 + bits[1];
      expect(bits[0] * 2 ** 32 + bits[1], `${t} threads`).toBe(first);
    }
  });
});
