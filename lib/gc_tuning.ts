// V8's collector, tuned for tensor memory.
// Why: V8 starts a mark-compact once the old generation plus the external memory allocated since
// the last one passes a limit: the heap's size after that mark-compact times a growing factor,
// which V8 derives from how fast the program allocates against how fast it marks. Tensor storage
// is ArrayBuffers, external memory that counts as allocation, so a program making tensors at GB/s
// looks like a mutator allocating at GB/s, and V8 keeps the factor low: here the limit sat ~24 MB
// above a ~22 MB heap (`node --trace-gc`: "Start (allocation limit): v8: 22MB / 46MB"), and
// --heap-growing-percent=100 (factor 2) already removed those mark-compacts.
// ResNet-18 inference at batch 1 (11 MB of fresh tensors a call) then marks the whole heap every
// other call, on helper threads that preempt torchlet's kernel threads, and a 2-thread parallel
// kernel waits for the preempted one (issue #16's 2-thread rows).
// What: the factor is set instead (V8's --heap-growing-percent, which V8 reads each time it
// recomputes the limit after a mark-compact): large enough that about kDeadTensorBytes of tensors
// may die between mark-compacts, never below 2 (Go's default, GOGC=100), at most 5; recomputed as
// the heap grows, so a large heap gets the factor 2. A memory-for-time trade: dead storages wait
// longer for the collector, bounded by the limit above (the peak RSS of the bench's steps moved by
// less than the run-to-run noise; glibc keeps freed blocks for reuse anyway, native/memory.cc).
// Set by the main thread only. Off with TORCHLET_GC_TUNING=0, or when the process was started
// with its own --heap-growing-percent. ref: V8 src/heap/heap-controller.cc (DynamicGrowingFactor,
// CalculateAllocationLimit), src/heap/heap.cc (RecomputeLimits).
import v8 from "node:v8";
import { isMainThread } from "node:worker_threads";

/** Dead tensor memory the tuned limit leaves room for above a small heap. */
const kDeadTensorBytes = 96 * 2 ** 20;
/** --heap-growing-percent bounds: factor 2 to 5. */
const kMinPercent = 100;
const kMaxPercent = 400;
/** Storage bytes allocated between two looks at the heap's size. */
const kRecheckBytes = 256 * 2 ** 20;

let state: "unset" | "on" | "off" = "unset";
let why = "";
let percent = 0;
let sinceCheck = 0;

/** The percent for a heap of `heapBytes`: room for kDeadTensorBytes, in steps of 25. */
export function growingPercentFor(heapBytes: number): number {
  const want = Math.ceil((100 * kDeadTensorBytes) / Math.max(heapBytes, 1) / 25) * 25;
  return Math.min(kMaxPercent, Math.max(kMinPercent, want));
}

function retune(): void {
  const p = growingPercentFor(v8.getHeapStatistics().used_heap_size);
  if (p === percent) return;
  percent = p;
  v8.setFlagsFromString(`--heap-growing-percent=${p}`);
}

/** Applies the tuning once per thread (idempotent): on import of the library and on the first
 *  backend use. */
export function applyGcTuning(): void {
  if (state !== "unset") return;
  if (process.env.TORCHLET_GC_TUNING === "0") {
    [state, why] = ["off", "off (TORCHLET_GC_TUNING=0)"];
  } else if (!isMainThread) {
    // NOTE: V8's flags are the process's: the main thread sets them (a worker's heap follows them).
    [state, why] = ["off", "left to the main thread (this is a worker thread)"];
  } else if (process.execArgv.some((a) => /^--heap[-_]growing[-_]percent/.test(a))) {
    [state, why] = ["off", "off (the process sets --heap-growing-percent itself)"];
  } else {
    state = "on";
    retune();
  }
}

/** Called for each new storage: every kRecheckBytes, the factor follows the heap's size. */
export function noteAllocated(bytes: number): void {
  if (state !== "on") return;
  sinceCheck += bytes;
  if (sinceCheck < kRecheckBytes) return;
  sinceCheck = 0;
  retune();
}

/** What the tuning did, for backendInfo(). */
export function gcTuning(): string {
  applyGcTuning();
  if (state === "off") return why;
  return `heap growing factor ${1 + percent / 100} (--heap-growing-percent=${percent}, from the heap's size)`;
}
