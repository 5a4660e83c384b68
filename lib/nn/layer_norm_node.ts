// LayerNorm as one autograd node (NativeLayerNormBackward0) over the backend's LayerNorm kernels:
// the forward takes each row's mean and rstd and writes y in one kernel call; the backward gives dx,
// dweight and dbias from x, the saved mean and rstd (PyTorch's saved result1/result2) in another.
// Under createGraph the backward replays the composition (`replay`), so higher gradients keep
// working. float32 and float64 (the frontend sends other dtypes to the composition).
// ref: PyTorch 1.13 aten/src/ATen/native/layer_norm.cpp (layer_norm_cpu, layer_norm_backward_cpu).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import { backend } from "../backend/index.js";
import type { View } from "../backend/types.js";
import { emptyUninit } from "../ops/scratch.js";
import { Tensor } from "../tensor.js";
import { replayBackward, type Replay } from "./batch_norm_node.js";

/** t's elements (contiguous from its offset) as a view of `shape`. */
const asRows = (t: Tensor, shape: number[]): View => ({
  typedArray: t.typedArray, offset: t.offset, shape, strides: shape.length === 1 ? [1] : [shape[1], 1],
});

interface Saved {
  xc: Tensor; // x, contiguous
  mean: Tensor; // [M], x's dtype
  rstd: Tensor; // [M]
  rows: number; // M
  size: number; // D, the elements of normalizedShape
  replay: Replay;
}

/** apply(x, weight | null, bias | null, D, eps, replay) -> y of x's shape, normalized over its last
 *  D elements per row; weight and bias (normalizedShape) contiguous or not, of x's dtype. */
export class LayerNormNode extends Function {
  static override gradFnName = "NativeLayerNormBackward0";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, x: Tensor, w: Tensor | null, b: Tensor | null, D: number, eps: number, replay: Replay): Tensor {
    const M = x.numel() / D;
    const xc = x.contiguous();
    const wc = w?.contiguous() ?? null, bc = b?.contiguous() ?? null;
    const y = emptyUninit(x.shape, x.dtype); // every element is written
    const mean = Tensor.empty([M], x.dtype), rstd = Tensor.empty([M], x.dtype);
    backend().layerNormForward(
      asRows(xc, [M, D]), wc && asRows(wc, [D]), bc && asRows(bc, [D]), eps, asRows(y, [M, D]), asRows(mean, [M]), asRows(rstd, [M]),
    );
    ctx.saveForBackward(x, w, b);
    ctx.ln = { xc, mean, rstd, rows: M, size: D, replay } satisfies Saved;
    return y;
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [x, w, b] = ctx.savedTensors as [Tensor, Tensor | null, Tensor | null];
    const s = ctx.ln as Saved;
    if (isGradEnabled()) return [...replayBackward(ctx, s, g, x, w, b), null, null, null];
    const [M, D] = [s.rows, s.size];
    const gc = g.contiguous();
    const wc = w?.contiguous() ?? null;
    // NOTE: the kernel writes every element of each; all three are new and kept by no one here.
    const dx = ctx.needsInputGrad[0] ? freshGradient(emptyUninit(x.shape, x.dtype)) : null;
    const dw = ctx.needsInputGrad[1] && w !== null ? freshGradient(emptyUninit(w.shape, x.dtype)) : null;
    const db = ctx.needsInputGrad[2] && b !== null ? freshGradient(emptyUninit(b.shape, x.dtype)) : null;
    backend().layerNormBackward(
      asRows(s.xc, [M, D]), asRows(gc, [M, D]), asRows(s.mean, [M]), asRows(s.rstd, [M]), wc && asRows(wc, [D]),
      dx && asRows(dx, [M, D]), dw && asRows(dw, [D]), db && asRows(db, [D]),
    );
    return [dx, dw, db, null, null, null];
  }
}
