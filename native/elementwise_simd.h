// The contiguous float32 kernels, written once over a small vector type V and instantiated by each
// *_<isa>.cc file, which defines V and includes this INSIDE an anonymous namespace, so no inline
// function is shared between files compiled with different ISA flags (an ODR clash there could run
// AVX-512 code on an AVX2 CPU). So: no #include and no std:: templates in here.
// ref: ggml's vec.h (SIMD main loop, then the tail); Cody-Waite reduction for exp, fdlibm's log.
//
// V provides: F (W floats), M (lane mask), W; load store set1 add sub mul div fma(a,b,c)=a*b+c
// fnma(a,b,c)=c-a*b, max min (NaN behaviour unspecified), maxp minp (NaN-propagating), sqrt abs neg
// round floor ceil trunc, eq ne lt le gt ge is_nan (ne and is_nan are the unordered ones), mand mor,
// select(m,a,b)=m?a:b, exp2i(n)=2^n for integral n in [-126,127], exponent(x)/mantissa(x) of a
// positive normal x (x = mantissa * 2^exponent, mantissa in [1,2)), store_mask_u8, and the double
// accumulators sum_row(x,n), sum_quads(x,n) and acc_sum(acc,x,n).

using F = V::F;
using M = V::M;
constexpr int W = V::W;

// ---------------------------------------------------------------------------------------------
// Vector math. Max error against double libm, over every 61st float32 (AVX-512, AVX2; NEON: 997th):
// exp 0.92 ulp, log 0.83, tanh 1.35, sigmoid 2.3. Special values follow C99 Annex F.

inline F vexp(F x) {
  // e^x = 2^n * e^r, n = round(x / ln2), |r| <= ln2/2; e^r by its Taylor series to degree 7
  // (truncation < 1e-8 relative). 2^n is applied in two halves so n = 128 still overflows
  // correctly to inf, and n < -126 gives the subnormal results.
  const F xc = V::min(V::max(x, V::set1(-104.0f)), V::set1(89.0f));
  const F n = V::round(V::mul(xc, V::set1(1.44269504088896341f)));
  F r = V::fnma(n, V::set1(0.693359375f), xc);          // ln2 split: n*hi is exact
  r = V::fnma(n, V::set1(-2.12194440054690583e-4f), r);
  F p = V::set1(1.0f / 5040);
  p = V::fma(p, r, V::set1(1.0f / 720));
  p = V::fma(p, r, V::set1(1.0f / 120));
  p = V::fma(p, r, V::set1(1.0f / 24));
  p = V::fma(p, r, V::set1(1.0f / 6));
  p = V::fma(p, r, V::set1(0.5f));
  p = V::fma(p, r, V::set1(1.0f));
  p = V::fma(p, r, V::set1(1.0f));
  const F n1 = V::trunc(V::mul(n, V::set1(0.5f)));
  const F n2 = V::sub(n, n1);
  const F y = V::mul(V::mul(p, V::exp2i(n1)), V::exp2i(n2));
  return V::select(V::is_nan(x), x, y);
}

inline F vlog(F x) {
  // x = m * 2^e with m in [sqrt(1/2), sqrt(2)); log(1+f) for f = m - 1 (exact) through
  // s = f/(2+f): log(1+f) = f - (f^2/2 - s*(f^2/2 + R(s^2))), R the series of 2*atanh(s)/s - 2.
  const M sub = V::lt(x, V::set1(1.17549435e-38f));  // subnormal (or <= 0, handled below)
  const F xs = V::select(sub, V::mul(x, V::set1(8388608.0f)), x);
  F e = V::sub(V::exponent(xs), V::select(sub, V::set1(23.0f), V::set1(0.0f)));
  F m = V::mantissa(xs);
  const M big = V::gt(m, V::set1(1.41421356f));
  m = V::select(big, V::mul(m, V::set1(0.5f)), m);
  e = V::select(big, V::add(e, V::set1(1.0f)), e);
  const F f = V::sub(m, V::set1(1.0f));
  const F s = V::div(f, V::add(f, V::set1(2.0f)));
  const F z = V::mul(s, s);
  F R = V::set1(2.0f / 9);
  R = V::fma(R, z, V::set1(2.0f / 7));
  R = V::fma(R, z, V::set1(2.0f / 5));
  R = V::fma(R, z, V::set1(2.0f / 3));
  R = V::mul(R, z);
  const F hfsq = V::mul(V::set1(0.5f), V::mul(f, f));
  const F lg = V::sub(f, V::fnma(s, V::add(hfsq, R), hfsq));  // f - (hfsq - s*(hfsq+R))
  F y = V::fma(e, V::set1(0.693359375f), V::fma(e, V::set1(-2.12194440054690583e-4f), lg));
  y = V::select(V::eq(x, V::set1(0.0f)), V::set1(-INFINITY), y);
  y = V::select(V::eq(x, V::set1(INFINITY)), x, y);
  y = V::select(V::mor(V::lt(x, V::set1(0.0f)), V::is_nan(x)), V::set1(NAN), y);
  return y;
}

