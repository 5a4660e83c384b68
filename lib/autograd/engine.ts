// backward(): walks the recorded graph from a root in reverse topological order, calling each node's
// rule once with the sum of the gradients that reached it, and accumulating into leaves' .grad (in
// place when one exists, as PyTorch does). Intermediate gradients only the engine can reach are
// recycled when dead (ops/scratch.ts). The sort is iterative (a 10,000-op chain must not overflow
// the JS stack). ref: tfjs tape.ts; PyTorch's AccumulateGrad (accumulate_grad.h).
import type { Tensor } from "../tensor.js";
import type { Node } from "./node.js";
import { FRESH, GRADS, type GradCtx } from "./grads.js";
import type { Storage } from "../backend/types.js";
import { recycle } from "../ops/scratch.js";
import { backend } from "../backend/index.js";
import { noGrad } from "./grad_mode.js";
import { sameShape } from "../shape.js";
import { onesLike } from "../ops/creation.js";

export interface BackwardOptions {
  /** Keep the graph's saved tensors so backward can run through it again. */
  retainGraph?: boolean;
}

/** Nodes reachable from root, each after every node that consumes its output. */
function topoOrder(root: Node): Node[] {
  const order: Node[] = [];
  const visited = new Set<Node>();
  const stack: [Node, boolean][] = [[root, false]];
  while (stack.length) {
    const [node, expanded] = stack.pop()!;
    if (expanded) {
      order.push(node);
      continue;
    }
    if (visited.has(node)) continue;
    visited.add(node);
    stack.push([node, true]);
    for (const t of node.inputs ?? []) if (t.gradFn && !visited.has(t.gradFn)) stack.push([t.gradFn, false]);
  }
  return order.reverse();
}

/** True when t is the only view of its whole storage, contiguous. */
function ownsStorage(t: Tensor): boolean {
  return t.offset === 0 && t.data.length === t.numel() && t.isContiguous();
}

/** True when `cur` (a leaf's .grad) can take a gradient of `shape` summed into it in place. */
function accumulatesInPlace(cur: Tensor, shape: readonly number[]): boolean {
  return cur.dtype === "float32" && !cur.requiresGrad && cur.isContiguous() && sameShape(cur.shape, shape);
}

/**
 * Adds g into leaf.grad. `mine`: g's storage is reachable from nothing but g (the engine's own), so
 * it may become .grad as it is; else a first gradient is stored as its own contiguous copy, so a
 * later in-place += never writes into a tensor the graph or the user still holds.
 * Returns true when g was kept as .grad.
 */
function accumulateLeaf(leaf: Tensor, g: Tensor, mine = false): boolean {
  const cur = leaf.grad;
  if (cur === null) {
    if (mine && ownsStorage(g)) {
      leaf.grad = g;
      return true;
    }
    leaf.grad = g.contiguous() === g ? g.clone() : g.contiguous();
  } else if (g.dtype === "float32" && accumulatesInPlace(cur, g.shape)) {
    // In place, as PyTorch's AccumulateGrad does when not building a graph: no new tensor per step.
    backend().binary("add", cur, g, cur);
  } else leaf.grad = cur.add(g);
  return false;
}

export function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  if (!root.requiresGrad) {
    throw new Error("element 0 of tensors does not require grad and does not have a grad_fn");
  }
  if (gradient === undefined) {
    if (root.numel() !== 1) throw new Error("grad can be implicitly created only for scalar outputs");
    gradient = onesLike(root);
  } else if (!sameShape(gradient.shape, root.shape)) {
    throw new RangeError(
      `Mismatch in shape: grad_output[0] has a shape of [${gradient.shape.join(", ")}] and output[0] has a shape of [${root.shape.join(", ")}].`,
    );
  }
  noGrad(() => {
    if (root.gradFn === null) return void accumulateLeaf(root, gradient!);
    const pending = new Map<Node, Tensor>([[root.gradFn, gradient!]]);
    // NOTE: storages of pending gradients that nothing but the engine can reach: a rule allocated
    // them (FRESH) and they went to one place only. Such a gradient may be updated in place by the
    // rule that consumes it (ctx.owned), and its storage is recycled once it is dead. The root
    // gradient (the caller's) is never in here.
    const owned = new Set<Storage>();
    const release = (t: Tensor): void => {
      if (owned.delete(t.data)) recycle(t.data);
    };
    for (const node of topoOrder(root.gradFn)) {
      const g = pending.get(node);
      pending.delete(node);
      if (node.freed) {
        throw new Error(
          "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.",
        );
      }
      if (g === undefined) continue;
      const inputs = node.inputs!;
      const gOwned = owned.has(g.data);
      const ctx: GradCtx = {
        owned: gOwned,
        into: (i) => {
          const t = inputs[i];
          if (t === undefined || t.gradFn !== null || !t.requiresGrad || t.grad === null) return null;
          return accumulatesInPlace(t.grad, t.shape) ? t.grad : null;
        },
      };
      const grads = GRADS[node.op](g, node, ctx);
      // How many outputs share each storage: a storage handed to two places is no one's own.
      const uses = new Map<Storage, number>();
      for (const t of grads) if (t) uses.set(t.data, (uses.get(t.data) ?? 0) + 1);
      if (gOwned) {
        if (!uses.has(g.data)) release(g); // consumed: dead now
        else if (uses.get(g.data)! > 1) owned.delete(g.data);
      }
      // A rule's FRESH output is new storage; checked anyway against what the rule could see.
      const seen = (s: Storage) => s === g.data || s === node.out?.data || inputs.some((t) => t.data === s);
      inputs.forEach((input, i) => {
        const gi = grads[i];
        if (gi === null || gi === undefined) return;
        const mine = uses.get(gi.data) === 1 && (gOwned && gi.data === g.data ? true : FRESH.has(gi) && !seen(gi.data));
        FRESH.delete(gi);
        if (!input.requiresGrad) {
          if (mine) recycle(gi.data);
          return;
        }
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(
            `Function ${node.name} returned an invalid gradient at index ${i} - got [${gi.shape.join(", ")}] but expected shape compatible with [${input.shape.join(", ")}]`,
          );
        }
        if (input.gradFn === null) {
          const kept = accumulateLeaf(input, gi, mine);
          owned.delete(gi.data);
          if (mine && !kept) recycle(gi.data);
          return;
        }
        const prev = pending.get(input.gradFn);
        if (prev === undefined) {
          pending.set(input.gradFn, gi);
          if (mine) owned.add(gi.data);
          return;
        }
        const sum = prev.add(gi);
        release(prev);
        if (mine) {
          owned.delete(gi.data);
          recycle(gi.data);
        }
        pending.set(input.gradFn, sum);
        owned.add(sum.data);
      });
      if (!options.retainGraph) node.release();
    }
  });
}
