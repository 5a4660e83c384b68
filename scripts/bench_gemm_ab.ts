// A/B of two addon builds in one process, interleaved (GEMM shapes of the lecture, ResNet-18, the LSTM,
// K=4096, square 2048, or SHAPES): bit-identity and per-shape speed. Usage: ISA=avx512 T=1 npx tsx
// scripts/bench_gemm_ab.ts BEFORE.node [AFTER.node]; single-thread figures are CPU time, else wall.
// COLD=MB: each call writes its C into the next of a ring of that many MB of buffers, as a fresh
// result does (V8 frees ours only at the next scavenge, after ~32 MB of new buffers), so C starts in no cache.
// WORK: flops per timed sample (default 2e8); raise it for tiny shapes, whose CPU time is otherwise
// within the clock's granularity. TA=1 / TB=1: A (B) stored transposed and passed as a view, as autograd's A^T B (dW) and A B^T (dX).
import { createRequire } from "node:module";
import { NativeBackend } from "../lib/backend/native.js";
const req = createRequire(import.meta.url);
const beforePath = process.argv[2];
const afterPath = process.argv[3] ?? new URL("../build/Release/torchlet.node", import.meta.url).pathname;
if (!beforePath) throw new Error("usage: bench_gemm_ab.ts BEFORE.node [AFTER.node]");
const A = new NativeBackend(req(beforePath));
const B = new NativeBackend(req(afterPath));
const isa = process.env.ISA ?? "avx512", threads = Number(process.env.T ?? 1);
for (const [side, x] of [["before", req(beforePath)], ["after", req(afterPath)]]) {
  x.setIsa(isa);
  x.setNumThreads(threads);
  // What decides whether B off the line grid is read in place (native/gemm_split_probe.h), where the build has it.
  if (typeof x.gemmOffGridSlowdown === "function") console.log(`${side}: kernel slowdown on line-straddling B rows ${x.gemmOffGridSlowdown().toFixed(3)}`);
}
// SHAPES="64x4096x64,16x4096x64" (m x k x n, comma-separated) replaces the default list.
const shapes: [string, number, number, number][] = process.env.SHAPES
  ? process.env.SHAPES.split(",").map((x) => { const [m, k, n] = x.split("x").map(Number); return [x, m, k, n]; })
  : [
      ["mlp 256x784x512", 256, 784, 512], ["mlp dW 784x256x512", 784, 256, 512], ["sq 512", 512, 512, 512],
      ["resnet conv 3136x576x64", 3136, 576, 64], ["lstm 700x200x800", 700, 200, 800], ["K=4096 256x4096x256", 256, 4096, 256],
      ["sq 2048", 2048, 2048, 2048],
    ];
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e3; };
const ms = (f: () => void, reps: number) => { const t0 = threads === 1 ? cpu() : performance.now(); for (let i = 0; i < reps; i++) f(); return ((threads === 1 ? cpu() : performance.now()) - t0) / reps; };
const med = (v: number[]) => v.sort((p, q) => p - q)[v.length >> 1];
let logsum = 0, worst = Infinity, cnt = 0;
for (const [name, m, k, n] of shapes) {
  const mk = (r: number, c: number, t = false) => { const d = new Float32Array(r * c); for (let i = 0; i < d.length; i++) d[i] = Math.sin(i * 0.37); return { typedArray: d, offset: 0, shape: [1, r, c], strides: t ? [r * c, 1, r] : [r * c, c, 1] }; };
  const a = mk(m, k, process.env.TA === "1"), b = mk(k, n, process.env.TB === "1"), oa = mk(m, n), ob = mk(m, n);
  // NOTE: the ring's last buffer is oa / ob, so the bit comparison below sees a written C.
  const ringLen = Math.max(1, Math.ceil((Number(process.env.COLD ?? 0) * 2 ** 20) / (4 * m * n)));
  const caller = (X: NativeBackend, last: typeof oa) => {
    const ring = [...Array.from({ length: ringLen - 1 }, () => mk(m, n)), last];
    let i = 0;
    return () => X.matmul(a, b, ring[i++ % ringLen]);
  };
  const callA = caller(A, oa), callB = caller(B, ob);
  A.matmul(a, b, oa); B.matmul(a, b, ob);
  const same = Buffer.compare(Buffer.from(oa.typedArray.buffer), Buffer.from(ob.typedArray.buffer)) === 0;
  const reps = Math.max(1, Math.round(Number(process.env.WORK ?? 2e8) / (2 * m * n * k)));
  const ta: number[] = [], tb: number[] = [];
  for (let r = 0; r < 9; r++) { ta.push(ms(callA, reps)); tb.push(ms(callB, reps)); }
  const sa = med(ta), sb = med(tb), gf = (x: number) => (2 * m * n * k / x / 1e6).toFixed(1);
  logsum += Math.log(sa / sb); worst = Math.min(worst, sa / sb); cnt++;
  console.log(`${isa} t=${threads} ${name.padEnd(26)} before ${sa.toFixed(2)} ms (${gf(sa)} GF)  after ${sb.toFixed(2)} ms (${gf(sb)} GF)  speedup ${(sa / sb).toFixed(3)}  bits ${same ? "identical" : "DIFFER"}`);
}
console.log(`geomean speedup ${Math.exp(logsum / cnt).toFixed(3)}, worst ${worst.toFixed(3)}`);
