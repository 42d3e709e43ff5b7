#include "storage/checkpointer.hpp"

#include <chrono>

#include <spdlog/spdlog.h>

#include "src/core/logging.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

BackgroundCheckpointer::BackgroundCheckpointer(std::string path, int busy_timeout_ms)
    : path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}

BackgroundCheckpointer::~BackgroundCheckpointer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void BackgroundCheckpointer::request() {
    {
        std::lock_guard lock(mutex_);
        if (stop_ || wanted_) return;  // one request is pending already
        wanted_ = true;
        if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    }
    cv_.notify_one();
}

std::uint64_t BackgroundCheckpointer::completed() const {
    std::lock_guard lock(mutex_);
    return completed_;
}

void BackgroundCheckpointer::loop() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            cv_.wait(lock, [&] { return wanted_ || stop_; });
            if (stop_) return;
        }
        try {
            if (!db_) db_ = std::make_unique<Database>(path_, busy_timeout_ms_);
            db_->checkpoint();
        } catch (const std::exception& e) {
            // The WAL only grows until the next try; the data is safe either way.
            logger("storage")->warn("background checkpoint failed: {}", e.what());
        }
        std::unique_lock lock(mutex_);
        ++completed_;
        // A long read (a quarter summary) can keep the WAL above the threshold after a pass,
        // and every commit would ask again: pause briefly between passes. Requests made
        // meanwhile are folded into the next one; the next commit over the threshold asks
        // again anyway.
        cv_.wait_for(lock, std::chrono::milliseconds(50), [&] { return stop_; });
        wanted_ = false;
    }
}

}  // namespace careerbot::storage
