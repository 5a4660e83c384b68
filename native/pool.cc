// ThreadPool: persistent workers that spin briefly after a job and then sleep on a condition
// variable; the caller runs chunks too, and chunks are claimed one by one from an atomic counter.
// It does not pin threads or size itself (the binding passes the thread count).
// ref: pthreadpool_parallelize_1d (include/pthreadpool.h); ggml's atomic chunk counter (common.h).
#include "pool.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#define TORCHLET_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define TORCHLET_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define TORCHLET_CPU_RELAX() ((void)0)
#endif

namespace torchlet {

namespace {

// How long an idle worker (or a caller waiting for the last chunks) polls before it sleeps.
// NOTE: long enough to bridge the gap between the kernels of one training step, short enough
// that an idle Node process does not burn a core shared with others.
constexpr auto kSpinTime = std::chrono::microseconds(200);

// A job's chunk counter packs the job's generation (high 32 bits) with the next chunk index
// (low 32 bits), so a worker that wakes late can only claim chunks of the job it was woken for.
constexpr uint64_t kIndexMask = 0xffffffffu;
constexpr uint64_t kClosed = kIndexMask;  // the index of a generation whose job fields may change
constexpr size_t kMaxChunksPerRound = 0xfffffffeu;

thread_local const void* t_running_pool = nullptr;  // the pool this thread is running a chunk of

}  // namespace

struct ThreadPool::Impl {
  int num_threads = 1;
  std::vector<std::thread> workers;

  // The current job. Written by the caller before it publishes a new generation in `counter`,
  // read by workers after they see that generation (release/acquire through `counter`) and have
  // announced themselves in `active` (see run_chunks).
  std::atomic<const std::function<void(size_t, size_t)>*> fn{nullptr};
  std::atomic<size_t> n{0}, grain{1}, base{0}, num_chunks{0};
  std::atomic<uint64_t> counter{0};  // (generation << 32) | next chunk (kClosed: none left)
  std::atomic<size_t> done{0};       // chunks finished in this generation
  std::atomic<int> active{0};        // workers between announcing themselves and leaving a job

  std::mutex mu;
  std::condition_variable wake_cv;   // workers wait here for a new generation
  std::condition_variable done_cv;   // the caller waits here for the last chunk
  int sleeping_workers = 0;          // guarded by mu
  bool caller_sleeping = false;      // guarded by mu
  bool stop = false;                 // guarded by mu
  std::mutex call_mu;                // one parallel_for at a time per pool

  // Claims and runs chunks of generation `gen` until none is left.
  void run_chunks(uint32_t gen) {
    // NOTE: announce first, then check the generation is still open (both seq_cst): the caller
    // closes a generation, then waits for active == 0 before it rewrites the job fields, so
    // either it sees this worker or this worker sees the generation closed (Dekker).
    active.fetch_add(1, std::memory_order_seq_cst);
    uint64_t cur = counter.load(std::memory_order_seq_cst);
    if (static_cast<uint32_t>(cur >> 32) == gen && (cur & kIndexMask) != kClosed) {
      const std::function<void(size_t, size_t)>* f = fn.load(std::memory_order_relaxed);
      const size_t nn = n.load(std::memory_order_relaxed);
      const size_t g = grain.load(std::memory_order_relaxed);
      const size_t b0 = base.load(std::memory_order_relaxed);
      const size_t chunks = num_chunks.load(std::memory_order_relaxed);
      for (;;) {
        const uint64_t idx = cur & kIndexMask;
        if (static_cast<uint32_t>(cur >> 32) != gen || idx >= chunks) break;
        if (!counter.compare_exchange_weak(cur, cur + 1, std::memory_order_acq_rel,
                                           std::memory_order_acquire)) {
          continue;
        }
        const size_t begin = b0 + static_cast<size_t>(idx) * g;
        const size_t end = std::min(begin + g, nn);
        const void* outer = t_running_pool;
        t_running_pool = this;
        (*f)(begin, end);
        t_running_pool = outer;
        if (done.fetch_add(1, std::memory_order_acq_rel) + 1 == chunks) {
          std::lock_guard<std::mutex> lock(mu);
          if (caller_sleeping) done_cv.notify_one();
        }
        cur = counter.load(std::memory_order_acquire);
      }
    }
    active.fetch_sub(1, std::memory_order_seq_cst);
  }

