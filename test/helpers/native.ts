// The native backend for the tests that compare it with the JS one, set up once per test file.
import { afterAll } from "vitest";
import { loadAddon, type NativeAddon } from "../../lib/backend/addon.js";
import { loadNativeBackend, nativeInfo, setIsa, setNumThreads } from "../../lib/backend/native.js";
import type { Backend } from "../../lib/backend/types.js";

export interface NativeUnderTest {
  backend: Backend;
  addon: NativeAddon;
  /** The addon's state when the file started (its ISA and thread count are restored after it). */
  info: NonNullable<ReturnType<typeof nativeInfo>>;
  /** The ISAs this binary has and this CPU runs. */
  isas: string[];
}

/** Loads the addon or throws, lists the runnable ISAs, and restores ISA and threads after the file. */
export function nativeUnderTest(): NativeUnderTest {
  const loaded = loadNativeBackend();
  // NOTE: no skip when the addon is missing: a test run without it must fail, not pass quietly.
  if (loaded.backend === null) throw loaded.error;
  const info = nativeInfo()!;
  const isas = info.compiledIsas.filter((isa) => {
    try {
      setIsa(isa);
      return true;
    } catch {
      return false;
    }
  });
  setIsa(info.isa);
  afterAll(() => {
    setIsa(info.isa);
    setNumThreads(info.threads);
  });
  return { backend: loaded.backend, addon: loadAddon().addon as NativeAddon, info, isas };
}

/** Fails unless `run` gives the same bits on every ISA at every thread count (compared to the first
 *  count); restores the file's ISA and threads after. */
export function expectSameBitsAcrossThreads(t: NativeUnderTest, threads: number[], run: () => Float32Array): void {
  for (const isa of t.isas) {
    setIsa(isa);
    let first: Uint32Array | null = null;
    for (const n of threads) {
      setNumThreads(n);
      const bits = new Uint32Array(run().buffer);
      if (first === null) first = bits;
      for (let x = 0; x < bits.length; x++) {
        if (bits[x] !== first[x]) throw new Error(`${isa} t=${n}: element ${x} differs from t=${threads[0]}`);
      }
    }
  }
  setIsa(t.info.isa);
  setNumThreads(t.info.threads);
}