inline F vtanh(F x) {
  // |x| < 0.625: x + x^3 P(x^2), P a minimax fit (relative error 4e-9; fitted for this file).
  // Else sign(x) * (1 - 2/(e^{2|x|} + 1)), which loses at most a bit to cancellation at 0.625.
  const F ax = V::abs(x);
  const F z = V::mul(x, x);
  F p = V::set1(-0.005704987417143624f);
  p = V::fma(p, z, V::set1(0.020639087646745914f));
  p = V::fma(p, z, V::set1(-0.05373971521884629f));
  p = V::fma(p, z, V::set1(0.13331442199949953f));
  p = V::fma(p, z, V::set1(-0.33333281942089005f));
  const F small = V::fma(V::mul(x, z), p, x);
  const F t = V::sub(V::set1(1.0f),
                     V::div(V::set1(2.0f), V::add(vexp(V::add(ax, ax)), V::set1(1.0f))));
  const F large = V::select(V::lt(x, V::set1(0.0f)), V::neg(t), t);
  return V::select(V::lt(ax, V::set1(0.625f)), small, large);
}

inline F vsigmoid(F x) {
  // t = e^{-|x|} never overflows: 1/(1+t) for x >= 0, t/(1+t) for x < 0 (tiny results stay exact).
  const F t = vexp(V::neg(V::abs(x)));
  const F num = V::select(V::lt(x, V::set1(0.0f)), t, V::set1(1.0f));
  return V::div(num, V::add(V::set1(1.0f), t));
}

// ---------------------------------------------------------------------------------------------
// Unary ops as functors F -> F.

struct OpNeg { static F f(F x) { return V::neg(x); } };
struct OpExp { static F f(F x) { return vexp(x); } };
struct OpLog { static F f(F x) { return vlog(x); } };
struct OpSqrt { static F f(F x) { return V::sqrt(x); } };
struct OpAbs { static F f(F x) { return V::abs(x); } };
struct OpSign {  // PyTorch: sign(NaN) = 0, sign(-0) = 0
  static F f(F x) {
    const F zero = V::set1(0.0f);
    return V::select(V::gt(x, zero), V::set1(1.0f),
                     V::select(V::lt(x, zero), V::set1(-1.0f), zero));
  }
};
struct OpRelu {  // NaN stays NaN, as in PyTorch
  static F f(F x) { return V::select(V::lt(x, V::set1(0.0f)), V::set1(0.0f), x); }
};
struct OpSigmoid { static F f(F x) { return vsigmoid(x); } };
struct OpTanh { static F f(F x) { return vtanh(x); } };
struct OpFloor { static F f(F x) { return V::floor(x); } };
struct OpCeil { static F f(F x) { return V::ceil(x); } };
struct OpRound { static F f(F x) { return V::round(x); } };  // half to even, as torch.round
struct OpTrunc { static F f(F x) { return V::trunc(x); } };
// NOTE: no vector version accurate enough (yet) for these: libm per lane, correctness first.
template <float (*fn)(float)>
struct OpPerLane {
  static F f(F x) {
    alignas(64) float t[W];
    V::store(t, x);
    for (int i = 0; i < W; ++i) t[i] = fn(t[i]);
    return V::load(t);
  }
};

// The binary libm functions (atan2, fmod, ...) per lane too.
template <float (*fn)(float, float)>
struct OpPerLane2 {
  static F f(F a, F b) {
    alignas(64) float ta[W], tb[W];
    V::store(ta, a);
    V::store(tb, b);
    for (int i = 0; i < W; ++i) ta[i] = fn(ta[i], tb[i]);
    return V::load(ta);
  }
};

// y[i] = Op(x[i]); the tail goes through a padded buffer so every element takes the same path.
template <class Op>
void unary_kernel(const float* x, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) V::store(y + i, Op::f(V::load(x + i)));
  if (i < n) {
    alignas(64) float t[W] = {};
    const int r = static_cast<int>(n - i);
    for (int j = 0; j < r; ++j) t[j] = x[i + j];
    V::store(t, Op::f(V::load(t)));
    for (int j = 0; j < r; ++j) y[i + j] = t[j];
  }
}

