// Differentiable forms of the two rules that build their gradient by writing into a zero tensor
// (slice's and gather's): used when a rule runs with grad enabled (createGraph), so the gradient
// they produce can be differentiated again. Under noGrad the rules keep their direct form.
// ref: PyTorch's slice_backward / gather_backward and their own derivatives in derivatives.yaml.
import type { Tensor } from "../tensor.js";
import { Function, type FunctionCtx } from "./function.js";
import { zeros } from "../ops/creation.js";
import { gather } from "../ops/indexing.js";
import { scatterAdd } from "../ops/scatter.js";
import { slice } from "../ops/views.js";

export interface SliceArgs {
  inShape: readonly number[];
  dim: number;
  start: number;
  step: number;
}

/** g placed into zeros of the input's shape at the slice (slice's gradient). */
export function sliceBackward(g: Tensor, a: SliceArgs): Tensor {
  const full = zeros([...a.inShape], { dtype: g.dtype });
  slice(full, a.dim, a.start, a.start + g.shape[a.dim] * a.step, a.step).copy_(g);
  return full;
}

// NOTE: the classes are made on first use: this file is imported (through grads.ts) while
// function.ts may still be loading in an import cycle, when `extends Function` would fail.
let sliceFn: typeof Function | null = null;
let gatherFn: typeof Function | null = null;

/** slice's gradient as a Function: its own gradient is the same slice of the incoming gradient. */
export function sliceBackwardFn(): typeof Function {
  return (sliceFn ??= class SliceBackwardFn extends Function {
    static override gradFnName = "SliceBackwardBackward0";
    static override forward(ctx: FunctionCtx, g: Tensor, a: SliceArgs): Tensor {
      ctx.args = a;
      ctx.len = g.shape[a.dim];
      return sliceBackward(g, a);
    }
    static override backward(ctx: FunctionCtx, gg: Tensor): (Tensor | null)[] {
      const a: SliceArgs = ctx.args;
      return [slice(gg, a.dim, a.start, a.start + ctx.len * a.step, a.step), null];
    }
  });
}

/** gather's gradient (scatter_add of g into zeros) as a Function: its own gradient is a gather. */
export function gatherBackwardFn(): typeof Function {
  return (gatherFn ??= class GatherBackwardFn extends Function {
    static override gradFnName = "ScatterAddBackward0";
    static override forward(ctx: FunctionCtx, g: Tensor, shape: readonly number[], dim: number, index: Tensor): Tensor {
      ctx.dim = dim;
      ctx.index = index;
      return scatterAdd(zeros([...shape], { dtype: g.dtype }), dim, index, g);
    }
    static override backward(ctx: FunctionCtx, gg: Tensor): (Tensor | null)[] {
      return [gather(gg, ctx.dim, ctx.index), null, null, null];
    }
  });
}
