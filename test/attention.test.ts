// Attention and the Transformer encoder: F.scaledDotProductAttention (PyTorch 2.0 mask convention:
// true = may attend), nn.MultiheadAttention (PyTorch 1.13: true = masked out) with every option,
// nn.TransformerEncoderLayer / TransformerEncoder, the decoder, nn.Transformer and generateSquareSubsequentMask:
// shapes, masks against an explicit computation, parameter names and seeded init equal to PyTorch's,
// gradcheck on small sizes, and PyTorch's error messages. Once per backend.
// ref: PyTorch 1.13 torch/nn/modules/activation.py, transformer.py, torch/nn/functional.py.
import { describe, expect, it } from "vitest";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";
import { gradcheck } from "../lib/autograd/gradcheck.js";
import { backends, useBackend, vals } from "./helpers/backends.js";
import { close } from "./helpers/close.js";

const { nn } = torch;
const F = nn.functional;
const tol = { eps: 1e-2, rtol: 2e-2, atol: 2e-3 };
const bool = (xs: boolean[] | boolean[][] | boolean[][][]) => torch.tensor(xs as any, { dtype: "bool" });
const names = (m: any) => m.namedParameters().map(([n]: [string]) => n);
const SLOW = 120_000;

/** softmax(q kᵀ/√E + bias) v for 2-D q, k, v, written out: the reference for the masks. */
function reference(q: Tensor, k: Tensor, v: Tensor, bias: Tensor | null): Tensor {
  let s = q.matmul(k.t()).div(Math.sqrt(q.shape[1]));
  if (bias !== null) s = s.add(bias);
  return s.softmax(-1).matmul(v);
}

