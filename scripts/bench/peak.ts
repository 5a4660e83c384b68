// The fp32 peak of one core, for the "fraction of peak" columns: measured by a tiny C probe of
// independent FMA chains (compiled with the system cc into a temp dir, max of several runs), with the
// formula pipes x lanes x 2 x clock(/proc/cpuinfo "cpu MHz") as the fallback and for reference.
// Does not touch the project's build. --peak-gflops N overrides both.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface Peak {
  /** GFLOP/s per core used for %peak. */
  perCore: number;
  source: "override" | "probe" | "formula";
  cpuMHz: number | null;
  /** flops/cycle x cpu MHz, the number the formula gives. */
  formula: number | null;
  flopsPerCycle: number;
  probe: number | null;
  note: string;
}

// NOTE: Zen 4 has two 256-bit FMA pipes; a 512-bit FMA runs as two halves, so AVX-512 and AVX2 both
// give 2 x 8 lanes x 2 flops = 32 fp32 flops per cycle. Zen 5 server cores (family 0x1A, this
// machine) and Intel server cores have two full 512-bit FMA pipes: 64. So the probe runs an AVX2 and,
// where the CPU has AVX-512F, an AVX-512 version, and the flops per cycle follow from their ratio.
const FLOPS_PER_CYCLE_256 = 32;

const PROBE_C = String.raw`
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#ifdef W512
#define V __m512
#define SET _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define STORE _mm512_storeu_ps
#define LANES 16
#else
#define V __m256
#define SET _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
#define STORE _mm256_storeu_ps
#define LANES 8
#endif
#define F(x) x=FMA(x,b,c)
int main(void){
  /* 10 independent chains: enough to cover FMA latency (4) x 2 pipes. Distinct seeds so the
     compiler cannot merge chains. */
  V b=SET(1.0000001f),c=SET(1e-7f);
  V a0=SET(0),a1=SET(1),a2=SET(2),a3=SET(3),a4=SET(4),a5=SET(5),a6=SET(6),a7=SET(7),a8=SET(8),a9=SET(9);
  double best=0;
  for(int r=0;r<8;r++){
    long n=4000000; double t0=now();
    for(long i=0;i<n;i++){F(a0);F(a1);F(a2);F(a3);F(a4);F(a5);F(a6);F(a7);F(a8);F(a9);}
    double g=n*10.0*2*LANES/(now()-t0)/1e9; if(g>best)best=g;
  }
  V s=ADD(ADD(ADD(a0,a1),ADD(a2,a3)),ADD(ADD(a4,a5),ADD(ADD(a6,a7),ADD(a8,a9))));
  float q[LANES]; STORE(q,s);
  printf("%f %f\n", best, q[0]);
  return 0;
}
`;

function cpuMHz(): number | null {
  try {
    const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function hasAvx512(): boolean {
  try {
    return /^flags\s*:.*\bavx512f\b/m.test(readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return false;
  }
}

/** Best GFLOP/s of the FMA probe (256- or 512-bit FMAs) over several runs, or null when it cannot be built or run. */
function probe(w512 = false): { gflops: number | null; why: string } {
  if (process.arch !== "x64") return { gflops: null, why: "the probe is x86-64 only" };
  const dir = mkdtempSync(join(tmpdir(), "torchlet-peak-"));
  try {
    writeFileSync(join(dir, "p.c"), PROBE_C);
    const flags = w512 ? ["-mavx512f", "-DW512"] : ["-mavx2", "-mfma"];
    const cc = spawnSync("cc", ["-O2", ...flags, "-o", join(dir, "p"), join(dir, "p.c")], { encoding: "utf8" });
    if (cc.status !== 0) return { gflops: null, why: `cc failed: ${(cc.stderr || cc.error?.message || "").split("\n")[0]}` };
    let best = 0;
    // NOTE: max of several runs: on a shared machine other processes only ever lower the number.
    for (let i = 0; i < 3; i++) best = Math.max(best, Number(execFileSync(join(dir, "p"), { encoding: "utf8" }).split(" ")[0]));
    return { gflops: best, why: "" };
  } catch (e) {
    return { gflops: null, why: (e as Error).message.split("\n")[0] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function measurePeak(override: number | undefined): Peak {
  const mhz = cpuMHz();
  const p256 = override === undefined ? probe() : { gflops: null, why: "" };
  const p512 = override === undefined && p256.gflops !== null && hasAvx512() ? probe(true) : { gflops: null, why: "" };
  // NOTE: full-width 512-bit pipes give about twice the AVX2 rate; double-pumped ones the same rate.
  const wide = p512.gflops !== null && p512.gflops > 1.5 * p256.gflops!;
  const FLOPS_PER_CYCLE = wide ? 2 * FLOPS_PER_CYCLE_256 : FLOPS_PER_CYCLE_256;
  const lanes = wide ? 16 : 8;
  const formula = mhz === null ? null : (FLOPS_PER_CYCLE * mhz) / 1000;
  const fText = mhz === null ? "no cpu MHz in /proc/cpuinfo" : `formula 2 FMA pipes x ${lanes} lanes x 2 x ${mhz.toFixed(0)} MHz = ${formula!.toFixed(1)}`;
  if (override !== undefined) {
    return { perCore: override, source: "override", cpuMHz: mhz, formula, flopsPerCycle: FLOPS_PER_CYCLE, probe: null, note: `--peak-gflops ${override} (${fText})` };
  }
  // The peak is the better probe either way (a 512-bit probe slowed by a busy core must not lower it).
  const p = p512.gflops !== null && p512.gflops > p256.gflops! ? p512 : p256;
  if (p.gflops !== null) {
    const clock = (p.gflops / FLOPS_PER_CYCLE) * 1000;
    // NOTE: a probe below the nominal-clock formula means other processes took the core (a VM's
    // cores do not run below nominal under load); then the formula is the better estimate.
    const low = formula !== null && p.gflops < formula;
    return {
      perCore: low ? formula! : p.gflops,
      source: low ? "formula" : "probe",
      cpuMHz: mhz,
      formula,
      flopsPerCycle: FLOPS_PER_CYCLE,
      probe: p.gflops,
      note: `FMA probe ${p.gflops.toFixed(1)} GFLOP/s (${p === p512 ? `AVX-512; AVX2 ${p256.gflops!.toFixed(1)}` : "AVX2"}; = ${FLOPS_PER_CYCLE} flop/cycle at ${clock.toFixed(0)} MHz); ${fText}` +
        (low ? "; probe below the formula (machine busy): using the formula" : ""),
    };
  }
  if (formula === null) return { perCore: NaN, source: "formula", cpuMHz: null, formula: null, flopsPerCycle: FLOPS_PER_CYCLE, probe: null, note: `no peak: ${p.why}; ${fText}` };
  return { perCore: formula, source: "formula", cpuMHz: mhz, formula, flopsPerCycle: FLOPS_PER_CYCLE, probe: null, note: `${fText} (probe unavailable: ${p.why})` };
}
