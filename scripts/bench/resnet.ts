// The ResNet-18 benchmarks of issue #14, torchlet side (PyTorch's: the "resnet" family of
// scripts/bench_torch.py, torchvision's resnet18 with the same steps):
//   r18_train_b8  vision.models.resnet18() (1000 classes) in train mode on a random batch of 8
//                 3x224x224 images: forward, CrossEntropyLoss, backward, SGD (lr 0.01, momentum 0.9) step, zeroGrad
//   r18_infer_b1  the same model in eval mode under noGrad on one image
//   r18_infer_b8  ... on 8 images
import * as torch from "../../lib/index.js";
import type { Budget, Result } from "./harness.js";
import { measureOn } from "./conv.js";
import { type Cell, Table, ratio } from "./report.js";

export interface ResnetCase {
  id: "r18_train_b8" | "r18_infer_b1" | "r18_infer_b8";
  label: string;
}

/** Same ids and steps as RESNET_CASES in scripts/bench_torch.py. */
export const RESNET_CASES: readonly ResnetCase[] = [
  { id: "r18_train_b8", label: "ResNet-18 training step (SGD, batch 8, 224x224)" },
  { id: "r18_infer_b1", label: "ResNet-18 inference (batch 1, 224x224)" },
  { id: "r18_infer_b8", label: "ResNet-18 inference (batch 8, 224x224)" },
];

/** Budgets for calls of 0.1 to a few seconds: --quick times one call after one warm-up call. */
export const RESNET_FULL: Budget = { warmupMs: 0, budgetMs: 3000, minSamples: 5, maxSamples: 100 };
export const RESNET_QUICK: Budget = { warmupMs: 0, budgetMs: 0, minSamples: 1, maxSamples: 1 };

/** A call of the case on a fixed random model and batch (seed 0). */
export function makeResnetStep(id: ResnetCase["id"]): () => unknown {
  torch.manualSeed(0);
  const model = torch.vision.models.resnet18();
  if (id === "r18_train_b8") {
    const lossFn = new torch.nn.CrossEntropyLoss();
    const opt = new torch.optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    const x = torch.randn(8, 3, 224, 224);
    const y = torch.randint(1000, [8]);
    return () => {
      lossFn(model(x), y).backward();
      opt.step();
      opt.zeroGrad();
    };
  }
  model.eval();
  const x = torch.randn(id === "r18_infer_b1" ? 1 : 8, 3, 224, 224);
  return () => torch.noGrad(() => model(x));
}

export interface ResnetRow { id: string; label: string; results: Record<string, Result> }

export function runResnetFamily(quick: boolean, progress: (s: string) => void): ResnetRow[] {
  const rows: ResnetRow[] = [];
  for (const c of RESNET_CASES) {
    const results: Record<string, Result> = {};
    for (const impl of ["native-1t", "native-2t"] as const) {
      progress(`resnet ${c.id} ${impl}`);
      results[impl] = measureOn(impl, () => makeResnetStep(c.id), quick ? RESNET_QUICK : RESNET_FULL);
    }
    rows.push({ id: c.id, label: c.label, results });
  }
  return rows;
}

export function renderResnet(rows: ResnetRow[], stat: "median" | "min"): string {
  const tb = new Table(`ResNet-18 (issue #14): ms per call, ${stat}`, ["case", "nat 1T", "nat 2T", "2T speed-up"], [0, 0, 0, 2]);
  const ms = (r: Result | undefined) => (r === undefined || "na" in r ? NaN : stat === "min" ? r.minMs : r.medianMs);
  const cell = (r: Result | undefined): Cell => (r === undefined ? undefined : "na" in r ? r : ms(r));
  for (const row of rows) tb.add([row.label, cell(row.results["native-1t"]), cell(row.results["native-2t"]), ratio(ms(row.results["native-1t"]), ms(row.results["native-2t"]))]);
  return `${tb}\n  PyTorch's times for the same steps (torchvision's resnet18): npm run bench:torch -- --only resnet.`;
}
