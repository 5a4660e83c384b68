// RNN / LSTM / GRU .forward(packed): the method (not only the module call) takes a PackedSequence
// and returns one, with the same values as the call. The declared overloads make
// `lstm.forward(packed)` type as [PackedSequence, [Tensor, Tensor]] (lib/nn/rnn.ts), also on a union
// of layer types. The types are checked by `npm run typecheck` (tsconfig.check.json).
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import { PackedSequence } from "../lib/nn/utils/rnn_packed_sequence.js";
import { vals } from "./helpers/backends.js";

const { nn } = torch;

function packed(): PackedSequence {
  torch.manualSeed(3);
  const seqs = [torch.randn([4, 3]), torch.randn([2, 3]), torch.randn([3, 3])];
  return nn.utils.rnn.packSequence(seqs, { enforceSorted: false });
}

const hs = (h: torch.Tensor | [torch.Tensor, torch.Tensor]) => (Array.isArray(h) ? h : [h]).flatMap((t) => vals(t));

describe("forward(PackedSequence)", () => {
  it("RNN.forward(packed) returns a PackedSequence equal to the call's", () => {
    torch.manualSeed(1);
    const m = new nn.RNN(3, 5);
    const p = packed();
    const [out, h]: [PackedSequence, torch.Tensor] = m.forward(p); // a type error before the overloads
    const [ref, hRef] = m(p);
    expect(out).toBeInstanceOf(PackedSequence);
    expect(vals(out.data)).toEqual(vals(ref.data));
    expect(hs(h)).toEqual(hs(hRef));
  });

  it("GRU.forward(packed) returns a PackedSequence equal to the call's", () => {
    torch.manualSeed(1);
    const m = new nn.GRU(3, 5);
    const p = packed();
    const [out, h]: [PackedSequence, torch.Tensor] = m.forward(p);
    const [ref, hRef] = m(p);
    expect(out).toBeInstanceOf(PackedSequence);
    expect(vals(out.data)).toEqual(vals(ref.data));
    expect(hs(h)).toEqual(hs(hRef));
  });

  it("LSTM.forward(packed) returns a PackedSequence equal to the call's", () => {
    torch.manualSeed(1);
    const m = new nn.LSTM(3, 5);
    const p = packed();
    const [out, hc]: [PackedSequence, [torch.Tensor, torch.Tensor]] = m.forward(p);
    const [ref, hcRef] = m(p);
    expect(out).toBeInstanceOf(PackedSequence);
    expect(vals(out.data)).toEqual(vals(ref.data));
    expect(hs(hc)).toEqual(hs(hcRef));
  });

  it("forward on a union of layer types (LSTM | GRU) type-checks and runs, padded and packed", () => {
    torch.manualSeed(1);
    const layers: (InstanceType<typeof nn.LSTM> | InstanceType<typeof nn.GRU>)[] = [new nn.LSTM(3, 5), new nn.GRU(3, 5)];
    for (const m of layers) {
      const [y] = m.forward(torch.randn(4, 2, 3));
      expect(y.shape).toEqual([4, 2, 5]);
      const [yp] = m.forward(packed());
      expect(yp).toBeInstanceOf(PackedSequence);
      expect(yp.data.shape).toEqual([9, 5]);
    }
  });
});
