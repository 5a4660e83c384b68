// The N-API binding, the only file that includes napi.h: unpacks typed arrays and the packed view
// metadata, checks everything that protects memory (array kinds, integer non-negative offsets,
// sizes and strides, every reachable element inside its array, detached buffers) plus the dtype and
// shape rules of each op, then calls the plain C++ ops of ops.h. Bad input throws TypeError or
// RangeError naming the op and argument. ref: node-addon-api doc/addon.md (Napi::Addon).
//
// View metadata (one Float64Array per call, views in argument order): for each view
//   ndim, offset, shape[0..ndim), strides[0..ndim)
#include <napi.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

#include "addon_state.h"
#include "batch_norm.h"
#include "cache_info.h"
#include "conv.h"
#include "conv_gemm.h"
#include "conv_pack.h"
#include "conv_padded_forward.h"
#include "gemm.h"
#include "gemm_blocking.h"
#include "gemm_partition.h"
#include "memory.h"
#include "ops.h"
#include "pool2d.h"
#include "random.h"
#include "softmax_backward.h"
#include "rnn_cell.h"
#include "ops_f64.h"
#include "layer_norm.h"

namespace torchlet {
namespace {

constexpr double kMaxSafeInt = 9007199254740991.0;  // 2^53 - 1

// A function only errors call: kept out of line so the hot caller stays small.
#if defined(_MSC_VER)
#define TORCHLET_COLD __declspec(noinline)
#else
#define TORCHLET_COLD __attribute__((noinline, cold))
#endif

enum DtypeSet : unsigned { kF32 = 1u, kI64 = 2u, kB8 = 4u, kAnyDtype = 7u };
// NOTE: never together with kI64: a Float64Array is read as float64 only where an op asks for kF64.
constexpr unsigned kF64 = 8u;
unsigned bit_of(Dtype d) { return 1u << static_cast<unsigned>(d); }

const char* array_name(Dtype d) {
  switch (d) {
    case Dtype::kFloat32: return "Float32Array (float32)";
    case Dtype::kInt64: return "Float64Array (int64)";
    case Dtype::kBool: return "Uint8Array (bool)";
    case Dtype::kFloat64: return "Float64Array (float64)";
  }
  return "?";
}

std::string allowed_names(unsigned set) {
  std::string s;
  for (Dtype d : {Dtype::kFloat32, Dtype::kInt64, Dtype::kBool, Dtype::kFloat64}) {
    if (!(set & bit_of(d))) continue;
    if (!s.empty()) s += " or ";
    s += array_name(d);
  }
  return s;
}

const char* typed_array_kind(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "typed array";
  }
}

std::string js_type(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsNumber()) return "number";
  if (v.IsString()) return "string";
  if (v.IsBoolean()) return "boolean";
  if (v.IsArray()) return "Array";
  if (v.IsArrayBuffer()) return "ArrayBuffer";
  if (v.IsFunction()) return "function";
  return "object";
}

std::string num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string dims_str(const int64_t* d, int n) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + std::to_string(d[i]);
  return s + "]";
}

