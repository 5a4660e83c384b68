// Loads the native addon (torchlet.node) and types its whole surface: the one module that touches
// it. Loading happens once per thread (module instance); a failure is returned, not thrown, so the
// caller can fall back to the JS backend. Not here: choosing a backend (index.ts), the Backend
// adapter (native.ts). ref: node-llama-cpp's src/bindings/AddonTypes.ts (one typed interface).

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
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
}

/**
 * The functions of torchlet.node. `meta` packs the views of the typed-array arguments, in
 * argument order, each as [ndim, offset, ...shape, ...strides] (see native/binding.cc). Op codes
 * index the name lists (unaryOps, ...). Every call checks its arguments and throws TypeError or
 * RangeError on anything that could touch memory outside the arrays.
 */
export interface NativeAddon {
  readonly unaryOps: readonly string[];
  readonly binaryOps: readonly string[];
  readonly reduceOps: readonly string[];
  readonly argReduceOps: readonly string[];
  readonly maxDims: number;

  info(): NativeInfo;
  /** 1 <= n <= 1024; replaces this thread's pool. */
  setNumThreads(n: number): void;
  /** Throws for an ISA the binary or CPU lacks. */
  setIsa(name: string): void;

  fill(meta: Float64Array, out: Storage, value: number): void;
  copy(meta: Float64Array, x: Storage, out: Storage): void;
  unary(op: number, meta: Float64Array, x: Float32Array, out: Float32Array): void;
  clamp(meta: Float64Array, x: Float32Array, out: Float32Array, lo: number, hi: number): void;
  binary(op: number, meta: Float64Array, a: Storage, b: Storage, out: Storage): void;
  where(meta: Float64Array, cond: Uint8Array, a: Storage, b: Storage, out: Storage): void;
  reduce(op: number, meta: Float64Array, x: Float32Array, out: Float32Array): void;
  argReduce(op: number, meta: Float64Array, x: Float32Array, out: Float64Array, dim: number): void;
  matmul(meta: Float64Array, a: Float32Array, b: Float32Array, out: Float32Array): void;
  softmax(meta: Float64Array, x: Float32Array, out: Float32Array, log: boolean): void;
  gather(meta: Float64Array, x: Float32Array, index: Float64Array, out: Float32Array, dim: number): void;
  scatterAdd(meta: Float64Array, out: Float32Array, index: Float64Array, src: Float32Array, dim: number): void;
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

let cached: AddonLoad | null = null;

/** Loads build/Release/torchlet.node once; emits the addon's load-time warnings once. */
export function loadAddon(): AddonLoad {
  if (cached !== null) return cached;
  const root = packageRoot();
  if (root === null) {
    cached = { addon: null, path: null, error: new Error("torchlet: cannot find the package root of torchlet") };
    return cached;
  }
  const file = join(root, "build", "Release", "torchlet.node");
  try {
    const addon = createRequire(import.meta.url)(file) as NativeAddon;
    for (const w of addon.info().warnings) process.emitWarning(w, { code: "TORCHLET_ENV" });
    cached = { addon, path: file, error: null };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    cached = { addon: null, path: file, error: new Error(`torchlet: cannot load ${file}: ${err.message}`, { cause: err }) };
  }
  return cached;
}
