#include "storage/brags.hpp"

#include <nlohmann/json.hpp>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, author_id, number, text, impact, link, happened_on, created_at, updated_at, source, "
    "deleted_at, growth";

std::optional<std::string> growth_column(const std::optional<Growth>& g) {
    if (!g) return std::nullopt;
    return growth_key(*g);
}

Brag read_brag(const Database::Statement& q) {
    Brag b;
    std::optional<std::string> growth;
    q.read(b.id, b.author_id, b.number, b.text, b.impact, b.link, b.happened_on, b.created_at,
           b.updated_at, b.source, b.deleted_at, growth);
    if (growth) b.growth = growth_from_key(*growth);
    return b;
}

/// The WHERE clause shared by list() and count(); every value is bound, never spliced.
std::string where_clause(const BragQuery& query) {
    std::string w = " WHERE author_id = ? AND deleted_at IS NULL";
    if (!query.since.empty()) w += " AND happened_on >= ?";
    if (!query.until.empty()) w += " AND happened_on <= ?";
    return w;
}

/// Binds where_clause()'s values; the index of the next parameter.
int bind_query(Database::Statement& q, const BragQuery& query) {
    int i = 1;
    q.bind_at(i++, query.author_id);
    if (!query.since.empty()) q.bind_at(i++, query.since);
    if (!query.until.empty()) q.bind_at(i++, query.until);
    return i;
}

}  // namespace

Brag BragRepo::add(const std::string& author_id, const BragFields& f, const std::string& source,
                   TimePoint now) {
    Brag b;
    if (db_.backend() == Backend::postgresql) {
        // One statement, one round trip: the number, the row and its tags. The write lock
        // (the advisory lock of the outermost transaction) keeps the number from being taken
        // in between, as on SQLite; tags keep the order typed, and a repeated tag once.
        db_.write([&] {
            auto q = db_.prepare(
                "WITH b AS (INSERT INTO brags (author_id, number, text, impact, link, "
                "happened_on, created_at, updated_at, source, growth) VALUES (?1, "
                "(SELECT COALESCE(MAX(number), 0) + 1 FROM brags WHERE author_id = ?1), "
                "?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8) RETURNING id, number), "
                "t AS (INSERT INTO brag_tags (brag_id, tag, position) "
                "SELECT b.id, u.tag, u.n - 1 FROM b, "
                "json_array_elements_text(CAST(?9 AS json)) WITH ORDINALITY AS u(tag, n) "
                "ORDER BY u.n ON CONFLICT DO NOTHING) "
                "SELECT id, number FROM b");
            q.bind(author_id, f.text, f.impact, f.link, f.happened_on, now, source,
                   growth_column(f.growth), nlohmann::json(f.tags).dump());
            if (!q.step()) throw StorageError("the brag was not stored");
            q.read(b.id, b.number);
        });
    } else {
        db_.write([&] {
            // Two plain statements rather than one INSERT … RETURNING: SQLite runs RETURNING
            // through a temporary table, which made it the most expensive step of /brag. The
            // write transaction holds the lock, so nobody takes the number in between.
            {
                auto next = db_.prepare(
                    "SELECT COALESCE(MAX(number), 0) + 1 FROM brags WHERE author_id = ?");
                next.bind(author_id).step();
                next.read(b.number);
            }
            db_.prepare(
                   "INSERT INTO brags (author_id, number, text, impact, link, happened_on, "
                   "created_at, updated_at, source, growth) VALUES (?, ?, ?, ?, ?, ?, ?, "
                   "?, ?, ?)")
                .bind(author_id, b.number, f.text, f.impact, f.link, f.happened_on, now, now,
                      source, growth_column(f.growth))
                .exec();
            b.id = db_.last_insert_id();
            insert_tags(b.id, f.tags);
        });
    }
    b.author_id = author_id;
    b.text = f.text;
    b.impact = f.impact;
    b.link = f.link;
    b.tags = f.tags;
    b.happened_on = f.happened_on;
    b.created_at = b.updated_at = to_unix(now);
    b.source = source;
    b.growth = f.growth;
    return b;
}

void BragRepo::write_tags(int64_t brag_id, const std::vector<std::string>& tags) {
    db_.prepare("DELETE FROM brag_tags WHERE brag_id = ?").bind(brag_id).exec();
    insert_tags(brag_id, tags);
}

