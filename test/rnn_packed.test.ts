// nn.utils.rnn (PackedSequence, packPaddedSequence, padPackedSequence, padSequence, packSequence,
// unpadSequence, unpackSequence) and RNN / LSTM / GRU on a PackedSequence. The property behind the
// packed layers: a packed batch gives, for every sequence, what running that sequence alone
// (unpadded) gives: its outputs, h_n, c_n, and the gradients of the input, h0/c0 and every
// parameter; for random lengths, sorted or not, batchFirst or not, 1 or 2 layers, one or two
// directions. Then the pack/pad round trips, the gradients through them, and PyTorch's errors.
// Once per backend. ref: torch/nn/utils/rnn.py, torch/nn/modules/rnn.py (PyTorch 1.13).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { GRULayer, gruUnrolled } from "../lib/nn/rnn_gru_layer.js";
import { LSTMLayer, lstmUnrolled } from "../lib/nn/rnn_lstm_layer.js";
import { backends, useBackend, vals } from "./helpers/backends.js";

const { nn } = torch;
const U = nn.utils.rnn;
const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });

// NOTE: a generous per-test timeout: the configuration sweep runs many small layers on a loaded machine.
const SLOW = 120_000;

/** Largest absolute difference; a missing gradient (null) counts as zeros. */
function maxDiff(a: Tensor | null, b: Tensor | null): number {
  if (a === null && b === null) return 0;
  const x = a ?? torch.zerosLike(b!);
  const y = b ?? torch.zerosLike(a!);
  return x.numel() === 0 ? 0 : x.sub(y).abs().max().item();
}

type Kind = "RNN" | "LSTM" | "GRU";

interface Config {
  kind: Kind;
  numLayers: number;
  bidirectional: boolean;
  batchFirst: boolean;
  enforceSorted: boolean;
  withH0: boolean;
}

/** Random lengths in [1, T] with T itself present (sorted decreasing when `sorted`). */
function randomLengths(N: number, T: number, sorted: boolean): number[] {
  const lens = vals(torch.randint(1, T + 1, [N])).map(Number);
  lens[Math.floor(N / 2)] = T;
  return sorted ? lens.sort((a, b) => b - a) : lens;
}

/**
 * The packed run and the per-sequence runs of one configuration: each sequence's outputs, h_n and
 * c_n, and the gradients of one loss over all of them, with respect to x, h0, c0 and the parameters.
 */
function packedVsAlone(c: Config, lens: number[]) {
  const N = lens.length;
  const T = Math.max(...lens);
  const In = 2;
  const H = 3;
  const D = c.bidirectional ? 2 : 1;
  const m = new (nn[c.kind] as any)(In, H, { numLayers: c.numLayers, bidirectional: c.bidirectional, batchFirst: c.batchFirst }) as torch.nn.RNNBase;
  const lstm = c.kind === "LSTM";
  const x = torch.randn(c.batchFirst ? [N, T, In] : [T, N, In]).requiresGrad_();
  const h0 = torch.randn(c.numLayers * D, N, H).requiresGrad_();
  const c0 = torch.randn(c.numLayers * D, N, H).requiresGrad_();
  // Weights for a loss that reaches every output, every final state, with different values.
  const wOut = torch.randn(T, N, D * H);
  const wH = torch.randn(c.numLayers * D, N, H);
  const wC = torch.randn(c.numLayers * D, N, H);
  const params = m.parameters();
  const inputs = [x, ...(c.withH0 ? (lstm ? [h0, c0] : [h0]) : []), ...params];
  const call = (input: any, h: Tensor | null, cc: Tensor | null): [any, Tensor, Tensor | null] => {
    if (lstm) {
      const [o, [hn, cn]] = (m as any)(input, c.withH0 ? [h, cc] : null);
      return [o, hn, cn];
    }
    const [o, hn] = (m as any)(input, c.withH0 ? h : null);
    return [o, hn, null];
  };

  // Packed: one call for the whole batch, then back to padded [T, N, D·H].
  const packed = U.packPaddedSequence(x, lens, c.batchFirst, c.enforceSorted);
  const [po, phn, pcn] = call(packed, h0, c0);
  expect(po).toBeInstanceOf(U.PackedSequence);
  const [padded, outLens] = U.padPackedSequence(po, false);
  expect(vals(outLens)).toEqual(lens);
  let lossP = padded.mul(wOut).sum().add(phn.mul(wH).sum());
  if (pcn !== null) lossP = lossP.add(pcn.mul(wC).sum());
  const gP = torch.autograd.grad(lossP, inputs, { allowUnused: true });

  // Alone: each sequence unpadded, batch of one.
  const outs: Tensor[] = [];
  const hns: Tensor[] = [];
  const cns: Tensor[] = [];
  let lossA: Tensor | null = null;
  lens.forEach((L, b) => {
    const seq = (c.batchFirst ? x.narrow(0, b, 1).narrow(1, 0, L) : x.narrow(1, b, 1).narrow(0, 0, L));
    const [o, hn, cn] = call(seq, h0.narrow(1, b, 1), c0.narrow(1, b, 1));
    const oT = c.batchFirst ? o.transpose(0, 1) : o; // [L, 1, D·H]
    outs.push(oT);
    hns.push(hn);
    if (cn !== null) cns.push(cn);
    let l = oT.mul(wOut.narrow(0, 0, L).narrow(1, b, 1)).sum().add(hn.mul(wH.narrow(1, b, 1)).sum());
    if (cn !== null) l = l.add(cn.mul(wC.narrow(1, b, 1)).sum());
    lossA = lossA === null ? l : lossA.add(l);
  });
  const gA = torch.autograd.grad(lossA!, inputs, { allowUnused: true });
  return { padded, phn, pcn, outs, hns, cns, gP, gA, lens };
}

