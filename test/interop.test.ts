// Tensors in JS expressions and PyTorch-like printouts: a one-element tensor converts to its value
// where JS asks for a number (Python's float(t)), string conversion gives the repr, other sizes throw
// PyTorch's error; optimizers print PyTorch's hyperparameter names and Python's number formats.
// ref: PyTorch 1.13 (Tensor.__float__, Optimizer.__repr__; printouts read off python3-torch 1.13).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend } from "./helpers/backends.js";

const { nn, optim } = torch;
const ONE_ELEMENT = "only one element tensors can be converted to Python scalars";

describe.each(backends())("tensors in JS expressions [%s]", (name) => {
  useBackend(name);

  it("a one-element tensor converts like float(t) where JS wants a number", () => {
    const loss = torch.tensor(0.325); // float32: 0.32499998807907104
    const v = Math.fround(0.325);
    expect(Number(loss)).toBe(v);
    const any = loss as any; // TypeScript only allows Number(t) and +t; plain JS allows the rest
    expect(+any).toBe(v);
    expect(any * 2).toBe(v * 2);
    expect(any + 1).toBe(v + 1);
    expect(any > 0.3 && any < 0.4).toBe(true);
    expect(any == v).toBe(true);
    expect(Math.max(any, 0)).toBe(v);
    expect(Number(torch.tensor([[7]], { dtype: torch.long }))).toBe(7);
    expect(Number(torch.tensor([true]))).toBe(1);
    expect(Number(torch.ones(2).sum())).toBe(2);
    // a tensor that requires grad converts too, as float(t) does
    expect(Number(torch.ones(1, { requiresGrad: true }).mul(3))).toBe(3);
  });

  it("string conversion is the repr; tensors of other sizes refuse numeric conversion", () => {
    const t = torch.tensor(0.325);
    expect(`${t}`).toBe("tensor(0.3250)");
    expect(String(t)).toBe("tensor(0.3250)");
    expect(`${torch.ones(2)}`).toBe("tensor([1., 1.])");
    expect(`${new nn.Parameter(torch.ones(1))}`).toBe("Parameter containing:\ntensor([1.], requires_grad=True)");
    expect(() => Number(torch.ones(2))).toThrow(ONE_ELEMENT);
    expect(() => Number(torch.ones(0))).toThrow(ONE_ELEMENT);
    expect(() => (torch.ones(3) as any) + 1).toThrow(ONE_ELEMENT); // "default" converts as a number
  });

  it("== between two tensors compares objects (use .eq), as the README warns", () => {
    const pred = torch.tensor([1, 2, 3]), y = torch.tensor([1, 0, 3]);
    expect((pred as unknown) == (y as unknown)).toBe(false);
    expect(pred.eq(y).tolist()).toEqual([true, false, true]);
  });
});

describe("optimizer printouts", () => {
  const p = () => [new nn.Parameter(torch.zeros(2))];

  it("print PyTorch's keys and number formats (python: print(torch.optim.Adam(p, lr=1e-5)))", () => {
    expect(String(new optim.Adam(p(), { lr: 1e-5 }))).toBe(
      "Adam (\nParameter Group 0\n    amsgrad: False\n    betas: (0.9, 0.999)\n    capturable: False\n    differentiable: False\n" +
        "    eps: 1e-08\n    foreach: None\n    fused: False\n    lr: 1e-05\n    maximize: False\n    weight_decay: 0\n)",
    );
    expect(String(new optim.Adagrad(p()))).toBe(
      "Adagrad (\nParameter Group 0\n    eps: 1e-10\n    foreach: None\n    initial_accumulator_value: 0\n    lr: 0.01\n" +
        "    lr_decay: 0\n    maximize: False\n    weight_decay: 0\n)",
    );
  });

  it("sort by PyTorch's names, including keys a scheduler adds (initial_lr)", () => {
    const opt = new optim.SGD(p(), { lr: 0.1 });
    new optim.lrScheduler.StepLR(opt, 3);
    expect(String(opt)).toBe(
      "SGD (\nParameter Group 0\n    dampening: 0\n    differentiable: False\n    foreach: None\n    initial_lr: 0.1\n    lr: 0.1\n" +
        "    maximize: False\n    momentum: 0\n    nesterov: False\n    weight_decay: 0\n)",
    );
  });
});
