#pragma once
#include <string>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// Remembers which Events API deliveries were handled, so retries are processed only once.
/// Call it inside the same Database::write as the handler so both commit or neither does.
class ProcessedEventsRepo {
  public:
    explicit ProcessedEventsRepo(Database& db) : db_(db) {}

    /// Records `event_id`; true the first time, false when it was already recorded.
    bool remember(const std::string& event_id, TimePoint now);
    /// True when `event_id` has been recorded.
    bool seen(const std::string& event_id);
    /// Forgets events received before `cutoff`; returns how many were removed.
    int prune(TimePoint cutoff);
    /// How many events are remembered.
    int count();

  private:
    Database& db_;
};

}  // namespace careerbot::storage