// PyTorch's clamp: x < lo ? lo : x > hi ? hi : x, except lo > hi gives hi. NaN x stays NaN, a NaN
// bound is ignored (comparisons with it are false), and x equal to a bound is kept (-0 stays -0).
inline F clamp1(F x, F lo, F hi, F low_value) {
  return V::select(V::lt(x, lo), low_value, V::select(V::gt(x, hi), hi, x));
}

void clamp_kernel(const float* x, float* y, int64_t n, float lo, float hi) {
  const F vlo = V::set1(lo), vhi = V::set1(hi), vlow = V::set1(lo > hi ? hi : lo);
  int64_t i = 0;
  for (; i + W <= n; i += W) V::store(y + i, clamp1(V::load(x + i), vlo, vhi, vlow));
  if (i < n) {
    alignas(64) float t[W] = {};
    const int r = static_cast<int>(n - i);
    for (int j = 0; j < r; ++j) t[j] = x[i + j];
    V::store(t, clamp1(V::load(t), vlo, vhi, vlow));
    for (int j = 0; j < r; ++j) y[i + j] = t[j];
  }
}

// ---------------------------------------------------------------------------------------------
// Binary ops. BC says which operand is a broadcast scalar (a[0] or b[0]).

struct OpAdd { static F f(F a, F b) { return V::add(a, b); } };
struct OpSub { static F f(F a, F b) { return V::sub(a, b); } };
struct OpMul { static F f(F a, F b) { return V::mul(a, b); } };
struct OpDiv { static F f(F a, F b) { return V::div(a, b); } };
struct OpMaximum { static F f(F a, F b) { return V::maxp(a, b); } };
struct OpMinimum { static F f(F a, F b) { return V::minp(a, b); } };
struct OpPow {
  static F f(F a, F b) {
    alignas(64) float ta[W], tb[W];
    V::store(ta, a);
    V::store(tb, b);
    for (int i = 0; i < W; ++i) ta[i] = tb[i] == 2.0f ? ta[i] * ta[i] : powf(ta[i], tb[i]);
    return V::load(ta);
  }
};
// NOTE: pow(a, 2) is a*a (correctly rounded; powf may be 1 ulp off), as PyTorch does.
struct OpSquare { static F f(F a, F) { return V::mul(a, a); } };

struct CmpEq { static M f(F a, F b) { return V::eq(a, b); } };
struct CmpNe { static M f(F a, F b) { return V::ne(a, b); } };
struct CmpLt { static M f(F a, F b) { return V::lt(a, b); } };
struct CmpLe { static M f(F a, F b) { return V::le(a, b); } };
struct CmpGt { static M f(F a, F b) { return V::gt(a, b); } };
struct CmpGe { static M f(F a, F b) { return V::ge(a, b); } };

template <int BC>
inline F load_a(const float* a, int64_t i) { return BC == kSV ? V::set1(a[0]) : V::load(a + i); }
template <int BC>
inline F load_b(const float* b, int64_t i) { return BC == kVS ? V::set1(b[0]) : V::load(b + i); }

// Copies the r < W tail elements of a and b (or their broadcast scalar) into zero-padded buffers.
template <int BC>
inline void load_tail(const float* a, const float* b, int64_t i, int r, float* ta, float* tb) {
  for (int j = 0; j < W; ++j) ta[j] = tb[j] = 0.0f;
  for (int j = 0; j < r; ++j) {
    ta[j] = BC == kSV ? a[0] : a[i + j];
    tb[j] = BC == kVS ? b[0] : b[i + j];
  }
}

template <class Op, int BC>
void arith_kernel(const float* a, const float* b, float* y, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) V::store(y + i, Op::f(load_a<BC>(a, i), load_b<BC>(b, i)));
  if (i < n) {
    alignas(64) float ta[W], tb[W];
    const int r = static_cast<int>(n - i);
    load_tail<BC>(a, b, i, r, ta, tb);
    V::store(ta, Op::f(V::load(ta), V::load(tb)));
    for (int j = 0; j < r; ++j) y[i + j] = ta[j];
  }
}

template <int BC>
void pow_kernel(const float* a, const float* b, float* y, int64_t n) {
  if (BC == kVS && b[0] == 2.0f)
    arith_kernel<OpSquare, BC>(a, b, y, n);
  else
    arith_kernel<OpPow, BC>(a, b, y, n);
}

