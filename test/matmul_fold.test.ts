// matmul of an N-D tensor (N > 2) by a matrix folds the batch into the rows of one mm, as PyTorch
// does (grad_fn UnsafeViewBackward0), for contiguous and strided inputs; values and gradients equal
// the flattened 2-D product's. F.linear folds a contiguous 3-D input with a bias into one addmm
// (ViewBackward0). ref: aten/src/ATen/native/LinearAlgebra.cpp matmul, Linear.cpp (PyTorch 1.13).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";

describe.each(backends())("matmul N-D @ 2-D [%s]", (name) => {
  useBackend(name);

  it("equals the flattened mm, with its gradients, for contiguous and transposed inputs", () => {
    for (const transposed of [false, true]) {
      const base = torch.randn(3, 2, 4);
      const a = (transposed ? base.transpose(0, 1) : base).detach().requiresGrad_(true);
      const w = torch.randn(4, 5).requiresGrad_(true);
      const y = a.matmul(w);
      expect(y.shape).toEqual([a.shape[0], a.shape[1], 5]);
      expect((y.grad_fn as any).name).toBe("UnsafeViewBackward0");
      const g = torch.randn(...y.shape);
      y.backward(g);
      const a2 = a.detach().reshape(-1, 4).requiresGrad_(true);
      const w2 = w.detach().requiresGrad_(true);
      const y2 = a2.mm(w2);
      y2.backward(g.reshape(-1, 5));
      close(vals(y), vals(y2), 1e-6);
      close(vals(a.grad!), vals(a2.grad!.reshape(a.shape)), 1e-6);
      close(vals(w.grad!), vals(w2.grad!), 1e-5);
    }
  });

  it("F.linear on a contiguous 3-D input with bias is one addmm: ViewBackward0, same values and gradients", () => {
    const F = torch.nn.functional;
    const x = torch.randn(3, 2, 4).requiresGrad_(true);
    const w = torch.randn(5, 4).requiresGrad_(true);
    const b = torch.randn(5).requiresGrad_(true);
    const y = F.linear(x, w, b);
    expect((y.grad_fn as any).name).toBe("ViewBackward0");
    expect((F.linear(x.transpose(0, 1), w, b).grad_fn as any).name).toBe("AddBackward0");
    const g = torch.randn(3, 2, 5);
    y.backward(g);
    const [x2, w2, b2] = [x, w, b].map((t) => t.detach().requiresGrad_(true));
    const y2 = x2.matmul(w2.t()).add(b2);
    y2.backward(g);
    close(vals(y), vals(y2), 1e-6);
    for (const [p, q] of [[x, x2], [w, w2], [b, b2]]) close(vals(p.grad!), vals(q.grad!), 1e-5);
  });
});
