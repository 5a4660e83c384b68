// The avx2 float64 kernel table: elementwise_f64_impl.h compiled with this file's flags
// (CMakeLists.txt), so the compiler vectorises the same loops for avx2. Internal linkage throughout.
#include <math.h>
#include <stdint.h>

#include "elementwise_f64.h"
#include "math_extra.h"

namespace torchlet {
namespace {

#include "elementwise_f64_impl.h"

constexpr KernelsF64 kTable = make_kernels_f64("f64_avx2");

}  // namespace

const KernelsF64& kernels_f64_avx2() { return kTable; }

}  // namespace torchlet
