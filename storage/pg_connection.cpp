// The PostgreSQL backend (libpq, Debian's libpq-dev): several careerbot instances on one server.
//
// Why libpq and not libpqxx: Debian 12 ships libpqxx 6.4, written for C++17 and older
// PostgreSQL, while the surface careerbot needs is small — prepare, bind, step, read — and
// already defined by Database::Statement. libpq is the library every PostgreSQL client uses.
//
// Statements are prepared on the server (PQprepare, once per connection) with untyped
// parameters, so the server infers each parameter's type from where it is used, as SQLite's
// loose typing lets the same SQL work; values travel as text, results come back as text.
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <stdexcept>

#include <poll.h>
#include <cerrno>
#include <vector>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

#include "src/core/logging.hpp"
#include "storage/connection.hpp"
#include "storage/migrations.hpp"

namespace careerbot::storage::detail {
namespace {

// Advisory lock keys (any 64-bit numbers no other application on the server uses).
constexpr const char* kWriteLock = "7227581360518299649";    // one writer at a time
constexpr const char* kMigrateLock = "7227581360518299650";  // one migrator at a time

/// A failed statement: the server's message, with its SQLSTATE.
class PgError : public std::runtime_error {
  public:
    PgError(const std::string& what, std::string sqlstate)
        : std::runtime_error(what), sqlstate_(std::move(sqlstate)) {}
    const std::string& sqlstate() const { return sqlstate_; }

