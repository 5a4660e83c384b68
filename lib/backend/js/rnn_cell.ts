// The fused LSTM/GRU cell steps of the JS backend (Backend.lstmCellForward ... in ../types.ts): the
// exact semantics native/rnn_cell.cc reproduces. Every value is the composed tensor ops' value, op
// for op: float32 rounds after each operation (Math.fround, as storing into a Float32Array does),
// float64 not at all; sigmoid and tanh are the JS backend's own (scalar.ts), so a fused step equals
// the JS backend's composed step bit for bit (the compositions: lstmGates / gruGates in lib/nn and,
// for the backward, test/rnn_gates.test.ts). (1 - y) is written (-y) + 1, y.neg().add(1) composed
// (the same value as 1 - y: negation is exact).
// ref: aten/src/ATen/native/RNN.cpp (LSTMCell, GRUCell), derivatives.yaml (sigmoid/tanh backward).

import type { View } from "../types.js";
import { sigmoid } from "./scalar.js";
import { checkShaped, dtypeOf } from "./strided.js";

type Round = (x: number) => number;
const exact: Round = (x) => x;

/** Checks every operand is a contiguous [n, width] view of the first one's dtype (float32 or
 *  float64) and returns the rounding of that dtype. */
function rowsOf(op: string, n: number, operands: [string, View, number][]): Round {
  const dt = dtypeOf(operands[0][1].typedArray);
  if (dt !== "float32" && dt !== "float64") throw new TypeError(`${op}(): expected float32 or float64 views, got ${dt}`);
  for (const [name, v, width] of operands) {
    checkShaped(op, name, v, [n, width]);
    if (dtypeOf(v.typedArray) !== dt) throw new TypeError(`${op}(): ${name} must be ${dt}, got ${dtypeOf(v.typedArray)}`);
    if ((n > 1 && width > 0 && v.strides[0] !== width) || (width > 1 && v.strides[1] !== 1)) throw new RangeError(`${op}(): ${name} must be contiguous`);
  }
  return dt === "float32" ? Math.fround : exact;
}

/** [n, H] from a 2-D state view. */
function stateDims(op: string, name: string, v: View): [number, number] {
  if (v.shape.length !== 2) throw new RangeError(`${op}(): ${name} must be 2-D, got shape [${v.shape}]`);
  return [v.shape[0], v.shape[1]];
}

export function lstmCellForward(gi: View, hh: View, cPrev: View, gates: View, c: View, tanhC: View, h: View): void {
  const [n, H] = stateDims("lstmCellForward", "cPrev", cPrev);
  const G = 4 * H;
  const r = rowsOf("lstmCellForward", n, [["gi", gi, G], ["hh", hh, G], ["cPrev", cPrev, H], ["gates", gates, G], ["c", c, H], ["tanhC", tanhC, H], ["h", h, H]]);
  const a = gi.typedArray, b = hh.typedArray, cp = cPrev.typedArray, g = gates.typedArray, cd = c.typedArray, tc = tanhC.typedArray, hd = h.typedArray;
  for (let row = 0; row < n; row++) {
    const ia = gi.offset + row * G, ib = hh.offset + row * G, ig = gates.offset + row * G;
    for (let j = 0; j < G; j++) {
      const pre = r(a[ia + j] + b[ib + j]);
      g[ig + j] = r(j >= 2 * H && j < 3 * H ? Math.tanh(pre) : sigmoid(pre));
    }
    const ic = cPrev.offset + row * H, io = c.offset + row * H, it = tanhC.offset + row * H, ih = h.offset + row * H;
    for (let j = 0; j < H; j++) {
      const i = g[ig + j], f = g[ig + H + j], gg = g[ig + 2 * H + j], o = g[ig + 3 * H + j];
      const cv = r(r(f * cp[ic + j]) + r(i * gg));
      cd[io + j] = cv;
      const t = r(Math.tanh(cv));
      tc[it + j] = t;
      hd[ih + j] = r(o * t);
    }
  }
}

