// im2col / col2im (conv.h): plain loops over strided float32 views; im2col's tasks are column rows
// (n, c, i, j), col2im's are (n, c) image planes, which its sums keep whole. The window's valid output columns are found once per kernel row, so the inner
// loops carry no bounds tests; with unit strides they are a memcpy (im2col) or a vectorisable add
// (col2im). No ISA-specific code: both are memory-bound copies the compiler vectorises for the
// baseline, and the JS twin (lib/backend/js/conv.ts) runs the same loops in the same order.
#include "conv.h"

#include <algorithm>
#include <cstring>

#include "copy_short.h"

namespace torchlet {
namespace {

// Output columns [lo, hi) whose input column ox*stride + first lies in [0, width).
void valid_columns(int64_t first, int64_t stride, int64_t width, int64_t out_w, int64_t* lo, int64_t* hi) {
  int64_t l = first >= 0 ? 0 : (-first + stride - 1) / stride;
  int64_t h = first > width - 1 ? 0 : (width - 1 - first) / stride + 1;
  l = std::min(l, out_w);
  h = std::max(l, std::min(h, out_w));
  *lo = l;
  *hi = h;
}

// dst[k] = src[k * step] for k < n, dst contiguous. Stride 2 (the strided convs of every ResNet) gets
// its own loop: with the step a constant the compiler turns it into vector loads and a lane shuffle
// instead of the scalar gather a runtime step gives, which made im2col cost nearly as much as the GEMM.
void gather_row(float* __restrict dst, const float* __restrict src, int64_t step, int64_t n) {
  if (step == 2) {
    for (int64_t k = 0; k < n; ++k) dst[k] = src[2 * k];
  } else {
    for (int64_t k = 0; k < n; ++k) dst[k] = src[k * step];
  }
}

// Planes (or rows) per chunk: about kGrainCheap elements of work each; a constant of the shape, not of threads.
int64_t plane_grain(int64_t work_per_plane) {
  return std::max<int64_t>(1, kGrainCheap / std::max<int64_t>(1, work_per_plane));
}

// row[oy*W + ox] = plane[(oy + dy)*W + ox + first], 0 where that pixel is outside the H x W plane:
// the rows inside as one contiguous copy (the offset dy*W + first maps every element at once), then
// zeros for the rows outside and for the columns that wrapped across a row edge.
void im2col_shifted_plane(const float* plane, int64_t H, int64_t W, int64_t dy, int64_t first, int64_t OH,
                          float* row) {
  const int64_t o0 = std::clamp<int64_t>(-dy, 0, OH), o1 = std::clamp<int64_t>(H - dy, o0, OH);
  std::fill(row, row + o0 * W, 0.0f);
  std::fill(row + o1 * W, row + OH * W, 0.0f);
  if (o0 == o1) return;
  const int64_t shift = dy * W + first;  // src index - dst index
  // NOTE: clipped to the plane, so no pointer is formed outside it; the clipped ends are wrapped
  // columns of the first and last rows, zeroed below with the others.
  const int64_t q0 = std::max(o0 * W, -shift), q1 = std::min(o1 * W, H * W - shift);
  if (q1 > q0) std::memcpy(row + q0, plane + q0 + shift, static_cast<size_t>(q1 - q0) * sizeof(float));
  const int64_t lo = std::clamp<int64_t>(-first, 0, W), hi = std::clamp<int64_t>(W - first, lo, W);
  for (int64_t oy = o0; oy < o1; ++oy) {
    float* r = row + oy * W;
    for (int64_t ox = 0; ox < lo; ++ox) r[ox] = 0.0f;
    for (int64_t ox = hi; ox < W; ++ox) r[ox] = 0.0f;
  }
}

}  // namespace

void im2col(const OpContext& c, const View& x, const View& cols, const ConvGeometry& g) {
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t OH = cols.shape[2], OW = cols.shape[3], K = g.kh * g.kw;
  if (N * C == 0 || K * OH * OW == 0) return;
  const int64_t* xs = x.strides;
  const int64_t* cs = cols.strides;
  const float* x0 = x.at<float>();
  float* c0 = cols.at<float>();
  // A column row of a stride-1, undilated window over planes whose rows are contiguous and as wide
  // as the output's ('same' padding) is the input plane shifted by whole elements: one copy.
  const bool shifted_plane = g.stride_h == 1 && g.stride_w == 1 && g.dil_h == 1 && g.dil_w == 1 && OW == W &&
                             xs[3] == 1 && xs[2] == W && cs[3] == 1 && cs[2] == OW;
  // NOTE: tasks are single column rows (n, ch, i, j), not planes: an image of few channels (an RGB
  // stem: 3 planes of 49 rows each) then still spreads over every thread.
  parallel_range(c, N * C * K, plane_grain(OH * OW), [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t n = t / (C * K), ch = (t / K) % C, i = (t % K) / g.kw, j = t % g.kw;
      const float* plane = x0 + n * xs[0] + ch * xs[1];
      float* row = c0 + n * cs[0] + (ch * K + i * g.kw + j) * cs[1];
      const int64_t first = j * g.dil_w - g.pad_left;
      if (shifted_plane) {
        im2col_shifted_plane(plane, H, W, i - g.pad_top, first, OH, row);
        continue;
      }
      int64_t lo, hi;
      valid_columns(first, g.stride_w, W, OW, &lo, &hi);
      for (int64_t oy = 0; oy < OH; ++oy) {
        float* dst = row + oy * cs[2];
        const int64_t y = oy * g.stride_h - g.pad_top + i * g.dil_h;
        const bool inside = y >= 0 && y < H;
        const int64_t a = inside ? lo : OW, z = inside ? hi : OW;
        for (int64_t ox = 0; ox < a; ++ox) dst[ox * cs[3]] = 0.0f;
        for (int64_t ox = z; ox < OW; ++ox) dst[ox * cs[3]] = 0.0f;
        if (a == z) continue;
        // NOTE: pointers are formed at the first valid column only (never before the array).
        const float* src = plane + y * xs[2] + (a * g.stride_w + first) * xs[3];
        const int64_t step = g.stride_w * xs[3];
        if (cs[3] == 1 && step == 1) {
          copy_short(dst + a, src, z - a);
        } else if (cs[3] == 1) {
          gather_row(dst + a, src, step, z - a);
        } else {
          for (int64_t k = 0; k < z - a; ++k) dst[(a + k) * cs[3]] = src[k * step];
        }
      }
    }
  });
}

