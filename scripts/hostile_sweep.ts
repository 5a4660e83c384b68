// The hostile tester's sweep (issue #13, round two): new attacks on the classes of bugs the issue
// lists, run as a new user would, through the public API, on both backends. Each attack runs in
// try/catch inside a child process; an attack that kills the child (abort, heap exhaustion) or runs
// past the time limit is recorded as such and the sweep goes on in a fresh child from the next one.
// Usage: npx tsx scripts/hostile_sweep.ts [--backend js|native] [--only substring] [--limit seconds] [--verbose]
// (--limit: how long one attack may run before it counts as a hang; default 60 s)
// Prints one line per failing attack and a count per class and outcome. Exit status 1 if any failed.
// Expected behaviour and wording: PyTorch 1.13 (checked by hand with /usr/bin/python3).
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as torch from "../lib/index.js";
import type { Tensor } from "../lib/index.js";

type Cls = "1 sizes/walks" | "2 overlap/versions/dtypes" | "4 errors";
/** What an attack must do: throw an error whose message matches, or return a value `check` accepts. */
type Expect = { throws: RegExp } | { check: (r: unknown) => true | string };
interface Attack {
  cls: Cls;
  name: string;
  run: () => unknown;
  want: Expect;
}
type Outcome = "pass" | "wrong" | "leak" | "crash" | "hang";

const OVERLAP = /some elements of the input tensor and the written-to tensor refer to a single memory location/;
const INTERNAL = /more than one element of the written-to tensor refers to a single memory location/;
// torchlet names the op first ("add_: a leaf Variable ..."); in-place ops inside a graph are refused
// whole (torchlet's in-place ops are not differentiable), so a view of a leaf gets that error.
const LEAF = /a leaf Variable that requires grad is being used in an in-place operation\.$/;
const LEAF_VIEW = /a (view of a )?leaf Variable that requires grad is being used in an in-place operation\.$|in-place operations on tensors that are part of a graph are not supported/;
const VERSION = /one of the variables needed for gradient computation has been modified by an inplace operation/;
const ALLOC = /can't allocate memory|more than 2147483647 elements/;
const INT64 = /int64|without overflow/;
/** Messages from the JS engine or Node, not from torchlet: a leak, whatever the attack expected. */
const ENGINE =
  /Cannot read propert|Cannot set propert|Maximum call stack|Cannot mix BigInt|Invalid array length|Invalid typed array length|The value of "size"|is not a function|is not iterable|Cannot convert|cannot be converted to a BigInt|Array buffer allocation failed|Invalid string length|detached ArrayBuffer|Do not know how to serialize|undefined is not|null is not|\bundefined\b.*\bundefined\b|Offset is outside the bounds/;

const long = (xs: number[]) => torch.tensor(xs, { dtype: "int64" });
const throws = (re: RegExp): Expect => ({ throws: re });
const returns = (check: (r: unknown) => true | string = () => true): Expect => ({ check });
const lists = (want: unknown): Expect =>
  returns((r) => {
    const got = JSON.stringify((r as Tensor).tolist());
    return got === JSON.stringify(want) ? true : `got ${got}, want ${JSON.stringify(want)}`;
  });
const shaped = (shape: number[]): Expect =>
  returns((r) => (JSON.stringify((r as Tensor).shape) === JSON.stringify(shape) ? true : `shape ${JSON.stringify((r as Tensor).shape)}, want ${JSON.stringify(shape)}`));
const dtyped = (dtype: string, values?: unknown): Expect =>
  returns((r) => {
    const t = r as Tensor;
    if (t.dtype !== dtype) return `dtype ${t.dtype}, want ${dtype}`;
    if (values !== undefined && JSON.stringify(t.tolist()) !== JSON.stringify(values)) return `got ${JSON.stringify(t.tolist())}, want ${JSON.stringify(values)}`;
    return true;
  });
const prints = (s: string): Expect => returns((r) => (String(r) === s ? true : `printed ${String(r).slice(0, 120)}`));
const big = 2 ** 28;
const huge = (shape: number[]): Tensor => torch.zeros(shape.map(() => 1)).expand(shape);

const C1: Cls = "1 sizes/walks";
const C2: Cls = "2 overlap/versions/dtypes";
const C4: Cls = "4 errors";

function leafRequiringGrad(): Tensor {
  return torch.ones(3, { requiresGrad: true });
}

/** forward through f, modify what it saved under noGrad, then backward: must raise the version error. */
function staleSave(f: (x: Tensor) => Tensor, modify: (x: Tensor, y: Tensor) => void): () => unknown {
  return () => {
    const x = torch.randn(3, { requiresGrad: true });
    const y = f(x);
    const s = y.sum();
    torch.noGrad(() => modify(x, y));
    s.backward();
    return x.grad;
  };
}

