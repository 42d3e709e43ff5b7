#include "commands/summary_data.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string_view>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "src/core/logging.hpp"

namespace careerbot::commands {
namespace {

/// The members of a summary, bound once as a JSON array (`:members`) after one walk down the
/// org chart, as a CTE every query starts with. A query tests its person column with
/// `x IN (SELECT id FROM members)`: SQLite then loops over the sorted, distinct members and
/// seeks each one's range in the index on `x`, so it reads only the members' rows, they come out
/// grouped by person (a GROUP BY on the person needs no sort), and there is a single table to
/// plan (no Bloom filter built by scanning a whole table, which a join to a large estimated
/// member set invites).
constexpr const char* kMembers = "WITH members(id) AS (SELECT value FROM json_each(:members)) ";

std::string iso(date::year_month_day d) { return iso_date(d); }

int64_t unix_day_start(date::year_month_day d) {
    return std::chrono::duration_cast<std::chrono::seconds>(date::sys_days{d}.time_since_epoch())
        .count();
}

/// A prepared statement over the members CTE, with the members bound.
class ScopedQuery {
  public:
    ScopedQuery(storage::Database& db, const std::string& members, const std::string& body)
        : q_(db.sql(), std::string(kMembers) + body) {
        q_.bind(":members", members);
    }
    SQLite::Statement& operator*() { return q_; }
    SQLite::Statement* operator->() { return &q_; }

  private:
    SQLite::Statement q_;
};

/// One read transaction around the whole summary, so its dozen queries see one snapshot (a
/// brag logged meanwhile cannot make the totals disagree with the per-person lines) and take
/// the WAL read lock once. A savepoint, because the caller may already be in a transaction.
class ReadSnapshot {
  public:
    explicit ReadSnapshot(storage::Database& db) : db_(db) { db_.sql().exec("SAVEPOINT summary"); }
    ~ReadSnapshot() {
        try {
            db_.sql().exec("RELEASE summary");  // nothing was written: this only ends the read
        } catch (const SQLite::Exception& e) {
            logger("storage")->warn("could not end the summary's read: {}", e.what());
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  private:
    storage::Database& db_;
};

/// Calls `fn` with each string of `array`, a JSON array of strings as json_group_array() writes
/// it. Tags seldom need escaping, so the strings are read in place unless the array has a
/// backslash; then the JSON parser decodes it.
template <class Fn>
void for_each_json_string(std::string_view array, Fn&& fn) {
    if (array.find('\\') != std::string_view::npos) {
        for (const auto& s : nlohmann::json::parse(array)) fn(s.get_ref<const std::string&>());
        return;
    }
    for (auto open = array.find('"'); open != std::string_view::npos;) {
        auto close = array.find('"', open + 1);
        if (close == std::string_view::npos) break;
        fn(array.substr(open + 1, close - open - 1));
        open = array.find('"', close + 1);
    }
}

/// Reads the database file through a memory map while a summary runs, if the connection does
/// not already. The summary touches a few thousand index pages (the year of brags of a whole
/// org, the evidence tags); through the default 2 MB page cache each would be copied in by a
/// read() call, and evicted again before the next query needs it. Scoped to the summary, so the
/// connection's usual memory use (B3) is unchanged: switching it off again unmaps the file.
class MappedReads {
  public:
    explicit MappedReads(storage::Database& db) : db_(db) {
        bool off = false;
        {  // No row for an in-memory database, which has no file to map.
            SQLite::Statement current(db_.sql(), "PRAGMA mmap_size");
            off = current.executeStep() && current.getColumn(0).getInt64() == 0;
        }
        if (!off) return;
        // A limit, not an allocation: only the pages the summary touches are mapped.
        db_.sql().exec("PRAGMA mmap_size = 1073741824");
        mapped_ = true;
    }
    ~MappedReads() {
        if (!mapped_) return;
        try {
            db_.sql().exec("PRAGMA mmap_size = 0");
        } catch (const SQLite::Exception& e) {
            logger("storage")->warn("could not switch mmap off again: {}", e.what());
        }
    }
    MappedReads(const MappedReads&) = delete;
    MappedReads& operator=(const MappedReads&) = delete;

  private:
    storage::Database& db_;
    bool mapped_ = false;
};

/// True when the held dates (sorted) keep the cadence over [first, end]: at least one inside,
/// and no stretch longer than 8 weeks between the one before the quarter (or the quarter's
/// start), each one inside, and the end (the quarter's last day, or today if that is earlier).
bool cadence_kept(const std::vector<std::string>& held, const std::string& first,
                  const std::string& end) {
    std::vector<date::sys_days> points;
    std::string before;
    bool inside = false;
    for (const auto& h : held) {
        if (h < first) before = h;
    }
    points.push_back(date::sys_days{parse_ymd(before.empty() ? first : before)});
    for (const auto& h : held) {
        if (h >= first && h <= end) {
            points.push_back(date::sys_days{parse_ymd(h)});
            inside = true;
        }
    }
    if (!inside) return false;
    points.push_back(date::sys_days{parse_ymd(end)});
    for (std::size_t i = 1; i < points.size(); ++i) {
        if (points[i] - points[i - 1] > date::days{56}) return false;
    }
    return true;
}

}  // namespace

const char* top_brag_rule() {
    return "the most impactful brag is one with an `impact:` first, then the most recent";
}

const char* cadence_rule() {
    return "cadence held = a check-in inside the quarter, no gap over 8 weeks (from the "
           "previous check-in through the quarter's end or today), and the next one not overdue";
}

date::year_month_day parse_ymd(const std::string& s) {
    if (s.size() < 10) return date::year{1970} / 1 / 1;
    return date::year{std::stoi(s.substr(0, 4))} /
           date::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))} /
           date::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))};
}