void col2im(const OpContext& c, const View& cols, const View& out, const ConvGeometry& g) {
  const int64_t N = out.shape[0], C = out.shape[1], H = out.shape[2], W = out.shape[3];
  const int64_t OH = cols.shape[2], OW = cols.shape[3], K = g.kh * g.kw;
  if (N * C == 0 || H * W == 0) return;
  const int64_t* os = out.strides;
  const int64_t* cs = cols.strides;
  const float* c0 = cols.at<float>();
  float* o0 = out.at<float>();
  parallel_range(c, N * C, plane_grain(std::max(K * OH * OW, H * W)), [&](int64_t b, int64_t e) {
    for (int64_t t = b; t < e; ++t) {
      const int64_t n = t / C, ch = t % C;
      float* plane = o0 + n * os[0] + ch * os[1];
      for (int64_t y = 0; y < H; ++y)
        for (int64_t xx = 0; xx < W; ++xx) plane[y * os[2] + xx * os[3]] = 0.0f;
      for (int64_t i = 0; i < g.kh; ++i) {
        for (int64_t j = 0; j < g.kw; ++j) {
          const float* row = c0 + n * cs[0] + (ch * K + i * g.kw + j) * cs[1];
          const int64_t first = j * g.dil_w - g.pad_left;
          int64_t lo, hi;
          valid_columns(first, g.stride_w, W, OW, &lo, &hi);
          if (lo == hi) continue;
          for (int64_t oy = 0; oy < OH; ++oy) {
            const int64_t y = oy * g.stride_h - g.pad_top + i * g.dil_h;
            if (y < 0 || y >= H) continue;
            const float* src = row + oy * cs[2] + lo * cs[3];
            float* dst = plane + y * os[2] + (lo * g.stride_w + first) * os[3];
            // NOTE: each output element gets one add per (i, j, oy) in this order; vectorising over
            // ox changes nothing, since distinct ox of one row hit distinct pixels (stride >= 1).
            const int64_t step = g.stride_w * os[3];
            if (cs[3] == 1 && step == 1) {
              float* __restrict d = dst;
              const float* __restrict s = src;
              for (int64_t k = 0; k < hi - lo; ++k) d[k] += s[k];
            } else if (cs[3] == 1 && step == 2) {
              float* __restrict d = dst;
              const float* __restrict s = src;
              for (int64_t k = 0; k < hi - lo; ++k) d[2 * k] += s[k];
            } else {
              for (int64_t k = 0; k < hi - lo; ++k) dst[k * step] += src[k * cs[3]];
            }
          }
        }
      }
    }
  });
}

}  // namespace torchlet
