// Scalar special functions in double precision, for the elementwise ops of ops/special.ts:
// lgamma, digamma, trigamma, polygamma (through the Hurwitz zeta function), and the modified
// Bessel functions i0 and i1. Written from the standard methods: recurrence up to a large argument
// then the asymptotic (Stirling / Bernoulli) series, reflection for negative arguments, Euler-
// Maclaurin for zeta, the power series for i0/i1. Special values follow PyTorch's CPU kernels:
// lgamma is +inf at the poles and at +-inf; digamma(+-0) is -+inf, NaN at negative integers and
// -inf; polygamma(n >= 1) is +-inf at the poles (n! zeta(n + 1, q) with zeta infinite there).
// ref: PyTorch 1.13 aten/src/ATen/native/Math.h (calc_digamma, calc_trigamma, calc_polygamma,
// zeta, calc_i0, calc_i1), whose special-value handling these follow.

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const EULER_GAMMA = 0.5772156649015329;

/** sin(pi x), exact zeros at the integers (an argument reduced to [-1, 1] first). */
export function sinPi(x: number): number {
  const r = x - 2 * Math.round(x / 2); // in [-1, 1], exact
  if (r === 0 || Math.abs(r) === 1) return 0 * Math.sign(r || 1);
  return Math.sin(Math.PI * r);
}

/** log|Gamma(x)|. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && Number.isInteger(x)) return Infinity;
  if (x === 1 || x === 2) return 0; // Gamma(1) = Gamma(2) = 1 exactly (the recurrence leaves ~1e-15)
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  // lgamma(x) = lgamma(x + n) - log(x (x + 1) ... (x + n - 1)), with x + n >= 10
  let shift = 0;
  let prod = 1;
  while (x < 10) {
    prod *= x;
    x += 1;
    shift += 1;
  }
  const z = 1 / (x * x);
  // Stirling's series: B2k / (2k (2k - 1) x^(2k - 1))
  const series = (1 / 12 - z * (1 / 360 - z * (1 / 1260 - z * (1 / 1680 - z * (1 / 1188 - z * (691 / 360360 - z / 156)))))) / x;
  const r = (x - 0.5) * Math.log(x) - x + LOG_SQRT_2PI + series;
  return shift === 0 ? r : r - Math.log(prod);
}

/** psi(x) = Gamma'(x) / Gamma(x). */
export function digamma(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity; // PyTorch: copysign(inf, -x)
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x < 0) {
    if (Number.isInteger(x)) return NaN;
    // reflection: psi(1 - x) - psi(x) = pi cot(pi x)
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * (x - Math.round(x)));
  }
  if (x === Infinity) return Infinity;
  let acc = 0;
  while (x < 10) {
    acc -= 1 / x;
    x += 1;
  }
  const z = 1 / (x * x);
  // log x - 1/(2x) - sum B2k / (2k x^2k)
  const series = z * (1 / 12 - z * (1 / 120 - z * (1 / 252 - z * (1 / 240 - z * (1 / 132 - z * (691 / 32760 - z / 12))))));
  return acc + Math.log(x) - 0.5 / x - series;
}

/** psi'(x), +inf at the poles. */
export function trigamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (x === Infinity) return 0;
  if (x < 0.5) {
    const s = sinPi(x);
    if (s === 0) return Infinity;
    // reflection: psi1(x) + psi1(1 - x) = pi^2 / sin^2(pi x)
    return (Math.PI * Math.PI) / (s * s) - trigamma(1 - x);
  }
  let acc = 0;
  while (x < 10) {
    acc += 1 / (x * x);
    x += 1;
  }
  const z = 1 / (x * x);
  // 1/x + 1/(2x^2) + sum B2k / x^(2k + 1)
  const series = (1 / 6 - z * (1 / 30 - z * (1 / 42 - z * (1 / 30 - z * (5 / 66 - z * (691 / 2730 - (z * 7) / 6)))))) * z / x;
  return acc + 1 / x + 0.5 * z + series;
}

// Bernoulli numbers B2, B4, ..., B20 (Euler-Maclaurin tail of zeta)
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510, 43867 / 798, -174611 / 330];

/** The Hurwitz zeta function sum_k (k + q)^-s, for s > 1 (as PyTorch's zeta: inf at q a pole). */
export function zeta(s: number, q: number): number {
  if (Number.isNaN(s) || Number.isNaN(q)) return NaN;
  if (s === 1) return Infinity;
  if (s < 1) return NaN;
  if (q <= 0) {
    if (Number.isInteger(q)) return Infinity;
    if (!Number.isInteger(s)) return NaN; // (k + q)^-s undefined for a negative base
  }
  if (q === Infinity) return 0;
  // direct sum up to a = q + n >= max(10, s), then Euler-Maclaurin from a
  let sum = 0;
  let a = q;
  const start = Math.max(10, s);
  while (a < start) {
    sum += Math.pow(a, -s);
    a += 1;
  }
  let tail = Math.pow(a, 1 - s) / (s - 1) + 0.5 * Math.pow(a, -s);
  // + sum_k B2k / (2k)! * s (s + 1) ... (s + 2k - 2) a^(-s - 2k + 1)
  let fact = 1; // s (s+1) ... (s+2k-2) / (2k)!
  let pw = Math.pow(a, -s - 1);
  for (let k = 1; k <= BERNOULLI.length; k++) {
    fact *= k === 1 ? s / 2 : ((s + 2 * k - 3) * (s + 2 * k - 2)) / ((2 * k - 1) * (2 * k));
    const term = BERNOULLI[k - 1] * fact * pw;
    tail += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(tail)) break;
    pw /= a * a;
  }
  return sum + tail;
}

/** The n-th derivative of digamma: psi^(n)(x) = (-1)^(n + 1) n! zeta(n + 1, x) for n >= 2. */
export function polygamma(n: number, x: number): number {
  if (n === 0) return digamma(x);
  if (n === 1) return trigamma(x);
  let fact = 1;
  for (let k = 2; k <= n; k++) fact *= k;
  return (n % 2 === 1 ? 1 : -1) * fact * zeta(n + 1, x);
}

/** The modified Bessel function of the first kind, order 0: sum ((x/2)^k / k!)^2. */
export function i0(x: number): number {
  if (Number.isNaN(x)) return x;
  const q = (x * x) / 4;
  if (!Number.isFinite(q)) return Infinity;
  let term = 1;
  let sum = 1;
  for (let k = 1; ; k++) {
    term *= q / (k * k);
    sum += term;
    if (term <= 1e-17 * sum || !Number.isFinite(sum)) return sum;
  }
}

/** The modified Bessel function of the first kind, order 1: sum (x/2)^(2k + 1) / (k! (k + 1)!). */
export function i1(x: number): number {
  if (Number.isNaN(x) || x === 0) return x;
  if (!Number.isFinite(x)) return x;
  const q = (x * x) / 4;
  let term = x / 2;
  let sum = term;
  for (let k = 1; ; k++) {
    term *= q / (k * (k + 1));
    sum += term;
    if (Math.abs(term) <= 1e-17 * Math.abs(sum) || !Number.isFinite(sum)) return sum;
  }
}

export { EULER_GAMMA };