// Argument checking for one call: knows the op's name for the messages.
class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* op, size_t nargs) : info_(info), op_(op) {
    if (info.Length() != nargs)
      throw Napi::TypeError::New(env(), op_ + ": expected " + std::to_string(nargs) +
                                            " arguments, got " + std::to_string(info.Length()));
  }
  Napi::Env env() const { return info_.Env(); }

  [[noreturn]] void type_error(const std::string& msg) const {
    throw Napi::TypeError::New(env(), op_ + ": " + msg);
  }
  [[noreturn]] void range_error(const std::string& msg) const {
    throw Napi::RangeError::New(env(), op_ + ": " + msg);
  }

  double number(size_t i, const char* name) const {
    if (!info_[i].IsNumber()) type_error(std::string(name) + " must be a number, got " + js_type(info_[i]));
    return info_[i].As<Napi::Number>().DoubleValue();
  }
  int64_t integer(size_t i, const char* name, int64_t lo, int64_t hi) const {
    const double v = number(i, name);
    if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi) && v == std::floor(v)))
      range_error(std::string(name) + " must be an integer in [" + std::to_string(lo) + ", " +
                  std::to_string(hi) + "], got " + num(v));
    return static_cast<int64_t>(v);
  }
  bool boolean(size_t i, const char* name) const {
    if (!info_[i].IsBoolean()) type_error(std::string(name) + " must be a boolean, got " + js_type(info_[i]));
    return info_[i].As<Napi::Boolean>().Value();
  }

  // The metadata array; must be argument `i` and must be consumed exactly by the views.
  void meta(size_t i) {
    napi_typedarray_type t;
    void* data = nullptr;
    size_t len = 0;
    // NOTE: napi_get_typedarray_info fails (no exception) on anything but a typed array.
    if (!typed_array_info(info_[i], &t, &data, &len) || t != napi_float64_array)
      type_error("meta must be a Float64Array, got " + describe(info_[i]));
    meta_ = static_cast<const double*>(data);
    meta_len_ = len;
    meta_pos_ = 0;
  }
  void meta_done() const {
    if (meta_pos_ != meta_len_)
      range_error("meta has " + std::to_string(meta_len_) + " numbers but the views use " +
                  std::to_string(meta_pos_));
  }

  // Argument `i` as a View of one of the dtypes in `allowed`, fully bounds-checked.
  View view(size_t i, const char* name, unsigned allowed) {
    const Napi::Value v = info_[i];
    napi_typedarray_type t;
    void* data = nullptr;
    size_t len = 0;
    if (!typed_array_info(v, &t, &data, &len))
      type_error(std::string(name) + " must be a " + allowed_names(allowed) + ", got " + describe(v));
    View r;
    if (t == napi_float32_array) r.dtype = Dtype::kFloat32;
    else if (t == napi_float64_array) r.dtype = (allowed & kF64) ? Dtype::kFloat64 : Dtype::kInt64;
    else if (t == napi_uint8_array) r.dtype = Dtype::kBool;
    else type_error(std::string(name) + " must be a " + allowed_names(allowed) + ", got " + describe(v));
    if (!(allowed & bit_of(r.dtype)))
      type_error(std::string(name) + " must be a " + allowed_names(allowed) + ", got " + array_name(r.dtype));
    r.data = data;
    r.length = static_cast<int64_t>(len);
    constexpr int64_t kMax = static_cast<int64_t>(kMaxSafeInt);
    r.ndim = static_cast<int>(meta_int(name, "ndim", -1, kMaxDims));
    r.offset = meta_int(name, "offset", -1, kMax);
    for (int d = 0; d < r.ndim; ++d) r.shape[d] = meta_int(name, "shape", d, kMax);
    for (int d = 0; d < r.ndim; ++d) r.strides[d] = meta_int(name, "strides", d, kMax);
    // NOTE: an empty view reaches no element, so any offset is valid (PyTorch allows a slice of an
    // empty tensor to start past its storage); it becomes 0 so kernels never form a pointer past the end.
    if (check_bounds(v, name, r)) r.offset = 0;
    return r;
  }

 private:
  bool typed_array_info(const Napi::Value& v, napi_typedarray_type* t, void** data, size_t* len) const {
    napi_value ab;
    size_t byte_offset;
    return napi_get_typedarray_info(env(), v, t, len, data, &ab, &byte_offset) == napi_ok;
  }
  // NOTE: raw N-API so a SharedArrayBuffer (never detached) gives false rather than an error.
  bool is_detached(const Napi::Value& v) const {
    napi_typedarray_type t;
    napi_value ab;
    void* data;
    size_t len, byte_offset;
    bool detached = false;
    if (napi_get_typedarray_info(env(), v, &t, &len, &data, &ab, &byte_offset) != napi_ok) return false;
    if (napi_is_detached_arraybuffer(env(), ab, &detached) != napi_ok) return false;
    return detached;
  }
  std::string describe(const Napi::Value& v) const {
    if (!v.IsTypedArray()) return js_type(v);
    return typed_array_kind(v.As<Napi::TypedArray>().TypedArrayType());
  }

  // The next meta number: `field` of a view (element `index` of it when index >= 0).
  // NOTE: this runs for every dim of every call (24 times for a matmul), so the check is inline
  // and the message, with its strings, is built out of line on failure (bad_meta_int).
  int64_t meta_int(const char* view, const char* field, int index, int64_t hi) {
    if (meta_pos_ < meta_len_) {
      const double v = meta_[meta_pos_];
      // NOTE: within [0, hi] (hi <= 2^53), v is an integer exactly when it survives the cast.
      if (v >= 0 && v <= static_cast<double>(hi) && v == static_cast<double>(static_cast<int64_t>(v))) {
        ++meta_pos_;
        return static_cast<int64_t>(v);
      }
    }
    bad_meta_int(view, field, index, hi);
  }
  [[noreturn]] TORCHLET_COLD void bad_meta_int(const char* view, const char* field, int index, int64_t hi) const {
    std::string what = std::string(view) + " (meta) " + field;
    if (index >= 0) what += "[" + std::to_string(index) + "]";
    if (meta_pos_ >= meta_len_) range_error("meta is too short: no " + what);
    range_error(what + " must be an integer in [0, " + std::to_string(hi) + "], got " + num(meta_[meta_pos_]));
  }

  // Every element the view can reach (offset + sum_k i_k * strides[k], i_k < shape[k]) must lie in
  // [0, length). Strides and sizes are >= 0 (checked), so the largest is at i_k = shape[k] - 1.
  // Returns true for an empty view (it reaches nothing).
  bool check_bounds(const Napi::Value& v, const char* name, const View& r) const {
    bool empty = false;
    for (int d = 0; d < r.ndim; ++d) empty = empty || r.shape[d] == 0;
    if (empty) return true;
    double count = 1;  // element count, exact below 2^53
    for (int d = 0; d < r.ndim; ++d) count *= static_cast<double>(r.shape[d]);
    if (count > kMaxSafeInt) range_error(std::string(name) + " has too many elements: " + dims_str(r.shape, r.ndim));
    bool ok = r.offset < r.length;
    int64_t room = r.length - 1 - r.offset;  // how far past offset the view may still reach
    for (int d = 0; d < r.ndim && ok; ++d) {
      if (r.shape[d] <= 1 || r.strides[d] == 0) continue;
      const int64_t span = r.shape[d] - 1;
      if (r.strides[d] > room / span) {
        ok = false;
      } else {
        room -= span * r.strides[d];
      }
    }
    if (ok) return false;
    if (r.length == 0 && is_detached(v)) type_error(std::string(name) + "'s ArrayBuffer is detached");
    double last = static_cast<double>(r.offset);
    for (int d = 0; d < r.ndim; ++d) last += static_cast<double>(r.shape[d] - 1) * static_cast<double>(r.strides[d]);
    range_error(std::string(name) + " with offset " + std::to_string(r.offset) + ", shape " +
                dims_str(r.shape, r.ndim) + " and strides " + dims_str(r.strides, r.ndim) +
                " reaches element " + num(last) + ", outside its array of length " +
                std::to_string(r.length));
  }

  const Napi::CallbackInfo& info_;
  std::string op_;
  const double* meta_ = nullptr;
  size_t meta_len_ = 0;
  size_t meta_pos_ = 0;
};

