#pragma once
// The two database backends behind storage::Database: one connection and its prepared
// statements. Only storage/*.cpp include this; everything above storage/ sees Database.
//
// A backend implements Connection and StatementImpl (storage/sqlite_connection.cpp,
// storage/pg_connection.cpp). SQL reaches them as the repositories write it, with `?` and
// `:name` placeholders; the PostgreSQL one numbers them `$1…$n` when it prepares.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace careerbot::storage::detail {

/// One prepared statement of one connection.
class StatementImpl {
  public:
    virtual ~StatementImpl() = default;
    /// Back to before the first step; the bindings stay.
    virtual void reset() = 0;
    /// Every parameter back to NULL (the statement goes back to the cache).
    virtual void clear_bindings() = 0;
    /// The next row; false when there is none left. The first call runs the statement.
    virtual bool step() = 0;
    /// Runs a statement that returns no rows; the number of rows it changed.
    virtual int exec() = 0;
    /// The index (from 1) of the named parameter `:name`; throws when there is none.
    virtual int parameter_index(const char* name) = 0;
    virtual void bind_null(int i) = 0;
    virtual void bind_int(int i, int64_t v) = 0;
    virtual void bind_double(int i, double v) = 0;
    virtual void bind_text(int i, std::string_view v) = 0;
    virtual void bind_text(int i, const std::string& v) = 0;
    virtual int64_t column_int(int i) const = 0;
    virtual double column_double(int i) const = 0;
    virtual bool is_null(int i) const = 0;
    /// Column `i` as text, valid until the next step().
    virtual std::string_view text(int i) const = 0;
};

/// One connection to the database.
class Connection {
  public:
    virtual ~Connection() = default;
    virtual Backend backend() const = 0;
    virtual std::unique_ptr<StatementImpl> prepare(const std::string& sql) = 0;
    /// SQL text without parameters, one or more statements.
    virtual void exec(const std::string& sql) = 0;
    /// What starts the outermost write transaction (it must exclude other writers, as SQLite's
    /// BEGIN IMMEDIATE does, so repositories can read-then-write without races).
    virtual void begin_write() = 0;
    virtual int64_t last_insert_id() = 0;
    virtual int64_t total_changes() const = 0;
    virtual int schema_version() = 0;
    /// Applies the backend's migrations newer than the stored version; how many ran.
    virtual int migrate(bool quiet) = 0;
    virtual int latest_version() const = 0;
    /// A readable name for logs: the file, or the URL without its password.
    virtual std::string describe() const = 0;
    /// `name` quoted as an SQL identifier by the backend's library (for the table and column
    /// names `careerbot migrate-to` reads from a catalogue; values are always bound).
    virtual std::string quote_identifier(const std::string& name) = 0;

    // What several instances share (PostgreSQL); SQLite, one process per file, has no need.
    /// An id of the server session; it changes when the connection is opened again (the
    /// session's advisory locks and LISTENs are then gone). SQLite: always 0.
    virtual long session() const { return 0; }
    /// Subscribes this session to `channel` (again after every reconnection).
    virtual void listen(const std::string& channel) { (void)channel; }
    /// Waits up to `timeout_ms` for a notification on a listened channel; true when one came
    /// or the connection was opened again (notifications may have been missed meanwhile).
    virtual bool wait_for_notification(int timeout_ms) {
        (void)timeout_ms;
        return false;
    }

    // SQLite-only operations; the PostgreSQL backend says what to use instead.
    virtual void backup_to(const std::filesystem::path& destination) = 0;
    virtual void defer_checkpoints(std::function<void()> request, int pages) = 0;
    virtual void checkpoint() = 0;
    virtual bool file_replaced() const = 0;
};

std::unique_ptr<Connection> open_sqlite(const std::string& path, int busy_timeout_ms);
std::unique_ptr<Connection> open_postgresql(const std::string& url, int statement_timeout_ms);

/// Rewrites `?` and `:name` placeholders as `$1…$n` (outside quotes and comments), and
/// returns the names of the named ones by position ("" for a `?`). `::` casts are kept.
std::string number_placeholders(const std::string& sql, std::vector<std::string>& names);

/// `url` with its password (in the userinfo part or a `password=` parameter) replaced by
/// `***`, for logs and error messages.
std::string redact_url(const std::string& url);

}  // namespace careerbot::storage::detail
