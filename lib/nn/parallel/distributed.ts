// nn.parallel.DistributedDataParallel: one model replica per process; gradients are averaged across
// the default group during backward, so every rank's optimizer takes the same step.
//
// How it overlaps communication with backward: parameters are grouped into buckets (reverse order of
// parameters(), as gradients become ready roughly back to front; the first bucket 1 MiB, the rest
// bucketCapMb). A post-accumulate-grad hook per parameter counts down its bucket; a full bucket is
// flattened (each gradient divided by the world size first, as PyTorch's default hook does) and
// all-reduced on the group's thread while backward goes on. The hook of the last parameter to become
// ready waits for every bucket and copies the averages back into .grad, so .grad is final when
// backward() returns. ref: torch/nn/parallel/distributed.py, torch/csrc/distributed/c10d/reducer.cpp.
import { noGrad } from "../../autograd/grad_mode.js";
import { AccumulateGrad, type GraphFn } from "../../autograd/node.js";
import { loadDistAddon, type NativeWork } from "../../distributed/addon.js";
import { allGatherIntoTensor, broadcast } from "../../distributed/collectives.js";
import { defaultGroup } from "../../distributed/process_group.js";
import { Tensor } from "../../tensor.js";
import { Module, type Parameter } from "../module.js";

export interface DistributedDataParallelOptions {
  /** Accepted for PyTorch compatibility; must be null/undefined (CPU only). */
  deviceIds?: null;
  /** Bucket size in MiB (PyTorch's default 25). */
  bucketCapMb?: number;
  /** Broadcast rank 0's buffers (BatchNorm's running stats) before every forward (default true). */
  broadcastBuffers?: boolean;
  /** Find parameters that the forward did not use and mark them ready (default false, as PyTorch). */
  findUnusedParameters?: boolean;
}

const FIRST_BUCKET_BYTES = 1024 * 1024;

interface Bucket {
  params: Parameter[];
  /** The bucket's gradients, flattened (the memory the allreduce works on). */
  flat: Tensor;
  /** Each parameter's slice of flat, in the parameter's shape. */
  slices: Tensor[];
  pending: number;
  work: NativeWork | null;
}

const UNFINISHED =
  "Expected to have finished reduction in the prior iteration before starting a new one. This error indicates that your " +
  "module has parameters that were not used in producing loss. You can enable unused parameter detection by passing " +
  "the keyword argument `find_unused_parameters=True` to `torch.nn.parallel.DistributedDataParallel`, and by making sure " +
  "all `forward` function outputs participate in calculating loss.";

export class DistributedDataParallel extends Module {
  readonly module: Module;
  readonly bucketCapMb: number;
  readonly broadcastBuffers: boolean;
  readonly findUnusedParameters: boolean;
  /** PyTorch's require_backward_grad_sync: false inside noSync(). */
  requireBackwardGradSync = true;
  #buckets: Bucket[] = [];
  #bucketOf = new Map<Parameter, Bucket>();
  /** Buckets not yet launched in this iteration (0 when idle). */
  #unlaunched = 0;
  /** Whether this iteration's backward reduces (captured at forward, as PyTorch does). */
  #syncThisIteration = false;
  /** True once a hook fired in this iteration's backward and until every bucket was reduced. */
  #started = false;
  /** Parameters the forward did not use (findUnusedParameters): reduced as zeros. */
  #unused = new Set<Parameter>();

  constructor(module: Module, options: DistributedDataParallelOptions = {}) {
    super();
    if (!(module instanceof Module)) throw new TypeError("DistributedDataParallel(module): module must be an nn.Module");
    const { deviceIds = null, bucketCapMb = 25, broadcastBuffers = true, findUnusedParameters = false } = options;
    if (deviceIds !== null && deviceIds !== undefined) {
      throw new Error("DistributedDataParallel device_ids must be None for CPU modules (torchlet runs on the CPU)");
    }
    if (!(typeof bucketCapMb === "number" && bucketCapMb > 0)) throw new RangeError(`bucket_cap_mb must be positive, got ${String(bucketCapMb)}`);
    defaultGroup();
    this.module = module;
    this.bucketCapMb = bucketCapMb;
    this.broadcastBuffers = broadcastBuffers;
    this.findUnusedParameters = findUnusedParameters;
    const params = module.parameters().filter((p) => p.requiresGrad);
    checkSameModel(module);
    // Every replica starts from rank 0's parameters and buffers.
    noGrad(() => {
      for (const t of [...module.parameters(), ...module.buffers()]) syncTensor(t, (x) => broadcast(x, 0));
    });
    this.#buildBuckets(params);
    for (const p of params) p.registerPostAccumulateGradHook(() => this.#markReady(p));
  }

  #buildBuckets(params: Parameter[]): void {
    let current: Parameter[] = [];
    let bytes = 0;
    let cap = FIRST_BUCKET_BYTES;
    const close = () => {
      if (current.length === 0) return;
      const numel = current.reduce((n, p) => n + p.numel(), 0);
      // NOTE: native memory, so the bucket's allreduce runs on it in place while backward goes on.
      const flat = Tensor.fromStorage(new Float32Array(loadDistAddon().addon!.allocBuffer(4 * numel)), [numel]);
      let at = 0;
      const slices = current.map((p) => {
        const slice = flat.narrow(0, at, p.numel()).view(p.shape);
        at += p.numel();
        return slice;
      });
      const bucket: Bucket = { params: current, flat, slices, pending: 0, work: null };
      this.#buckets.push(bucket);
      for (const p of current) this.#bucketOf.set(p, bucket);
      current = [];
      bytes = 0;
      cap = this.bucketCapMb * 1024 * 1024;
    };
    for (const p of [...params].reverse()) {
      if (p.dtype !== "float32") throw new TypeError(`DistributedDataParallel: parameters of dtype ${p.dtype} are not supported (float32 is)`);
      current.push(p);
      bytes += p.numel() * 4;
      if (bytes >= cap) close();
    }
    close();
  }

