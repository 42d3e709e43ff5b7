#include "storage/database.hpp"

#include <stdexcept>

#include <sys/stat.h>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include "src/core/logging.hpp"
#include "src/core/private_files.hpp"
#include "storage/migrations.hpp"

namespace careerbot::storage {

Database::Database(const std::string& path, int busy_timeout_ms) : path_(path) {
    // Everyone's career data: owner-only whatever the umask (SQLite gives -wal and -shm the
    // database file's mode, so creating the file first is enough for them too).
    if (make_private(path)) {
        logger("storage")->warn("{} (or its -wal/-shm) was readable by others; now 0600", path);
    }
    try {
        db_ = std::make_unique<SQLite::Database>(
            path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX);
        db_->setBusyTimeout(busy_timeout_ms);
        // WAL + synchronous=FULL: a transaction that returned from COMMIT survives power loss.
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

bool Database::file_replaced() const {
    if (file_ino_ == 0) return false;
    struct stat st {};
    if (::stat(path_.c_str(), &st) != 0) return true;
    return static_cast<unsigned long long>(st.st_dev) != file_dev_ ||
           static_cast<unsigned long long>(st.st_ino) != file_ino_;
}

int64_t Database::total_changes() const { return sqlite3_total_changes64(db_->getHandle()); }

void Database::defer_checkpoints(std::function<void()> request, int pages) {
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
            auto& db = *static_cast<Database*>(self);
            if (wal_pages >= db.checkpoint_pages_ && db.checkpoint_request_)
                db.checkpoint_request_();
            return SQLITE_OK;
        },
        this);
}

void Database::checkpoint() {
    int wal_pages = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(db_->getHandle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             &wal_pages, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        throw StorageError(std::string("checkpoint failed: ") + sqlite3_errmsg(db_->getHandle()));
}

void Database::configure_process() {
    // No up-front bulk allocation of 20 page slots per connection (~90 KB each, written
    // through, so resident): the bot keeps three connections open (storage, deferred reader,
    // reminders) and the last two read only a few pages. Pages are allocated as a cache
    // grows, and kept, so the hot path allocates nothing more.
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
}

int Database::latest_version() {
    const auto& all = migrations();
    return all.empty() ? 0 : all.back().version;
}

int Database::schema_version() { return db_->execAndGet("PRAGMA user_version").getInt(); }

int Database::migrate(bool quiet) {
    auto log = logger("storage");
    int current = schema_version();
    if (current > latest_version()) {
        throw StorageError("database " + path_ + " has schema version " + std::to_string(current) +
                           ", newer than this careerbot knows (" +
                           std::to_string(latest_version()) + "); upgrade careerbot");
    }
    int applied = 0;
    for (const auto& m : migrations()) {
        if (m.version <= current) continue;
        try {
            SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
            db_->exec(m.sql);
            // PRAGMA takes no bound parameters; the version is an integer from our own table.
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

void Database::backup_to(const std::filesystem::path& destination) {
    try {
        SQLite::Database target(destination.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
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

Database::~Database() = default;

void Database::exec(const std::string& sql) { db_->exec(sql); }

int64_t Database::last_insert_id() const { return db_->getLastInsertRowid(); }

Database::Statement::Statement(SQLite::Statement* stmt, bool* in_use,
                               std::unique_ptr<SQLite::Statement> own)
    : stmt_(stmt), in_use_(in_use), own_(std::move(own)) {}

Database::Statement::Statement(Statement&& other) noexcept
    : stmt_(other.stmt_), in_use_(other.in_use_), own_(std::move(other.own_)) {
    other.stmt_ = nullptr;
    other.in_use_ = nullptr;
}

Database::Statement::~Statement() {
    if (stmt_ == nullptr) return;
    (void)stmt_->tryReset();
    try {
        stmt_->clearBindings();
    } catch (const SQLite::Exception&) {  // sqlite3_clear_bindings cannot fail; be safe
    }
    if (in_use_ != nullptr) *in_use_ = false;
}

Database::Statement& Database::Statement::reset() {
    stmt_->reset();
    return *this;
}
bool Database::Statement::step() { return stmt_->executeStep(); }
int Database::Statement::exec() { return stmt_->exec(); }
int Database::Statement::parameter_index(const char* name) { return stmt_->getIndex(name); }
void Database::Statement::bind_null(int i) { stmt_->bind(i); }
void Database::Statement::bind_int(int i, int64_t v) { stmt_->bind(i, v); }
void Database::Statement::bind_double(int i, double v) { stmt_->bind(i, v); }
void Database::Statement::bind_text(int i, const std::string& v) { stmt_->bind(i, v); }
void Database::Statement::bind_text(int i, const char* v) { stmt_->bind(i, v); }
void Database::Statement::bind_text(int i, std::string_view v) { stmt_->bind(i, std::string(v)); }
int64_t Database::Statement::column_int(int i) const { return stmt_->getColumn(i).getInt64(); }
double Database::Statement::column_double(int i) const { return stmt_->getColumn(i).getDouble(); }
bool Database::Statement::is_null(int i) const { return stmt_->getColumn(i).isNull(); }
std::string_view Database::Statement::text(int i) const {
    const SQLite::Column c = stmt_->getColumn(i);
    const char* p = c.getText();
    return {p, static_cast<std::size_t>(c.getBytes())};
}

Database::Statement Database::prepare(const std::string& sql) {
    // Bounded: only fixed SQL texts come here, but a caller building many variants must not
    // grow the cache without end.
    constexpr std::size_t kMaxCached = 256;
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
        if (cache_.size() >= kMaxCached) {
            for (auto i = cache_.begin(); i != cache_.end();)
                i = i->second.in_use ? std::next(i) : cache_.erase(i);
        }
        it = cache_.emplace(sql, Slot{std::make_unique<SQLite::Statement>(*db_, sql), false}).first;
    }
    Slot& slot = it->second;
    if (slot.in_use) {
        auto own = std::make_unique<SQLite::Statement>(*db_, sql);
        SQLite::Statement* raw = own.get();
        return Statement(raw, nullptr, std::move(own));
    }
    slot.in_use = true;
    return Statement(slot.stmt.get(), &slot.in_use, nullptr);
}

void Database::write(const std::function<void()>& fn) {
    // The outermost level takes the write lock up front (BEGIN IMMEDIATE) so a second process
    // on the same file waits on the busy timeout instead of failing half-way; inner levels are
    // savepoints, so one command in a group commit can roll back alone.
    const bool outer = savepoint_depth_ == 0;
    if (optimistic_ && !outer) {
        // No savepoint (see write_optimistic): an exception leaving this level means the
        // whole transaction must be redone with savepoints.
        ++savepoint_depth_;
        try {
            fn();
        } catch (...) {
            --savepoint_depth_;
            tainted_ = true;
            throw;
        }
        --savepoint_depth_;
        return;
    }
    std::string name = "w";
    name += std::to_string(savepoint_depth_);
    std::unique_lock<std::mutex> gate;
    if (outer && gate_) gate = std::unique_lock(*gate_);
    try {
        prepare(outer ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT " + name).exec();
    } catch (const SQLite::Exception& e) {
        throw StorageError(std::string("cannot write to the database: ") + e.what());
    }
    ++savepoint_depth_;
    try {
        fn();
    } catch (...) {
        --savepoint_depth_;
        try {
            if (outer) {
                db_->exec("ROLLBACK");
            } else {
                prepare("ROLLBACK TO " + name).exec();
                prepare("RELEASE " + name).exec();
            }
        } catch (const SQLite::Exception& e) {
            logger("storage")->error("rollback failed: {}", e.what());
        }
        throw;
    }
    --savepoint_depth_;
    try {
        prepare(outer ? std::string("COMMIT") : "RELEASE " + name).exec();
    } catch (const SQLite::Exception& e) {
        if (outer) {
            try {
                db_->exec("ROLLBACK");
            } catch (const SQLite::Exception&) {
            }
        }
        throw StorageError(std::string("could not commit: ") + e.what());
    }
}

bool Database::write_optimistic(const std::function<void()>& fn) {
    if (savepoint_depth_ != 0) throw std::logic_error("write_optimistic inside a transaction");
    optimistic_ = true;
    tainted_ = false;
    struct Restore {
        Database& db;
        ~Restore() { db.optimistic_ = db.tainted_ = false; }
    } restore{*this};
    struct Redo {};
    try {
        // A handler may have caught the exception itself and carried on; the transaction
        // still holds the writes a savepoint would have undone, so it is redone either way.
        write([&] {
            fn();
            if (tainted_) throw Redo{};
        });
        return true;
    } catch (...) {
        if (tainted_) return false;  // write() rolled back; the caller runs it again
        throw;
    }
}

}  // namespace careerbot::storage
