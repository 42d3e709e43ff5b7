#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A recurring 1:1 between a manager and a report, kept as local wall-clock time in `tz`.
struct OneOnOne {
    int64_t id = 0;
    std::string manager_id;
    std::string report_id;
    int weekday = 1;          ///< 0 = Sunday … 6 = Saturday
    int minute_of_day = 600;  ///< 10:00 = 600
    std::string tz;           ///< IANA zone of the manager
    int every_weeks = 1;
    std::string anchor_on;              ///< YYYY-MM-DD, local date of the first occurrence
    std::optional<int64_t> skip_until;  ///< occurrences at or before this are skipped
    std::string created_by;
    int64_t created_at = 0;
    int64_t updated_at = 0;
    std::optional<int64_t> cancelled_at;
};

/// Reads and writes 1:1 cadences. Callers check permissions first; this class does not.
class ScheduleRepo {
  public:
    explicit ScheduleRepo(Database& db) : db_(db) {}

    /// Stores a cadence, replacing (cancelling) the pair's active one; returns it with its id.
    OneOnOne create(OneOnOne s, TimePoint now);
    /// The cadence with this id (cancelled ones too).
    std::optional<OneOnOne> find(int64_t id);
    /// The pair's running cadence, if any.
    std::optional<OneOnOne> active(const std::string& manager_id, const std::string& report_id);
    /// Running cadences where `person` is the manager or the report.
    std::vector<OneOnOne> active_for(const std::string& person);
    /// Skips every occurrence at or before `until` (unix s).
    void set_skip_until(int64_t id, int64_t until, TimePoint now);
    /// Stops a cadence; false if it was not running.
    bool cancel(int64_t id, TimePoint now);
    /// Every cadence, running or not, a manager has had with a report, oldest first.
    std::vector<OneOnOne> for_pair(const std::string& manager_id, const std::string& report_id);
    /// Records that the occurrence at `occurs_at` (unix s) was skipped on purpose by `by`.
    void record_skip(int64_t id, int64_t occurs_at, const std::string& by, TimePoint now);
    /// True when the occurrence at `occurs_at` (unix s) was skipped on purpose.
    bool was_skipped(int64_t id, int64_t occurs_at);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
