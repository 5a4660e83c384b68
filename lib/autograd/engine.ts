// The backward engine: walks the recorded graph from its roots in reverse topological order, calling
// each function once with the sum of the gradients that reached it: an op's rule (grads.ts), or a
// leaf's AccumulateGrad, which adds into .grad (in place when one exists, as PyTorch does). Tensor
// hooks and retainGrad run on a gradient before its function; autograd.grad captures the gradients
// of chosen tensors instead of accumulating, and runs only the functions on a path to them.
// Without createGraph, rules run under noGrad and intermediate gradients only the engine can reach
// are overwritten in place and recycled when dead (ops/scratch.ts); with createGraph, rules run
// with grad enabled and none of that, so the gradients have a graph of their own.
// The sort is iterative (a 10,000-op chain must not overflow the JS stack).
// ref: tfjs tape.ts; PyTorch's engine.cpp and AccumulateGrad (accumulate_grad.h).
import type { Tensor } from "../tensor.js";
import { AccumulateGrad, Node, edgeTo, type GraphFn } from "./node.js";
import { FRESH, GRADS, type GradCtx } from "./grads.js";
import type { Op } from "./ops.js";
import type { Storage } from "../backend/types.js";
import { recycle } from "../ops/scratch.js";
import { backend } from "../backend/index.js";
import { enableGrad, noGrad } from "./grad_mode.js";
import { sameShape } from "../shape.js";
import { onesLike } from "../ops/creation.js";
import { bumpVersion } from "./version.js";

export interface BackwardOptions {
  /** Keep the graph's saved tensors so backward can run through it again (default: createGraph). */
  retainGraph?: boolean;
  /** Record the backward pass itself, so the gradients can be differentiated again. */
  createGraph?: boolean;
  /** Accumulate into these tensors' .grad only (leaves or not); the rest of the graph is skipped. */
  inputs?: Tensor | readonly Tensor[];
}

export interface RunOptions {
  retainGraph: boolean;
  createGraph: boolean;
  /** autograd.grad: return the gradients of these tensors instead of accumulating into any .grad. */
  capture?: readonly Tensor[];
}

const FREED_MESSAGE =
  "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

/** Functions reachable from roots, each after every function that consumes its output. */
function topoOrder(roots: readonly GraphFn[]): GraphFn[] {
  const order: GraphFn[] = [];
  const visited = new Set<GraphFn>();
  const stack: [GraphFn, boolean][] = roots.map((r) => [r, false]);
  stack.reverse();
  while (stack.length) {
    const [fn, expanded] = stack.pop()!;
    if (expanded) {
      order.push(fn);
      continue;
    }
    if (visited.has(fn)) continue;
    visited.add(fn);
    stack.push([fn, true]);
    for (const e of fn.next) if (e !== null && !visited.has(e[0])) stack.push([e[0], false]);
  }
  return order.reverse();
}

/** True when t is the only view of its whole storage, contiguous. */
function ownsStorage(t: Tensor): boolean {
  return t.offset === 0 && t.typedArray.length === t.numel() && t.isContiguous();
}

/** True when `cur` (a leaf's .grad) can take a gradient of `shape` summed into it in place. */
function accumulatesInPlace(cur: Tensor, shape: readonly number[]): boolean {
  return cur.dtype === "float32" && !cur.requiresGrad && cur.isContiguous() && sameShape(cur.shape, shape);
}

/**
 * Adds g into leaf.grad. `mine`: g's storage is reachable from nothing but g (the engine's own), so
 * it may become .grad as it is; else a first gradient is stored as its own contiguous copy, so a
 * later in-place += never writes into a tensor the graph or the user still holds. With createGraph
 * the sum is recorded (out of place), as PyTorch's AccumulateGrad does under grad mode.
 * Returns true when g was kept as .grad.
 */
