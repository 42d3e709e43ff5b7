#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "src/core/error.hpp"

namespace careerbot::storage {

/// The database could not be opened or used (locked, unreadable, newer than this binary).
class StorageError : public Error {
  public:
    using Error::Error;
};

/// Owns the SQLite connection: WAL, synchronous=FULL, foreign keys, busy timeout, migrations.
/// One connection is used by one thread at a time (the bot gives each thread its own).
class Database {
  public:
    /// A prepared statement borrowed from the connection's cache (see prepare()); reset and
    /// unbound when it goes out of scope, so it holds no lock and leaks no binding.
    class Cached {
      public:
        Cached(Cached&& other) noexcept;
        Cached& operator=(Cached&&) = delete;
        Cached(const Cached&) = delete;
        ~Cached();
        SQLite::Statement* operator->() { return stmt_; }
        SQLite::Statement& operator*() { return *stmt_; }

      private:
        friend class Database;
        Cached(SQLite::Statement* stmt, bool* in_use, std::unique_ptr<SQLite::Statement> own)
            : stmt_(stmt), in_use_(in_use), own_(std::move(own)) {}
        SQLite::Statement* stmt_;
        bool* in_use_;                            // the cache slot's flag; null when owned
        std::unique_ptr<SQLite::Statement> own_;  // a one-off when the cached one is busy
    };

    /// Opens (creating if needed) the file at `path` (":memory:" for tests) and applies the
    /// connection settings. Does not migrate; call migrate().
    explicit Database(const std::string& path, int busy_timeout_ms = 5000);

    /// Applies pending migrations, each in one transaction with its version bump. Refuses a
    /// database whose user_version is newer than this binary knows. Returns how many ran.
    /// Each one is logged at info level, or at debug level when `quiet` (for commands whose
    /// output a person reads, such as the console).
    int migrate(bool quiet = false);
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

    /// Runs `fn` as one transaction like write(), but the write() levels inside it open no
    /// savepoints: a savepoint costs about as much as the INSERT of a brag, and in a group
    /// commit nearly every command succeeds. If an exception crosses one of those levels —
    /// the only case where a savepoint would have rolled something back — the transaction is
    /// marked (tainted()), rolled back as a whole, and this returns false: the caller then runs
    /// the same work again with write(), where every level has its savepoint. Returns true
    /// when `fn` committed. Exceptions that cross no write() level propagate as from write().
    bool write_optimistic(const std::function<void()>& fn);

    /// True inside write_optimistic() once an exception crossed a write() level: the work
    /// done so far will be rolled back and run again, so it should stop early and leave the
    /// error to the second run (which reports it).
    bool tainted() const { return optimistic_ && tainted_; }

    /// The statement for `sql`, compiled once per connection and reused: parsing SQL costs
    /// more than running a small INSERT, and the hot paths (/brag, event dedupe, savepoints)
    /// run the same few statements thousands of times a second. Use it for fixed SQL text;
    /// a statement already borrowed (a nested use of the same SQL) gets a fresh one-off copy.
    Cached prepare(const std::string& sql);

    /// Connections of one process that share `gate` take it around their write transactions:
    /// a writer waiting for another one then wakes the moment it commits, instead of sleeping
    /// in SQLite's busy handler (steps of up to 100 ms) and losing the race again — which
    /// would hold /brag acks back while the scheduler plans a large batch.
    void set_write_gate(std::shared_ptr<std::mutex> gate) { gate_ = std::move(gate); }

    /// Stops this connection from checkpointing the WAL itself, which SQLite otherwise does
    /// inside the COMMIT that takes the WAL past 1,000 pages: copying them into the database
    /// file and syncing it held the bot's storage thread, and every ack behind it. Instead,
    /// `request` is called (on the committing thread, so it must be quick) after each commit
    /// that leaves `pages` or more in the WAL, and another connection runs checkpoint().
    /// An empty `request` gives the checkpoints back to SQLite.
    void defer_checkpoints(std::function<void()> request, int pages = 1000);

    /// Copies the WAL into the database file as far as readers allow, without waiting for
    /// anyone (`PRAGMA wal_checkpoint(PASSIVE)`); the next writer then starts the WAL afresh.
    void checkpoint();

    /// True when the file this connection opened is no longer at its path: deleted, or
    /// replaced by another file (a restored backup copied over it, a volume remounted). Writes
    /// then land in an unlinked inode and vanish at the next start, so the bot must refuse them.
    /// Always false for ":memory:".
    bool file_replaced() const;

    /// Rows changed by INSERT/UPDATE/DELETE on this connection since it opened.
    int64_t total_changes() const;

    /// The underlying connection, for repositories.
    SQLite::Database& sql() { return *db_; }
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
    unsigned long long file_dev_ = 0;  ///< st_dev/st_ino of path_ when opened (0: in memory)
    unsigned long long file_ino_ = 0;
    int savepoint_depth_ = 0;
    bool optimistic_ = false;  ///< inside write_optimistic(): inner levels take no savepoint
    bool tainted_ = false;     ///< an exception crossed an inner level in optimistic mode
    std::shared_ptr<std::mutex> gate_;
    std::function<void()> checkpoint_request_;  ///< see defer_checkpoints()
    int checkpoint_pages_ = 1000;
    struct Slot {
        std::unique_ptr<SQLite::Statement> stmt;
        bool in_use = false;
    };
    // Declared after db_ so the statements are finalized before the connection closes.
    std::unordered_map<std::string, Slot> cache_;
};

}  // namespace careerbot::storage
