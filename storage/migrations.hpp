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
/// The PostgreSQL migrations, with the same version numbers (storage/migrations-pg/*.sql; a
/// fresh PostgreSQL database starts from the baseline, the first of them).
const std::vector<Migration>& pg_migrations();

class Database;
/// The schema of `db` as SQL text: every table, index, view and trigger as SQLite stores its
/// CREATE statement, each table followed by its indexes and triggers, tables by name, after a
/// header naming the schema version.
/// storage/schema.sql is this for a freshly migrated database (`careerbot schema`).
std::string schema_snapshot(Database& db);

}  // namespace careerbot::storage
