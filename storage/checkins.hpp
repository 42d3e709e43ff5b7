#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// One career check-in: Goals over three horizons, Reality, Planning. Held ones carry the day
/// they were held and the next due date; the one with neither is the draft for the next.
struct Checkin {
    int64_t id = 0;
    std::string person_id;
    std::string goals_6m;
    std::string goals_1y;
    std::string goals_3y;  ///< 3+ years
    std::string reality;   ///< self-assessment
    std::string plan;
    std::optional<std::string> held_on;      ///< YYYY-MM-DD; empty for the draft
    std::string recorded_by;                 ///< who said it was held (empty for the draft)
    std::optional<std::string> next_due_on;  ///< YYYY-MM-DD; empty for the draft
    int64_t created_at = 0;                  ///< unix seconds
    int64_t updated_at = 0;
};

/// The parts of a check-in a person writes down.
enum class CheckinField { Goals6m, Goals1y, Goals3y, Reality, Plan };

/// Reads and writes check-ins. Callers check visibility first; this class does not.
class CheckinRepo {
  public:
    explicit CheckinRepo(Database& db) : db_(db) {}

    /// The person's draft for their next check-in, if they started one.
    std::optional<Checkin> draft(const std::string& person_id);
    /// Writes one field of the person's draft, creating the draft if needed.
    void set_draft_field(const std::string& person_id, CheckinField field, const std::string& text,
                         TimePoint now);
    /// Records a check-in held on `held_on`: the draft (or an empty one) becomes held, with
    /// the next due date. Returns the held check-in.
    Checkin record_held(const std::string& person_id, const std::string& held_on,
                        const std::string& recorded_by, const std::string& next_due_on,
                        TimePoint now);
    /// Records a check-in held on `held_on` that is not the person's latest (an earlier one
    /// written down late): a new empty held check-in; the draft stays for the next one.
    Checkin record_earlier(const std::string& person_id, const std::string& held_on,
                           const std::string& recorded_by, const std::string& next_due_on,
                           TimePoint now);
    /// The held check-in of `held_on` (YYYY-MM-DD), if one was recorded for that day.
    std::optional<Checkin> held_on(const std::string& person_id, const std::string& held_on);
    /// Undoes a held check-in recorded by mistake. What was written for it (goals, reality,
    /// plan) goes back to the draft, filling only what the draft does not say yet; the check-in
    /// itself is gone, so the one before it is the last again. False if it was not held.
    bool undo_held(int64_t checkin_id, TimePoint now);
    /// Moves the next due date of a held check-in.
    void set_next_due(int64_t checkin_id, const std::string& next_due_on, TimePoint now);
    /// The most recent held check-in, if any.
    std::optional<Checkin> last_held(const std::string& person_id);
    /// When the next check-in is due (from the last held one), if any was held.
    std::optional<std::string> next_due(const std::string& person_id);
    /// Held check-ins on or after `since` (YYYY-MM-DD; empty = all), newest first.
    std::vector<Checkin> held_since(const std::string& person_id, const std::string& since);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
