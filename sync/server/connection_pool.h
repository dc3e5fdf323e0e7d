// A bounded pool of database connections, shared by the SQLite and PostgreSQL backends.
//
// Connections are opened on demand, at most `size` at once. Acquire() hands one out as a
// Lease; when the lease ends the connection goes back to the pool if Conn::ReadyForReuse()
// says so (no transaction left open, not broken), and is closed otherwise, freeing its slot.
// A caller that finds every slot busy for `wait` gets Unavailable.
//
// Private to mentorlog_server. Thread safety: Acquire and the leases' ends may run on any
// thread; a Lease itself belongs to one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "mentorlog/base/status.h"

namespace mentorlog::server {

template <class Conn>
class ConnectionPool {
 public:
  ConnectionPool(int size, std::chrono::milliseconds wait) : size_(size), wait_(wait) {}
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  class Lease {
   public:
    Lease(ConnectionPool& pool, std::unique_ptr<Conn> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (!conn_) return;
      if (!conn_->ReadyForReuse()) conn_.reset();
      pool_.Release(std::move(conn_));
    }
    Conn& operator*() const { return *conn_; }
    Conn* operator->() const { return conn_.get(); }

   private:
    ConnectionPool& pool_;
    std::unique_ptr<Conn> conn_;
  };

  // An idle connection, or a new one from `open()` (Result<std::unique_ptr<Conn>>) when a
  // slot is free. `where` names the database in the busy message.
  template <class Open>
  Result<Lease> Acquire(const std::string& where, Open&& open) {
    std::unique_lock<std::mutex> lock(mu_);
    if (!cv_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < size_; })) {
      return Status::Unavailable(where + ": all " + std::to_string(size_) +
                                 " database connections stayed busy; try again");
    }
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(conn));
    }
    ++open_;
    lock.unlock();
    Result<std::unique_ptr<Conn>> opened = open();
    if (!opened.ok()) {
      Release(nullptr);
      return opened.status();
    }
    return Lease(*this, std::move(opened).value());
  }

 private:
  // Returns `conn` to the pool; a null one gives its slot back.
  void Release(std::unique_ptr<Conn> conn) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (conn) {
        idle_.push_back(std::move(conn));
      } else {
        --open_;
      }
    }
    cv_.notify_one();
  }

  const int size_;
  const std::chrono::milliseconds wait_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;  // GUARDED_BY(mu_)
  int open_ = 0;                             // GUARDED_BY(mu_): idle + leased
};

}  // namespace mentorlog::server
