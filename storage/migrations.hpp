#pragma once
#include <string>
#include <vector>

namespace careerbot::storage {

/// One schema step: applied in a transaction together with `PRAGMA user_version = version`.
struct Migration {
    int version;
    const char* name;
    const char* sql;
};

/// Every migration, ordered by version (generated from storage/migrations/*.sql).
const std::vector<Migration>& migrations();

}  // namespace careerbot::storage
