#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// The performance factor of a quarterly review: developing, performing or exceeding in role.
struct PerformanceFactor {
    std::string person_id;
    std::string quarter;  ///< "2026Q4"
    std::string factor;   ///< developing | performing | exceeding
    std::string note;
    std::string recorded_by;
    int64_t recorded_at = 0;  ///< unix seconds
};

/// Reads and writes performance factors (migration 0016), one per person per quarter.
/// Callers check who may read or record them.
class PerformanceRepo {
  public:
    explicit PerformanceRepo(Database& db) : db_(db) {}

    /// The person's factor for `quarter`, if recorded.
    std::optional<PerformanceFactor> find(const std::string& person_id, const std::string& quarter);
    /// Records `f`, replacing the quarter's earlier one; returns what it replaced.
    std::optional<PerformanceFactor> record(const PerformanceFactor& f);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
