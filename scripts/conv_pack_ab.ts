// Dev tool (not a test): A/B of the padded-row conv forward's GEMM step on the bench's 3x3 stride-1
// shapes (scripts/bench/conv.ts): A = columns copied out of the padded image, then matmul (the
// explicit path); B = matmulUnfolded, the GEMM packing its panels straight from the padded image
// (native/conv_pack.cc). Same chunk of images as lib/ops/conv_padded_rows.ts. Interleaved A, B, A, B...
// in one process; CPU time per call (process.cpuUsage), median of --reps.
// --conv: the whole conv2d forward instead, with the backend's matmulUnfolded as it is (implicit)
// against the same call with it replaced by the columns copied out + matmul (explicit, same layout).
// Usage: npx tsx scripts/conv_pack_ab.ts [--threads N] [--reps 30] [--only cnn.conv2,r18.l1] [--conv]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import * as torch from "../lib/index.js";
import { backend } from "../lib/backend/index.js";
import type { View } from "../lib/backend/types.js";
import { imagesPerChunk } from "../lib/ops/conv_chunks.js";
import { implicitExactColumns, usesImplicitGemm } from "../lib/ops/conv_implicit.js";
import { CONV_CASES, convFlops, makeConvCall } from "./bench/conv.js";

const { values } = parseArgs({ options: { threads: { type: "string" }, reps: { type: "string" }, only: { type: "string" }, conv: { type: "boolean" } } });
torch.setNumThreads(Number(values.threads ?? 1));
const reps = Number(values.reps ?? 30);
const only = values.only?.split(",");
const v = (data: Float32Array, shape: number[], strides: number[], offset = 0): View => ({ typedArray: data, offset, shape, strides });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
function cpuMs(fn: () => void): number {
  const u = process.cpuUsage();
  fn();
  const d = process.cpuUsage(u);
  return (d.user + d.system) / 1000;
}

if (values.conv) {
  const be = backend();
  const implicitMatmul = be.matmulUnfolded.bind(be);
  const colsBuffers = new Map<number, Float32Array>();
  const explicitMatmul = (a: View, b: View, out: View, acc = false) => {
    const [G, C, kh, kw, N, rh, rw] = b.shape;
    const K = C * kh * kw, n = N * rh * rw;
    // NOTE: one buffer per size, kept, as the scratch pool keeps the real path's columns.
    const cols = colsBuffers.get(G * K * n) ?? new Float32Array(G * K * n);
    colsBuffers.set(G * K * n, cols);
    be.copy(b, v(cols, b.shape as number[], [K * n, kh * kw * n, kw * n, n, rh * rw, rw, 1]));
    be.matmul(a, v(cols, [G, K, n], [K * n, n, 1]), out, acc);
  };
  console.log(`threads ${torch.getNumThreads()}; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}; conv2d forward, ms CPU (median)`);
  for (const c of CONV_CASES) {
    if (c.k !== 3 || c.stride !== 1 || (only !== undefined && !only.includes(c.id))) continue;
    const call = makeConvCall(c, "fwd");
    const t: Record<string, number[]> = { explicit: [], implicit: [] };
    const once = (k: string) => {
      be.matmulUnfolded = k === "explicit" ? explicitMatmul : implicitMatmul;
      return cpuMs(() => void call());
    };
    for (let i = 0; i < 2; i++) (once("explicit"), once("implicit"));
    for (let i = 0; i < reps; i++) (t.explicit.push(once("explicit")), t.implicit.push(once("implicit")));
    const [me, mi] = [median(t.explicit), median(t.implicit)];
    const gf = (ms: number) => (convFlops(c, "fwd") / 1e6 / ms).toFixed(0).padStart(4);
    console.log(`${c.id.padEnd(9)} explicit ${me.toFixed(2).padStart(6)} ms ${gf(me)} GF/s  implicit ${mi.toFixed(2).padStart(6)} ms ${gf(mi)} GF/s  implicit/explicit ${(mi / me).toFixed(3)}`);
  }
  be.matmulUnfolded = implicitMatmul;
  process.exit(0);
}
console.log(`threads ${torch.getNumThreads()}; load ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
console.log("A: padded-row columns copied + matmul; B: A's GEMM packing from the image; C: B without the padded-row");
console.log("layout's unused columns; D: im2col + matmul. GFLOP/s count useful work only. ms: CPU time, median.");
for (const c of CONV_CASES) {
  if (c.k !== 3 || c.stride !== 1 || (only !== undefined && !only.includes(c.id))) continue;
  const { cin: C, cout: O, h: H, w: W } = c;
  const [Hp, Wp] = [H + 2, W + 2];
  const P = H * Wp, L = H * W;
  const plane = Hp * Wp;
  const rows = C * 9;
  const m = imagesPerChunk(c.n, rows * L, L);
  const xpad = new Float32Array(m * C * plane + 2).map(() => Math.random() - 0.5);
  const x = new Float32Array(m * C * H * W).map(() => Math.random() - 0.5);
  const wt = new Float32Array(O * rows).map(() => Math.random() - 0.5);
  const cols = new Float32Array(rows * m * P);
  const out = new Float32Array(O * m * P);
  const a = v(wt, [1, O, rows], [0, rows, 1]);
  const gemmOut = (n: number) => v(out, [1, O, n], [0, n, 1]);
  const variants: Record<string, [() => void, number]> = {
    A: [() => {
      backend().copy(v(xpad, [C, 3, 3, m, P], [plane, Wp, 1, C * plane, 1]), v(cols, [C, 3, 3, m, P], [9 * m * P, 3 * m * P, m * P, P, 1]));
      backend().matmul(a, v(cols, [1, rows, m * P], [0, m * P, 1]), gemmOut(m * P));
    }, m * P],
    B: [() => backend().matmulUnfolded(a, v(xpad, [1, C, 3, 3, m, 1, P], [0, plane, Wp, 1, C * plane, 0, 1]), gemmOut(m * P)), m * P],
    C: [() => backend().matmulUnfolded(a, v(xpad, [1, C, 3, 3, m, H, W], [0, plane, Wp, 1, C * plane, Wp, 1]), gemmOut(m * L)), m * L],
    D: [() => {
      const g = { kh: 3, kw: 3, padTop: 1, padLeft: 1, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1 };
      backend().im2col(v(x, [m, C, H, W], [C * H * W, H * W, W, 1]), v(cols, [m, rows, H, W], [L, m * L, W, 1]), g);
      backend().matmul(a, v(cols, [1, rows, m * L], [0, m * L, 1]), gemmOut(m * L));
    }, m * L],
  };
  const names = Object.keys(variants);
  for (let i = 0; i < 2; i++) for (const k of names) variants[k][0]();
  const t: Record<string, number[]> = Object.fromEntries(names.map((k) => [k, []]));
  for (let i = 0; i < reps; i++) for (const k of names) t[k].push(cpuMs(variants[k][0]));
  const flops = 2 * O * rows * m * L;
  const cells = names.map((k) => `${k} ${median(t[k]).toFixed(2).padStart(6)} ms ${(flops / 1e6 / median(t[k])).toFixed(0).padStart(4)}`);
  console.log(`${c.id.padEnd(9)} m=${String(m).padStart(2)}  ${cells.join("  ")}  dispatch ${usesImplicitGemm(O, c.n * L) ? (implicitExactColumns(O, W, Wp) ? "C" : "B") : "A"}`);
}