template <class Op, int BC>
void compare_kernel(const float* a, const float* b, uint8_t* y, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) V::store_mask_u8(y + i, Op::f(load_a<BC>(a, i), load_b<BC>(b, i)));
  if (i < n) {
    alignas(64) float ta[W], tb[W];
    uint8_t ty[W];
    const int r = static_cast<int>(n - i);
    load_tail<BC>(a, b, i, r, ta, tb);
    V::store_mask_u8(ty, Op::f(V::load(ta), V::load(tb)));
    for (int j = 0; j < r; ++j) y[i + j] = ty[j];
  }
}

// ---------------------------------------------------------------------------------------------
// Reductions and softmax.

inline float maxp1(float a, float b) { return a != a ? a : (b != b ? b : (b > a ? b : a)); }
inline float minp1(float a, float b) { return a != a ? a : (b != b ? b : (b < a ? b : a)); }

template <bool kIsMax>
float minmax_row(const float* x, int64_t n) {
  float r = x[0];
  int64_t i = 0;
  if (n >= W) {
    F acc = V::load(x);
    for (i = W; i + W <= n; i += W)
      acc = kIsMax ? V::maxp(acc, V::load(x + i)) : V::minp(acc, V::load(x + i));
    alignas(64) float t[W];
    V::store(t, acc);
    r = t[0];
    for (int j = 1; j < W; ++j) r = kIsMax ? maxp1(r, t[j]) : minp1(r, t[j]);
  }
  for (; i < n; ++i) r = kIsMax ? maxp1(r, x[i]) : minp1(r, x[i]);
  return r;
}
float max_row(const float* x, int64_t n) { return minmax_row<true>(x, n); }
float min_row(const float* x, int64_t n) { return minmax_row<false>(x, n); }

template <bool kIsMax>
void acc_minmax(float* acc, const float* x, int64_t n) {
  int64_t i = 0;
  for (; i + W <= n; i += W) {
    const F a = V::load(acc + i), v = V::load(x + i);
    V::store(acc + i, kIsMax ? V::maxp(a, v) : V::minp(a, v));
  }
  for (; i < n; ++i) acc[i] = kIsMax ? maxp1(acc[i], x[i]) : minp1(acc[i], x[i]);
}
void acc_max(float* acc, const float* x, int64_t n) { acc_minmax<true>(acc, x, n); }
void acc_min(float* acc, const float* x, int64_t n) { acc_minmax<false>(acc, x, n); }

void softmax_row(const float* x, float* y, int64_t n, bool log) {
  // Pass 1: exps of x - max in blocks of kBlock (a fixed size, so the double sum's order depends
  // on n only), summed in double; pass 2 scales them, or forms (x - max) - log(sum).
  // NOTE: y may be x. Softmax writes each exp over the x it came from (read just before) and sums
  // the block from y; log-softmax needs x again in pass 2, so it keeps its exps in a block buffer.
  constexpr int64_t kBlock = 256;
  const float mx = max_row(x, n);
  const F vm = V::set1(mx);
  alignas(64) float buf[kBlock];
  double sum = 0.0;
  for (int64_t b0 = 0; b0 < n; b0 += kBlock) {
    const int64_t len = n - b0 < kBlock ? n - b0 : kBlock;
    const float* xb = x + b0;
    float* eb = log ? buf : y + b0;
    int64_t i = 0;
    for (; i + W <= len; i += W) V::store(eb + i, vexp(V::sub(V::load(xb + i), vm)));
    if (i < len) {
      alignas(64) float t[W] = {};
      const int r = static_cast<int>(len - i);
      for (int j = 0; j < r; ++j) t[j] = xb[j + i];
      V::store(t, vexp(V::sub(V::load(t), vm)));
      for (int j = 0; j < r; ++j) eb[i + j] = t[j];
    }
    sum += V::sum_row(eb, len);
  }
  int64_t i = 0;
  if (!log) {
    const float inv = static_cast<float>(1.0 / sum);
    const F vinv = V::set1(inv);
    for (; i + W <= n; i += W) V::store(y + i, V::mul(V::load(y + i), vinv));
    for (; i < n; ++i) y[i] = y[i] * inv;
  } else {
    const float ls = static_cast<float>(::log(sum));
    const F vls = V::set1(ls);
    for (; i + W <= n; i += W) V::store(y + i, V::sub(V::sub(V::load(x + i), vm), vls));
    for (; i < n; ++i) y[i] = (x[i] - mx) - ls;
  }
}

