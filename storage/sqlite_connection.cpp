// The SQLite backend (SQLiteCpp): a file with WAL and synchronous=FULL, the default.
#include <sys/stat.h>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "src/core/logging.hpp"
#include "src/core/private_files.hpp"
#include "storage/connection.hpp"
#include "storage/migrations.hpp"

namespace careerbot::storage::detail {
namespace {

class SqliteStatement final : public StatementImpl {
  public:
    SqliteStatement(SQLite::Database& db, const std::string& sql) : stmt_(db, sql) {}

    void reset() override {
        // sqlite3_reset repeats the error of a failed last step; that error was already thrown
        // by step()/exec(), so a statement used again starts clean.
        (void)stmt_.tryReset();
    }
    void clear_bindings() override {
        try {
            stmt_.clearBindings();
        } catch (const SQLite::Exception&) {  // sqlite3_clear_bindings cannot fail; be safe
        }
    }
    bool step() override { return stmt_.executeStep(); }
    int exec() override { return stmt_.exec(); }
    int parameter_index(const char* name) override { return stmt_.getIndex(name); }
    void bind_null(int i) override { stmt_.bind(i); }
    void bind_int(int i, int64_t v) override { stmt_.bind(i, v); }
    void bind_double(int i, double v) override { stmt_.bind(i, v); }
    void bind_text(int i, std::string_view v) override { stmt_.bind(i, std::string(v)); }
    void bind_text(int i, const std::string& v) override { stmt_.bind(i, v); }
    int64_t column_int(int i) const override { return stmt_.getColumn(i).getInt64(); }
    double column_double(int i) const override { return stmt_.getColumn(i).getDouble(); }
    bool is_null(int i) const override { return stmt_.getColumn(i).isNull(); }
    std::string_view text(int i) const override {
        const SQLite::Column c = stmt_.getColumn(i);
        const char* p = c.getText();
        return {p, static_cast<std::size_t>(c.getBytes())};
    }

