// The 60-minute blitz translations (examples/blitz_*.ts) run end to end as a user runs them
// (node --import tsx), exit 0, and print key lines that the test recomputes with torchlet itself.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";

function runExample(file: string): string {
  const child = spawnSync(process.execPath, ["--import", "tsx", file], { encoding: "utf8", timeout: 240_000 });
  expect(child.stderr).toBe("");
  expect(child.status).toBe(0);
  return child.stdout;
}

describe("60-minute blitz", () => {
  it("Tensors page: creation, attributes, indexing, arithmetic, the typed-array bridge", () => {
    const out = runExample("examples/blitz_tensors.ts");
    torch.manualSeed(0);
    const xRand = torch.randLike(torch.zeros(2, 2, { dtype: torch.int64 }), { dtype: torch.float });
    expect(out).toContain(`Random Tensor: \n ${xRand} \n`);
    expect(out).toContain("tensor([[1, 2],\n        [3, 4]])\ntensor([[1, 2],\n        [3, 4]])\n");
    expect(out).toContain("Shape of tensor: torch.Size([3, 4])\nDatatype of tensor: torch.float32\nDevice tensor is stored on: cpu\n");
    expect(out).toContain(`First column: ${torch.ones(4)}\nLast column: ${torch.ones(4)}\n`);
    const zeroed = torch.ones(4, 4);
    zeroed.set([":", 1], 0);
    expect(out).toContain(`${torch.cat([zeroed, zeroed, zeroed], 1)}\nTrue True\nTrue True\n12.0 <class 'float'>\n`);
    expect(out).toContain(`${zeroed.add(5)}\n`);
    // The bridge: the array follows the tensor's add_ and the tensor follows the array's.
    expect(out).toContain("t: tensor([2., 2., 2., 2., 2.])\nn: [2. 2. 2. 2. 2.]\n");
    expect(out).toMatch(/t: tensor\(\[2\., 2\., 2\., 2\., 2\.\], dtype=torch\.float64\)\nn: \[2\. 2\. 2\. 2\. 2\.\]\n$/);
  });

  it("Autograd page: a resnet18 training step, Q = 3a^3 - b^2, exclusion from the DAG, finetuning", () => {
    const out = runExample("examples/blitz_autograd.ts");
    expect(out).toMatch(/^loss: -?\d+\.\d+ <SumBackward0 object at 0x[0-9a-f]+>\n/);
    expect(out).toContain("conv1.weight.grad: shape [64, 3, 7, 7], sum ");
    expect(out).toContain("tensor([True, True])\ntensor([True, True])\n");
    expect(out).toContain("Does `a` require gradients?: False\nDoes `b` require gradients?: True\n");
    const fc = new torch.nn.Linear(512, 10);
    expect(out).toContain(`trainable parameters: ${fc.weight.numel() + fc.bias!.numel()} in 2 tensors\n`);
  });

  it("Neural Networks page: LeNet, MSELoss's graph, a hand-written update, then optim.SGD", () => {
    const out = runExample("examples/blitz_nn.ts");
    expect(out).toMatch(/^Net\(\n  \(conv1\): Conv2d\(1, 6, kernel_size=\(5, 5\), stride=\(1, 1\)\)\n/);
    expect(out).toContain("  (fc3): Linear(in_features=84, out_features=10, bias=True)\n)\n10\ntorch.Size([6, 1, 5, 5])\n");
    expect(out).toMatch(/<MseLossBackward0 object at 0x[0-9a-f]+>\n<AddmmBackward0 object at 0x[0-9a-f]+>\n<AccumulateGrad object at 0x[0-9a-f]+>\n/);
    expect(out).toContain("conv1.bias.grad before backward\ntensor([0., 0., 0., 0., 0., 0.])\nconv1.bias.grad after backward\n");
    // Two updates (by hand, then SGD) lower the loss on the fixed input and target.
    const losses = [...out.matchAll(/tensor\((\d+\.\d+), grad_fn=<MseLossBackward0>\)/g)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(2);
    expect(losses[1]).toBeLessThan(losses[0]);
  });
});
