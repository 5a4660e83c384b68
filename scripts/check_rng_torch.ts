// torchlet's half of scripts/check_rng_torch.py (run that one): reads the cases and PyTorch's outputs
// from DIR, computes torchlet's and prints, per case, how many elements differ in any bit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as torch from "../lib/index.js";

type Case = { kind: string; seed?: number; n?: number; dtype?: "float32" | "float64"; mean?: number; std?: number; fn?: string; shape?: number[]; num?: number; dim?: number; start?: number; end?: number; steps?: number; base?: number; file: string; out_dtype: string };

function run(c: Case): torch.Tensor {
  const dtype = c.dtype ?? "float32";
  if (c.seed !== undefined) torch.manualSeed(c.seed);
  switch (c.kind) {
    case "randn": return torch.randn([c.n!], { dtype });
    case "normal": return torch.empty([c.n!], { dtype }).normal_(c.mean, c.std);
    case "stream": return torch.cat([torch.randn([3], { dtype }), torch.randn([100], { dtype }), torch.randn([7], { dtype }), torch.randn([33], { dtype })]);
    case "strided": return torch.empty([20, 30], { dtype }).t().normal_(0.5, 2.0);
    case "init": {
      const t = torch.empty(c.shape!);
      const init = torch.nn.init as unknown as Record<string, (t: torch.Tensor) => torch.Tensor>;
      return init[c.fn!](t);
    }
    case "embedding": return new torch.nn.Embedding(c.num!, c.dim!).weight.detach();
    case "linspace": return torch.linspace(c.start!, c.end!, c.steps!, { dtype });
    case "logspace": return torch.logspace(c.start!, c.end!, c.steps!, c.base!, { dtype });
  }
  throw new Error(c.kind);
}

const dir = process.argv[2];
const cases = JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) as Case[];
const totals = new Map<string, [number, number, number]>(); // kind/dtype -> cases, elements, differing
let allBad = 0;
for (const c of cases) {
  const buf = readFileSync(join(dir, c.file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  const ref = c.out_dtype === "float64" ? new Float64Array(ab) : new Float32Array(ab);
  const out = run(c).contiguous();
  const got = out.typedArray as Float32Array | Float64Array;
  let bad = 0;
  if (out.dtype !== c.out_dtype || got.length !== ref.length) bad = ref.length || 1;
  else for (let i = 0; i < ref.length; i++) if (!Object.is(ref[i], got[i]) && !(Number.isNaN(ref[i]) && Number.isNaN(got[i]))) bad++;
  const { file: _f, out_dtype: _o, ...desc } = c;
  console.log(`${bad === 0 ? "ok  " : "DIFF"} ${String(bad).padStart(7)} / ${String(ref.length).padEnd(7)} ${JSON.stringify(desc)}`);
  const key = `${c.kind}/${c.out_dtype}`;
  const t = totals.get(key) ?? [0, 0, 0];
  totals.set(key, [t[0] + 1, t[1] + ref.length, t[2] + bad]);
  allBad += bad;
}
console.log("\nsummary (kind/dtype: cases, elements, differing elements)");
for (const [k, [nc, ne, nb]] of totals) console.log(`  ${k.padEnd(20)} ${String(nc).padStart(4)} cases ${String(ne).padStart(9)} elements ${String(nb).padStart(7)} differ`);
console.log(`total differing: ${allBad}`);
