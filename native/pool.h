// One persistent thread pool per addon instance (per Node environment), shared by all kernels.
// parallel_for is the serial loop `for (i = 0; i < n; i += grain) fn(i, min(i + grain, n))`
// run on several threads: the caller takes part, chunks go out by an atomic counter, and a
// pool of one thread (or work of one chunk) runs inline without waking anyone.
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

}  // namespace torchlet
