// The CNN layer benchmarks of issue #14, torchlet side (PyTorch's: the "conv" family of
// scripts/bench_torch.py, the same cases, shapes and calls):
//   conv2d forward (no graph) and backward (autograd.grad of a retained graph: the weight's gradient,
//   plus the input's where a network needs it, i.e. every layer but the first) on the FashionMNIST
//   CNN's two convs (batch 64) and ResNet-18's (batch 8, 3x224x224 input): the 7x7/2 stem, each
//   stage's 3x3 convs (the strided first one too) and the 1x1/2 downsample convs;
//   max-pool and batch norm on the same networks' shapes: forward alone (eval) and forward+backward (train).
// GFLOP/s counts 2 x N x Cout x Ho x Wo x Cin x kh x kw per forward (and per gradient in backward).
import * as torch from "../../lib/index.js";
import { type Budget, type Result, isNa, tryMeasure } from "./harness.js";
import { type TorchletImpl, unavailable, withImpl } from "./impls.js";
import { type Cell, Table, ratio } from "./report.js";

export interface ConvCase {
  id: string;
  label: string;
  n: number; cin: number; h: number; w: number; cout: number; k: number; stride: number; pad: number;
  bias: boolean;
  /** Backward also computes the input's gradient (false for a network's first layer, as autograd does). */
  inputGrad: boolean;
}

const cnn = (id: string, cin: number, hw: number, cout: number): ConvCase =>
  ({ id, label: `CNN ${id.slice(4)} ${cin}->${cout} 3x3 on 64x${hw}x${hw}`, n: 64, cin, h: hw, w: hw, cout, k: 3, stride: 1, pad: 1, bias: true, inputGrad: cin !== 1 });
const r18 = (id: string, what: string, cin: number, hw: number, cout: number, k: number, stride: number): ConvCase =>
  ({ id, label: `R18 ${what} ${cin}->${cout} ${k}x${k}${stride > 1 ? `/${stride}` : ""} on 8x${hw}x${hw}`, n: 8, cin, h: hw, w: hw, cout, k, stride, pad: (k - 1) >> 1, bias: false, inputGrad: id !== "r18.stem" });

/** Same ids, shapes and order as CONV_CASES in scripts/bench_torch.py. */
export const CONV_CASES: readonly ConvCase[] = [
  cnn("cnn.conv1", 1, 28, 32),
  cnn("cnn.conv2", 32, 14, 64),
  r18("r18.stem", "stem", 3, 224, 64, 7, 2),
  r18("r18.l1", "layer1", 64, 56, 64, 3, 1),
  r18("r18.l2s2", "layer2.0.conv1", 64, 56, 128, 3, 2),
  r18("r18.l2", "layer2", 128, 28, 128, 3, 1),
  r18("r18.l2ds", "layer2 downsample", 64, 56, 128, 1, 2),
  r18("r18.l3s2", "layer3.0.conv1", 128, 28, 256, 3, 2),
  r18("r18.l3", "layer3", 256, 14, 256, 3, 1),
  r18("r18.l3ds", "layer3 downsample", 128, 28, 256, 1, 2),
  r18("r18.l4s2", "layer4.0.conv1", 256, 14, 512, 3, 2),
  r18("r18.l4", "layer4", 512, 7, 512, 3, 1),
  r18("r18.l4ds", "layer4 downsample", 256, 14, 512, 1, 2),
];

export type ConvDir = "fwd" | "bwd";
export const CONV_DIRS: readonly ConvDir[] = ["fwd", "bwd"];

export function outSize(c: ConvCase): number {
  return Math.floor((c.h + 2 * c.pad - c.k) / c.stride) + 1;
}

/** Floating-point operations of one call (multiply and add counted apart). */
export function convFlops(c: ConvCase, dir: ConvDir): number {
  const o = outSize(c);
  const fwd = 2 * c.n * c.cout * o * o * c.cin * c.k * c.k;
  return dir === "fwd" ? fwd : fwd * (c.inputGrad ? 2 : 1);
}

