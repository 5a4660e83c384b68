// The worker side of `npm run serve` (a torch.worker.Runner module): owns the lecture's model and
// answers predictions; a second Runner of the same module can train meanwhile (trainRun).
import * as torch from "../../lib/index.js";
import { NeuralNetwork } from "./model.js";
import { main as trainMain } from "./run.js";

const model = new NeuralNetwork();
model.eval();

/** Loads weights `npm run train` saved (PyTorch's state_dict names); returns the tensors' count. */
export function load(weightsPath: string): number {
  const state = torch.load(weightsPath);
  model.loadStateDict(state);
  return Object.keys(state).length;
}

/** Class probabilities [N, 10] of images [N, 1, 28, 28] with values in [0, 1]. */
export function predict(images: torch.Tensor): torch.Tensor {
  return torch.noGrad(() => torch.softmax(model(images), 1));
}

/** A whole `npm run train` run (argv as its command line) on this worker; the output directory. */
export function trainRun(argv: string[]): string {
  const result = trainMain(argv);
  return result?.outDir ?? "";
}
