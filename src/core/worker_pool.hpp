#pragma once
// A few threads running queued tasks, for blocking work kept off the threads that must stay
// responsive (the Slack transport's io and storage threads).
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace careerbot {

class WorkerPool {
  public:
    /// Starts `threads` threads (none is fine: start() may add them later). A task that throws
    /// is logged on the logger `log_name` and the pool goes on.
    explicit WorkerPool(int threads, std::string log_name = "app");
    /// join()s.
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Adds `threads` more threads.
    void start(int threads);
    /// Queues `fn`; ignored once join() started.
    void post(std::function<void()> fn);
    /// Runs what is queued (with no thread, nothing runs: it is dropped), then ends the
    /// threads; idempotent.
    void join();

  private:
    void loop();

    std::string log_name_;
    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> tasks_;
    bool closed_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace careerbot