/** One call of the case on fixed random data (seed 0). */
export function makeConvCall(c: ConvCase, dir: ConvDir): () => unknown {
  const F = torch.nn.functional;
  torch.manualSeed(0);
  const x = torch.randn(c.n, c.cin, c.h, c.w);
  const w = torch.randn(c.cout, c.cin, c.k, c.k).mul(1 / Math.sqrt(c.cin * c.k * c.k));
  const b = c.bias ? torch.randn(c.cout) : null;
  const conv = () => F.conv2d(x, w, b, c.stride, c.pad);
  if (dir === "fwd") return () => torch.noGrad(conv);
  w.requiresGrad = true;
  if (b) b.requiresGrad = true;
  if (c.inputGrad) x.requiresGrad = true;
  const out = conv();
  const g = torch.randn(...out.shape);
  const wrt = [...(c.inputGrad ? [x] : []), w, ...(b ? [b] : [])];
  return () => torch.autograd.grad(out, wrt, { gradOutputs: g, retainGraph: true });
}

export interface LayerCase {
  id: string;
  label: string;
  kind: "maxpool" | "bn";
  shape: [number, number, number, number];
  /** maxpool: kernel, stride, padding. */
  pool?: [number, number, number];
}

/** Same ids, shapes and order as LAYER_CASES in scripts/bench_torch.py. */
export const LAYER_CASES: readonly LayerCase[] = [
  { id: "cnn.pool1", label: "CNN max-pool 2 on 64x32x28x28", kind: "maxpool", shape: [64, 32, 28, 28], pool: [2, 2, 0] },
  { id: "cnn.pool2", label: "CNN max-pool 2 on 64x64x14x14", kind: "maxpool", shape: [64, 64, 14, 14], pool: [2, 2, 0] },
  { id: "r18.maxpool", label: "R18 max-pool 3/2 p1 on 8x64x112x112", kind: "maxpool", shape: [8, 64, 112, 112], pool: [3, 2, 1] },
  { id: "cnn.bn1", label: "CNN BatchNorm2d on 64x32x28x28", kind: "bn", shape: [64, 32, 28, 28] },
  { id: "cnn.bn2", label: "CNN BatchNorm2d on 64x64x14x14", kind: "bn", shape: [64, 64, 14, 14] },
  { id: "r18.bn1", label: "R18 BatchNorm2d on 8x64x112x112", kind: "bn", shape: [8, 64, 112, 112] },
  { id: "r18.l3bn", label: "R18 BatchNorm2d on 8x256x14x14", kind: "bn", shape: [8, 256, 14, 14] },
];

/** eval: forward without a graph (BN with running statistics); train: forward (BN with batch
 *  statistics, updating the running ones) and backward of a fixed output gradient. */
export type LayerMode = "eval" | "train";
export const LAYER_MODES: readonly LayerMode[] = ["eval", "train"];

export function makeLayerCall(c: LayerCase, mode: LayerMode): () => unknown {
  const { nn } = torch;
  torch.manualSeed(0);
  const x = torch.randn(...c.shape);
  const layer = c.kind === "maxpool" ? new nn.MaxPool2d(c.pool![0], c.pool![1], c.pool![2]) : new nn.BatchNorm2d(c.shape[1]);
  if (mode === "eval") {
    layer.eval();
    return () => torch.noGrad(() => layer(x));
  }
  x.requiresGrad = true;
  const g = torch.randn(...(layer(x) as torch.Tensor).shape);
  return () => (layer(x) as torch.Tensor).backward(g);
}

export interface ConvRow { id: string; label: string; dir: ConvDir; flops: number; results: Record<string, Result> }
export interface LayerRow { id: string; label: string; mode: LayerMode; results: Record<string, Result> }
export interface ConvSection { conv: ConvRow[]; layers: LayerRow[] }

const CONV_IMPLS = ["native-1t", "native-2t"] as const;

