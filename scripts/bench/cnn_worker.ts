// The torchlet half of one round of the conv and resnet families in `npm run bench:torch`: measures
// them on the native backend at 1 and 2 threads and prints one JSON line (with the FMA peak). The
// Python side runs this and PyTorch's workers alternately, so both see the same machine.
// Usage: tsx scripts/bench/cnn_worker.ts [--quick] [--only conv,resnet]
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { FULL, QUICK } from "./harness.js";
import { runConvFamily } from "./conv.js";
import { measurePeak } from "./peak.js";
import { runResnetFamily } from "./resnet.js";

const { values: a } = parseArgs({ options: { quick: { type: "boolean", default: false }, only: { type: "string", default: "conv,resnet" } } });
const fams = new Set(a.only.split(",").map((s) => s.trim()));
const progress = (s: string) => process.stderr.write(`  .. [torchlet] ${s}\n`);
const out: Record<string, unknown> = { peak: measurePeak(undefined), loadavgBefore: loadavg() };
if (fams.has("conv")) out.conv = runConvFamily(a.quick ? QUICK : FULL, progress);
if (fams.has("resnet")) out.resnet = runResnetFamily(a.quick, progress);
out.loadavgAfter = loadavg();
console.log(`BENCH_JSON ${JSON.stringify(out)}`);
