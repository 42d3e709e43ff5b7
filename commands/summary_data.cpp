#include "commands/summary_data.hpp"

#include <algorithm>
#include <map>

#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

namespace careerbot::commands {
namespace {

/// The people a summary covers, as a CTE every query starts with. `:all` = 0 keeps the root
/// alone (a summary about one person); otherwise the root's whole subtree, without the root.
constexpr const char* kMembers =
    "WITH RECURSIVE tree(id, depth) AS ("
    "  SELECT :root, 0"
    "  UNION ALL"
    "  SELECT p.id, tree.depth + 1 FROM people p JOIN tree ON p.manager_id = tree.id"
    "  WHERE :all AND tree.depth < 64"  // the cap guards against a cycle written by hand
    "), members(id) AS (SELECT DISTINCT id FROM tree WHERE depth > 0 OR NOT :all) ";

std::string iso(date::year_month_day d) { return iso_date(d); }

int64_t unix_day_start(date::year_month_day d) {
    return std::chrono::duration_cast<std::chrono::seconds>(date::sys_days{d}.time_since_epoch())
        .count();
}

/// A prepared statement over the members CTE with the scope bound.
class ScopedQuery {
  public:
    ScopedQuery(storage::Database& db, const SummaryScope& scope, const std::string& body)
        : q_(db.sql(), std::string(kMembers) + body) {
        q_.bind(":root", scope.root);
        q_.bind(":all", scope.whole_subtree ? 1 : 0);
    }
    SQLite::Statement& operator*() { return q_; }
    SQLite::Statement* operator->() { return &q_; }

