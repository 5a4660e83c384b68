// Softmax backward's row kernel of softmax_backward_row.h compiled with the AVX2 flags (CMakeLists.txt).
#include "softmax_backward_row.h"

namespace torchlet {

SoftmaxBackwardRowFn softmax_backward_row_avx2() { return softmax_backward_row_impl; }

}  // namespace torchlet