void BragRepo::insert_tags(int64_t brag_id, const std::vector<std::string>& tags) {
    auto ins = db_.prepare(
        "INSERT INTO brag_tags (brag_id, tag, position) VALUES (?, ?, ?) "
        "ON CONFLICT DO NOTHING");
    for (std::size_t i = 0; i < tags.size(); ++i) ins.bind(brag_id, tags[i], i).exec();
}

void BragRepo::load_tags(std::vector<Brag>& brags) {
    if (brags.empty()) return;
    auto q = db_.prepare("SELECT tag FROM brag_tags WHERE brag_id = ? ORDER BY position, tag");
    for (auto& b : brags) {
        q.bind(b.id);
        while (q.step()) b.tags.push_back(q.get<std::string>(0));
    }
}

std::optional<Brag> BragRepo::find(const std::string& author_id, int number, bool include_deleted) {
    std::vector<Brag> one;
    {
        auto q = db_.prepare(std::string("SELECT ") + kColumns +
                             " FROM brags WHERE author_id = ? AND number = ?" +
                             (include_deleted ? "" : " AND deleted_at IS NULL"));
        if (!q.bind(author_id, number).step()) return std::nullopt;
        one.push_back(read_brag(q));
    }
    load_tags(one);
    return one.front();
}

bool BragRepo::update(const std::string& author_id, int number, const BragFields& f,
                      TimePoint now) {
    bool changed = false;
    db_.write([&] {
        int64_t id = 0;
        {
            auto q = db_.prepare(
                "UPDATE brags SET text = ?, impact = ?, link = ?, happened_on = ?, "
                "updated_at = ?, growth = ? WHERE author_id = ? AND number = ? "
                "AND deleted_at IS NULL RETURNING id");
            q.bind(f.text, f.impact, f.link, f.happened_on, now, growth_column(f.growth), author_id,
                   number);
            if (!q.step()) return;
            q.read(id);
            while (q.step()) {
            }
        }
        write_tags(id, f.tags);
        changed = true;
    });
    return changed;
}

bool BragRepo::soft_delete(const std::string& author_id, int number, TimePoint now) {
    return db_.prepare(
                  "UPDATE brags SET deleted_at = ?, updated_at = ? "
                  "WHERE author_id = ? AND number = ? AND deleted_at IS NULL")
               .bind(now, now, author_id, number)
               .exec() > 0;
}

bool BragRepo::restore(const std::string& author_id, int number, TimePoint now) {
    return db_.prepare(
                  "UPDATE brags SET deleted_at = NULL, updated_at = ? "
                  "WHERE author_id = ? AND number = ? AND deleted_at IS NOT NULL")
               .bind(now, author_id, number)
               .exec() > 0;
}

std::vector<Brag> BragRepo::list(const BragQuery& query) {
    std::vector<Brag> out;
    {
        auto q =
            db_.prepare(std::string("SELECT ") + kColumns + " FROM brags" + where_clause(query) +
                        " ORDER BY happened_on DESC, number DESC LIMIT ? OFFSET ?");
        int i = bind_query(q, query);
        q.bind_at(i++, Database::limit(query.limit));
        q.bind_at(i, query.offset);
        while (q.step()) out.push_back(read_brag(q));
    }
    load_tags(out);
    return out;
}

GrowthMix BragRepo::growth_mix(const BragQuery& query) {
    auto q = db_.prepare("SELECT growth, count(*) FROM brags" + where_clause(query) +
                         " GROUP BY growth");
    bind_query(q, query);
    GrowthMix mix;
    while (q.step()) {
        auto key = q.get<std::optional<std::string>>(0);
        auto g = key ? growth_from_key(*key) : std::nullopt;
        int n = q.get<int>(1);
        for (int i = 0; i < n; ++i) mix.add(g);
    }
    return mix;
}

int BragRepo::count(const BragQuery& query) {
    auto q = db_.prepare("SELECT count(*) FROM brags" + where_clause(query));
    bind_query(q, query);
    q.step();
    return q.get<int>(0);
}

bool BragRepo::has_any(const std::string& author_id) {
    return db_.prepare("SELECT 1 FROM brags WHERE author_id = ? LIMIT 1").bind(author_id).step();
}

}  // namespace careerbot::storage