  /** PyTorch's `with ddp.no_sync():` — backward passes inside fn accumulate gradients locally. */
  noSync<T>(fn: () => T): T {
    const before = this.requireBackwardGradSync;
    this.requireBackwardGradSync = false;
    try {
      return fn();
    } finally {
      this.requireBackwardGradSync = before;
    }
  }

  forward(...args: any[]): any {
    if (this.#started) throw new Error(UNFINISHED);
    if (this.broadcastBuffers) {
      const buffers = this.module.buffers();
      if (buffers.length > 0) noGrad(() => buffers.forEach((b) => syncTensor(b, (x) => broadcast(x, 0))));
    }
    const output = (this.module as unknown as (...a: any[]) => any)(...args);
    this.#syncThisIteration = this.requireBackwardGradSync && (this.module.training || this.training);
    if (this.#syncThisIteration) this.#prepare(output);
    return output;
  }

  /** Arms the buckets for the coming backward; with findUnusedParameters, marks unused ones ready. */
  #prepare(output: unknown): void {
    for (const b of this.#buckets) {
      b.pending = b.params.length;
      b.work = null;
    }
    this.#unlaunched = this.#buckets.length;
    this.#unused.clear();
    if (this.findUnusedParameters) {
      const used = reachableLeaves(output);
      for (const p of this.#bucketOf.keys()) {
        if (used.has(p)) continue;
        this.#unused.add(p);
        this.#countDown(p);
      }
    }
  }

  #markReady(p: Parameter): void {
    if (!this.#syncThisIteration || this.#unlaunched === 0) return;
    this.#started = true;
    this.#countDown(p);
  }

  #countDown(p: Parameter): void {
    const bucket = this.#bucketOf.get(p)!;
    if (bucket.pending === 0) return; // a second backward through the same graph: already reduced
    if (--bucket.pending > 0) return;
    this.#launch(bucket);
    if (--this.#unlaunched === 0) this.#finish();
  }

  /** Flattens the bucket's gradients divided by the world size, as PyTorch's default hook does,
   *  and starts their sum on the group's thread. */
  #launch(bucket: Bucket): void {
    const { flat, params, slices } = bucket;
    noGrad(() => {
      params.forEach((p, i) => {
        const g = this.#unused.has(p) ? null : p.grad;
        if (g === null) slices[i].zero_();
        else slices[i].copy_(g);
      });
      flat.div_(defaultGroup().size);
    });
    bucket.work = defaultGroup().native.allreduce(flat.storage() as Float32Array, "sum", true)!;
  }

  /** Waits for every bucket (in launch order) and writes the averages into .grad. */
  #finish(): void {
    this.#started = false;
    for (const bucket of this.#buckets) {
      bucket.work!.wait();
      bucket.work = null;
      const { params, slices } = bucket;
      noGrad(() => {
        params.forEach((p, i) => {
          if (p.grad === null) p.grad = slices[i].clone();
          else p.grad.copy_(slices[i]);
        });
      });
    }
  }

  override extraRepr(): string {
    return "";
  }
}

/** Runs a collective on t's values in place, through a contiguous copy when t is not contiguous. */
function syncTensor(t: Tensor, op: (x: Tensor) => void): void {
  if (t.isContiguous()) {
    op(t);
    return;
  }
  const c = t.contiguous();
  op(c);
  t.copy_(c);
}

/** PyTorch's _verify_param_shape_across_processes: same parameter count and sizes everywhere. */
function checkSameModel(module: Module): void {
  const params = module.parameters();
  const size = defaultGroup().size;
  // NOTE: counts travel as int64 (Float64Array storage): exact for any model size.
  const mine = Tensor.fromStorage(Float64Array.from([params.length, params.reduce((s, p) => s + p.numel(), 0)]), [2]);
  const all = Tensor.fromStorage(new Float64Array(2 * size), [2 * size]);
  allGatherIntoTensor(all, mine);
  const v = all.storage();
  for (let r = 0; r < size; r++) {
    if (v[2 * r] !== params.length) {
      throw new Error(`DDP expects same model across all ranks, but Rank ${defaultGroup().rank} has ${params.length} params, while rank ${r} has inconsistent ${v[2 * r]} params.`);
    }
    if (v[2 * r + 1] !== v[1]) {
      throw new Error(`DDP expects same model across all ranks, but rank 0 has ${v[1]} parameter elements, while rank ${r} has ${v[2 * r + 1]}.`);
    }
  }
}

/** The leaves (AccumulateGrad variables) reachable from the tensors in `output`. */
function reachableLeaves(output: unknown): Set<Tensor> {
  const seen = new Set<GraphFn>();
  const leaves = new Set<Tensor>();
  const stack: GraphFn[] = [];
  const visit = (o: unknown): void => {
    if (o instanceof Tensor) {
      if (o.gradFn !== null) stack.push(o.gradFn);
      else if (o.requiresGrad) leaves.add(o);
    } else if (Array.isArray(o)) o.forEach(visit);
    else if (o !== null && typeof o === "object") Object.values(o).forEach(visit);
  };
  visit(output);
  while (stack.length > 0) {
    const fn = stack.pop()!;
    if (seen.has(fn)) continue;
    seen.add(fn);
    if (fn instanceof AccumulateGrad) leaves.add(fn.variable);
    for (const e of fn.next) if (e !== null) stack.push(e[0]);
  }
  return leaves;
}
