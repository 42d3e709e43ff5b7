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
};

/// Reads and writes absences.
class AwayRepo {
  public:
    explicit AwayRepo(Database& db) : db_(db) {}

    /// Records an absence and returns it.
    AwayPeriod add(const std::string& person_id, const std::string& from_on,
                   const std::string& to_on, TimePoint now);
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

  private:
    Database& db_;
};

}  // namespace careerbot::storage
