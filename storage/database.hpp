#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <SQLiteCpp/Database.h>

#include "src/core/error.hpp"

namespace careerbot::storage {

/// The database could not be opened or used (locked, unreadable, newer than this binary).
class StorageError : public Error {
public:
    using Error::Error;
};

/// Owns the SQLite connection: WAL, synchronous=FULL, foreign keys, busy timeout, migrations.
class Database {
public:
    /// Opens (creating if needed) the file at `path` (":memory:" for tests) and applies the
    /// connection settings. Does not migrate; call migrate().
    explicit Database(const std::string& path, int busy_timeout_ms = 5000);

    /// Applies pending migrations, each in one transaction with its version bump. Refuses a
    /// database whose user_version is newer than this binary knows. Returns how many ran.
    int migrate();
    /// The schema version stored in the file (`PRAGMA user_version`).
    int schema_version();
    /// The newest schema version this binary knows.
    static int latest_version();

    /// Copies the whole database to `destination` with SQLite's online backup API, while
    /// the bot keeps running.
    void backup_to(const std::filesystem::path& destination);

    /// Runs `fn` inside a savepoint: committed when it returns, rolled back if it throws.
    /// Savepoints nest, so a batch of commands can share one outer transaction (group commit)
    /// while each command still rolls back on its own.
    void write(const std::function<void()>& fn);

    /// The underlying connection, for repositories.
    SQLite::Database& sql() { return *db_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
    int savepoint_depth_ = 0;
};

}  // namespace careerbot::storage
