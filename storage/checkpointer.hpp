#pragma once
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace careerbot::storage {

class Database;

/// Checkpoints a database's WAL on a thread of its own, for a writer that must not pause for
/// it (see Database::defer_checkpoints). The thread and its connection start on the first
/// request, so an idle bot pays nothing for them.
class BackgroundCheckpointer {
  public:
    BackgroundCheckpointer(std::string path, int busy_timeout_ms);
    /// Finishes the checkpoint in progress, if any, and ends the thread.
    ~BackgroundCheckpointer();
    BackgroundCheckpointer(const BackgroundCheckpointer&) = delete;
    BackgroundCheckpointer& operator=(const BackgroundCheckpointer&) = delete;

    /// Asks for a checkpoint soon; cheap, callable from any thread (a commit hook calls it).
    void request();
    /// How many checkpoints have run (for tests and logs).
    std::uint64_t completed() const;

  private:
    void loop();

    std::string path_;
    int busy_timeout_ms_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool wanted_ = false;
    bool stop_ = false;
    std::uint64_t completed_ = 0;
    std::unique_ptr<Database> db_;  // opened by the thread
    std::thread thread_;
};

}  // namespace careerbot::storage
