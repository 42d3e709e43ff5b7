#include "src/core/worker_pool.hpp"

#include "src/core/logging.hpp"

namespace careerbot {

WorkerPool::WorkerPool(int threads, std::string log_name) : log_name_(std::move(log_name)) {
    start(threads);
}

WorkerPool::~WorkerPool() { join(); }

void WorkerPool::start(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
}

void WorkerPool::post(std::function<void()> fn) {
    {
        std::lock_guard lock(mutex_);
        if (closed_) return;
        tasks_.push_back(std::move(fn));
    }
    cv_.notify_one();
}

void WorkerPool::join() {
    {
        std::lock_guard lock(mutex_);
        closed_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_)
        if (t.joinable()) t.join();
}

void WorkerPool::loop() {
    for (;;) {
        std::function<void()> fn;
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return closed_ || !tasks_.empty(); });
            if (tasks_.empty()) return;
            fn = std::move(tasks_.front());
            tasks_.pop_front();
        }
        try {
            fn();
        } catch (const std::exception& e) {
            logger(log_name_)->error("background task failed: {}", e.what());
        }
    }
}

}  // namespace careerbot
