// The timing loop every benchmark uses (hand-written, no dependency): warm up, pick how many calls
// one sample holds so a sample lasts >= ~2 ms, take samples until both a minimum count and a time
// budget are reached, and report the median and the minimum time per call. No thresholds: it measures.
// Follows the method of tinybench/mitata (warm-up, batched samples, robust median) in ~80 lines.
// It also counts V8's collections during the timed calls (v8.GCProfiler): the share of a call the
// collector takes is part of the time a user pays, and the part no kernel change can remove.
import { runInNewContext } from "node:vm";
import { GCProfiler, setFlagsFromString } from "node:v8";

export interface Budget {
  /** Warm-up time (at least 1 call). */
  warmupMs: number;
  /** Keep sampling until this much time has passed ... */
  budgetMs: number;
  /** ... and at least this many samples were taken. */
  minSamples: number;
  /** Never more samples than this. */
  maxSamples: number;
}

export const FULL: Budget = { warmupMs: 300, budgetMs: 1500, minSamples: 5, maxSamples: 300 };
export const QUICK: Budget = { warmupMs: 30, budgetMs: 150, minSamples: 3, maxSamples: 50 };
/** For calls of a second or more (JS backend on 1024^3): one warm-up call, three samples. */
export const SLOW: Budget = { warmupMs: 0, budgetMs: 0, minSamples: 3, maxSamples: 3 };

export interface Stats {
  medianMs: number;
  minMs: number;
  meanMs: number;
  samples: number;
  callsPerSample: number;
  /** V8's collections during the timed calls, per call (absent in results of older runs). */
  gc?: GcPerCall;
}

export interface GcPerCall {
  /** Full mark-compacts (the collections that mark the whole heap, with helper threads). */
  major: number;
  /** Young-generation collections (scavenges). */
  minor: number;
  /** Main-thread time in the collector's pauses and incremental marking steps, ms. The helper
   *  threads' concurrent marking is not in it (it shows as slower kernels where they preempt one). */
  pauseMs: number;
}

/** GcPerCall from a GCProfiler's statistics over `calls` calls. */
function gcPerCall(stats: { gcType: string; cost: number }[], calls: number): GcPerCall {
  let major = 0, minor = 0, pauseUs = 0;
  for (const s of stats) {
    if (s.gcType === "MarkSweepCompact") major++;
    else if (s.gcType === "Scavenge" || s.gcType === "MinorMarkCompact") minor++;
    pauseUs += s.cost;
  }
  return { major: major / calls, minor: minor / calls, pauseMs: pauseUs / 1000 / calls };
}

/** A measured value, or why there is none. */
export type Result = Stats | { na: string };

export function isNa(r: Result | undefined): r is { na: string } {
  return r !== undefined && "na" in r;
}

// NOTE: the package.json script runs plain `tsx` (no --expose-gc), so gc() is fetched the way V8
// allows at run time. A full GC between benchmarks keeps one benchmark's garbage out of the next one's
// timings; inside a benchmark the GC cost stays in, as users pay it too.
setFlagsFromString("--expose-gc");
const gcFn = runInNewContext("gc") as () => void;
export function collectGarbage(): void {
  gcFn();
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** Times fn (synchronous) and returns per-call statistics in milliseconds. */
export function measure(fn: () => unknown, budget: Budget): Stats {
  collectGarbage();
  // Warm-up: JIT, caches, thread pool start-up, lazy allocations.
  let calls = 0;
  const w0 = now();
  let last = 0;
  do {
    const t = now();
    fn();
    last = now() - t;
    calls++;
  } while (now() - w0 < budget.warmupMs || calls < 1);
  const perSample = Math.max(1, Math.min(1000, Math.ceil(2 / Math.max(last, 1e-4))));

  const times: number[] = [];
  const gcs = new GCProfiler();
  gcs.start();
  const s0 = now();
  while (times.length < budget.maxSamples && (times.length < budget.minSamples || now() - s0 < budget.budgetMs)) {
    const t = now();
    for (let i = 0; i < perSample; i++) fn();
    times.push((now() - t) / perSample);
  }
  const gc = gcPerCall(gcs.stop().statistics, times.length * perSample);
  return {
    medianMs: median(times),
    minMs: Math.min(...times),
    meanMs: times.reduce((a, b) => a + b, 0) / times.length,
    samples: times.length,
    callsPerSample: perSample,
    gc,
  };
}

/** measure() that turns a thrown error into an n/a result with its message. */
export function tryMeasure(fn: () => unknown, budget: Budget): Result {
  try {
    return measure(fn, budget);
  } catch (e) {
    return { na: `error: ${(e as Error).message.split("\n")[0]}` };
  }
}
