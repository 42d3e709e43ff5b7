#pragma once
// The quarter summary behind /quarter-summary, /promo and the App Home, added up from the rows
// of storage::OrgSummaryReader (storage/org_summary.hpp): one statement per record kind for the
// whole org, never one query per person.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/core/dates.hpp"
#include "src/core/growth.hpp"
#include "src/core/levels.hpp"
#include "storage/database.hpp"
#include "storage/idos.hpp"

namespace careerbot::commands {

/// The brag that best represents a person's quarter.
struct TopBrag {
    int number = 0;
    std::string text;
    std::string impact;
    std::string happened_on;
};

/// The state of a person's IDO for the quarter.
struct IdoState {
    std::string objective;
    std::string mentor_id;
    int notes = 0;
    std::string last_note_on;  ///< YYYY-MM-DD; empty without notes
    std::string last_note;
    bool achieved = false;
};

/// A promotion petition open at some time in the quarter, as the summary lists it.
struct OpenPetition {
    std::string target_level;
    std::string director_id;
    std::string opened_on;    ///< YYYY-MM-DD (UTC)
    bool open_at_end = true;  ///< still open on the summary's day (see OrgSummary::today)
    std::string status;       ///< open, withdrawn, approved, declined (as it is now)
    std::string closed_on;    ///< YYYY-MM-DD (UTC) when it was closed; empty while open
    std::string statement;    ///< the person's "why now"
};

/// An internship for learning running at some time in the quarter.
struct InternshipState {
    std::string host_manager_id;
    int share_percent = 0;
    std::string starts_on;  ///< YYYY-MM-DD
    std::string ends_on;    ///< YYYY-MM-DD
};

/// The quarter's performance factor, as the review recorded it.
struct FactorState {
    std::string factor;  ///< developing | performing | exceeding
    std::string note;
    std::string recorded_by;
};

/// Everything the quarter summary says about one person.
struct PersonSummary {
    std::string id;
    std::string name;
    std::optional<std::string> manager_id;
    std::optional<std::string> level;
    int brags = 0;                    ///< live brags dated inside the quarter
    GrowthMix mix;                    ///< their 70-20-10 mix
    std::optional<TopBrag> top_brag;  ///< see top_brag_rule()
    int feedback = 0;                 ///< feedback received (posted) inside the quarter
    int tasks_done = 0;               ///< tasks completed inside the quarter
    int tasks_due = 0;                ///< tasks due inside the quarter
    int tasks_overdue = 0;  ///< open on the summary's day and due before it (their calendar)
    std::optional<IdoState> ido;
    std::optional<std::string> last_checkin;      ///< most recent held check-in up to the day
    std::optional<std::string> next_checkin_due;  ///< from that check-in
    int checkin_overdue_days = 0;  ///< how long before the summary's day the next one was due
    int checkins_in_quarter = 0;
    bool cadence_held = false;           ///< see cadence_rule()
    Evidence evidence;                   ///< certs and brag tags (current + previous quarter)
    std::optional<Readiness> readiness;  ///< for the next level, when their level is set
    std::optional<OpenPetition> petition;
    std::optional<std::string> standing_mentor;  ///< `/team mentor`, at the quarter's end
    std::optional<FactorState> factor;           ///< the review's performance factor
    /// An IDO (whose mentor it names) or a standing mentor.
    bool has_mentor() const { return ido.has_value() || standing_mentor.has_value(); }
    std::optional<InternshipState> internship;  ///< the latest one in the quarter
};

/// Whose records a summary covers.
struct SummaryScope {
    std::string root;           ///< the director, or the one person asked about
    bool whole_subtree = true;  ///< true: everyone below `root`; false: `root` alone
};

/// The quarter summary of a set of people, with org-wide aggregates.
struct OrgSummary {
    Quarter quarter;
    /// YYYY-MM-DD the figures are "now" for: today, or a past quarter's last day, so a past
    /// quarter is shown as it stood at its end.
    std::string today;
    bool past = false;                                        ///< the quarter ended before today
    std::vector<PersonSummary> people;                        ///< by name
    std::vector<std::pair<std::string, int>> brags_by_month;  ///< the quarter's months
    GrowthMix mix;                                            ///< brags in the quarter
    int total_brags = 0;
    int total_feedback = 0;
    int total_overdue = 0;
    int with_ido = 0;
    int with_mentor = 0;   ///< an IDO's mentor or a standing one
    int with_checkin = 0;  ///< held a check-in inside the quarter
    int cadence_held = 0;
    int checkins_overdue = 0;  ///< people whose next check-in was overdue on the day
    int ready = 0;             ///< ready for their next level
    int open_petitions = 0;
    int exceeding = 0;  ///< performance factors recorded for the quarter
    int performing = 0;
    int developing = 0;
    int factor_missing = 0;  ///< no factor recorded
    int internships = 0;     ///< people with an internship for learning in the quarter
};

/// "brags with an impact first, then the most recent (by date, then number)".
const char* top_brag_rule();
/// "a check-in inside the quarter and no gap of more than 8 weeks …".
const char* cadence_rule();

/// Builds the summary for `scope` over `quarter` as it stood on `today` (YYYY-MM-DD), or at the
/// end of a quarter already over. With `now`, overdue is judged on each person's own calendar
/// (their zone, else `default_tz`); without, on `today`. Thirteen statements in total, whatever the
/// org's size, read in one snapshot.
OrgSummary build_summary(storage::Database& db, const SummaryScope& scope, const Quarter& quarter,
                         const std::string& today, const Levels& levels, int fiscal_start_month,
                         std::optional<TimePoint> now = std::nullopt,
                         const std::string& default_tz = "UTC");

/// The quarter before `q`.
Quarter previous_quarter(const Quarter& q, int fiscal_start_month);

}  // namespace careerbot::commands

namespace careerbot::commands {

using storage::AchievedIdo;

/// Every IDO `person_id` achieved, newest quarter first.
std::vector<AchievedIdo> achieved_idos(storage::Database& db, const std::string& person_id);

}  // namespace careerbot::commands