  void worker_main() {
    uint32_t seen = static_cast<uint32_t>(counter.load(std::memory_order_acquire) >> 32);
    for (;;) {
      uint32_t gen = seen;
      const auto spin_start = std::chrono::steady_clock::now();
      for (int i = 0;; ++i) {
        gen = static_cast<uint32_t>(counter.load(std::memory_order_acquire) >> 32);
        if (gen != seen) break;
        TORCHLET_CPU_RELAX();
        if ((i & 63) == 63 && std::chrono::steady_clock::now() - spin_start > kSpinTime) break;
      }
      if (gen == seen) {
        std::unique_lock<std::mutex> lock(mu);
        ++sleeping_workers;
        wake_cv.wait(lock, [&] {
          gen = static_cast<uint32_t>(counter.load(std::memory_order_acquire) >> 32);
          return stop || gen != seen;
        });
        --sleeping_workers;
        if (stop) return;
      }
      seen = gen;
      run_chunks(gen);
    }
  }

  // Runs chunks [0, chunks) of the serial loop starting at `b0` on every thread.
  void run_round(const std::function<void(size_t, size_t)>& f, size_t nn, size_t g, size_t b0,
                 size_t chunks) {
    // Close the previous generation and wait for workers still looking at its fields.
    const uint64_t prev = counter.load(std::memory_order_relaxed);
    counter.store((prev & ~kIndexMask) | kClosed, std::memory_order_seq_cst);
    while (active.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    fn.store(&f, std::memory_order_relaxed);
    n.store(nn, std::memory_order_relaxed);
    grain.store(g, std::memory_order_relaxed);
    base.store(b0, std::memory_order_relaxed);
    num_chunks.store(chunks, std::memory_order_relaxed);
    done.store(0, std::memory_order_relaxed);
    uint32_t gen;
    {
      std::lock_guard<std::mutex> lock(mu);
      gen = static_cast<uint32_t>(counter.load(std::memory_order_relaxed) >> 32) + 1;
      counter.store(static_cast<uint64_t>(gen) << 32, std::memory_order_release);
      if (sleeping_workers > 0) wake_cv.notify_all();
    }
    run_chunks(gen);
    // Wait for chunks still running on workers: poll first, then sleep.
    const auto spin_start = std::chrono::steady_clock::now();
    for (int i = 0; done.load(std::memory_order_acquire) != chunks; ++i) {
      TORCHLET_CPU_RELAX();
      if ((i & 63) == 63 && std::chrono::steady_clock::now() - spin_start > kSpinTime) {
        std::unique_lock<std::mutex> lock(mu);
        caller_sleeping = true;
        done_cv.wait(lock, [&] { return done.load(std::memory_order_acquire) == chunks; });
        caller_sleeping = false;
        break;
      }
    }
  }
};

ThreadPool::ThreadPool(int num_threads) : impl_(new Impl) {
  impl_->num_threads = std::max(1, num_threads);
  impl_->workers.reserve(static_cast<size_t>(impl_->num_threads - 1));
  for (int i = 1; i < impl_->num_threads; ++i) {
    impl_->workers.emplace_back([this] { impl_->worker_main(); });
  }
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stop = true;
  }
  impl_->wake_cv.notify_all();
  for (std::thread& t : impl_->workers) t.join();
}

int ThreadPool::num_threads() const { return impl_->num_threads; }

void ThreadPool::parallel_for(size_t n, size_t grain,
                              const std::function<void(size_t, size_t)>& fn) {
  if (n == 0) return;
  if (grain == 0) grain = 1;
  const size_t chunks = n / grain + (n % grain != 0);
  auto serial = [&] {
    for (size_t i = 0; i < n; i += grain) fn(i, std::min(n - i, grain) + i);
  };
  // NOTE: a nested call (from inside a chunk) or a concurrent call from another thread runs
  // serially rather than deadlocking on the one job slot.
  if (impl_->num_threads == 1 || chunks == 1 || t_running_pool == impl_.get()) {
    serial();
    return;
  }
  std::unique_lock<std::mutex> call_lock(impl_->call_mu, std::try_to_lock);
  if (!call_lock.owns_lock()) {
    serial();
    return;
  }
  // Rounds of at most 2^32 - 1 chunks keep chunk boundaries at multiples of grain.
  for (size_t first = 0; first < chunks; first += kMaxChunksPerRound) {
    const size_t round = std::min(chunks - first, kMaxChunksPerRound);
    impl_->run_round(fn, n, grain, first * grain, round);
  }
}

}  // namespace torchlet