export function lstmCellBackward(dh: View, gY: View, dc: View, gates: View, tanhC: View, cPrev: View, dPre: View, dcPrev: View): void {
  const [n, H] = stateDims("lstmCellBackward", "dh", dh);
  const G = 4 * H;
  const r = rowsOf("lstmCellBackward", n, [["dh", dh, H], ["gY", gY, H], ["dc", dc, H], ["gates", gates, G], ["tanhC", tanhC, H], ["cPrev", cPrev, H], ["dPre", dPre, G], ["dcPrev", dcPrev, H]]);
  const oneMinus = (y: number) => r(-y + 1);
  for (let row = 0; row < n; row++) {
    const ig = gates.offset + row * G, ip = dPre.offset + row * G;
    const g = gates.typedArray, dp = dPre.typedArray;
    for (let j = 0; j < H; j++) {
      const k = row * H + j;
      const i = g[ig + j], f = g[ig + H + j], gg = g[ig + 2 * H + j], o = g[ig + 3 * H + j], t = tanhC.typedArray[tanhC.offset + k];
      const dht = r(dh.typedArray[dh.offset + k] + gY.typedArray[gY.offset + k]);
      const dct = r(dc.typedArray[dc.offset + k] + r(r(dht * o) * oneMinus(r(t * t))));
      dp[ip + j] = r(r(r(dct * gg) * oneMinus(i)) * i);
      dp[ip + H + j] = r(r(r(dct * cPrev.typedArray[cPrev.offset + k]) * oneMinus(f)) * f);
      dp[ip + 2 * H + j] = r(r(dct * i) * oneMinus(r(gg * gg)));
      dp[ip + 3 * H + j] = r(r(r(dht * t) * oneMinus(o)) * o);
      dcPrev.typedArray[dcPrev.offset + k] = r(dct * f); // last: dcPrev may be dc
    }
  }
}

export function gruCellForward(gi: View, hh: View, hPrev: View, gates: View, h: View): void {
  const [n, H] = stateDims("gruCellForward", "hPrev", hPrev);
  const G = 3 * H;
  const r = rowsOf("gruCellForward", n, [["gi", gi, G], ["hh", hh, G], ["hPrev", hPrev, H], ["gates", gates, G], ["h", h, H]]);
  const a = gi.typedArray, b = hh.typedArray, hp = hPrev.typedArray, g = gates.typedArray, hd = h.typedArray;
  for (let row = 0; row < n; row++) {
    const ia = gi.offset + row * G, ib = hh.offset + row * G, ig = gates.offset + row * G;
    for (let j = 0; j < 2 * H; j++) g[ig + j] = r(sigmoid(r(a[ia + j] + b[ib + j])));
    const ip = hPrev.offset + row * H, ih = h.offset + row * H;
    for (let j = 0; j < H; j++) {
      const nv = r(Math.tanh(r(a[ia + 2 * H + j] + r(g[ig + j] * b[ib + 2 * H + j]))));
      g[ig + 2 * H + j] = nv;
      hd[ih + j] = r(r(r(hp[ip + j] - nv) * g[ig + H + j]) + nv);
    }
  }
}

export function gruCellBackward(dh: View, gY: View, gates: View, hh: View, hPrev: View, dGi: View, dGh: View, dDiff: View): void {
  const [n, H] = stateDims("gruCellBackward", "dh", dh);
  const G = 3 * H;
  const r = rowsOf("gruCellBackward", n, [["dh", dh, H], ["gY", gY, H], ["gates", gates, G], ["hh", hh, G], ["hPrev", hPrev, H], ["dGi", dGi, G], ["dGh", dGh, G], ["dDiff", dDiff, H]]);
  const oneMinus = (y: number) => r(-y + 1);
  const g = gates.typedArray, di = dGi.typedArray, dg = dGh.typedArray;
  for (let row = 0; row < n; row++) {
    const ig = gates.offset + row * G, ii = dGi.offset + row * G, ih = dGh.offset + row * G, ihh = hh.offset + row * G + 2 * H;
    for (let j = 0; j < H; j++) {
      const k = row * H + j;
      const rr = g[ig + j], z = g[ig + H + j], nv = g[ig + 2 * H + j];
      const D = r(dh.typedArray[dh.offset + k] + gY.typedArray[gY.offset + k]);
      const diff = r(D * z);
      const dz = r(D * r(hPrev.typedArray[hPrev.offset + k] - nv));
      const da = r(r(D - diff) * oneMinus(r(nv * nv)));
      const dr = r(da * hh.typedArray[ihh + j]);
      const drPre = r(r(dr * oneMinus(rr)) * rr);
      const dzPre = r(r(dz * oneMinus(z)) * z);
      di[ii + j] = drPre;
      di[ii + H + j] = dzPre;
      di[ii + 2 * H + j] = da;
      dg[ih + j] = drPre;
      dg[ih + H + j] = dzPre;
      dg[ih + 2 * H + j] = r(da * rr);
      dDiff.typedArray[dDiff.offset + k] = diff; // last: dDiff may be dh
    }
  }
}
