// TaskQueue: tasks run one at a time, in the order they were posted, either on a thread of the
// queue's own or by whoever calls RunPending (the controller's step mode: the frame loop).
//
// Thread safety: Post, Drop and WaitIdle may be called from any thread; RunPending only in
// step mode, from one thread at a time.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace mentorlog::app {

class TaskQueue {
 public:
  // `threaded`: a thread of its own runs the tasks; otherwise RunPending does. `on_idle` (may
  // be null) runs after a task that left the queue empty, on the thread that ran the task;
  // `before_task` (may be null) before each task.
  TaskQueue(bool threaded, std::function<void()> on_idle, std::function<void()> before_task = nullptr);
  // Runs the queued tasks (unless Drop was called), then joins the thread.
  ~TaskQueue();
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  void Post(std::function<void()> task);
  // Forgets the tasks not started yet.
  void Drop();
  // Threaded: blocks until the queue is empty and no task runs. Step mode: runs the queue
  // until it is empty (tasks may post more).
  void WaitIdle();
  // Step mode: runs the tasks queued when called (not those they post) and returns how many
  // ran. Threaded: returns 0 at once.
  size_t RunPending();
  // Runs what is queued and joins the thread (idempotent; the destructor calls it).
  void Join();

 private:
  void RunThread();
  void RunOne(std::unique_lock<std::mutex>& lock);

  const bool threaded_;
  std::function<void()> on_idle_;
  std::function<void()> before_task_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
  bool busy_ = false;                        // GUARDED_BY(mu_)
  bool stop_ = false;                        // GUARDED_BY(mu_)
  std::thread thread_;
};

}  // namespace mentorlog::app
