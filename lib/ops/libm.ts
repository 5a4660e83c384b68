// Correctly rounded log / exp / sin / cos / tan of a double, for the random kernels' double paths.
// PyTorch's CPU kernels call glibc's scalar log, exp, sin, cos and tan, which round correctly in
// all but a vanishing fraction of cases; V8's Math.* (fdlibm) is off by one ulp in a few percent of
// them, so a seeded float64 randn / normal / exponential_ / log_normal_ / cauchy_ would differ from
// PyTorch's in the last bit now and then. These evaluate in double-double arithmetic (~106 bits)
// and round once: exp by reduction to r = x - k ln2, r / 256, Taylor series and eight squarings;
// log by one Newton step on Math.log's value against that exp; sin / cos / tan by reduction modulo
// pi/2 and Taylor series. About 20x the cost of Math.*.
// NOTE: arguments outside the kernels' ranges (|x| > 1e5 for the trigonometric ones, non-finite,
// subnormal results) fall back to Math.*.

// Double-double results are returned through these two (no allocation per call).
let H = 0;
let L = 0;

const SPLIT = 134217729; // 2^27 + 1

/** a * b exactly as H + L (Dekker). */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = a * SPLIT;
  const ah = t - (t - a), al = a - ah;
  t = b * SPLIT;
  const bh = t - (t - b), bl = b - bh;
  H = p;
  L = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** (ah + al) * (bh + bl) as H + L. */
function mulDD(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const p = H;
  const e = L + (ah * bl + al * bh);
  H = p + e;
  L = e - (H - p);
}

/** (ah + al) + (bh + bl) as H + L. */
function addDD(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const v = s - ah;
  let e = (ah - (s - v)) + (bh - v);
  e += al + bl;
  H = s + e;
  L = e - (H - s);
}

/** (ah + al) / (bh + bl) as H + L. */
function divDD(ah: number, al: number, bh: number, bl: number): void {
  const q1 = ah / bh;
  mulDD(q1, 0, bh, bl);
  addDD(ah, al, -H, -L);
  const q2 = H / bh;
  H = q1 + q2;
  L = q2 - (H - q1);
}

const LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996e-17, LN2_LO2 = 5.707708438416212e-34;
const PIO2_HI = 1.5707963267948966, PIO2_LO = 6.123233995736766e-17, PIO2_LO2 = -1.4973849048591698e-33;

/** 1/n! as double-doubles, n = 0..30. */
const INV_FACT_H = new Float64Array(31);
const INV_FACT_L = new Float64Array(31);
{
  let h = 1, l = 0;
  INV_FACT_H[0] = 1;
  for (let n = 1; n <= 30; n++) {
    divDD(h, l, n, 0);
    h = H;
    l = L;
    INV_FACT_H[n] = h;
    INV_FACT_L[n] = l;
  }
}

/** exp(x) as H + L by the slow route (Taylor of exp(r / 256) - 1, eight squarings): builds the table. */
function expSlowDD(x: number): void {
  const k = Math.round(x / LN2_HI);
  twoProd(k, LN2_HI);
  addDD(x, 0, -H, -L);
  let rh = H, rl = L;
  twoProd(k, LN2_LO);
  addDD(rh, rl, -H, -L - k * LN2_LO2);
  rh = H / 256;
  rl = L / 256;
  let eh = INV_FACT_H[10], el = INV_FACT_L[10];
  for (let n = 9; n >= 1; n--) {
    mulDD(eh, el, rh, rl);
    addDD(H, L, INV_FACT_H[n], INV_FACT_L[n]);
    eh = H;
    el = L;
  }
  mulDD(eh, el, rh, rl);
  eh = H;
  el = L;
  for (let i = 0; i < 8; i++) {
    mulDD(eh, el, eh, el);
    addDD(2 * eh, 2 * el, H, L);
    eh = H;
    el = L;
  }
  addDD(1, 0, eh, el);
  const scale = 2 ** k;
  H *= scale;
  L *= scale;
}

/** 2^(j/64), j = 0..63, as double-doubles. */
const EXP_TAB_H = new Float64Array(64);
const EXP_TAB_L = new Float64Array(64);
for (let j = 0; j < 64; j++) {
  // 2^(j/64) = exp(j ln2 / 64), with j ln2 / 64 as a double-double
  twoProd(j, LN2_HI);
  const ah = H / 64, al = (L + j * LN2_LO) / 64;
  expSlowDD(ah);
  const eh = H, el = L;
  // exp(ah + al) = exp(ah) * (1 + al) (al < 1e-17)
  mulDD(eh, el, 1, al);
  EXP_TAB_H[j] = H;
  EXP_TAB_L[j] = L;
}