bool same_shape(const View& a, const View& b) {
  if (a.ndim != b.ndim) return false;
  for (int d = 0; d < a.ndim; ++d)
    if (a.shape[d] != b.shape[d]) return false;
  return true;
}

void expect_same_shape(const Args& A, const View& v, const char* name, const View& ref, const char* ref_name) {
  if (!same_shape(v, ref))
    A.range_error(std::string(name) + " has shape " + dims_str(v.shape, v.ndim) + " but " + ref_name +
                  " has shape " + dims_str(ref.shape, ref.ndim));
}

// An output written in parallel must not be a broadcast view (a stride of 0 over a size > 1), nor
// have more elements than its array (then some of them overlap).
void expect_writable(const Args& A, const View& out, const char* name) {
  const int64_t n = out.numel();
  if (n == 0) return;
  for (int d = 0; d < out.ndim; ++d)
    if (out.shape[d] > 1 && out.strides[d] == 0)
      A.range_error(std::string(name) + " has stride 0 in dim " + std::to_string(d) +
                    ": an output can't be a broadcast view");
  if (n > out.length)
    A.range_error(std::string(name) + " has " + std::to_string(n) + " elements in an array of " +
                  std::to_string(out.length) + ": its elements overlap");
}

bool is_contiguous(const View& v) {
  int64_t expect = 1;
  for (int d = v.ndim - 1; d >= 0; --d) {
    if (v.shape[d] == 1) continue;
    if (v.strides[d] != expect) return false;
    expect *= v.shape[d];
  }
  return true;
}

void expect_contiguous(const Args& A, const View& v, const char* name) {
  if (!is_contiguous(v))
    A.range_error(std::string(name) + " must be contiguous, got shape " + dims_str(v.shape, v.ndim) +
                  " with strides " + dims_str(v.strides, v.ndim));
}

// Byte range [lo, hi) a non-empty view can touch.
void byte_range(const View& v, uintptr_t* lo, uintptr_t* hi) {
  const size_t es = v.dtype == Dtype::kFloat32 ? 4 : v.dtype == Dtype::kBool ? 1 : 8;
  int64_t last = v.offset;
  for (int d = 0; d < v.ndim; ++d) last += (v.shape[d] - 1) * v.strides[d];
  *lo = reinterpret_cast<uintptr_t>(v.data) + static_cast<uintptr_t>(v.offset) * es;
  *hi = reinterpret_cast<uintptr_t>(v.data) + static_cast<uintptr_t>(last + 1) * es;
}

void expect_disjoint(const Args& A, const View& out, const View& in, const char* in_name) {
  if (out.numel() == 0 || in.numel() == 0) return;
  uintptr_t a0, a1, b0, b1;
  byte_range(out, &a0, &a1);
  byte_range(in, &b0, &b1);
  if (a0 < b1 && b0 < a1) A.range_error(std::string("out must not overlap ") + in_name);
}

// Runs an op, turning the C++ exceptions of ops.h into JavaScript errors.
template <class Fn>
void run(const Args& A, Fn&& fn) {
  try {
    fn();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::out_of_range& e) {
    throw Napi::RangeError::New(A.env(), e.what());
  } catch (const std::invalid_argument& e) {
    throw Napi::TypeError::New(A.env(), e.what());
  } catch (const std::bad_alloc&) {
    throw Napi::Error::New(A.env(), "torchlet: out of memory");
  } catch (const std::exception& e) {
    throw Napi::Error::New(A.env(), e.what());
  }
}

Napi::Array string_array(Napi::Env env, const char* const* names, int n) {
  Napi::Array a = Napi::Array::New(env, n);
  for (int i = 0; i < n; ++i) a.Set(static_cast<uint32_t>(i), Napi::String::New(env, names[i]));
  return a;
}

}  // namespace

