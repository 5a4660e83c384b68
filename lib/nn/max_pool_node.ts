// max_pool1d/2d with indices as one autograd node over the backend's maxPool2d kernels: the forward
// keeps the argmax indices (saved for backward, returned with returnIndices), the backward sums the
// gradient into them. Under createGraph the backward replays the differentiable form (a gather at
// the indices), so double backward keeps working. Not here: the window planning and checks
// (functional_pool.ts). ref: PyTorch 1.13 max_pool2d_with_indices and its backward (derivatives.yaml).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { grad as autogradGrad } from "../autograd/grad.js";
import { enableGrad, isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import { backend } from "../backend/index.js";
import type { PoolWindow, View } from "../backend/types.js";
import { emptyUninit } from "../ops/scratch.js";
import type { Tensor } from "../tensor.js";

/** t's elements (contiguous) as a [P, A, B] view. */
function planes(t: Tensor, P: number, A: number, B: number): View {
  return { typedArray: t.typedArray, offset: t.offset, shape: [P, A, B], strides: [A * B, B, 1] };
}

/** apply(x4 [B, C, H, W] float32 or float64, window, oH, oW) -> [values [B, C, oH, oW], indices (int64, same shape)]. */
export class MaxPool2dWithIndices extends Function {
  static override gradFnName = "MaxPool2DWithIndicesBackward0";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, x4: Tensor, w: PoolWindow, oH: number, oW: number): [Tensor, Tensor] {
    const [B, C, H, W] = x4.shape;
    const xc = x4.contiguous();
    // Every element of both is written (each window has at least one element).
    const out = emptyUninit([B, C, oH, oW], x4.dtype);
    const indices = emptyUninit([B, C, oH, oW], "int64");
    const P = B * C;
    backend().maxPool2d(planes(xc, P, H, W), w, planes(out, P, oH, oW), planes(indices, P, oH, oW));
    ctx.saveForBackward(x4, indices);
    ctx.markNonDifferentiable(indices);
    // NOTE: no zero gradient materialised for the (int64) indices output.
    ctx.setMaterializeGrads(false);
    return [out, indices];
  }

  static override backward(ctx: FunctionCtx, g: Tensor | null): (Tensor | null)[] {
    const [x4, indices] = ctx.savedTensors as [Tensor, Tensor];
    if (g === null) return [null, null, null, null];
    const [B, C, H, W] = x4.shape;
    const [, , oH, oW] = indices.shape;
    if (isGradEnabled()) {
      // NOTE: createGraph: the gather's gradient is itself differentiable (a scatter-add of g).
      const y = enableGrad(() => x4.reshape(B, C, H * W).gather(2, indices.reshape(B, C, oH * oW)));
      return [autogradGrad([y], [x4], { gradOutputs: [g.reshape(B, C, oH * oW)], createGraph: true })[0], null, null, null];
    }
    const gc = g.contiguous();
    // NOTE: unfilled: the kernel zeroes each plane before adding into it (Backend.maxPool2dBackward).
    const gx = freshGradient(emptyUninit([B, C, H, W], x4.dtype));
    const P = B * C;
    backend().maxPool2dBackward(planes(gc, P, oH, oW), planes(indices, P, oH, oW), planes(gx, P, H, W));
    return [gx, null, null, null];
  }
}

/** The same node, named as PyTorch names max_pool1d's. */
export class MaxPool1dWithIndices extends MaxPool2dWithIndices {
  static override gradFnName = "MaxPool1DWithIndicesBackward0";
}
