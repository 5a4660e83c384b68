// The FashionMNIST CNN of issue #14 for the CLI (`npm run train -- --model cnn`), the lecture-style
// program (examples/fashion-mnist-cnn.ts re-declares it inline) and the tests:
//   Conv2d(1,32,3,padding=1) -> BatchNorm2d(32) -> ReLU -> MaxPool2d(2)      [N,32,14,14]
//   Conv2d(32,64,3,padding=1) -> BatchNorm2d(64) -> ReLU -> MaxPool2d(2)     [N,64,7,7]
//   Flatten -> Linear(3136,128) -> ReLU -> Dropout(0.25) -> Linear(128,10)   [N,10]
// Field names are those of the PyTorch class in scripts/check_torch_load.py and scripts/cnn_torch.py,
// so the state dict keys match (`features.0.weight`, `features.1.running_mean`,
// `features.1.num_batches_tracked`, `classifier.1.weight` ...).
import * as torch from "../../lib/index.js";
const { nn } = torch;

export class ConvNet extends nn.Module {
  // NOTE: fields initialise in declaration order, the layers inside each Sequential in argument order:
  // the Conv2d and Linear layers draw their init (kaiming_uniform a=sqrt(5), then the bias) from the
  // generator in the order PyTorch's __init__ does, so after torch.manualSeed(s) the weights equal
  // PyTorch's for seed s. BatchNorm2d draws nothing (ones, zeros).
  features = new nn.Sequential(
    new nn.Conv2d(1, 32, 3, { padding: 1 }),
    new nn.BatchNorm2d(32),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
    new nn.Conv2d(32, 64, 3, { padding: 1 }),
    new nn.BatchNorm2d(64),
    new nn.ReLU(),
    new nn.MaxPool2d(2),
  );
  classifier = new nn.Sequential(
    new nn.Flatten(),
    new nn.Linear(64 * 7 * 7, 128),
    new nn.ReLU(),
    new nn.Dropout(0.25),
    new nn.Linear(128, 10),
  );

  forward(x: torch.Tensor): torch.Tensor {
    x = this.features(x); // [N, 1, 28, 28] -> [N, 64, 7, 7]
    return this.classifier(x); // -> [N, 3136] -> [N, 10]
  }
}

/** What the CLI's metrics and plot call it. */
export const CNN_DESCRIPTION =
  "ConvNet (Conv2d 1-32 3x3 pad 1, BatchNorm2d, ReLU, MaxPool2d 2, Conv2d 32-64 3x3 pad 1, BatchNorm2d, ReLU, MaxPool2d 2, " +
  "Flatten, Linear 3136-128, ReLU, Dropout 0.25, Linear 128-10)";