class TorchletAddon : public Napi::Addon<TorchletAddon> {
 public:
  TorchletAddon(Napi::Env env, Napi::Object exports) : malloc_tuning_(tune_allocator_once()) {
    DefineAddon(exports, {
        InstanceMethod("info", &TorchletAddon::Info),
        InstanceMethod("gemmBlocking", &TorchletAddon::GemmBlockingFor),
        InstanceMethod("gemmOffGridSlowdown", &TorchletAddon::GemmOffGridSlowdown),
        InstanceMethod("gemmPartition", &TorchletAddon::GemmPartitionFor),
        InstanceMethod("setNumThreads", &TorchletAddon::SetNumThreads),
        InstanceMethod("setIsa", &TorchletAddon::SetIsa),
        InstanceMethod("fill", &TorchletAddon::Fill),
        InstanceMethod("copy", &TorchletAddon::Copy),
        InstanceMethod("copyToF64", &TorchletAddon::CopyToF64),
        InstanceMethod("unary", &TorchletAddon::Unary),
        InstanceMethod("clamp", &TorchletAddon::Clamp),
        InstanceMethod("binary", &TorchletAddon::Binary),
        InstanceMethod("where", &TorchletAddon::Where),
        InstanceMethod("reduce", &TorchletAddon::Reduce),
        InstanceMethod("argReduce", &TorchletAddon::ArgReduce),
        InstanceMethod("matmul", &TorchletAddon::Matmul),
        InstanceMethod("addScaled", &TorchletAddon::AddScaled),
        InstanceMethod("adamStep", &TorchletAddon::AdamStep),
        InstanceMethod("softmax", &TorchletAddon::Softmax),
        InstanceMethod("softmaxBackward", &TorchletAddon::SoftmaxBackward),
        InstanceMethod("gather", &TorchletAddon::Gather),
        InstanceMethod("scatterAdd", &TorchletAddon::ScatterAdd),
        InstanceMethod("im2col", &TorchletAddon::Im2col),
        InstanceMethod("col2im", &TorchletAddon::Col2im),
        InstanceMethod("matmulUnfolded", &TorchletAddon::MatmulUnfolded),
        InstanceMethod("convPaddedForward", &TorchletAddon::ConvPaddedForward),
        InstanceMethod("reluBackward", &TorchletAddon::ReluBackward),
        InstanceMethod("adviseHugePages", &TorchletAddon::AdviseHugePages),
        InstanceMethod("maxPool2d", &TorchletAddon::MaxPool2d),
        InstanceMethod("maxPool2dBackward", &TorchletAddon::MaxPool2dBackward),
        InstanceMethod("avgPool2d", &TorchletAddon::AvgPool2d),
        InstanceMethod("avgPool2dBackward", &TorchletAddon::AvgPool2dBackward),
        InstanceMethod("batchNormStats", &TorchletAddon::BatchNormStats),
        InstanceMethod("batchNormApply", &TorchletAddon::BatchNormApply),
        InstanceMethod("batchNormBackwardReduce", &TorchletAddon::BatchNormBackwardReduce),
        InstanceMethod("batchNormBackwardInput", &TorchletAddon::BatchNormBackwardInput),
        InstanceMethod("dropoutMask", &TorchletAddon::DropoutMask),
        InstanceMethod("lstmCellForward", &TorchletAddon::LstmCellForward),
        InstanceMethod("lstmCellBackward", &TorchletAddon::LstmCellBackward),
        InstanceMethod("gruCellForward", &TorchletAddon::GruCellForward),
        InstanceMethod("gruCellBackward", &TorchletAddon::GruCellBackward),
        InstanceMethod("layerNormForward", &TorchletAddon::LayerNormForward),
        InstanceMethod("layerNormBackward", &TorchletAddon::LayerNormBackward),
        InstanceMethod("convMatmul", &TorchletAddon::ConvMatmul),
        InstanceMethod("convGemmSplit", &TorchletAddon::ConvGemmSplitFor),
        InstanceMethod("convGemmPays", &TorchletAddon::ConvGemmPaysFor),
        InstanceValue("unaryOps", string_array(env, kUnaryOpNames, kNumUnaryOps), napi_enumerable),
        InstanceValue("binaryOps", string_array(env, kBinaryOpNames, kNumBinaryOps), napi_enumerable),
        InstanceValue("reduceOps", string_array(env, kReduceOpNames, kNumReduceOps), napi_enumerable),
        InstanceValue("argReduceOps", string_array(env, kArgReduceOpNames, kNumArgReduceOps), napi_enumerable),
        InstanceValue("maxDims", Napi::Number::New(env, kMaxDims), napi_enumerable),
        InstanceValue("hugePageAdviceBytes", Napi::Number::New(env, static_cast<double>(kHugePageAdviceBytes)),
                      napi_enumerable),
    });
  }

 private:
  Napi::Value Info(const Napi::CallbackInfo& info) {
    Args A(info, "info", 0);
    Napi::Env env = info.Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("isa", isa_name(state_.isa()));
    o.Set("cpuIsa", isa_name(state_.cpu_isa()));
    o.Set("threads", state_.threads());
    const std::vector<Isa> compiled = compiled_isas();
    Napi::Array c = Napi::Array::New(env, compiled.size());
    for (size_t i = 0; i < compiled.size(); ++i) c.Set(static_cast<uint32_t>(i), isa_name(compiled[i]));
    o.Set("compiledIsas", c);
    Napi::Array w = Napi::Array::New(env, state_.warnings().size());
    for (size_t i = 0; i < state_.warnings().size(); ++i) w.Set(static_cast<uint32_t>(i), state_.warnings()[i]);
    o.Set("warnings", w);
    o.Set("mallocTuning", malloc_tuning_);
    // Cache sizes the GEMM blocking is derived from (cache_info.h).
    const CacheSizes& cs = cache_sizes();
    Napi::Object caches = Napi::Object::New(env);
    caches.Set("l1d", static_cast<double>(cs.l1d));
    caches.Set("l2", static_cast<double>(cs.l2));
    caches.Set("l3", static_cast<double>(cs.l3));
    caches.Set("source", cs.source);
    o.Set("caches", caches);
    return o;
  }