  private:
    mutable SQLite::Statement stmt_;
};

class SqliteConnection final : public Connection {
  public:
    SqliteConnection(const std::string& path, int busy_timeout_ms) : path_(path) {
        // Everyone's career data: owner-only whatever the umask (SQLite gives -wal and -shm the
        // database file's mode, so creating the file first is enough for them too).
        if (make_private(path)) {
            logger("storage")->warn("{} (or its -wal/-shm) was readable by others; now 0600", path);
        }
        try {
            db_ = std::make_unique<SQLite::Database>(
                path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
            db_->setBusyTimeout(busy_timeout_ms);
            // WAL + synchronous=FULL: a transaction that returned from COMMIT survives power
            // loss.
            if (path != ":memory:") {
                std::string mode = db_->execAndGet("PRAGMA journal_mode=WAL").getString();
                if (mode != "wal") throw StorageError("could not switch " + path + " to WAL mode");
            }
            db_->exec("PRAGMA synchronous=FULL");
            db_->exec("PRAGMA foreign_keys=ON");
            // Reading the schema catches a file that is not a database or cannot be read.
            (void)db_->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
        } catch (const SQLite::Exception& e) {
            throw StorageError("cannot open database " + path + ": " + e.what());
        }
        struct stat st {};
        if (path != ":memory:" && ::stat(path.c_str(), &st) == 0) {
            file_dev_ = static_cast<unsigned long long>(st.st_dev);
            file_ino_ = static_cast<unsigned long long>(st.st_ino);
        }
    }

    Backend backend() const override { return Backend::sqlite; }
    std::unique_ptr<StatementImpl> prepare(const std::string& sql) override {
        return std::make_unique<SqliteStatement>(*db_, sql);
    }
    void exec(const std::string& sql) override { db_->exec(sql); }
    void begin_write() override {
        // BEGIN IMMEDIATE takes the write lock up front, so a second process on the same
        // file waits on the busy timeout instead of failing half-way.
        // Compiled once: it runs for every group commit.
        if (!begin_) begin_ = std::make_unique<SQLite::Statement>(*db_, "BEGIN IMMEDIATE");
        (void)begin_->tryReset();
        begin_->exec();
    }
    int64_t last_insert_id() override { return db_->getLastInsertRowid(); }
    int64_t total_changes() const override { return sqlite3_total_changes64(db_->getHandle()); }
    int schema_version() override { return db_->execAndGet("PRAGMA user_version").getInt(); }
    int latest_version() const override {
        const auto& all = migrations();
        return all.empty() ? 0 : all.back().version;
    }
    std::string describe() const override { return path_; }
    std::string quote_identifier(const std::string& name) override {
        char* quoted = sqlite3_mprintf("\"%w\"", name.c_str());  // %w: SQLite's identifier quoting
        if (quoted == nullptr) throw StorageError("cannot quote " + name);
        std::string out = quoted;
        sqlite3_free(quoted);
        return out;
    }

    int migrate(bool quiet) override {
        auto log = logger("storage");
        int current = schema_version();
        if (current > latest_version()) {
            throw StorageError("database " + path_ + " has schema version " +
                               std::to_string(current) + ", newer than this careerbot knows (" +
                               std::to_string(latest_version()) + "); upgrade careerbot");
        }
        int applied = 0;
        for (const auto& m : migrations()) {
            if (m.version <= current) continue;
            try {
                SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
                db_->exec(m.sql);
                // PRAGMA takes no bound parameters; the version is an integer from our table.
                db_->exec("PRAGMA user_version = " + std::to_string(m.version));
                tx.commit();
            } catch (const SQLite::Exception& e) {
                throw StorageError(std::string("migration ") + m.name + " failed: " + e.what());
            }
            log->log(quiet ? spdlog::level::debug : spdlog::level::info, "applied migration {}",
                     m.name);
            ++applied;
        }
        return applied;
    }

    void backup_to(const std::filesystem::path& destination) override {
        try {
            SQLite::Database target(destination.string(),
                                    SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            SQLite::Backup backup(target, *db_);
            // Copy in steps so writers are not blocked for the whole copy of a large file.
            int rc;
            do {
                rc = backup.executeStep(1024);
            } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
            if (rc != SQLITE_DONE) throw StorageError("backup did not complete");
        } catch (const SQLite::Exception& e) {
            throw StorageError("backup to " + destination.string() + " failed: " + e.what());
        }
    }

    void defer_checkpoints(std::function<void()> request, int pages) override {
        checkpoint_request_ = std::move(request);
        checkpoint_pages_ = pages;
        if (!checkpoint_request_) {  // back to SQLite's own checkpoints
            sqlite3_wal_autocheckpoint(db_->getHandle(), pages);
            return;
        }
        // Replaces SQLite's own hook, which is what runs the automatic checkpoint.
        sqlite3_wal_hook(
            db_->getHandle(),
            [](void* self, sqlite3*, const char*, int wal_pages) {
                auto& c = *static_cast<SqliteConnection*>(self);
                if (wal_pages >= c.checkpoint_pages_ && c.checkpoint_request_)
                    c.checkpoint_request_();
                return SQLITE_OK;
            },
            this);
    }

    void checkpoint() override {
        int wal_pages = 0, copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(db_->getHandle(), nullptr,
                                                 SQLITE_CHECKPOINT_PASSIVE, &wal_pages, &copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY)
            throw StorageError(std::string("checkpoint failed: ") +
                               sqlite3_errmsg(db_->getHandle()));
    }

    bool file_replaced() const override {
        if (file_ino_ == 0) return false;
        struct stat st {};
        if (::stat(path_.c_str(), &st) != 0) return true;
        return static_cast<unsigned long long>(st.st_dev) != file_dev_ ||
               static_cast<unsigned long long>(st.st_ino) != file_ino_;
    }

  private:
    std::string path_;
    std::unique_ptr<SQLite::Database> db_;
    unsigned long long file_dev_ = 0;  ///< st_dev/st_ino of path_ when opened (0: in memory)
    unsigned long long file_ino_ = 0;
    std::function<void()> checkpoint_request_;  ///< see defer_checkpoints()
    int checkpoint_pages_ = 1000;
    std::unique_ptr<SQLite::Statement> begin_;  ///< BEGIN IMMEDIATE, finalized before db_
};

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path, int busy_timeout_ms) {
    return std::make_unique<SqliteConnection>(path, busy_timeout_ms);
}

}  // namespace careerbot::storage::detail