// ---------------------------------------------------------------------------------------------
// Fused updates: add with alpha, and the Adam step (operation order: lib/backend/types.ts).

template <int BC>
void add_scaled_kernel(const float* a, const float* b, float* y, int64_t n, float alpha) {
  const F s = V::set1(alpha);
  int64_t i = 0;
  for (; i + W <= n; i += W) V::store(y + i, V::fma(load_b<BC>(b, i), s, load_a<BC>(a, i)));
  if (i < n) {
    alignas(64) float ta[W], tb[W];
    const int r = static_cast<int>(n - i);
    load_tail<BC>(a, b, i, r, ta, tb);
    V::store(ta, V::fma(V::load(tb), s, V::load(ta)));
    for (int j = 0; j < r; ++j) y[i + j] = ta[j];
  }
}

struct AdamVec {
  F b1, omb1, b2, omb2, nss, bc2, eps, decay;
  bool decayed;
  explicit AdamVec(const AdamConsts& c)
      : b1(V::set1(c.beta1)), omb1(V::set1(c.one_minus_beta1)), b2(V::set1(c.beta2)),
        omb2(V::set1(c.one_minus_beta2)), nss(V::set1(c.neg_step_size)), bc2(V::set1(c.bc2_sqrt)),
        eps(V::set1(c.eps)), decay(V::set1(c.decay)), decayed(c.decayed) {}
};

// W elements at offset i; vmax null unless amsgrad.
inline void adam_lanes(const AdamVec& k, float* p, const float* g, float* m, float* v, float* vmax,
                       int64_t i) {
  const F gv = V::load(g + i);
  F pv = V::load(p + i);
  if (k.decayed) pv = V::mul(pv, k.decay);
  const F mv = V::fma(gv, k.omb1, V::mul(V::load(m + i), k.b1));
  const F vv = V::add(V::mul(V::load(v + i), k.b2), V::mul(V::mul(k.omb2, gv), gv));
  V::store(m + i, mv);
  V::store(v + i, vv);
  F w = vv;
  if (vmax != nullptr) {
    w = V::maxp(V::load(vmax + i), vv);
    V::store(vmax + i, w);
  }
  const F d = V::add(V::div(V::sqrt(w), k.bc2), k.eps);
  V::store(p + i, V::add(pv, V::div(V::mul(k.nss, mv), d)));
}

