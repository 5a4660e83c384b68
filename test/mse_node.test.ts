// mse_loss as one MseLossBackward0 node (lib/nn/losses/mse_node.ts): the values and gradients of
// the composite (input − target)² it replaces, first and second derivatives (gradcheck,
// gradgradcheck on float64), and the graph as PyTorch prints it, with linear's next_functions in
// addmm's order (bias first). Once per backend.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { gradcheck, gradgradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const F = torch.nn.functional;

describe.each(backends())("MseLossBackward0 [%s]", (name) => {
  useBackend(name);

  it("gives the composite's loss and gradients for every reduction", () => {
    for (const reduction of ["mean", "sum", "none"] as const) {
      torch.manualSeed(1);
      const x = torch.randn(3, 4, { requiresGrad: true });
      const t = torch.randn(3, 4, { requiresGrad: true });
      const loss = F.mseLoss(x, t, { reduction });
      expect(loss.grad_fn!.name).toBe("MseLossBackward0");
      const x2 = x.detach().requiresGrad_(true);
      const t2 = t.detach().requiresGrad_(true);
      const d = x2.sub(t2);
      const ref = reduction === "mean" ? d.mul(d).mean() : reduction === "sum" ? d.mul(d).sum() : d.mul(d);
      expect(vals(loss)).toEqual(vals(ref));
      const g = reduction === "none" ? torch.randn(3, 4) : torch.tensor(1.5);
      loss.backward(g);
      ref.backward(g);
      const near = (a: torch.Tensor, b: torch.Tensor) => vals(a).forEach((v, i) => expect(v).toBeCloseTo(vals(b)[i], 6));
      near(x.grad!, x2.grad!);
      near(t.grad!, t2.grad!);
    }
  });

  it("passes gradcheck and gradgradcheck on float64", () => {
    const x = torch.randn(2, 3, { dtype: torch.float64, requiresGrad: true });
    const t = torch.randn(2, 3, { dtype: torch.float64, requiresGrad: true });
    for (const reduction of ["mean", "sum", "none"] as const) {
      expect(gradcheck((a, b) => F.mseLoss(a, b, { reduction }), [x, t])).toBe(true);
      expect(gradgradcheck((a, b) => F.mseLoss(a, b, { reduction }), [x, t])).toBe(true);
    }
  });

  it("keeps the composite for broadcasting and mixed dtypes", () => {
    const x = torch.ones(2, 3, { requiresGrad: true });
    const loss = F.mseLoss(x, torch.zeros(3, { dtype: torch.float64 }));
    expect(loss.grad_fn!.name).not.toBe("MseLossBackward0");
    loss.backward();
    expect(vals(x.grad!)).toEqual(Array(6).fill(2 / 6).map((v) => Math.fround(v)));
  });

  it("reads as PyTorch's graph: MseLossBackward0 -> AddmmBackward0 -> the bias's AccumulateGrad", () => {
    const fc = new torch.nn.Linear(4, 2);
    const h = torch.relu(torch.randn(3, 4, { requiresGrad: true }));
    const loss = new torch.nn.MSELoss()(fc(h), torch.zeros(3, 2));
    const addmm = loss.grad_fn!.next_functions[0][0]!;
    expect(addmm.name).toBe("AddmmBackward0");
    const [bias, input, weight] = addmm.next_functions.map((e) => e[0]!);
    expect(bias.name).toBe("AccumulateGrad");
    expect((bias as any).variable).toBe(fc.bias);
    expect(input.name).toBe("ReluBackward0");
    expect((weight as any).variable).toBe(fc.weight);
  });
});
