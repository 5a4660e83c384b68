// PyTorch's 60-minute blitz, "Neural Networks" page, translated line by line to torchlet: LeNet
// (Conv2d, max_pool2d, num_flat_features), one backward through random gradients, MSELoss, walking
// grad_fn.next_functions, a hand-written SGD update and then optim.SGD. Python's `print(x)` is
// console.log(x); `f.data.sub_(f.grad.data * learning_rate)` is f.data.sub_(f.grad.data.mul(lr)).
// Seeded (torch.manualSeed(0)) so scripts/check_blitz.py prints the same numbers. The page has no
// CUDA-only lines.
// Run: npx tsx examples/blitz_nn.ts
// ref: https://pytorch.org/tutorials/beginner/blitz/neural_networks_tutorial.html
import * as torch from "../lib/index.js";

const { nn, optim } = torch;
const F = nn.functional;
torch.manualSeed(0);

// Define the network.
class Net extends nn.Module {
  // 1 input image channel, 6 output channels, 5x5 square convolution kernel
  conv1 = new nn.Conv2d(1, 6, 5);
  conv2 = new nn.Conv2d(6, 16, 5);
  // an affine operation: y = Wx + b
  fc1 = new nn.Linear(16 * 5 * 5, 120); // 5*5 from the image dimension
  fc2 = new nn.Linear(120, 84);
  fc3 = new nn.Linear(84, 10);

  forward(x: torch.Tensor): torch.Tensor {
    // Max pooling over a (2, 2) window
    x = F.maxPool2d(F.relu(this.conv1(x)), [2, 2]);
    // If the size is a square, you can specify with a single number
    x = F.maxPool2d(F.relu(this.conv2(x)), 2);
    x = x.view(-1, this.numFlatFeatures(x));
    x = F.relu(this.fc1(x));
    x = F.relu(this.fc2(x));
    return this.fc3(x);
  }

  numFlatFeatures(x: torch.Tensor): number {
    const size = x.size().slice(1); // all dimensions except the batch dimension
    let numFeatures = 1;
    for (const s of size) numFeatures *= s;
    return numFeatures;
  }
}

const net = new Net();
console.log(net);

// The learnable parameters.
const params = [...net.parameters()];
console.log(params.length);
console.log(`torch.Size([${params[0].size().join(", ")}])`); // conv1's .weight; Python: print(params[0].size())

// A random 32x32 input.
const input = torch.randn(1, 1, 32, 32);
let out = net(input);
console.log(out);

// Zero the gradient buffers of all parameters and backprops with random gradients.
net.zeroGrad();
out.backward(torch.randn(1, 10));

// Loss Function.
let output = net(input);
let target = torch.randn(10); // a dummy target, for example
target = target.view(1, -1); // make it the same shape as output
const criterion = new nn.MSELoss();

let loss = criterion(output, target);
console.log(loss);

console.log(loss.grad_fn); // MSELoss
console.log(loss.grad_fn!.next_functions[0][0]); // Linear
console.log(loss.grad_fn!.next_functions[0][0]!.next_functions[0][0]); // ReLU

// Backprop.
net.zeroGrad(); // zeroes the gradient buffers of all parameters

console.log("conv1.bias.grad before backward");
console.log(net.conv1.bias!.grad);

loss.backward();

console.log("conv1.bias.grad after backward");
console.log(net.conv1.bias!.grad);

// Update the weights by hand: weight = weight - learning_rate * gradient.
const learningRate = 0.01;
for (const f of net.parameters()) f.data.sub_(f.grad!.data.mul(learningRate));

// Or with torch.optim.
const optimizer = new optim.SGD(net.parameters(), { lr: 0.01 });

// in your training loop:
optimizer.zeroGrad(); // zero the gradient buffers
output = net(input);
loss = criterion(output, target);
loss.backward();
optimizer.step(); // Does the update
console.log(loss);
console.log(net(input));