Quarter previous_quarter(const Quarter& q, int fiscal_start_month) {
    return quarter_of(date::year_month_day{date::sys_days{q.first} - date::days{1}},
                      fiscal_start_month);
}

OrgSummary build_summary(storage::Database& db, const SummaryScope& scope, const Quarter& quarter,
                         const std::string& today, const Levels& levels, int fiscal_start_month,
                         std::optional<TimePoint> now, const std::string& default_tz) {
    OrgSummary out;
    out.quarter = quarter;
    const std::string q_from = iso(quarter.first);
    const std::string q_to = iso(quarter.last);
    // A past quarter is shown as it stood on its last day: tasks open at its end, the
    // check-ins held by then, the petitions open during it — not today's state.
    out.past = q_to < today;
    out.today = out.past ? q_to : today;
    const std::string as_of = out.today;
    // Records changed after this moment (unix s) are read as they were before the change.
    const int64_t end_unix =
        out.past ? unix_day_start(quarter.last) + 86400 : std::numeric_limits<int64_t>::max();
    const std::string evidence_from = iso(previous_quarter(quarter, fiscal_start_month).first);
    const std::string cadence_end = std::min(q_to, today);
    std::map<std::string, std::size_t> index;
    // The day overdue is judged on, per person: their own calendar's today (a due date is a day
    // where they are), or the past quarter's last day.
    std::vector<std::string> day_of;
    // The members as a JSON array for the other queries. Records of a member missing from
    // `people` could not be shown anyway (and cannot exist: every person column references
    // people), so the people found are the members.
    std::string members = "[";
    MappedReads mapped(db);  // before the snapshot: the limit changes only between reads
    ReadSnapshot snapshot(db);

    {
        // Everyone below the root (`:all` = 1), or the root alone (a summary about one person).
        // The depth cap guards against a cycle written into the org chart by hand.
        SQLite::Statement q(db.sql(),
                            "WITH RECURSIVE tree(id, depth) AS ("
                            "  SELECT :root, 0"
                            "  UNION ALL"
                            "  SELECT p.id, tree.depth + 1 FROM people p JOIN tree "
                            "  ON p.manager_id = tree.id"
                            "  WHERE :all AND tree.depth < 64"
                            "), members(id) AS (SELECT DISTINCT id FROM tree "
                            "  WHERE depth > 0 OR NOT :all) "
                            "SELECT p.id, p.name, p.manager_id, p.level, json_quote(p.id), "
                            "COALESCE(p.tz, '') "
                            "FROM members m "
                            "JOIN people p ON p.id = m.id ORDER BY p.name, p.id");
        q.bind(":root", scope.root);
        q.bind(":all", scope.whole_subtree ? 1 : 0);
        while (q.executeStep()) {
            PersonSummary p;
            p.id = q.getColumn(0).getString();
            p.name = q.getColumn(1).getString();
            if (!q.getColumn(2).isNull()) p.manager_id = q.getColumn(2).getString();
            if (!q.getColumn(3).isNull()) p.level = q.getColumn(3).getString();
            index[p.id] = out.people.size();
            std::string tz = q.getColumn(5).getString();
            day_of.push_back(
                out.past || !now ? as_of : iso(local_date(*now, tz.empty() ? default_tz : tz)));
            out.people.push_back(std::move(p));
            // Quoted by SQLite, so json_each() gives back exactly the stored bytes.
            members += (members.size() > 1 ? "," : "") + q.getColumn(4).getString();
        }
        members += "]";
    }
    auto person = [&](const std::string& id) -> PersonSummary* {
        auto it = index.find(id);
        return it == index.end() ? nullptr : &out.people[it->second];
    };

    {  // Brags in the quarter: per month for the chart (the quarter's own months), and per
        // person, with the 70-20-10 mix. One pass over each member's range of the (author,
        // date) index, counted here: SQL would need a sort of the rows to group them by month,
        // or a seek per member and month.
        date::year_month last_month{quarter.last.year(), quarter.last.month()};
        date::year_month first_month{quarter.first.year(), quarter.first.month()};
        std::map<std::string, int> months;
        for (auto ym = first_month; ym <= last_month; ym += date::months{1}) {
            months[iso(ym / 1).substr(0, 7)] = 0;
        }
        ScopedQuery q(db, members,
                      "SELECT author_id, happened_on, growth FROM brags "
                      "WHERE author_id IN (SELECT id FROM members) "
                      "AND deleted_at IS NULL AND happened_on BETWEEN :from AND :to");
        q->bind(":from", iso(first_month / 1));
        q->bind(":to", q_to);
        std::string author;
        PersonSummary* p = nullptr;
        std::string_view month;
        auto bucket = months.end();
        while (q->executeStep()) {
            const std::string_view on = q->getColumn(1).getText();
            if (bucket == months.end() || on.substr(0, 7) != month) {
                bucket = months.try_emplace(std::string(on.substr(0, 7)), 0).first;
                month = bucket->first;
            }
            ++bucket->second;
            if (const std::string_view who = q->getColumn(0).getText(); who != author) {
                author = who;
                p = person(author);
            }
            if (p == nullptr) continue;
            ++p->brags;
            const std::string_view growth = q->getColumn(2).getText();
            if (growth == "job") {
                ++p->mix.job;
            } else if (growth == "others") {
                ++p->mix.others;
            } else if (growth == "training") {
                ++p->mix.training;
            } else {
                ++p->mix.untagged;
            }
        }
        out.brags_by_month.assign(months.begin(), months.end());
    }
    {  // The most impactful brag of each person's quarter (see top_brag_rule()): the newest
        // one with an impact if there is any, else the newest one. Each is the last entry of
        // the person's quarter in an index ordered (date, number), so one seek per person
        // instead of ranking every brag of the quarter. INDEXED BY pins the plan: the planner
        // may otherwise walk brags_author_day backwards, reading each row's impact from the table.
        ScopedQuery q(db, members,
                      "SELECT m.id, b.number, b.text, b.impact, b.happened_on "
                      "FROM members m CROSS JOIN brags b ON b.id = COALESCE("
                      "  (SELECT id FROM brags INDEXED BY brags_author_impact "
                      "   WHERE author_id = m.id AND deleted_at IS NULL AND impact <> '' "
                      "   AND happened_on BETWEEN :from AND :to "
                      "   ORDER BY happened_on DESC, number DESC LIMIT 1),"
                      "  (SELECT id FROM brags WHERE author_id = m.id AND deleted_at IS NULL "
                      "   AND happened_on BETWEEN :from AND :to "
                      "   ORDER BY happened_on DESC, number DESC LIMIT 1))");
        q->bind(":from", q_from);
        q->bind(":to", q_to);
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            p->top_brag = TopBrag{q->getColumn(1).getInt(), q->getColumn(2).getString(),
                                  q->getColumn(3).getString(), q->getColumn(4).getString()};
        }
    }
    {  // Feedback received in the quarter (by when it was originally posted).
        ScopedQuery q(db, members,
                      "SELECT subject_id, count(*) FROM feedback WHERE subject_id IN (SELECT id "
                      "FROM members) "
                      "AND posted_at >= :from AND posted_at < :to GROUP BY subject_id");
        q->bind(":from", unix_day_start(quarter.first));
        q->bind(":to", unix_day_start(quarter.last) + 86400);
        while (q->executeStep()) {
            if (auto* p = person(q->getColumn(0).getString()))
                p->feedback = q->getColumn(1).getInt();
        }
    }
    {  // Tasks finished in the quarter, due in it, and open at its end (or now) with a due date
        // already past on the person's calendar: their due dates come back for that test.
        ScopedQuery q(db, members,
                      "SELECT m.id, "
                      "(SELECT count(*) FROM tasks WHERE assignee_id = m.id "
                      "  AND done_at >= :from AND done_at < :to), "
                      "(SELECT count(*) FROM tasks WHERE assignee_id = m.id "
                      "  AND due_on BETWEEN :q_from AND :q_to), "
                      "(SELECT json_group_array(due_on) FROM tasks WHERE assignee_id = m.id "
                      "  AND due_on <= :latest AND created_at < :end "
                      "  AND (done_at IS NULL OR done_at >= :end)) "
                      "FROM members m");
        q->bind(":from", unix_day_start(quarter.first));
        q->bind(":to", unix_day_start(quarter.last) + 86400);
        q->bind(":q_from", q_from);
        q->bind(":q_to", q_to);
        // Nobody's calendar is more than a day ahead of the requester's.
        q->bind(":latest",
                iso(date::year_month_day{date::sys_days{parse_ymd(as_of)} + date::days{1}}));
        q->bind(":end", end_unix);
        while (q->executeStep()) {
            auto it = index.find(q->getColumn(0).getString());
            if (it == index.end()) continue;
            auto& p = out.people[it->second];
            p.tasks_done = q->getColumn(1).getInt();
            p.tasks_due = q->getColumn(2).getInt();
            const std::string& day = day_of[it->second];
            for_each_json_string(q->getColumn(3).getText(), [&](std::string_view due) {
                if (due < day) ++p.tasks_overdue;
            });
        }
    }
    {  // The quarter's IDO, its mentor and its progress notes.
        ScopedQuery q(db, members,
                      "SELECT i.person_id, i.objective, i.mentor_id, "
                      "i.achieved_at IS NOT NULL, count(pr.id), "
                      "COALESCE(max(pr.noted_on), ''), "
                      "COALESCE((SELECT note FROM ido_progress WHERE ido_id = i.id "
                      "  ORDER BY created_at DESC, id DESC LIMIT 1), '') "
                      "FROM idos i LEFT JOIN ido_progress pr ON pr.ido_id = i.id "
                      "WHERE i.person_id IN (SELECT id FROM members) "
                      "AND i.quarter = :quarter GROUP BY i.id");
        q->bind(":quarter", quarter.label());
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            p->ido = IdoState{q->getColumn(1).getString(), q->getColumn(2).getString(),
                              q->getColumn(4).getInt(),    q->getColumn(5).getString(),
                              q->getColumn(6).getString(), q->getColumn(3).getInt() != 0};
        }
    }
    {  // Held check-ins up to the day: the last one, whether the next one is overdue, and the
        // cadence over the quarter.
        ScopedQuery q(db, members,
                      "SELECT person_id, held_on, next_due_on FROM checkins "
                      "WHERE person_id IN (SELECT id FROM members) "
                      "AND held_on IS NOT NULL AND held_on <= :today "
                      "ORDER BY person_id, held_on, id");
        q->bind(":today", as_of);
        std::map<std::string, std::vector<std::string>> held;
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            std::string on = q->getColumn(1).getString();
            held[p->id].push_back(on);
            p->last_checkin = on;
            p->next_checkin_due = q->getColumn(2).getString();
            if (on >= q_from && on <= q_to) ++p->checkins_in_quarter;
        }
        for (std::size_t i = 0; i < out.people.size(); ++i) {
            auto& p = out.people[i];
            if (p.next_checkin_due && !p.next_checkin_due->empty() &&
                *p.next_checkin_due < day_of[i]) {
                p.checkin_overdue_days =
                    static_cast<int>((date::sys_days{parse_ymd(day_of[i])} -
                                      date::sys_days{parse_ymd(*p.next_checkin_due)})
                                         .count());
            }
            // An overdue check-in is a slipped cadence, whatever the gaps so far.
            p.cadence_held =
                p.checkin_overdue_days == 0 && cadence_kept(held[p.id], q_from, cadence_end);
        }
    }
    {  // Recorded training and certifications.
        ScopedQuery q(
            db, members,
            "SELECT person_id, name FROM certs WHERE person_id IN (SELECT id FROM members)");
        // Most people share a few names (onboarding, a course), and normalising one is not free.
        std::map<std::string, std::string, std::less<>> normalised;
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            const std::string_view name = q->getColumn(1).getText();
            auto it = normalised.find(name);
            if (it == normalised.end()) {
                std::string key(name);
                it = normalised.emplace(key, normalise_cert(key)).first;
            }
            p->evidence.certs.insert(it->second);
        }
    }
    if (auto tags = levels.evidence_tags(); !tags.empty()) {
        // Brags carrying an evidence tag, over this quarter and the previous one: each brag's
        // tags come as one JSON array and are counted here, a brag once per dimension however
        // many of its tags the dimension lists.
        // Only the tags the levels name are kept; testing that in SQL would cost a lookup per
        // tagged brag, or, worse, one probe of brag_tags per listed tag and brag.
        const std::set<std::string, std::less<>> wanted(tags.begin(), tags.end());
        ScopedQuery q(
            db, members,
            "SELECT b.author_id, json_group_array(t.tag) FROM brags b "
            "JOIN brag_tags t ON t.brag_id = b.id WHERE b.author_id IN (SELECT id FROM members) "
            "AND b.deleted_at IS NULL AND b.happened_on BETWEEN :from AND :to "
            "GROUP BY b.id");
        q->bind(":from", evidence_from);
        q->bind(":to", q_to);
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            std::set<std::string> carried;
            for_each_json_string(q->getColumn(1).getText(), [&](std::string_view tag) {
                if (auto it = wanted.find(tag); it != wanted.end()) carried.insert(*it);
            });
            p->evidence.add_brag(carried);
        }
    }
    {  // Promotion petitions open at some time in the quarter (a closed one was closed at its
        // last update); the latest of each person's.
        ScopedQuery q(db, members,
                      "SELECT person_id, target_level, director_id, "
                      "date(created_at, 'unixepoch'), status, updated_at, "
                      "date(updated_at, 'unixepoch') FROM petitions "
                      "WHERE person_id IN (SELECT id FROM members) AND created_at < :end "
                      "AND (status = 'open' OR updated_at >= :from) "
                      "ORDER BY person_id, created_at, id");
        q->bind(":end", end_unix);
        q->bind(":from", unix_day_start(quarter.first));
        while (q->executeStep()) {
            if (auto* p = person(q->getColumn(0).getString())) {
                std::string status = q->getColumn(4).getString();
                bool open = status == "open";
                p->petition = OpenPetition{q->getColumn(1).getString(),
                                           q->getColumn(2).getString(),
                                           q->getColumn(3).getString(),
                                           open || q->getColumn(5).getInt64() >= end_unix,
                                           status,
                                           open ? "" : q->getColumn(6).getString()};
            }
        }
    }

    for (auto& p : out.people) {
        if (p.level && levels.index_of(*p.level)) {
            if (const Level* next = levels.next_after(p.level))
                p.readiness = levels.readiness(next->id, p.evidence);
        }
        out.total_brags += p.brags;
        out.mix.job += p.mix.job;
        out.mix.others += p.mix.others;
        out.mix.training += p.mix.training;
        out.mix.untagged += p.mix.untagged;
        out.total_feedback += p.feedback;
        out.total_overdue += p.tasks_overdue;
        out.with_ido += p.ido ? 1 : 0;
        out.with_checkin += p.checkins_in_quarter > 0 ? 1 : 0;
        out.cadence_held += p.cadence_held ? 1 : 0;
        out.checkins_overdue += p.checkin_overdue_days > 0 ? 1 : 0;
        out.ready += p.readiness && p.readiness->ready() ? 1 : 0;
        out.open_petitions += p.petition && p.petition->open_at_end ? 1 : 0;
    }
    return out;
}

}  // namespace careerbot::commands

namespace careerbot::commands {

std::vector<AchievedIdo> achieved_idos(storage::Database& db, const std::string& person_id) {
    SQLite::Statement q(db.sql(),
                        "SELECT quarter, objective FROM idos WHERE person_id = ? "
                        "AND achieved_at IS NOT NULL ORDER BY quarter DESC");
    q.bind(1, person_id);
    std::vector<AchievedIdo> out;
    while (q.executeStep()) out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString()});
    return out;
}

}  // namespace careerbot::commands
