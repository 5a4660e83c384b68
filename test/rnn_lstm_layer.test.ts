// The LSTM and GRU layers as one autograd node each (lib/nn/rnn_lstm_layer.ts, rnn_gru_layer.ts)
// against the same layers unrolled into recorded ops: outputs equal bit for bit, gradients of every
// input (projection, h0, c0, the recurrent weight and bias) equal to float rounding, both
// directions, first and second order.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { GRULayer, gruUnrolled } from "../lib/nn/rnn_gru_layer.js";
import { LSTMLayer, lstmUnrolled } from "../lib/nn/rnn_lstm_layer.js";
import { backends, useBackend } from "./helpers/backends.js";

function inputs(T: number, N: number, H: number, bias: boolean): torch.Tensor[] {
  torch.manualSeed(T * 100 + N * 10 + H);
  const make = (...shape: number[]) => torch.randn(shape).mul(0.5).requiresGrad_();
  const ts = [make(T, N, 4 * H), make(N, H), make(N, H), make(4 * H, H)];
  if (bias) ts.push(make(4 * H));
  return ts;
}

/** Largest difference; a missing gradient (null) counts as zeros, as autograd's allowUnused means. */
function maxDiff(a: torch.Tensor | null, b: torch.Tensor | null): number {
  if (a === null && b === null) return 0;
  const x = a ?? torch.zerosLike(b!);
  const y = b ?? torch.zerosLike(a!);
  return x.numel() === 0 ? 0 : x.sub(y).abs().max().item();
}

describe.each(backends())("fused LSTM layer (%s)", (name) => {
  useBackend(name);
  for (const [T, N, H, bias, reverse] of [[5, 3, 4, true, false], [4, 2, 3, false, true], [1, 1, 2, true, true], [0, 2, 3, true, false]] as const) {
    it(`equals the unrolled layer: T=${T} N=${N} H=${H} bias=${bias} reverse=${reverse}`, () => {
      const xs = inputs(T, N, H, bias);
      const [gi, h0, c0, w, b] = xs;
      const fused = LSTMLayer.apply(gi, h0, c0, w, b ?? null, reverse) as torch.Tensor[];
      const plain = lstmUnrolled(gi, h0, c0, w, b ?? null, reverse);
      fused.forEach((t, k) => expect(t.tolist()).toEqual(plain[k].tolist()));
      // A loss that weighs the three outputs differently, so every path carries gradient.
      const loss = (o: torch.Tensor[]) => o[0].pow(2).sum().add(o[1].mul(3).sum()).add(o[2].sin().sum());
      const gf = torch.autograd.grad(loss(fused), xs, { allowUnused: true });
      const gp = torch.autograd.grad(loss(plain), xs, { allowUnused: true });
      gf.forEach((g, k) => expect(maxDiff(g, gp[k])).toBeLessThan(1e-5));
    });
  }

  it("gives second derivatives through createGraph (the unrolled form's)", () => {
    const xs = inputs(3, 2, 2, true);
    const [gi, h0, c0, w, b] = xs;
    const first = (f: (...a: any[]) => torch.Tensor[]) => {
      const [y] = f(gi, h0, c0, w, b, false);
      const [gw] = torch.autograd.grad(y.pow(2).sum(), [w], { createGraph: true });
      return torch.autograd.grad(gw!.sum(), [gi, h0]);
    };
    const fused = first((...a) => LSTMLayer.apply(...a) as torch.Tensor[]);
    const plain = first((...a) => lstmUnrolled(...(a as [torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, boolean])));
    fused.forEach((g, k) => expect(maxDiff(g, plain[k])).toBeLessThan(1e-5));
  });

  it("runs nn.LSTM (2 layers, bidirectional) forward and backward through LSTMBackward nodes", () => {
    torch.manualSeed(1);
    const lstm = new torch.nn.LSTM(3, 4, { numLayers: 2, bidirectional: true });
    const x = torch.randn(5, 2, 3).requiresGrad_();
    const [y] = lstm.forward(x) as [torch.Tensor, unknown];
    expect(y.shape).toEqual([5, 2, 8]);
    expect(y.gradFn!.name).toBe("CatBackward0");
    expect(y.gradFn!.nextFunctions.map(([n]) => n?.name)).toEqual(["LSTMBackward", "LSTMBackward"]);
    y.sum().backward();
    expect(x.grad).not.toBeNull();
    for (const p of lstm.parameters()) expect(p.grad).not.toBeNull();
  });
});

describe.each(backends())("fused GRU layer (%s)", (name) => {
  useBackend(name);
  for (const [T, N, H, bias, reverse] of [[5, 3, 4, true, false], [4, 2, 3, false, true], [1, 1, 2, true, true], [0, 2, 3, true, false]] as const) {
    it(`equals the unrolled layer: T=${T} N=${N} H=${H} bias=${bias} reverse=${reverse}`, () => {
      torch.manualSeed(T * 7 + H);
      const make = (...shape: number[]) => torch.randn(shape).mul(0.5).requiresGrad_();
      const xs = [make(T, N, 3 * H), make(N, H), make(3 * H, H), ...(bias ? [make(3 * H)] : [])];
      const [gi, h0, w, b] = xs;
      const fused = GRULayer.apply(gi, h0, w, b ?? null, reverse) as torch.Tensor[];
      const plain = gruUnrolled(gi, h0, w, b ?? null, reverse);
      fused.forEach((t, k) => expect(t.tolist()).toEqual(plain[k].tolist()));
      const loss = (o: torch.Tensor[]) => o[0].pow(2).sum().add(o[1].sin().sum());
      const gf = torch.autograd.grad(loss(fused), xs, { allowUnused: true });
      const gp = torch.autograd.grad(loss(plain), xs, { allowUnused: true });
      gf.forEach((g, k) => expect(maxDiff(g, gp[k])).toBeLessThan(1e-5));
      if (T > 0) {
        // second order through createGraph
        const g2 = (f: (...a: any[]) => torch.Tensor[]) => {
          const [gw] = torch.autograd.grad(f(gi, h0, w, b ?? null, reverse)[0].pow(2).sum(), [w], { createGraph: true });
          return torch.autograd.grad(gw!.sum(), [gi])[0];
        };
        expect(maxDiff(g2((...a) => GRULayer.apply(...a) as torch.Tensor[]), g2((...a) => gruUnrolled(...(a as [torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor | null, boolean]))))).toBeLessThan(1e-5);
      }
    });
  }
});