/**
 * exp(x) as H + L (x finite, the result normal): x = (64k + j) ln2 / 64 + r with |r| <= ln2 / 128,
 * exp(x) = 2^k * 2^(j/64) * (1 + r + r^2/2 + ...): the series' first terms in double-double, the
 * rest (below 2^-53 of the first ones) in double.
 */
function expDD(x: number): void {
  const n = Math.round(x * (64 / LN2_HI));
  const j = ((n % 64) + 64) % 64;
  const k = (n - j) / 64;
  // r = x - n ln2 / 64 in double-double (n ln2_hi / 64: twoProd, then exact division by 64)
  twoProd(n, LN2_HI);
  addDD(x, 0, -H / 64, -L / 64);
  let rh = H, rl = L;
  twoProd(n, LN2_LO);
  addDD(rh, rl, -H / 64, -(L + n * LN2_LO2) / 64);
  rh = H;
  rl = L;
  // p = r^5/5! + ... + r^9/9! in double; |r| < 0.0055 so r^10/10! < 1e-29 of the sum
  const r = rh;
  const tail = r * r * r * r * r * (INV_FACT_H[5] + r * (INV_FACT_H[6] + r * (INV_FACT_H[7] + r * (INV_FACT_H[8] + r * INV_FACT_H[9]))));
  // e = r + r^2/2 + r^3/6 + r^4/24 + tail, Horner in double-double
  addDD(INV_FACT_H[4], INV_FACT_L[4], 0, 0);
  let eh = H, el = L;
  mulDD(eh, el, rh, rl);
  addDD(H, L + tail / (r === 0 ? 1 : r * r * r), INV_FACT_H[3], INV_FACT_L[3]);
  eh = H;
  el = L;
  for (let m = 2; m >= 1; m--) {
    mulDD(eh, el, rh, rl);
    addDD(H, L, INV_FACT_H[m], INV_FACT_L[m]);
    eh = H;
    el = L;
  }
  mulDD(eh, el, rh, rl);
  // 2^(j/64) * (1 + e) = T + T * e
  const th = EXP_TAB_H[j], tl = EXP_TAB_L[j];
  mulDD(th, tl, H, L);
  addDD(th, tl, H, L);
  const scale = 2 ** k;
  H *= scale;
  L *= scale;
}

/** glibc's exp(x), correctly rounded. */
export function crExp(x: number): number {
  if (!(x > -708 && x < 709)) return Math.exp(x);
  if (x === 0) return 1;
  expDD(x);
  return H + L;
}

/** glibc's log(x), correctly rounded. */
export function crLog(x: number): number {
  if (!(x >= 2.3e-308 && x < Infinity)) return Math.log(x);
  if (x === 1) return 0;
  const y0 = Math.log(x);
  expDD(y0);
  // log(x) = y0 + log(x / E) ~ y0 + (x - E) / E; the next term is below 1e-32 relative.
  addDD(x, 0, -H, -L);
  return y0 + H / x;
}

/** sin(r) and cos(r) for |r| <= pi/4 (r = rh + rl) into SH, SL, CH, CL. */
let SH = 0, SL = 0, CH = 0, CL = 0;
function sinCosSlowDD(rh: number, rl: number): void {
  mulDD(rh, rl, rh, rl);
  const zh = H, zl = L;
  // sin r = r * sum_j (-1)^j z^j / (2j+1)!, cos r = sum_j (-1)^j z^j / (2j)!, j = 0..14 (Horner)
  let sh = INV_FACT_H[29], sl = INV_FACT_L[29];
  let ch = INV_FACT_H[28], cl = INV_FACT_L[28];
  for (let j = 13; j >= 0; j--) {
    const s = j % 2 === 0 ? 1 : -1;
    mulDD(sh, sl, zh, zl);
    addDD(H, L, s * INV_FACT_H[2 * j + 1], s * INV_FACT_L[2 * j + 1]);
    sh = H;
    sl = L;
    mulDD(ch, cl, zh, zl);
    addDD(H, L, s * INV_FACT_H[2 * j], s * INV_FACT_L[2 * j]);
    ch = H;
    cl = L;
  }
  mulDD(sh, sl, rh, rl);
  SH = H;
  SL = L;
  CH = ch;
  CL = cl;
}

/** sin(j/32) and cos(j/32), j = -26..26, as double-doubles (index j + 26). */
const TRIG_SH = new Float64Array(53), TRIG_SL = new Float64Array(53);
const TRIG_CH = new Float64Array(53), TRIG_CL = new Float64Array(53);
for (let j = -26; j <= 26; j++) {
  sinCosSlowDD(j / 32, 0);
  TRIG_SH[j + 26] = SH;
  TRIG_SL[j + 26] = SL;
  TRIG_CH[j + 26] = CH;
  TRIG_CL[j + 26] = CL;
}

