// TensorFlow.js 4.22 (devDependencies) on its pure-JS "cpu" backend and its "wasm" backend (SIMD;
// its threads need SharedArrayBuffer workers, which do not start in Node): the matmul cases and the
// MLP training step (tf.tidy + optimizer.minimize), so torchlet is compared within the same run.
// Everything that cannot run becomes n/a with the reason. No tfjs-node (its install downloads a binary).
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type * as TF from "@tensorflow/tfjs";
import { type Budget, type Result, tryMeasure } from "./harness.js";
import { type MatmulCase, slowPolicy, storedShapes } from "./matmul.js";
import type { OptimizerName } from "./mlp.js";

export type TfBackend = "cpu" | "wasm";
export const TF_BACKENDS: readonly TfBackend[] = ["cpu", "wasm"];

export interface Tfjs {
  tf: typeof TF;
  version: string;
  /** null when the backend initialised, else why not. */
  failed: Record<TfBackend, string | null>;
  wasmSimd: boolean | null;
  wasmThreads: boolean | null;
}

/** Runs fn with console.warn/log lines from tfjs's "install tfjs-node" banner dropped. */
async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const { warn, log } = console;
  const drop = (orig: (...a: unknown[]) => void) => (...a: unknown[]) => {
    const s = a.map(String).join(" ");
    if (/tfjs-node|running TensorFlow\.js in Node|^=+$/.test(s.trim()) || s.trim() === "") return;
    orig(...a);
  };
  console.warn = drop(warn);
  console.log = drop(log);
  try {
    return await fn();
  } finally {
    console.warn = warn;
    console.log = log;
  }
}

export async function loadTfjs(): Promise<Tfjs | { na: string }> {
  let tf: typeof TF;
  try {
    tf = await quietly(() => import("@tensorflow/tfjs"));
  } catch (e) {
    return { na: `@tensorflow/tfjs not installed (npm install): ${(e as Error).message.split("\n")[0]}` };
  }
  const failed: Record<TfBackend, string | null> = { cpu: null, wasm: null };
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    // NOTE: in Node the wasm binary is read from node_modules by path, never fetched.
    const require = createRequire(import.meta.url);
    wasm.setWasmPaths(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm")) + "/");
  } catch (e) {
    failed.wasm = `@tensorflow/tfjs-backend-wasm not loadable: ${(e as Error).message.split("\n")[0]}`;
  }
  let wasmSimd: boolean | null = null;
  let wasmThreads: boolean | null = null;
  for (const b of TF_BACKENDS) {
    if (failed[b]) continue;
    const ok = await quietly(async () => {
      try {
        return await tf.setBackend(b);
      } catch {
        return false;
      }
    });
    if (!ok) failed[b] = `tf.setBackend("${b}") failed`;
    else if (b === "wasm") {
      wasmSimd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
      wasmThreads = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
    }
  }
  return { tf, version: tf.version.tfjs, failed, wasmSimd, wasmThreads };
}

async function use(t: Tfjs, b: TfBackend): Promise<string | null> {
  if (t.failed[b]) return t.failed[b];
  await t.tf.setBackend(b);
  await t.tf.ready();
  return null;
}

export async function runTfMatmul(t: Tfjs, b: TfBackend, c: MatmulCase, budget: Budget, quick: boolean): Promise<Result> {
  const why = await use(t, b);
  if (why) return { na: why };
  const policy = slowPolicy(`tfjs-${b}`, c, quick, budget);
  if ("skip" in policy) return { na: policy.skip };
  const { tf } = t;
  const [sa, sb] = storedShapes(c);
  const a = tf.randomNormal(sa);
  const m = tf.randomNormal(sb);
  // NOTE: tfjs has no strided views; the transposed operand is expressed with matMul's flags.
  const r = tryMeasure(() => tf.matMul(a, m, c.form === "AtB", c.form === "ABt").dispose(), policy.budget);
  a.dispose();
  m.dispose();
  return r;
}

/** One step of the 784-512-512-10 MLP at batch 64 (Glorot-ish init; the values do not matter here). */
export async function runTfTrainStep(t: Tfjs, b: TfBackend, opt: OptimizerName, budget: Budget): Promise<Result> {
  if (opt === "AdamW") return { na: "tfjs 4.22 has no AdamW optimizer" };
  const why = await use(t, b);
  if (why) return { na: why };
  const { tf } = t;
  const dims = [784, 512, 512, 10];
  const vars: TF.Variable[] = [];
  for (let i = 0; i < 3; i++) {
    const bound = 1 / Math.sqrt(dims[i]);
    vars.push(tf.variable(tf.randomUniform([dims[i], dims[i + 1]], -bound, bound)));
    vars.push(tf.variable(tf.randomUniform([dims[i + 1]], -bound, bound)));
  }
  const x = tf.randomNormal([64, 1, 28, 28]);
  const labels = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 10, "int32"), 10));
  const optimizer = opt === "SGD" ? tf.train.sgd(1e-3) : tf.train.adam(1e-3);
  const forward = (): TF.Tensor => {
    let h: TF.Tensor = tf.reshape(x, [64, 784]);
    for (let i = 0; i < 3; i++) {
      h = tf.add(tf.matMul(h, vars[2 * i]), vars[2 * i + 1]);
      if (i < 2) h = tf.relu(h);
    }
    return h;
  };
  const step = () =>
    tf.tidy(() => {
      optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, forward()) as TF.Scalar, false, vars);
    });
  step(); // creates the optimizer's slots, which are meant to persist
  const before = tf.memory().numTensors;
  const r = tryMeasure(step, budget);
  const leaked = tf.memory().numTensors - before;
  optimizer.dispose();
  for (const v of vars) v.dispose();
  x.dispose();
  labels.dispose();
  if (!("na" in r) && leaked > 0) return { na: `leaked ${leaked} tensors during the run (harness bug)` };
  return r;
}
