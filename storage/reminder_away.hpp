#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A period someone is away: their nudges and 1:1 reminders pause.
struct AwayPeriod {
    int64_t id = 0;
    std::string person_id;
    std::string from_on;  ///< YYYY-MM-DD inclusive
    std::string to_on;    ///< YYYY-MM-DD inclusive
    int64_t created_at = 0;
    std::string source = "command";  ///< "command" (`/away`) or "slack_status"
    std::string status;              ///< slack_status: the status that made it
};

/// The `to_on` of an absence made from a Slack status without expiration: until cleared.
inline constexpr const char* kUntilCleared = "9999-12-31";

/// Reads and writes absences.
class AwayRepo {
  public:
    explicit AwayRepo(Database& db) : db_(db) {}

    /// Records an absence and returns it.
    AwayPeriod add(const std::string& person_id, const std::string& from_on,
                   const std::string& to_on, TimePoint now, const std::string& source = "command",
                   const std::string& status = "");
    /// Absences not cancelled that end on or after `today`, earliest first.
    std::vector<AwayPeriod> upcoming(const std::string& person_id, const std::string& today);
    /// Cancels every absence that ends on or after `today`; returns how many.
    int cancel_upcoming(const std::string& person_id, const std::string& today, TimePoint now);
    /// Cancels one absence; false if it was already cancelled.
    bool cancel(int64_t id, TimePoint now);
    /// Ends an absence early, on `to_on` (YYYY-MM-DD, not before its start).
    void end_on(int64_t id, const std::string& to_on);
    /// The absence covering `day` (YYYY-MM-DD), if any.
    std::optional<AwayPeriod> covering(const std::string& person_id, const std::string& day);

    /// The absence made from `person_id`'s Slack status that ends on or after `today`, if any.
    std::optional<AwayPeriod> status_absence(const std::string& person_id,
                                             const std::string& today);
    /// Sets the last day and the status of an absence made from a Slack status.
    void set_status_until(int64_t id, const std::string& to_on, const std::string& status);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
