// The lecture's model (784-512-512-10 MLP with Flatten) and one training step, shared by the
// train-step and epoch benchmarks so both time exactly the same code. Nothing is timed here.
// ref: examples/fashion-mnist.ts (the PyTorch optimization tutorial).
import * as torch from "../../lib/index.js";

import { NeuralNetwork } from "../../examples/lib/model.js";

export { NeuralNetwork };

export type OptimizerName = "SGD" | "Adam" | "AdamW";
export const OPTIMIZERS: readonly OptimizerName[] = ["SGD", "Adam", "AdamW"];

export function makeOptimizer(name: OptimizerName, model: torch.nn.Module): torch.optim.Optimizer {
  const params = model.parameters();
  if (name === "SGD") return new torch.optim.SGD(params, { lr: 1e-3 });
  if (name === "Adam") return new torch.optim.Adam(params, { lr: 1e-3 });
  return new torch.optim.AdamW(params, { lr: 1e-3 });
}

/** The lecture's loop body: forward, loss, backward, step, zero_grad. Returns the loss tensor. */
export function trainStep(
  model: (x: torch.Tensor) => torch.Tensor,
  lossFn: torch.nn.CrossEntropyLoss,
  optimizer: torch.optim.Optimizer,
  X: torch.Tensor,
  y: torch.Tensor,
): torch.Tensor {
  const pred = model(X);
  const loss = lossFn(pred, y);
  loss.backward();
  optimizer.step();
  optimizer.zeroGrad();
  return loss;
}

/** One MLP workload of the train family (issue 16): a training step or an inference pass. */
export interface MlpCase {
  /** Shared with scripts/bench_torch.py's MLP_CASES. The lecture's batch-64 steps keep the bare
   *  optimizer name as id, as earlier result files and the --rounds comparison use it. */
  id: string;
  label: string;
  /** Widths of the hidden layers (input 784, output 10); null: the lecture's NeuralNetwork. */
  hidden: number[] | null;
  batch: number;
  /** null: inference (eval mode, no graph). */
  optimizer: OptimizerName | null;
}

const lecture = (batch: number, optimizer: OptimizerName | null, id?: string): MlpCase => ({
  id: id ?? `lecture-b${batch}:${optimizer ?? "infer"}`,
  label: `lecture 784-512-512-10, batch ${batch}, ${optimizer ?? "inference"}`,
  hidden: null,
  batch,
  optimizer,
});
const mlp = (hidden: number[], batch: number, optimizer: OptimizerName, name: string): MlpCase => ({
  id: `${name}-b${batch}:${optimizer}`,
  label: `784-${hidden.join("-")}-10, batch ${batch}, ${optimizer}`,
  hidden,
  batch,
  optimizer,
});

export const MLP_CASES: readonly MlpCase[] = [
  ...OPTIMIZERS.map((o) => lecture(64, o, o)),
  lecture(256, "SGD"),
  lecture(256, "Adam"),
  lecture(1, null),
  lecture(1000, null),
  mlp([2048, 2048], 512, "SGD", "wide2048"),
  mlp([2048, 2048], 512, "Adam", "wide2048"),
  mlp([256, 256, 256, 256, 256, 256], 64, "SGD", "deep256x6"),
  mlp([128], 32, "Adam", "narrow128"),
];

/** The model of a case: the lecture's class, or Flatten + (Linear, ReLU)* + Linear. */
export function makeMlp(c: MlpCase): NeuralNetwork | torch.nn.Sequential {
  if (c.hidden === null) return new NeuralNetwork();
  const dims = [784, ...c.hidden, 10];
  const layers: torch.nn.Module[] = [new torch.nn.Flatten()];
  for (let i = 0; i + 1 < dims.length; i++) {
    layers.push(new torch.nn.Linear(dims[i], dims[i + 1]));
    if (i + 2 < dims.length) layers.push(new torch.nn.ReLU());
  }
  return new torch.nn.Sequential(...layers);
}
