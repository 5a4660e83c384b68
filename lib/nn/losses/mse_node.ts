// mse_loss as one autograd node, MseLossBackward0, so the graph reads as PyTorch's (the blitz's
// "Neural Networks" page walks loss.grad_fn.next_functions: MseLossBackward0, then the Linear's
// AddmmBackward0). Forward is the composite's (input − target)² and reduction, so the values are
// unchanged; backward is PyTorch's mse_loss_backward, ((input − target) · grad) · norm with norm =
// 2/N for 'mean' else 2, and its negation for the target. Backward uses tensor ops, so under
// createGraph it is differentiable again. Not here: argument checks and the broadcasting warning
// (regression.ts).
// ref: aten/src/ATen/native/Loss.cpp mse_loss_backward_out (PyTorch 1.13).
import { Function as AutogradFunction, type FunctionCtx } from "../../autograd/function.js";
import type { Tensor } from "../../tensor.js";
import { applyReduction } from "./reduction.js";

export class MseLossNode extends AutogradFunction {
  static override gradFnName = "MseLossBackward0";

  /** input and target: the same shape and floating dtype. */
  static override forward(ctx: FunctionCtx, input: Tensor, target: Tensor, reduction: string): Tensor {
    ctx.saveForBackward(input, target);
    ctx.reduction = reduction;
    const d = input.sub(target);
    return applyReduction(d.mul(d), reduction);
  }

  static override backward(ctx: FunctionCtx, g: Tensor): (Tensor | null)[] {
    const [input, target] = ctx.savedTensors as Tensor[];
    const norm = ctx.reduction === "mean" ? 2 / input.numel() : 2;
    const gradInput = input.sub(target).mul(g).mul(norm);
    return [ctx.needsInputGrad[0] ? gradInput : null, ctx.needsInputGrad[1] ? gradInput.neg() : null, null];
  }
}
