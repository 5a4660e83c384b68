// Collectives on tensors over the default group, as torch.distributed's: in place, synchronous by
// default (the calling thread waits, as PyTorch's does), or `{ asyncOp: true }` for a Work whose
// getFuture() settles on the event loop while the collective runs on the group's own thread.
// ref: torch/distributed/distributed_c10d.py (all_reduce, broadcast, all_gather, ...).
import { bumpVersion } from "../autograd/version.js";
import { checkIntResult } from "../ops/int64.js";
import type { Tensor } from "../tensor.js";
import type { DistBuffer, NativeWork } from "./addon.js";
import { defaultGroup } from "./process_group.js";

/** PyTorch's dist.ReduceOp. */
export const ReduceOp = { SUM: "sum", PRODUCT: "product", MIN: "min", MAX: "max", AVG: "avg" } as const;
export type ReduceOp = (typeof ReduceOp)[keyof typeof ReduceOp];

export interface AsyncOption {
  /** Return a Work instead of waiting (PyTorch's async_op). */
  asyncOp?: boolean;
}

/** A collective in flight (PyTorch's Work): wait() blocks, getFuture() is a Promise. */
export class Work {
  private finished = false;
  private readonly future: Promise<void>;
  constructor(
    private readonly native: NativeWork | null,
    /** Runs once on this thread after the collective succeeded (copies results out). */
    private readonly finish: () => void = () => {},
  ) {
    this.future = native === null ? Promise.resolve().then(() => this.complete()) : native.promise.then(() => this.complete());
    // NOTE: a Work nobody awaits must not become an unhandled rejection; wait()/getFuture() rethrow.
    this.future.catch(() => {});
  }
  private complete(): void {
    if (this.finished) return;
    this.finished = true;
    this.finish();
  }
  /** Blocks until the collective is done; throws its error (a dead peer, a timeout). */
  wait(): boolean {
    this.native?.wait();
    this.complete();
    return true;
  }
  isCompleted(): boolean {
    return this.native === null || this.native.isCompleted();
  }
  /** Resolves on the event loop once the collective is done. */
  getFuture(): Promise<void> {
    return this.future;
  }
}

/** The contiguous typed array a collective works on in place, with PyTorch's checks. */
function bufferOf(fn: string, t: Tensor): DistBuffer {
  if (t === null || typeof t !== "object" || typeof (t as Tensor).isContiguous !== "function") {
    throw new TypeError(`${fn}(): argument 'tensor' must be a Tensor`);
  }
  if (!t.isContiguous()) throw new Error(`${fn}(): Tensors must be contiguous`);
  const s = t.storage();
  // NOTE: by dtype, not array type: a float64 storage is a Float64Array too, which the addon's
  // collectives read as int64.
  if (t.dtype !== "float32" && t.dtype !== "int64") {
    throw new TypeError(`${fn}(): tensors of dtype ${t.dtype} are not supported by the gloo backend in torchlet (float32 and int64 are)`);
  }
  return s as DistBuffer;
}

function reduceOpName(fn: string, op: unknown, t: Tensor): ReduceOp {
  const ops = Object.values(ReduceOp) as string[];
  if (typeof op !== "string" || !ops.includes(op)) throw new TypeError(`${fn}(): op must be one of dist.ReduceOp (${ops.join(", ")}), got ${String(op)}`);
  if (op === "avg" && t.dtype === "int64") throw new TypeError(`${fn}(): ReduceOp.AVG needs a floating point tensor, got ${t.dtype}`);
  return op as ReduceOp;
}

function rankArg(fn: string, r: unknown, what: string): number {
  const size = defaultGroup().size;
  if (typeof r !== "number" || !Number.isInteger(r) || r < 0 || r >= size) {
    throw new RangeError(`${fn}(): invalid ${what} ${String(r)} for a group of ${size} ranks`);
  }
  return r;
}

/** Runs a native call synchronously (null) or as a Work; bumps the written tensors' versions. */
function launch(written: Tensor[], asyncOp: boolean | undefined, call: (async: boolean) => NativeWork | undefined, finish?: () => void): Work | null {
  const bump = () => {
    for (const t of written) bumpVersion(t);
  };
  if (!asyncOp) {
    call(false);
    finish?.();
    bump();
    return null;
  }
  const native = call(true)!;
  return new Work(native, () => {
    finish?.();
    bump();
  });
}

/** dist.all_reduce(tensor, op=SUM): every rank ends with the reduction of all ranks' tensors. */
export function allReduce(tensor: Tensor, op: ReduceOp = ReduceOp.SUM, options: AsyncOption = {}): Work | null {
  const buf = bufferOf("all_reduce", tensor);
  const name = reduceOpName("all_reduce", op, tensor);
  const g = defaultGroup().native;
  return launch([tensor], options.asyncOp, (a) => g.allreduce(buf, name, a), () => checkExactInt(tensor, "all_reduce"));
}

/** int64 travels as doubles (exact to 2^53 - 1): a reduction past that is refused, not rounded. */
function checkExactInt(t: Tensor, fn: string): void {
  if (t.dtype === "int64") checkIntResult(t, fn);
}

/** dist.broadcast(tensor, src): every rank ends with rank src's tensor. */
export function broadcast(tensor: Tensor, src: number, options: AsyncOption = {}): Work | null {
  const buf = bufferOf("broadcast", tensor);
  const root = rankArg("broadcast", src, "src rank");
  const g = defaultGroup().native;
  return launch([tensor], options.asyncOp, (a) => g.broadcast(buf, root, a));
}