/** Measures every case on native 1T and 2T (the JS backend is not run: seconds per call). */
export function runConvFamily(budget: Budget, progress: (s: string) => void): ConvSection {
  const conv: ConvRow[] = [];
  for (const c of CONV_CASES) {
    for (const dir of CONV_DIRS) {
      const results: Record<string, Result> = {};
      for (const impl of CONV_IMPLS) {
        progress(`conv ${c.id} ${dir} ${impl}`);
        results[impl] = measureOn(impl, () => makeConvCall(c, dir), budget);
      }
      conv.push({ id: c.id, label: c.label, dir, flops: convFlops(c, dir), results });
    }
  }
  const layers: LayerRow[] = [];
  for (const c of LAYER_CASES) {
    for (const mode of LAYER_MODES) {
      const results: Record<string, Result> = {};
      for (const impl of CONV_IMPLS) {
        progress(`conv ${c.id} ${mode} ${impl}`);
        results[impl] = measureOn(impl, () => makeLayerCall(c, mode), budget);
      }
      layers.push({ id: c.id, label: c.label, mode, results });
    }
  }
  return { conv, layers };
}

/** Builds the call (inputs, graph) under impl's backend and threads, then times it there. */
export function measureOn(impl: TorchletImpl, make: () => () => unknown, budget: Budget): Result {
  const why = unavailable(impl);
  if (why) return { na: why };
  return withImpl(impl, () => {
    try {
      return tryMeasure(make(), budget);
    } catch (e) {
      return { na: `error: ${(e as Error).message.split("\n")[0]}` };
    }
  });
}

function geomean(xs: number[]): number {
  const ok = xs.filter((x) => Number.isFinite(x) && x > 0);
  return ok.length ? Math.exp(ok.reduce((a, x) => a + Math.log(x), 0) / ok.length) : NaN;
}

/** The family's tables: conv GFLOP/s with %peak (peak per core x threads), then the layers' ms. */
export function renderConv(sec: ConvSection, peakPerCore: number, stat: "median" | "min"): string {
  const ms = (r: Result | undefined) => (r === undefined || isNa(r) ? NaN : stat === "min" ? r.minMs : r.medianMs);
  const cell = (r: Result | undefined, v: number): Cell => (r !== undefined && isNa(r) ? r : v);
  const tc = new Table(`conv2d (issue #14): GFLOP/s, ${stat} time per call; %peak of ${peakPerCore.toFixed(1)} GFLOP/s per core`,
    ["case", "dir", "nat 1T", "nat 2T", "%pk 1T", "%pk 2T", "ms 1T", "ms 2T"], [0, 0, 1, 1, 0, 0, 2, 2]);
  const g1: number[] = [], g2: number[] = [];
  for (const row of sec.conv) {
    const [r1, r2] = [row.results["native-1t"], row.results["native-2t"]];
    const [a, b] = [row.flops / ms(r1) / 1e6, row.flops / ms(r2) / 1e6];
    g1.push(a);
    g2.push(b);
    tc.add([row.label, row.dir, cell(r1, a), cell(r2, b), (100 * a) / peakPerCore, (100 * b) / (2 * peakPerCore), cell(r1, ms(r1)), cell(r2, ms(r2))]);
  }
  const [m1, m2] = [geomean(g1), geomean(g2)];
  tc.add(["geomean", "", m1, m2, (100 * m1) / peakPerCore, (100 * m2) / (2 * peakPerCore), undefined, undefined]);
  const tl = new Table(`max-pool and batch norm (issue #14): ms per call, ${stat}`, ["case", "mode", "nat 1T", "nat 2T", "2T speed-up"], [0, 0, 2, 2, 2]);
  for (const row of sec.layers) {
    const [r1, r2] = [row.results["native-1t"], row.results["native-2t"]];
    tl.add([row.label, row.mode, cell(r1, ms(r1)), cell(r2, ms(r2)), ratio(ms(r1), ms(r2))]);
  }
  return `${tc}\n  bwd: the weight's gradient (and the bias's), plus the input's except for a first layer (CNN conv1, R18 stem).` +
    `${tl}\n  eval: forward without a graph; train: forward with batch statistics + backward.\n  PyTorch's numbers for the same calls: npm run bench:torch -- --only conv.`;
}
