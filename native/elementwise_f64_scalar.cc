// The scalar (baseline) float64 kernel table: elementwise_f64_impl.h with the baseline flags
// (CMakeLists.txt); the compiler may still vectorise its loops (SSE2). Internal linkage throughout.
#include <math.h>
#include <stdint.h>

#include "elementwise_f64.h"
#include "math_extra.h"

namespace torchlet {
namespace {

#include "elementwise_f64_impl.h"

constexpr KernelsF64 kTable = make_kernels_f64("f64_scalar");

}  // namespace

const KernelsF64& kernels_f64_scalar() { return kTable; }

}  // namespace torchlet
