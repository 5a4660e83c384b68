// The train family's workloads (mlp.ts MLP_CASES): one training step (forward, CrossEntropyLoss,
// backward, optimizer step, zeroGrad) or one inference pass (eval mode, no graph) of an MLP on a
// fixed random batch. torchlet only; the tfjs equivalent is in tfjs.ts and PyTorch's in
// scripts/bench_torch.py.
import * as torch from "../../lib/index.js";
import { type Budget, type Result, tryMeasure } from "./harness.js";
import { type TorchletImpl, unavailable, withImpl } from "./impls.js";
import { type MlpCase, MLP_CASES, type OptimizerName, makeMlp, makeOptimizer, trainStep } from "./mlp.js";

/** The lecture's batch-64 step with one optimizer (the case whose id is the optimizer's name). */
export function runTorchletTrainStep(impl: TorchletImpl, opt: OptimizerName, budget: Budget): Result {
  return runTorchletMlp(impl, MLP_CASES.find((c) => c.id === opt)!, budget);
}

/** The JS backend runs the lecture's batch-64 steps only (the others take seconds per call there). */
export function jsSkips(c: MlpCase): string | null {
  return c.hidden === null && c.batch === 64 ? null : "JS backend: the lecture's batch-64 steps only (seconds per call otherwise)";
}

export function runTorchletMlp(impl: TorchletImpl, c: MlpCase, budget: Budget): Result {
  const why = unavailable(impl) ?? (impl === "js" ? jsSkips(c) : null);
  if (why) return { na: why };
  return withImpl(impl, () => {
    torch.manualSeed(0);
    const model = makeMlp(c);
    const X = torch.randn(c.batch, 1, 28, 28);
    if (c.optimizer === null) {
      model.eval();
      return tryMeasure(() => torch.noGrad(() => model(X)), budget);
    }
    const lossFn = new torch.nn.CrossEntropyLoss();
    const optimizer = makeOptimizer(c.optimizer, model);
    const y = torch.randint(10, [c.batch]);
    return tryMeasure(() => trainStep(model, lossFn, optimizer, X, y), budget);
  });
}
