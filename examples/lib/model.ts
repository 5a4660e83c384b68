// The lecture's NeuralNetwork (Flatten, then Linear 784-512, ReLU, Linear 512-512, ReLU, Linear 512-10)
// for the CLI and the tests. Field names are PyTorch's, so the state dict keys are too
// (`linear_relu_stack.0.weight` ...) and a saved file loads into the Python class unchanged.
// ref: https://pytorch.org/tutorials/beginner/basics/buildmodel_tutorial.html
import * as torch from "../../lib/index.js";
const { nn } = torch;

export class NeuralNetwork extends nn.Module {
  // NOTE: fields initialise in this order, so the Linear layers draw their random init from the
  // generator in PyTorch's order: after torch.manualSeed(s) the weights equal PyTorch's for seed s.
  flatten = new nn.Flatten();
  linear_relu_stack = new nn.Sequential(
    new nn.Linear(28 * 28, 512),
    new nn.ReLU(),
    new nn.Linear(512, 512),
    new nn.ReLU(),
    new nn.Linear(512, 10),
  );

  forward(x: torch.Tensor): torch.Tensor {
    x = this.flatten(x); // [N, 1, 28, 28] -> [N, 784]
    const logits = this.linear_relu_stack(x); // [N, 10]
    return logits;
  }
}

/** The ten FashionMNIST class names, index = label. */
export const classes = torch.vision.datasets.FashionMNIST.classes;
