// Per-environment addon state: the thread pool, the ISA in use and its kernel table, and the
// settings read from TORCHLET_ISA / TORCHLET_NUM_THREADS at load. One instance per Node environment
// (main thread or worker), owned by the Napi::Addon; nothing here is static or N-API aware.
// NOTE: a bad or unsupported env value warns and falls back (listed in `warnings`, which the TS
// loader emits once); setIsa()/setNumThreads() with a bad value throw instead.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "elementwise.h"
#include "isa.h"
#include "ops.h"
#include "pool.h"

namespace torchlet {

constexpr int kMaxThreads = 1024;

class AddonState {
 public:
  // Reads the environment variables; never throws for their values (see `warnings`).
  AddonState();

  OpContext context() const { return OpContext{isa_, kernels_, pool_.get()}; }
  Isa isa() const { return isa_; }
  Isa cpu_isa() const { return cpu_isa_; }
  int threads() const { return threads_; }
  const std::vector<std::string>& warnings() const { return warnings_; }

  // Throws std::out_of_range unless 1 <= n <= kMaxThreads.
  void set_num_threads(int n);
  // Throws std::invalid_argument for an unknown name, std::runtime_error for an ISA this binary
  // or this CPU lacks.
  void set_isa(const std::string& name);

 private:
  Isa cpu_isa_;
  Isa isa_;
  const Kernels* kernels_;
  int threads_;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<std::string> warnings_;
};

// ISAs compiled into this binary, best last.
std::vector<Isa> compiled_isas();
// True when `isa` is compiled in and the CPU (detected as `cpu`) runs it.
bool isa_usable(Isa isa, Isa cpu);
// CPUs this process may run on (sched_getaffinity on Linux), else hardware_concurrency, >= 1.
int available_cores();

}  // namespace torchlet
