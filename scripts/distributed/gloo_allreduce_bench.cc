// The baseline of scripts/distributed/allreduce_bench.mjs: gloo's allreduce called from C++ with no
// torchlet in between (the same gloo::allreduce, reduce function, tag and timeout torchlet's binding
// uses), one process per rank, meeting through a gloo FileStore. Prints one JSON line per size on
// rank 0: {"bytes":..., "ms":...} (median of the rounds, each the mean of `iters` calls).
//   g++ -O2 -std=c++17 gloo_allreduce_bench.cc -lgloo -o gloo_allreduce_bench
//   gloo_allreduce_bench RANK SIZE STORE_DIR BYTES[,BYTES...]
#include <gloo/allreduce.h>
#include <gloo/barrier.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/transport/tcp/device.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s RANK SIZE STORE_DIR BYTES[,BYTES...]\n", argv[0]);
    return 2;
  }
  const int rank = std::atoi(argv[1]);
  const int size = std::atoi(argv[2]);
  gloo::rendezvous::FileStore store(argv[3]);
  gloo::transport::tcp::attr attr;
  attr.hostname = "127.0.0.1";
  auto device = gloo::transport::tcp::CreateDevice(attr);
  auto context = std::make_shared<gloo::rendezvous::Context>(rank, size);
  context->connectFullMesh(store, device);

  std::vector<size_t> sizes;
  std::stringstream list(argv[4]);
  for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoull(item));
  uint32_t tag = 1;
  using Clock = std::chrono::steady_clock;
  for (size_t bytes : sizes) {
    std::vector<float> data(std::max<size_t>(bytes / sizeof(float), 1), 1.0f);
    auto run = [&] {
      gloo::AllreduceOptions opts(context);
      opts.setOutput<float>(data.data(), data.size());
      opts.setReduceFunction(static_cast<void (*)(void*, const void*, const void*, size_t)>(&gloo::sum<float>));
      opts.setTag(tag++);
      gloo::allreduce(opts);
    };
    const int iters = bytes >= (1 << 22) ? 5 : bytes >= (1 << 18) ? 20 : 200;
    for (int i = 0; i < 3; i++) run();
    std::vector<double> rounds;
    for (int r = 0; r < 5; r++) {
      gloo::BarrierOptions b(context);
      b.setTag(tag++);
      gloo::barrier(b);
      auto t0 = Clock::now();
      for (int i = 0; i < iters; i++) run();
      rounds.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count() / iters);
    }
    std::sort(rounds.begin(), rounds.end());
    if (rank == 0) std::printf("{\"bytes\":%zu,\"ms\":%.6f}\n", bytes, rounds[rounds.size() / 2]);
    std::fflush(stdout);
  }
  return 0;
}
