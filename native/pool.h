// One persistent thread pool per addon instance (per Node environment), shared by all kernels.
// parallel_for is the serial loop `for (i = 0; i < n; i += grain) fn(i, min(i + grain, n))`
// run on several threads: the caller takes part, chunks go out by an atomic counter in runs of
// consecutive chunks that shrink as the job drains (pool.cc, kClaimShare), and a pool of one thread
// (or work of one chunk) runs inline without waking anyone.
// ref: pthreadpool's pthreadpool_parallelize_1d contract (include/pthreadpool.h).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace torchlet {

class ThreadPool {
 public:
  explicit ThreadPool(int num_threads);  // num_threads >= 1, including the caller
  ~ThreadPool();                         // joins the workers
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const;
  // Chunks [begin, end) of [0, n), each at most `grain` long; returns when all are done.
  // fn must not throw. Chunk boundaries depend only on n and grain, never on the thread count,
  // so a kernel that writes disjoint outputs per chunk is bit-identical for any thread count.
  void parallel_for(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Per-thread state of the kernels (e.g. GEMM's packing buffers) lives in thread_local variables
// that must be trivially destructible, and is freed explicitly: a kernel registers a function that
// frees the calling thread's state, and every pool runs them on each worker just before it exits,
// and on the thread that destroys the pool (the Node thread that called into it).
// NOTE: no thread_local with a destructor. With mingw-w64 (emutls, static winpthreads) the emutls
// key's destructor frees a thread's thread_local objects before the one that runs their C++
// destructors (libstdc++'s __cxa_thread_atexit fallback, a later pthread key), so every such
// destructor runs on freed memory when a worker exits: a crash in ntdll's heap under Wine.
using ThreadStateRelease = void (*)();
// Call from a static initializer; at most 8 functions (more aborts: raise kMaxThreadStateReleases).
void register_thread_state_release(ThreadStateRelease release);
// Runs every registered function on the calling thread (idempotent; the state grows back on use).
void release_thread_state();

}  // namespace torchlet
