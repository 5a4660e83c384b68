// PyTorch's 60-minute blitz, "A Gentle Introduction to torch.autograd", translated line by line to
// torchlet. The page loads torchvision's resnet18(weights=ResNet18_Weights.DEFAULT); torchlet
// ships no pretrained weights and downloads nothing, so this builds
// torch.vision.models.resnet18() with its random init (seeded: torchlet draws the init in
// torchvision's order, so scripts/check_blitz.py prints the same loss with weights=None).
// `a ** 3` is a.pow(3), `3 * x` is x.mul(3), `x == y` is x.eq(y); the optimizer and the frozen
// model are as on the page. The page has no CUDA-only lines.
// Run: npx tsx examples/blitz_autograd.ts
// ref: https://pytorch.org/tutorials/beginner/blitz/autograd_tutorial.html
import * as torch from "../lib/index.js";
import { pyBool, pyFloat } from "./lib/pyformat.js";

const { nn, optim } = torch;
torch.manualSeed(0);

// Usage in PyTorch: one training step of a (here untrained) resnet18 on a random image.
let model: torch.vision.models.ResNet = torch.vision.models.resnet18(); // Python: weights=ResNet18_Weights.DEFAULT
const data = torch.rand(1, 3, 64, 64);
const labels = torch.rand(1, 1000);

const prediction = model.forward(data); // forward pass
const loss = prediction.sub(labels).sum();
console.log(`loss: ${pyFloat(loss.item())} ${loss.grad_fn}`);
loss.backward(); // backward pass
console.log(`conv1.weight.grad: shape [${model.conv1.weight.grad!.shape.join(", ")}], sum ${pyFloat(model.conv1.weight.grad!.sum().item())}`);

let optimizer = new optim.SGD(model.parameters(), { lr: 1e-2, momentum: 0.9 });
optimizer.step(); // gradient descent
console.log(`fc.bias[:3] after step: ${model.fc.bias!.index(":3")}`);

// Differentiation in Autograd.
const a = torch.tensor([2.0, 3.0], { requiresGrad: true });
const b = torch.tensor([6.0, 4.0], { requiresGrad: true });
const Q = a.pow(3).mul(3).sub(b.pow(2)); // Q = 3a^3 - b^2
const externalGrad = torch.tensor([1.0, 1.0]);
Q.backward(externalGrad); // Python: Q.backward(gradient=external_grad)

// Check if collected gradients are correct.
console.log(a.pow(2).mul(9).eq(a.grad!));
console.log(b.mul(-2).eq(b.grad!));

// Exclusion from the DAG.
const x = torch.rand(5, 5);
const y = torch.rand(5, 5);
const z = torch.rand([5, 5], { requiresGrad: true });

const sumA = x.add(y);
console.log(`Does \`a\` require gradients?: ${pyBool(sumA.requiresGrad)}`);
const sumB = x.add(z);
console.log(`Does \`b\` require gradients?: ${pyBool(sumB.requiresGrad)}`);

// Finetuning: freeze every parameter, then replace the classifier.
model = torch.vision.models.resnet18();
for (const param of model.parameters()) param.requiresGrad = false; // Freeze all the parameters in the network
model.fc = new nn.Linear(512, 10);
// Optimize only the classifier.
optimizer = new optim.SGD(model.parameters(), { lr: 1e-2, momentum: 0.9 });
const trainable = model.parameters().filter((p) => p.requiresGrad).map((p) => p.numel());
console.log(`trainable parameters: ${trainable.reduce((s, n) => s + n, 0)} in ${trainable.length} tensors`);
