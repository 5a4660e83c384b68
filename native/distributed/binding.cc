// torchlet_dist.node: the JavaScript face of process_group.h. A separate addon from torchlet.node,
// so that torchlet loads where gloo is absent (torch.distributed.isAvailable() is then false).
//
// Buffers: a synchronous call runs the collective on the caller's typed array in place (the
// calling thread waits, so no JavaScript can touch the array meanwhile). An asynchronous call copies
// the array into memory of its own, runs on the group's thread, and copies the result back on the
// JavaScript thread when it is waited for or when it completes, whichever comes first: a typed array
// that JavaScript detaches or reuses while a collective is in flight can never be written to from
// another thread.
#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/broadcast.h>
#include <gloo/math.h>
#include <gloo/transport/unbound_buffer.h>
#include <napi.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "process_group.h"

namespace torchlet_dist {
namespace {

enum class ElemType { F32, F64 };

struct BufferView {
  ElemType type;
  void* data;
  size_t elems;
  size_t bytes;
};

BufferView view_of(const Napi::Value& v, const char* what) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Float32Array or Float64Array");
  auto ta = v.As<Napi::TypedArray>();
  ElemType t;
  if (ta.TypedArrayType() == napi_float32_array) t = ElemType::F32;
  else if (ta.TypedArrayType() == napi_float64_array) t = ElemType::F64;
  else throw Napi::TypeError::New(v.Env(), std::string(what) + " must be a Float32Array or Float64Array");
  auto ab = ta.ArrayBuffer();
  char* base = static_cast<char*>(ab.Data());
  return {t, base == nullptr ? nullptr : base + ta.ByteOffset(), ta.ElementLength(), ta.ByteLength()};
}

template <typename T>
gloo::AllreduceOptions::Func reducer(const std::string& op) {
  using F = void (*)(void*, const void*, const void*, size_t);
  if (op == "sum" || op == "avg") return static_cast<F>(&gloo::sum<T>);
  if (op == "product") return static_cast<F>(&gloo::product<T>);
  if (op == "max") return static_cast<F>(&gloo::max<T>);
  if (op == "min") return static_cast<F>(&gloo::min<T>);
  throw std::invalid_argument("unknown reduce op " + op);
}

template <typename T>
void allreduce_typed(ProcessGroup& g, void* p, size_t n, const std::string& op, uint32_t tag) {
  if (n == 0) return;
  gloo::AllreduceOptions opts(g.context());
  opts.setOutput<T>(static_cast<T*>(p), n);
  opts.setReduceFunction(reducer<T>(op));
  opts.setTag(tag);
  opts.setTimeout(g.timeout());
  gloo::allreduce(opts);
  if (op == "avg") {
    T* x = static_cast<T*>(p);
    for (size_t i = 0; i < n; i++) x[i] /= static_cast<T>(g.size());
  }
}

template <typename T>
void broadcast_typed(ProcessGroup& g, void* p, size_t n, int root, uint32_t tag) {
  if (n == 0) return;
  gloo::BroadcastOptions opts(g.context());
  if (g.rank() == root) opts.setInput<T>(static_cast<T*>(p), n);
  opts.setOutput<T>(static_cast<T*>(p), n);
  opts.setRoot(root);
  opts.setTag(tag);
  opts.setTimeout(g.timeout());
  gloo::broadcast(opts);
}

template <typename T>
void allgather_typed(ProcessGroup& g, const void* in, void* out, size_t n, uint32_t tag) {
  if (n == 0) return;
  gloo::AllgatherOptions opts(g.context());
  opts.setInput<T>(const_cast<T*>(static_cast<const T*>(in)), n);
  opts.setOutput<T>(static_cast<T*>(out), n * static_cast<size_t>(g.size()));
  opts.setTag(tag);
  opts.setTimeout(g.timeout());
  gloo::allgather(opts);
}

// Point-to-point slots live above the collectives' tags (PyTorch's gloo uses the user's tag too).
uint64_t p2p_slot(int64_t tag) { return (uint64_t{1} << 40) + static_cast<uint64_t>(tag); }

// Posts a send or receive of `bytes` at `p` to gloo now and returns its wait. The buffer object
// travels with the wait, so it lives until the transfer is over.
std::function<void()> post_p2p(ProcessGroup& g, bool isSend, void* p, size_t bytes, int peer, int64_t tag) {
  std::shared_ptr<gloo::transport::UnboundBuffer> buf = g.context()->createUnboundBuffer(p, bytes);
  if (isSend) buf->send(peer, p2p_slot(tag));
  else buf->recv(peer, p2p_slot(tag));
  auto timeout = g.timeout();
  return [buf, isSend, timeout] {
    bool ok = isSend ? buf->waitSend(timeout) : buf->waitRecv(timeout);
    if (!ok) throw std::runtime_error(isSend ? "send timed out" : "recv timed out");
  };
}

// Memory that JavaScript and an in-flight collective share: allocBuffer() hands JavaScript an
// ArrayBuffer over a block owned here; a job on that memory holds the block too, so even if
// JavaScript drops or transfers the ArrayBuffer meanwhile, the block lives until the job ends. An
// async collective on a block runs in place, with no copy (DistributedDataParallel's buckets).
using Block = std::vector<char>;

// Per Node environment, touched only on its JavaScript thread.
struct Memory {
  // Live blocks by start address (expired entries are swept on allocation).
  std::map<const char*, std::weak_ptr<Block>> blocks;
  // Copies of finished async jobs, reused: a fresh multi-megabyte vector per call costs a page fault
  // per 4 KiB, which on a VM is more than the memcpy itself.
  std::vector<Block> spare;

