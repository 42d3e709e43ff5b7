#include "storage/performance.hpp"

namespace careerbot::storage {

std::optional<PerformanceFactor> PerformanceRepo::find(const std::string& person_id,
                                                       const std::string& quarter) {
    auto q = db_.prepare(
        "SELECT person_id, quarter, factor, note, recorded_by, recorded_at "
        "FROM performance_factors WHERE person_id = ? AND quarter = ?");
    if (!q.bind(person_id, quarter).step()) return std::nullopt;
    PerformanceFactor f;
    q.read(f.person_id, f.quarter, f.factor, f.note, f.recorded_by, f.recorded_at);
    return f;
}

std::optional<PerformanceFactor> PerformanceRepo::record(const PerformanceFactor& f) {
    auto before = find(f.person_id, f.quarter);
    db_.prepare(
           "INSERT INTO performance_factors (person_id, quarter, factor, note, recorded_by, "
           "recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id, quarter) DO UPDATE "
           "SET factor = excluded.factor, note = excluded.note, "
           "recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at")
        .bind(f.person_id, f.quarter, f.factor, f.note, f.recorded_by, f.recorded_at)
        .exec();
    return before;
}

}  // namespace careerbot::storage
