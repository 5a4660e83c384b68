// matmul_unfolded (conv_pack.h): the B packer over a 7-D view, and the GEMM call around it.
// The panels hold exactly the values the stored columns would (the padded-row layout's unused
// columns included), so the GEMM's sums, and so its results, are the same.
#include "conv_pack.h"

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "copy_short.h"
#include "gemm_views.h"

namespace torchlet {

namespace {

// B[g][(c*kh + i)*kw + j][(n*OH + y)*OW + x] =
//   data[g*s[0] + c*s[1] + i*s[2] + j*s[3] + n*s[4] + y*s[5] + x*s[6]].
template <class T>
struct Unfolded {
  const T* data;
  int64_t shape[7];
  int64_t s[7];
};

// Row k's offset, kept as (c, i, j) counters so stepping to the next row needs no division.
struct RowWalk {
  int64_t i_max, j_max;  // kh, kw
  int64_t c, i, j, off;
  void next(const int64_t* s) {
    off += s[3];
    if (++j < j_max) return;
    j = 0;
    off += s[2] - j_max * s[3];
    if (++i < i_max) return;
    i = 0;
    off += s[1] - i_max * s[2];
    ++c;
  }
};

template <class T>
RowWalk row_walk(const Unfolded<T>& u, int64_t k) {
  RowWalk w;
  w.i_max = u.shape[2];
  w.j_max = u.shape[3];
  w.j = k % w.j_max;
  w.i = (k / w.j_max) % w.i_max;
  w.c = k / (w.j_max * w.i_max);
  w.off = w.c * u.s[1] + w.i * u.s[2] + w.j * u.s[3];
  return w;
}

// A panel's columns that are contiguous in every row: `len` columns from dst column `col`, read
// from the row's offset + src.
struct Run {
  int64_t col, src, len;
};
// Panels at most this wide are packed run by run (every ISA's NR is); wider ones (the whole B, when
// gemm.cc builds it) element by element.
constexpr int64_t kMaxRuns = 64;

// Splits columns [q0, q0 + cols) at the ends of output rows; returns the number of runs.
template <class T>
int64_t panel_runs(const Unfolded<T>& u, int64_t q0, int64_t cols, Run* runs) {
  const int64_t OH = u.shape[5], OW = u.shape[6];
  int64_t x = q0 % OW, y = (q0 / OW) % OH, n = q0 / (OW * OH);
  int64_t count = 0;
  for (int64_t col = 0; col < cols;) {
    const int64_t len = std::min(OW - x, cols - col);
    runs[count++] = {col, n * u.s[4] + y * u.s[5] + x, len};
    col += len;
    x = 0;
    if (++y == OH) {
      y = 0;
      ++n;
    }
  }
  return count;
}

// One panel of kc rows from w: one run of NR columns per row (NR a constant: a few vector moves),
// or several shorter ones, then zeros past `cols`.
template <int NR, class T>
void pack_runs(const T* base, RowWalk w, const int64_t* s, int64_t kc, const Run* runs, int64_t count,
               int64_t cols, int64_t nr, T* dst) {
  if (NR != 0 && count == 1 && cols == NR) {
    const T* src = base + runs[0].src;
    for (int64_t p = 0; p < kc; ++p, dst += NR) {
      std::memcpy(dst, src + w.off, NR * sizeof(T));
      w.next(s);
    }
    return;
  }
  for (int64_t p = 0; p < kc; ++p, dst += nr) {
    const T* row = base + w.off;
    for (int64_t r = 0; r < count; ++r) copy_short(dst + runs[r].col, row + runs[r].src, runs[r].len);
    for (int64_t col = cols; col < nr; ++col) dst[col] = T(0);
    w.next(s);
  }
}

// Any layout, element by element, zeros past cols.
template <class T>
void pack_elements(const Unfolded<T>& u, const T* base, RowWalk w, int64_t kc, int64_t q0, int64_t cols,
                   int64_t nr, T* dst) {
  const int64_t OH = u.shape[5], OW = u.shape[6];
  for (int64_t p = 0; p < kc; ++p, dst += nr) {
    int64_t x = q0 % OW, y = (q0 / OW) % OH, n = q0 / (OW * OH);
    for (int64_t col = 0; col < cols; ++col) {
      dst[col] = base[w.off + n * u.s[4] + y * u.s[5] + x * u.s[6]];
      if (++x < OW) continue;
      x = 0;
      if (++y < OH) continue;
      y = 0;
      ++n;
    }
    for (int64_t col = cols; col < nr; ++col) dst[col] = T(0);
    w.next(u.s);
  }
}

// GemmBPackerT::pack over an Unfolded view, panel by panel: with contiguous output rows (s[6] = 1)
// as runs of each row, otherwise element by element.
template <class T>
void pack_unfolded(const void* self, int64_t batch, int64_t k0, int64_t kc, int64_t j0, int64_t nc, int64_t nr,
                   T* dst) {
  const Unfolded<T>& u = *static_cast<const Unfolded<T>*>(self);
  const T* base = u.data + batch * u.s[0];
  const RowWalk w0 = row_walk(u, k0);
  Run runs[kMaxRuns];
  for (int64_t jp = 0; jp < nc; jp += nr, dst += kc * nr) {
    const int64_t q0 = j0 + jp, cols = std::min(nr, nc - jp);
    if (u.s[6] != 1 || nr > kMaxRuns) {
      pack_elements(u, base, w0, kc, q0, cols, nr, dst);
      continue;
    }
    const int64_t count = panel_runs(u, q0, cols, runs);
    switch (nr) {
      case 32: pack_runs<32>(base, w0, u.s, kc, runs, count, cols, nr, dst); break;
      case 16: pack_runs<16>(base, w0, u.s, kc, runs, count, cols, nr, dst); break;
      case 8: pack_runs<8>(base, w0, u.s, kc, runs, count, cols, nr, dst); break;
      default: pack_runs<0>(base, w0, u.s, kc, runs, count, cols, nr, dst); break;
    }
  }
}

template <class T>
void run(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate) {
  Unfolded<T> u;
  u.data = b.at<T>();
  for (int d = 0; d < 7; ++d) {
    u.shape[d] = b.shape[d];
    u.s[d] = b.strides[d];
  }
  const GemmBPackerT<T> packer{&pack_unfolded<T>, &u};
  GemmArgsT<T> g = gemm_args_of<T>(a, b, out, accumulate);
  // B is the unfolded image (7 dims): the GEMM plans with the strides the stored columns would
  // have (gemm.h) and reads B only through the packer.
  g.b = nullptr;
  g.b_bs = g.k * g.n;
  g.b_rs = g.n;
  g.b_cs = 1;
  g.b_packer = &packer;
  if constexpr (std::is_same_v<T, double>) {
    gemm_f64(g, c.isa, *c.pool);
  } else {
    gemm_f32(g, c.isa, *c.pool);
  }
}

}  // namespace

void matmul_unfolded(const OpContext& c, const View& a, const View& b, const View& out, bool accumulate) {
  if (out.shape[0] == 0 || out.shape[1] == 0 || out.shape[2] == 0) return;
  if (a.shape[2] == 0) {  // an empty sum
    if (!accumulate) fill(c, out, 0.0);
    return;
  }
  if (a.dtype == Dtype::kFloat64) {
    run<double>(c, a, b, out, accumulate);
  } else {
    run<float>(c, a, b, out, accumulate);
  }
}

}  // namespace torchlet
