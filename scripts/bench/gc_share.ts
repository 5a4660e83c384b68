// The table of V8's collections during a family's timed calls (harness.ts counts them): per case
// and thread count, full mark-compacts per 100 calls and the share of the call's time spent in
// the collector's main-thread pauses. What a kernel change cannot remove, and (as mark-compacts
// per call) a count that does not drift with the machine's load as the times do.
import { type Result, isNa } from "./harness.js";
import { Table } from "./report.js";

export interface GcRow {
  id?: string;
  label?: string;
  /** A second label column (direction, mode), if the family has one. */
  detail?: string;
  results: Record<string, Result>;
}

const IMPLS = ["native-1t", "native-2t"] as const;

/** The table for rows measured on native 1T / 2T; "" when no row has GC counts (older results). */
export function renderGcShare(family: string, rows: readonly GcRow[]): string {
  const t = new Table(`V8 garbage collection in the timed calls (${family}): full GCs per 100 calls; % of the time in GC pauses`,
    ["case", "", "major 1T", "pause 1T %", "major 2T", "pause 2T %"], [0, 0, 1, 1, 1, 1]);
  let any = false;
  for (const row of rows) {
    const cells = IMPLS.flatMap((impl) => {
      const r = row.results[impl];
      if (r === undefined || isNa(r) || r.gc === undefined) return [undefined, undefined];
      any = true;
      return [100 * r.gc.major, (100 * r.gc.pauseMs) / r.meanMs];
    });
    t.add([row.label ?? row.id ?? "", row.detail ?? "", ...cells]);
  }
  return any ? `\n${t}\n  pause: the main thread's time in V8's collector (scavenges, marking steps, mark-compacts);\n  the helper threads' concurrent marking is not in it.` : "";
}