function accumulateLeaf(leaf: Tensor, g: Tensor, mine: boolean, createGraph: boolean): boolean {
  const cur = leaf.grad;
  if (createGraph) {
    leaf.grad = cur === null ? g.clone() : cur.add(g);
    return false;
  }
  if (cur === null) {
    if (mine && ownsStorage(g)) {
      leaf.grad = g;
      return true;
    }
    leaf.grad = g.contiguous() === g ? g.clone() : g.contiguous();
  } else if (g.dtype === "float32" && accumulatesInPlace(cur, g.shape)) {
    // In place, as PyTorch's AccumulateGrad does when not building a graph: no new tensor per step.
    backend().binary("add", cur, g, cur);
    bumpVersion(cur);
  } else leaf.grad = cur.add(g);
  return false;
}

/** Checks the roots and their gradients (implicit ones for scalars), PyTorch's errors. */
export function rootGradients(roots: readonly Tensor[], grads: readonly (Tensor | null | undefined)[]): Tensor[] {
  return roots.map((root, i) => {
    if (!root.requiresGrad) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`);
    const g = grads[i];
    if (g === undefined || g === null) {
      if (root.numel() !== 1) throw new Error("grad can be implicitly created only for scalar outputs");
      return noGrad(() => onesLike(root));
    }
    if (!sameShape(g.shape, root.shape)) {
      throw new RangeError(
        `Mismatch in shape: grad_output[${i}] has a shape of [${g.shape.join(", ")}] and output[${i}] has a shape of [${root.shape.join(", ")}].`,
      );
    }
    return g;
  });
}

/** tensor.backward(gradient): accumulates into the leaves' .grad. */
export function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions): void {
  backwardFrom([root], rootGradients([root], [gradient]), options);
}

/** Backward from checked roots: into every leaf, or with `inputs` into those tensors only. */
export function backwardFrom(roots: readonly Tensor[], grads: readonly Tensor[], options: BackwardOptions): void {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  if (options.inputs === undefined) return void run(roots, grads, { retainGraph, createGraph });
  const inputs = options.inputs instanceof Array ? [...options.inputs] : [options.inputs as Tensor];
  if (inputs.length === 0) throw new RangeError("'inputs' argument to backward() cannot be empty.");
  // NOTE: the gradients arriving at the inputs are captured, then accumulated as AccumulateGrad would.
  const got = run(roots, grads, { retainGraph, createGraph, capture: inputs });
  (createGraph ? enableGrad : noGrad)(() => inputs.forEach((t, j) => {
    if (got[j] !== null) accumulateLeaf(t, got[j]!, false, createGraph);
  }));
}

/**
 * Runs the graph backward from roots seeded with grads (checked by rootGradients). Returns the
 * captured gradients (null where none arrived) when options.capture is given, else [].
 */
export function run(roots: readonly Tensor[], grads: readonly Tensor[], options: RunOptions): (Tensor | null)[] {
  const { retainGraph, createGraph, capture } = options;
  // NOTE: the in-place and recycling optimizations need gradients nothing else holds; with
  // createGraph, gradients are graph nodes' inputs and outputs, so they are all off.
  const optimize = !createGraph;
  return (createGraph ? enableGrad : noGrad)(() => {
    const pending = new Map<GraphFn, (Tensor | undefined)[]>();
    // NOTE: storages of pending gradients that nothing but the engine can reach: a rule allocated
    // them (FRESH) and they went to one place only. Such a gradient may be updated in place by the
    // rule that consumes it (ctx.owned), and its storage is recycled once it is dead. Root
    // gradients (the caller's) and anything a hook saw are never in here.
    const owned = new Set<Storage>();
    const release = (t: Tensor): void => {
      if (owned.delete(t.typedArray)) recycle(t.typedArray);
    };
    const send = (fn: GraphFn, nr: number, g: Tensor, mine: boolean): void => {
      let gs = pending.get(fn);
      if (gs === undefined) pending.set(fn, (gs = []));
      const prev = gs[nr];
      if (prev === undefined) {
        gs[nr] = g;
        if (mine) owned.add(g.typedArray);
        return;
      }
      const sum = prev.add(g);
      if (optimize) {
        release(prev);
        if (mine) recycle(g.typedArray);
        owned.add(sum.typedArray);
      }
      gs[nr] = sum;
    };

    const starts: GraphFn[] = [];
    roots.forEach((root, i) => {
      const e = edgeTo(root)!;
      send(e[0], e[1], grads[i], false);
      starts.push(e[0]);
    });
    const order = topoOrder(starts);

    // autograd.grad: where each captured tensor's gradient arrives, and which functions must run
    // to get there (those with a path to a capture point); nothing is accumulated.
    let captureAt: Map<GraphFn, [number, number][]> | null = null;
    let runs: Set<GraphFn> | null = null;
    const captured: (Tensor | null)[] = [];
    if (capture !== undefined) {
      captureAt = new Map();
      capture.forEach((t, j) => {
        if (!t.requiresGrad) throw new Error("One of the differentiated Tensors does not require grad");
        const [fn, nr] = edgeTo(t)!;
        let at = captureAt!.get(fn);
        if (at === undefined) captureAt!.set(fn, (at = []));
        at.push([nr, j]);
        captured.push(null);
      });
      runs = new Set();
      for (let k = order.length - 1; k >= 0; k--) {
        const fn = order[k];
        if (fn instanceof Node && fn.next.some((e) => e !== null && (captureAt!.has(e[0]) || runs!.has(e[0])))) runs.add(fn);
      }
    }

    for (const fn of order) {
      const gs = pending.get(fn);
      if (gs === undefined) continue;
      pending.delete(fn);
      if (captureAt !== null) {
        // NOTE: captured before the function's hooks, as PyTorch 1.13 does.
        for (const [nr, j] of captureAt.get(fn) ?? []) {
          const g = gs[nr];
          if (g === undefined) continue;
          owned.delete(g.typedArray);
          captured[j] = captured[j] === null ? g : captured[j]!.add(g);
        }
        if (!runs!.has(fn)) continue;
      }
      if (fn.preHooks !== null && fn.preHooks.length > 0) runPreHooks(fn, gs, owned);

      if (fn instanceof AccumulateGrad) {
        const g = gs[0];
        if (g === undefined) continue;
        const leaf = fn.variable;
        // A leaf whose requiresGrad was switched off after the forward pass takes nothing (PyTorch).
        if (!leaf.requiresGrad || leaf.isDisposed) {
          release(g);
          continue;
        }
        const mine = optimize && owned.delete(g.typedArray);
        const kept = accumulateLeaf(leaf, g, mine, createGraph);
        if (mine && !kept) recycle(g.typedArray);
        if (fn.postAccumulateHooks !== null) for (const hook of [...fn.postAccumulateHooks]) hook(leaf);
        continue;
      }

      const node = fn;
      if (node.freed) throw new Error(FREED_MESSAGE);
      node.checkSaved();
      const inputs = node.inputs!;
      let grads: (Tensor | null | undefined)[];
      let g: Tensor | undefined;
      let gOwned = false;
      // The engine's own gradients a library Function takes and drops (Node.dropsGradOutputs).
      let dropped: Storage[] = [];
      if (node.custom !== null) {
        if (optimize && node.dropsGradOutputs) dropped = gs.filter((t) => t !== undefined && owned.has(t.typedArray)).map((t) => t!.typedArray);
        for (const t of gs) if (t !== undefined) owned.delete(t.typedArray);
        grads = node.custom(gs as Tensor[]);
      } else {
        g = gs[0]!;
        gOwned = optimize && owned.has(g.typedArray);
        const ctx: GradCtx = optimize && captureAt === null
          ? {
            owned: gOwned,
            into: (i) => {
              const e = node.next[i];
              // NOTE: a leaf with hooks takes its gradient through AccumulateGrad, where they run.
              if (e === null || !(e[0] instanceof AccumulateGrad) || e[0].preHooks?.length || e[0].postAccumulateHooks?.length) return null;
              const t = e[0].variable;
              if (!t.requiresGrad || t.grad === null) return null;
              return accumulatesInPlace(t.grad, t.shape) ? t.grad : null;
            },
          }
          : { owned: gOwned, into: () => null };
        grads = GRADS[node.op as Op](g, node, ctx);
      }
      // NOTE: a Function's gradients count as its own only where it marked them (freshGradient:
      // the library's Functions, never a user's), as the engine cannot see what its ctx keeps.
      let shared = false;
      if (node.postHooks !== null && node.postHooks.length > 0) {
        for (const hook of [...node.postHooks]) {
          const r = hook(grads.map((t) => t ?? null), gs.map((t) => t ?? null));
          if (r) grads = r;
        }
        shared = true;
      }
      // How many outputs share each storage: a storage handed to two places is no one's own.
      const uses = new Map<Storage, number>();
      if (optimize) for (const t of grads) if (t) uses.set(t.typedArray, (uses.get(t.typedArray) ?? 0) + 1);
      // NOTE: unless a hook saw them or they came back as (views of) gradients.
      if (!shared) for (const d of dropped) if (!uses.has(d)) recycle(d);
      if (gOwned) {
        if (!uses.has(g!.typedArray)) release(g!); // consumed: dead now
        else if (uses.get(g!.typedArray)! > 1 || shared) owned.delete(g!.typedArray);
      }
      // A rule's FRESH output is new storage; checked anyway against what the rule could see.
      const seen = (s: Storage) => s === g?.typedArray || s === node.out?.typedArray || inputs.some((t) => t.typedArray === s);
      for (let i = 0; i < inputs.length; i++) {
        const gi = grads[i];
        if (gi === null || gi === undefined) continue;
        const mine = optimize && !shared && uses.get(gi.typedArray) === 1 &&
          (gOwned && gi.typedArray === g!.typedArray ? true : FRESH.has(gi) && !seen(gi.typedArray));
        FRESH.delete(gi);
        const e = node.next[i];
        if (e === null) {
          if (mine) recycle(gi.typedArray);
          continue;
        }
        if (!sameShape(gi.shape, inputs[i].shape)) {
          throw new Error(
            `Function ${node.name} returned an invalid gradient at index ${i} - got [${gi.shape.join(", ")}] but expected shape compatible with [${inputs[i].shape.join(", ")}]`,
          );
        }
        if (mine) owned.delete(gi.typedArray); // send() re-adds it where it lands
        send(e[0], e[1], gi, mine);
      }
      if (!retainGraph) {
        const dead = node.release();
        // NOTE: not under createGraph: the graph it builds may read them (a replayed forward).
        if (!createGraph) for (const s of dead) recycle(s);
      }
    }
    return captured;
  });
}

/** Tensor hooks and retainGrad on the gradients arriving at fn, in registration order. */
function runPreHooks(fn: GraphFn, gs: (Tensor | undefined)[], owned: Set<Storage>): void {
  for (const hook of [...fn.preHooks!]) {
    if (hook.nr === -1) {
      // grad_fn.register_prehook: all of the function's output gradients at once.
      for (const t of gs) if (t !== undefined) owned.delete(t.typedArray);
      const r = (hook.fn as unknown as (g: (Tensor | null)[]) => (Tensor | null)[] | null | undefined)(gs.map((t) => t ?? null));
      if (r) r.forEach((t, k) => (gs[k] = t ?? undefined));
      continue;
    }
    const g = gs[hook.nr];
    if (g === undefined) continue;
    owned.delete(g.typedArray);
    const r = hook.fn(g);
    if (r !== undefined && r !== null) {
      if (!sameShape(r.shape, g.shape)) {
        throw new Error(`hook '${hook.fn.name || "hook"}' has changed the size of value`);
      }
      gs[hook.nr] = r;
    }
  }
}