const ATTACKS: Attack[] = [
  // ---- class 1: O(numel) walks over empty tensors with huge dims, from every creation path ----
  { cls: C1, name: "print full([2^28, 0])", run: () => String(torch.full([big, 0], 1)), want: prints("tensor([], size=(268435456, 0))") },
  { cls: C1, name: "print randn(2^28, 0)", run: () => String(torch.randn(big, 0)), want: prints("tensor([], size=(268435456, 0))") },
  { cls: C1, name: "print rand(0, 2^28) int64 via randint", run: () => String(torch.randint(0, 5, [0, big])), want: prints("tensor([], size=(0, 268435456), dtype=torch.int64)") },
  { cls: C1, name: "print eye(0, 2^28)", run: () => String(torch.eye(0, big)), want: prints("tensor([], size=(0, 268435456))") },
  { cls: C1, name: "print empty(2^28, 0).t()", run: () => String(torch.empty(big, 0).t()), want: prints("tensor([], size=(0, 268435456))") },
  { cls: C1, name: "print zeros(2^28, 0).expand(3, -1, -1)", run: () => String(torch.zeros(big, 0).expand(3, -1, -1)), want: prints("tensor([], size=(3, 268435456, 0))") },
  { cls: C1, name: "print bool ones(2^28, 0)", run: () => String(torch.ones(big, 0, { dtype: "bool" })), want: prints("tensor([], size=(268435456, 0), dtype=torch.bool)") },
  { cls: C1, name: "print zeros(2^28, 0, 2^28)", run: () => String(torch.zeros(big, 0, big)), want: prints("tensor([], size=(268435456, 0, 268435456))") },
  { cls: C1, name: "print arange(0).reshape(2^28, 0)", run: () => String(torch.arange(0).reshape(big, 0)), want: prints("tensor([], size=(268435456, 0), dtype=torch.int64)") },
  { cls: C1, name: "print zerosLike(zeros(2^28, 0))", run: () => String(torch.zerosLike(torch.zeros(big, 0))), want: prints("tensor([], size=(268435456, 0))") },
  { cls: C1, name: "sort(1) of zeros(2^28, 0)", run: () => torch.zeros(big, 0).sort(1).values, want: shaped([big, 0]) },
  { cls: C1, name: "flip(0) of zeros(2^28, 0)", run: () => torch.zeros(big, 0).flip(0), want: shaped([big, 0]) },
  { cls: C1, name: "roll(1, 0) of zeros(2^28, 0)", run: () => torch.zeros(big, 0).roll(1, 0), want: shaped([big, 0]) },
  { cls: C1, name: "cumsum(1) of zeros(2^28, 0)", run: () => torch.zeros(big, 0).cumsum(1), want: shaped([big, 0]) },
  { cls: C1, name: "softmax(1) of zeros(2^28, 0)", run: () => torch.zeros(big, 0).softmax(1), want: shaped([big, 0]) },
  { cls: C1, name: "unique of zeros(2^28, 0)", run: () => torch.zeros(big, 0).unique(), want: shaped([0]) },
  { cls: C1, name: "nonzero of zeros(2^28, 0)", run: () => torch.zeros(big, 0).nonzero(), want: shaped([0, 2]) },
  { cls: C1, name: "argsort(1) of zeros(2^28, 0)", run: () => torch.zeros(big, 0).argsort(1), want: shaped([big, 0]) },
  { cls: C1, name: "topk(0, 1) of zeros(2^28, 0)", run: () => torch.zeros(big, 0).topk(0, 1).values, want: shaped([big, 0]) },
  { cls: C1, name: "contiguous of zeros(2^28, 0).t()", run: () => torch.zeros(big, 0).t().contiguous(), want: shaped([0, big]) },
  { cls: C1, name: "flip(0) of zeros(2^28, 3, 0)", run: () => torch.zeros(big, 3, 0).flip(0), want: shaped([big, 3, 0]) },
  { cls: C1, name: "cumsum(2) of zeros(2^28, 3, 0)", run: () => torch.zeros(big, 3, 0).cumsum(2), want: shaped([big, 3, 0]) },
  { cls: C1, name: "cumprod(0) of zeros(3, 2^28, 0)", run: () => torch.zeros(3, big, 0).cumprod(0), want: shaped([3, big, 0]) },
  { cls: C1, name: "contiguous of zeros(2^28, 2^28, 0) permuted", run: () => torch.zeros(big, big, 0).permute(2, 1, 0).contiguous(), want: shaped([0, big, big]) },
  { cls: C1, name: "max() of an empty tensor", run: () => torch.zeros(0, 3).max(), want: throws(/^max\(\): Expected reduction dim to be specified for input\.numel\(\) == 0\./) },
  { cls: C1, name: "reshape(-1, 0) of an empty tensor", run: () => torch.zeros(0).reshape(-1, 0), want: throws(/cannot reshape tensor of 0 elements into shape \[-1, 0\] because the unspecified dimension size -1 can be any value and is ambiguous/) },
  // sizes checked before allocation, on every allocating entry point
  { cls: C1, name: "randint [2^31]", run: () => torch.randint(0, 10, [2 ** 31]), want: throws(ALLOC) },
  { cls: C1, name: "randn(2^31)", run: () => torch.randn(2 ** 31), want: throws(ALLOC) },
  { cls: C1, name: "full([2^16, 2^16])", run: () => torch.full([2 ** 16, 2 ** 16], 1), want: throws(ALLOC) },
  { cls: C1, name: "eye(2^16)", run: () => torch.eye(2 ** 16), want: throws(ALLOC) },
  { cls: C1, name: "linspace(0, 1, 2^31)", run: () => torch.linspace(0, 1, 2 ** 31), want: throws(ALLOC) },
  { cls: C1, name: "logspace(0, 1, 2^31)", run: () => torch.logspace(0, 1, 2 ** 31), want: throws(ALLOC) },
  { cls: C1, name: "arange(2^31)", run: () => torch.arange(2 ** 31), want: throws(ALLOC) },
  { cls: C1, name: "repeat(2^30) of ones(2)", run: () => torch.ones(2).repeat(2 ** 30), want: throws(ALLOC) },
  { cls: C1, name: "tile([2^16, 2^16])", run: () => torch.ones(1).tile([2 ** 16, 2 ** 16]), want: throws(ALLOC) },
  { cls: C1, name: "cat of two 2^30 expanded views", run: () => torch.cat([huge([2 ** 30]), huge([2 ** 30])]), want: throws(ALLOC) },
  { cls: C1, name: "stack of two 2^30 expanded views", run: () => torch.stack([huge([2 ** 30]), huge([2 ** 30])]), want: throws(ALLOC) },
  { cls: C1, name: "cat of 3000 expanded views", run: () => torch.cat(Array.from({ length: 3000 }, () => huge([2 ** 20]))), want: throws(ALLOC) },
  { cls: C1, name: "outer of two 2^16 vectors", run: () => torch.outer(huge([2 ** 16]), huge([2 ** 16])), want: throws(ALLOC) },
  { cls: C1, name: "diag of a 2^16 vector", run: () => torch.diag(huge([2 ** 16])), want: throws(ALLOC) },
  { cls: C1, name: "tril of a 2^16 x 2^16 view", run: () => torch.tril(huge([2 ** 16, 2 ** 16])), want: throws(ALLOC) },
  { cls: C1, name: "oneHot num_classes 2^31", run: () => torch.nn.functional.oneHot(long([0, 1]), 2 ** 31), want: throws(ALLOC) },
  { cls: C1, name: "interpolate scale 1e5", run: () => torch.nn.functional.interpolate(torch.ones(1, 1, 2, 2), { scaleFactor: 1e5 }), want: throws(ALLOC) },
  { cls: C1, name: "F.unfold of a 4096^2 view, kernel 64", run: () => torch.nn.functional.unfold(huge([1, 1, 4096, 4096]), 64), want: throws(ALLOC) },
  { cls: C1, name: "F.fold to a 2^16 x 2^16 output", run: () => torch.nn.functional.fold(torch.ones(1, 1, 1), [2 ** 16, 2 ** 16], 1, { stride: 2 ** 16 }), want: throws(ALLOC) },
  { cls: C1, name: "embedding of 2^31 indices", run: () => torch.nn.functional.embedding(torch.zeros(1, { dtype: "int64" }).expand(2 ** 31), torch.ones(2, 1)), want: throws(ALLOC) },
  { cls: C1, name: "bincount of [2^40]", run: () => torch.bincount(long([2 ** 40])), want: throws(ALLOC) },
  { cls: C1, name: "bincount minlength 2^40", run: () => torch.bincount(long([0]), undefined, 2 ** 40), want: throws(ALLOC) },
  { cls: C1, name: "cumsum of a 2^31 view", run: () => huge([2 ** 31]).cumsum(0), want: throws(ALLOC) },
  { cls: C1, name: "multinomial 2^31 samples", run: () => torch.multinomial(torch.ones(2), 2 ** 31, true), want: throws(ALLOC) },
  { cls: C1, name: "repeatInterleave 2^31", run: () => torch.repeatInterleave(torch.ones(1), 2 ** 31), want: throws(ALLOC) },
  { cls: C1, name: "pad to 2^31 columns", run: () => torch.nn.functional.pad(torch.ones(1, 1), [0, 2 ** 31]), want: throws(ALLOC) },
  { cls: C1, name: "adaptiveAvgPool2d to 2^16 x 2^16", run: () => torch.nn.functional.adaptiveAvgPool2d(torch.ones(1, 1, 2, 2), [2 ** 16, 2 ** 16]), want: throws(ALLOC) },
  { cls: C1, name: "maxPool2d of a 2^16 x 2^16 view", run: () => torch.nn.functional.maxPool2d(huge([1, 1, 2 ** 16, 2 ** 16]), 1), want: throws(ALLOC) },
  { cls: C1, name: "conv2d of a 2^16 x 2^16 view", run: () => torch.nn.functional.conv2d(huge([1, 1, 2 ** 16, 2 ** 16]), torch.ones(1, 1, 1, 1)), want: throws(ALLOC) },
  { cls: C1, name: "newFull [2^31]", run: () => torch.ones(1).newFull([2 ** 31], 1), want: throws(ALLOC) },
  { cls: C1, name: "zerosLike of a 2^32 view", run: () => torch.zerosLike(huge([2 ** 16, 2 ** 16])), want: throws(ALLOC) },
  { cls: C1, name: "empty(2^30, 2)", run: () => torch.empty(2 ** 30, 2), want: throws(ALLOC) },

  // ---- class 2: overlap of in-place and out= writes, on ops not covered before ----
  { cls: C2, name: "div_ partial overlap", run: () => { const x = torch.arange(1, 7).float(); return x.index("1:").div_(x.index(":-1")); }, want: throws(OVERLAP) },
  { cls: C2, name: "clamp_ with an overlapping min", run: () => { const x = torch.arange(6).float(); return x.index("1:").clamp_(x.index(":-1")); }, want: throws(OVERLAP) },
  { cls: C2, name: "maskedFill_ with an overlapping mask", run: () => { const b = torch.tensor([true, false, true, false]); return b.index("1:").maskedFill_(b.index(":-1"), true); }, want: throws(OVERLAP) },
  { cls: C2, name: "scatter_ with an overlapping src", run: () => ((x: Tensor) => x.scatter_(0, long([0, 1]), x.index("1:3")))(torch.arange(6).float()), want: throws(OVERLAP) },
  { cls: C2, name: "indexAdd_ with an overlapping source", run: () => ((x: Tensor) => x.indexAdd_(0, long([0, 1]), x.index("1:3")))(torch.arange(6).float()), want: throws(OVERLAP) },
  { cls: C2, name: "indexCopy_ with an overlapping source", run: () => ((x: Tensor) => x.indexCopy_(0, long([0, 1]), x.index("1:3")))(torch.arange(6).float()), want: throws(OVERLAP) },
  { cls: C2, name: "scatterAdd_ with an overlapping src", run: () => ((x: Tensor) => x.scatterAdd_(0, long([0, 1]), x.index("1:3")))(torch.arange(6).float()), want: throws(OVERLAP) },
  { cls: C2, name: "add_ of a transposed view into itself", run: () => ((m: Tensor) => m.t().add_(m))(torch.arange(9).float().reshape(3, 3)), want: throws(OVERLAP) },
  { cls: C2, name: "add_ into an expanded view", run: () => torch.zeros(1).expand(3).add_(1), want: throws(INTERNAL) },
  { cls: C2, name: "mul_ into an expanded view", run: () => torch.ones(1).expand(3).mul_(torch.tensor([1, 2, 3])), want: throws(INTERNAL) },
  { cls: C2, name: "copy_ into an expanded view", run: () => torch.zeros(1).expand(3).copy_(torch.ones(3)), want: throws(INTERNAL) },
  { cls: C2, name: "clamp_ of an expanded view", run: () => torch.zeros(1).expand(3).clamp_(1), want: throws(INTERNAL) },
  { cls: C2, name: "uniform_ of an expanded view", run: () => torch.zeros(1).expand(3).uniform_(), want: throws(INTERNAL) },
  { cls: C2, name: "normal_ of an expanded view", run: () => torch.zeros(2, 1).expand(2, 3).normal_(), want: throws(INTERNAL) },
  { cls: C2, name: "scatter_ into an expanded view", run: () => torch.zeros(1).expand(3).scatter_(0, long([0]), 1), want: throws(INTERNAL) },
  { cls: C2, name: "out= an expanded view", run: () => torch.add(torch.ones(3), 1, { out: torch.zeros(1).expand(3) }), want: throws(INTERNAL) },
  { cls: C2, name: "add_ into a stride-0 Tensor", run: () => new torch.Tensor(new Float32Array(1), [3], [0]).add_(1), want: throws(INTERNAL) },
  { cls: C2, name: "fill_ of an expanded view (allowed)", run: () => torch.zeros(1).expand(3).fill_(2), want: lists([2, 2, 2]) },
  // version counters through ops not covered before
  { cls: C2, name: "sigmoid output modified before backward", run: staleSave((x) => x.sigmoid(), (_x, y) => y.mul_(2)), want: throws(VERSION) },
  { cls: C2, name: "tanh output modified before backward", run: staleSave((x) => x.tanh(), (_x, y) => y.add_(1)), want: throws(VERSION) },
  { cls: C2, name: "sqrt output, modified through a view of a view", run: staleSave((x) => x.abs().sqrt(), (_x, y) => y.index("0:2").index(0).fill_(5)), want: throws(VERSION) },
  { cls: C2, name: "pow input modified through set", run: staleSave((x) => x.pow(2), (x) => x.set(0, 7)), want: throws(VERSION) },
  { cls: C2, name: "mul(x, x) input zeroed", run: staleSave((x) => x.mul(x), (x) => x.zero_()), want: throws(VERSION) },
  { cls: C2, name: "softmax output maskedFill_", run: staleSave((x) => x.softmax(0), (_x, y) => y.maskedFill_(torch.tensor([true, false, false]), 0)), want: throws(VERSION) },
  { cls: C2, name: "optimizer step on a tensor in a live graph", run: () => { const w = torch.randn(3, { requiresGrad: true }); const l = w.mul(w).sum(); const o = new torch.optim.SGD([w], { lr: 0.1 }); w.grad = torch.ones(3); o.step(); l.backward(); return w.grad; }, want: throws(VERSION) },
  { cls: C2, name: "add_ on a leaf requiring grad", run: () => leafRequiringGrad().add_(1), want: throws(LEAF) },
  { cls: C2, name: "fill_ on a leaf requiring grad", run: () => leafRequiringGrad().fill_(1), want: throws(LEAF) },
  { cls: C2, name: "zero_ on a leaf requiring grad", run: () => leafRequiringGrad().zero_(), want: throws(LEAF) },
  { cls: C2, name: "uniform_ on a leaf requiring grad", run: () => leafRequiringGrad().uniform_(), want: throws(LEAF) },
  { cls: C2, name: "copy_ on a leaf requiring grad", run: () => leafRequiringGrad().copy_(torch.zeros(3)), want: throws(LEAF) },
  { cls: C2, name: "maskedFill_ on a leaf requiring grad", run: () => leafRequiringGrad().maskedFill_(torch.tensor([true, false, true]), 0), want: throws(LEAF) },
  { cls: C2, name: "set on a leaf requiring grad", run: () => leafRequiringGrad().set(0, 1), want: throws(LEAF_VIEW) },
  { cls: C2, name: "add_ on a view of a leaf requiring grad", run: () => leafRequiringGrad().index(0).add_(1), want: throws(LEAF_VIEW) },
  { cls: C2, name: "add_ on a leaf under noGrad (allowed)", run: () => torch.noGrad(() => leafRequiringGrad().add_(1)), want: lists([2, 2, 2]) },
  // int64 / bool / uint8 write paths and promotion
  { cls: C2, name: "uint8 fill_(300)", run: () => torch.zeros(3, { dtype: "uint8" }).fill_(300), want: throws(/value cannot be converted to type uint8(_t)? without overflow/) },
  { cls: C2, name: "uint8 fill_(-1) wraps", run: () => torch.zeros(2, { dtype: "uint8" }).fill_(-1), want: lists([255, 255]) },
  { cls: C2, name: "uint8 set(0, 300)", run: () => torch.zeros(1, { dtype: "uint8" }).set(0, 300), want: throws(/without overflow/) },
  { cls: C2, name: "int8 tensor([300])", run: () => torch.tensor([300], { dtype: "int8" }), want: throws(/without overflow/) },
  { cls: C2, name: "int32 fill_(2^40)", run: () => torch.zeros(1, { dtype: "int32" }).fill_(2 ** 40), want: throws(/without overflow/) },
  { cls: C2, name: "int64 maskedFill 2.5 truncates", run: () => torch.zeros(3, { dtype: "int64" }).maskedFill_(torch.tensor([true, false, true]), 2.5), want: lists([2, 0, 2]) },
  { cls: C2, name: "bool maskedFill 5 is true", run: () => torch.zeros(3, { dtype: "bool" }).maskedFill_(torch.tensor([true, false, true]), 5), want: lists([true, false, true]) },
  { cls: C2, name: "int64 scatter_ of 2.5", run: () => torch.zeros(2, { dtype: "int64" }).scatter_(0, long([0]), 2.5), want: lists([2, 0]) },
  { cls: C2, name: "int64 clamp(0.5) promotes to float", run: () => long([1, 2]).clamp(0.5), want: dtyped("float32", [1, 2]) },
  { cls: C2, name: "int64 clamp_(0.5) refused", run: () => long([1, 2]).clamp_(0.5), want: throws(/result type Float can't be cast to the desired output type/) },
  { cls: C2, name: "where(cond, int64, float)", run: () => torch.where(torch.tensor([true, false]), long([1, 2]), torch.tensor([0.5, 0.5])), want: dtyped("float32", [1, 0.5]) },
  { cls: C2, name: "int64 * 0-d float64", run: () => long([1, 2]).mul(torch.tensor(0.5, { dtype: "float64" })), want: dtyped("float64", [0.5, 1]) },
  { cls: C2, name: "uint8 + int8 is int16", run: () => torch.tensor([1], { dtype: "uint8" }).add(torch.tensor([1], { dtype: "int8" })), want: dtyped("int16", [2]) },
  { cls: C2, name: "uint8 0 - 1 wraps", run: () => torch.tensor([0], { dtype: "uint8" }).sub(1), want: dtyped("uint8", [255]) },
  { cls: C2, name: "int8 127 + 1 wraps", run: () => torch.tensor([127], { dtype: "int8" }).add(1), want: dtyped("int8", [-128]) },
  { cls: C2, name: "uint8 sum is int64", run: () => torch.tensor([200, 200], { dtype: "uint8" }).sum(), want: dtyped("int64", 400) },
  { cls: C2, name: "int64 mean refused", run: () => long([1, 2]).mean(), want: throws(/mean\(\): could not infer output dtype/) },
  { cls: C2, name: "int64 std refused", run: () => long([1, 2]).std(), want: throws(/std and var only support floating point and complex dtypes/) },
  { cls: C2, name: "float -1 to uint8", run: () => torch.tensor([-1]).to("uint8"), want: lists([255]) },
  { cls: C2, name: "float NaN to bool", run: () => torch.tensor([NaN]).bool(), want: lists([true]) },
  { cls: C2, name: "float NaN to int64 refused", run: () => torch.tensor([NaN]).long(), want: throws(INT64) },
  { cls: C2, name: "int64 pow(-1) refused", run: () => long([2]).pow(-1), want: throws(/Integers to negative integer powers are not allowed/) },
  { cls: C2, name: "int64 remainder 0", run: () => long([2]).remainder(0), want: throws(/ZeroDivisionError/) },
  { cls: C2, name: "bool cumsum is int64", run: () => torch.tensor([true, true]).cumsum(0), want: dtyped("int64", [1, 2]) },
  { cls: C2, name: "float16 70000 is inf", run: () => torch.tensor([70000], { dtype: "float16" }), want: lists([Infinity]) },

  { cls: C2, name: "int64 add_(0.5) refused", run: () => long([1, 2]).add_(0.5), want: throws(/result type Float can't be cast to the desired output type Long/) },
  { cls: C2, name: "int64 mul_(1.5) refused", run: () => long([1, 2]).mul_(1.5), want: throws(/result type Float can't be cast to the desired output type Long/) },
  { cls: C2, name: "int64 div_(2) refused", run: () => long([1, 2]).div_(2), want: throws(/result type Float can't be cast to the desired output type Long/) },
  { cls: C2, name: "bool add_(1) refused", run: () => torch.tensor([true]).add_(1), want: throws(/result type Long can't be cast to the desired output type Bool/) },
  { cls: C2, name: "int32 add_(float tensor) refused", run: () => torch.tensor([1], { dtype: "int32" }).add_(torch.tensor([0.5])), want: throws(/result type Float can't be cast to the desired output type Int/) },
  { cls: C2, name: "int64 copy_ of floats truncates", run: () => long([1, 2]).copy_(torch.tensor([1.5, 2.5])), want: lists([1, 2]) },
  { cls: C2, name: "uint8 maskedFill_(300) refused", run: () => torch.zeros(2, { dtype: "uint8" }).maskedFill_(torch.tensor([true, false]), 300), want: throws(/without overflow/) },
  { cls: C2, name: "bool - bool refused", run: () => torch.tensor([true]).sub(torch.tensor([true])), want: throws(/Subtraction, the `-` operator, with two bool tensors is not supported/) },
  { cls: C2, name: "maximum(int64, float) is float", run: () => torch.maximum(long([1]), torch.tensor([0.5])), want: dtyped("float32", [1]) },
  { cls: C2, name: "scatter_ with self as src refused", run: () => ((x: Tensor) => x.scatter_(0, long([0, 1]), x))(torch.arange(3).float()), want: throws(OVERLAP) },
  { cls: C2, name: "clamp_(self) allowed", run: () => ((x: Tensor) => x.clamp_(x))(torch.arange(3).float()), want: lists([0, 1, 2]) },
  { cls: C2, name: "maskedFill_ with an element of self as value", run: () => ((x: Tensor) => x.maskedFill_(torch.tensor([true, false, false]), x.index(2)))(torch.arange(3).float()), want: lists([2, 1, 2]) },
  { cls: C2, name: "indexFill_ with an element of self as value", run: () => ((x: Tensor) => x.indexFill_(0, long([0]), x.index(2)))(torch.arange(3).float()), want: lists([2, 1, 2]) },
  { cls: C2, name: "int64 clamp_ with int64 tensors", run: () => long([1, 5]).clamp_(long([2, 2]), long([3, 3])), want: lists([2, 3]) },
  { cls: C2, name: "int64 fill_(2.7) truncates", run: () => long([1]).fill_(2.7), want: lists([2]) },
  { cls: C2, name: "int8 fill_(-129) refused", run: () => torch.zeros(1, { dtype: "int8" }).fill_(-129), want: throws(/without overflow/) },
  { cls: C2, name: "float16 fill_(1e5) refused", run: () => torch.zeros(1, { dtype: "float16" }).fill_(1e5), want: throws(/without overflow/) },
  { cls: C2, name: "uint8 neg wraps", run: () => torch.tensor([1], { dtype: "uint8" }).neg(), want: dtyped("uint8", [255]) },
  { cls: C2, name: "int8 abs(-128) wraps", run: () => torch.tensor([-128], { dtype: "int8" }).abs(), want: dtyped("int8", [-128]) },
  { cls: C2, name: "uint8 div is float", run: () => torch.tensor([3], { dtype: "uint8" }).div(2), want: dtyped("float32", [1.5]) },
  { cls: C2, name: "int32 prod is int64", run: () => torch.tensor([2 ** 16, 2 ** 16], { dtype: "int32" }).prod(), want: dtyped("int64", 2 ** 32) },
  { cls: C2, name: "uint8 cumsum is int64", run: () => torch.tensor([200, 200], { dtype: "uint8" }).cumsum(0), want: dtyped("int64", [200, 400]) },
  { cls: C2, name: "bool mean refused", run: () => torch.tensor([true]).mean(), want: throws(/mean\(\): could not infer output dtype/) },
  { cls: C2, name: "int64 eq(0.5) is false", run: () => long([0]).eq(0.5), want: lists([false]) },
  { cls: C2, name: "int64 lt(0.5) is true", run: () => long([0]).lt(0.5), want: lists([true]) },
  { cls: C2, name: "int8 sum is int64", run: () => torch.tensor([100, 100], { dtype: "int8" }).sum(), want: dtyped("int64", 200) },
  { cls: C2, name: "uint8 mul(256) wraps", run: () => torch.tensor([1], { dtype: "uint8" }).mul(256), want: dtyped("uint8", [0]) },
  { cls: C2, name: "int8 + 1000 wraps", run: () => torch.tensor([1], { dtype: "int8" }).add(1000), want: dtyped("int8", [-23]) },

  { cls: C2, name: "full float16 1e5 refused", run: () => torch.full([1], 1e5, { dtype: "float16" }), want: throws(/cannot be converted to type at::Half without overflow/) },
  { cls: C2, name: "float32 fill_(1e39) refused", run: () => torch.zeros(1).fill_(1e39), want: throws(/cannot be converted to type float without overflow/) },
  { cls: C2, name: "float16 maskedFill_(1e5) refused", run: () => torch.zeros(1, { dtype: "float16" }).maskedFill_(torch.tensor([true]), 1e5), want: throws(/without overflow/) },
  { cls: C2, name: "float16 set(0, 1e5) refused", run: () => torch.zeros(1, { dtype: "float16" }).set(0, 1e5), want: throws(/without overflow/) },
  { cls: C2, name: "bfloat16 fill_(1e39) refused", run: () => torch.zeros(1, { dtype: "bfloat16" }).fill_(1e39), want: throws(/cannot be converted to type at::BFloat16 without overflow/) },
  { cls: C2, name: "float32 clamp(1e39) refused", run: () => torch.zeros(1).clamp(1e39), want: throws(/without overflow/) },
  { cls: C2, name: "float16 scatter of 1e5 refused", run: () => torch.zeros(1, { dtype: "float16" }).scatter(0, long([0]), 1e5), want: throws(/without overflow/) },
  { cls: C2, name: "float32 fill_(Infinity) allowed", run: () => torch.zeros(1).fill_(Infinity), want: lists([Infinity]) },
  { cls: C2, name: "tensor(1e39) is inf", run: () => torch.tensor([1e39]), want: lists([Infinity]) },
  { cls: C2, name: "copy_ of float64 1e39 is inf", run: () => torch.zeros(1).copy_(torch.tensor([1e39], { dtype: "float64" })), want: lists([Infinity]) },
  { cls: C2, name: "float16 + 1e5 is inf", run: () => torch.zeros(1, { dtype: "float16" }).add(1e5), want: lists([Infinity]) },

  // ---- class 4: errors at the public API, never the engine's ----
  { cls: C4, name: "zeros(null)", run: () => torch.zeros(null as never), want: throws(/size must be|must be/) },
  { cls: C4, name: "zeros([2, null])", run: () => torch.zeros([2, null] as never), want: throws(/size must be a sequence of integers/) },
  { cls: C4, name: "zeros(NaN)", run: () => torch.zeros(NaN), want: throws(/size must be a sequence of integers/) },
  { cls: C4, name: "ones('3')", run: () => torch.ones("3" as never), want: throws(/size must be a sequence of integers/) },
  { cls: C4, name: "randn(1.5)", run: () => torch.randn(1.5), want: throws(/size must be a sequence of integers/) },
  { cls: C4, name: "rand(Infinity)", run: () => torch.rand(Infinity), want: throws(/size must be a sequence of integers/) },
  { cls: C4, name: "arange(NaN)", run: () => torch.arange(NaN), want: throws(/unsupported range: (0 -> nan|non-finite bound)/) },
  { cls: C4, name: "arange(0, Infinity)", run: () => torch.arange(0, Infinity), want: throws(/unsupported range: (0 -> inf|non-finite bound)/) },
  { cls: C4, name: "arange('5')", run: () => torch.arange("5" as never), want: throws(/must be/) },
  { cls: C4, name: "linspace(0, 1, -1)", run: () => torch.linspace(0, 1, -1), want: throws(/number of steps must be non-negative/) },
  { cls: C4, name: "linspace(0, 1, 1.5)", run: () => torch.linspace(0, 1, 1.5), want: throws(/steps|integer|int/) },
  { cls: C4, name: "eye(-1)", run: () => torch.eye(-1), want: throws(/n must be greater or equal to 0, got -1|negative dimension -1/) },
  { cls: C4, name: "eye(null)", run: () => torch.eye(null as never), want: throws(/must be int|integer/) },
  { cls: C4, name: "full([2], null)", run: () => torch.full([2], null as never), want: throws(/fill_value|must be|Number/i) },
  { cls: C4, name: "full([2], 'x')", run: () => torch.full([2], "x" as never), want: throws(/fill_value|must be|Number/i) },
  { cls: C4, name: "full([2], 3n)", run: () => torch.full([2], 3n as never), want: throws(/BigInt|bigint|must be/) },
  { cls: C4, name: "tensor(null)", run: () => torch.tensor(null as never), want: throws(/Could not infer dtype of|must be|expected/) },
  { cls: C4, name: "tensor([1, null])", run: () => torch.tensor([1, null] as never), want: throws(/Could not infer dtype of|expected numbers/) },
  { cls: C4, name: "tensor('abc')", run: () => torch.tensor("abc" as never), want: throws(/Could not infer dtype|expected|must be/) },
  { cls: C4, name: "tensor ragged [[1,2],[3]]", run: () => torch.tensor([[1, 2], [3]]), want: throws(/expected sequence of length 2 at dim 1 \(got 1\)/) },
  { cls: C4, name: "tensor([1n, 2n])", run: () => torch.tensor([1n, 2n] as never), want: returns() },
  { cls: C4, name: "reshape(null)", run: () => torch.ones(4).reshape(null as never), want: throws(/must be|shape/) },
  { cls: C4, name: "reshape(-1, -1)", run: () => torch.ones(4).reshape(-1, -1), want: throws(/only one dimension can be inferred/) },
  { cls: C4, name: "reshape(3)", run: () => torch.ones(4).reshape(3), want: throws(/shape '\[3\]' is invalid for input of size 4/) },
  { cls: C4, name: "view(2.5, 2)", run: () => torch.ones(4).view(2.5, 2), want: throws(/integers|int/) },
  { cls: C4, name: "expand(-2)", run: () => torch.ones(2).expand(-2), want: throws(/The expanded size of the tensor \(-2\) must match the existing size \(2\)|invalid size -2/) },
  { cls: C4, name: "expand(3) of size 2", run: () => torch.ones(2).expand(3), want: throws(/The expanded size of the tensor \(3\) must match the existing size \(2\) at non-singleton dimension 0/) },
  { cls: C4, name: "index(5) out of range", run: () => torch.ones(3).index(5), want: throws(/index 5 is out of bounds for dimension 0 with size 3/) },
  { cls: C4, name: "index(1.5)", run: () => torch.ones(3).index(1.5), want: throws(/integer|int|index/) },
  { cls: C4, name: "index(NaN)", run: () => torch.ones(3).index(NaN), want: throws(/integer|int|index/) },
  { cls: C4, name: "index(undefined)", run: () => torch.ones(3).index(undefined as never), want: throws(/index|must be/) },
  { cls: C4, name: "index('::0')", run: () => torch.ones(3).index("::0"), want: throws(/slice step cannot be zero|slice step must be positive/) },
  { cls: C4, name: "index('abc')", run: () => torch.ones(3).index("abc" as never), want: throws(/index|slice/) },
  { cls: C4, name: "index(float tensor)", run: () => torch.ones(3).index(torch.tensor([1.5])), want: throws(/tensors used as indices must be long, (int, )?byte or bool tensors/) },
  { cls: C4, name: "index(0) of a 0-d tensor", run: () => torch.tensor(5).index(0), want: throws(/invalid index of a 0-dim tensor|too many indices for tensor of dimension 0/) },
  { cls: C4, name: "index(1n)", run: () => torch.ones(3).index(1n as never), want: throws(/BigInt|index/) },
  { cls: C4, name: "sum(1.5)", run: () => torch.ones(3).sum(1.5), want: throws(/Dimension out of range|int/) },
  { cls: C4, name: "sum('0')", run: () => torch.ones(3).sum("0" as never), want: throws(/Dimension out of range|int|dim/) },
  { cls: C4, name: "transpose(0, 1) of a 0-d tensor", run: () => torch.tensor(5).transpose(0, 1), want: throws(/Dimension out of range \(expected to be in range of \[-1, 0\], but got 1\)/) },
  { cls: C4, name: "unbind of a 0-d tensor", run: () => torch.tensor(5).unbind(), want: throws(/Dimension specified as 0 but tensor has no dimensions/) },
  { cls: C4, name: "permute(0, 0)", run: () => torch.ones(2, 2).permute(0, 0), want: throws(/duplicate dims are not allowed/) },
  { cls: C4, name: "permute(1) of 2-d", run: () => torch.ones(2, 2).permute(1), want: throws(/number of dimensions in the tensor input does not match the length of the desired ordering of dimensions/) },
  { cls: C4, name: "narrow(0, 0, 10)", run: () => torch.ones(3).narrow(0, 0, 10), want: throws(/start \(0\) \+ length \(10\) exceeds dimension size \(3\)/) },
  { cls: C4, name: "chunk(0)", run: () => torch.ones(3).chunk(0), want: throws(/chunk expects `chunks` to be greater than 0, got: 0/) },
  { cls: C4, name: "split(0)", run: () => torch.ones(4).split(0), want: throws(/split_size can only be 0 if dimension size is 0/) },
  { cls: C4, name: "topk(10) of 3", run: () => torch.ones(3).topk(10), want: throws(/selected index k out of range/) },
  { cls: C4, name: "topk(-1)", run: () => torch.ones(3).topk(-1), want: throws(/selected index k out of range/) },
  { cls: C4, name: "gather out of range", run: () => torch.ones(3).gather(0, long([5])), want: throws(/index 5 is out of bounds for dimension 0 with size 3/) },
  { cls: C4, name: "gather with a float index", run: () => torch.ones(3).gather(0, torch.tensor([0])), want: throws(/gather\(\): Expected dtype int64 for index/) },
  { cls: C4, name: "indexSelect(-1)", run: () => torch.ones(3).indexSelect(0, long([-1])), want: throws(/index out of range in self/) },
  { cls: C4, name: "scatter out of range", run: () => torch.zeros(3).scatter(0, long([5]), 1), want: throws(/index 5 is out of bounds for dimension 0 with size 3/) },
  { cls: C4, name: "indexAdd out of range", run: () => torch.zeros(3).indexAdd(0, long([5]), torch.ones(1)), want: throws(/index out of range in self|index 5 is out of bounds for dimension 0 with size 3/) },
  { cls: C4, name: "add(null)", run: () => torch.ones(2).add(null as never), want: throws(/must be Tensor|Number|argument 'other'/) },
  { cls: C4, name: "add('1')", run: () => torch.ones(2).add("1" as never), want: throws(/must be Tensor|Number|argument 'other'/) },
  { cls: C4, name: "add(1n)", run: () => torch.ones(2).add(1n as never), want: throws(/BigInt|must be Tensor|argument 'other'/) },
  { cls: C4, name: "mul([1, 2])", run: () => torch.ones(2).mul([1, 2] as never), want: throws(/must be Tensor, not list|argument 'other'/) },
  { cls: C4, name: "add({})", run: () => torch.ones(2).add({} as never), want: throws(/must be Tensor|argument 'other'/) },
  { cls: C4, name: "matmul of 0-d tensors", run: () => torch.tensor(1).matmul(torch.tensor(2)), want: throws(/both arguments to matmul need to be at least 1D, but they are 0D and 0D/) },
  { cls: C4, name: "mm shape mismatch", run: () => torch.ones(2, 3).mm(torch.ones(2, 3)), want: throws(/mat1 and mat2 shapes cannot be multiplied \(2x3 and 2x3\)/) },
  { cls: C4, name: "matmul(null)", run: () => torch.ones(2).matmul(null as never), want: throws(/must be Tensor|argument|expected Tensor/) },
  { cls: C4, name: "cat of 0-d tensors", run: () => torch.cat([torch.tensor(1), torch.tensor(2)]), want: throws(/zero-dimensional tensor \(at position 0\) cannot be concatenated/) },
  { cls: C4, name: "cat([])", run: () => torch.cat([]), want: throws(/expected a non-empty list of Tensors/) },
  { cls: C4, name: "stack([])", run: () => torch.stack([]), want: throws(/stack expects a non-empty TensorList/) },
  { cls: C4, name: "cat([x, null])", run: () => torch.cat([torch.ones(1), null as never]), want: throws(/Tensor|position 1/) },
  { cls: C4, name: "cat('abc')", run: () => torch.cat("abc" as never), want: throws(/Tensor|sequence|list/) },
  { cls: C4, name: "item() of 2 elements", run: () => torch.ones(2).item(), want: throws(/a Tensor with 2 elements cannot be converted to Scalar|only one element tensors/) },
  { cls: C4, name: "neg of bool", run: () => torch.tensor([true]).neg(), want: throws(/Negation, the `-` operator, on a bool tensor is not supported/) },
  { cls: C4, name: "softmax of int64", run: () => long([1, 2]).softmax(0), want: throws(/not implemented for 'Long'/) },
  { cls: C4, name: "int64 mm float", run: () => torch.ones(2, 2, { dtype: "int64" }).mm(torch.ones(2, 2)), want: throws(/expected scalar type Long but found Float|same dtype|expected floating point operands, but got int64 and float32/) },
  { cls: C4, name: "randn int64", run: () => torch.randn(2, { dtype: "int64" }), want: throws(/"normal_kernel_cpu" not implemented for 'Long'/) },
  { cls: C4, name: "rand int64", run: () => torch.rand(2, { dtype: "int64" }), want: throws(/not implemented for 'Long'/) },
  { cls: C4, name: "requiresGrad_ on int64", run: () => torch.ones(2, { dtype: "int64" }).requiresGrad_(), want: throws(/only Tensors of floating point (and complex )?dtype can require gradients/) },
  { cls: C4, name: "ones int64 requiresGrad", run: () => torch.ones(2, { dtype: "int64", requiresGrad: true }), want: throws(/only Tensors of floating point (and complex )?dtype can require gradients/) },
  { cls: C4, name: "oneHot of -1", run: () => torch.nn.functional.oneHot(long([-1])), want: throws(/Class values must be non-negative\./) },
  { cls: C4, name: "oneHot of a float tensor", run: () => torch.nn.functional.oneHot(torch.tensor([1])), want: throws(/one_hot is only applicable to index tensor\./) },
  { cls: C4, name: "setNumThreads(0)", run: () => torch.setNumThreads(0), want: throws(/positive integer/) },
  { cls: C4, name: "setNumThreads(NaN)", run: () => torch.setNumThreads(NaN), want: throws(/positive integer/) },
  { cls: C4, name: "Linear(-1, 2)", run: () => new torch.nn.Linear(-1, 2), want: throws(/Trying to create tensor with negative dimension -1/) },
  { cls: C4, name: "Linear(2.5, 3)", run: () => new torch.nn.Linear(2.5, 3), want: throws(/integer|int/) },
  { cls: C4, name: "Conv2d stride 0", run: () => new torch.nn.Conv2d(1, 1, 3, { stride: 0 }).forward(torch.ones(1, 1, 5, 5)), want: throws(/non-positive stride is not supported/) },
  { cls: C4, name: "Embedding(-1, 3)", run: () => new torch.nn.Embedding(-1, 3), want: throws(/negative dimension -1/) },
  { cls: C4, name: "Dropout(1.5)", run: () => new torch.nn.Dropout(1.5), want: throws(/dropout probability has to be between 0 and 1, but got 1\.5/) },
  { cls: C4, name: "SGD([])", run: () => new torch.optim.SGD([], { lr: 0.1 }), want: throws(/optimizer got an empty parameter list/) },
  { cls: C4, name: "SGD lr -1", run: () => new torch.optim.SGD([torch.ones(1, { requiresGrad: true })], { lr: -1 }), want: throws(/Invalid learning rate: -1/) },
  { cls: C4, name: "Adam betas (1.5, 0.9)", run: () => new torch.optim.Adam([torch.ones(1, { requiresGrad: true })], { betas: [1.5, 0.9] }), want: throws(/Invalid beta parameter at index 0: 1\.5/) },
  { cls: C4, name: "maxPool2d kernel 0", run: () => torch.nn.functional.maxPool2d(torch.ones(1, 1, 4, 4), 0), want: throws(/stride should not be zero|kernel_size must be greater than zero/) },
  { cls: C4, name: "randint(5, 5)", run: () => torch.randint(5, 5, [2]), want: throws(/random_ expects 'from' to be less than 'to', but got from=5 >= to=5/) },
  { cls: C4, name: "interpolate scale -1", run: () => torch.nn.functional.interpolate(torch.ones(1, 1, 2, 2), { scaleFactor: -1 }), want: throws(/Input and output sizes should be greater than 0/) },
  { cls: C4, name: "repeat(-1)", run: () => torch.ones(2).repeat(-1), want: throws(/Trying to create tensor with negative dimension -[12]/) },
  { cls: C4, name: "repeat(2) of 2-d", run: () => torch.ones(2, 2).repeat(2), want: throws(/Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor/) },
  { cls: C4, name: "tril of 1-d", run: () => torch.ones(3).tril(), want: throws(/Dimension out of range|tril: input tensor must have at least 2 dimensions/) },
  { cls: C4, name: "diag of 3-d", run: () => torch.ones(2, 2, 2).diag(), want: throws(/matrix or a vector expected/) },
  { cls: C4, name: "unsqueeze(5)", run: () => torch.ones(2).unsqueeze(5), want: throws(/Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)/) },
  { cls: C4, name: "crossEntropy target out of range", run: () => torch.nn.functional.crossEntropy(torch.ones(2, 3), long([0, 5])), want: throws(/Target 5 is out of bounds\./) },
  { cls: C4, name: "nllLoss float target", run: () => torch.nn.functional.nllLoss(torch.ones(2, 3), torch.tensor([0, 1])), want: throws(/expected scalar type Long but found Float/) },
  { cls: C4, name: "embedding index out of range", run: () => torch.nn.functional.embedding(long([5]), torch.ones(3, 2)), want: throws(/index out of range in self/) },
  { cls: C4, name: "embedding index -1", run: () => torch.nn.functional.embedding(long([-1]), torch.ones(3, 2)), want: throws(/index out of range in self/) },
  { cls: C4, name: "where shape mismatch", run: () => torch.where(torch.tensor([true, false]), torch.ones(3), torch.ones(3)), want: throws(/The size of tensor a \(2\) must match the size of tensor b \(3\)/) },
  { cls: C4, name: "bincount of -1", run: () => torch.bincount(long([-1])), want: throws(/bincount only supports 1-d non-negative integral inputs\./) },
  { cls: C4, name: "manualSeed('a')", run: () => torch.manualSeed("a" as never), want: throws(/seed|int|must be/) },
  { cls: C4, name: "manualSeed(NaN)", run: () => torch.manualSeed(NaN), want: throws(/seed|int|must be/) },
  { cls: C4, name: "backward of a non-scalar without gradient", run: () => torch.ones(2, { requiresGrad: true }).mul(2).backward(), want: throws(/grad can be implicitly created only for scalar outputs/) },
  { cls: C4, name: "backward of a tensor not requiring grad", run: () => torch.ones(1).sum().backward(), want: throws(/element 0 of tensors does not require grad and does not have a grad_fn/) },
  { cls: C4, name: "to('float128')", run: () => torch.ones(1).to("float128" as never), want: throws(/dtype|float128/) },
  { cls: C4, name: "ones({ dtype: 'complex64' })", run: () => torch.ones(1, { dtype: "complex64" }), want: throws(/dtype|complex64/) },
];

/** Runs attacks [from, …) here, reporting each over IPC; sends "start" first so a crash is attributed. */
function child(backendName: "js" | "native", from: number, only: string | undefined): void {
  torch.setBackend(backendName);
  const threads = backendName === "native" ? torch.getNumThreads() : 1;
  for (let i = from; i < ATTACKS.length; i++) {
    const a = ATTACKS[i];
    if (only !== undefined && !a.name.includes(only)) continue;
    process.send!({ start: i });
    const [outcome, detail] = judge(a);
    process.send!({ i, outcome, detail });
    if (backendName === "native" && torch.getNumThreads() !== threads) torch.setNumThreads(threads);
  }
  process.send!({ done: true }, () => process.exit(0));
}

function judge(a: Attack): [Outcome, string] {
  let result: unknown;
  try {
    result = a.run();
  } catch (e) {
    const msg = e instanceof Error ? `${e.constructor.name}: ${e.message}` : `non-Error thrown: ${String(e)}`;
    if (!(e instanceof Error) || ENGINE.test(msg)) return ["leak", msg];
    if ("throws" in a.want) return a.want.throws.test(e.message) ? ["pass", ""] : ["wrong", `threw ${msg.slice(0, 300)}`];
    return ["wrong", `threw ${msg.slice(0, 300)}`];
  }
  if ("throws" in a.want) return ["wrong", `returned ${describe(result)}, want an error matching ${a.want.throws}`];
  try {
    const ok = a.want.check(result);
    return ok === true ? ["pass", ""] : ["wrong", ok];
  } catch (e) {
    return ["leak", `checking the result threw ${String(e)}`];
  }
}

function describe(r: unknown): string {
  try {
    if (r instanceof torch.Tensor) return `a tensor of shape [${r.shape.join(", ")}], dtype ${r.dtype}`;
    return String(r).slice(0, 100);
  } catch {
    return "(unprintable)";
  }
}

interface Row {
  backend: string;
  attack: Attack;
  outcome: Outcome;
  detail: string;
}

/** Runs every attack on one backend in children, restarting after a crash or a hang. */
async function sweep(backendName: "js" | "native", only: string | undefined, limitMs: number): Promise<Row[]> {
  const rows: Row[] = [];
  let from = 0;
  while (from < ATTACKS.length) {
    from = await new Promise<number>((resolve) => {
      const proc = fork(fileURLToPath(import.meta.url), ["--child", backendName, String(from), only ?? ""], {
        execArgv: [...process.execArgv, "--max-old-space-size=3072"],
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
      let current = -1;
      let timer: NodeJS.Timeout | undefined;
      let stderr = "";
      proc.stderr!.on("data", (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-400)));
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          if (current < 0) return; // its result came in already
          rows.push({ backend: backendName, attack: ATTACKS[current], outcome: "hang", detail: `still running after ${limitMs / 1000} s` });
          proc.kill("SIGKILL");
          current = -2; // recorded
        }, limitMs);
      };
      proc.on("message", (m: { start?: number; i?: number; outcome?: Outcome; detail?: string; done?: boolean }) => {
        if (m.start !== undefined) {
          if (current === -2) return;
          current = m.start;
          arm();
        } else if (m.i !== undefined) {
          clearTimeout(timer);
          if (current === -2) return; // a killed child's last words: already recorded as a hang
          rows.push({ backend: backendName, attack: ATTACKS[m.i], outcome: m.outcome!, detail: m.detail! });
          current = -1;
        }
      });
      proc.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (current >= 0) {
          rows.push({ backend: backendName, attack: ATTACKS[current], outcome: "crash", detail: `child died (${signal ?? code}): ${stderr.trim().split("\n").slice(-2).join(" | ")}` });
        }
        const last = rows.filter((r) => r.backend === backendName).length;
        resolve(current === -1 && code === 0 ? ATTACKS.length : Math.max(from + 1, indexAfter(rows, backendName, last)));
      });
    });
  }
  return rows;
}

/** The index after the last attack recorded for this backend (attacks run in order). */
function indexAfter(rows: Row[], backendName: string, _n: number): number {
  const mine = rows.filter((r) => r.backend === backendName);
  return mine.length === 0 ? 0 : ATTACKS.indexOf(mine[mine.length - 1].attack) + 1;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === "--child") return child(args[1] as "js" | "native", Number(args[2]), args[3] || undefined);
  const pick = args.includes("--backend") ? [args[args.indexOf("--backend") + 1] as "js" | "native"] : torch.availableBackends();
  const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
  const verbose = args.includes("--verbose");
  const limitS = args.includes("--limit") ? Number(args[args.indexOf("--limit") + 1]) : 60;
  const rows: Row[] = [];
  for (const b of pick) rows.push(...(await sweep(b, only, limitS * 1000)));
  const counts = new Map<string, number>();
  for (const r of rows) {
    const key = `${r.backend}\t${r.attack.cls}\t${r.outcome}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (r.outcome !== "pass" || verbose) console.log(`${r.outcome.toUpperCase().padEnd(5)} [${r.backend}] (${r.attack.cls}) ${r.attack.name}${r.detail ? ": " + r.detail : ""}`);
  }
  console.log(`\n${ATTACKS.length} attacks per backend`);
  for (const [k, n] of [...counts].sort()) console.log(`${k}\t${n}`);
  process.exitCode = rows.some((r) => r.outcome !== "pass") ? 1 : 0;
}

await main();
