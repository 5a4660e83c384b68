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
// give 2 x 8 lanes x 2 flops = 32 fp32 flops per cycle (Intel server cores with two 512-bit FMA units
// give 64). The probe below checks this rather than trusting it.
const FLOPS_PER_CYCLE = 32;

const PROBE_C = String.raw`
#include <immintrin.h>
#include <stdio.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
#define F(x) x=_mm256_fmadd_ps(x,b,c)
int main(void){
  /* 10 independent chains: enough to cover FMA latency (4) x 2 pipes. Distinct seeds so the
     compiler cannot merge chains. */
  __m256 b=_mm256_set1_ps(1.0000001f),c=_mm256_set1_ps(1e-7f);
  __m256 a0=_mm256_set1_ps(0),a1=_mm256_set1_ps(1),a2=_mm256_set1_ps(2),a3=_mm256_set1_ps(3),a4=_mm256_set1_ps(4),
         a5=_mm256_set1_ps(5),a6=_mm256_set1_ps(6),a7=_mm256_set1_ps(7),a8=_mm256_set1_ps(8),a9=_mm256_set1_ps(9);
  double best=0;
  for(int r=0;r<8;r++){
    long n=4000000; double t0=now();
    for(long i=0;i<n;i++){F(a0);F(a1);F(a2);F(a3);F(a4);F(a5);F(a6);F(a7);F(a8);F(a9);}
    double g=n*10.0*16/(now()-t0)/1e9; if(g>best)best=g;
  }
  __m256 s=_mm256_add_ps(_mm256_add_ps(_mm256_add_ps(a0,a1),_mm256_add_ps(a2,a3)),
    _mm256_add_ps(_mm256_add_ps(a4,a5),_mm256_add_ps(_mm256_add_ps(a6,a7),_mm256_add_ps(a8,a9))));
  float q[8]; _mm256_storeu_ps(q,s);
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

/** Best GFLOP/s of the FMA probe over several runs, or null when it cannot be built or run. */
function probe(): { gflops: number | null; why: string } {
  if (process.arch !== "x64") return { gflops: null, why: "the probe is x86-64 only" };
  const dir = mkdtempSync(join(tmpdir(), "torchlet-peak-"));
  try {
    writeFileSync(join(dir, "p.c"), PROBE_C);
    const cc = spawnSync("cc", ["-O2", "-mavx2", "-mfma", "-o", join(dir, "p"), join(dir, "p.c")], { encoding: "utf8" });
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
  const formula = mhz === null ? null : (FLOPS_PER_CYCLE * mhz) / 1000;
  const fText = mhz === null ? "no cpu MHz in /proc/cpuinfo" : `formula 2 FMA pipes x 8 lanes x 2 x ${mhz.toFixed(0)} MHz = ${formula!.toFixed(1)}`;
  if (override !== undefined) {
    return { perCore: override, source: "override", cpuMHz: mhz, formula, flopsPerCycle: FLOPS_PER_CYCLE, probe: null, note: `--peak-gflops ${override} (${fText})` };
  }
  const p = probe();
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
      note: `FMA probe ${p.gflops.toFixed(1)} GFLOP/s (= ${FLOPS_PER_CYCLE} flop/cycle at ${clock.toFixed(0)} MHz); ${fText}` +
        (low ? "; probe below the formula (machine busy): using the formula" : ""),
    };
  }
  if (formula === null) return { perCore: NaN, source: "formula", cpuMHz: null, formula: null, flopsPerCycle: FLOPS_PER_CYCLE, probe: null, note: `no peak: ${p.why}; ${fText}` };
  return { perCore: formula, source: "formula", cpuMHz: mhz, formula, flopsPerCycle: FLOPS_PER_CYCLE, probe: null, note: `${fText} (probe unavailable: ${p.why})` };
}
