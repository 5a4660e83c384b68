// torch.autograd.functional: jacobian / hessian / vjp / jvp / vhp / hvp against derivatives worked
// out by hand, the nesting of results for several inputs and outputs, zeros (or strict's error) for
// an output that doesn't depend on an input, and createGraph for differentiating a result again.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const F = torch.autograd.functional;

describe.each(backends())("autograd.functional [%s]", (name) => {
  useBackend(name);

  it("jacobian of one input and one output has shape out.shape + in.shape", () => {
    const w = torch.tensor([1, 2, 3]);
    const j = F.jacobian((x: Tensor) => x.pow(2).mul(w), torch.tensor([1, 2, 3])) as Tensor;
    expect(j.shape).toEqual([3, 3]);
    expect(vals(j)).toEqual([2, 0, 0, 0, 8, 0, 0, 0, 18]); // d(w_i x_i^2)/dx_j = 2 w_i x_i [i = j]
    const m = torch.tensor([[1, 2], [3, 4], [5, 6]]);
    const jm = F.jacobian((x: Tensor) => m.matmul(x), torch.tensor([0.5, -1])) as Tensor;
    expect(vals(jm)).toEqual(vals(m)); // a linear map's Jacobian is its matrix
    expect((F.jacobian((x: Tensor) => x.sum(), torch.ones(2, 2)) as Tensor).shape).toEqual([2, 2]);
  });

  it("nests results as PyTorch's tuples: per output, then per input", () => {
    const out = F.jacobian((x: Tensor) => [x.sum(), x.mul(2)], torch.tensor([1, 2])) as Tensor[];
    expect(vals(out[0])).toEqual([1, 1]);
    expect(vals(out[1])).toEqual([2, 0, 0, 2]);
    const two = F.jacobian((x: Tensor, y: Tensor) => x.mul(y), [torch.tensor([1, 2]), torch.tensor([3, 4])]) as Tensor[];
    expect(vals(two[0])).toEqual([3, 0, 0, 4]); // d(xy)/dx = diag(y)
    expect(vals(two[1])).toEqual([1, 0, 0, 2]);
  });

  it("an output independent of an input gives zeros, or strict's error", () => {
    expect(vals(F.jacobian(() => torch.ones(2), torch.tensor([1, 2])) as Tensor)).toEqual([0, 0, 0, 0]);
    expect(() => F.jacobian(() => torch.ones(2), torch.tensor([1, 2]), { strict: true })).toThrow("Output 0 of the user-provided function does not require gradients.");
    const both = F.jacobian((x: Tensor, _y: Tensor) => x.mul(3), [torch.tensor([1]), torch.tensor([2])]) as Tensor[];
    expect([vals(both[0]), vals(both[1])]).toEqual([[3], [0]]);
    expect(() => F.jacobian((x: Tensor, _y: Tensor) => x.mul(3), [torch.tensor([1]), torch.tensor([2])], { strict: true })).toThrow("independent of input 1");
  });

  it("hessian of a one-element function, for one input and for several", () => {
    const h = F.hessian((x: Tensor) => x.pow(3).sum(), torch.tensor([1, 2])) as Tensor;
    expect(vals(h)).toEqual([6, 0, 0, 12]); // d²(x³)/dx² = 6x on the diagonal
    const hh = F.hessian((x: Tensor, y: Tensor) => x.mul(y).sum(), [torch.tensor([1, 2]), torch.tensor([3, 4])]) as unknown as Tensor[][];
    expect(hh.map((row) => row.map((b) => vals(b)))).toEqual([[[0, 0, 0, 0], [1, 0, 0, 1]], [[1, 0, 0, 1], [0, 0, 0, 0]]]);
    expect(() => F.hessian((x: Tensor) => x.mul(2), torch.tensor([1, 2]))).toThrow("should contain a single element");
  });

  it("vjp, jvp, vhp and hvp give the products without forming the matrices", () => {
    const [o, g] = F.vjp((x: Tensor) => x.pow(2), torch.tensor([1, 2]), torch.tensor([1, 1]));
    expect([vals(o as Tensor), vals(g as Tensor)]).toEqual([[1, 4], [2, 4]]);
    const [, jv] = F.jvp((x: Tensor) => x.pow(2), torch.tensor([1, 2]), torch.tensor([1, 0]));
    expect(vals(jv as Tensor)).toEqual([2, 0]);
    const [v, hv] = F.hvp((x: Tensor) => x.pow(3).sum(), torch.tensor([1, 2]), torch.tensor([1, 1]));
    expect([v.item(), ...vals(hv as Tensor)]).toEqual([9, 6, 12]);
    const [, vh] = F.vhp((x: Tensor) => x.pow(3).sum(), torch.tensor([1, 2]), torch.tensor([1, 0]));
    expect(vals(vh as Tensor)).toEqual([6, 0]);
    expect(() => F.vjp((x: Tensor) => x.pow(2), torch.tensor([1, 2]))).toThrow("The vector v can only be None");
  });

  it("results are detached, unless createGraph keeps them differentiable", () => {
    const x = torch.tensor([1, 2], { requiresGrad: true });
    expect((F.jacobian((t: Tensor) => t.pow(2), x) as Tensor).requiresGrad).toBe(false);
    const j = F.jacobian((t: Tensor) => t.pow(3), x, { createGraph: true }) as Tensor;
    j.sum().backward(); // sum of diag(3x²) = 3 Σ x²: its gradient is 6x
    expect(vals(x.grad!)).toEqual([6, 12]);
  });
});
