// The lecture's three loss demos, standalone: CrossEntropyLoss on a softmax output with a one-hot
// float target, MultiMarginLoss giving 0.0 and 0.32499998807907104, and KLDivLoss with PyTorch's
// 'mean' warning. Inputs are fixed or drawn with torch.rand (which reproduces PyTorch's stream),
// so the printed values are PyTorch 1.13's. Run: npx tsx examples/loss-demos.ts
// ref: https://pytorch.org/docs/1.13/nn.html#loss-functions
import * as torch from "../lib/index.js";
import { pyFloat } from "./lib/pyformat.js";

const { nn } = torch;
const F = nn.functional;

// 1. CrossEntropyLoss with a class-probability target (a one-hot float vector for class 2).
// NOTE: CrossEntropyLoss applies log_softmax itself, so a softmax output is softmaxed twice here;
// that is why models hand raw logits to it.
let loss: torch.nn.Module = new nn.CrossEntropyLoss();
const logits = torch.tensor([1.5409960746765137, -0.293428897857666, -2.1787893772125244, 0.5684312582015991, -1.0845223665237427]);
let input = new nn.Softmax(0)(new nn.ReLU()(logits)).requiresGrad_(true);
let target = torch.zeros(5);
target.set(2, 1);
let output = loss(input, target);
console.log(input);
console.log(target);
console.log(output); // tensor(1.7156, grad_fn=<DivBackward1>)
output.backward();
console.log(input.grad);

// 2. MultiMarginLoss: Σ_{i≠y} max(0, 1 − x[y] + x[i]) / C, C = 4 classes.
loss = new nn.MultiMarginLoss();
let x = torch.tensor([[0.0, 0.0, 0.0, 1.0]]);
let y = torch.tensor([3], { dtype: torch.long });
console.log(pyFloat(loss(x, y).item())); // 0.0: class 3 wins by the full margin
x = torch.tensor([[0.1, 0.2, 0.4, 0.8]]);
console.log(pyFloat(loss(x, y).item())); // 0.32499998807907104 = (0.3 + 0.4 + 0.6) / 4 in float32

// 3. KLDivLoss: input log-probabilities, target probabilities. The default reduction='mean'
// divides by the number of elements and warns, as PyTorch 1.13 does; 'batchmean' is the real KL.
torch.manualSeed(0);
loss = new nn.KLDivLoss();
input = F.logSoftmax(torch.rand(3, 5, { requiresGrad: true }), 1);
target = F.softmax(torch.rand(3, 5), 1);
output = loss(input, target);
console.log(output);
console.log(new nn.KLDivLoss({ reduction: "batchmean" })(input, target));
// NOTE: Node prints warnings on a later tick; yield once so the warning shows up here, not at exit.
await new Promise((resolve) => setImmediate(resolve));
