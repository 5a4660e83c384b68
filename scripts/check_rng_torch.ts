// torchlet's half of scripts/check_rng_torch.py (run that one): reads the cases and PyTorch's outputs
// from DIR, computes torchlet's and prints, per case, how many elements differ in any bit.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as torch from "../lib/index.js";

type Case = { kind: string; op?: string; seed?: number; n?: number; dtype?: torch.DType; mean?: number; std?: number; fn?: string; shape?: number[]; num?: number; dim?: number; start?: number; end?: number; steps?: number; base?: number; file: string; out_dtype: string };

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
    case "x": return runExtra(c.op!, c.n!, dtype);
  }
  throw new Error(c.kind);
}

/** The "x" cases: check_rng_torch.py's run_extra, line for line. */
function runExtra(op: string, n: number, dt: torch.DType): torch.Tensor {
  const ar = torch.arange(n, { dtype: "float64" });
  const e = () => torch.empty([n], { dtype: dt });
  const isBool = dt === "bool";
  switch (op) {
    case "normal_tf": return torch.normal(ar.mul(0.25).sub(1).to(dt), 0.75);
    case "normal_ft": return torch.normal(0.5, ar.mul(0.125).add(0.5).to(dt));
    case "normal_tt": return torch.normal(ar.mul(0.25).sub(1).to(dt), ar.mul(0.125).to(dt));
    case "normal_tt_bcast": return torch.normal(ar.mul(0.25).sub(1).to(dt), torch.tensor([[0.5], [2.0]], { dtype: dt }));
    case "normal_tt_mixed": return torch.normal(ar.mul(0.25).sub(1).to(dt), ar.mul(0.1).add(0.3).to(dt === "float64" ? "float32" : "float64"));
    case "normal_ff": return torch.normal(1.5, 2.0, [n], { dtype: dt });
    case "normal_gen": return torch.normal(ar.mul(0.25).to(dt), 1.0, { generator: new torch.Generator().manualSeed(5) });
    case "bernoulli_t": return torch.bernoulli(ar.remainder(11).div(10).to(dt));
    case "bernoulli_tp": return torch.zeros([n], { dtype: "int64" }).bernoulli_(ar.remainder(7).div(6).to(dt));
    case "bernoulli_s": return e().bernoulli_(0.3);
    case "poisson": return torch.poisson(ar.mul(1.7).remainder(30).to(dt));
    case "binomial": return torch.binomial(ar.remainder(40).add(1).to(dt), ar.remainder(9).add(0.5).div(10).to(dt));
    case "exponential": return e().exponential_(1.5);
    case "log_normal": return e().logNormal_(0.5, 0.8);
    case "cauchy": return e().cauchy_(1.0, 2.0);
    case "geometric": return e().geometric_(0.3);
    case "strided_exponential": return torch.empty([20, 30], { dtype: dt }).t().exponential_();
    case "strided_bernoulli": return torch.empty([20, 30], { dtype: dt }).t().bernoulli_(torch.full([30, 20], 0.4, { dtype: dt }));
    case "random": return e().random_();
    case "random_to": return e().random_(isBool ? 2 : 100);
    case "random_from_to": {
      const [a, b] = ({ bool: [0, 2], uint8: [3, 200], int8: [-100, 100] } as Record<string, number[]>)[dt] ?? [-5, 300];
      return e().random_(a, b);
    }
    case "random_from": return e().random_(isBool ? 0 : 3, null);
    case "random_wide": return e().random_(-(2 ** 40), 2 ** 41);
    case "random_full": return e().random_(-(2 ** 63), null);
    case "uniform": return e().uniform_(-2.5, 3.1);
    case "rand": return torch.rand([n], { dtype: dt });
    case "rand_like": return torch.randLike(e());
    case "randn_like": return torch.randnLike(e());
    case "strided_normal_small": return torch.empty([3, 4], { dtype: dt }).t().normal_(0.5, 2.0);
    case "strided_uniform": return torch.empty([20, 30], { dtype: dt }).t().uniform_(-1.0, 1.0);
    case "randint_wide": return torch.randint(-(2 ** 45), 2 ** 50, [n]);
    case "randint_like": return torch.randintLike(torch.empty([n], { dtype: dt }), isBool ? 0 : 3, isBool ? 2 : 50);
  }
  throw new Error(op);
}

/** PyTorch's bytes of a case's output as numbers (float16 / bfloat16 / bool were written as float32 / uint8). */
function readRef(ab: ArrayBuffer, dtype: string): ArrayLike<number> {
  switch (dtype) {
    case "float64": return new Float64Array(ab);
    case "int64": return Array.from(new BigInt64Array(ab), Number);
    case "int32": return new Int32Array(ab);
    case "int16": return new Int16Array(ab);
    case "int8": return new Int8Array(ab);
    case "uint8": return new Uint8Array(ab);
    default: return new Float32Array(ab);
  }
}

const dir = process.argv[2];
const cases = JSON.parse(readFileSync(join(dir, "cases.json"), "utf8")) as Case[];
const totals = new Map<string, [number, number, number]>(); // kind/dtype -> cases, elements, differing
let allBad = 0;
for (const c of cases) {
  const buf = readFileSync(join(dir, c.file));
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  const ref = readRef(ab, c.out_dtype);
  let out = run(c).contiguous();
  if (out.dtype === "float16" || out.dtype === "bfloat16") out = out.to("float32");
  if (out.dtype === "bool") out = out.to("uint8");
  const got = out.typedArray as ArrayLike<number>;
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
