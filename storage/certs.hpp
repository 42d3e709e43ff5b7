#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A training course or certification a person completed.
struct Cert {
    int64_t id = 0;
    std::string person_id;
    int number = 0;  ///< the person's own running number (#1, #2, …)
    std::string name;
    std::string earned_on;  ///< YYYY-MM-DD
    std::string link;
    int64_t created_at = 0;  ///< unix seconds
};

/// Reads and writes training and certifications. Callers check visibility first.
class CertRepo {
  public:
    explicit CertRepo(Database& db) : db_(db) {}

    /// Records a training or certification and returns it with its number.
    Cert add(const std::string& person_id, const std::string& name, const std::string& earned_on,
             const std::string& link, TimePoint now);
    /// Everything a person recorded, most recent first.
    std::vector<Cert> list(const std::string& person_id);
    /// Removes the person's record number `number`; false if there is none.
    bool remove(const std::string& person_id, int number);
    /// Level of a person, as stored in people.level (set by /promo level).
    std::optional<std::string> level_of(const std::string& person_id);
    /// Sets or clears a person's level.
    void set_level(const std::string& person_id, const std::optional<std::string>& level,
                   TimePoint now);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
