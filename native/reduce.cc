// reduce (sum/max/min into the keepdim layout) and argReduce (argmax/argmin along one dim).
// The dims are split into kept and reduced ones, each coalesced; when x's innermost dim is reduced
// every output is a fold of contiguous rows ("row mode"), otherwise whole rows of outputs are
// accumulated at once ("column mode", e.g. a bias gradient: sum over the batch dim).
// NOTE: the order of every sum depends on the shapes and strides only, never on the thread count.
// float32 and float64 share the code (templates on the element type T); their row kernels differ.
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "elementwise_f64.h"
#include "ops.h"
#include "strided.h"

namespace torchlet {
namespace {

constexpr int64_t kBlock = 16384;  // reduced elements per partial result in row mode
constexpr int64_t kCol = 1024;     // outputs per work item in column mode
// Column mode splits the reduced rows into blocks of at least this many rows, and of at least
// kColBlockElements elements, when there are more: shorter reductions keep one pass in row order.
constexpr int64_t kColBlockRows = 256;
constexpr int64_t kColBlockElements = 65536;

inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }
template <class T>
inline T maxp(T a, T b) { return a != a ? a : (b != b ? b : (b > a ? b : a)); }
template <class T>
inline T minp(T a, T b) { return a != a ? a : (b != b ? b : (b < a ? b : a)); }

// The row kernels of one element type: Kernels (float32) or KernelsF64 (float64).
// sum_run sums an output's reduced elements where they are one contiguous run (float32: in quads,
// Kernels::sum_quads; js/reduce.ts takes the same case); sum everywhere else.
template <class T>
struct Folds {
  double (*sum)(const T* x, int64_t n);
  double (*sum_run)(const T* x, int64_t n);
  T (*max)(const T* x, int64_t n);
  T (*min)(const T* x, int64_t n);
  void (*acc_sum)(double* acc, const T* x, int64_t n);
  void (*acc_max)(T* acc, const T* x, int64_t n);
  void (*acc_min)(T* acc, const T* x, int64_t n);
};
Folds<float> folds_of(const Kernels& k) {
  return {k.sum, k.sum_quads, k.max, k.min, k.acc_sum, k.acc_max, k.acc_min};
}
Folds<double> folds_of(const KernelsF64& k) { return {k.sum, k.sum, k.max, k.min, k.acc_sum, k.acc_max, k.acc_min}; }

template <class T>
inline double combine(int op, double acc, double v) {
  if (op == kSum) return acc + v;
  // max/min partials are T values held in doubles: exact.
  const T a = static_cast<T>(acc), b = static_cast<T>(v);
  return op == kMax ? maxp(a, b) : minp(a, b);
}

// Fold of x over the flat range [begin, end) of the reduced layout R, starting at base; sums of
// contiguous runs by `sum`.
template <class T>
double fold_range(const Folds<T>& k, double (*sum)(const T*, int64_t), int op, const T* base,
                  const Layout<1>& R, int64_t begin, int64_t end) {
  double acc = op == kSum ? 0.0 : NAN;
  bool first = true;
  const int64_t s = R.inner_stride(0);
  alignas(64) T buf[256];
  for_each_run(R, begin, end, [&](const int64_t* off, int64_t len) {
    const T* p = base + off[0];
    if (s == 1) {  // a contiguous run: one kernel call
      const double v = op == kSum ? sum(p, len) : op == kMax ? k.max(p, len) : k.min(p, len);
      acc = first ? v : combine<T>(op, acc, v);
      first = false;
      return;
    }
    for (int64_t i = 0; i < len; i += 256) {  // strided: through a buffer, 256 at a time
      const int64_t m = min64(256, len - i);
      const T* q = p + i * s;
      for (int64_t j = 0; j < m; ++j) buf[j] = q[j * s];
      const double v = op == kSum ? k.sum(buf, m) : op == kMax ? k.max(buf, m) : k.min(buf, m);
      acc = first ? v : combine<T>(op, acc, v);
      first = false;
    }
  });
  return acc;
}

struct Split {
  // Kept dims: x and out strides; reduced dims: x strides. Sizes of 1 are left out.
  int nk = 0, nr = 0;
  int64_t k_shape[kMaxDims], k_xs[kMaxDims], k_os[kMaxDims];
  int64_t r_shape[kMaxDims], r_xs[kMaxDims];
};

Split split_dims(const View& x, const View& out) {
  Split s;
  for (int d = 0; d < x.ndim; ++d) {
    if (x.shape[d] == 1) continue;
    if (out.shape[d] == 1) {
      s.r_shape[s.nr] = x.shape[d];
      s.r_xs[s.nr++] = x.strides[d];
    } else {
      s.k_shape[s.nk] = x.shape[d];
      s.k_xs[s.nk] = x.strides[d];
      s.k_os[s.nk++] = out.strides[d];
    }
  }
  return s;
}

template <class T>
void reduce_rows(const OpContext& c, const Folds<T>& k, int op, const T* x0, T* y0,
                 const Layout<2>& K, int64_t n_out, const Layout<1>& R, int64_t len) {
  const int64_t nblocks = (len + kBlock - 1) / kBlock;
  const int64_t blen = min64(len, kBlock);
  const int64_t grain = max64(1, kGrainCheap / blen);
  // One contiguous reduced run per output (the common case, e.g. a sum over the last dim): its
  // blocks start at multiples of kBlock (of 32), so sum_run's quads are the run's own.
  const bool one_run = R.ndim == 1 && R.inner_stride(0) == 1;
  const auto sum = one_run ? k.sum_run : k.sum;
  if (nblocks == 1) {
    // NOTE: one run per output calls the kernel directly; fold_range would compute the same, with
    // more bookkeeping.
    parallel_range(c, n_out, grain, [&](int64_t b, int64_t e) {
      for_each_run(K, b, e, [&](const int64_t* off, int64_t cnt) {
        for (int64_t q = 0; q < cnt; ++q) {
          const T* xq = x0 + off[0] + q * K.inner_stride(0);
          double v;
          if (one_run) {
            v = op == kSum ? sum(xq, len) : op == kMax ? k.max(xq, len) : k.min(xq, len);
          } else {
            v = fold_range(k, sum, op, xq, R, 0, len);
          }
          y0[off[1] + q * K.inner_stride(1)] = static_cast<T>(v);
        }
      });
    });
    return;
  }
  // Long reductions: partial results per fixed block, folded in block order afterwards.
  std::vector<double> part(static_cast<size_t>(n_out * nblocks));
  parallel_range(c, n_out * nblocks, grain, [&](int64_t b, int64_t e) {
    for (int64_t item = b; item < e; ++item) {
      const int64_t q = item / nblocks, j = item % nblocks;
      int64_t off[2];
      offsets_at(K, q, off);
      part[item] = fold_range(k, sum, op, x0 + off[0], R, j * kBlock, min64(len, (j + 1) * kBlock));
    }
  });
  for (int64_t q = 0; q < n_out; ++q) {
    double acc = part[q * nblocks];
    for (int64_t j = 1; j < nblocks; ++j) acc = combine<T>(op, acc, part[q * nblocks + j]);
    int64_t off[2];
    offsets_at(K, q, off);
    y0[off[1]] = static_cast<T>(acc);
  }
}

// Column mode's accumulation of reduced rows [r_begin, r_end) of one chunk of m adjacent outputs
// (x stride sx between them), in row order: into dacc (sum, double) or facc (max/min).
template <class T>
void accumulate_columns(const Folds<T>& k, int op, const T* xb, int64_t sx, int64_t m,
                        const Layout<1>& R, int64_t r_begin, int64_t r_end, double* dacc, T* facc) {
  alignas(64) T buf[kCol];
  bool first = true;
  if (op == kSum)
    for (int64_t j = 0; j < m; ++j) dacc[j] = 0.0;
  for_each_run(R, r_begin, r_end, [&](const int64_t* off, int64_t rl) {
    for (int64_t r = 0; r < rl; ++r) {
      const T* p = xb + off[0] + r * R.inner_stride(0);
      if (sx != 1) {
        for (int64_t j = 0; j < m; ++j) buf[j] = p[j * sx];
        p = buf;
      }
      if (op == kSum) {
        k.acc_sum(dacc, p, m);
      } else if (first) {
        for (int64_t j = 0; j < m; ++j) facc[j] = p[j];
      } else {
        (op == kMax ? k.acc_max : k.acc_min)(facc, p, m);
      }
      first = false;
    }
  });
}

template <class T>
void reduce_columns(const OpContext& c, const Folds<T>& k, int op, const T* x0, T* y0,
                    const Layout<2>& K, const Layout<1>& R, int64_t len) {
  // K's innermost dim holds n adjacent outputs; the outer kept dims are iterated separately.
  const int64_t n = K.inner(), sx = K.inner_stride(0), sy = K.inner_stride(1);
  int64_t outer_n = 1;
  for (int d = 0; d < K.ndim - 1; ++d) outer_n *= K.shape[d];
  const int64_t nchunks = (n + kCol - 1) / kCol;
  const int64_t width = min64(n, kCol);
  // Long reductions go in blocks of reduced rows (a size from the shape alone), each folded into
  // partial results that are then combined in block order: work for every thread however few
  // columns there are, with the same order of additions at any thread count.
  const int64_t block_rows = max64(kColBlockRows, (kColBlockElements + width - 1) / width);
  const int64_t nblocks = (len + block_rows - 1) / block_rows;
  const int64_t grain = max64(1, kGrainCheap / (min64(len, block_rows) * width));
  // Chunk q (outer index q / nchunks, outputs from column j0 = (q % nchunks) * kCol on): its first
  // output's offsets in x and y, and its output count.
  struct Chunk {
    int64_t xo, yo, m;
  };
  auto chunk_at = [&](int64_t q) {
    const int64_t j0 = (q % nchunks) * kCol;
    Chunk ch{j0 * sx, j0 * sy, min64(kCol, n - j0)};
    for (int64_t d = K.ndim - 2, qo = q / nchunks; d >= 0; --d) {
      const int64_t i = qo % K.shape[d];
      qo /= K.shape[d];
      ch.xo += i * K.strides[0][d];
      ch.yo += i * K.strides[1][d];
    }
    return ch;
  };
  // Partials (only with several blocks): one row of `width` doubles per (chunk, block) item, max
  // and min values held exactly.
  std::vector<double> part(nblocks > 1 ? static_cast<size_t>(outer_n * nchunks * nblocks * width)
                                       : size_t{0});
  parallel_range(c, outer_n * nchunks * nblocks, grain, [&](int64_t b, int64_t e) {
    alignas(64) double dacc[kCol];
    alignas(64) T facc[kCol];
    for (int64_t item = b; item < e; ++item) {
      const int64_t blk = item % nblocks;
      const Chunk ch = chunk_at(item / nblocks);
      accumulate_columns(k, op, x0 + ch.xo, sx, ch.m, R, blk * block_rows,
                         min64(len, (blk + 1) * block_rows), dacc, facc);
      if (nblocks == 1) {
        T* y = y0 + ch.yo;
        for (int64_t j = 0; j < ch.m; ++j) y[j * sy] = op == kSum ? static_cast<T>(dacc[j]) : facc[j];
      } else {
        double* pr = part.data() + item * width;
        for (int64_t j = 0; j < ch.m; ++j) pr[j] = op == kSum ? dacc[j] : static_cast<double>(facc[j]);
      }
    }
  });
  if (nblocks == 1) return;
  parallel_range(c, outer_n * nchunks, max64(1, grain / nblocks), [&](int64_t b, int64_t e) {
    for (int64_t q = b; q < e; ++q) {
      const Chunk ch = chunk_at(q);
      const double* pr = part.data() + q * nblocks * width;
      for (int64_t j = 0; j < ch.m; ++j) {
        double acc = pr[j];
        for (int64_t blk = 1; blk < nblocks; ++blk) acc = combine<T>(op, acc, pr[blk * width + j]);
        y0[ch.yo + j * sy] = static_cast<T>(acc);
      }
    }
  });
}

template <class T>
void reduce_typed(const OpContext& c, const Folds<T>& folds, int op, const View& x, const View& out) {
  const int64_t n_out = out.numel();
  if (n_out == 0) return;
  const Split s = split_dims(x, out);
  int64_t len = 1;
  for (int d = 0; d < s.nr; ++d) len *= s.r_shape[d];
  for (int d = 0; d < x.ndim; ++d) {
    if (x.shape[d] == 0) {  // an empty reduction (the binding checked out's shape)
      if (op != kSum)
        throw std::out_of_range(std::string("reduce ") + kReduceOpNames[op] +
                                ": cannot reduce over a dimension of size 0");
      return fill(c, out, 0.0);
    }
  }
  if (s.nr == 0) return copy(c, x, out);
  const T* x0 = x.at<T>();
  T* y0 = out.at<T>();
  const int64_t* kst[2] = {s.k_xs, s.k_os};
  const Layout<2> K = make_layout_dims<2>(s.nk, s.k_shape, kst);
  const int64_t* rst[1] = {s.r_xs};
  const Layout<1> R = make_layout_dims<1>(s.nr, s.r_shape, rst);
  // Row mode when the reduced dims hold x's smallest stride (or nothing is kept).
  int64_t min_k = -1, min_r = -1;
  for (int d = 0; d < s.nk; ++d) min_k = (min_k < 0 || s.k_xs[d] < min_k) ? s.k_xs[d] : min_k;
  for (int d = 0; d < s.nr; ++d) min_r = (min_r < 0 || s.r_xs[d] < min_r) ? s.r_xs[d] : min_r;
  if (s.nk == 0 || min_r < min_k) {
    reduce_rows(c, folds, op, x0, y0, K, n_out, R, len);
  } else {
    reduce_columns(c, folds, op, x0, y0, K, R, len);
  }
}

template <class T>
void arg_reduce_typed(const OpContext& c, int op, const View& x, int dim, const View& out) {
  const int64_t n_out = out.numel();
  if (n_out == 0) return;
  const int64_t n = x.shape[dim], s = x.strides[dim];
  if (n == 0)
    throw std::out_of_range(std::string(kArgReduceOpNames[op]) + ": dimension " +
                            std::to_string(dim) + " has size 0");
  View xk = x;  // x without `dim`: the first element of each scanned line
  xk.shape[dim] = 1;
  const View* vs[2] = {&out, &xk};
  const Layout<2> L = make_layout(vs);
  const T* x0 = x.at<T>();
  double* y0 = out.at<double>();
  const bool is_max = op == kArgmax;
  parallel_range(c, n_out, max64(1, kGrainCheap / n), [&](int64_t b, int64_t e) {
    for_each_run(L, b, e, [&](const int64_t* off, int64_t len) {
      for (int64_t q = 0; q < len; ++q) {
        const T* p = x0 + off[1] + q * L.inner_stride(1);
        // First index of the max (min); a NaN counts as both, so the first NaN wins.
        T best = p[0];
        int64_t bi = 0;
        for (int64_t i = 1; i < n && best == best; ++i) {
          const T v = p[i * s];
          if (v != v || (is_max ? v > best : v < best)) {
            best = v;
            bi = i;
          }
        }
        y0[off[0] + q * L.inner_stride(0)] = static_cast<double>(bi);
      }
    });
  });
}

}  // namespace

void reduce(const OpContext& c, int op, const View& x, const View& out) {
  if (x.dtype == Dtype::kFloat64) return reduce_typed<double>(c, folds_of(kernels_f64_for(c.isa)), op, x, out);
  reduce_typed<float>(c, folds_of(*c.k), op, x, out);
}

void arg_reduce(const OpContext& c, int op, const View& x, int dim, const View& out) {
  if (x.dtype == Dtype::kFloat64) return arg_reduce_typed<double>(c, op, x, dim, out);
  arg_reduce_typed<float>(c, op, x, dim, out);
}

}  // namespace torchlet
