// Tensors an op makes for its own backward and never hands out (dropout's mask, max-pool's argmax
// when the indices aren't returned): the node that saved one is the only thing that can reach it,
// so its storage goes back to the scratch pool (ops/scratch.ts) when the node releases its saved
// state after backward, or at once when no node was recorded. The next op of that size reuses
// it instead of allocating: V8 frees a tensor's memory only at a collection, and every fresh
// tensor-sized allocation moves the next one closer (README, "Performance").
import type { Tensor } from "../tensor.js";
import { recycle } from "../ops/scratch.js";
import { Node } from "./node.js";

/**
 * Gives `t` to the graph node that produced `out` (just recorded by the caller's op), or to the
 * pool at once when the op recorded none. The caller guarantees nothing else can reach `t`: it
 * was created by the op, is a whole allocation, and was passed to no one but that node.
 */
export function ownedByGraph(out: Tensor, t: Tensor): void {
  const node = out.gradFn;
  if (node instanceof Node) (node.privateStorages ??= []).push(t.typedArray);
  else if (node === null) recycle(t.typedArray);
}
