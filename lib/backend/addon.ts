// Loads the native addon (torchlet.node) and types its whole surface: the one module that touches
// it. Loading happens once per thread (module instance); a failure is returned, not thrown, so the
// caller can fall back to the JS backend. Not here: choosing a backend (index.ts), the Backend
// adapter (native.ts). ref: node-llama-cpp's src/bindings/AddonTypes.ts (one typed interface).

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Storage } from "./types.js";

export interface NativeInfo {
  /** The ISA the kernels use now: "scalar" | "avx2" | "avx512" | "neon". */
  isa: string;
  /** The best ISA this CPU supports. */
  cpuIsa: string;
  threads: number;
  /** ISAs compiled into this binary. */
  compiledIsas: string[];
  /** Problems with TORCHLET_ISA / TORCHLET_NUM_THREADS found at load (the addon fell back). */
  warnings: string[];
  /** What the addon did to the process allocator at load (native/memory.cc), e.g. "off (not glibc)". */
  mallocTuning: string;
  /** Data cache sizes in bytes per core (L3: this core's share) and how they were found. */
  caches: CacheInfo;
}

/** Cache sizes the native GEMM derives its blocking from (native/cache_info.h). */
export interface CacheInfo {
  l1d: number;
  l2: number;
  l3: number;
  source: "cpuid" | "sysfs" | "default";
}

/**
 * The functions of torchlet.node. `meta` packs the views of the typed-array arguments, in
 * argument order, each as [ndim, offset, ...shape, ...strides] (see native/binding.cc). Op codes
 * index the name lists (unaryOps, ...). Every call checks its arguments and throws TypeError or
 * RangeError on anything that could touch memory outside the arrays.
 * A Float64Array is int64 (fill, copy, where: 8-byte moves, the same for float64), except as the x
 * (a) of unary, clamp, binary, reduce, argReduce, matmul and softmax: float64 (native/ops_f64.h).
 */
export interface NativeAddon {
  readonly unaryOps: readonly string[];
  readonly binaryOps: readonly string[];
  readonly reduceOps: readonly string[];
  readonly argReduceOps: readonly string[];
  readonly maxDims: number;
  /** Storages from this size on are worth an adviseHugePages call (smaller ones are ignored). */
  readonly hugePageAdviceBytes: number;

  info(): NativeInfo;
  /** The GEMM's cache blocks for given cache sizes (bytes) and microkernel tile (native/gemm_blocking.h). */
  gemmBlocking(l1d: number, l2: number, l3: number, mr: number, nr: number, kc: number, elemBytes: number): {
    mc: number;
    kc: number;
    nc: number;
  };
  /** The current ISA's float GEMM kernel timed on B rows that straddle cache lines over aligned ones (native/gemm_split_probe.h). */
  gemmOffGridSlowdown(): number;
  /** The GEMM's work items, [b0, b1, i0, i1, j0, j1, k0, k1] each (K ranges: the K split), for a shape and thread count (native/gemm_partition.h). */
  gemmPartition(batch: number, m: number, n: number, k: number, threads: number, rowStep: number, colStep: number, residentB: boolean): number[][];
  /** 1 <= n <= 1024; replaces this thread's pool. */
  setNumThreads(n: number): void;
  /** Throws for an ISA the binary or CPU lacks. */
  setIsa(name: string): void;

  /** Memory advice for a fresh ArrayBuffer not yet written: huge pages from hugePageAdviceBytes on. */
  adviseHugePages(buffer: ArrayBuffer): void;

