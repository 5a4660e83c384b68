// F.bilinear: y[..., o] = Σ_ij x1[..., i]·W[o, i, j]·x2[..., j] + b[o], for input1 [*, in1],
// input2 [*, in2] (same leading dims), weight [out, in1, in2], bias [out]. Composed as one matmul,
// x1 · W rearranged to [in1, out·in2], then a product with x2 summed over in2, so autograd covers it.
// ref: aten/src/ATen/native/Linear.cpp bilinear (PyTorch 1.13).
import type { Tensor } from "../tensor.js";
import { checkOptionalTensor, checkTensor, parseArgs } from "./args.js";

export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias?: Tensor | null | { bias?: Tensor | null }): Tensor;
export function bilinear(...args: unknown[]): Tensor {
  const fn = "bilinear";
  const o = parseArgs<{ input1: unknown; input2: unknown; weight: unknown; bias: unknown }>(fn, args, ["input1", "input2", "weight", "bias"], { bias: null });
  const x1 = checkTensor(fn, "input1", o.input1, 1);
  const x2 = checkTensor(fn, "input2", o.input2, 2);
  const w = checkTensor(fn, "weight", o.weight, 3);
  const b = checkOptionalTensor(fn, "bias", o.bias);
  if (x1.ndim !== x2.ndim) throw new RangeError(`bilinear(): input dimensions do not match: got ${x1.ndim} and ${x2.ndim}`);
  for (let i = 0; i < x1.ndim - 1; i++) {
    if (x1.shape[i] !== x2.shape[i]) {
      throw new RangeError(`bilinear(): input batch dimensions do not match at dim ${i}: got ${x1.shape[i]} and ${x2.shape[i]}`);
    }
  }
  if (x1.ndim === 0) throw new RangeError("Dimension specified as -1 but tensor has no dimensions");
  const [in1, in2] = [x1.shape[x1.ndim - 1], x2.shape[x2.ndim - 1]];
  if (in1 !== w.size(1)) throw new RangeError(`bilinear(): input1 size does not match weight size: got ${in1} but expected ${w.size(1)}`);
  if (in2 !== w.size(2)) throw new RangeError(`bilinear(): input2 size does not match weight size: got ${in2} but expected ${w.size(2)}`);
  const out = w.size(0);
  if (b !== null && b.size(0) !== out) throw new RangeError(`bilinear(): bias size does not match weight size: got ${b.size(0)} but expected ${out}`);
  const rows1 = x1.reshape([-1, in1]);
  const rows2 = x2.reshape([-1, in2]);
  // [N, in1] @ [in1, out·in2] -> [N, out, in2], times x2 per row, summed over in2 -> [N, out].
  const wFlat = w.permute([1, 0, 2]).reshape([in1, out * in2]);
  const y = rows1.matmul(wFlat).reshape([-1, out, in2]).mul(rows2.unsqueeze(1)).sum(2);
  const shaped = y.reshape([...x1.shape.slice(0, -1), out]);
  return b === null ? shaped : shaped.add(b);
}