  private:
    std::string sqlstate_;
};

struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

/// The rows a command changed or returned (PQcmdTuples), 0 when it says none.
int64_t rows_of(PGresult* r) {
    const char* n = PQcmdTuples(r);
    return n != nullptr && *n != '\0' ? std::atoll(n) : 0;
}

std::string trim_message(const char* m) {
    std::string s = m != nullptr ? m : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

/// SQL that PostgreSQL cannot prepare (transaction control, DDL, SET): run as a simple query.
bool preparable(const std::string& sql) {
    std::size_t i = sql.find_first_not_of(" \t\r\n(");
    if (i == std::string::npos) return false;
    std::size_t j = i;
    while (j < sql.size() && std::isalpha(static_cast<unsigned char>(sql[j])) != 0) ++j;
    std::string word = sql.substr(i, j - i);
    for (auto& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return word == "SELECT" || word == "INSERT" || word == "UPDATE" || word == "DELETE" ||
           word == "WITH" || word == "VALUES";
}

/// A statement that begins with WITH and inserts, updates or deletes in it (the upper-cased
/// keywords, as this codebase writes SQL): PostgreSQL reports it as a SELECT.
bool writes_in_with(const std::string& sql) {
    const std::size_t i = sql.find_first_not_of(" \t\r\n(");
    if (i == std::string::npos || sql.compare(i, 4, "WITH") != 0) return false;
    return sql.find("INSERT INTO") != std::string::npos ||
           sql.find("UPDATE ") != std::string::npos || sql.find("DELETE FROM") != std::string::npos;
}

class PgConnection;

class PgStatement final : public StatementImpl {
  public:
    PgStatement(PgConnection& conn, const std::string& sql);
    ~PgStatement() override;
    PgStatement(const PgStatement&) = delete;
    PgStatement& operator=(const PgStatement&) = delete;

    void reset() override {
        result_.reset();
        row_ = -1;
    }
    void clear_bindings() override {
        for (auto& v : values_) v.reset();
    }
    bool step() override {
        if (!result_) run();
        ++row_;
        return row_ < PQntuples(result_.get());
    }
    int exec() override {
        run();
        return static_cast<int>(rows_of(result_.get()));
    }
    int parameter_index(const char* name) override {
        std::string key = name;
        if (!key.empty() && (key[0] == ':' || key[0] == '@' || key[0] == '$')) key.erase(0, 1);
        for (std::size_t i = 0; i < names_.size(); ++i) {
            if (names_[i] == key) return static_cast<int>(i) + 1;
        }
        throw std::out_of_range(std::string("no parameter named ") + name);
    }
    void bind_null(int i) override { slot(i).reset(); }
    void bind_int(int i, int64_t v) override { slot(i) = std::to_string(v); }
    void bind_double(int i, double v) override {
        char buf[32];
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
        slot(i) = std::string(buf, ec == std::errc() ? end : buf);
    }
    void bind_text(int i, std::string_view v) override { slot(i) = std::string(v); }
    void bind_text(int i, const std::string& v) override { slot(i) = v; }

    int64_t column_int(int i) const override {
        std::string_view t = text(i);
        if (t == "t") return 1;  // a boolean expression (SQLite gives 1/0)
        if (t == "f") return 0;
        int64_t v = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
        if (ec == std::errc() && end == t.data() + t.size()) return v;
        return static_cast<int64_t>(column_double(i));  // numeric, as from AVG or SUM
    }
    double column_double(int i) const override {
        std::string s(text(i));
        return s.empty() ? 0.0 : std::strtod(s.c_str(), nullptr);
    }
    bool is_null(int i) const override { return PQgetisnull(result_.get(), row_, i) != 0; }
    std::string_view text(int i) const override {
        if (PQgetisnull(result_.get(), row_, i) != 0) return {};
        return {PQgetvalue(result_.get(), row_, i),
                static_cast<std::size_t>(PQgetlength(result_.get(), row_, i))};
    }

  private:
    std::optional<std::string>& slot(int i) {
        if (i < 1 || static_cast<std::size_t>(i) > values_.size())
            throw std::out_of_range("bind index " + std::to_string(i) + " out of range");
        return values_[static_cast<std::size_t>(i) - 1];
    }
    void run();

    PgConnection& conn_;
    std::string sql_;              ///< with $n placeholders
    std::string name_;             ///< the server-side prepared statement's name
    bool simple_ = false;          ///< not preparable: run as a simple query
    bool writes_in_with_ = false;  ///< see writes_in_with()
    long generation_ = -1;         ///< the connection generation it was prepared on
    std::vector<std::string> names_;
    std::vector<std::optional<std::string>> values_;
    Result result_;
    int row_ = -1;
};

class PgConnection final : public Connection {
  public:
    PgConnection(const std::string& url, int statement_timeout_ms)
        : url_(url), described_(redact_url(url)), timeout_ms_(statement_timeout_ms) {
        connect();
    }
    ~PgConnection() override {
        if (conn_ != nullptr) PQfinish(conn_);
    }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    Backend backend() const override { return Backend::postgresql; }
    std::unique_ptr<StatementImpl> prepare(const std::string& sql) override {
        return std::make_unique<PgStatement>(*this, sql);
    }
    void exec(const std::string& sql) override { (void)simple(sql); }
    void begin_write() override {
        // One writer at a time across every instance, as SQLite's BEGIN IMMEDIATE gives on
        // one file: repositories read a number and insert the next one in one transaction.
        // The lock is released by COMMIT or ROLLBACK.
        (void)simple(std::string("BEGIN; SELECT pg_advisory_xact_lock(") + kWriteLock + ")");
    }
    int64_t last_insert_id() override {
        Result r = simple("SELECT lastval()");
        return std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10);
    }
    int64_t total_changes() const override { return changes_; }
    int schema_version() override {
        Result exists = simple("SELECT to_regclass('careerbot_schema') IS NOT NULL");
        if (std::string_view(PQgetvalue(exists.get(), 0, 0)) != "t") return 0;
        Result r = simple("SELECT version FROM careerbot_schema");
        return PQntuples(r.get()) == 0 ? 0 : std::atoi(PQgetvalue(r.get(), 0, 0));
    }
    int latest_version() const override {
        const auto& all = pg_migrations();
        return all.empty() ? 0 : all.back().version;
    }
    std::string describe() const override { return described_; }

    int migrate(bool quiet) override {
        auto log = logger("storage");
        // Instances starting together: the first migrates, the others wait here and then
        // find nothing left to do.
        (void)simple(std::string("SELECT pg_advisory_lock(") + kMigrateLock + ")");
        struct Unlock {
            PgConnection& c;
            ~Unlock() {
                try {
                    (void)c.simple(std::string("SELECT pg_advisory_unlock(") + kMigrateLock + ")");
                } catch (const std::exception&) {  // the session ends with the connection
                }
            }
        } unlock{*this};
        (void)simple(
            "CREATE TABLE IF NOT EXISTS careerbot_schema (version INTEGER NOT NULL);"
            "INSERT INTO careerbot_schema (version) SELECT 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM careerbot_schema)");
        const int current = schema_version();
        if (current > latest_version()) {
            throw StorageError("database " + described_ + " has schema version " +
                               std::to_string(current) + ", newer than this careerbot knows (" +
                               std::to_string(latest_version()) + "); upgrade careerbot");
        }
        int applied = 0;
        for (const auto& m : pg_migrations()) {
            if (m.version <= current) continue;
            try {
                // One simple query: the migration and its version bump commit together.
                (void)simple(std::string("BEGIN;\n") + m.sql +
                             "\n;UPDATE careerbot_schema SET version = " +
                             std::to_string(m.version) + ";\nCOMMIT");
            } catch (const std::exception& e) {
                try {
                    (void)simple("ROLLBACK");
                } catch (const std::exception&) {
                }
                throw StorageError(std::string("migration ") + m.name + " failed: " + e.what());
            }
            log->log(quiet ? spdlog::level::debug : spdlog::level::info,
                     "applied PostgreSQL migration {}", m.name);
            ++applied;
        }
        return applied;
    }

    void backup_to(const std::filesystem::path&) override {
        throw StorageError(
            "careerbot backup copies a SQLite file; on PostgreSQL use pg_dump (see the README, "
            "\"Running several instances\")");
    }
    std::string quote_identifier(const std::string& name) override {
        ensure_connected();
        char* quoted = PQescapeIdentifier(conn_, name.c_str(), name.size());
        if (quoted == nullptr) throw StorageError("cannot quote " + name);
        std::string out = quoted;
        PQfreemem(quoted);
        return out;
    }
    long session() const override { return generation_; }
    void listen(const std::string& channel) override {
        channels_.push_back(channel);
        (void)simple("LISTEN " + quote_identifier(channel));
        listened_ = generation_;
    }
    bool wait_for_notification(int timeout_ms) override {
        ensure_connected();
        if (listened_ != generation_) {
            // Opened again: subscribe again, and report it, since notifications sent while
            // the connection was down are lost.
            for (const auto& c : channels_) (void)simple("LISTEN " + quote_identifier(c));
            listened_ = generation_;
            return true;
        }
        if (take_notifications()) return true;
        pollfd p{PQsocket(conn_), POLLIN, 0};
        const int ready = ::poll(&p, 1, timeout_ms);
        if (ready < 0 && errno != EINTR)
            throw StorageError("waiting for notifications from " + described_ + " failed");
        if (ready <= 0) return false;
        if (PQconsumeInput(conn_) == 0) {  // the next call opens the connection again
            throw StorageError("lost the connection to " + described_ + ": " +
                               trim_message(PQerrorMessage(conn_)));
        }
        return take_notifications();
    }

    void defer_checkpoints(std::function<void()>, int) override {}  // no WAL file of ours
    void checkpoint() override {}
    bool file_replaced() const override { return false; }

    // For PgStatement.
    /// The connection, to run `sql` on. A connection the server dropped inside a transaction
    /// took the transaction's work with it: it is opened again, but everything up to the
    /// caller's ROLLBACK fails, so the rest of that transaction can never commit on its own.
    PGconn* handle(std::string_view sql) {
        if (sql == "ROLLBACK" && (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK)) {
            // The server ends the transaction of a connection that dropped: there is nothing
            // left to roll back, even when it cannot be reached now (else the next BEGIN,
            // once it can, would be refused as part of the lost transaction).
            in_transaction_ = false;
            lost_transaction_ = false;
        }
        ensure_connected();
        if (lost_transaction_) {
            if (sql != "ROLLBACK") {
                throw StorageError("the connection to " + described_ +
                                   " was lost inside a transaction; its work was not stored");
            }
            lost_transaction_ = false;
        }
        return conn_;
    }
    /// Remembers whether a transaction is open after each command (see handle()).
    void note_transaction_state() {
        const auto state = PQtransactionStatus(conn_);
        if (state == PQTRANS_UNKNOWN) return;  // the connection is gone: keep what it was
        in_transaction_ = state == PQTRANS_INTRANS || state == PQTRANS_INERROR;
    }
    long generation() const { return generation_; }
    std::string next_name() { return "cb" + std::to_string(++statements_); }
    /// Rows changed, as SQLite's total_changes counts them: INSERT, UPDATE and DELETE only
    /// (PQcmdTuples also counts the rows a SELECT returned). A statement that writes in a WITH
    /// clause (`writes_in_with`) reports SELECT: its rows are counted, as such statements here
    /// return the rows they wrote (e.g. the brag INSERT … RETURNING).
    void count_changes(PGresult* r, bool writes_in_with = false) {
        const std::string_view status = PQcmdStatus(r);
        if (status.starts_with("INSERT") || status.starts_with("UPDATE") ||
            status.starts_with("DELETE") || (writes_in_with && status.starts_with("SELECT")))
            changes_ += rows_of(r);
    }
    /// Throws for a result that is not a success.
    void check(const Result& r, const std::string& what) {
        const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
        std::string message =
            r ? trim_message(PQresultErrorMessage(r.get())) : trim_message(PQerrorMessage(conn_));
        const char* state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
        if (PQstatus(conn_) == CONNECTION_BAD) {
            throw StorageError("cannot reach the database " + described_ + ": " + message);
        }
        throw PgError(message + " (in: " + what.substr(0, 200) + ")", state ? state : "");
    }
    Result simple(const std::string& sql) {
        Result r(PQexec(handle(sql), sql.c_str()));
        note_transaction_state();
        check(r, sql);
        count_changes(r.get());
        return r;
    }

  private:
    /// Drains the notifications libpq has read; true when there was one.
    bool take_notifications() {
        bool any = false;
        while (PGnotify* n = PQnotifies(conn_)) {
            PQfreemem(n);
            any = true;
        }
        return any;
    }
    void connect() {
        conn_ = PQconnectdb(url_.c_str());
        if (PQstatus(conn_) != CONNECTION_OK) {
            std::string why = trim_message(PQerrorMessage(conn_));
            PQfinish(conn_);
            conn_ = nullptr;
            throw StorageError("cannot connect to " + described_ + ": " + why);
        }
        PQsetNoticeProcessor(
            conn_, [](void*, const char* m) { logger("storage")->debug("{}", trim_message(m)); },
            nullptr);
        configure();
    }
    /// Session settings, after every (re)connection.
    void configure() {
        ++generation_;
        // A stuck query must not hold the acks behind it for long; synchronous_commit stays
        // on (the server's default), so a COMMIT that returned is on the server's disk.
        // TCP keepalives from the server's side: a client machine that vanishes without
        // closing its connection (power, network) is noticed within ~15 s, which ends its
        // session and frees its advisory locks (the scheduler's leadership; see
        // storage/instances.hpp). The server's default waits for the kernel's two hours.
        Result r(PQexec(conn_, ("SET statement_timeout = " + std::to_string(timeout_ms_) +
                                "; SET client_min_messages = warning"
                                "; SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 3"
                                "; SET tcp_keepalives_count = 3")
                                   .c_str()));
        check(r, "SET statement_timeout");
    }
    /// Outside a transaction, a connection the server dropped is opened again (its prepared
    /// statements are then prepared again, see generation()). Inside one the work is lost,
    /// so the error goes up and the transaction is retried or reported by its caller.
    void ensure_connected() {
        if (conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK) return;
        if (conn_ != nullptr) {
            PQreset(conn_);
            if (PQstatus(conn_) == CONNECTION_OK) {
                logger("storage")->warn("reconnected to {}", described_);
                configure();
                if (in_transaction_) {
                    in_transaction_ = false;
                    lost_transaction_ = true;
                }
                return;
            }
            throw StorageError("cannot reach the database " + described_ + ": " +
                               trim_message(PQerrorMessage(conn_)));
        }
        connect();
    }

    std::string url_;
    std::string described_;
    int timeout_ms_;
    PGconn* conn_ = nullptr;
    long generation_ = 0;
    long statements_ = 0;
    bool in_transaction_ = false;    ///< a transaction was open after the last command
    bool lost_transaction_ = false;  ///< the connection dropped inside it (see handle())
    int64_t changes_ = 0;
    std::vector<std::string> channels_;  ///< LISTENed to (see wait_for_notification())
    long listened_ = -1;                 ///< the session they were LISTENed on
};

PgStatement::PgStatement(PgConnection& conn, const std::string& sql) : conn_(conn) {
    sql_ = number_placeholders(sql, names_);
    values_.resize(names_.size());
    simple_ = names_.empty() && !preparable(sql_);
    writes_in_with_ = writes_in_with(sql_);
}

PgStatement::~PgStatement() {
    if (name_.empty() || generation_ != conn_.generation()) return;
    try {
        conn_.exec("DEALLOCATE " + name_);
    } catch (const std::exception&) {  // the server forgets it with the session anyway
    }
}

void PgStatement::run() {
    reset();
    if (simple_) {
        result_ = conn_.simple(sql_);
        return;
    }
    PGconn* c = conn_.handle(sql_);
    if (name_.empty() || generation_ != conn_.generation()) {
        name_ = conn_.next_name();
        Result r(
            PQprepare(c, name_.c_str(), sql_.c_str(), static_cast<int>(values_.size()), nullptr));
        conn_.check(r, sql_);
        generation_ = conn_.generation();
    }
    std::vector<const char*> params(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i)
        params[i] = values_[i] ? values_[i]->c_str() : nullptr;
    result_.reset(PQexecPrepared(c, name_.c_str(), static_cast<int>(params.size()), params.data(),
                                 nullptr, nullptr, 0));
    conn_.note_transaction_state();
    conn_.check(result_, sql_);
    conn_.count_changes(result_.get(), writes_in_with_);
}

}  // namespace

std::unique_ptr<Connection> open_postgresql(const std::string& url, int statement_timeout_ms) {
    return std::make_unique<PgConnection>(url, statement_timeout_ms);
}

std::string number_placeholders(const std::string& sql, std::vector<std::string>& names) {
    names.clear();
    std::string out;
    out.reserve(sql.size() + 8);
    auto is_word = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
    };
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {  // a literal or quoted identifier, copied as it is
            std::size_t end = i + 1;
            while (end < sql.size()) {
                if (sql[end] == c) {
                    if (end + 1 < sql.size() && sql[end + 1] == c) {
                        end += 2;  // a doubled quote inside
                        continue;
                    }
                    break;
                }
                ++end;
            }
            out.append(sql, i, end - i + 1);
            i = end;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            std::size_t end = sql.find('\n', i);
            if (end == std::string::npos) end = sql.size();
            out.append(sql, i, end - i);
            i = end - 1;
        } else if (c == '?') {
            // `?NNN` is parameter NNN; a bare `?` is one more than the largest so far (SQLite's
            // rules, https://www.sqlite.org/lang_expr.html#varparam).
            std::size_t end = i + 1;
            while (end < sql.size() && std::isdigit(static_cast<unsigned char>(sql[end])) != 0)
                ++end;
            std::size_t index = names.size() + 1;
            if (end > i + 1) index = std::stoul(sql.substr(i + 1, end - i - 1));
            if (names.size() < index) names.resize(index);
            out += '$' + std::to_string(index);
            i = end - 1;
        } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {
            out += "::";  // a cast
            ++i;
        } else if (c == ':' && i + 1 < sql.size() && is_word(sql[i + 1]) &&
                   (i == 0 || !is_word(sql[i - 1]))) {
            std::size_t end = i + 1;
            while (end < sql.size() && is_word(sql[end])) ++end;
            std::string name = sql.substr(i + 1, end - i - 1);
            std::size_t index = 0;
            while (index < names.size() && names[index] != name) ++index;
            if (index == names.size()) names.push_back(name);
            out += '$' + std::to_string(index + 1);
            i = end - 1;
        } else {
            out += c;
        }
    }
    return out;
}

std::string redact_url(const std::string& url) {
    std::string out = url;
    // postgresql://user:password@host/...
    const auto scheme = out.find("://");
    if (scheme != std::string::npos) {
        const auto at = out.find('@', scheme + 3);
        const auto slash = out.find('/', scheme + 3);
        if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
            const auto colon = out.find(':', scheme + 3);
            if (colon != std::string::npos && colon < at)
                out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    // ...?password=secret&...
    for (std::size_t p = out.find("password="); p != std::string::npos;
         p = out.find("password=", p + 1)) {
        const std::size_t start = p + 9;
        std::size_t end = out.find('&', start);
        if (end == std::string::npos) end = out.size();
        out.replace(start, end - start, "***");
    }
    return out;
}

}  // namespace careerbot::storage::detail