void adam_kernel(float* p, const float* g, float* m, float* v, float* vmax, int64_t n,
                 const AdamConsts& c) {
  const AdamVec k(c);
  int64_t i = 0;
  for (; i + W <= n; i += W) adam_lanes(k, p, g, m, v, vmax, i);
  if (i < n) {
    // The tail through zero-padded buffers (padding lanes are computed, never stored).
    alignas(64) float tp[W] = {}, tg[W] = {}, tm[W] = {}, tv[W] = {}, tx[W] = {};
    const int r = static_cast<int>(n - i);
    for (int j = 0; j < r; ++j) {
      tp[j] = p[i + j];
      tg[j] = g[i + j];
      tm[j] = m[i + j];
      tv[j] = v[i + j];
      if (vmax != nullptr) tx[j] = vmax[i + j];
    }
    adam_lanes(k, tp, tg, tm, tv, vmax != nullptr ? tx : nullptr, 0);
    for (int j = 0; j < r; ++j) {
      p[i + j] = tp[j];
      m[i + j] = tm[j];
      v[i + j] = tv[j];
      if (vmax != nullptr) vmax[i + j] = tx[j];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The table.

constexpr Kernels make_kernels(const char* name) {
  Kernels k{};
  k.name = name;
  k.unary[kNeg] = unary_kernel<OpNeg>;
  k.unary[kExp] = unary_kernel<OpExp>;
  k.unary[kLog] = unary_kernel<OpLog>;
  k.unary[kLog1p] = unary_kernel<OpPerLane<::log1pf>>;
  k.unary[kSqrt] = unary_kernel<OpSqrt>;
  k.unary[kAbs] = unary_kernel<OpAbs>;
  k.unary[kSign] = unary_kernel<OpSign>;
  k.unary[kRelu] = unary_kernel<OpRelu>;
  k.unary[kSigmoid] = unary_kernel<OpSigmoid>;
  k.unary[kTanh] = unary_kernel<OpTanh>;
  k.unary[kErf] = unary_kernel<OpPerLane<::erff>>;
  k.unary[kSin] = unary_kernel<OpPerLane<::sinf>>;
  k.unary[kCos] = unary_kernel<OpPerLane<::cosf>>;
  k.unary[kFloor] = unary_kernel<OpFloor>;
  k.unary[kCeil] = unary_kernel<OpCeil>;
  k.unary[kRound] = unary_kernel<OpRound>;
  k.unary[kTrunc] = unary_kernel<OpTrunc>;
  k.unary[kTan] = unary_kernel<OpPerLane<::tanf>>;
  k.unary[kAsin] = unary_kernel<OpPerLane<::asinf>>;
  k.unary[kAcos] = unary_kernel<OpPerLane<::acosf>>;
  k.unary[kAtan] = unary_kernel<OpPerLane<::atanf>>;
  k.unary[kSinh] = unary_kernel<OpPerLane<::sinhf>>;
  k.unary[kCosh] = unary_kernel<OpPerLane<::coshf>>;
  k.unary[kAsinh] = unary_kernel<OpPerLane<::asinhf>>;
  k.unary[kAcosh] = unary_kernel<OpPerLane<::acoshf>>;
  k.unary[kAtanh] = unary_kernel<OpPerLane<::atanhf>>;
  k.unary[kExpm1] = unary_kernel<OpPerLane<::expm1f>>;
  k.unary[kExp2] = unary_kernel<OpPerLane<::exp2f>>;
  k.unary[kLog2] = unary_kernel<OpPerLane<::log2f>>;
  k.unary[kLog10] = unary_kernel<OpPerLane<::log10f>>;
  k.unary[kErfc] = unary_kernel<OpPerLane<::erfcf>>;
  k.unary[kErfinv] = unary_kernel<OpPerLane<erfinv_f>>;
  k.clamp = clamp_kernel;
#define TORCHLET_ARITH(code, Op)                            \
  k.arith[code - kAdd][kVV] = arith_kernel<Op, kVV>;        \
  k.arith[code - kAdd][kVS] = arith_kernel<Op, kVS>;        \
  k.arith[code - kAdd][kSV] = arith_kernel<Op, kSV>;
  TORCHLET_ARITH(kAdd, OpAdd)
  TORCHLET_ARITH(kSub, OpSub)
  TORCHLET_ARITH(kMul, OpMul)
  TORCHLET_ARITH(kDiv, OpDiv)
  TORCHLET_ARITH(kMaximum, OpMaximum)
  TORCHLET_ARITH(kMinimum, OpMinimum)
  TORCHLET_ARITH(kAtan2, OpPerLane2<::atan2f>)
  TORCHLET_ARITH(kHypot, OpPerLane2<::hypotf>)
  TORCHLET_ARITH(kFmod, OpPerLane2<::fmodf>)
  TORCHLET_ARITH(kCopysign, OpPerLane2<::copysignf>)
  TORCHLET_ARITH(kLogaddexp, OpPerLane2<logaddexp_f>)
  TORCHLET_ARITH(kLogaddexp2, OpPerLane2<logaddexp2_f>)
#undef TORCHLET_ARITH
  k.arith[kPow - kAdd][kVV] = pow_kernel<kVV>;
  k.arith[kPow - kAdd][kVS] = pow_kernel<kVS>;
  k.arith[kPow - kAdd][kSV] = pow_kernel<kSV>;
#define TORCHLET_CMP(code, Op)                                \
  k.compare[code - kEq][kVV] = compare_kernel<Op, kVV>;       \
  k.compare[code - kEq][kVS] = compare_kernel<Op, kVS>;       \
  k.compare[code - kEq][kSV] = compare_kernel<Op, kSV>;
  TORCHLET_CMP(kEq, CmpEq)
  TORCHLET_CMP(kNe, CmpNe)
  TORCHLET_CMP(kLt, CmpLt)
  TORCHLET_CMP(kLe, CmpLe)
  TORCHLET_CMP(kGt, CmpGt)
  TORCHLET_CMP(kGe, CmpGe)
#undef TORCHLET_CMP
  k.sum = V::sum_row;
  k.sum_quads = V::sum_quads;
  k.max = max_row;
  k.min = min_row;
  k.acc_sum = V::acc_sum;
  k.acc_max = acc_max;
  k.acc_min = acc_min;
  k.softmax_row = softmax_row;
  k.add_scaled[kVV] = add_scaled_kernel<kVV>;
  k.add_scaled[kVS] = add_scaled_kernel<kVS>;
  k.add_scaled[kSV] = add_scaled_kernel<kSV>;
  k.adam = adam_kernel;
  return k;
}
