// Wire format, both directions little-endian: a request is op (1 byte: 'S' set, 'G' get, 'W' wait),
// key length (u32), key, then for 'S' value length (u32) + value, for 'G'/'W' a timeout in ms (i64).
// A reply is a status byte (0 ok, 1 timed out) and, for 'G', value length (u32) + value.
#include "tcp_store.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace torchlet_dist {
namespace {

using Clock = std::chrono::steady_clock;

void write_all(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    ssize_t w = ::send(fd, c, n, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) throw std::runtime_error("store connection lost while writing");
    c += w;
    n -= static_cast<size_t>(w);
  }
}

// False when the peer closed the connection before the first byte.
bool read_all(int fd, void* p, size_t n) {
  char* c = static_cast<char*>(p);
  size_t got = 0;
  while (got < n) {
    ssize_t r = ::recv(fd, c + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r == 0 && got == 0) return false;
    if (r <= 0) throw std::runtime_error("store connection lost while reading");
    got += static_cast<size_t>(r);
  }
  return true;
}

void write_u32(int fd, uint32_t v) { write_all(fd, &v, 4); }
uint32_t read_u32(int fd) {
  uint32_t v = 0;
  if (!read_all(fd, &v, 4)) throw std::runtime_error("store connection closed");
  return v;
}

// Largest key or value the server accepts: a bound on what a stray client can make it allocate.
constexpr uint32_t kMaxItemBytes = 64u << 20;

std::string read_string(int fd) {
  uint32_t n = read_u32(fd);
  if (n > kMaxItemBytes) throw std::runtime_error("store item too large");
  std::string s(n, '\0');
  if (n > 0 && !read_all(fd, s.data(), n)) throw std::runtime_error("store connection closed");
  return s;
}

addrinfo* resolve(const std::string& host, int port, bool passive) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  if (passive) hints.ai_flags = AI_PASSIVE;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  if (rc != 0) throw std::runtime_error("cannot resolve " + host + ": " + gai_strerror(rc));
  return res;
}

}  // namespace

// The server: a map of keys to values; 'G' and 'W' block until their keys exist or time out.
class StoreServer {
 public:
  StoreServer(const std::string& host, int port) {
    addrinfo* res = resolve(host, port, true);
    std::string last = "no address";
    for (addrinfo* a = res; a != nullptr && listen_fd_ < 0; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      int one = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 128) == 0) {
        listen_fd_ = fd;
      } else {
        last = std::strerror(errno);
        ::close(fd);
      }
    }
    ::freeaddrinfo(res);
    if (listen_fd_ < 0) {
      throw std::runtime_error("The server socket has failed to listen on " + host + ":" +
                               std::to_string(port) + " (" + last + ")");
    }
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~StoreServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
      for (int fd : conns_) ::shutdown(fd, SHUT_RDWR);
    }
    cv_.notify_all();
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    acceptor_.join();
    for (auto& t : workers_) t.join();
  }

 private:
  void accept_loop() {
    for (;;) {
      int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        if (fd >= 0) ::close(fd);
        return;
      }
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        return;
      }
      conns_.push_back(fd);
      workers_.emplace_back([this, fd] { serve(fd); });
    }
  }

  void serve(int fd) {
    try {
      for (;;) {
        char op = 0;
        if (!read_all(fd, &op, 1)) break;
        std::string key = read_string(fd);
        if (op == 'S') {
          std::string value = read_string(fd);
          {
            std::lock_guard<std::mutex> lock(mu_);
            data_[key] = std::move(value);
          }
          cv_.notify_all();
          char ok = 0;
          write_all(fd, &ok, 1);
        } else if (op == 'G' || op == 'W') {
          int64_t ms = 0;
          if (!read_all(fd, &ms, 8)) break;
          std::unique_lock<std::mutex> lock(mu_);
          bool found = cv_.wait_for(lock, std::chrono::milliseconds(ms),
                                    [&] { return stopping_ || data_.count(key) > 0; });
          if (!found || stopping_) {
            lock.unlock();
            char timed_out = 1;
            write_all(fd, &timed_out, 1);
            continue;
          }
          std::string value = op == 'G' ? data_[key] : std::string();
          lock.unlock();
          char ok = 0;
          write_all(fd, &ok, 1);
          if (op == 'G') {
            write_u32(fd, static_cast<uint32_t>(value.size()));
            write_all(fd, value.data(), value.size());
          }
        } else {
          break;  // not our protocol: drop the connection
        }
      }
    } catch (const std::exception&) {
      // A client that went away: its connection ends, the store lives on.
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& c : conns_) {
      if (c == fd) c = -1;
    }
    ::close(fd);
  }

  int listen_fd_ = -1;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::vector<int> conns_;
  std::map<std::string, std::string> data_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
};

TcpStore::TcpStore(const std::string& host, int port, bool serve, std::chrono::milliseconds timeout)
    : where_(host + ":" + std::to_string(port)), timeout_(timeout) {
  if (serve) server_ = std::make_unique<StoreServer>(host, port);
  const auto deadline = Clock::now() + timeout;
  std::string last = "no address";
  while (fd_ < 0) {
    addrinfo* res = resolve(host, port, false);
    for (addrinfo* a = res; a != nullptr && fd_ < 0; a = a->ai_next) {
      int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
      if (fd < 0) continue;
      if (::connect(fd, a->ai_addr, a->ai_addrlen) == 0) {
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fd_ = fd;
      } else {
        last = std::strerror(errno);
        ::close(fd);
      }
    }
    ::freeaddrinfo(res);
    if (fd_ >= 0) break;
    if (Clock::now() >= deadline) {
      throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                               " ms connecting to the store at " + where_ + " (" + last + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

TcpStore::~TcpStore() {
  if (fd_ >= 0) ::close(fd_);
}

std::vector<char> TcpStore::request(char op, const std::string& key, const std::vector<char>* value,
                                    std::chrono::milliseconds timeout) {
  write_all(fd_, &op, 1);
  write_u32(fd_, static_cast<uint32_t>(key.size()));
  write_all(fd_, key.data(), key.size());
  if (op == 'S') {
    write_u32(fd_, static_cast<uint32_t>(value->size()));
    write_all(fd_, value->data(), value->size());
  } else {
    int64_t ms = timeout.count();
    write_all(fd_, &ms, 8);
  }
  char status = 0;
  if (!read_all(fd_, &status, 1)) throw std::runtime_error("the store at " + where_ + " closed the connection");
  if (status != 0) {
    throw std::runtime_error("timed out after " + std::to_string(timeout.count()) +
                             " ms waiting for key '" + key + "' in the store at " + where_);
  }
  if (op != 'G') return {};
  std::string s = read_string(fd_);
  return std::vector<char>(s.begin(), s.end());
}

void TcpStore::set(const std::string& key, const std::vector<char>& data) {
  request('S', key, &data, timeout_);
}

std::vector<char> TcpStore::get(const std::string& key) { return request('G', key, nullptr, timeout_); }

void TcpStore::wait(const std::vector<std::string>& keys) { wait(keys, timeout_); }

void TcpStore::wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) {
  for (const auto& k : keys) request('W', k, nullptr, timeout);
}

}  // namespace torchlet_dist
