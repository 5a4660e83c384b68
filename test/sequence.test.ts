// Sequence models: nn.Embedding / F.embedding (padding_idx without gradient, max_norm, fromPretrained),
// nn.utils.clipGradNorm_ / clipGradValue_, and nn.RNN / LSTM / GRU with their cells: shapes of every
// configuration, parameter names in PyTorch's registration order, init bounds, gradcheck on small
// sizes, agreement of the layers with their cells, and PyTorch's error messages. Once per backend.
// ref: PyTorch 1.13 (torch/nn/modules/sparse.py, rnn.py, torch/nn/utils/clip_grad.py).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";

const { nn } = torch;
const F = nn.functional;
const long = (xs: number | number[] | number[][]) => torch.tensor(xs as any, { dtype: "int64" });
const tol = { eps: 1e-2, rtol: 2e-2, atol: 2e-3 };

// NOTE: a generous per-test timeout: gradcheck and the configuration sweep are slow on a loaded machine.
const SLOW = 120_000;

describe.each(backends())("sequence [%s]", (name) => {
  useBackend(name);

  describe("Embedding", () => {
    it("looks rows up for any index shape; N(0,1) init; padding row zero at init and without gradient", () => {
      torch.manualSeed(0);
      const e = new nn.Embedding(5, 3, { paddingIdx: -1 });
      expect(e.paddingIdx).toBe(4);
      expect(vals(e.weight).slice(12)).toEqual([0, 0, 0]);
      expect(e.namedParameters().map(([n]) => n)).toEqual(["weight"]);
      const idx = long([[0, 4], [2, 4]]);
      const y = e.forward(idx);
      expect(y.shape).toEqual([2, 2, 3]);
      expect(vals(y).slice(3, 6)).toEqual([0, 0, 0]);
      expect(e.forward(long(2)).shape).toEqual([3]);
      y.mul(torch.arange(12).reshape(2, 2, 3)).sum().backward();
      const g = vals(e.weight.grad!);
      expect(g.slice(12)).toEqual([0, 0, 0]);
      expect(g.slice(0, 3)).toEqual([0, 1, 2]);
      expect(g.slice(6, 9)).toEqual([6, 7, 8]);
      expect(e.toString()).toBe("Embedding(5, 3, padding_idx=4)");
    });

    it("F.embedding: gradient scatters (repeated indices add up); max_norm renormalises the picked rows in place", () => {
      const w = torch.randn(4, 2).requiresGrad_(true);
      expect(gradcheck((ww) => F.embedding(long([1, 1, 3]), ww), [w], tol)).toBe(true);
      const w2 = torch.tensor([[3, 4], [0.3, 0.4], [6, 8]]);
      F.embedding(long([0, 1]), w2, { maxNorm: 1 });
      close(vals(w2), [0.6, 0.8, 0.3, 0.4, 6, 8], 1e-5);
    });

    it("fromPretrained freezes by default; errors read as PyTorch's", () => {
      const w = torch.randn(3, 2);
      const e = nn.Embedding.fromPretrained(w);
      expect(e.weight.requiresGrad).toBe(false);
      expect(vals(e.weight)).toEqual(vals(w));
      expect(nn.Embedding.fromPretrained(w, { freeze: false, paddingIdx: 0 }).weight.requiresGrad).toBe(true);
      expect(() => new nn.Embedding(4, 2).forward(long([1, 4]))).toThrow("index out of range in self");
      expect(() => new nn.Embedding(4, 2).forward(torch.tensor([1]))).toThrow("Expected tensor for argument #1 'indices'");
      expect(() => new nn.Embedding(4, 2, { paddingIdx: 4 })).toThrow("Padding_idx must be within num_embeddings");
      expect(() => F.oneHot(long([1, -1]))).toThrow("Class values must be non-negative.");
      expect(F.oneHot(long([2, 0])).shape).toEqual([2, 3]);
    });
  });

  describe("clip_grad", () => {
    const withGrad = (g: number[]) => {
      const p = new nn.Parameter(torch.zeros(g.length));
      p.grad = torch.tensor(g);
      return p;
    };

    it("clipGradNorm_: total norm of all grads, scaled by max_norm / (norm + 1e-6) when above; inf norm; no grads", () => {
      const a = withGrad([3, 0]), b = withGrad([0, 4]), none = new nn.Parameter(torch.zeros(2));
      const n = nn.utils.clipGradNorm_([a, b, none], 1);
      close(vals(n), [5]);
      close([...vals(a.grad!), ...vals(b.grad!)], [3 / (5 + 1e-6), 0, 0, 4 / (5 + 1e-6)]);
      expect(none.grad).toBeNull();
      const c = withGrad([1, -2]);
      close(vals(nn.utils.clipGradNorm_(c, 10, Infinity)), [2]);
      expect(vals(c.grad!)).toEqual([1, -2]);
      close(vals(nn.utils.clipGradNorm_([withGrad([1, -2])], { maxNorm: 1, normType: 1 })), [3]);
      expect(vals(nn.utils.clipGradNorm_([none], 1))).toEqual([0]);
      expect(() => nn.utils.clipGradNorm_([withGrad([NaN])], 1, { errorIfNonfinite: true })).toThrow(
        "The total norm of order 2.0 for gradients from `parameters` is non-finite",
      );
    });

    it("clipGradValue_ clamps in place", () => {
      const a = withGrad([-2, 0.3, 5]);
      expect(nn.utils.clipGradValue_([a], 1)).toBeUndefined();
      close(vals(a.grad!), [-1, 0.3, 1]);
    });
  });

  describe("ModuleDict / ParameterList / ParameterDict", () => {
    it("register their entries under PyTorch's names, in insertion order; tensors become Parameters", () => {
      const d = new nn.ModuleDict({ enc: new nn.Linear(2, 3), dec: new nn.Linear(3, 2) });
      expect(d.namedParameters().map(([n]) => n)).toEqual(["enc.weight", "enc.bias", "dec.weight", "dec.bias"]);
      expect([...d]).toEqual(["enc", "dec"]);
      expect(d.pop("enc")).toBeInstanceOf(nn.Linear);
      expect(d.length).toBe(1);
      expect(() => d.get("enc")).toThrow("'enc'");
      const pl = new nn.ParameterList([torch.randn(2), torch.randn(3)]);
      expect(pl.namedParameters().map(([n]) => n)).toEqual(["0", "1"]);
      expect(pl.at(-1)).toBeInstanceOf(nn.Parameter);
      const pd = new nn.ParameterDict({ a: torch.ones(2) }).set("b", torch.zeros(1));
      expect(pd.namedParameters().map(([n]) => n)).toEqual(["a", "b"]);
      expect(pd.get("b")!.requiresGrad).toBe(true);
    });
  });

  describe("RNN / LSTM / GRU", () => {
    it("parameter names, shapes and PyTorch's registration order; init inside ±1/√hidden", () => {
      const m = new nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
      const names = m.namedParameters().map(([n, p]) => `${n}:${p.shape.join("x")}`);
      expect(names.slice(0, 8)).toEqual([
        "weight_ih_l0:16x3", "weight_hh_l0:16x4", "bias_ih_l0:16", "bias_hh_l0:16",
        "weight_ih_l0_reverse:16x3", "weight_hh_l0_reverse:16x4", "bias_ih_l0_reverse:16", "bias_hh_l0_reverse:16",
      ]);
      expect(names[8]).toBe("weight_ih_l1:16x8");
      expect(names.length).toBe(16);
      for (const p of m.parameters()) for (const v of vals(p)) expect(Math.abs(v)).toBeLessThanOrEqual(0.5);
      expect(new nn.GRU(2, 3, { bias: false }).namedParameters().map(([n]) => n)).toEqual(["weight_ih_l0", "weight_hh_l0"]);
      expect(new nn.RNN(2, 3).weight_ih_l0.shape).toEqual([3, 2]);
      expect(new nn.GRU(2, 3).weight_hh_l0.shape).toEqual([9, 3]);
      expect(m.toString()).toBe("LSTM(3, 4, num_layers=2, bidirectional=True)");
    });

    it("output and state shapes for every configuration (layers, directions, batch_first, unbatched)", () => {
      for (const Cls of [nn.RNN, nn.GRU, nn.LSTM] as const) {
        for (const bidirectional of [false, true]) {
          for (const batchFirst of [false, true]) {
            const m = new (Cls as any)(3, 4, { numLayers: 2, bidirectional, batchFirst });
            const D = bidirectional ? 2 : 1;
            const x = batchFirst ? torch.randn(2, 5, 3) : torch.randn(5, 2, 3);
            const [out, hn] = m.forward(x);
            expect(out.shape).toEqual(batchFirst ? [2, 5, 4 * D] : [5, 2, 4 * D]);
            const h = Cls === nn.LSTM ? hn[0] : hn;
            expect(h.shape).toEqual([2 * D, 2, 4]);
            if (Cls === nn.LSTM) expect(hn[1].shape).toEqual([2 * D, 2, 4]);
            const [uo, uh] = m.forward(torch.randn(5, 3));
            expect(uo.shape).toEqual([5, 4 * D]);
            expect((Cls === nn.LSTM ? uh[0] : uh).shape).toEqual([2 * D, 4]);
          }
        }
      }
    }, SLOW);

    it("a one-layer RNN/LSTM/GRU equals its cell stepped by hand (same parameters)", () => {
      const x = torch.randn(3, 2, 2);
      const pairs: [any, any][] = [[new nn.RNN(2, 3, { nonlinearity: "relu" }), new nn.RNNCell(2, 3, { nonlinearity: "relu" })], [new nn.GRU(2, 3), new nn.GRUCell(2, 3)], [new nn.LSTM(2, 3), new nn.LSTMCell(2, 3)]];
      for (const [layer, cell] of pairs) {
        torch.noGrad(() => {
          for (const n of ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]) cell[n].copy_(layer[`${n}_l0`]);
        });
        const [out, hn] = layer.forward(x);
        let state: any = null;
        const ys: number[] = [];
        for (const xt of x.unbind(0)) {
          state = cell.forward(xt, state);
          ys.push(...vals(Array.isArray(state) ? state[0] : state));
        }
        close(vals(out), ys);
        close(vals(Array.isArray(hn) ? hn[1] : hn), vals(Array.isArray(state) ? state[1] : state));
      }
    });

    it("bidirectional: the reverse direction runs from the last step (its output at t=0 equals its final state)", () => {
      const m = new nn.GRU(2, 3, { bidirectional: true });
      const [out, hn] = m.forward(torch.randn(4, 1, 2));
      close(vals(out.narrow(0, 0, 1).narrow(2, 3, 3)), vals(hn.narrow(0, 1, 1)));
      close(vals(out.narrow(0, 3, 1).narrow(2, 0, 3)), vals(hn.narrow(0, 0, 1)));
    });

    it("gradcheck on input and initial state (small sizes)", () => {
      const x = torch.randn(3, 2, 2).requiresGrad_(true);
      const h0 = torch.randn(2, 2, 2).requiresGrad_(true);
      const c0 = torch.randn(2, 2, 2).requiresGrad_(true);
      const rnn = new nn.RNN(2, 2, { bidirectional: true });
      const gru = new nn.GRU(2, 2, { bidirectional: true });
      const lstm = new nn.LSTM(2, 2, { numLayers: 2 });
      expect(gradcheck((a, h) => rnn.forward(a, h)[0], [x, h0], tol)).toBe(true);
      expect(gradcheck((a, h) => gru.forward(a, h)[1], [x, h0], tol)).toBe(true);
      expect(gradcheck((a, h, c) => { const [o, [hn, cn]] = lstm.forward(a, [h, c]); return o.sum().add(hn.sum()).add(cn.mul(2).sum()); }, [x, h0, c0], tol)).toBe(true);
      const cell = new nn.LSTMCell(2, 2);
      expect(gradcheck((a) => cell.forward(a)[1], [x.detach().narrow(0, 0, 1).squeeze(0).requiresGrad_(true)], tol)).toBe(true);
    }, SLOW);

    it("parameters receive gradients; dropout between layers only in training", () => {
      const m = new nn.LSTM(2, 3, { numLayers: 2, dropout: 0.5 });
      m.eval();
      const x = torch.randn(4, 2, 2);
      const a = vals(m.forward(x)[0]), b = vals(m.forward(x)[0]);
      expect(a).toEqual(b);
      m.train();
      m.forward(x)[0].sum().backward();
      for (const [n, p] of m.namedParameters()) expect(p.grad, n).not.toBeNull();
    });

    it("errors read as PyTorch's", () => {
      const m = new nn.RNN(3, 4);
      expect(() => m.forward(torch.randn(3))).toThrow("RNN: Expected input to be 2-D or 3-D but received 1-D tensor");
      expect(() => m.forward(torch.randn(2, 1, 3), torch.randn(1, 4))).toThrow("For batched 3-D input, hx should also be 3-D but got 2-D tensor");
      expect(() => new nn.LSTM(3, 4).forward(torch.randn(2, 3), [torch.randn(1, 1, 4), torch.randn(1, 4)])).toThrow(
        "For unbatched 2-D input, hx and cx should also be 2-D but got (3-D, 2-D) tensors",
      );
      expect(() => m.forward(torch.randn(2, 1, 5))).toThrow("input.size(-1) must be equal to input_size. Expected 3, got 5");
      expect(() => m.forward(torch.randn(2, 1, 3), torch.randn(2, 1, 4))).toThrow("Expected hidden size (1, 1, 4), got [2, 1, 4]");
      expect(() => new nn.RNN(3, 4, { nonlinearity: "gelu" as any })).toThrow("Unknown nonlinearity 'gelu'");
      expect(() => new nn.GRU(3, 4, { dropout: 2 })).toThrow("dropout should be a number in range [0, 1]");
      expect(() => new nn.RNNCell(3, 4).forward(torch.randn(1, 2, 3))).toThrow("RNNCell: Expected input to be 1-D or 2-D but received 3-D tensor");
    });
  });
});
