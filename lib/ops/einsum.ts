// torch.einsum: parses the equation (letters, one "..." per operand, implicit or explicit output),
// takes the diagonal of labels repeated within an operand, sums labels nothing else needs, then
// contracts the operands left to right, each pair as ONE batched GEMM: permute both to
// [batch, free, contracted] / [batch, contracted, free], reshape to 3-D, bmm, reshape back.
// Not here: PyTorch's opt_einsum path optimisation (the order is left to right, as without it).
// ref: https://pytorch.org/docs/1.13/generated/torch.einsum.html; aten/src/ATen/native/Linear.cpp.
import { rename } from "../autograd/node.js";
import { numelOf } from "../shape.js";
import { isFloating, promoteTypes } from "../dtype.js";
import { Tensor } from "../tensor.js";
import { binary, cast } from "./elementwise.js";
import { matmul } from "./matmul.js";
import { sum } from "./reduce.js";
import { diagonal } from "./triangular.js";
import { expand, permute, reshape, unsqueeze } from "./views.js";

/** One operand's subscripts: its letters, and where its "..." sits (-1: none). */
interface Term {
  letters: string[];
  ellipsisAt: number;
}

function parseTerm(term: string, at: number, which: string): Term {
  const letters: string[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < term.length; i++) {
    const ch = term[i];
    if (ch === ".") {
      if (term.slice(i, i + 3) !== "...") throw new RangeError(`einsum(): found '.' for ${which} that is not part of any ellipsis`);
      if (ellipsisAt >= 0) throw new RangeError(`einsum(): found more than one ellipsis for ${which}`);
      ellipsisAt = letters.length;
      i += 2;
    } else if (/^[a-zA-Z]$/.test(ch)) letters.push(ch);
    else {
      throw new RangeError(`einsum(): invalid subscript given at index ${at + i} in the equation string, subscripts must be in [a-zA-Z]`);
    }
  }
  return { letters, ellipsisAt };
}

/** Ellipsis dims get the labels "…0" .. "…E-1", right-aligned across operands. */
const ell = (i: number) => `…${i}`;

function termLabels(t: Term, ellipsisDims: number, totalEllipsis: number): string[] {
  if (t.ellipsisAt < 0) return [...t.letters];
  const e = Array.from({ length: ellipsisDims }, (_, i) => ell(totalEllipsis - ellipsisDims + i));
  return [...t.letters.slice(0, t.ellipsisAt), ...e, ...t.letters.slice(t.ellipsisAt)];
}

/** Sums the dims whose label is not in `keep`. */
function sumOut(t: Tensor, labels: string[], keep: Set<string>): [Tensor, string[]] {
  const drop = labels.map((l, i) => (keep.has(l) ? -1 : i)).filter((i) => i >= 0);
  if (drop.length === 0) return [t, labels];
  return [sum(t, drop), labels.filter((l) => keep.has(l))];
}

/** Takes the diagonal of every label that appears twice in one operand. */
function diagonals(t: Tensor, labels: string[], which: string): [Tensor, string[]] {
  for (;;) {
    const j = labels.findIndex((l, k) => labels.indexOf(l) !== k);
    if (j < 0) return [t, labels];
    const i = labels.indexOf(labels[j]);
    if (t.shape[i] !== t.shape[j]) {
      throw new RangeError(`einsum(): subscript ${labels[i]} is repeated for ${which} but the sizes don't match, ${t.shape[j]} != ${t.shape[i]}`);
    }
    const l = labels[i];
    t = diagonal(t, 0, i, j); // the diagonal becomes the last dim
    labels = [...labels.filter((_, k) => k !== i && k !== j), l];
  }
}

/** Sizes of a label in both operands must agree or one must be 1 (then it is expanded). */
function broadcastShared(a: Tensor, al: string[], b: Tensor, bl: string[]): [Tensor, Tensor] {
  const sa = [...a.shape];
  const sb = [...b.shape];
  al.forEach((l, i) => {
    const j = bl.indexOf(l);
    if (j < 0 || sa[i] === sb[j]) return;
    if (sa[i] !== 1 && sb[j] !== 1) {
      throw new RangeError(`einsum(): operands do not broadcast with remapped shapes (original->remapped): [${a.shape.join(", ")}] and [${b.shape.join(", ")}] at subscript ${l.startsWith("…") ? "..." : l}`);
    }
    if (sa[i] === 1) sa[i] = sb[j];
    else sb[j] = sa[i];
  });
  return [a.shape.every((s, i) => s === sa[i]) ? a : expand(a, sa), b.shape.every((s, i) => s === sb[i]) ? b : expand(b, sb)];
}

/** A x B over their shared labels: batch labels kept, the others contracted, as one bmm. */
function contract(a: Tensor, al: string[], b: Tensor, bl: string[], keep: Set<string>): [Tensor, string[]] {
  [a, b] = broadcastShared(a, al, b, bl);
  const shared = al.filter((l) => bl.includes(l));
  const batch = shared.filter((l) => keep.has(l));
  const summed = shared.filter((l) => !keep.has(l));
  const aFree = al.filter((l) => !bl.includes(l));
  const bFree = bl.filter((l) => !al.includes(l));
  const size = (t: Tensor, tl: string[], ls: string[]) => ls.map((l) => t.shape[tl.indexOf(l)]);
  const [nb, m, k, n] = [size(a, al, batch), size(a, al, aFree), size(a, al, summed), size(b, bl, bFree)].map(numelOf);
  // [batch, free, summed] x [batch, summed, free] -> [batch, aFree, bFree]
  const a3 = reshape(permute(a, [...batch, ...aFree, ...summed].map((l) => al.indexOf(l))), [nb, m, k]);
  const b3 = reshape(permute(b, [...batch, ...summed, ...bFree].map((l) => bl.indexOf(l))), [nb, k, n]);
  let prod: Tensor;
  const dt = promoteTypes(a3.dtype, b3.dtype);
  if (isFloating(dt)) prod = matmul(cast(a3, dt), cast(b3, dt), "bmm");
  else prod = sum(binary("mul", unsqueeze(a3, 3), unsqueeze(b3, 1)), 2);
  const shape = [...size(a, al, batch), ...size(a, al, aFree), ...size(b, bl, bFree)];
  return [reshape(prod, shape), [...batch, ...aFree, ...bFree]];
}

