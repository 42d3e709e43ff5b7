#pragma once
#include <any>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>
#include <unordered_map>

#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>

#include "src/core/clock.hpp"
#include "src/core/error.hpp"

namespace careerbot::storage {

// The connection and its statements stay inside storage/ (storage/connection.hpp): code above
// it sees only these names, never SQLiteCpp's or libpq's headers (see "The storage seam").
namespace detail {
class Connection;
class StatementImpl;
}  // namespace detail

/// Which database a Database talks to.
enum class Backend { sqlite, postgresql };

/// The database could not be opened or used (locked, unreadable, newer than this binary).
class StorageError : public Error {
  public:
    using Error::Error;
};

// ## The storage seam
// Everything above storage/ (commands, core, the scheduler, the Slack and console adapters)
// reaches the database through the repositories in storage/*.hpp (PeopleRepo, BragRepo,
// OrgSummaryReader, ...), whose signatures speak in the project's own types, and through this
// class for transactions (write(), write_optimistic()), migrations, backups and checkpoints.
// The SQL text, SQLiteCpp and libpq live only in storage/*.cpp. Each backend implements
// detail::Connection and detail::StatementImpl (storage/connection.hpp):
// storage/sqlite_connection.cpp and storage/pg_connection.cpp, with its migrations in
// storage/migrations/ (SQLite) and storage/migrations-pg/ (PostgreSQL, same version numbers).
// The repositories above keep their signatures; where the two dialects differ (a handful of
// queries) a repository asks backend(). storage/schema.sql is the schema SQLite's migrations
// produce.

/// Owns one connection: a SQLite file (WAL, synchronous=FULL, foreign keys, busy timeout) or
/// a PostgreSQL server (a `postgresql://` URL), and its statement cache and transactions.
/// One connection is used by one thread at a time (the bot gives each thread its own).
class Database {
  public:
    /// A prepared statement borrowed from the connection's cache (see prepare()); reset and
    /// unbound when it goes out of scope, so it holds no lock and leaks no binding.
    ///
    ///     auto q = db.prepare("SELECT name, tz FROM people WHERE id = ? AND role IS NOT ?");
    ///     q.bind(id, role);                 // all parameters in order; std::nullopt is NULL
    ///     while (q.step()) q.read(name, tz);  // columns in order; std::optional for NULL
    class Statement {
      public:
        Statement(Statement&& other) noexcept;
        Statement& operator=(Statement&&) = delete;
        Statement(const Statement&) = delete;
        ~Statement();

        /// Binds every parameter, in order from the first: strings, integers, bool, double,
        /// TimePoint (unix seconds), std::nullopt and empty std::optional (NULL). Resets the
        /// statement first, so it can run again with the new values.
        template <class... A>
        Statement& bind(const A&... args) {
            reset();
            int i = 0;
            (bind_value(++i, args), ...);
            return *this;
        }
        /// Binds parameter `i` (from 1) alone, for statements whose parameters vary in number.
        template <class A>
        Statement& bind_at(int i, const A& value) {
            bind_value(i, value);
            return *this;
        }
        /// Binds one named parameter (`:name`).
        template <class A>
        Statement& bind_named(const char* name, const A& value) {
            bind_value(parameter_index(name), value);
            return *this;
        }
        /// Back to before the first step (the bindings stay).
        Statement& reset();
        /// The next row; false when there is none left.
        bool step();
        /// Runs a statement that returns no rows; the number of rows it changed.
        int exec();
        /// Reads the current row's columns, in order from the first, into `out...`: an
        /// std::optional stays empty for NULL; a NULL string reads as "", a NULL number as 0.
        template <class... T>
        void read(T&... out) const {
            int i = 0;
            (read_value(i++, out), ...);
        }
        /// Column `i` of the current row (see read()).
        template <class T>
        T get(int i) const {
            T v{};
            read_value(i, v);
            return v;
        }
        /// Column `i` as text, valid until the next step() (no copy).
        std::string_view text(int i) const;
        bool is_null(int i) const;