  std::shared_ptr<Block> blockHolding(const void* p, size_t bytes) {
    auto it = blocks.upper_bound(static_cast<const char*>(p));
    if (it == blocks.begin()) return nullptr;
    --it;
    auto block = it->second.lock();
    if (!block) return nullptr;
    const char* q = static_cast<const char*>(p);
    return q + bytes <= block->data() + block->size() ? block : nullptr;
  }
  Block take(size_t bytes) {
    for (size_t i = 0; i < spare.size(); i++) {
      if (spare[i].capacity() >= bytes) {
        Block b = std::move(spare[i]);
        spare.erase(spare.begin() + static_cast<std::ptrdiff_t>(i));
        b.resize(bytes);
        return b;
      }
    }
    return Block(bytes);
  }
  void giveBack(Block b) {
    if (spare.size() >= 8) spare.erase(spare.begin());
    spare.push_back(std::move(b));
  }
};

// What an asynchronous job hands back to JavaScript.
struct AsyncState {
  std::shared_ptr<Job> job;
  Memory* memory = nullptr;
  Block data;                        // the job's own copy (result lands here), unless in place
  std::shared_ptr<Block> shared;     // in place: the block the job works on
  Napi::ObjectReference target;      // the typed array the result is copied into (may be empty)
  size_t targetBytes = 0;
  Napi::Promise::Deferred deferred;
  Napi::ThreadSafeFunction tsfn;
  bool delivered = false;
  std::string error;                 // the job's error, or a delivery error

  explicit AsyncState(Napi::Env env) : deferred(Napi::Promise::Deferred::New(env)) {}

