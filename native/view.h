// A strided view of one typed array, as the kernels see it: plain C++, no N-API.
// The binding (binding.cc) builds these after checking that every reachable element is in bounds;
// kernels trust them. Mirrors View in lib/backend/types.ts.
#pragma once

#include <cstdint>

namespace torchlet {

constexpr int kMaxDims = 8;

// Storage per dtype, as in types.ts: int64 lives in a Float64Array, bool in a Uint8Array.
// A Float64Array is float64 only where the binding's op asks for one (the f64 kernels, ops_f64.h).
enum class Dtype : uint8_t { kFloat32 = 0, kInt64 = 1, kBool = 2, kFloat64 = 3 };

struct View {
  void* data = nullptr;  // element 0 of the typed array
  int64_t length = 0;    // elements in the typed array
  Dtype dtype = Dtype::kFloat32;
  int ndim = 0;
  int64_t offset = 0;
  int64_t shape[kMaxDims] = {};
  int64_t strides[kMaxDims] = {};

  int64_t numel() const {
    int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= shape[d];
    return n;
  }
  template <class T>
  T* at() const { return static_cast<T*>(data) + offset; }
};

}  // namespace torchlet
