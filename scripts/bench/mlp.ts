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
  model: NeuralNetwork,
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
