#include "process_group.h"

#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/rendezvous/prefix_store.h>
#include <gloo/transport/tcp/device.h>

#include <stdexcept>

#include "tcp_store.h"

namespace torchlet_dist {

ProcessGroup::ProcessGroup(int rank, int size, const Rendezvous& rv, std::chrono::milliseconds timeout)
    : rank_(rank), size_(size), timeout_(timeout) {
  if (rv.kind == "tcp") {
    store_ = std::make_unique<TcpStore>(rv.host, rv.port, rank == 0, timeout);
  } else if (rv.kind == "file") {
    store_ = std::make_unique<gloo::rendezvous::FileStore>(rv.path);
  } else {
    throw std::invalid_argument("unknown rendezvous kind " + rv.kind);
  }
  gloo::transport::tcp::attr attr;
  attr.hostname = rv.ifaceHost;
  auto device = gloo::transport::tcp::CreateDevice(attr);
  auto context = std::make_shared<gloo::rendezvous::Context>(rank, size);
  context->setTimeout(timeout);
  context->connectFullMesh(*store_, device);
  context_ = context;
  collectives_ = std::make_unique<JobQueue>();
  p2pWaits_ = std::make_unique<JobQueue>();
}

ProcessGroup::~ProcessGroup() {
  collectives_.reset();
  p2pWaits_.reset();
  context_.reset();
  store_.reset();
}

void ProcessGroup::submit(Lane lane, std::shared_ptr<Job> job, std::function<void()> onDone) {
  (lane == Lane::Collective ? collectives_ : p2pWaits_)->submit(std::move(job), std::move(onDone));
}

JobQueue::JobQueue() : thread_([this] { loop(); }) {}

JobQueue::~JobQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void JobQueue::submit(std::shared_ptr<Job> job, std::function<void()> onDone) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) throw std::runtime_error("the process group has been destroyed");
    queue_.emplace_back(std::move(job), std::move(onDone));
  }
  cv_.notify_one();
}

bool JobQueue::idle() {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.empty() && !running_;
}

void JobQueue::loop() {
  for (;;) {
    std::pair<std::shared_ptr<Job>, std::function<void()>> item;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // NOTE: jobs already queued still run at destruction, so no waiter is left hanging.
      if (queue_.empty()) return;
      item = std::move(queue_.front());
      queue_.pop_front();
      running_ = true;
    }
    Job& job = *item.first;
    std::string error;
    try {
      job.run();
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "unknown error in a collective";
    }
    {
      std::lock_guard<std::mutex> lock(job.mu);
      job.error = std::move(error);
      job.done = true;
    }
    job.cv.notify_all();
    if (item.second) item.second();
    std::lock_guard<std::mutex> lock(mu_);
    running_ = false;
  }
}

}  // namespace torchlet_dist