  // On the JS thread, once: copies the result into the target and settles the promise.
  void deliver(Napi::Env env) {
    if (delivered) return;
    delivered = true;
    error = job->error;
    if (error.empty() && !target.IsEmpty()) {
      BufferView v = view_of(target.Value(), "the target");
      if (v.data == nullptr || v.bytes != targetBytes) {
        error = "the tensor's buffer was detached or resized while the collective was in flight";
      } else {
        std::memcpy(v.data, data.data(), targetBytes);
      }
    }
    if (!target.IsEmpty()) target.Reset();
    if (memory != nullptr && data.capacity() > 0) memory->giveBack(std::move(data));
    shared.reset();
    if (error.empty()) deferred.Resolve(env.Undefined());
    else deferred.Reject(Napi::Error::New(env, error).Value());
  }
};

// The classes' constructors, per Node environment (main thread and each worker).
struct Constructors {
  Napi::FunctionReference work;
  Napi::FunctionReference group;
  Memory memory;
};

Napi::Object make(Napi::Env env, Napi::FunctionReference Constructors::*which) {
  return (env.GetInstanceData<Constructors>()->*which).New({});
}

class Work : public Napi::ObjectWrap<Work> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Work", {
      InstanceMethod("wait", &Work::Wait),
      InstanceMethod("isCompleted", &Work::IsCompleted),
    });
  }
  explicit Work(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Work>(info) {}
  std::shared_ptr<AsyncState> state;

 private:
  Napi::Value Wait(const Napi::CallbackInfo& info) {
    state->job->wait();
    state->deliver(info.Env());
    if (!state->error.empty()) throw Napi::Error::New(info.Env(), state->error);
    return info.Env().Undefined();
  }
  Napi::Value IsCompleted(const Napi::CallbackInfo& info) {
    std::lock_guard<std::mutex> lock(state->job->mu);
    return Napi::Boolean::New(info.Env(), state->job->done);
  }
};