  fill(meta: Float64Array, out: Storage, value: number): void;
  copy(meta: Float64Array, x: Storage, out: Storage): void;
  /** float32 -> float64 (exact widening; copy() would read out as int64 and truncate). */
  copyToF64(meta: Float64Array, x: Float32Array, out: Float64Array): void;
  /** x and out: both Float32Array, or both float64 Float64Array (the f64 kernels). */
  unary(op: number, meta: Float64Array, x: Float32Array | Float64Array, out: Float32Array | Float64Array): void;
  clamp(meta: Float64Array, x: Float32Array | Float64Array, out: Float32Array | Float64Array, lo: number, hi: number): void;
  binary(op: number, meta: Float64Array, a: Storage, b: Storage, out: Storage): void;
  where(meta: Float64Array, cond: Uint8Array, a: Storage, b: Storage, out: Storage): void;
  reluBackward(meta: Float64Array, grad: Float32Array, result: Float32Array, out: Float32Array): void;
  reduce(op: number, meta: Float64Array, x: Float32Array | Float64Array, out: Float32Array | Float64Array): void;
  argReduce(op: number, meta: Float64Array, x: Float32Array | Float64Array, out: Float64Array, dim: number): void;
  /** accumulate (default false): out += a b. */
  matmul(meta: Float64Array, a: Float32Array | Float64Array, b: Float32Array | Float64Array, out: Float32Array | Float64Array, accumulate?: boolean): void;
  /** out = a + alpha * b with one rounding. */
  addScaled(meta: Float64Array, a: Float32Array, b: Float32Array, out: Float32Array, alpha: number): void;
  /** One Adam update in place (Backend.adamStep); maxExpAvgSq is null unless amsgrad. */
  adamStep(
    meta: Float64Array, p: Float32Array, grad: Float32Array, expAvg: Float32Array, expAvgSq: Float32Array,
    maxExpAvgSq: Float32Array | null, beta1: number, beta2: number, negStepSize: number, bc2Sqrt: number,
    eps: number, decay: number,
  ): void;
  softmax(meta: Float64Array, x: Float32Array | Float64Array, out: Float32Array | Float64Array, log: boolean): void;
  softmaxBackward(meta: Float64Array, y: Float32Array, g: Float32Array, out: Float32Array): void;
  gather(meta: Float64Array, x: Float32Array, index: Float64Array, out: Float32Array, dim: number): void;
  scatterAdd(meta: Float64Array, out: Float32Array, index: Float64Array, src: Float32Array, dim: number): void;
  maxPool2d(meta: Float64Array, x: Float32Array, out: Float32Array, indices: Float64Array, kH: number, kW: number, sH: number, sW: number, pH: number, pW: number, dH: number, dW: number): void;
  maxPool2dBackward(meta: Float64Array, grad: Float32Array, indices: Float64Array, gradInput: Float32Array): void;
  avgPool2d(meta: Float64Array, x: Float32Array, out: Float32Array, kH: number, kW: number, sH: number, sW: number, pH: number, pW: number, countIncludePad: boolean, divisorOverride: number): void;
  avgPool2dBackward(meta: Float64Array, grad: Float32Array, gradInput: Float32Array, kH: number, kW: number, sH: number, sW: number, pH: number, pW: number, countIncludePad: boolean, divisorOverride: number): void;
  batchNormStats(meta: Float64Array, x: Float32Array, mean: Float64Array, variance: Float64Array): void;
  batchNormApply(meta: Float64Array, x: Float32Array, mean: Float32Array, scale: Float32Array, shift: Float32Array, out: Float32Array): void;
  batchNormBackwardReduce(meta: Float64Array, x: Float32Array, grad: Float32Array, mean: Float64Array, sumGrad: Float64Array, dot: Float64Array): void;
  batchNormBackwardInput(meta: Float64Array, x: Float32Array, grad: Float32Array, mean: Float32Array, gradMean: Float32Array, k: Float32Array, a: Float32Array, gradInput: Float32Array): void;
  /** Backend.dropoutMask. */
  dropoutMask(state: Int32Array, index: number, keep: number, scale: number, mask: Float32Array, x: Float32Array | null, out: Float32Array | null): number;
  /** Backend.im2col; the window as 8 integers. */
  im2col(meta: Float64Array, x: Float32Array, cols: Float32Array, kh: number, kw: number, padTop: number, padLeft: number, strideH: number, strideW: number, dilationH: number, dilationW: number): void;
  /** Backend.layerNormForward (float32); null weight/bias have no entry in meta. */
  layerNormForward(meta: Float64Array, x: Float32Array, weight: Float32Array | null, bias: Float32Array | null, y: Float32Array, mean: Float32Array, rstd: Float32Array, eps: number): void;
  /** Backend.layerNormBackward (float32); null views have no entry in meta. */
  layerNormBackward(
    meta: Float64Array, x: Float32Array, grad: Float32Array, mean: Float32Array, rstd: Float32Array, weight: Float32Array | null,
    gradInput: Float32Array | null, gradWeight: Float32Array | null, gradBias: Float32Array | null,
  ): void;
  /** Backend.col2im; out is overwritten. */
  col2im(meta: Float64Array, cols: Float32Array, out: Float32Array, kh: number, kw: number, padTop: number, padLeft: number, strideH: number, strideW: number, dilationH: number, dilationW: number): void;
  // Fused LSTM/GRU cell steps (Backend.lstmCellForward ...): contiguous float32 [n, k*H] views.
  lstmCellForward(meta: Float64Array, gi: Float32Array, hh: Float32Array, cPrev: Float32Array, gates: Float32Array, c: Float32Array, tanhC: Float32Array, h: Float32Array): void;
  lstmCellBackward(meta: Float64Array, dh: Float32Array, gY: Float32Array, dc: Float32Array, gates: Float32Array, tanhC: Float32Array, cPrev: Float32Array, dPre: Float32Array, dcPrev: Float32Array): void;
  gruCellForward(meta: Float64Array, gi: Float32Array, hh: Float32Array, hPrev: Float32Array, gates: Float32Array, h: Float32Array): void;
  gruCellBackward(meta: Float64Array, dh: Float32Array, gY: Float32Array, gates: Float32Array, hh: Float32Array, hPrev: Float32Array, dGi: Float32Array, dGh: Float32Array, dDiff: Float32Array): void;
  /** Backend.convMatmul (float32). */
  convMatmul(meta: Float64Array, a: Float32Array, b: Float32Array, out: Float32Array, accumulate?: boolean): void;
  /** conv_matmul's split (conv_gemm.h): [batch, i0, i1, j0, j1] per item. */
  convGemmSplit(batch: number, m: number, n: number, k: number, threads: number): number[][];
  /** Whether convMatmul takes that split rather than the GEMM's own (conv_gemm_pays). */
  convGemmPays(batch: number, m: number, n: number, k: number, threads: number): boolean;
  /** Backend.matmulUnfolded (native/conv_pack.h). */
  matmulUnfolded(meta: Float64Array, a: Float32Array | Float64Array, b: Float32Array | Float64Array, out: Float32Array | Float64Array, accumulate: boolean): void;
  /** Backend.convPaddedForward (native/conv_padded_forward.h); bias null: none. */
  convPaddedForward(meta: Float64Array, x: Float32Array, weight: Float32Array, bias: Float32Array | null, out: Float32Array, kh: number, kw: number, dilH: number, dilW: number, padTop: number, padLeft: number, Hp: number, Wp: number, groups: number, imagesPerChunk: number, exact: boolean): void;
}