describe.each(backends())("attention [%s]", (name) => {
  useBackend(name);

  describe("scaledDotProductAttention", () => {
    it("computes softmax(QKᵀ/√E)V with any leading batch dims", () => {
      torch.manualSeed(1);
      const [q, k, v] = [torch.randn(2, 3, 4, 5), torch.randn(2, 3, 6, 5), torch.randn(2, 3, 6, 7)];
      const out = F.scaledDotProductAttention(q, k, v);
      expect(out.shape).toEqual([2, 3, 4, 7]);
      close(vals(out.index(1).index(2)), vals(reference(q.index(1).index(2), k.index(1).index(2), v.index(1).index(2), null)), 1e-5);
    });

    it("bool mask: true takes part; float mask is added; isCausal is the lower triangle", () => {
      torch.manualSeed(2);
      const [q, k, v] = [torch.randn(3, 4), torch.randn(3, 4), torch.randn(3, 2)];
      const keep = bool([[true, false, true], [false, true, true], [true, true, false]]);
      const bias = torch.zeros(3, 3).maskedFill(keep.logicalNot(), -Infinity);
      close(vals(F.scaledDotProductAttention(q, k, v, keep)), vals(reference(q, k, v, bias)), 1e-5);
      const fl = torch.randn(3, 3);
      close(vals(F.scaledDotProductAttention(q, k, v, { attnMask: fl })), vals(reference(q, k, v, fl)), 1e-5);
      const causal = nn.Transformer.generateSquareSubsequentMask(3);
      close(vals(F.scaledDotProductAttention(q, k, v, { isCausal: true })), vals(reference(q, k, v, causal)), 1e-5);
      expect(() => F.scaledDotProductAttention(q, k, v, keep, 0, true)).toThrow("Explicit attn_mask should not be set when is_causal=True");
    });

    it("a row with nothing to attend to is NaN; gradcheck with a mask", () => {
      const [q, k, v] = [torch.randn(2, 3), torch.randn(2, 3), torch.randn(2, 3)];
      const out = F.scaledDotProductAttention(q, k, v, bool([[false, false], [true, false]]));
      expect(vals(out).slice(0, 3).every(Number.isNaN)).toBe(true);
      expect(vals(out).slice(3).every(Number.isFinite)).toBe(true);
      const args = [torch.randn(2, 3, 4), torch.randn(2, 5, 4), torch.randn(2, 5, 3)].map((t) => t.requiresGrad_(true));
      const fm = torch.randn(3, 5);
      expect(gradcheck((a, b, c) => F.scaledDotProductAttention(a, b, c, fm), args, tol)).toBe(true);
    }, SLOW);

    it("checks shapes and dropout_p", () => {
      expect(() => F.scaledDotProductAttention(torch.randn(2, 3), torch.randn(2, 4), torch.randn(2, 4))).toThrow(/same embedding size/);
      expect(() => F.scaledDotProductAttention(torch.randn(2, 3), torch.randn(2, 3), torch.randn(3, 3))).toThrow(/same sequence length/);
      expect(() => F.scaledDotProductAttention(torch.randn(2, 3), torch.randn(2, 3), torch.randn(2, 3), null, 1.5)).toThrow(/between 0 and 1/);
    });
  });

  describe("MultiheadAttention", () => {
    it("has PyTorch's parameter names, order and seeded init", () => {
      torch.manualSeed(0);
      const m = new nn.MultiheadAttention(4, 2);
      expect(Object.keys(m.stateDict())).toEqual(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]);
      // Values printed by PyTorch 1.13 for torch.manual_seed(0); nn.MultiheadAttention(4, 2).
      close(vals(m.in_proj_weight!).slice(0, 4), [0.22242416441440582, 0.508506715297699, -0.12602636218070984, 0.45824551582336426], 1e-7);
      close(vals(m.out_proj.weight).slice(0, 4), [-0.003743410110473633, 0.26822179555892944, -0.4115225672721863, -0.3679695129394531], 1e-7);
      expect(vals(m.in_proj_bias!).every((x) => x === 0)).toBe(true);
      expect(vals(m.out_proj.bias!).every((x) => x === 0)).toBe(true);
      torch.manualSeed(0);
      const s = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 5, addBiasKv: true });
      expect(names(s)).toEqual(["q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v", "out_proj.weight", "out_proj.bias"]);
      close(vals(s.bias_v!), [0.1366838663816452, -0.4590499997138977, -0.020210543647408485, 0.14405840635299683], 1e-7);
      expect(names(new nn.MultiheadAttention(4, 1, { bias: false }))).toEqual(["in_proj_weight", "out_proj.weight"]);
    });

    it("returns PyTorch's shapes: batched, batchFirst, unbatched, per-head weights, no weights", () => {
      const m = new nn.MultiheadAttention(6, 3);
      const [q, kv] = [torch.randn(4, 2, 6), torch.randn(5, 2, 6)];
      let [out, w] = m.forward(q, kv, kv);
      expect([out.shape, w!.shape]).toEqual([[4, 2, 6], [2, 4, 5]]);
      [out, w] = m.forward(q, kv, kv, { averageAttnWeights: false });
      expect(w!.shape).toEqual([2, 3, 4, 5]);
      [out, w] = m.forward(q, kv, kv, { needWeights: false });
      expect(w).toBeNull();
      const kv0 = kv.narrow(1, 0, 1).squeeze(1);
      [out, w] = m.forward(q.narrow(1, 0, 1).squeeze(1), kv0, kv0);
      expect([out.shape, w!.shape]).toEqual([[4, 6], [4, 5]]);
      const b = new nn.MultiheadAttention(6, 3, { batchFirst: true });
      b.loadStateDict(m.stateDict());
      const [ob, wb] = b.forward(q.transpose(0, 1), kv.transpose(0, 1), kv.transpose(0, 1));
      const [o0, w0] = m.forward(q, kv, kv);
      close(vals(ob), vals(o0.transpose(0, 1)), 1e-6);
      close(vals(wb!), vals(w0!), 1e-6);
    });

    it("self-attention (one tensor for q, k, v) equals the three-tensor call", () => {
      const m = new nn.MultiheadAttention(4, 2, { batchFirst: true });
      const x = torch.randn(2, 3, 4);
      const [a] = m.forward(x, x, x);
      const [b] = m.forward(x, x.clone(), x.clone());
      close(vals(a), vals(b), 1e-5);
    });

    it("bool/float attn masks and key padding agree with the explicit additive mask", () => {
      const m = new nn.MultiheadAttention(4, 2);
      const [q, kv] = [torch.randn(2, 3, 4), torch.randn(3, 3, 4)];
      const boolMask = bool([[false, true, false], [true, false, false]]);
      const floatMask = torch.zeros(2, 3).maskedFill(boolMask, -Infinity);
      const [a, wa] = m.forward(q, kv, kv, { attnMask: boolMask });
      const [b, wb] = m.forward(q, kv, kv, { attnMask: floatMask });
      close(vals(a), vals(b), 1e-6);
      close(vals(wa!), vals(wb!), 1e-6);
      expect(vals(wa!.index(0)).filter((x) => x === 0).length).toBe(2);
      const kpm = bool([[false, false, true], [false, false, false], [true, false, false]]);
      const [, wk] = m.forward(q, kv, kv, { keyPaddingMask: kpm });
      expect(vals(wk!).slice(0, 6).filter((_, i) => i % 3 === 2)).toEqual([0, 0]);
      // 3-D mask: one (L, S) mask per batch element and head.
      const m3 = boolMask.unsqueeze(0).expand(6, 2, 3);
      close(vals(m.forward(q, kv, kv, { attnMask: m3 })[0]), vals(a), 1e-6);
    });

    it("addBiasKv and addZeroAttn add one key each", () => {
      const m = new nn.MultiheadAttention(4, 2, { addBiasKv: true, addZeroAttn: true });
      const [q, kv] = [torch.randn(2, 3, 4), torch.randn(5, 3, 4)];
      const [out, w] = m.forward(q, kv, kv, { keyPaddingMask: torch.zeros(3, 5, { dtype: "bool" }), attnMask: torch.zeros(2, 5) });
      expect([out.shape, w!.shape]).toEqual([[2, 3, 4], [3, 2, 7]]);
    });

    it("gradcheck: kdim/vdim with masks, train mode, no dropout", () => {
      const m = new nn.MultiheadAttention(4, 2, { kdim: 3, vdim: 2 });
      const args = [torch.randn(2, 2, 4), torch.randn(3, 2, 3), torch.randn(3, 2, 2)].map((t) => t.requiresGrad_(true));
      const kpm = bool([[false, false, true], [false, false, false]]);
      expect(gradcheck((q, k, v) => m.forward(q, k, v, { keyPaddingMask: kpm })[0], args, tol)).toBe(true);
      expect(gradcheck((q, k, v) => m.forward(q, k, v)[1]!, args, tol)).toBe(true);
    }, SLOW);

    it("throws PyTorch's errors", () => {
      expect(() => new nn.MultiheadAttention(5, 2)).toThrow("embed_dim must be divisible by num_heads");
      const m = new nn.MultiheadAttention(4, 2);
      const x = torch.randn(3, 2, 4);
      expect(() => m.forward(x, torch.randn(3, 4), x)).toThrow("For batched (3-D) `query`, expected `key` and `value` to be 3-D but found 2-D and 3-D tensors respectively");
      expect(() => m.forward(torch.randn(3, 2, 5), x, x)).toThrow("was expecting embedding dimension of 4, but got 5");
      expect(() => m.forward(x, x, x, { attnMask: torch.zeros(3, 4) })).toThrow("The shape of the 2D attn_mask is torch.Size([3, 4]), but should be (3, 3).");
      expect(() => m.forward(x, x, x, { attnMask: torch.zeros(2, 3, 3) })).toThrow("The shape of the 3D attn_mask is torch.Size([2, 3, 3]), but should be (4, 3, 3).");
      expect(() => m.forward(x, x, x, { keyPaddingMask: torch.zeros(2, 4, { dtype: "bool" }) })).toThrow("expecting key_padding_mask shape of (2, 3), but got torch.Size([2, 4])");
      expect(() => m.forward(x, x, x, { keyPaddingMask: torch.zeros(2, 3, { dtype: "int64" }) })).toThrow("only bool and floating types of key_padding_mask are supported");
      expect(() => m.forward(x, x, x, { attnMask: torch.zeros(3, 3, { dtype: "int64" }) })).toThrow(/Only float, byte, and bool types are supported for attn_mask/);
      expect(() => m.forward(x, torch.randn(4, 2, 4), x)).toThrow("key shape torch.Size([4, 2, 4]) does not match value shape torch.Size([3, 2, 4])");
      expect(() => m.forward(torch.randn(4), x, x)).toThrow("query should be unbatched 2D or batched 3D tensor but received 1-D query tensor");
    });
  });

  describe("TransformerEncoderLayer / TransformerEncoder", () => {
    it("has PyTorch's submodules and seeded init; the encoder deep-copies without drawing", () => {
      torch.manualSeed(0);
      const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6 });
      const enc = new nn.TransformerEncoder(layer, 2, new nn.LayerNorm(4));
      expect(names(layer)).toEqual([
        "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
        "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
      ]);
      expect(Object.keys(enc.stateDict()).length).toBe(26);
      expect(String(layer.self_attn)).toBe("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)\n)");
      // PyTorch 1.13 after the same constructions: the next draws and layers[1].linear2.weight.
      close(vals(torch.rand(2)), [0.3748350739479065, 0.2564433217048645], 1e-7);
      const l1 = enc.layers.children()[1] as any;
      close(vals(l1.linear2.weight).slice(0, 3), [-0.31846797466278076, -0.23507733643054962, 0.3840593099594116], 1e-7);
      // Copies own their storage.
      expect(l1.linear2.weight).not.toBe(layer.linear2.weight);
      torch.noGrad(() => l1.linear2.weight.fill_(0));
      expect(vals(layer.linear2.weight).some((x) => x !== 0)).toBe(true);
    });

    it("post-norm and pre-norm follow PyTorch's block order; the encoder chains its layers", () => {
      const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dropout: 0, normFirst: true, activation: "gelu", batchFirst: true });
      const x = torch.randn(2, 3, 4);
      const [sa] = layer.self_attn.forward(layer.norm1.forward(x), layer.norm1.forward(x), layer.norm1.forward(x), { needWeights: false });
      const h = x.add(sa);
      const want = h.add(layer.linear2.forward(F.gelu(layer.linear1.forward(layer.norm2.forward(h)))));
      close(vals(layer.forward(x)), vals(want), 1e-5);
      const enc = new nn.TransformerEncoder(layer, 2);
      const [a, b] = enc.layers.children() as any[];
      const mask = nn.Transformer.generateSquareSubsequentMask(3);
      close(vals(enc.forward(x, { mask })), vals(b.forward(a.forward(x, { srcMask: mask }), { srcMask: mask })), 1e-6);
      expect(layer.forward(x.index(0)).shape).toEqual([3, 4]);
    });

    it("a custom activation function; gradcheck through a layer with masks", () => {
      const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 3, dropout: 0, activation: (t: Tensor) => t.tanh() });
      const x = torch.randn(3, 2, 4).requiresGrad_(true);
      const kpm = bool([[false, false, true], [false, false, false]]);
      expect(gradcheck((a) => layer.forward(a, { srcKeyPaddingMask: kpm, srcMask: nn.Transformer.generateSquareSubsequentMask(3) }), [x], tol)).toBe(true);
      expect(() => new nn.TransformerEncoderLayer(4, 2, { activation: "tanh" as any })).toThrow("activation should be relu/gelu, not tanh");
    }, SLOW);

    it("generateSquareSubsequentMask is -inf above the diagonal", () => {
      expect(nn.Transformer.generateSquareSubsequentMask(3).tolist()).toEqual([[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    });
  });

  describe("TransformerDecoderLayer / TransformerDecoder / Transformer", () => {
    it("the decoder layer is self-attention, cross-attention over memory, feed-forward (post-norm)", () => {
      const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 6, dropout: 0 });
      expect(names(layer).filter((n: string) => !n.includes("."))).toEqual([]);
      expect(layer.namedChildren().map(([n]) => n)).toEqual([
        "self_attn", "multihead_attn", "linear1", "dropout", "linear2", "norm1", "norm2", "norm3", "dropout1", "dropout2", "dropout3",
      ]);
      const [tgt, mem] = [torch.randn(3, 2, 4), torch.randn(5, 2, 4)];
      const tgtMask = nn.Transformer.generateSquareSubsequentMask(3);
      const kpm = bool([[false, false, false, false, true], [false, false, false, false, false]]);
      let x = layer.norm1.forward(tgt.add(layer.self_attn.forward(tgt, tgt, tgt, { attnMask: tgtMask, needWeights: false })[0]));
      x = layer.norm2.forward(x.add(layer.multihead_attn.forward(x, mem, mem, { keyPaddingMask: kpm, needWeights: false })[0]));
      x = layer.norm3.forward(x.add(layer.linear2.forward(layer.linear1.forward(x).relu())));
      close(vals(layer.forward(tgt, mem, { tgtMask, memoryKeyPaddingMask: kpm })), vals(x), 1e-5);
      const dec = new nn.TransformerDecoder(layer, 2, new nn.LayerNorm(4));
      const [a, b] = dec.layers.children() as any[];
      const want = dec.norm!.forward(b.forward(a.forward(tgt, mem, { tgtMask }), mem, { tgtMask }));
      close(vals(dec.forward(tgt, mem, { tgtMask })), vals(want), 1e-6);
    });

    it("nn.Transformer: PyTorch's parameter names and seeded init; encoder then decoder", () => {
      torch.manualSeed(0);
      const m = new nn.Transformer(8, 2, { numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 6, dropout: 0 });
      const keys = Object.keys(m.stateDict());
      expect(keys.length).toBe(52);
      expect(keys.slice(0, 2)).toEqual(["encoder.layers.0.self_attn.in_proj_weight", "encoder.layers.0.self_attn.in_proj_bias"]);
      expect(keys.slice(-3)).toEqual(["decoder.layers.1.norm3.bias", "decoder.norm.weight", "decoder.norm.bias"]);
      // PyTorch 1.13: torch.rand(3) right after the same construction (the count of draws matches).
      close(vals(torch.rand(3)), [0.0035287141799926758, 0.905182421207428, 0.3826359510421753], 1e-7);
      const [src, tgt] = [torch.randn(5, 2, 8), torch.randn(4, 2, 8)];
      const tgtMask = nn.Transformer.generateSquareSubsequentMask(4);
      const memory = (m.encoder as any).forward(src);
      close(vals(m.forward(src, tgt, { tgtMask })), vals((m.decoder as any).forward(tgt, memory, { tgtMask })), 1e-6);
      expect(m.forward(src.index(0), tgt.index(0)).shape).toEqual([2, 8]);
      expect(() => m.forward(src, torch.randn(4, 3, 8))).toThrow("the batch number of src and tgt must be equal");
      expect(() => m.forward(src, torch.randn(4, 2, 6))).toThrow("the feature number of src and tgt must be equal to d_model");
    });

    it("gradcheck through a small decoder layer with masks", () => {
      const layer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 3, dropout: 0, normFirst: true });
      const args = [torch.randn(2, 1, 4), torch.randn(3, 1, 4)].map((t) => t.requiresGrad_(true));
      const tgtMask = nn.Transformer.generateSquareSubsequentMask(2);
      expect(gradcheck((t, mm) => layer.forward(t, mm, { tgtMask }), args, tol)).toBe(true);
    }, SLOW);
  });
});