class Group : public Napi::ObjectWrap<Group> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Group", {
      InstanceMethod("allreduce", &Group::Allreduce),
      InstanceMethod("broadcast", &Group::Broadcast),
      InstanceMethod("allgather", &Group::Allgather),
      InstanceMethod("barrier", &Group::Barrier),
      InstanceMethod("send", &Group::Send),
      InstanceMethod("recv", &Group::Recv),
      InstanceMethod("destroy", &Group::Destroy),
      InstanceAccessor("rank", &Group::Rank, nullptr),
      InstanceAccessor("size", &Group::Size, nullptr),
    });
  }
  explicit Group(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Group>(info) {}
  std::shared_ptr<ProcessGroup> pg;

 private:
  ProcessGroup& live(Napi::Env env) {
    if (!pg) throw Napi::Error::New(env, "Default process group has not been initialized, please make sure to call init_process_group.");
    return *pg;
  }

  // How an operation runs: `start(ptr)` is called on the caller's thread with the memory to work
  // on and returns what runs on the lane's thread (a collective: all of it; point to point: the
  // wait). Sync runs in place and waits; async works on a copy of `src` (if given) and delivers
  // the result into `target` later. Returns undefined or a Work.
  using Start = std::function<std::function<void()>(void*)>;
  static Start whole(std::function<void(void*)> body) {
    return [body](void* p) { return std::function<void()>([body, p] { body(p); }); };
  }

  Napi::Value run(const Napi::CallbackInfo& info, Lane lane, bool async, void* inPlace, const void* src,
                  size_t bytes, const Napi::Value& target, const Start& start) {
    Napi::Env env = info.Env();
    ProcessGroup& g = live(env);
    auto job = std::make_shared<Job>();
    if (!async) {
      try {
        job->run = start(inPlace);
      } catch (const std::exception& e) {
        throw Napi::Error::New(env, e.what());
      }
      if (g.idle(lane)) {
        // NOTE: nothing ahead of it, so it runs here: a hand-off to the group's thread and back
        // costs two thread wake-ups, more than a small collective itself.
        try {
          job->run();
        } catch (const std::exception& e) {
          throw Napi::Error::New(env, e.what());
        }
        return env.Undefined();
      }
      g.submit(lane, job, nullptr);
      job->wait();
      if (!job->error.empty()) throw Napi::Error::New(env, job->error);
      return env.Undefined();
    }
    auto state = std::make_shared<AsyncState>(env);
    state->job = job;
    Memory& memory = env.GetInstanceData<Constructors>()->memory;
    state->memory = &memory;
    void* work_on;
    if (inPlace != nullptr && (state->shared = memory.blockHolding(inPlace, bytes))) {
      work_on = inPlace;  // the job holds the block: in place, nothing to copy back
    } else {
      state->data = memory.take(bytes);
      if (src != nullptr && bytes > 0) std::memcpy(state->data.data(), src, bytes);
      work_on = state->data.data();
    }
    try {
      job->run = start(work_on);
    } catch (const std::exception& e) {
      throw Napi::Error::New(env, e.what());
    }
    if (!target.IsUndefined() && !state->shared) {
      state->target = Napi::Persistent(target.As<Napi::Object>());
      // NOTE: released in deliver() on this thread; the state itself may die on the group's thread.
      state->target.SuppressDestruct();
      state->targetBytes = bytes;
    }
    state->tsfn = Napi::ThreadSafeFunction::New(env, Napi::Function::New(env, [](const Napi::CallbackInfo&) {}),
                                                "torchlet_dist", 0, 1);
    std::shared_ptr<AsyncState> keep = state;
    g.submit(lane, job, [keep] {
      keep->tsfn.BlockingCall([keep](Napi::Env env, Napi::Function) { keep->deliver(env); });
      keep->tsfn.Release();
    });
    Napi::Object work = make(env, &Constructors::work);
    Work::Unwrap(work)->state = state;
    // NOTE: a plain property: the deferred's promise handle is valid only in this call's scope.
    work.Set("promise", state->deferred.Promise());
    return work;
  }

  static std::string op_arg(const Napi::CallbackInfo& info, size_t i) {
    if (!info[i].IsString()) throw Napi::TypeError::New(info.Env(), "op must be a string");
    return info[i].As<Napi::String>().Utf8Value();
  }
  static int int_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
    if (!info[i].IsNumber()) throw Napi::TypeError::New(info.Env(), std::string(what) + " must be a number");
    return info[i].As<Napi::Number>().Int32Value();
  }
  int rank_arg(const Napi::CallbackInfo& info, size_t i, const char* what) {
    int r = int_arg(info, i, what);
    if (r < 0 || r >= live(info.Env()).size()) {
      throw Napi::RangeError::New(info.Env(), std::string("Invalid ") + what + " " + std::to_string(r));
    }
    return r;
  }

  // allreduce(buf, op, async)
  Napi::Value Allreduce(const Napi::CallbackInfo& info) {
    BufferView v = view_of(info[0], "tensor");
    std::string op = op_arg(info, 1);
    reducer<float>(op);  // validates the name on the JS thread
    ProcessGroup& g = live(info.Env());
    uint32_t tag = g.nextTag();
    auto body = [&g, v, op, tag](void* p) {
      if (v.type == ElemType::F32) allreduce_typed<float>(g, p, v.elems, op, tag);
      else allreduce_typed<double>(g, p, v.elems, op, tag);
    };
    return run(info, Lane::Collective, info[2].ToBoolean(), v.data, v.data, v.bytes, info[0], whole(body));
  }

  // broadcast(buf, root, async)
  Napi::Value Broadcast(const Napi::CallbackInfo& info) {
    BufferView v = view_of(info[0], "tensor");
    int root = rank_arg(info, 1, "root rank");
    ProcessGroup& g = live(info.Env());
    uint32_t tag = g.nextTag();
    auto body = [&g, v, root, tag](void* p) {
      if (v.type == ElemType::F32) broadcast_typed<float>(g, p, v.elems, root, tag);
      else broadcast_typed<double>(g, p, v.elems, root, tag);
    };
    return run(info, Lane::Collective, info[2].ToBoolean(), v.data, v.data, v.bytes, info[0], whole(body));
  }

  // allgather(input, output, async): output holds size * input.length elements, rank-major.
  Napi::Value Allgather(const Napi::CallbackInfo& info) {
    BufferView in = view_of(info[0], "input");
    BufferView out = view_of(info[1], "output");
    ProcessGroup& g = live(info.Env());
    if (in.type != out.type || out.elems != in.elems * static_cast<size_t>(g.size())) {
      throw Napi::RangeError::New(info.Env(), "allgather: output must hold world_size times the input's elements, of the same dtype");
    }
    uint32_t tag = g.nextTag();
    bool async = info[2].ToBoolean();
    // NOTE: async copies the input into the front of its own buffer, gathers into the rest.
    std::shared_ptr<std::vector<char>> inCopy;
    if (async) inCopy = std::make_shared<std::vector<char>>(static_cast<char*>(in.data), static_cast<char*>(in.data) + in.bytes);
    const void* inPtr = in.data;
    auto body = [&g, in, inCopy, inPtr, tag](void* p) {
      const void* src = inCopy ? inCopy->data() : inPtr;
      if (in.type == ElemType::F32) allgather_typed<float>(g, src, p, in.elems, tag);
      else allgather_typed<double>(g, src, p, in.elems, tag);
    };
    return run(info, Lane::Collective, async, out.data, nullptr, out.bytes, info[1], whole(body));
  }

  Napi::Value Barrier(const Napi::CallbackInfo& info) {
    ProcessGroup& g = live(info.Env());
    uint32_t tag = g.nextTag();
    auto body = [&g, tag](void*) {
      gloo::BarrierOptions opts(g.context());
      opts.setTag(tag);
      opts.setTimeout(g.timeout());
      gloo::barrier(opts);
    };
    return run(info, Lane::Collective, info[0].ToBoolean(), nullptr, nullptr, 0, info.Env().Undefined(), whole(body));
  }

  // send(buf, dst, tag, async)
  Napi::Value Send(const Napi::CallbackInfo& info) {
    BufferView v = view_of(info[0], "tensor");
    int dst = rank_arg(info, 1, "destination rank");
    if (dst == live(info.Env()).rank()) throw Napi::RangeError::New(info.Env(), "Invalid destination rank: should not be the same as rank of the current process.");
    int64_t tag = info[2].ToNumber().Int64Value();
    ProcessGroup& g = live(info.Env());
    Start start = [&g, v, dst, tag](void* p) { return post_p2p(g, true, p, v.bytes, dst, tag); };
    return run(info, Lane::PointToPointWait, info[3].ToBoolean(), v.data, v.data, v.bytes, info.Env().Undefined(), start);
  }

  // recv(buf, src, tag, async)
  Napi::Value Recv(const Napi::CallbackInfo& info) {
    BufferView v = view_of(info[0], "tensor");
    int src = rank_arg(info, 1, "source rank");
    if (src == live(info.Env()).rank()) throw Napi::RangeError::New(info.Env(), "Invalid source rank: should not be the same as rank of the current process.");
    int64_t tag = info[2].ToNumber().Int64Value();
    ProcessGroup& g = live(info.Env());
    Start start = [&g, v, src, tag](void* p) { return post_p2p(g, false, p, v.bytes, src, tag); };
    return run(info, Lane::PointToPointWait, info[3].ToBoolean(), v.data, nullptr, v.bytes, info[0], start);
  }

  Napi::Value Destroy(const Napi::CallbackInfo& info) {
    pg.reset();  // joins the group's thread after the queued jobs
    return info.Env().Undefined();
  }
  Napi::Value Rank(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), live(info.Env()).rank()); }
  Napi::Value Size(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), live(info.Env()).size()); }
};