  // adviseHugePages(buffer): memory advice for a fresh, not yet written ArrayBuffer (memory.h).
  Napi::Value AdviseHugePages(const Napi::CallbackInfo& info) {
    Args A(info, "adviseHugePages", 1);
    if (!info[0].IsArrayBuffer()) A.type_error("buffer must be an ArrayBuffer");
    Napi::ArrayBuffer buf = info[0].As<Napi::ArrayBuffer>();
    if (buf.ByteLength() >= kHugePageAdviceBytes) advise_huge_pages(buf.Data(), buf.ByteLength());
    return info.Env().Undefined();
  }

  Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
    Args A(info, "setNumThreads", 1);
    const int n = static_cast<int>(A.integer(0, "n", 1, kMaxThreads));
    run(A, [&] { state_.set_num_threads(n); });
    return info.Env().Undefined();
  }

  Napi::Value SetIsa(const Napi::CallbackInfo& info) {
    Args A(info, "setIsa", 1);
    if (!info[0].IsString()) A.type_error("name must be a string, got " + js_type(info[0]));
    const std::string name = info[0].As<Napi::String>().Utf8Value();
    try {
      state_.set_isa(name);
    } catch (const std::invalid_argument& e) {
      throw Napi::RangeError::New(info.Env(), e.what());
    } catch (const std::exception& e) {
      throw Napi::Error::New(info.Env(), e.what());
    }
    return info.Env().Undefined();
  }

  // fill(meta, out, value)
  Napi::Value Fill(const Napi::CallbackInfo& info) {
    Args A(info, "fill", 3);
    A.meta(0);
    const View out = A.view(1, "out", kAnyDtype);
    A.meta_done();
    const double value = A.number(2, "value");
    expect_writable(A, out, "out");
    run(A, [&] { fill(state_.context(), out, value); });
    return info.Env().Undefined();
  }

  // copy(meta, x, out)
  Napi::Value Copy(const Napi::CallbackInfo& info) {
    Args A(info, "copy", 3);
    A.meta(0);
    const View x = A.view(1, "x", kAnyDtype);
    const View out = A.view(2, "out", kAnyDtype);
    A.meta_done();
    expect_same_shape(A, x, "x", out, "out");
    expect_writable(A, out, "out");
    run(A, [&] { copy(state_.context(), x, out); });
    return info.Env().Undefined();
  }

  // unary(op, meta, x, out)
  Napi::Value Unary(const Napi::CallbackInfo& info) {
    Args A(info, "unary", 4);
    const int op = static_cast<int>(A.integer(0, "op", 0, kNumUnaryOps - 1));
    A.meta(1);
    const View x = A.view(2, "x", kF32 | kF64);
    const View out = A.view(3, "out", bit_of(x.dtype));
    A.meta_done();
    expect_same_shape(A, x, "x", out, "out");
    expect_writable(A, out, "out");
    const bool f64 = x.dtype == Dtype::kFloat64;
    run(A, [&] { f64 ? unary_f64(state_.context(), op, x, out) : unary(state_.context(), op, x, out); });
    return info.Env().Undefined();
  }

  // clamp(meta, x, out, lo, hi)
  Napi::Value Clamp(const Napi::CallbackInfo& info) {
    Args A(info, "clamp", 5);
    A.meta(0);
    const View x = A.view(1, "x", kF32 | kF64);
    const View out = A.view(2, "out", bit_of(x.dtype));
    A.meta_done();
    const double lo = A.number(3, "lo"), hi = A.number(4, "hi");
    expect_same_shape(A, x, "x", out, "out");
    expect_writable(A, out, "out");
    const bool f64 = x.dtype == Dtype::kFloat64;
    run(A, [&] {
      f64 ? clamp_f64(state_.context(), x, lo, hi, out)
          : clamp(state_.context(), x, static_cast<float>(lo), static_cast<float>(hi), out);
    });
    return info.Env().Undefined();
  }

  // binary(op, meta, a, b, out)
  Napi::Value Binary(const Napi::CallbackInfo& info) {
    Args A(info, "binary", 5);
    const int op = static_cast<int>(A.integer(0, "op", 0, kNumBinaryOps - 1));
    const bool logical = op >= kAnd, compare = op >= kEq && op <= kGe;
    A.meta(1);
    const View a = A.view(2, "a", logical ? kB8 : kF32 | kF64);
    const View b = A.view(3, "b", bit_of(a.dtype));
    const View out = A.view(4, "out", logical || compare ? kB8 : bit_of(a.dtype));
    A.meta_done();
    expect_same_shape(A, a, "a", out, "out");
    expect_same_shape(A, b, "b", out, "out");
    expect_writable(A, out, "out");
    const bool f64 = a.dtype == Dtype::kFloat64;
    run(A, [&] { f64 ? binary_f64(state_.context(), op, a, b, out) : binary(state_.context(), op, a, b, out); });
    return info.Env().Undefined();
  }

  // reluBackward(meta, grad, result, out): out = result <= 0 ? 0 : grad, float32
  Napi::Value ReluBackward(const Napi::CallbackInfo& info) {
    Args A(info, "reluBackward", 4);
    A.meta(0);
    const View g = A.view(1, "grad", kF32);
    const View r = A.view(2, "result", kF32);
    const View out = A.view(3, "out", kF32);
    A.meta_done();
    expect_same_shape(A, g, "grad", out, "out");
    expect_same_shape(A, r, "result", out, "out");
    expect_writable(A, out, "out");
    run(A, [&] { relu_backward(state_.context(), g, r, out); });
    return info.Env().Undefined();
  }

  // where(meta, cond, a, b, out)
  Napi::Value Where(const Napi::CallbackInfo& info) {
    Args A(info, "where", 5);
    A.meta(0);
    const View cond = A.view(1, "cond", kB8);
    const View a = A.view(2, "a", kAnyDtype);
    const View b = A.view(3, "b", bit_of(a.dtype));
    const View out = A.view(4, "out", bit_of(a.dtype));
    A.meta_done();
    expect_same_shape(A, cond, "cond", out, "out");
    expect_same_shape(A, a, "a", out, "out");
    expect_same_shape(A, b, "b", out, "out");
    expect_writable(A, out, "out");
    run(A, [&] { where(state_.context(), cond, a, b, out); });
    return info.Env().Undefined();
  }

  // reduce(op, meta, x, out)
  Napi::Value Reduce(const Napi::CallbackInfo& info) {
    Args A(info, "reduce", 4);
    const int op = static_cast<int>(A.integer(0, "op", 0, kNumReduceOps - 1));
    A.meta(1);
    const View x = A.view(2, "x", kF32 | kF64);
    const View out = A.view(3, "out", bit_of(x.dtype));
    A.meta_done();
    bool ok = out.ndim == x.ndim;
    for (int d = 0; d < x.ndim && ok; ++d) ok = out.shape[d] == 1 || out.shape[d] == x.shape[d];
    if (!ok)
      A.range_error("out has shape " + dims_str(out.shape, out.ndim) + ", not a keepdim reduction of x's " +
                    dims_str(x.shape, x.ndim));
    expect_writable(A, out, "out");
    run(A, [&] { reduce(state_.context(), op, x, out); });
    return info.Env().Undefined();
  }

  // argReduce(op, meta, x, out, dim)
  Napi::Value ArgReduce(const Napi::CallbackInfo& info) {
    Args A(info, "argReduce", 5);
    const int op = static_cast<int>(A.integer(0, "op", 0, kNumArgReduceOps - 1));
    A.meta(1);
    const View x = A.view(2, "x", kF32 | kF64);
    const View out = A.view(3, "out", kI64);
    A.meta_done();
    if (x.ndim < 1) A.range_error("x must have at least one dim");
    const int dim = static_cast<int>(A.integer(4, "dim", 0, x.ndim - 1));
    View want = x;
    want.shape[dim] = 1;
    expect_same_shape(A, out, "out", want, "x reduced along dim");
    expect_writable(A, out, "out");
    run(A, [&] { arg_reduce(state_.context(), op, x, dim, out); });
    return info.Env().Undefined();
  }

  // matmul(meta, a, b, out[, accumulate]): [B,M,K] x [B,K,N] -> [B,M,N] (out += when accumulate)
  Napi::Value Matmul(const Napi::CallbackInfo& info) {
    Args A(info, "matmul", info.Length() == 4 ? 4 : 5);
    A.meta(0);
    const View a = A.view(1, "a", kF32 | kF64);
    const View b = A.view(2, "b", bit_of(a.dtype));
    const View out = A.view(3, "out", bit_of(a.dtype));
    A.meta_done();
    if (a.ndim != 3 || b.ndim != 3 || out.ndim != 3)
      A.range_error("a, b and out must be 3-D [B,M,K], [B,K,N], [B,M,N], got " + dims_str(a.shape, a.ndim) +
                    ", " + dims_str(b.shape, b.ndim) + ", " + dims_str(out.shape, out.ndim));
    if (a.shape[0] != out.shape[0] || b.shape[0] != out.shape[0] || a.shape[1] != out.shape[1] ||
        b.shape[2] != out.shape[2] || a.shape[2] != b.shape[1])
      A.range_error("shapes don't match: a " + dims_str(a.shape, 3) + " x b " + dims_str(b.shape, 3) +
                    " -> out " + dims_str(out.shape, 3));
    expect_contiguous(A, out, "out");
    expect_disjoint(A, out, a, "a");
    expect_disjoint(A, out, b, "b");
    const bool accumulate = info.Length() == 5 && A.boolean(4, "accumulate");
    run(A, [&] { matmul(state_.context(), a, b, out, accumulate); });
    return info.Env().Undefined();
  }

  // addScaled(meta, a, b, out, alpha): out = a + alpha * b, one rounding
  Napi::Value AddScaled(const Napi::CallbackInfo& info) {
    Args A(info, "addScaled", 5);
    A.meta(0);
    const View a = A.view(1, "a", kF32);
    const View b = A.view(2, "b", kF32);
    const View out = A.view(3, "out", kF32);
    A.meta_done();
    const double alpha = A.number(4, "alpha");
    expect_same_shape(A, a, "a", out, "out");
    expect_same_shape(A, b, "b", out, "out");
    expect_writable(A, out, "out");
    run(A, [&] { add_scaled(state_.context(), a, b, static_cast<float>(alpha), out); });
    return info.Env().Undefined();
  }

  // adamStep(meta, p, grad, expAvg, expAvgSq, maxExpAvgSq | null, beta1, beta2, negStepSize,
  //          bc2Sqrt, eps, decay): one Adam update in place (lib/backend/types.ts)
  Napi::Value AdamStep(const Napi::CallbackInfo& info) {
    Args A(info, "adamStep", 12);
    A.meta(0);
    const View p = A.view(1, "p", kF32);
    const View g = A.view(2, "grad", kF32);
    const View m = A.view(3, "expAvg", kF32);
    const View v = A.view(4, "expAvgSq", kF32);
    const bool amsgrad = !info[5].IsNull();
    View vmax;
    if (amsgrad) vmax = A.view(5, "maxExpAvgSq", kF32);
    A.meta_done();
    const double beta1 = A.number(6, "beta1"), beta2 = A.number(7, "beta2");
    const double nss = A.number(8, "negStepSize"), bc2 = A.number(9, "bc2Sqrt");
    const double eps = A.number(10, "eps"), decay = A.number(11, "decay");
    expect_same_shape(A, g, "grad", p, "p");
    expect_same_shape(A, m, "expAvg", p, "p");
    expect_same_shape(A, v, "expAvgSq", p, "p");
    if (amsgrad) expect_same_shape(A, vmax, "maxExpAvgSq", p, "p");
    expect_writable(A, p, "p");
    expect_writable(A, m, "expAvg");
    expect_writable(A, v, "expAvgSq");
    if (amsgrad) expect_writable(A, vmax, "maxExpAvgSq");
    // NOTE: (1 - beta) in double, then rounded: what a Python float scalar gives.
    const AdamConsts k{static_cast<float>(beta1), static_cast<float>(1.0 - beta1), static_cast<float>(beta2),
                       static_cast<float>(1.0 - beta2), static_cast<float>(nss), static_cast<float>(bc2),
                       static_cast<float>(eps), static_cast<float>(decay), decay != 1.0};
    run(A, [&] { adam_step(state_.context(), p, g, m, v, amsgrad ? &vmax : nullptr, k); });
    return info.Env().Undefined();
  }

  // softmax(meta, x, out, log)
  Napi::Value Softmax(const Napi::CallbackInfo& info) {
    Args A(info, "softmax", 4);
    A.meta(0);
    const View x = A.view(1, "x", kF32 | kF64);
    const View out = A.view(2, "out", bit_of(x.dtype));
    A.meta_done();
    const bool log = A.boolean(3, "log");
    expect_same_shape(A, x, "x", out, "out");
    expect_contiguous(A, x, "x");
    expect_contiguous(A, out, "out");
    const bool f64 = x.dtype == Dtype::kFloat64;
    run(A, [&] { f64 ? softmax_f64(state_.context(), x, out, log) : softmax(state_.context(), x, out, log); });
    return info.Env().Undefined();
  }

  // softmaxBackward(meta, y, g, out): float32 rows; out may be g itself, never overlap y.
  Napi::Value SoftmaxBackward(const Napi::CallbackInfo& info) {
    Args A(info, "softmaxBackward", 4);
    A.meta(0);
    const View y = A.view(1, "y", kF32);
    const View g = A.view(2, "g", kF32);
    const View out = A.view(3, "out", kF32);
    A.meta_done();
    expect_same_shape(A, g, "g", y, "y");
    expect_same_shape(A, out, "out", y, "y");
    expect_contiguous(A, y, "y");
    expect_contiguous(A, g, "g");
    expect_contiguous(A, out, "out");
    expect_disjoint(A, out, y, "y");
    // NOTE: out is g (in place) or apart from it: a partial overlap would read written elements.
    if (out.data != g.data || out.offset != g.offset) expect_disjoint(A, out, g, "g");
    run(A, [&] { softmax_backward(state_.context(), y, g, out); });
    return info.Env().Undefined();
  }

  // gather(meta, x, index, out, dim)
  Napi::Value Gather(const Napi::CallbackInfo& info) {
    Args A(info, "gather", 5);
    A.meta(0);
    const View x = A.view(1, "x", kF32);
    const View index = A.view(2, "index", kI64);
    const View out = A.view(3, "out", kF32);
    A.meta_done();
    if (x.ndim < 1) A.range_error("x must have at least one dim");
    const int dim = static_cast<int>(A.integer(4, "dim", 0, x.ndim - 1));
    expect_same_shape(A, index, "index", out, "out");
    check_index_extent(A, index, x, "x", dim);
    expect_writable(A, out, "out");
    run(A, [&] { gather(state_.context(), x, dim, index, out); });
    return info.Env().Undefined();
  }

  // scatterAdd(meta, out, index, src, dim)
  Napi::Value ScatterAdd(const Napi::CallbackInfo& info) {
    Args A(info, "scatterAdd", 5);
    A.meta(0);
    const View out = A.view(1, "out", kF32);
    const View index = A.view(2, "index", kI64);
    const View src = A.view(3, "src", kF32);
    A.meta_done();
    if (out.ndim < 1) A.range_error("out must have at least one dim");
    const int dim = static_cast<int>(A.integer(4, "dim", 0, out.ndim - 1));
    expect_same_shape(A, index, "index", src, "src");
    check_index_extent(A, index, out, "out", dim);
    expect_writable(A, out, "out");
    run(A, [&] { scatter_add(state_.context(), out, dim, index, src); });
    return info.Env().Undefined();
  }

  // im2col(meta, x, cols, kh, kw, padTop, padLeft, strideH, strideW, dilationH, dilationW)
  Napi::Value Im2col(const Napi::CallbackInfo& info) {
    Args A(info, "im2col", 11);
    A.meta(0);
    const View x = A.view(1, "x", kF32);
    const View cols = A.view(2, "cols", kF32);
    A.meta_done();
    const ConvGeometry g = conv_geometry(A, 3, x, "x", cols);
    expect_writable(A, cols, "cols");
    expect_disjoint(A, cols, x, "x");
    run(A, [&] { im2col(state_.context(), x, cols, g); });
    return info.Env().Undefined();
  }

  // col2im(meta, cols, out, kh, kw, padTop, padLeft, strideH, strideW, dilationH, dilationW)
  Napi::Value Col2im(const Napi::CallbackInfo& info) {
    Args A(info, "col2im", 11);
    A.meta(0);
    const View cols = A.view(1, "cols", kF32);
    const View out = A.view(2, "out", kF32);
    A.meta_done();
    const ConvGeometry g = conv_geometry(A, 3, out, "out", cols);
    expect_writable(A, out, "out");
    expect_disjoint(A, out, cols, "cols");
    run(A, [&] { col2im(state_.context(), cols, out, g); });
    return info.Env().Undefined();
  }

  // The 8 window numbers from argument `i` on; image [N, C, H, W] and cols [N, C*kh*kw, OH, OW].
  // NOTE: bounded so that no pixel coordinate the kernels compute can overflow int64.
  static ConvGeometry conv_geometry(const Args& A, size_t i, const View& image, const char* name, const View& cols) {
    constexpr int64_t kMaxWindow = int64_t{1} << 31;
    ConvGeometry g;
    g.kh = A.integer(i, "kh", 1, kMaxWindow);
    g.kw = A.integer(i + 1, "kw", 1, kMaxWindow);
    g.pad_top = A.integer(i + 2, "padTop", 0, kMaxWindow);
    g.pad_left = A.integer(i + 3, "padLeft", 0, kMaxWindow);
    g.stride_h = A.integer(i + 4, "strideH", 1, kMaxWindow);
    g.stride_w = A.integer(i + 5, "strideW", 1, kMaxWindow);
    g.dil_h = A.integer(i + 6, "dilationH", 1, kMaxWindow);
    g.dil_w = A.integer(i + 7, "dilationW", 1, kMaxWindow);
    if (image.ndim != 4 || cols.ndim != 4)
      A.range_error(std::string(name) + " and cols must be 4-D [N,C,H,W] and [N,C*kh*kw,OH,OW], got " +
                    dims_str(image.shape, image.ndim) + " and " + dims_str(cols.shape, cols.ndim));
    const double rows = static_cast<double>(image.shape[1]) * static_cast<double>(g.kh) * static_cast<double>(g.kw);
    if (cols.shape[0] != image.shape[0] || static_cast<double>(cols.shape[1]) != rows)
      A.range_error("cols has shape " + dims_str(cols.shape, 4) + ", expected [" + std::to_string(image.shape[0]) +
                    "," + num(rows) + ",OH,OW] for " + name + " " + dims_str(image.shape, 4));
    const double reach_h = static_cast<double>(cols.shape[2]) * g.stride_h + static_cast<double>(g.kh) * g.dil_h;
    const double reach_w = static_cast<double>(cols.shape[3]) * g.stride_w + static_cast<double>(g.kw) * g.dil_w;
    if (reach_h > kMaxSafeInt || reach_w > kMaxSafeInt) A.range_error("the window reaches too far");
    return g;
  }

  // index has `data`'s ndim and fits inside it in every dim but `dim` (torch.gather's rule).
  static void check_index_extent(const Args& A, const View& index, const View& data, const char* name, int dim) {
    bool ok = index.ndim == data.ndim;
    for (int d = 0; d < index.ndim && ok; ++d) ok = d == dim || index.shape[d] <= data.shape[d];
    if (!ok)
      A.range_error("index has shape " + dims_str(index.shape, index.ndim) + ", which doesn't fit " + name +
                    "'s " + dims_str(data.shape, data.ndim) + " outside dim " + std::to_string(dim));
  }

  // Pooling and batch norm (pool2d.h, batch_norm.h): their checks live in binding_pool_bn.inc.
#include "binding_pool_bn.inc"
  // GEMM planning (gemm_blocking.h), for the tests.
#include "binding_gemm.inc"

  // float32 -> float64 copies (elementwise.cc's copy with a float64-typed out).
#include "binding_f64_cast.inc"

  // Random draws on the frontend generator's state (random.h): binding_random.inc.
#include "binding_random.inc"

  // Fused LSTM/GRU cell steps (rnn_cell.h): binding_rnn.inc.
#include "binding_rnn.inc"
  // LayerNorm (layer_norm.h): binding_norm.inc.
#include "binding_norm.inc"
  // conv2d's weight GEMM with its own split (conv_gemm.h): binding_conv.inc.
#include "binding_conv.inc"
  // matmul on a convolution's unstored columns (conv_pack.h) and the forward on it (conv_padded_forward.h).
#include "binding_conv_pack.inc"

  AddonState state_;
  std::string malloc_tuning_;
};

}  // namespace torchlet

using torchlet::TorchletAddon;
NODE_API_NAMED_ADDON(torchlet, TorchletAddon)