  private:
    SQLite::Statement q_;
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
    return "cadence held = a check-in inside the quarter and no gap over 8 weeks (from the "
           "previous check-in through the quarter's end or today)";
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
                         const std::string& today, const Levels& levels, int fiscal_start_month) {
    OrgSummary out;
    out.quarter = quarter;
    out.today = today;
    const std::string q_from = iso(quarter.first);
    const std::string q_to = iso(quarter.last);
    const std::string evidence_from = iso(previous_quarter(quarter, fiscal_start_month).first);
    const std::string cadence_end = std::min(q_to, today);
    std::map<std::string, std::size_t> index;

    {
        ScopedQuery q(db, scope,
                      "SELECT p.id, p.name, p.manager_id, p.level FROM members m "
                      "JOIN people p ON p.id = m.id ORDER BY p.name, p.id");
        while (q->executeStep()) {
            PersonSummary p;
            p.id = q->getColumn(0).getString();
            p.name = q->getColumn(1).getString();
            if (!q->getColumn(2).isNull()) p.manager_id = q->getColumn(2).getString();
            if (!q->getColumn(3).isNull()) p.level = q->getColumn(3).getString();
            index[p.id] = out.people.size();
            out.people.push_back(std::move(p));
        }
    }
    auto person = [&](const std::string& id) -> PersonSummary* {
        auto it = index.find(id);
        return it == index.end() ? nullptr : &out.people[it->second];
    };

    {  // Brags in the quarter, with the 70-20-10 mix.
        ScopedQuery q(db, scope,
                      "SELECT b.author_id, count(*), sum(b.growth = 'job'), "
                      "sum(b.growth = 'others'), sum(b.growth = 'training') FROM members m "
                      "JOIN brags b ON b.author_id = m.id AND b.deleted_at IS NULL "
                      "AND b.happened_on BETWEEN :from AND :to GROUP BY b.author_id");
        q->bind(":from", q_from);
        q->bind(":to", q_to);
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            p->brags = q->getColumn(1).getInt();
            p->mix.job = q->getColumn(2).getInt();
            p->mix.others = q->getColumn(3).getInt();
            p->mix.training = q->getColumn(4).getInt();
            p->mix.untagged = p->brags - p->mix.job - p->mix.others - p->mix.training;
        }
    }
    {  // The most impactful brag of each person's quarter (see top_brag_rule()).
        ScopedQuery q(db, scope,
                      "SELECT author_id, number, text, impact, happened_on FROM ("
                      "  SELECT b.author_id, b.number, b.text, b.impact, b.happened_on, "
                      "  row_number() OVER (PARTITION BY b.author_id ORDER BY b.impact <> '' "
                      "  DESC, b.happened_on DESC, b.number DESC) AS rank FROM members m "
                      "  JOIN brags b ON b.author_id = m.id AND b.deleted_at IS NULL "
                      "  AND b.happened_on BETWEEN :from AND :to"
                      ") WHERE rank = 1");
        q->bind(":from", q_from);
        q->bind(":to", q_to);
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            p->top_brag = TopBrag{q->getColumn(1).getInt(), q->getColumn(2).getString(),
                                  q->getColumn(3).getString(), q->getColumn(4).getString()};
        }
    }
    {  // Brags per month over the year ending with the quarter, for the chart.
        date::year_month last_month{quarter.last.year(), quarter.last.month()};
        date::year_month first_month = last_month - date::months{11};
        std::map<std::string, int> counts;
        for (auto ym = first_month; ym <= last_month; ym += date::months{1}) {
            counts[iso(ym / 1).substr(0, 7)] = 0;
        }
        ScopedQuery q(db, scope,
                      "SELECT substr(b.happened_on, 1, 7), count(*) FROM members m "
                      "JOIN brags b ON b.author_id = m.id AND b.deleted_at IS NULL "
                      "AND b.happened_on BETWEEN :from AND :to GROUP BY 1");
        q->bind(":from", iso(first_month / 1));
        q->bind(":to", q_to);
        while (q->executeStep()) counts[q->getColumn(0).getString()] = q->getColumn(1).getInt();
        out.brags_by_month.assign(counts.begin(), counts.end());
    }
    {  // Feedback received in the quarter (by when it was originally posted).
        ScopedQuery q(db, scope,
                      "SELECT f.subject_id, count(*) FROM members m JOIN feedback f "
                      "ON f.subject_id = m.id AND f.posted_at >= :from AND f.posted_at < :to "
                      "GROUP BY f.subject_id");
        q->bind(":from", unix_day_start(quarter.first));
        q->bind(":to", unix_day_start(quarter.last) + 86400);
        while (q->executeStep()) {
            if (auto* p = person(q->getColumn(0).getString()))
                p->feedback = q->getColumn(1).getInt();
        }
    }
    {  // Tasks finished in the quarter, and open ones overdue today.
        ScopedQuery q(db, scope,
                      "SELECT t.assignee_id, sum(t.done_at >= :from AND t.done_at < :to), "
                      "sum(t.done_at IS NULL AND t.due_on < :today) FROM members m "
                      "JOIN tasks t ON t.assignee_id = m.id GROUP BY t.assignee_id");
        q->bind(":from", unix_day_start(quarter.first));
        q->bind(":to", unix_day_start(quarter.last) + 86400);
        q->bind(":today", today);
        while (q->executeStep()) {
            if (auto* p = person(q->getColumn(0).getString())) {
                p->tasks_done = q->getColumn(1).getInt();
                p->tasks_overdue = q->getColumn(2).getInt();
            }
        }
    }
    {  // The quarter's IDO, its mentor and its progress notes.
        ScopedQuery q(db, scope,
                      "SELECT i.person_id, i.objective, i.mentor_id, i.achieved_at IS NOT NULL, "
                      "count(pr.id), COALESCE(max(pr.noted_on), ''), "
                      "COALESCE((SELECT note FROM ido_progress WHERE ido_id = i.id "
                      "  ORDER BY created_at DESC, id DESC LIMIT 1), '') "
                      "FROM members m JOIN idos i ON i.person_id = m.id AND i.quarter = :quarter "
                      "LEFT JOIN ido_progress pr ON pr.ido_id = i.id GROUP BY i.id");
        q->bind(":quarter", quarter.label());
        while (q->executeStep()) {
            auto* p = person(q->getColumn(0).getString());
            if (p == nullptr) continue;
            p->ido = IdoState{q->getColumn(1).getString(), q->getColumn(2).getString(),
                              q->getColumn(4).getInt(),    q->getColumn(5).getString(),
                              q->getColumn(6).getString(), q->getColumn(3).getInt() != 0};
        }
    }
    {  // Held check-ins up to today: the last one, and the cadence over the quarter.
        ScopedQuery q(db, scope,
                      "SELECT c.person_id, c.held_on, c.next_due_on FROM members m "
                      "JOIN checkins c ON c.person_id = m.id AND c.held_on IS NOT NULL "
                      "AND c.held_on <= :today ORDER BY c.person_id, c.held_on, c.id");
        q->bind(":today", today);
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
        for (auto& p : out.people) p.cadence_held = cadence_kept(held[p.id], q_from, cadence_end);
    }
    {  // Recorded training and certifications.
        ScopedQuery q(db, scope,
                      "SELECT c.person_id, c.name FROM members m JOIN certs c "
                      "ON c.person_id = m.id");
        while (q->executeStep()) {
            if (auto* p = person(q->getColumn(0).getString()))
                p->evidence.certs.insert(normalise_cert(q->getColumn(1).getString()));
        }
    }
    if (auto tags = levels.evidence_tags(); !tags.empty()) {
        // Brags carrying an evidence tag, over this quarter and the previous one. Only the
        // tags the levels name are read; they arrive as one bound JSON array.
        ScopedQuery q(db, scope,
                      "SELECT b.author_id, t.tag, count(*) FROM members m "
                      "JOIN brags b ON b.author_id = m.id AND b.deleted_at IS NULL "
                      "AND b.happened_on BETWEEN :from AND :to "
                      "JOIN brag_tags t ON t.brag_id = b.id "
                      "AND t.tag IN (SELECT value FROM json_each(:tags)) GROUP BY 1, 2");
        q->bind(":from", evidence_from);
        q->bind(":to", q_to);
        q->bind(":tags", nlohmann::json(tags).dump());
        while (q->executeStep()) {
            if (auto* p = person(q->getColumn(0).getString()))
                p->evidence.tag_counts[q->getColumn(1).getString()] = q->getColumn(2).getInt();
        }
    }
    {  // Open promotion petitions.
        ScopedQuery q(db, scope,
                      "SELECT p.person_id, p.target_level, p.director_id, "
                      "date(p.created_at, 'unixepoch') FROM members m JOIN petitions p "
                      "ON p.person_id = m.id AND p.status = 'open'");
        while (q->executeStep()) {
            if (auto* p = person(q->getColumn(0).getString())) {
                p->petition = OpenPetition{q->getColumn(1).getString(), q->getColumn(2).getString(),
                                           q->getColumn(3).getString()};
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
        out.ready += p.readiness && p.readiness->ready() ? 1 : 0;
        out.open_petitions += p.petition ? 1 : 0;
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