// Connecting blocks until every peer arrives: it runs on libuv's pool, never on the JS thread.
class ConnectWorker : public Napi::AsyncWorker {
 public:
  ConnectWorker(Napi::Env env, int rank, int size, Rendezvous rv, std::chrono::milliseconds timeout)
      : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)), rank_(rank), size_(size),
        rv_(std::move(rv)), timeout_(timeout) {}
  Napi::Promise promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      pg_ = std::make_shared<ProcessGroup>(rank_, size_, rv_, timeout_);
    } catch (const std::exception& e) {
      SetError(e.what());
    }
  }
  void OnOK() override {
    Napi::Object group = make(Env(), &Constructors::group);
    Group::Unwrap(group)->pg = pg_;
    deferred_.Resolve(group);
  }
  void OnError(const Napi::Error& e) override { deferred_.Reject(e.Value()); }

 private:
  Napi::Promise::Deferred deferred_;
  int rank_, size_;
  Rendezvous rv_;
  std::chrono::milliseconds timeout_;
  std::shared_ptr<ProcessGroup> pg_;
};

std::string str_field(const Napi::Object& o, const char* k) {
  Napi::Value v = o.Get(k);
  return v.IsString() ? v.As<Napi::String>().Utf8Value() : std::string();
}

// connect(rank, size, {kind, host, port, path, ifaceHost}, timeoutMs) -> Promise<Group>
Napi::Value Connect(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 4 || !info[0].IsNumber() || !info[1].IsNumber() || !info[2].IsObject() || !info[3].IsNumber()) {
    throw Napi::TypeError::New(env, "connect(rank, size, rendezvous, timeoutMs)");
  }
  int rank = info[0].As<Napi::Number>().Int32Value();
  int size = info[1].As<Napi::Number>().Int32Value();
  if (size < 1 || rank < 0 || rank >= size) throw Napi::RangeError::New(env, "rank must be in [0, world_size)");
  Napi::Object o = info[2].As<Napi::Object>();
  Rendezvous rv;
  rv.kind = str_field(o, "kind");
  rv.host = str_field(o, "host");
  rv.path = str_field(o, "path");
  rv.ifaceHost = str_field(o, "ifaceHost");
  rv.port = o.Get("port").IsNumber() ? o.Get("port").As<Napi::Number>().Int32Value() : 0;
  auto timeout = std::chrono::milliseconds(info[3].As<Napi::Number>().Int64Value());
  auto* worker = new ConnectWorker(env, rank, size, std::move(rv), timeout);
  Napi::Promise p = worker->promise();
  worker->Queue();
  return p;
}

