#pragma once
// The read model behind /quarter-summary, /promo and the App Home: the org's subtree is resolved
// once (a recursive CTE), then every figure for the whole org comes from one statement per
// record kind over the members' index ranges, never from one query per person. The rows are
// handed to the caller one at a time (commands/summary_data.cpp adds them up); text passed as
// std::string_view is valid only during the call.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace careerbot::storage {

/// One read of an org's records for a summary: all its queries see one snapshot (a brag logged
/// meanwhile cannot make the totals disagree with the per-person lines) and read the file
/// through a memory map. Call members() first; the other queries cover those members.
class OrgSummaryReader {
  public:
    /// Starts the read (see the class comment); it ends when this is destroyed.
    explicit OrgSummaryReader(Database& db);
    ~OrgSummaryReader();
    OrgSummaryReader(const OrgSummaryReader&) = delete;
    OrgSummaryReader& operator=(const OrgSummaryReader&) = delete;

    struct Member {
        std::string id;
        std::string name;
        std::optional<std::string> manager_id;
        std::optional<std::string> level;
        std::string tz;  ///< empty when unset
    };
    /// Everyone below `root` (`whole_subtree`), or `root` alone, by name then id; they are the
    /// members the queries below cover.
    std::vector<Member> members(const std::string& root, bool whole_subtree);

    /// Live brags dated in [from, to] (YYYY-MM-DD), grouped by author.
    void brags(const std::string& from, const std::string& to,
               const std::function<void(std::string_view author, std::string_view happened_on,
                                        std::string_view growth)>& row);

    struct TopBrag {
        std::string person_id;
        int number = 0;
        std::string text;
        std::string impact;
        std::string happened_on;
    };
    /// Each member's newest brag in [from, to] with an impact, else their newest one.
    void top_brags(const std::string& from, const std::string& to,
                   const std::function<void(const TopBrag&)>& row);

    /// Feedback received per member, posted in [from, to) (unix seconds).
    void feedback_counts(int64_t from, int64_t to,
                         const std::function<void(const std::string& person, int count)>& row);

    struct TaskCounts {
        std::string person_id;
        int done = 0;                ///< done in [done_from, done_to) (unix s)
        int due = 0;                 ///< due in [due_from, due_to] (YYYY-MM-DD)
        std::string_view open_dues;  ///< JSON array: due dates <= latest of tasks open at `end`
    };
    /// Task figures for every member (one row each).
    void task_counts(int64_t done_from, int64_t done_to, const std::string& due_from,
                     const std::string& due_to, const std::string& latest, int64_t end,
                     const std::function<void(const TaskCounts&)>& row);

    struct Ido {
        std::string person_id;
        std::string objective;
        std::string mentor_id;
        bool achieved = false;
        int notes = 0;
        std::string last_note_on;  ///< empty without notes
        std::string last_note;
    };
    /// The members' IDOs for `quarter` ("2026Q4") with their progress notes.
    void idos(const std::string& quarter, const std::function<void(const Ido&)>& row);

    /// Check-ins held up to `today`, by person then date.
    void held_checkins(const std::string& today,
                       const std::function<void(const std::string& person, std::string held_on,
                                                std::string next_due_on)>& row);

    /// Every recorded cert of the members.
    void certs(const std::function<void(const std::string& person, std::string_view name)>& row);

    /// Each live brag in [from, to] that has tags: its author and its tags as a JSON array.
    void brag_tags(
        const std::string& from, const std::string& to,
        const std::function<void(const std::string& author, std::string_view tags)>& row);

    struct Petition {
        std::string person_id;
        std::string target_level;
        std::string director_id;
        std::string opened_on;  ///< YYYY-MM-DD (UTC)
        std::string status;
        int64_t updated_at = 0;
        std::string updated_on;  ///< YYYY-MM-DD (UTC)
        std::string statement;   ///< the person's "why now"
    };
    /// Petitions created before `end` and open, or updated since `from` (unix s), by person
    /// then creation.
    void petitions(int64_t end, int64_t from, const std::function<void(const Petition&)>& row);

    /// Each member's standing mentor (`/team mentor`) at `end` (unix s): started before it and
    /// not ended by then.
    void standing_mentors(
        int64_t end,
        const std::function<void(const std::string& mentee, const std::string& mentor)>& row);

    struct Factor {
        std::string person_id;
        std::string factor;  ///< developing | performing | exceeding
        std::string note;
        std::string recorded_by;
    };
    /// The members' performance factors for `quarter` ("2026Q4").
    void performance_factors(const std::string& quarter,
                             const std::function<void(const Factor&)>& row);

    struct Internship {
        std::string person_id;
        std::string host_manager_id;
        int share_percent = 0;
        std::string starts_on;  ///< YYYY-MM-DD
        std::string ends_on;    ///< YYYY-MM-DD
    };
    /// Active (approved by both managers) internships overlapping [from, to] (YYYY-MM-DD), by
    /// person then start.
    void internships(const std::string& from, const std::string& to,
                     const std::function<void(const Internship&)>& row);

  private:
    Database::Statement scoped(const std::string& body);

    Database& db_;
    std::string members_;  ///< JSON array of the members' ids
    bool mapped_ = false;
    bool outer_ = false;  ///< PostgreSQL: this reader began the transaction it ends
};

}  // namespace careerbot::storage