/** dist.all_gather_into_tensor(output, input): output holds every rank's input, rank after rank. */
export function allGatherIntoTensor(output: Tensor, input: Tensor, options: AsyncOption = {}): Work | null {
  const inBuf = bufferOf("all_gather_into_tensor", input);
  const outBuf = bufferOf("all_gather_into_tensor", output);
  const size = defaultGroup().size;
  if (output.dtype !== input.dtype) throw new TypeError("all_gather_into_tensor(): output tensor must have the same type as input tensor");
  if (outBuf.length !== inBuf.length * size) {
    throw new Error("all_gather_into_tensor(): output tensor size must be equal to world_size times input tensor size");
  }
  const g = defaultGroup().native;
  return launch([output], options.asyncOp, (a) => g.allgather(inBuf, outBuf, a));
}

/** dist.all_gather(tensorList, tensor): tensorList[r] receives rank r's tensor. */
export function allGather(tensorList: Tensor[], tensor: Tensor, options: AsyncOption = {}): Work | null {
  const inBuf = bufferOf("all_gather", tensor);
  const size = defaultGroup().size;
  if (!Array.isArray(tensorList) || tensorList.length !== size) {
    throw new Error(`all_gather(): tensor list must hold world_size (${size}) tensors, got ${Array.isArray(tensorList) ? tensorList.length : typeof tensorList}`);
  }
  const outs = tensorList.map((t) => bufferOf("all_gather", t));
  for (const t of tensorList) {
    if (t.dtype !== tensor.dtype || t.numel() !== tensor.numel()) throw new Error("all_gather(): all tensors must have the same type and number of elements as the input");
  }
  const flat = new (inBuf.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(inBuf.length * size);
  const g = defaultGroup().native;
  return launch(tensorList, options.asyncOp, (a) => g.allgather(inBuf, flat, a), () => {
    outs.forEach((o, r) => o.set(flat.subarray(r * inBuf.length, (r + 1) * inBuf.length)));
  });
}

/**
 * dist.reduce_scatter(output, inputList, op): output gets the reduction over ranks of
 * inputList[rank]. NOTE: runs as one all-reduce of the concatenated inputs (gloo has no
 * reduce-scatter collective for arbitrary ops), so it moves world_size times the data it needs to.
 */
export function reduceScatter(output: Tensor, inputList: Tensor[], op: ReduceOp = ReduceOp.SUM, options: AsyncOption = {}): Work | null {
  const outBuf = bufferOf("reduce_scatter", output);
  const { size, rank } = defaultGroup();
  if (!Array.isArray(inputList) || inputList.length !== size) {
    throw new Error(`reduce_scatter(): input list must hold world_size (${size}) tensors`);
  }
  const ins = inputList.map((t) => bufferOf("reduce_scatter", t));
  for (const t of inputList) {
    if (t.dtype !== output.dtype || t.numel() !== output.numel()) throw new Error("reduce_scatter(): all tensors must have the same type and number of elements as the output");
  }
  const name = reduceOpName("reduce_scatter", op, output);
  const n = outBuf.length;
  const flat = new (outBuf.constructor as Float32ArrayConstructor | Float64ArrayConstructor)(n * size);
  ins.forEach((b, r) => flat.set(b, r * n));
  const g = defaultGroup().native;
  return launch([output], options.asyncOp, (a) => g.allreduce(flat, name, a), () => {
    outBuf.set(flat.subarray(rank * n, (rank + 1) * n));
    checkExactInt(output, "reduce_scatter");
  });
}

/** dist.barrier(): returns once every rank reached it. */
export function barrier(options: AsyncOption = {}): Work | null {
  const g = defaultGroup().native;
  return launch([], options.asyncOp, (a) => g.barrier(a));
}

function checkTag(fn: string, tag: unknown): number {
  if (typeof tag !== "number" || !Number.isInteger(tag) || tag < 0 || tag >= 2 ** 32) throw new RangeError(`${fn}(): tag must be an integer in [0, 2^32), got ${String(tag)}`);
  return tag;
}

/** dist.send(tensor, dst, tag=0): blocks until the tensor was handed to rank dst. */
export function send(tensor: Tensor, dst: number, tag = 0): void {
  const buf = bufferOf("send", tensor);
  defaultGroup().native.send(buf, rankArg("send", dst, "destination rank"), checkTag("send", tag), false);
}

/** dist.recv(tensor, src, tag=0): fills tensor with what rank src sent; returns src. */
export function recv(tensor: Tensor, src: number, tag = 0): number {
  if (src === undefined || src === null) throw new Error("recv(): receiving from any source is not supported by torchlet yet: pass src");
  const buf = bufferOf("recv", tensor);
  defaultGroup().native.recv(buf, rankArg("recv", src, "source rank"), checkTag("recv", tag), false);
  bumpVersion(tensor);
  return src;
}

/** dist.isend: send without waiting; the tensor's values are taken at the call. */
export function isend(tensor: Tensor, dst: number, tag = 0): Work {
  const buf = bufferOf("isend", tensor);
  return new Work(defaultGroup().native.send(buf, rankArg("isend", dst, "destination rank"), checkTag("isend", tag), true)!);
}

/** dist.irecv: receive without waiting; the tensor is filled when the Work completes. */
export function irecv(tensor: Tensor, src: number, tag = 0): Work {
  const buf = bufferOf("irecv", tensor);
  const native = defaultGroup().native.recv(buf, rankArg("irecv", src, "source rank"), checkTag("irecv", tag), true)!;
  return new Work(native, () => bumpVersion(tensor));
}