      private:
        friend class Database;
        Statement(detail::StatementImpl* stmt, bool* in_use,
                  std::unique_ptr<detail::StatementImpl> own);

        template <class T>
        struct is_optional : std::false_type {};
        template <class T>
        struct is_optional<std::optional<T>> : std::true_type {};

        int parameter_index(const char* name);
        void bind_null(int i);
        void bind_int(int i, int64_t v);
        void bind_double(int i, double v);
        void bind_text(int i, const std::string& v);
        void bind_text(int i, const char* v);
        void bind_text(int i, std::string_view v);
        int64_t column_int(int i) const;
        double column_double(int i) const;

        template <class T>
        void bind_value(int i, const T& v) {
            if constexpr (std::is_same_v<T, std::nullopt_t>) {
                bind_null(i);
            } else if constexpr (is_optional<T>::value) {
                if (v)
                    bind_value(i, *v);
                else
                    bind_null(i);
            } else if constexpr (std::is_same_v<T, bool>) {
                bind_int(i, v ? 1 : 0);
            } else if constexpr (std::is_integral_v<T>) {
                bind_int(i, static_cast<int64_t>(v));
            } else if constexpr (std::is_floating_point_v<T>) {
                bind_double(i, static_cast<double>(v));
            } else if constexpr (std::is_same_v<T, TimePoint>) {
                bind_int(
                    i,
                    std::chrono::duration_cast<std::chrono::seconds>(v.time_since_epoch()).count());
            } else if constexpr (std::is_same_v<T, std::string> ||
                                 std::is_same_v<T, std::string_view>) {
                bind_text(i, v);
            } else {
                bind_text(i, static_cast<const char*>(v));  // a literal or C string
            }
        }
        template <class T>
        void read_value(int i, T& out) const {
            if constexpr (is_optional<T>::value) {
                if (is_null(i)) {
                    out.reset();
                } else {
                    typename T::value_type v{};
                    read_value(i, v);
                    out = std::move(v);
                }
            } else if constexpr (std::is_same_v<T, bool>) {
                out = column_int(i) != 0;
            } else if constexpr (std::is_integral_v<T>) {
                out = static_cast<T>(column_int(i));
            } else if constexpr (std::is_floating_point_v<T>) {
                out = static_cast<T>(column_double(i));
            } else if constexpr (std::is_same_v<T, TimePoint>) {
                out = TimePoint{std::chrono::seconds{column_int(i)}};
            } else {
                static_assert(std::is_same_v<T, std::string>, "read into a supported type");
                out = std::string(text(i));
            }
        }

        detail::StatementImpl* stmt_;
        bool* in_use_;                                // the cache slot's flag; null when owned
        std::unique_ptr<detail::StatementImpl> own_;  // a one-off when the cached one is busy
    };
    /// Opens `where`: a `postgresql://` (or `postgres://`) URL connects to PostgreSQL (libpq
    /// connection URI; `sslmode` and the other parameters pass through); anything else is a
    /// SQLite file, created if needed (":memory:" for tests). `timeout_ms` is SQLite's busy
    /// timeout, or PostgreSQL's statement_timeout. Does not migrate; call migrate().
    explicit Database(const std::string& where, int timeout_ms = 5000);
    /// True when `where` names a PostgreSQL server rather than a SQLite file.
    static bool is_postgresql_url(const std::string& where);
    /// `where` as it may be logged: a URL's password replaced by `***`.
    static std::string describe(const std::string& where);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Applies pending migrations, each in one transaction with its version bump. Refuses a
    /// database whose user_version is newer than this binary knows. Returns how many ran.
    /// Each one is logged at info level, or at debug level when `quiet` (for commands whose
    /// output a person reads, such as the console).
    int migrate(bool quiet = false);
    /// The schema version stored in the database (SQLite's `PRAGMA user_version`).
    int schema_version();
    /// The newest schema version this binary knows (the same for both backends).
    static int latest_version();
    Backend backend() const;
    /// Process-wide SQLite settings: call once, before the first connection opens.
    static void configure_process();

