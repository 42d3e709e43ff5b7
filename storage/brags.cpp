#include "storage/brags.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, author_id, number, text, impact, link, happened_on, created_at, updated_at, source, "
    "deleted_at, growth";

Brag read_brag(SQLite::Statement& q) {
    Brag b;
    b.id = q.getColumn(0).getInt64();
    b.author_id = q.getColumn(1).getString();
    b.number = q.getColumn(2).getInt();
    b.text = q.getColumn(3).getString();
    b.impact = q.getColumn(4).getString();
    b.link = q.getColumn(5).getString();
    b.happened_on = q.getColumn(6).getString();
    b.created_at = q.getColumn(7).getInt64();
    b.updated_at = q.getColumn(8).getInt64();
    b.source = q.getColumn(9).getString();
    if (!q.getColumn(10).isNull()) b.deleted_at = q.getColumn(10).getInt64();
    if (!q.getColumn(11).isNull()) b.growth = growth_from_key(q.getColumn(11).getString());
    return b;
}

/// The WHERE clause shared by list() and count(); every value is bound, never spliced.
std::string where_clause(const BragQuery& query) {
    std::string w = " WHERE author_id = ? AND deleted_at IS NULL";
    if (!query.since.empty()) w += " AND happened_on >= ?";
    if (!query.until.empty()) w += " AND happened_on <= ?";
    return w;
}

int bind_query(SQLite::Statement& q, const BragQuery& query) {
    int i = 1;
    q.bind(i++, query.author_id);
    if (!query.since.empty()) q.bind(i++, query.since);
    if (!query.until.empty()) q.bind(i++, query.until);
    return i;
}

}  // namespace

Brag BragRepo::add(const std::string& author_id, const BragFields& f, const std::string& source,
                   TimePoint now) {
    Brag b;
    db_.write([&] {
        // Two plain statements rather than one INSERT … RETURNING: SQLite runs RETURNING
        // through a temporary table, which made it the most expensive step of /brag. The
        // write transaction holds the lock, so nobody takes the number in between.
        auto next =
            db_.prepare("SELECT COALESCE(MAX(number), 0) + 1 FROM brags WHERE author_id = ?");
        next->bind(1, author_id);
        next->executeStep();
        b.number = next->getColumn(0).getInt();
        auto q = db_.prepare(
            "INSERT INTO brags (author_id, number, text, impact, link, happened_on, "
            "created_at, updated_at, source, growth) VALUES (?, ?, ?, ?, ?, ?, ?, "
            "?, ?, ?)");
        q->bind(1, author_id);
        q->bind(2, b.number);
        q->bind(3, f.text);
        q->bind(4, f.impact);
        q->bind(5, f.link);
        q->bind(6, f.happened_on);
        q->bind(7, to_unix(now));
        q->bind(8, to_unix(now));
        q->bind(9, source);
        if (f.growth)
            q->bind(10, growth_key(*f.growth));
        else
            q->bind(10);
        q->exec();
        b.id = db_.sql().getLastInsertRowid();
        insert_tags(b.id, f.tags);
    });
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
    auto del = db_.prepare("DELETE FROM brag_tags WHERE brag_id = ?");
    del->bind(1, brag_id);
    del->exec();
    insert_tags(brag_id, tags);
}

void BragRepo::insert_tags(int64_t brag_id, const std::vector<std::string>& tags) {
    auto ins =
        db_.prepare("INSERT OR IGNORE INTO brag_tags (brag_id, tag, position) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < tags.size(); ++i) {
        ins->bind(1, brag_id);
        ins->bind(2, tags[i]);
        ins->bind(3, static_cast<int64_t>(i));
        ins->exec();
        ins->reset();
    }
}

void BragRepo::load_tags(std::vector<Brag>& brags) {
    if (brags.empty()) return;
    SQLite::Statement q(db_.sql(),
                        "SELECT tag FROM brag_tags WHERE brag_id = ? ORDER BY position, tag");
    for (auto& b : brags) {
        q.bind(1, b.id);
        while (q.executeStep()) b.tags.push_back(q.getColumn(0).getString());
        q.reset();
    }
}

std::optional<Brag> BragRepo::find(const std::string& author_id, int number, bool include_deleted) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM brags WHERE author_id = ? AND number = ?" +
                                       (include_deleted ? "" : " AND deleted_at IS NULL"));
    q.bind(1, author_id);
    q.bind(2, number);
    if (!q.executeStep()) return std::nullopt;
    std::vector<Brag> one{read_brag(q)};
    load_tags(one);
    return one.front();
}

bool BragRepo::update(const std::string& author_id, int number, const BragFields& f,
                      TimePoint now) {
    bool changed = false;
    db_.write([&] {
        SQLite::Statement q(db_.sql(),
                            "UPDATE brags SET text = ?, impact = ?, link = ?, happened_on = ?, "
                            "updated_at = ?, growth = ? WHERE author_id = ? AND number = ? "
                            "AND deleted_at IS NULL RETURNING id");
        q.bind(1, f.text);
        q.bind(2, f.impact);
        q.bind(3, f.link);
        q.bind(4, f.happened_on);
        q.bind(5, to_unix(now));
        if (f.growth)
            q.bind(6, growth_key(*f.growth));
        else
            q.bind(6);
        q.bind(7, author_id);
        q.bind(8, number);
        if (!q.executeStep()) return;
        int64_t id = q.getColumn(0).getInt64();
        while (q.executeStep()) {
        }
        write_tags(id, f.tags);
        changed = true;
    });
    return changed;
}

bool BragRepo::soft_delete(const std::string& author_id, int number, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE brags SET deleted_at = ?, updated_at = ? "
                        "WHERE author_id = ? AND number = ? AND deleted_at IS NULL");
    q.bind(1, to_unix(now));
    q.bind(2, to_unix(now));
    q.bind(3, author_id);
    q.bind(4, number);
    return q.exec() > 0;
}

bool BragRepo::restore(const std::string& author_id, int number, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE brags SET deleted_at = NULL, updated_at = ? "
                        "WHERE author_id = ? AND number = ? AND deleted_at IS NOT NULL");
    q.bind(1, to_unix(now));
    q.bind(2, author_id);
    q.bind(3, number);
    return q.exec() > 0;
}

std::vector<Brag> BragRepo::list(const BragQuery& query) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns + " FROM brags" +
                                       where_clause(query) +
                                       " ORDER BY happened_on DESC, number DESC LIMIT ? OFFSET ?");
    int i = bind_query(q, query);
    q.bind(i++, query.limit);
    q.bind(i, query.offset);
    std::vector<Brag> out;
    while (q.executeStep()) out.push_back(read_brag(q));
    load_tags(out);
    return out;
}

GrowthMix BragRepo::growth_mix(const BragQuery& query) {
    SQLite::Statement q(
        db_.sql(), "SELECT growth, count(*) FROM brags" + where_clause(query) + " GROUP BY growth");
    bind_query(q, query);
    GrowthMix mix;
    while (q.executeStep()) {
        auto g =
            q.getColumn(0).isNull() ? std::nullopt : growth_from_key(q.getColumn(0).getString());
        int n = q.getColumn(1).getInt();
        for (int i = 0; i < n; ++i) mix.add(g);
    }
    return mix;
}

int BragRepo::count(const BragQuery& query) {
    SQLite::Statement q(db_.sql(), "SELECT count(*) FROM brags" + where_clause(query));
    bind_query(q, query);
    q.executeStep();
    return q.getColumn(0).getInt();
}

}  // namespace careerbot::storage
