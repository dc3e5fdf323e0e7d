// TaskQueue (task_queue.h).
#include "task_queue.h"

#include <utility>

namespace mentorlog::app {

TaskQueue::TaskQueue(bool threaded, std::function<void()> on_idle, std::function<void()> before_task)
    : threaded_(threaded), on_idle_(std::move(on_idle)), before_task_(std::move(before_task)) {
  if (threaded_) thread_ = std::thread([this] { RunThread(); });
}

TaskQueue::~TaskQueue() { Join(); }

void TaskQueue::Join() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (!threaded_) WaitIdle();  // step mode: what is queued runs now, on the caller
}

void TaskQueue::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void TaskQueue::Drop() {
  std::lock_guard lock(mu_);
  queue_.clear();
}

void TaskQueue::WaitIdle() {
  std::unique_lock lock(mu_);
  if (threaded_) {
    idle_cv_.wait(lock, [&] { return queue_.empty() && !busy_; });
    return;
  }
  while (!queue_.empty()) RunOne(lock);
}

size_t TaskQueue::RunPending() {
  if (threaded_) return 0;
  std::unique_lock lock(mu_);
  size_t ran = 0;
  for (size_t n = queue_.size(); n > 0 && !queue_.empty(); --n, ++ran) RunOne(lock);
  return ran;
}

// Runs the front task with `lock` released, then on_idle when the queue is left empty.
void TaskQueue::RunOne(std::unique_lock<std::mutex>& lock) {
  std::function<void()> task = std::move(queue_.front());
  queue_.pop_front();
  busy_ = true;
  lock.unlock();
  if (before_task_) before_task_();
  task();
  lock.lock();
  if (queue_.empty() && on_idle_) {
    lock.unlock();
    on_idle_();
    lock.lock();
  }
  busy_ = false;
  if (queue_.empty()) idle_cv_.notify_all();
}

void TaskQueue::RunThread() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
    if (queue_.empty()) break;  // stop_, and everything queued has run
    RunOne(lock);
  }
  busy_ = false;
  idle_cv_.notify_all();
}

}  // namespace mentorlog::app
