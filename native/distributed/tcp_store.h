// A key-value store over TCP for gloo's rendezvous (PyTorch's TCPStore in spirit): rank 0 serves it,
// every rank (rank 0 included) talks to it as a client. Used only while a process group connects, so
// it favours simplicity (one thread per connection) over throughput.
#pragma once

#include <gloo/rendezvous/store.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace torchlet_dist {

class StoreServer;

class TcpStore : public gloo::rendezvous::Store {
 public:
  // serve: also listen on host:port (rank 0). Connecting retries until `timeout` passes, since the
  // server may start after a client.
  TcpStore(const std::string& host, int port, bool serve, std::chrono::milliseconds timeout);
  ~TcpStore() override;

  void set(const std::string& key, const std::vector<char>& data) override;
  std::vector<char> get(const std::string& key) override;
  void wait(const std::vector<std::string>& keys) override;
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override;

 private:
  std::vector<char> request(char op, const std::string& key, const std::vector<char>* value,
                            std::chrono::milliseconds timeout);

  std::unique_ptr<StoreServer> server_;
  int fd_ = -1;
  std::string where_;
  std::chrono::milliseconds timeout_;
};

}  // namespace torchlet_dist
