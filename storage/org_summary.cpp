#include "storage/org_summary.hpp"

#include "src/core/logging.hpp"

namespace careerbot::storage {
namespace {

/// The members of a summary, bound once as a JSON array (`:members`) after one walk down the
/// org chart, as a CTE every query starts with. A query tests its person column with
/// `x IN (SELECT id FROM members)`: SQLite then loops over the sorted, distinct members and
/// seeks each one's range in the index on `x`, so it reads only the members' rows, they come out
/// grouped by person (a GROUP BY on the person needs no sort), and there is a single table to
/// plan (no Bloom filter built by scanning a whole table, which a join to a large estimated
/// member set invites).
constexpr const char* kMembers = "WITH members(id) AS (SELECT value FROM json_each(:members)) ";
/// The same on PostgreSQL.
constexpr const char* kMembersPg =
    "WITH members(id) AS "
    "(SELECT value FROM json_array_elements_text(CAST(:members AS json)) AS m(value)) ";

/// The summary's queries are written for SQLite, which runs them most; this is the same query
/// for PostgreSQL. Only these spellings differ, all in literal SQL of this file: SQLite's
/// planner hints go (CROSS JOIN pins the join order, INDEXED BY the index; PostgreSQL plans
/// both itself, and its CROSS JOIN takes no ON), and json_group_array is json_agg.
std::string postgres_spelling(std::string sql) {
    auto replace_all = [&sql](const std::string& from, const std::string& to) {
        for (auto at = sql.find(from); at != std::string::npos; at = sql.find(from, at + to.size()))
            sql.replace(at, from.size(), to);
    };
    replace_all(" CROSS JOIN ", " JOIN ");
    replace_all("json_group_array(", "json_agg(");
    for (auto at = sql.find(" INDEXED BY "); at != std::string::npos;
         at = sql.find(" INDEXED BY ", at)) {
        auto end = sql.find(' ', at + 12);
        sql.erase(at, (end == std::string::npos ? sql.size() : end) - at);
    }
    return sql;
}

}  // namespace

OrgSummaryReader::OrgSummaryReader(Database& db) : db_(db) {
    if (db_.backend() == Backend::postgresql) {
        // One snapshot for every query of the summary: a read-only repeatable-read
        // transaction, or a savepoint inside the caller's transaction.
        outer_ = !db_.in_transaction();
        db_.exec(outer_ ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "SAVEPOINT summary");
        return;
    }
    // Reads the database file through a memory map while a summary runs, if the connection
    // does not already. The summary touches a few thousand index pages (the year of brags of a
    // whole org, the evidence tags); through the default 2 MB page cache each would be copied
    // in by a read() call, and evicted again before the next query needs it. Scoped to the
    // summary, so the connection's usual memory use (B3) is unchanged: switching it off again
    // unmaps the file. Set before the snapshot: the limit changes only between reads.
    bool off = false;
    {  // No row for an in-memory database, which has no file to map.
        auto current = db_.prepare("PRAGMA mmap_size");
        off = current.step() && current.get<int64_t>(0) == 0;
    }
    if (off) {
        // A limit, not an allocation: only the pages the summary touches are mapped.
        db_.exec("PRAGMA mmap_size = 1073741824");
        mapped_ = true;
    }
    // One read transaction around the whole summary, taking the WAL read lock once. A
    // savepoint, because the caller may already be in a transaction.
    try {
        db_.exec("SAVEPOINT summary");
    } catch (...) {
        if (mapped_) db_.exec("PRAGMA mmap_size = 0");
        throw;
    }
}

OrgSummaryReader::~OrgSummaryReader() {
    try {
        // Nothing was written: this only ends the read.
        db_.exec(outer_ ? "COMMIT" : "RELEASE summary");
    } catch (const std::exception& e) {
        logger("storage")->warn("could not end the summary's read: {}", e.what());
    }
    if (!mapped_) return;
    try {
        db_.exec("PRAGMA mmap_size = 0");
    } catch (const std::exception& e) {
        logger("storage")->warn("could not switch mmap off again: {}", e.what());
    }
}

Database::Statement OrgSummaryReader::scoped(const std::string& body) {
    if (db_.backend() == Backend::sqlite) {
        auto q = db_.prepare(std::string(kMembers) + body);
        q.bind_named(":members", members_);
        return q;
    }
    auto q = db_.prepare(std::string(kMembersPg) + postgres_spelling(body));
    q.bind_named(":members", members_);
    return q;
}

std::vector<OrgSummaryReader::Member> OrgSummaryReader::members(const std::string& root,
                                                                bool whole_subtree) {
    // Everyone below the root (`:all` = 1), or the root alone (a summary about one person).
    // The depth cap guards against a cycle written into the org chart by hand.
    auto q = db_.prepare(
        std::string("WITH RECURSIVE tree(id, depth) AS (") +
        "  SELECT CAST(:root AS TEXT), 0"
        "  UNION ALL"
        "  SELECT p.id, tree.depth + 1 FROM people p JOIN tree "
        "  ON p.manager_id = tree.id"
        "  WHERE :all AND tree.depth < 64"
        "), members(id) AS (SELECT DISTINCT id FROM tree "
        "  WHERE depth > 0 OR NOT :all) "
        "SELECT p.id, p.name, p.manager_id, p.level, " +
        (db_.backend() == Backend::sqlite ? "json_quote(p.id)" : "CAST(to_json(p.id) AS text)") +
        ", "
        "COALESCE(p.tz, '') "
        "FROM members m "
        "JOIN people p ON p.id = m.id ORDER BY p.name, p.id");
    q.bind_named(":root", root).bind_named(":all", whole_subtree ? 1 : 0);
    // The members as a JSON array for the other queries. Records of a member missing from
    // `people` could not be shown anyway (and cannot exist: every person column references
    // people), so the people found are the members.
    members_.clear();
    members_.push_back('[');  // (not = "[": a GCC 12 -Wrestrict false positive)
    std::vector<Member> out;
    while (q.step()) {
        Member m;
        q.read(m.id, m.name, m.manager_id, m.level);
        m.tz = q.get<std::string>(5);
        out.push_back(std::move(m));
        // Quoted by the database, so json_each() gives back exactly the stored bytes.
        if (members_.size() > 1) members_ += ',';
        members_ += q.text(4);
    }
    members_.push_back(']');
    return out;
}

void OrgSummaryReader::brags(
    const std::string& from, const std::string& to,
    const std::function<void(std::string_view, std::string_view, std::string_view)>& row) {
    auto q = scoped(
        "SELECT author_id, happened_on, growth FROM brags "
        "WHERE author_id IN (SELECT id FROM members) "
        "AND deleted_at IS NULL AND happened_on BETWEEN :from AND :to");
    q.bind_named(":from", from).bind_named(":to", to);
    while (q.step()) row(q.text(0), q.text(1), q.text(2));
}

void OrgSummaryReader::top_brags(const std::string& from, const std::string& to,
                                 const std::function<void(const TopBrag&)>& row) {
    // The newest brag with an impact if there is any, else the newest one. Each is the last
    // entry of the person's quarter in an index ordered (date, number), so one seek per person
    // instead of ranking every brag of the quarter. INDEXED BY pins the plan: the planner may
    // otherwise walk brags_author_day backwards, reading each row's impact from the table.
    auto q = scoped(
        "SELECT m.id, b.number, b.text, b.impact, b.happened_on "
        "FROM members m CROSS JOIN brags b ON b.id = COALESCE("
        "  (SELECT id FROM brags INDEXED BY brags_author_impact "
        "   WHERE author_id = m.id AND deleted_at IS NULL AND impact <> '' "
        "   AND happened_on BETWEEN :from AND :to "
        "   ORDER BY happened_on DESC, number DESC LIMIT 1),"
        "  (SELECT id FROM brags WHERE author_id = m.id AND deleted_at IS NULL "
        "   AND happened_on BETWEEN :from AND :to "
        "   ORDER BY happened_on DESC, number DESC LIMIT 1))");
    q.bind_named(":from", from).bind_named(":to", to);
    TopBrag b;
    while (q.step()) {
        q.read(b.person_id, b.number, b.text, b.impact, b.happened_on);
        row(b);
    }
}

void OrgSummaryReader::feedback_counts(int64_t from, int64_t to,
                                       const std::function<void(const std::string&, int)>& row) {
    auto q = scoped(
        "SELECT subject_id, count(*) FROM feedback WHERE subject_id IN (SELECT id "
        "FROM members) "
        "AND posted_at >= :from AND posted_at < :to GROUP BY subject_id");
    q.bind_named(":from", from).bind_named(":to", to);
    while (q.step()) row(q.get<std::string>(0), q.get<int>(1));
}

void OrgSummaryReader::task_counts(int64_t done_from, int64_t done_to, const std::string& due_from,
                                   const std::string& due_to, const std::string& latest,
                                   int64_t end, const std::function<void(const TaskCounts&)>& row) {
    auto q = scoped(
        "SELECT m.id, "
        "(SELECT count(*) FROM tasks WHERE assignee_id = m.id "
        "  AND done_at >= :from AND done_at < :to), "
        "(SELECT count(*) FROM tasks WHERE assignee_id = m.id "
        "  AND due_on BETWEEN :q_from AND :q_to), "
        "(SELECT json_group_array(due_on) FROM tasks WHERE assignee_id = m.id "
        "  AND due_on <= :latest AND created_at < :end "
        "  AND (done_at IS NULL OR done_at >= :end)) "
        "FROM members m");
    q.bind_named(":from", done_from).bind_named(":to", done_to);
    q.bind_named(":q_from", due_from).bind_named(":q_to", due_to);
    q.bind_named(":latest", latest).bind_named(":end", end);
    TaskCounts t;
    while (q.step()) {
        q.read(t.person_id, t.done, t.due);
        t.open_dues = q.text(3);
        row(t);
    }
}

void OrgSummaryReader::idos(const std::string& quarter,
                            const std::function<void(const Ido&)>& row) {
    auto q = scoped(
        "SELECT i.person_id, i.objective, i.mentor_id, "
        "i.achieved_at IS NOT NULL, count(pr.id), "
        "COALESCE(max(pr.noted_on), ''), "
        "COALESCE((SELECT note FROM ido_progress WHERE ido_id = i.id "
        "  ORDER BY created_at DESC, id DESC LIMIT 1), '') "
        "FROM idos i LEFT JOIN ido_progress pr ON pr.ido_id = i.id "
        "WHERE i.person_id IN (SELECT id FROM members) "
        "AND i.quarter = :quarter GROUP BY i.id");
    q.bind_named(":quarter", quarter);
    Ido i;
    while (q.step()) {
        q.read(i.person_id, i.objective, i.mentor_id, i.achieved, i.notes, i.last_note_on,
               i.last_note);
        row(i);
    }
}

void OrgSummaryReader::held_checkins(
    const std::string& today,
    const std::function<void(const std::string&, std::string, std::string)>& row) {
    auto q = scoped(
        "SELECT person_id, held_on, next_due_on FROM checkins "
        "WHERE person_id IN (SELECT id FROM members) "
        "AND held_on IS NOT NULL AND held_on <= :today "
        "ORDER BY person_id, held_on, id");
    q.bind_named(":today", today);
    while (q.step()) row(q.get<std::string>(0), q.get<std::string>(1), q.get<std::string>(2));
}

void OrgSummaryReader::certs(const std::function<void(const std::string&, std::string_view)>& row) {
    auto q =
        scoped("SELECT person_id, name FROM certs WHERE person_id IN (SELECT id FROM members)");
    while (q.step()) row(q.get<std::string>(0), q.text(1));
}

void OrgSummaryReader::brag_tags(
    const std::string& from, const std::string& to,
    const std::function<void(const std::string&, std::string_view)>& row) {
    auto q = scoped(
        "SELECT b.author_id, json_group_array(t.tag) FROM brags b "
        "JOIN brag_tags t ON t.brag_id = b.id WHERE b.author_id IN (SELECT id FROM members) "
        "AND b.deleted_at IS NULL AND b.happened_on BETWEEN :from AND :to "
        "GROUP BY b.id");
    q.bind_named(":from", from).bind_named(":to", to);
    while (q.step()) row(q.get<std::string>(0), q.text(1));
}

void OrgSummaryReader::petitions(int64_t end, int64_t from,
                                 const std::function<void(const Petition&)>& row) {
    // A closed petition was closed at its last update.
    auto day_of = [this](const char* column) {
        return db_.backend() == Backend::sqlite ? std::string("date(") + column + ", 'unixepoch')"
                                                : std::string("to_char(to_timestamp(") + column +
                                                      ") AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
    };
    auto q = scoped("SELECT person_id, target_level, director_id, " + day_of("created_at") +
                    ", status, updated_at, " + day_of("updated_at") +
                    ", statement FROM petitions "
                    "WHERE person_id IN (SELECT id FROM members) AND created_at < :end "
                    "AND (status = 'open' OR updated_at >= :from) "
                    "ORDER BY person_id, created_at, id");
    q.bind_named(":end", end).bind_named(":from", from);
    Petition p;
    while (q.step()) {
        q.read(p.person_id, p.target_level, p.director_id, p.opened_on, p.status, p.updated_at,
               p.updated_on, p.statement);
        row(p);
    }
}

void OrgSummaryReader::standing_mentors(
    int64_t end, const std::function<void(const std::string&, const std::string&)>& row) {
    auto q = scoped(
        "SELECT mentee_id, mentor_id FROM mentorships "
        "WHERE mentee_id IN (SELECT id FROM members) AND started_at < :end "
        "AND (ended_at IS NULL OR ended_at >= :end) ORDER BY mentee_id, started_at");
    q.bind_named(":end", end);
    while (q.step()) row(q.get<std::string>(0), q.get<std::string>(1));
}

void OrgSummaryReader::performance_factors(const std::string& quarter,
                                           const std::function<void(const Factor&)>& row) {
    auto q = scoped(
        "SELECT person_id, factor, note, recorded_by FROM performance_factors "
        "WHERE person_id IN (SELECT id FROM members) AND quarter = :quarter");
    q.bind_named(":quarter", quarter);
    Factor f;
    while (q.step()) {
        q.read(f.person_id, f.factor, f.note, f.recorded_by);
        row(f);
    }
}

void OrgSummaryReader::internships(const std::string& from, const std::string& to,
                                   const std::function<void(const Internship&)>& row) {
    auto q = scoped(
        "SELECT person_id, host_manager_id, share_percent, starts_on, ends_on FROM internships "
        "WHERE person_id IN (SELECT id FROM members) AND status = 'active' "
        "AND starts_on <= :to AND ends_on >= :from ORDER BY person_id, starts_on, id");
    q.bind_named(":from", from).bind_named(":to", to);
    Internship i;
    while (q.step()) {
        q.read(i.person_id, i.host_manager_id, i.share_percent, i.starts_on, i.ends_on);
        row(i);
    }
}

}  // namespace careerbot::storage