/** torch.einsum(equation, ...operands) or torch.einsum(equation, [operands]). */
export function einsum(equation: string, ...operands: (Tensor | readonly Tensor[])[]): Tensor {
  if (typeof equation !== "string") throw new TypeError(`einsum(): argument 'equation' must be str, not ${typeof equation}`);
  const ops = (operands.length === 1 && Array.isArray(operands[0]) ? [...operands[0]] : operands) as Tensor[];
  ops.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`einsum(): operand ${i} must be a Tensor`);
  });
  if (ops.length === 0) throw new RangeError("einsum(): must provide at least one operand");
  const arrow = equation.indexOf("->");
  const lhs = arrow < 0 ? equation : equation.slice(0, arrow);
  const rhs = arrow < 0 ? null : equation.slice(arrow + 2);
  const rawTerms = lhs.split(",");
  if (rawTerms.length < ops.length) throw new RangeError("einsum(): more operands were provided than specified in the equation");
  if (rawTerms.length > ops.length) throw new RangeError("einsum(): fewer operands were provided than specified in the equation");
  let at = 0;
  const terms = rawTerms.map((s, i) => {
    const t = parseTerm(s.replace(/ /g, ""), at, `operand ${i}`);
    at += s.length + 1;
    return t;
  });
  // How many dims each operand's "..." covers; the output's covers the widest.
  const ellipsisDims = terms.map((t, i) => {
    const x = ops[i];
    if (t.ellipsisAt < 0) {
      if (t.letters.length !== x.ndim) {
        throw new RangeError(`einsum(): the number of subscripts in the equation (${t.letters.length}) does not match the number of dimensions (${x.ndim}) for operand ${i} and no ellipsis was given`);
      }
      return 0;
    }
    if (t.letters.length > x.ndim) {
      throw new RangeError(`einsum(): the number of subscripts in the equation (${t.letters.length}) is more than the number of dimensions (${x.ndim}) for operand ${i}`);
    }
    return x.ndim - t.letters.length;
  });
  const totalEllipsis = Math.max(0, ...ellipsisDims);
  const labels = terms.map((t, i) => termLabels(t, ellipsisDims[i], totalEllipsis));
  const allEllipsis = Array.from({ length: totalEllipsis }, (_, i) => ell(i));
  // A label's size must agree across operands, or be 1 (broadcast), PyTorch's check.
  const seenSize = new Map<string, number>();
  labels.forEach((ls, i) => ls.forEach((l, d) => {
    const s = ops[i].shape[d];
    const prev = seenSize.get(l);
    if (prev === undefined || prev === 1) seenSize.set(l, s);
    else if (s !== 1 && s !== prev && !(labels[i].indexOf(l) !== d)) {
      const name = l.startsWith("…") ? "..." : l;
      throw new RangeError(`einsum(): subscript ${name} has size ${s} for operand ${i} which does not broadcast with previously seen size ${prev}`);
    }
  }));

  let output: string[];
  if (rhs === null) {
    // Implicit output: the ellipsis dims, then the letters that appear exactly once, sorted.
    const counts = new Map<string, number>();
    for (const t of terms) for (const l of t.letters) counts.set(l, (counts.get(l) ?? 0) + 1);
    output = [...allEllipsis, ...[...counts.keys()].filter((l) => counts.get(l) === 1).sort()];
  } else {
    const out = parseTerm(rhs.replace(/ /g, ""), arrow + 2, "the output");
    const seen = new Set<string>();
    for (const l of out.letters) {
      if (seen.has(l)) throw new RangeError(`einsum(): output subscript ${l} appears more than once in the output`);
      if (!terms.some((t) => t.letters.includes(l))) {
        throw new RangeError(`einsum(): output subscript ${l} does not appear in the equation for any input operand`);
      }
      seen.add(l);
    }
    output = termLabels(out, out.ellipsisAt < 0 ? 0 : totalEllipsis, totalEllipsis);
  }
  const outSet = new Set(output);

  // Per operand: diagonals of repeated labels, then sum what no one else needs.
  const needed = (from: number, extra: string[] = []) => new Set([...output, ...extra, ...labels.slice(from).flat()]);
  const prepared = ops.map((x, i) => diagonals(x, labels[i], `operand ${i}`));
  let [cur, curL] = sumOut(prepared[0][0], prepared[0][1], needed(1));
  for (let i = 1; i < prepared.length; i++) {
    const [b, bl] = sumOut(prepared[i][0], prepared[i][1], needed(i + 1, curL));
    [cur, curL] = contract(cur, curL, b, bl, needed(i + 1));
  }
  [cur, curL] = sumOut(cur, curL, outSet);
  const order = output.map((l) => curL.indexOf(l));
  const res = order.every((d, i) => d === i) ? cur : permute(cur, order);
  return ops.length === 1 && res === ops[0] ? rename(reshape(res, res.shape), "ViewBackward0") : res;
}