export type AddonLoad =
  | { addon: NativeAddon; path: string; error: null }
  | { addon: null; path: string | null; error: Error };

/** The package root: the nearest directory above this file whose package.json is torchlet's. */
function packageRoot(): string | null {
  // NOTE: this file runs as lib/backend/addon.ts (tsx, vitest) or dist/lib/backend/addon.js.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, "utf8")) as { name?: string }).name === "torchlet") return dir;
      } catch {
        // unreadable package.json: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/**
 * The addon file, as node-gyp-build picks it: build/Release/*.node from a source build (a dev
 * checkout, or the install script's fallback build), else the prebuilds/<platform>-<arch>/ file
 * whose tags (napi, glibc/musl) match this process. TORCHLET_PREBUILD=<dir> makes it look in <dir>.
 * NOTE: without node-gyp-build (a dev checkout before `npm install`), build/Release is the only place.
 */
function addonFile(root: string, req: NodeJS.Require): string {
  let resolver: { resolve(dir: string): string } | null = null;
  try {
    resolver = req("node-gyp-build") as { resolve(dir: string): string };
  } catch {
    resolver = null;
  }
  return resolver ? resolver.resolve(root) : join(root, "build", "Release", "torchlet.node");
}

let cached: AddonLoad | null = null;

/** Loads the addon once per thread; emits the addon's load-time warnings once. */
export function loadAddon(): AddonLoad {
  if (cached !== null) return cached;
  const root = packageRoot();
  if (root === null) {
    cached = { addon: null, path: null, error: new Error("torchlet: cannot find the package root of torchlet") };
    return cached;
  }
  const req = createRequire(import.meta.url);
  let file: string;
  try {
    // NOTE: TORCHLET_ADDON_PATH loads that build instead (scripts/test_asan.sh's sanitizer build),
    // with no fallback, so a run meant for it can't silently use another.
    const override = process.env.TORCHLET_ADDON_PATH;
    file = override ? resolve(override) : addonFile(root, req);
  } catch (e) {
    // node-gyp-build: "No native build was found for platform=... arch=... libc=..."
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
    cached = { addon: null, path: null, error: new Error(`torchlet: no prebuilt binary matches this platform and no source build exists (${msg}); to build one, install cmake and a C++17 compiler, run \`npm install --save-dev cmake-js node-addon-api\`, then \`TORCHLET_BUILD_FROM_SOURCE=1 npm rebuild torchlet\``) };
    return cached;
  }
  try {
    const addon = req(file) as NativeAddon;
    for (const w of addon.info().warnings) process.emitWarning(w, { code: "TORCHLET_ENV" });
    cached = { addon, path: file, error: null };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    cached = { addon: null, path: file, error: new Error(`torchlet: cannot load ${file}: ${err.message}`, { cause: err }) };
  }
  return cached;
}