// allocBuffer(bytes) -> ArrayBuffer over a block that async collectives work on in place.
Napi::Value AllocBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber()) throw Napi::TypeError::New(env, "allocBuffer(bytes): bytes must be a number");
  double n = info[0].As<Napi::Number>().DoubleValue();
  if (!(n >= 1 && n <= 4294967296.0) || n != static_cast<double>(static_cast<size_t>(n))) {
    throw Napi::RangeError::New(env, "allocBuffer(bytes): bytes must be an integer in [1, 2^32]");
  }
  auto block = std::make_shared<Block>(static_cast<size_t>(n));
  Memory& memory = env.GetInstanceData<Constructors>()->memory;
  for (auto it = memory.blocks.begin(); it != memory.blocks.end();) it = it->second.expired() ? memory.blocks.erase(it) : std::next(it);
  memory.blocks[block->data()] = block;
  // NOTE: the ArrayBuffer's finalizer drops JavaScript's share; a job in flight keeps its own.
  auto* hold = new std::shared_ptr<Block>(block);
  return Napi::ArrayBuffer::New(env, block->data(), block->size(),
                                [](Napi::Env, void*, std::shared_ptr<Block>* h) { delete h; }, hold);
}

Napi::Object InitModule(Napi::Env env, Napi::Object exports) {
  auto* ctors = new Constructors{Napi::Persistent(Work::Init(env)), Napi::Persistent(Group::Init(env)), Memory{}};
  env.SetInstanceData(ctors);
  exports.Set("connect", Napi::Function::New(env, Connect));
  exports.Set("allocBuffer", Napi::Function::New(env, AllocBuffer));
  exports.Set("backend", Napi::String::New(env, "gloo"));
  return exports;
}

}  // namespace
}  // namespace torchlet_dist

static Napi::Object InitTorchletDist(Napi::Env env, Napi::Object exports) {
  return torchlet_dist::InitModule(env, exports);
}

NODE_API_MODULE(torchlet_dist, InitTorchletDist)
