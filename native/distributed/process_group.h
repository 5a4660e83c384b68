// One gloo process group: the connected context and the thread that runs its collectives in the
// order they were issued (every rank must issue collectives in the same order, as in PyTorch).
// Knows nothing of N-API: binding.cc adapts it to JavaScript.
#pragma once

#include <gloo/context.h>
#include <gloo/rendezvous/store.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace torchlet_dist {

// How a group finds its peers: a TCP store at host:port (rank 0 serves it) or a shared file.
struct Rendezvous {
  std::string kind;  // "tcp" or "file"
  std::string host;  // tcp: the store's host
  int port = 0;      // tcp: the store's port
  std::string path;  // file: the store's directory
  std::string ifaceHost;  // the address this rank's gloo device binds to
};

// The state of one queued operation, shared by the queue and the JS object that waits for it.
struct Job {
  std::function<void()> run;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  std::string error;  // empty on success

  void wait() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return done; });
  }
};

// A thread that runs jobs one at a time, in the order they were queued.
class JobQueue {
 public:
  JobQueue();
  ~JobQueue();  // runs what is still queued, then joins
  // Queues a job; `onDone` runs on the queue's thread right after it (success or failure).
  void submit(std::shared_ptr<Job> job, std::function<void()> onDone);
  // Nothing queued or running. Only the submitting thread may act on the answer (the queue's own
  // thread can only turn busy into idle).
  bool idle();

 private:
  void loop();

  std::deque<std::pair<std::shared_ptr<Job>, std::function<void()>>> queue_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool running_ = false;
  std::thread thread_;
};

// Which thread a job runs on. Collectives run in issue order on one thread (every rank issues them
// in the same order). Point-to-point operations are posted to gloo at once on the caller's thread,
// as PyTorch's gloo does, and only their completion is awaited on a second thread: an irecv that
// waits must never hold back the isend or the collective its peer needs first.
enum class Lane { Collective, PointToPointWait };

class ProcessGroup {
 public:
  // Connects (blocking) to every peer: throws on timeout or a bad address.
  ProcessGroup(int rank, int size, const Rendezvous& rv, std::chrono::milliseconds timeout);
  ~ProcessGroup();

  int rank() const { return rank_; }
  int size() const { return size_; }
  std::chrono::milliseconds timeout() const { return timeout_; }
  const std::shared_ptr<gloo::Context>& context() const { return context_; }

  void submit(Lane lane, std::shared_ptr<Job> job, std::function<void()> onDone);
  bool idle(Lane lane) { return (lane == Lane::Collective ? collectives_ : p2pWaits_)->idle(); }
  // The tag of the next collective: the same sequence on every rank.
  uint32_t nextTag() { return nextTag_++; }

 private:
  int rank_;
  int size_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<gloo::rendezvous::Store> store_;
  std::shared_ptr<gloo::Context> context_;
  uint32_t nextTag_ = 1;
  // NOTE: declared last, so they are joined before the context they use is destroyed.
  std::unique_ptr<JobQueue> collectives_;
  std::unique_ptr<JobQueue> p2pWaits_;
};

}  // namespace torchlet_dist
