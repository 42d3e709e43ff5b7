#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "src/core/growth.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// An Individual Development Objective: one per person per fiscal quarter, with a mentor.
struct Ido {
    int64_t id = 0;
    std::string person_id;
    std::string quarter;  ///< "2026Q4"
    std::string objective;
    std::string mentor_id;
    std::string set_by;      ///< the person or a manager above them
    int64_t created_at = 0;  ///< unix seconds
    int64_t updated_at = 0;
    std::optional<int64_t> achieved_at;  ///< set by `/ido done`
};

/// One weekly progress note on an IDO.
struct IdoProgress {
    int64_t id = 0;
    int64_t ido_id = 0;
    std::string author_id;
    std::string note;
    std::optional<Growth> growth;  ///< 70-20-10 category, when tagged
    std::string noted_on;          ///< YYYY-MM-DD
    int64_t created_at = 0;
};

/// An IDO someone achieved.
struct AchievedIdo {
    std::string quarter;
    std::string objective;
};

/// Reads and writes IDOs and their progress notes. Callers check visibility first.
class IdoRepo {
  public:
    explicit IdoRepo(Database& db) : db_(db) {}

    /// The person's IDO for `quarter` ("2026Q4"), if set.
    std::optional<Ido> for_quarter(const std::string& person_id, const std::string& quarter);
    /// Creates the person's IDO for the quarter. Callers check for_quarter() first: a second
    /// one for the same quarter violates the table's UNIQUE constraint.
    Ido create(const std::string& person_id, const std::string& quarter,
               const std::string& objective, const std::string& mentor_id,
               const std::string& set_by, TimePoint now);
    /// Replaces objective and mentor of an existing IDO (notes are kept; achievement cleared).
    void replace(int64_t ido_id, const std::string& objective, const std::string& mentor_id,
                 const std::string& set_by, TimePoint now);
    /// Marks an IDO achieved; false if it already was.
    bool mark_achieved(int64_t ido_id, TimePoint now);

    /// Adds a progress note.
    IdoProgress add_progress(int64_t ido_id, const std::string& author_id, const std::string& note,
                             std::optional<Growth> growth, const std::string& noted_on,
                             TimePoint now);
    /// Progress notes of an IDO, newest first.
    std::vector<IdoProgress> progress(int64_t ido_id);
    /// Every IDO `person_id` achieved, newest quarter first.
    std::vector<AchievedIdo> achieved(const std::string& person_id);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