    /// Copies the whole database to `destination` with SQLite's online backup API, while
    /// the bot keeps running. (PostgreSQL: refused with a pointer to pg_dump.)
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
    /// A `LIMIT ?` value for a repository's "limit, -1 = all": both SQLite and PostgreSQL
    /// take the largest integer as no limit (PostgreSQL refuses SQLite's negative one).
    static int64_t limit(int limit) {
        return limit < 0 ? std::numeric_limits<int64_t>::max() : limit;
    }
    /// Something a repository remembers for the rest of the current write transaction, so
    /// that a request which ensures a row and then reads it asks the server once (PeopleRepo
    /// keeps the people it read or ensured). Writers hold the write lock (BEGIN IMMEDIATE, or
    /// PostgreSQL's advisory write lock), so no other writer changes those rows meanwhile; the
    /// memo is dropped when the transaction ends or any level of it fails, and the repository
    /// clears it when it writes the rows itself. Null outside a write transaction.
    template <class T>
    T* transaction_memo() {
        if (savepoint_depth_ == 0) return nullptr;
        std::any& slot = memo_[std::type_index(typeid(T))];
        if (!slot.has_value()) slot.emplace<T>();
        return std::any_cast<T>(&slot);
    }
    /// True inside write() (and write_optimistic()).
    bool in_transaction() const { return savepoint_depth_ > 0; }

    /// The statement for `sql`, compiled once per connection and reused: parsing SQL costs
    /// more than running a small INSERT, and the hot paths (/brag, event dedupe, savepoints)
    /// run the same few statements thousands of times a second. Use it for fixed SQL text;
    /// a statement already borrowed (a nested use of the same SQL) gets a fresh one-off copy.
    /// This is the one way to prepare a statement.
    Statement prepare(const std::string& sql);

    /// Runs SQL text without parameters (one or more statements): DDL, PRAGMAs, test setup.
    /// Never with text built from data — use prepare() and bind().
    void exec(const std::string& sql);
    /// The rowid of the last row this connection inserted.
    int64_t last_insert_id() const;

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

    // Several instances on one PostgreSQL (storage/instances.hpp builds on these; on SQLite,
    // one process per file, they do nothing).
    /// An id of the server session, which changes when the connection is opened again: the
    /// session's advisory locks and LISTENs are then gone. Always 0 on SQLite.
    long session() const;
    /// `name` quoted as an SQL identifier by the backend's library (see Connection).
    std::string quote_identifier(const std::string& name);
    /// Subscribes this connection to notifications on `channel`, again after every
    /// reconnection. Use a connection of its own for it (it then only waits).
    void listen(const std::string& channel);
    /// Waits up to `timeout` for a notification on a listened channel: true when one came, or
    /// when the connection was opened again (so some may have been missed). Throws
    /// StorageError when the server cannot be reached; the next call tries again. SQLite:
    /// false at once.
    bool wait_for_notification(std::chrono::milliseconds timeout);

    /// The file, or the PostgreSQL URL without its password (safe to log).
    const std::string& path() const { return path_; }

  private:
    std::string path_;
    std::unique_ptr<detail::Connection> conn_;
    int savepoint_depth_ = 0;
    std::unordered_map<std::type_index, std::any> memo_;  ///< see transaction_memo()
    bool optimistic_ = false;  ///< inside write_optimistic(): inner levels take no savepoint
    bool tainted_ = false;     ///< an exception crossed an inner level in optimistic mode
    std::shared_ptr<std::mutex> gate_;
    struct Slot {
        std::unique_ptr<detail::StatementImpl> stmt;
        bool in_use = false;
    };
    // Declared after db_ so the statements are finalized before the connection closes.
    std::unordered_map<std::string, Slot> cache_;
};

}  // namespace careerbot::storage
