#pragma once
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_set>

namespace careerbot::slack {

/// The last `capacity` ids seen, oldest forgotten first. Slack may deliver one Socket Mode
/// envelope more than once (the same envelope_id); remembering recent ids on the io thread
/// keeps a repeat from being stored twice. Ids are kept as 64-bit hashes (a few bytes each
/// instead of a heap string, which matters for idle memory, B3); two different ids sharing a
/// hash among the few thousand remembered is a chance of about 1 in 10^12.
/// Not thread-safe: owned by one thread.
class RecentIds {
  public:
    explicit RecentIds(std::size_t capacity) : capacity_(capacity) {}

    /// True the first time `id` is seen (it is remembered); false for a repeat.
    bool remember(const std::string& id) {
        std::uint64_t h = std::hash<std::string>{}(id);
        if (!seen_.insert(h).second) return false;
        order_.push_back(h);
        if (order_.size() > capacity_) {
            seen_.erase(order_.front());
            order_.pop_front();
        }
        return true;
    }
    /// How many ids are remembered.
    std::size_t size() const { return order_.size(); }

  private:
    std::size_t capacity_;
    std::deque<std::uint64_t> order_;
    std::unordered_set<std::uint64_t> seen_;
};

}  // namespace careerbot::slack