const CONFIGS: Config[] = [];
for (const kind of ["LSTM", "GRU", "RNN"] as const) {
  for (const [numLayers, bidirectional, batchFirst, enforceSorted, withH0] of [
    [1, false, false, true, false],
    [2, true, true, false, true],
    [2, false, false, false, true],
    [1, true, false, true, true],
    [2, true, false, false, false],
  ] as const) CONFIGS.push({ kind, numLayers, bidirectional, batchFirst, enforceSorted, withH0 });
}

const describeConfig = (c: Config) =>
  `${c.kind} layers=${c.numLayers} bidirectional=${c.bidirectional} batchFirst=${c.batchFirst} enforceSorted=${c.enforceSorted} h0=${c.withH0}`;

describe.each(backends())("packed sequences [%s]", (name) => {
  useBackend(name);

  describe("RNN / LSTM / GRU on a PackedSequence equal each sequence run alone", () => {
    CONFIGS.forEach((c, k) => {
      it(describeConfig(c), () => {
        torch.manualSeed(100 + k);
        const lens = randomLengths(5, 4, c.enforceSorted);
        const r = packedVsAlone(c, lens);
        r.lens.forEach((L, b) => {
          // Outputs within the length; the padding of the packed result is exactly 0.
          expect(maxDiff(r.padded.narrow(0, 0, L).narrow(1, b, 1), r.outs[b])).toBeLessThan(1e-5);
          if (L < r.padded.shape[0]) expect(vals(r.padded.narrow(0, L, r.padded.shape[0] - L).narrow(1, b, 1)).every((v) => v === 0)).toBe(true);
          expect(maxDiff(r.phn.narrow(1, b, 1), r.hns[b])).toBeLessThan(1e-5);
          if (r.pcn !== null) expect(maxDiff(r.pcn.narrow(1, b, 1), r.cns[b])).toBeLessThan(1e-5);
        });
        expect(r.gP.length).toBe(r.gA.length);
        r.gP.forEach((g, i) => expect(maxDiff(g, r.gA[i]), `gradient ${i}`).toBeLessThan(1e-4));
      }, SLOW);
    });
  });

  it("keeps the batch's original order in h_n and in the states given (sorted_indices / unsorted_indices)", () => {
    torch.manualSeed(7);
    const gru = new nn.GRU(2, 3);
    const x = torch.randn(4, 3, 2);
    const h0 = torch.randn(1, 3, 3);
    const lens = [2, 4, 1];
    const [o, hn] = gru(U.packPaddedSequence(x, lens, false, false), h0);
    expect(vals(o.sortedIndices!)).toEqual([1, 0, 2]);
    expect(vals(o.unsortedIndices!)).toEqual([1, 0, 2]);
    // Sequence 0 (length 2) alone, from its own h0.
    const [, h0alone] = gru(x.narrow(0, 0, 2).narrow(1, 0, 1), h0.narrow(1, 0, 1));
    expect(maxDiff(hn.narrow(1, 0, 1), h0alone)).toBeLessThan(1e-6);
  });

  it("runs with dropout between layers (train mode) and equals the padded run in eval mode", () => {
    torch.manualSeed(3);
    const lstm = new nn.LSTM(2, 3, { numLayers: 2, dropout: 0.5 });
    const x = torch.randn(3, 2, 2).requiresGrad_();
    const packed = U.packPaddedSequence(x, [3, 3]);
    const [o] = lstm(packed);
    expect(o.data.shape).toEqual([6, 3]);
    o.data.sum().backward();
    expect(x.grad!.shape).toEqual([3, 2, 2]);
    lstm.eval();
    const [oe, [he]] = lstm(packed);
    const [op, [hp]] = lstm(x);
    expect(maxDiff(U.padPackedSequence(oe)[0], op)).toBeLessThan(1e-6);
    expect(maxDiff(he, hp)).toBeLessThan(1e-6);
  });

  describe("the layer nodes with per-step batch sizes", () => {
    for (const reverse of [false, true]) {
      it(`equal their unrolled form, first and second order (reverse=${reverse})`, () => {
        torch.manualSeed(11);
        const bs = [3, 2, 2, 1];
        const S = 8;
        const H = 2;
        const make = (...shape: number[]) => torch.randn(shape).mul(0.5).requiresGrad_();
        const [gi4, gi3, h0, c0, w4, w3, b4, b3] = [make(S, 4 * H), make(S, 3 * H), make(3, H), make(3, H), make(4 * H, H), make(3 * H, H), make(4 * H), make(3 * H)];
        const pairs: [Tensor[], Tensor[], Tensor[]][] = [
          [LSTMLayer.apply(gi4, h0, c0, w4, b4, reverse, bs) as Tensor[], lstmUnrolled(gi4, h0, c0, w4, b4, reverse, bs), [gi4, h0, c0, w4, b4]],
          [GRULayer.apply(gi3, h0, w3, b3, reverse, bs) as Tensor[], gruUnrolled(gi3, h0, w3, b3, reverse, bs), [gi3, h0, w3, b3]],
        ];
        for (const [fused, plain, xs] of pairs) {
          fused.forEach((t, k) => expect(t.tolist()).toEqual(plain[k].tolist()));
          expect(fused[0].shape).toEqual([S, H]);
          const loss = (o: Tensor[]) => o.reduce((acc, t, k) => acc.add(t.mul(k + 1).sin().sum()), torch.zeros([]));
          const gf = torch.autograd.grad(loss(fused), xs, { createGraph: true });
          const gp = torch.autograd.grad(loss(plain), xs, { createGraph: true });
          gf.forEach((g, k) => expect(maxDiff(g, gp[k])).toBeLessThan(1e-5));
          const second = (g: (Tensor | null)[]) => torch.autograd.grad(g[3]!.pow(2).sum(), [xs[0], xs[1]]);
          const [sf, sp] = [second(gf), second(gp)];
          sf.forEach((g, k) => expect(maxDiff(g, sp[k])).toBeLessThan(1e-5));
        }
      });
    }
  });

  describe("pack / pad", () => {
    it("packs step by step (batch_sizes) and pads back to the same values, batchFirst or not", () => {
      for (const batchFirst of [false, true]) {
        const x = torch.arange(24).reshape(batchFirst ? [3, 4, 2] : [4, 3, 2]).float();
        const p = U.packPaddedSequence(x, [4, 2, 1], batchFirst);
        expect(vals(p.batchSizes)).toEqual([3, 2, 1, 1]);
        expect(p.batchSizes.dtype).toBe("int64");
        expect(p.sortedIndices).toBeNull();
        expect(p.unsortedIndices).toBeNull();
        expect(p.data.shape).toEqual([7, 2]);
        // Step 0's rows are sequences 0, 1, 2 at t = 0.
        const at = (b: number, t: number) => vals(batchFirst ? x.narrow(0, b, 1).narrow(1, t, 1) : x.narrow(0, t, 1).narrow(1, b, 1));
        expect(vals(p.data.narrow(0, 0, 3))).toEqual([...at(0, 0), ...at(1, 0), ...at(2, 0)]);
        const [padded, lens] = U.padPackedSequence(p, batchFirst, -1);
        expect(vals(lens)).toEqual([4, 2, 1]);
        expect(padded.shape).toEqual(x.shape);
        for (let b = 0; b < 3; b++) {
          for (let t = 0; t < 4; t++) expect(vals(batchFirst ? padded.narrow(0, b, 1).narrow(1, t, 1) : padded.narrow(0, t, 1).narrow(1, b, 1))).toEqual(t < [4, 2, 1][b] ? at(b, t) : [-1, -1]);
        }
      }
    });

    it("sorts unsorted lengths as torch.sort does (ties in its order) and restores the order", () => {
      const x = torch.randn(3, 5, 2);
      const lens = long([2, 3, 2, 3, 2]);
      const p = U.packPaddedSequence(x, lens, false, false);
      // PyTorch 1.13: sorted_indices [1, 3, 0, 2, 4], unsorted_indices [2, 0, 3, 1, 4], batch_sizes [5, 5, 2].
      expect(vals(p.sortedIndices!)).toEqual(vals(lens.sort(0, true).indices));
      expect(vals(p.unsortedIndices!.indexSelect(0, p.sortedIndices!))).toEqual([0, 1, 2, 3, 4]);
      expect(vals(p.batchSizes)).toEqual([5, 5, 2]);
      const [padded, outLens] = U.padPackedSequence(p, false, 0, 5);
      expect(padded.shape).toEqual([5, 5, 2]);
      expect(vals(outLens)).toEqual([2, 3, 2, 3, 2]);
      const mask = torch.arange(5).view(5, 1, 1).lt(lens.view(1, 5, 1));
      const xPadded = torch.cat([x, torch.zeros(2, 5, 2)], 0);
      expect(padded.tolist()).toEqual(xPadded.maskedFill(mask.logicalNot(), 0).tolist());
    });

    it("passes gradients through pack and pad (padding positions get none)", () => {
      const x = torch.randn(3, 2, 2).requiresGrad_();
      const [padded] = U.padPackedSequence(U.packPaddedSequence(x, [1, 3], false, false), false, 5);
      padded.mul(2).sum().backward();
      const want = [[[2, 2], [2, 2]], [[0, 0], [2, 2]], [[0, 0], [2, 2]]];
      expect(x.grad!.tolist()).toEqual(want);
      expect(padded.narrow(0, 1, 2).narrow(1, 0, 1).tolist()).toEqual([[[5, 5]], [[5, 5]]]);
    });

    it("padSequence / packSequence / unpadSequence / unpackSequence round trip", () => {
      const seqs = [torch.tensor([[1, 2], [3, 4]]), torch.tensor([[5, 6], [7, 8], [9, 10]]), torch.tensor([[11, 12]])];
      const padded = U.padSequence(seqs, true, -1);
      expect(padded.tolist()).toEqual([[[1, 2], [3, 4], [-1, -1]], [[5, 6], [7, 8], [9, 10]], [[11, 12], [-1, -1], [-1, -1]]]);
      expect(U.padSequence(seqs).shape).toEqual([3, 3, 2]);
      expect(U.unpadSequence(padded, [2, 3, 1], true).map((t) => t.tolist())).toEqual(seqs.map((t) => t.tolist()));
      expect(U.unpadSequence(U.padSequence(seqs), long([2, 3, 1])).map((t) => t.tolist())).toEqual(seqs.map((t) => t.tolist()));
      const p = U.packSequence(seqs, false);
      expect(vals(p.batchSizes)).toEqual([3, 2, 1]);
      expect(U.unpackSequence(p).map((t) => t.tolist())).toEqual(seqs.map((t) => t.tolist()));
      expect(U.packSequence([torch.tensor([1, 2, 3]), torch.tensor([4])]).data.tolist()).toEqual([1, 4, 2, 3]);
      // The first sequence's dtype; an integer tensor takes the padding value truncated, as at::full.
      const ints = U.padSequence([long([1, 2]), torch.tensor([3, 4, 5])], false, 7.5);
      expect(ints.dtype).toBe("int64");
      expect(ints.tolist()).toEqual([[1, 3], [2, 4], [7, 5]]);
      // Options object with PyTorch's names in camelCase.
      expect(U.padSequence(seqs, { batchFirst: true, paddingValue: -1 }).tolist()).toEqual(padded.tolist());
      expect(vals(U.packPaddedSequence(padded, [2, 3, 1], { batchFirst: true, enforceSorted: false }).batchSizes)).toEqual([3, 2, 1]);
    });

    it("is a PackedSequence: destructures like PyTorch's namedtuple, moves with to(), prints", () => {
      const p = U.packSequence([torch.tensor([1, 2]), torch.tensor([3])]);
      const [data, batchSizes, sortedIndices, unsortedIndices] = p;
      expect(data).toBe(p.data);
      expect(batchSizes).toBe(p.batchSizes);
      expect(sortedIndices).toBeNull();
      expect(unsortedIndices).toBeNull();
      expect(p.to("cpu")).toBe(p);
      const d = p.double();
      expect(d.data.dtype).toBe("float64");
      expect(d.batchSizes).toBe(p.batchSizes);
      expect(p.isCuda).toBe(false);
      expect(String(p)).toBe(`PackedSequence(data=${p.data}, batch_sizes=${p.batchSizes}, sorted_indices=None, unsorted_indices=None)`);
      const q = new U.PackedSequence(torch.zeros(3), long([2, 1]), long([1, 0]));
      expect(vals(q.unsortedIndices!)).toEqual([1, 0]);
    });
  });

  describe("errors (PyTorch's wording)", () => {
    const x = torch.randn(4, 3, 2);
    it("packPaddedSequence", () => {
      expect(() => U.packPaddedSequence(x, [2, 3, 1])).toThrow(
        "`lengths` array must be sorted in decreasing order when `enforce_sorted` is True. You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep this requirement if you do not need ONNX exportability.",
      );
      expect(() => U.packPaddedSequence(x, [3, 2, 0])).toThrow("Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0");
      expect(() => U.packPaddedSequence(x, [3, 0, 2], false, false)).toThrow("Length of all samples has to be greater than 0");
      expect(() => U.packPaddedSequence(x, [3, 2])).toThrow("Expected `len(lengths)` to be equal to batch_size, but got 2 (batch_size=3)");
      expect(() => U.packPaddedSequence(torch.randn(0, 3, 2), [3, 2, 1])).toThrow("Cannot pack empty tensors.");
      expect(() => U.packPaddedSequence(x, torch.tensor([[3, 2, 1]], { dtype: "int64" }))).toThrow("'lengths' argument should be a 1D CPU int64 tensor");
      expect(() => U.packPaddedSequence(x, [5, 2, 1])).toThrow("is longer than the input's sequence dimension (4)");
      expect(() => U.packPaddedSequence(x, [3, 2, 1], { enforce_sorted: false } as any)).toThrow('(options use camelCase: "enforceSorted")');
    });
    it("padPackedSequence, padSequence, packSequence", () => {
      const p = U.packPaddedSequence(x, [3, 2, 1]);
      expect(() => U.padPackedSequence(p, false, 0, 2)).toThrow(
        "Expected total_length to be at least the length of the longest sequence in input, but got total_length=2 and max sequence length being 3",
      );
      expect(() => U.padSequence([])).toThrow("received an empty list of sequences");
      expect(() => U.packSequence([])).toThrow("received an empty list of sequences");
      expect(() => U.padSequence([torch.randn(2, 3), torch.randn(3, 2)])).toThrow("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
      expect(() => U.packSequence([torch.randn(2), torch.randn(3)])).toThrow("`lengths` array must be sorted in decreasing order");
      expect(() => U.padPackedSequence(x as any)).toThrow("pad_packed_sequence(): sequence must be a PackedSequence");
    });
    it("the layers check a packed input and its states", () => {
      const p = U.packPaddedSequence(x, [3, 2, 2], false, false);
      expect(() => new nn.GRU(3, 3)(p)).toThrow("input.size(-1) must be equal to input_size. Expected 3, got 2");
      expect(() => new nn.LSTM(2, 3)(p, [torch.zeros(1, 4, 3), torch.zeros(1, 4, 3)])).toThrow("Expected hidden size (1, 3, 3), got [1, 4, 3]");
      expect(() => new nn.RNN(2, 3)(p, torch.zeros(3, 3))).toThrow("Expected hidden size (1, 3, 3), got [3, 3]");
      const bad = new U.PackedSequence(torch.randn(4, 2), long([1, 3]));
      expect(() => new nn.RNN(2, 3)(bad)).toThrow("batch_sizes must be positive and non-increasing");
      expect(() => new nn.RNN(2, 3)(new U.PackedSequence(torch.randn(6, 1, 2), long([3, 3])))).toThrow("input must have 2 dimensions, got 3");
    });
  });
});