/**
 * sin(r) and cos(r) for |r| <= pi/4 into SH, SL, CH, CL: r = j/32 + t with |t| <= 1/64, the tables'
 * sin / cos of j/32 combined with sin t = t - t^3/6 + t^5 P(t^2), cos t = 1 - t^2/2 + t^4 Q(t^2)
 * (P, Q in double: their terms are below 1e-9 of the result).
 */
function sinCosDD(rh: number, rl: number): void {
  const j = Math.round(rh * 32);
  addDD(rh, rl, -j / 32, 0);
  const th = H, tl = L;
  mulDD(th, tl, th, tl);
  const zh = H, zl = L;
  const z = zh;
  const p = th * z * z * (1 / 120 - z * (1 / 5040 - z * (1 / 362880 - z / 39916800)));
  const q = z * z * (1 / 24 - z * (1 / 720 - z * (1 / 40320 - z / 3628800)));
  mulDD(th, tl, zh, zl);
  mulDD(H, L, INV_FACT_H[3], INV_FACT_L[3]);
  addDD(th, tl, -H, -L + p);
  const sth = H, stl = L;
  addDD(1, 0, -zh / 2, -zl / 2 + q);
  const cth = H, ctl = L;
  const k = j + 26;
  // sin(c + t) = sin c cos t + cos c sin t; cos(c + t) = cos c cos t - sin c sin t
  mulDD(TRIG_SH[k], TRIG_SL[k], cth, ctl);
  const a1 = H, a2 = L;
  mulDD(TRIG_CH[k], TRIG_CL[k], sth, stl);
  addDD(a1, a2, H, L);
  const sh = H, sl = L;
  mulDD(TRIG_CH[k], TRIG_CL[k], cth, ctl);
  const b1 = H, b2 = L;
  mulDD(TRIG_SH[k], TRIG_SL[k], sth, stl);
  addDD(b1, b2, -H, -L);
  CH = H;
  CL = L;
  SH = sh;
  SL = sl;
}

/** Reduces x by k pi/2: leaves sin / cos of the remainder in SH..CL and returns k mod 4. */
function reduce(x: number): number {
  const k = Math.round(x / PIO2_HI);
  twoProd(k, PIO2_HI);
  addDD(x, 0, -H, -L);
  const rh = H, rl = L;
  twoProd(k, PIO2_LO);
  addDD(rh, rl, -H, -L - k * PIO2_LO2);
  sinCosDD(H, L);
  return ((k % 4) + 4) % 4;
}

/** glibc's sin(x), correctly rounded. */
export function crSin(x: number): number {
  if (!(Math.abs(x) <= 1e5) || Math.abs(x) < 1e-150) return Math.sin(x);
  switch (reduce(x)) {
    case 0: return SH + SL;
    case 1: return CH + CL;
    case 2: return -(SH + SL);
    default: return -(CH + CL);
  }
}

/** glibc's cos(x), correctly rounded. */
export function crCos(x: number): number {
  if (!(Math.abs(x) <= 1e5)) return Math.cos(x);
  switch (reduce(x)) {
    case 0: return CH + CL;
    case 1: return -(SH + SL);
    case 2: return -(CH + CL);
    default: return SH + SL;
  }
}

/** glibc's tan(x), correctly rounded. */
export function crTan(x: number): number {
  if (!(Math.abs(x) <= 1e5) || Math.abs(x) < 1e-150) return Math.tan(x);
  const q = reduce(x);
  if (q % 2 === 0) divDD(SH, SL, CH, CL);
  else divDD(-CH, -CL, SH, SL);
  return H + L;
}

/** sin(x) and cos(x), each correctly rounded, into out[0] and out[1] (one reduction for both). */
export function crSinCos(x: number, out: Float64Array | number[]): void {
  if (!(Math.abs(x) <= 1e5) || Math.abs(x) < 1e-150) {
    out[0] = Math.sin(x);
    out[1] = Math.cos(x);
    return;
  }
  switch (reduce(x)) {
    case 0: out[0] = SH + SL; out[1] = CH + CL; break;
    case 1: out[0] = CH + CL; out[1] = -(SH + SL); break;
    case 2: out[0] = -(SH + SL); out[1] = -(CH + CL); break;
    default: out[0] = -(CH + CL); out[1] = SH + SL;
  }
}

/** glibc's log1p(x), correctly rounded. */
export function crLog1p(x: number): number {
  if (!(x > -1 && x < 1e300) || Math.abs(x) < 1e-300) return Math.log1p(x);
  const y0 = Math.log1p(x);
  expDD(y0);
  const eh = H, el = L;
  addDD(1, 0, x, 0);
  addDD(H, L, -eh, -el);
  return y0 + H / (1 + x);
}
