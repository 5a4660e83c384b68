// avg_pool1d/2d as one autograd node over the backend's avgPool2d kernels. Under createGraph the
// backward replays the differentiable composition (functional_pool.ts's gather + sum + div), so
// double backward keeps working. Not here: argument checks and the output size (functional_pool.ts).
// ref: PyTorch 1.13 avg_pool2d and avg_pool2d_backward (derivatives.yaml).
import { Function, type FunctionCtx } from "../autograd/function.js";
import { grad as autogradGrad } from "../autograd/grad.js";
import { enableGrad, isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import { backend } from "../backend/index.js";
import type { AvgPoolWindow, View } from "../backend/types.js";
import { emptyUninit } from "../ops/scratch.js";
import type { Tensor } from "../tensor.js";

const planes = (t: Tensor, P: number, A: number, B: number): View => ({ typedArray: t.typedArray, offset: t.offset, shape: [P, A, B], strides: [A * B, B, 1] });

/** apply(x4 [B, C, H, W] float32 or float64, window, oH, oW, composed) -> [B, C, oH, oW]; `composed(x4)` is the
 *  same pool as tensor ops, for a createGraph backward. */
export class AvgPool2dNode extends Function {
  static override gradFnName = "AvgPool2DBackward0";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, x4: Tensor, w: AvgPoolWindow, oH: number, oW: number, composed: (x: Tensor) => Tensor): Tensor {
    const [B, C, H, W] = x4.shape;
    const xc = x4.contiguous();
    const out = emptyUninit([B, C, oH, oW], x4.dtype); // every element is written
    backend().avgPool2d(planes(xc, B * C, H, W), w, planes(out, B * C, oH, oW));
    ctx.saveForBackward(x4);
    ctx.pool = { w, composed };
    return out;
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [x4] = ctx.savedTensors as [Tensor];
    const { w, composed } = ctx.pool as { w: AvgPoolWindow; composed: (x: Tensor) => Tensor };
    if (isGradEnabled()) {
      const y = enableGrad(() => composed(x4));
      return [autogradGrad([y], [x4], { gradOutputs: [g], createGraph: true })[0], null, null, null, null];
    }
    const [B, C, H, W] = x4.shape;
    const [, , oH, oW] = g.shape;
    const gc = g.contiguous();
    // NOTE: unfilled: the kernel zeroes each plane before adding into it (Backend.avgPool2dBackward).
    const gx = freshGradient(emptyUninit([B, C, H, W], x4.dtype));
    backend().avgPool2dBackward(planes(gc, B * C, oH, oW), w, planes(gx, B * C, H, W));
    return [gx, null, null, null, null];
  }
}
