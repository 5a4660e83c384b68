// Self-attention's packed in-projection [L, N, 3E] split into per-head q, k, v [N·H, L, hd] as one
// autograd node: the forward makes the three head-major copies the bmms need (what chunk, then
// contiguous().view().transpose() did); the backward writes the three gradients into the packed
// layout with one cat and one copy. NOTE: the composition it replaces (three chunk slices) gave
// each slice's gradient as a zero-filled [L, N, 3E] tensor with the slice copied in, then added the
// three: about four times the memory traffic on the Transformer's shapes (issue #15).
// Under createGraph the backward is tensor ops, so it is differentiable again; otherwise it writes
// the packed gradient with three strided copies.
import { Function, type FunctionCtx } from "../autograd/function.js";
import { isGradEnabled } from "../autograd/grad_mode.js";
import { freshGradient } from "../autograd/grads.js";
import { backend } from "../backend/index.js";
import { cat } from "../ops/indexing.js";
import { emptyUninit } from "../ops/scratch.js";
import type { Tensor } from "../tensor.js";

/** apply(proj [L, N, 3E], heads) -> [q, k, v], each [N·heads, L, E/heads], contiguous. */
export class PackedHeads extends Function {
  static override gradFnName = "SplitBackward0";
  // NOTE: backward reads its gradient outputs and keeps none of them (the engine may recycle them).
  static override dropsGradOutputs = true;

  static override forward(ctx: FunctionCtx, proj: Tensor, heads: number): Tensor[] {
    const [L, N, E3] = proj.shape;
    const hd = E3 / 3 / heads;
    ctx.dims = [L, N, E3, heads, hd];
    // [L, N, 3, H, hd] -> per part i: [1, N, H, L, hd] (a head-major copy) -> [N·H, L, hd].
    const parts = proj.reshape([L, N, 3, heads, hd]);
    return [0, 1, 2].map((i) => parts.narrow(2, i, 1).permute([2, 1, 3, 0, 4]).contiguous().view([N * heads, L, hd]));
  }

  static override backward(ctx: FunctionCtx, gq: Tensor, gk: Tensor, gv: Tensor): (Tensor | null)[] {
    const [L, N, E3, heads, hd] = ctx.dims as number[];
    if (!isGradEnabled()) {
      // NOTE: no graph to build: each gradient goes straight to its slot of the packed layout, one
      // strided copy each into one unfilled storage (the cat below, then the permuted reshape, made
      // two full copies and two allocations of the [L, N, 3E] gradient).
      const g = freshGradient(emptyUninit([L, N, 3, heads, hd], gq.dtype));
      [gq, gk, gv].forEach((t, i) => backend().copy(t.reshape([1, N, heads, L, hd]).permute([3, 1, 0, 2, 4]), g.narrow(2, i, 1)));
      return [g.view([L, N, E3]), null];
    }
    // [3, N, H, L, hd] -> [L, N, 3, H, hd] = [L, N, 3E].
    const g = cat([gq, gk, gv].map((t) => t.reshape([1, N, heads, L, hd])), 0);
    return [g.permute([3, 1, 0, 2, 4]).reshape([L, N, E3]), null];
  }
}
