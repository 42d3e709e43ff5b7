#include "commands/summary_data.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

#include "storage/idos.hpp"
#include "storage/org_summary.hpp"

namespace careerbot::commands {
namespace {

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
    points.push_back(date::sys_days{stored_day(before.empty() ? first : before)});
    for (const auto& h : held) {
        if (h >= first && h <= end) {
            points.push_back(date::sys_days{stored_day(h)});
            inside = true;
        }
    }
    if (!inside) return false;
    points.push_back(date::sys_days{stored_day(end)});
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

Quarter previous_quarter(const Quarter& q, int fiscal_start_month) {
    return quarter_of(date::year_month_day{date::sys_days{q.first} - date::days{1}},
                      fiscal_start_month);
}

OrgSummary build_summary(storage::Database& db, const SummaryScope& scope, const Quarter& quarter,
                         const std::string& today, const Levels& levels, int fiscal_start_month,
                         std::optional<TimePoint> now, const std::string& default_tz) {
    OrgSummary out;
    out.quarter = quarter;
    const std::string q_from = iso_day(quarter.first);
    const std::string q_to = iso_day(quarter.last);
    // A past quarter is shown as it stood on its last day: tasks open at its end, the
    // check-ins held by then, the petitions open during it — not today's state.
    out.past = q_to < today;
    out.today = out.past ? q_to : today;
    const std::string as_of = out.today;
    // Records changed after this moment (unix s) are read as they were before the change.
    const int64_t end_unix =
        out.past ? unix_day_start(quarter.last) + 86400 : std::numeric_limits<int64_t>::max();
    const std::string evidence_from = iso_day(previous_quarter(quarter, fiscal_start_month).first);
    const std::string cadence_end = std::min(q_to, today);
    std::map<std::string, std::size_t> index;
    // The day overdue is judged on, per person: their own calendar's today (a due date is a day
    // where they are), or the past quarter's last day.
    std::vector<std::string> day_of;
    storage::OrgSummaryReader read(db);  // one snapshot, read through a memory map
    for (auto& m : read.members(scope.root, scope.whole_subtree)) {
        PersonSummary p;
        p.id = std::move(m.id);
        p.name = std::move(m.name);
        p.manager_id = std::move(m.manager_id);
        p.level = std::move(m.level);
        index[p.id] = out.people.size();
        day_of.push_back(
            out.past || !now ? as_of : iso_day(local_date(*now, m.tz.empty() ? default_tz : m.tz)));
        out.people.push_back(std::move(p));
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
            months[iso_day(ym / 1).substr(0, 7)] = 0;
        }
        std::string author;
        PersonSummary* p = nullptr;
        std::string_view month;
        auto bucket = months.end();
        read.brags(iso_day(first_month / 1), q_to,
                   [&](std::string_view who, std::string_view on, std::string_view growth) {
                       if (bucket == months.end() || on.substr(0, 7) != month) {
                           bucket = months.try_emplace(std::string(on.substr(0, 7)), 0).first;
                           month = bucket->first;
                       }
                       ++bucket->second;
                       if (who != author) {
                           author = who;
                           p = person(author);
                       }
                       if (p == nullptr) return;
                       ++p->brags;
                       if (growth == "job") {
                           ++p->mix.job;
                       } else if (growth == "others") {
                           ++p->mix.others;
                       } else if (growth == "training") {
                           ++p->mix.training;
                       } else {
                           ++p->mix.untagged;
                       }
                   });
        out.brags_by_month.assign(months.begin(), months.end());
    }
    // The most impactful brag of each person's quarter (see top_brag_rule()).
    read.top_brags(q_from, q_to, [&](const storage::OrgSummaryReader::TopBrag& b) {
        if (auto* p = person(b.person_id))
            p->top_brag = TopBrag{b.number, b.text, b.impact, b.happened_on};
    });
    // Feedback received in the quarter (by when it was originally posted).
    read.feedback_counts(unix_day_start(quarter.first), unix_day_start(quarter.last) + 86400,
                         [&](const std::string& id, int count) {
                             if (auto* p = person(id)) p->feedback = count;
                         });
    // Tasks finished in the quarter, due in it, and open at its end (or now) with a due date
    // already past on the person's calendar: their due dates come back for that test.
    // Nobody's calendar is more than a day ahead of the requester's.
    read.task_counts(
        unix_day_start(quarter.first), unix_day_start(quarter.last) + 86400, q_from, q_to,
        iso_day(date::year_month_day{date::sys_days{stored_day(as_of)} + date::days{1}}), end_unix,
        [&](const storage::OrgSummaryReader::TaskCounts& t) {
            auto it = index.find(t.person_id);
            if (it == index.end()) return;
            auto& p = out.people[it->second];
            p.tasks_done = t.done;
            p.tasks_due = t.due;
            const std::string& day = day_of[it->second];
            for_each_json_string(t.open_dues, [&](std::string_view due) {
                if (due < day) ++p.tasks_overdue;
            });
        });
    // The quarter's IDO, its mentor and its progress notes.
    read.idos(quarter.label(), [&](const storage::OrgSummaryReader::Ido& i) {
        if (auto* p = person(i.person_id))
            p->ido = IdoState{i.objective,    i.mentor_id, i.notes,
                              i.last_note_on, i.last_note, i.achieved};
    });
    {  // Held check-ins up to the day: the last one, whether the next one is overdue, and the
        // cadence over the quarter.
        std::map<std::string, std::vector<std::string>> held;
        read.held_checkins(as_of, [&](const std::string& id, std::string on, std::string next) {
            auto* p = person(id);
            if (p == nullptr) return;
            held[p->id].push_back(on);
            if (on >= q_from && on <= q_to) ++p->checkins_in_quarter;
            p->last_checkin = std::move(on);
            p->next_checkin_due = std::move(next);
        });
        for (std::size_t i = 0; i < out.people.size(); ++i) {
            auto& p = out.people[i];
            if (p.next_checkin_due && !p.next_checkin_due->empty() &&
                *p.next_checkin_due < day_of[i]) {
                p.checkin_overdue_days =
                    static_cast<int>((date::sys_days{stored_day(day_of[i])} -
                                      date::sys_days{stored_day(*p.next_checkin_due)})
                                         .count());
            }
            // An overdue check-in is a slipped cadence, whatever the gaps so far.
            p.cadence_held =
                p.checkin_overdue_days == 0 && cadence_kept(held[p.id], q_from, cadence_end);
        }
    }
    {  // Recorded training and certifications.
        // Most people share a few names (onboarding, a course), and normalising one is not free.
        std::map<std::string, std::string, std::less<>> normalised;
        read.certs([&](const std::string& id, std::string_view name) {
            auto* p = person(id);
            if (p == nullptr) return;
            auto it = normalised.find(name);
            if (it == normalised.end()) {
                std::string key(name);
                it = normalised.emplace(key, normalise_cert(key)).first;
            }
            p->evidence.certs.insert(it->second);
        });
    }
    if (auto tags = levels.evidence_tags(); !tags.empty()) {
        // Brags carrying an evidence tag, over this quarter and the previous one: each brag's
        // tags come as one JSON array and are counted here, a brag once per dimension however
        // many of its tags the dimension lists.
        // Only the tags the levels name are kept; testing that in SQL would cost a lookup per
        // tagged brag, or, worse, one probe of brag_tags per listed tag and brag.
        const std::set<std::string, std::less<>> wanted(tags.begin(), tags.end());
        read.brag_tags(evidence_from, q_to, [&](const std::string& id, std::string_view array) {
            auto* p = person(id);
            if (p == nullptr) return;
            std::set<std::string> carried;
            for_each_json_string(array, [&](std::string_view tag) {
                if (auto it = wanted.find(tag); it != wanted.end()) carried.insert(*it);
            });
            p->evidence.add_brag(carried);
        });
    }
    // Promotion petitions open at some time in the quarter; the latest of each person's.
    read.petitions(
        end_unix, unix_day_start(quarter.first), [&](const storage::OrgSummaryReader::Petition& r) {
            if (auto* p = person(r.person_id)) {
                bool open = r.status == "open";
                p->petition = OpenPetition{r.target_level, r.director_id,
                                           r.opened_on,    open || r.updated_at >= end_unix,
                                           r.status,       open ? "" : r.updated_on,
                                           r.statement};
            }
        });
    // Standing mentors as they stood at the quarter's end (or now).
    read.standing_mentors(end_unix, [&](const std::string& mentee, const std::string& mentor) {
        if (auto* p = person(mentee)) p->standing_mentor = mentor;
    });
    // The quarterly review's performance factors.
    read.performance_factors(quarter.label(), [&](const storage::OrgSummaryReader::Factor& f) {
        if (auto* p = person(f.person_id)) p->factor = FactorState{f.factor, f.note, f.recorded_by};
    });
    // Internships for learning (approved by both managers) during the quarter.
    read.internships(q_from, q_to, [&](const storage::OrgSummaryReader::Internship& i) {
        if (auto* p = person(i.person_id))
            p->internship =
                InternshipState{i.host_manager_id, i.share_percent, i.starts_on, i.ends_on};
    });
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
        out.with_mentor += p.has_mentor() ? 1 : 0;
        if (!p.factor) {
            ++out.factor_missing;
        } else if (p.factor->factor == "exceeding") {
            ++out.exceeding;
        } else if (p.factor->factor == "performing") {
            ++out.performing;
        } else {
            ++out.developing;
        }
        out.with_checkin += p.checkins_in_quarter > 0 ? 1 : 0;
        out.cadence_held += p.cadence_held ? 1 : 0;
        out.checkins_overdue += p.checkin_overdue_days > 0 ? 1 : 0;
        out.ready += p.readiness && p.readiness->ready() ? 1 : 0;
        out.open_petitions += p.petition && p.petition->open_at_end ? 1 : 0;
        out.internships += p.internship ? 1 : 0;
    }
    return out;
}

}  // namespace careerbot::commands

namespace careerbot::commands {

std::vector<AchievedIdo> achieved_idos(storage::Database& db, const std::string& person_id) {
    return storage::IdoRepo(db).achieved(person_id);
}

}  // namespace careerbot::commands
