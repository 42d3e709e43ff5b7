#pragma once
// `careerbot migrate-to <postgresql-url>`: moving a SQLite database to PostgreSQL (issue #15).
#include <cstdint>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace careerbot::storage {

/// How many rows of one table were copied.
struct TableCopied {
    std::string table;
    int64_t rows = 0;
};

/// Copies every table of `source` (a SQLite database at this binary's schema version) into
/// `target` (a PostgreSQL database with no careerbot data): migrates the target first, then
/// copies the tables parents first (foreign keys), in batches of multi-row INSERTs, all in one
/// transaction, reading the source in one snapshot, with the target's triggers off so the copy
/// is exact; then moves every serial column's sequence past the largest id copied (and past
/// SQLite's AUTOINCREMENT counter), so new rows get new ids. Returns the tables in the order
/// copied, with their row counts (checked against the target's before the commit).
///
/// Refused with StorageError, before anything is written: a source that is not SQLite or a
/// target that is not PostgreSQL, a source at another schema version than this binary's (run
/// `careerbot migrate` with the matching binary first), a target with rows in any table, a
/// source table or column the target lacks. Any failure while copying rolls the whole copy
/// back, leaving the target empty.
std::vector<TableCopied> migrate_to(Database& source, Database& target);

}  // namespace careerbot::storage
