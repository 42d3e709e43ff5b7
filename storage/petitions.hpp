#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A promotion petition and the evidence packet sent with it.
struct Petition {
    int64_t id = 0;
    std::string person_id;
    std::optional<std::string> from_level;
    std::string target_level;
    std::string director_id;  ///< who received it
    std::string status;       ///< open, withdrawn, approved, declined ("not yet")
    std::string packet;       ///< Markdown
    int64_t created_at = 0;   ///< unix seconds
    int64_t updated_at = 0;
    std::string closed_by;     ///< empty while open
    std::string statement;     ///< the person's "why now", as they wrote it
    std::string outcome_note;  ///< the director's note on the outcome; empty until then
};

/// Reads and writes promotion petitions. Callers check visibility first.
class PetitionRepo {
  public:
    explicit PetitionRepo(Database& db) : db_(db) {}

    /// Stores a new open petition. Callers check open_for() first: a second open petition
    /// for the same person violates a UNIQUE index.
    Petition create(const std::string& person_id, const std::optional<std::string>& from_level,
                    const std::string& target_level, const std::string& director_id,
                    const std::string& packet, TimePoint now, const std::string& statement = "");
    /// The person's open petition, if any.
    std::optional<Petition> open_for(const std::string& person_id);
    /// Every petition of a person, newest first.
    std::vector<Petition> list_for(const std::string& person_id);
    /// Closes an open petition as withdrawn, approved or declined (shown as "not yet"), with
    /// the outcome's note; false if it was not open.
    bool close(int64_t id, const std::string& status, const std::string& closed_by, TimePoint now,
               const std::string& note = "");

  private:
    Database& db_;
};

}  // namespace careerbot::storage
