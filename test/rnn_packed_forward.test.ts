// RNN / LSTM / GRU .forward(packed): the method (not only the module call) takes a PackedSequence
// and returns one, with the same values as the call. The declared overloads make
// `lstm.forward(packed)` type as [PackedSequence, [Tensor, Tensor]] (lib/nn/rnn.ts).
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

describe("forward(PackedSequence)", () => {
  for (const kind of ["RNN", "LSTM", "GRU"] as const) {
    it(`${kind}.forward(packed) returns a PackedSequence equal to the call's`, () => {
      torch.manualSeed(1);
      const m = new nn[kind](3, 5);
      const p = packed();
      const [viaForward, hF] = m.forward(p);
      const [viaCall, hC] = m(p);
      expect(viaForward).toBeInstanceOf(PackedSequence);
      const out: PackedSequence = viaForward; // a type error before the overloads
      expect(vals(out.data)).toEqual(vals((viaCall as PackedSequence).data));
      const hs = (h: unknown) => (Array.isArray(h) ? h : [h]).flatMap((t) => vals(t as torch.Tensor));
      expect(hs(hF)).toEqual(hs(hC));
    });
  }
});
