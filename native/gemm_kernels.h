// The per-ISA pieces of the f32 GEMM, one constant table per ISA (microkernel, packers, dot-product
// form for a narrow C, blocking constants); the loops that use them are in gemm.cc.
// NOTE: no inline functions here, so ISA files (own flags) and baseline files can't end up sharing
// an ISA-specific copy of one (ODR).
// ref: BLIS docs/KernelsHowTo.md (MR NR MC KC NC); XNNPACK microkernel naming (op_type_tile__isa).
#pragma once

#include <cstdint>

namespace torchlet {
namespace gemm {

// C[i][j] (+)= sum_p A[i][p] * B[p][j] for i < mr, j < NR, p < kc.
// A[i][p] = a[i*a_rs + p*a_cs] (a packed MR-row panel is a_rs = 1, a_cs = MR).
// B[p][j] = b[p*b_rs + j]: a packed NR-column panel (b_rs = NR) or B itself when its rows are
// contiguous (small problems read B in place).
// C[i][j] = c[i*c_rs + j]: all NR columns are written; the driver handles narrower tiles.
// The sum starts from 0 and runs p = 0, 1, ..., kc-1 for every element, and only then is added to C
// (accumulate) or stored: every ISA path must keep this order, it is what makes results
// independent of tiling and of the thread count.
// NOTE: the function types and the table are templates on the element type (float, double); the
// f32 names below are the float ones, the f64 tables (gemm_f64_*.cc) use the double ones.
template <class T>
using UkernelFnT = void (*)(int64_t mr, int64_t kc, const T* a, int64_t a_rs, int64_t a_cs,
                            const T* b, int64_t b_rs, T* c, int64_t c_rs, bool accumulate);
using UkernelFn = UkernelFnT<float>;

// Packs A[0:mc][0:kc] into ceil(mc/MR) MR-row panels of kc x MR floats (rows past mc are 0).
template <class T>
using PackAFnT = void (*)(int64_t mc, int64_t kc, const T* a, int64_t a_rs, int64_t a_cs, T* dst);
using PackAFn = PackAFnT<float>;
// Packs B[0:kc][0:nc] into ceil(nc/NR) NR-column panels of kc x NR floats (columns past nc are 0).
template <class T>
using PackBFnT = void (*)(int64_t kc, int64_t nc, const T* b, int64_t b_rs, int64_t b_cs, T* dst);
using PackBFn = PackBFnT<float>;

// Dot-product form for a narrow C: C[i][j] (+)= sum_p A[i][p] * Bt[j][p] for i < m, j < n, p < k,
// where A's rows and Bt's rows are contiguous in p (A[i][p] = a[i*a_rs + p], Bt[j][p] =
// bt[j*bt_rs + p]). Vectors run along k, so no lane is wasted however small m or n is.
// Each element's sum is the same fixed lane split and reduction tree wherever it lies in C.
template <class T>
using DotFnT = void (*)(int64_t m, int64_t n, int64_t k, const T* a, int64_t a_rs, const T* bt,
                        int64_t bt_rs, T* c, int64_t c_rs, int64_t c_cs, bool accumulate);
using DotFn = DotFnT<float>;

// dst[c*dst_rs + r] (+)= src[r*src_rs + c] for r < rows, c < cols: a transposed copy, used to give
// the dot-product form a B whose columns are contiguous and to store tiles of a column-major C.
template <class T>
using TransposeFnT = void (*)(int64_t rows, int64_t cols, const T* src, int64_t src_rs, T* dst,
                              int64_t dst_rs, bool accumulate);
using TransposeFn = TransposeFnT<float>;

template <class T>
struct GemmKernelsT {
  const char* name;      // e.g. "gemm_f32_14x32__avx512"
  int mr, nr;            // register tile
  int64_t kc;            // depth of a cache block; fixes the rounding (MC, NC: gemm_blocking.h)
  int64_t direct_b_max_m;  // up to this many rows of C, B with contiguous rows is read in place
  // Up to this many rows of C (0: never), X·Wᵀ runs as Cᵀ = W·Xᵀ with W in place (gemm.cc's
  // run_item_resident_b): its column-major C costs a transposed store per tile, which pays only
  // where the tiles are large against the packing of W they save.
  int64_t resident_b_max_m;
  UkernelFnT<T> ukernel;     // any A strides
  PackAFnT<T> pack_a;
  PackBFnT<T> pack_b;
  DotFnT<T> dot;             // null when the ISA has no dot-product form
  int dot_rm;                // rows per dot tile (row splits between threads are multiples of it)
  TransposeFnT<T> transpose;  // null: a plain loop
};
using GemmKernels = GemmKernelsT<float>;

// Constant tables, one per ISA file; each is defined only where that file is compiled.
// NOTE: plain constant-initialized data, so reading a table runs no code of its ISA.
extern const GemmKernels kGemmScalar;
#if defined(__x86_64__) || defined(_M_X64)
extern const GemmKernels kGemmAvx2;
extern const GemmKernels kGemmAvx512;
#endif
#if defined(__aarch64__)
extern const GemmKernels kGemmNeon;
#endif
// float64 (gemm_f64_*.cc): no dot-product form, no transpose; NEON uses the scalar table.
extern const GemmKernelsT<double> kGemmF64Scalar;
#if defined(__x86_64__) || defined(_M_X64)
extern const GemmKernelsT<double> kGemmF64Avx2;
extern const GemmKernelsT<double> kGemmF64Avx512;
#endif

// Portable packing, in gemm_pack.cc (baseline flags): the fallback for strides an ISA's fast
// packers don't cover. `mr` / `nr` are the panel widths.
void pack_a_generic(int mr, int64_t mc, int64_t kc, const float* a, int64_t a_rs, int64_t a_cs,
                    float* dst);
void pack_b_generic(int nr, int64_t kc, int64_t nc, const float* b, int64_t b_rs, int64_t b_cs,
                    float* dst);
void pack_a_generic(int mr, int64_t mc, int64_t kc, const double* a, int64_t a_rs, int64_t a_cs,
                    double* dst);
void pack_b_generic(int nr, int64_t kc, int64_t nc, const double* b, int64_t b_rs, int64_t b_cs,
                    double* dst);

}  // namespace gemm
}  // namespace torchlet
