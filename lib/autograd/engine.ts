// backward(): walks the recorded graph from a root in reverse topological order, calling each node's
// rule once with the sum of the gradients that reached it, and accumulating into leaves' .grad.
// The sort is iterative (a 10,000-op chain must not overflow the JS stack). ref: tfjs tape.ts.
import type { Tensor } from "../tensor.js";
import type { Node } from "./node.js";
import { GRADS } from "./grads.js";
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

function accumulateLeaf(leaf: Tensor, g: Tensor): void {
  // NOTE: the first gradient is stored as its own contiguous copy so later in-place += never
  // writes into a tensor the graph (or the user) still holds.
  if (leaf.grad === null) leaf.grad = g.contiguous() === g ? g.clone() : g.contiguous();
  else leaf.grad = leaf.grad.add(g);
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
    if (root.gradFn === null) return accumulateLeaf(root, gradient!);
    const pending = new Map<Node, Tensor>([[root.gradFn, gradient!]]);
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
      const grads = GRADS[node.op](g, node);
      inputs.forEach((input, i) => {
        const gi = grads[i];
        if (!input.requiresGrad || gi === null || gi === undefined) return;
        if (!sameShape(gi.shape, input.shape)) {
          throw new Error(
            `Function ${node.name} returned an invalid gradient at index ${i} - got [${gi.shape.join(", ")}] but expected shape compatible with [${input.shape.join(", ")}]`,
          );
        }
        if (input.gradFn === null) accumulateLeaf(input, gi);
        else {
          const prev = pending.get(input.gradFn);
          pending.set(input.gradFn, prev ? prev.add(gi) : gi);
        }
      });
      if (!options.retainGraph) node.release();
    }
  });
}
