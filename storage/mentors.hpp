#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A standing mentorship, not tied to a quarter's IDO (`/team mentor`).
struct Mentorship {
    int64_t id = 0;
    std::string mentee_id;
    std::string mentor_id;
    std::string set_by;
    int64_t started_at = 0;  ///< unix seconds
};

/// A mentor's note on a mentee's IDO for a quarter (`/ido note @mentee …`).
struct MentorNote {
    int64_t id = 0;
    std::string mentee_id;
    std::string quarter;  ///< "2026Q4"
    std::string author_id;
    std::string note;
    std::string noted_on;  ///< YYYY-MM-DD
    int64_t created_at = 0;
};

/// Reads and writes standing mentorships and mentor notes (migration 0016). Callers decide
/// who may; a mentorship gives the mentor no sight of the mentee's records.
class MentorRepo {
  public:
    explicit MentorRepo(Database& db) : db_(db) {}

    /// The mentee's current standing mentorship, if any.
    std::optional<Mentorship> current(const std::string& mentee_id);
    /// Starts a mentorship, ending the mentee's current one (if any) first.
    Mentorship start(const std::string& mentee_id, const std::string& mentor_id,
                     const std::string& set_by, TimePoint now);
    /// Ends the mentee's current mentorship; false when there was none.
    bool end(const std::string& mentee_id, const std::string& ended_by, TimePoint now);
    /// The current mentorships in which `mentor_id` mentors someone, by mentee id.
    std::vector<Mentorship> mentees_of(const std::string& mentor_id);
    /// Every current mentorship: mentee id → mentor id.
    std::map<std::string, std::string> all_current();
    /// True when `mentor_id` is `mentee_id`'s current standing mentor.
    bool is_mentor(const std::string& mentor_id, const std::string& mentee_id);

    /// Adds a mentor note.
    MentorNote add_note(const std::string& mentee_id, const std::string& quarter,
                        const std::string& author_id, const std::string& note,
                        const std::string& noted_on, TimePoint now);
    /// The mentee's mentor notes for `quarter`, newest first.
    std::vector<MentorNote> notes(const std::string& mentee_id, const std::string& quarter);
    /// The mentee's mentor notes written at or after `since` (unix seconds), newest first.
    std::vector<MentorNote> notes_since(const std::string& mentee_id, int64_t since);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
