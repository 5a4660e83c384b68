// AddonState: ISA and thread-count selection from the environment, setters used by setIsa() and
// setNumThreads(), and the core count. Plain C++; binding.cc exposes it to JavaScript.
// ref: the per-instance state pattern of node-addon-api's doc/addon.md.
#include "addon_state.h"

#include <cstdlib>
#include <stdexcept>
#include <thread>

#if defined(__linux__)
#include <sched.h>
#endif

namespace torchlet {

std::vector<Isa> compiled_isas() {
#if defined(__x86_64__) || defined(_M_X64)
  return {Isa::kScalar, Isa::kAvx2, Isa::kAvx512};
#elif defined(__aarch64__) || defined(_M_ARM64)
  return {Isa::kScalar, Isa::kNeon};
#else
  return {Isa::kScalar};
#endif
}

bool isa_usable(Isa isa, Isa cpu) {
  bool compiled = false;
  for (Isa i : compiled_isas()) compiled = compiled || i == isa;
  if (!compiled) return false;
  switch (isa) {
    case Isa::kScalar: return true;
    case Isa::kAvx2: return cpu == Isa::kAvx2 || cpu == Isa::kAvx512;
    case Isa::kAvx512: return cpu == Isa::kAvx512;
    case Isa::kNeon: return cpu == Isa::kNeon;
  }
  return false;
}

int available_cores() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return n;
  }
#endif
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? static_cast<int>(n) : 1;
}

namespace {

// Parses a whole decimal integer in [1, kMaxThreads]; false otherwise.
bool parse_threads(const char* s, int* out) {
  char* end = nullptr;
  const long v = std::strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < 1 || v > kMaxThreads) return false;
  *out = static_cast<int>(v);
  return true;
}

}  // namespace

AddonState::AddonState() : cpu_isa_(detect_isa()), isa_(cpu_isa_) {
  // NOTE: getenv, not process.env: a worker's process.env is a copy, but the variables that
  // matter are set before node starts.
  if (const char* env = std::getenv("TORCHLET_ISA"); env != nullptr && *env != '\0') {
    Isa want;
    if (!parse_isa(env, &want)) {
      warnings_.push_back(std::string("TORCHLET_ISA=") + env +
                          " is not one of scalar, avx2, avx512, neon; using " + isa_name(isa_));
    } else if (!isa_usable(want, cpu_isa_)) {
      warnings_.push_back(std::string("TORCHLET_ISA=") + env + " is not supported by this " +
                          (isa_usable(want, want) ? "CPU" : "build") + "; using " + isa_name(isa_));
    } else {
      isa_ = want;
    }
  }
  kernels_ = &kernels_for(isa_);
  threads_ = available_cores();
  if (threads_ > kMaxThreads) threads_ = kMaxThreads;
  if (const char* env = std::getenv("TORCHLET_NUM_THREADS"); env != nullptr && *env != '\0') {
    int n;
    if (parse_threads(env, &n)) {
      threads_ = n;
    } else {
      warnings_.push_back(std::string("TORCHLET_NUM_THREADS=") + env +
                          " is not an integer in [1, " + std::to_string(kMaxThreads) + "]; using " +
                          std::to_string(threads_));
    }
  }
  pool_ = std::make_unique<ThreadPool>(threads_);
}

void AddonState::set_num_threads(int n) {
  if (n < 1 || n > kMaxThreads)
    throw std::out_of_range("setNumThreads: n must be an integer in [1, " +
                            std::to_string(kMaxThreads) + "], got " + std::to_string(n));
  if (n == threads_) return;
  // Build the new pool first: if that throws, the old one stays. The old one joins on reset.
  std::unique_ptr<ThreadPool> next = std::make_unique<ThreadPool>(n);
  pool_ = std::move(next);
  threads_ = n;
}

void AddonState::set_isa(const std::string& name) {
  Isa want;
  if (!parse_isa(name.c_str(), &want))
    throw std::invalid_argument("setIsa: unknown ISA \"" + name +
                                "\" (expected scalar, avx2, avx512 or neon)");
  if (!isa_usable(want, cpu_isa_))
    throw std::runtime_error("setIsa: \"" + name + "\" is not supported by this " +
                             (isa_usable(want, want) ? std::string("CPU (it has ") + isa_name(cpu_isa_) + ")"
                                                     : std::string("build")));
  isa_ = want;
  kernels_ = &kernels_for(isa_);
}

}  // namespace torchlet
