// `careerbot migrate-to`: copies a SQLite database into an empty PostgreSQL one.
//
// The copy is generic: it takes the tables and columns from SQLite's catalogue
// (sqlite_master, pragma_table_info, pragma_foreign_key_list) and checks each against the
// target's (information_schema), so a table added by a later migration pair is copied
// without touching this file. Table and column names come from the catalogues only and are
// quoted as identifiers; every value is a bound parameter. Values travel as text, as the
// PostgreSQL backend sends every parameter, and the server converts them to the column's type.
#include "storage/migrate_to.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace careerbot::storage {
namespace {

/// `name` as an SQL identifier of `db` (its library's quoting).
std::string ident(Database& db, const std::string& name) { return db.quote_identifier(name); }

/// A comma-separated list of quoted identifiers.
std::string ident_list(Database& db, const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + ident(db, n);
    return out;
}

struct SourceTable {
    std::string name;
    std::vector<std::string> columns;
    std::vector<std::string> key;          ///< the primary key's columns (for self references)
    std::set<std::string> parents;         ///< other tables its foreign keys name
    std::set<std::string> self_reference;  ///< columns referring to the same table
};

/// The source's tables (not SQLite's own), with their columns and foreign keys.
std::vector<SourceTable> source_tables(Database& db) {
    std::vector<SourceTable> tables;
    auto names = db.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND substr(name, 1, 7) <> 'sqlite_' ORDER BY name");
    while (names.step()) tables.push_back({names.get<std::string>(0), {}, {}, {}, {}});
    for (auto& t : tables) {
        auto cols = db.prepare("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid");
        cols.bind(t.name);
        std::vector<std::pair<int, std::string>> key;
        while (cols.step()) {
            t.columns.push_back(cols.get<std::string>(0));
            if (const int pk = cols.get<int>(1); pk > 0) key.emplace_back(pk, t.columns.back());
        }
        std::sort(key.begin(), key.end());
        for (auto& k : key) t.key.push_back(k.second);
        auto fks = db.prepare(R"(SELECT "table", "from" FROM pragma_foreign_key_list(?))");
        fks.bind(t.name);
        while (fks.step()) {
            auto parent = fks.get<std::string>(0);
            if (parent == t.name)
                t.self_reference.insert(fks.get<std::string>(1));
            else
                t.parents.insert(parent);
        }
    }
    return tables;
}

/// Parents before children (Kahn's algorithm, by name among the ready ones); a cycle between
/// tables is refused (self references are handled by the copy itself).
std::vector<SourceTable> dependency_order(std::vector<SourceTable> tables) {
    std::set<std::string> known;
    for (const auto& t : tables) known.insert(t.name);
    std::vector<SourceTable> ordered;
    std::set<std::string> done;
    while (!tables.empty()) {
        auto ready = std::find_if(tables.begin(), tables.end(), [&](const SourceTable& t) {
            return std::all_of(t.parents.begin(), t.parents.end(), [&](const std::string& p) {
                return done.contains(p) || !known.contains(p);
            });
        });
        if (ready == tables.end()) {
            throw StorageError("migrate-to: the foreign keys of " + tables.front().name +
                               " and other tables form a cycle; cannot order the copy");
        }
        done.insert(ready->name);
        ordered.push_back(std::move(*ready));
        tables.erase(ready);
    }
    return ordered;
}

/// The target's tables (in its current schema) and their columns.
std::map<std::string, std::set<std::string>> target_tables(Database& db) {
    std::map<std::string, std::set<std::string>> tables;
    auto q = db.prepare(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema "
        "AND t.table_name = c.table_name "
        "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'");
    while (q.step()) tables[q.get<std::string>(0)].insert(q.get<std::string>(1));
    return tables;
}

/// The target's tables that hold rows (careerbot_schema, the version, aside).
std::vector<std::string> tables_with_rows(Database& db) {
    std::vector<std::string> found;
    for (const auto& [table, columns] : target_tables(db)) {
        if (table == "careerbot_schema") continue;
        auto q = db.prepare("SELECT EXISTS (SELECT 1 FROM " + ident(db, table) + ")");
        if (q.step() && q.get<bool>(0)) found.push_back(table);
    }
    return found;
}

/// SQLite's AUTOINCREMENT counter of `table` (0 without one): ids up to it were handed out,
/// even if their rows are gone, and SQLite never gives them again.
int64_t autoincrement_counter(Database& source, const std::string& table) {
    auto has = source.prepare(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'");
    if (!has.step() || has.get<int>(0) == 0) return 0;
    auto q = source.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?");
    q.bind(table);
    return q.step() ? q.get<int64_t>(0) : 0;
}

/// Rows per INSERT: a few hundred, and far below PostgreSQL's 65,535 parameters.
std::size_t batch_rows(std::size_t columns) {
    return std::clamp<std::size_t>(20000 / std::max<std::size_t>(columns, 1), 1, 500);
}

std::string insert_sql(Database& target, const SourceTable& t, std::size_t rows) {
    std::string row = "(";
    for (std::size_t i = 0; i < t.columns.size(); ++i) row += i == 0 ? "?" : ", ?";
    row += ")";
    std::string sql =
        "INSERT INTO " + ident(target, t.name) + " (" + ident_list(target, t.columns) + ") VALUES ";
    for (std::size_t r = 0; r < rows; ++r) sql += (r == 0 ? "" : ", ") + row;
    return sql;
}

using Value = std::optional<std::string>;

/// Copies one table's rows; returns how many. Columns that refer to the same table (a
/// person's manager) are inserted empty and set once every row is there, so the order of
/// the rows does not matter.
int64_t copy_rows(Database& source, Database& target, const SourceTable& t) {
    const std::size_t width = t.columns.size();
    const std::size_t per_batch = batch_rows(width);
    std::vector<std::size_t> self_at, key_at;
    for (std::size_t i = 0; i < width; ++i) {
        if (t.self_reference.contains(t.columns[i])) self_at.push_back(i);
        if (std::find(t.key.begin(), t.key.end(), t.columns[i]) != t.key.end()) key_at.push_back(i);
    }
    if (!self_at.empty() && key_at.empty()) {
        throw StorageError("migrate-to: " + t.name +
                           " refers to itself but has no primary key to set it by");
    }
    std::vector<Value> batch;
    batch.reserve(per_batch * width);
    std::vector<std::vector<Value>> deferred;  // key values, then the self references
    int64_t rows = 0;
    auto flush = [&] {
        if (batch.empty()) return;
        auto insert = target.prepare(insert_sql(target, t, batch.size() / width));
        for (std::size_t i = 0; i < batch.size(); ++i)
            insert.bind_at(static_cast<int>(i) + 1, batch[i]);
        insert.exec();
        batch.clear();
    };
    auto select = source.prepare("SELECT " + ident_list(source, t.columns) + " FROM " +
                                 ident(source, t.name));
    while (select.step()) {
        std::vector<Value> later;
        for (std::size_t i = 0; i < width; ++i) {
            Value v;
            if (!select.is_null(static_cast<int>(i)))
                v = std::string(select.text(static_cast<int>(i)));
            if (std::find(self_at.begin(), self_at.end(), i) != self_at.end()) {
                later.push_back(std::move(v));
                batch.emplace_back();  // NULL until every row is in
            } else {
                batch.push_back(std::move(v));
            }
        }
        if (std::any_of(later.begin(), later.end(), [](const Value& v) { return v.has_value(); })) {
            std::vector<Value> row;
            for (auto k : key_at) row.push_back(batch[batch.size() - width + k]);
            row.insert(row.end(), later.begin(), later.end());
            deferred.push_back(std::move(row));
        }
        ++rows;
        if (batch.size() >= per_batch * width) flush();
    }
    flush();
    if (!deferred.empty()) {
        std::string set, where;
        for (auto i : self_at)
            set += (set.empty() ? "" : ", ") + ident(target, t.columns[i]) + " = ?";
        for (auto k : key_at)
            where += (where.empty() ? "" : " AND ") + ident(target, t.columns[k]) + " = ?";
        auto update =
            target.prepare("UPDATE " + ident(target, t.name) + " SET " + set + " WHERE " + where);
        for (const auto& row : deferred) {
            // Parameters: the self references, then the key (stored key first).
            int p = 0;
            for (std::size_t i = key_at.size(); i < row.size(); ++i) update.bind_at(++p, row[i]);
            for (std::size_t i = 0; i < key_at.size(); ++i) update.bind_at(++p, row[i]);
            update.exec();
        }
    }
    return rows;
}

/// Moves every sequence of `table` (serial and identity columns) past the largest value
/// copied and past SQLite's AUTOINCREMENT counter, so the next row gets a new id.
void reset_sequences(Database& source, Database& target, const std::string& table) {
    auto serials = target.prepare(
        "SELECT column_name, pg_get_serial_sequence(quote_ident(current_schema()) || '.' || "
        "quote_ident(table_name), column_name) FROM information_schema.columns "
        "WHERE table_schema = current_schema() AND table_name = ?");
    serials.bind(table);
    std::vector<std::pair<std::string, std::string>> found;
    while (serials.step()) {
        if (!serials.is_null(1))
            found.emplace_back(serials.get<std::string>(0), serials.get<std::string>(1));
    }
    for (const auto& [column, sequence] : found) {
        auto largest = target.prepare("SELECT COALESCE(MAX(" + ident(target, column) +
                                      "), 0) FROM " + ident(target, table));
        const int64_t last = std::max(largest.step() ? largest.get<int64_t>(0) : 0,
                                      autoincrement_counter(source, table));
        // setval(seq, n, true): the next value is n + 1; (seq, 1, false): it is 1.
        auto set = target.prepare("SELECT setval(CAST(? AS regclass), ?, CAST(? AS BOOLEAN))");
        set.bind(sequence, std::max<int64_t>(last, 1), last > 0 ? "true" : "false");
        set.step();
    }
}

/// The source's snapshot: one read transaction, so a bot still writing to the file cannot
/// show the copy half of a change.
class ReadSnapshot {
  public:
    explicit ReadSnapshot(Database& db) : db_(db) { db_.exec("BEGIN"); }
    ~ReadSnapshot() {
        try {
            db_.exec("ROLLBACK");
        } catch (const std::exception&) {  // nothing was written
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  private:
    Database& db_;
};

}  // namespace

std::vector<TableCopied> migrate_to(Database& source, Database& target) {
    if (source.backend() != Backend::sqlite)
        throw StorageError("migrate-to copies a SQLite database; " + source.path() + " is not one");
    if (target.backend() != Backend::postgresql)
        throw StorageError("migrate-to copies into PostgreSQL; " + target.path() +
                           " is not a postgresql:// URL");
    const int version = source.schema_version();
    if (version < Database::latest_version()) {
        throw StorageError("the database " + source.path() + " is at schema version " +
                           std::to_string(version) + ", this careerbot's is " +
                           std::to_string(Database::latest_version()) +
                           ": run `careerbot migrate` on it first (after a backup)");
    }
    if (version > Database::latest_version()) {
        throw StorageError("the database " + source.path() + " is at schema version " +
                           std::to_string(version) + ", newer than this careerbot's (" +
                           std::to_string(Database::latest_version()) +
                           "): use the careerbot that wrote it");
    }
    // Refused before the target is touched: migrations would change a database with data.
    auto refuse_if_not_empty = [&] {
        auto full = tables_with_rows(target);
        if (full.empty()) return;
        std::string names;
        for (const auto& n : full) names += (names.empty() ? "" : ", ") + n;
        throw StorageError("the target " + target.path() + " already has data (in " + names +
                           "); migrate-to copies into an empty database only");
    };
    refuse_if_not_empty();
    target.migrate(true);

    ReadSnapshot snapshot(source);
    auto tables = dependency_order(source_tables(source));
    const auto there = target_tables(target);
    for (const auto& t : tables) {
        auto it = there.find(t.name);
        if (it == there.end()) throw StorageError("migrate-to: the target has no table " + t.name);
        for (const auto& c : t.columns) {
            if (!it->second.contains(c))
                throw StorageError("migrate-to: the target's " + t.name + " has no column " + c);
        }
    }

    std::vector<TableCopied> done;
    target.write([&] {
        refuse_if_not_empty();  // another migrate-to, or a bot, got there first
        // The target's own triggers (reminder_changes) would add rows the source does not
        // have; the copy takes the source's as they are.
        for (const auto& t : tables)
            target.exec("ALTER TABLE " + ident(target, t.name) + " DISABLE TRIGGER USER");
        for (const auto& t : tables) {
            TableCopied c{t.name, copy_rows(source, target, t)};
            auto count = target.prepare("SELECT count(*) FROM " + ident(target, t.name));
            if (!count.step() || count.get<int64_t>(0) != c.rows) {
                throw StorageError("migrate-to: " + t.name + " has " +
                                   std::to_string(count.get<int64_t>(0)) + " rows after copying " +
                                   std::to_string(c.rows));
            }
            reset_sequences(source, target, t.name);
            done.push_back(c);
        }
        for (const auto& t : tables)
            target.exec("ALTER TABLE " + ident(target, t.name) + " ENABLE TRIGGER USER");
    });
    return done;
}

}  // namespace careerbot::storage
