// One training step of the lecture's MLP (784-512-512-10, batch 64): forward, CrossEntropyLoss,
// backward, optimizer step, zeroGrad, with SGD, Adam and AdamW, on a fixed random batch. torchlet
// only; the tfjs equivalent is in tfjs.ts and PyTorch's in scripts/bench_torch.py.
import * as torch from "../../lib/index.js";
import { type Budget, type Result, tryMeasure } from "./harness.js";
import { type TorchletImpl, unavailable, withImpl } from "./impls.js";
import { NeuralNetwork, type OptimizerName, makeOptimizer, trainStep } from "./mlp.js";

export function runTorchletTrainStep(impl: TorchletImpl, opt: OptimizerName, budget: Budget): Result {
  const why = unavailable(impl);
  if (why) return { na: why };
  return withImpl(impl, () => {
    torch.manualSeed(0);
    const model = new NeuralNetwork();
    const lossFn = new torch.nn.CrossEntropyLoss();
    const optimizer = makeOptimizer(opt, model);
    const X = torch.randn(64, 1, 28, 28);
    const y = torch.randint(10, [64]);
    return tryMeasure(() => trainStep(model, lossFn, optimizer, X, y), budget);
  });
}
