#include "src/scheduler/kinds.hpp"

#include <algorithm>
#include <array>

#include "src/scheduler/messages.hpp"
#include "src/scheduler/occurrence.hpp"
#include "src/scheduler/planning.hpp"
#include "storage/checkins.hpp"
#include "storage/internships.hpp"
#include "storage/people.hpp"
#include "storage/reminder_away.hpp"
#include "storage/schedules.hpp"

namespace careerbot::scheduler {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out(1);
    for (char c : s) {
        if (c == sep) {
            out.emplace_back();
        } else {
            out.back() += c;
        }
    }
    return out;
}

/// "away:<person>" when `person` is away on `day` (YYYY-MM-DD).
std::optional<std::string> away_on(storage::Database& db, const std::string& person,
                                   const std::string& day) {
    if (storage::AwayRepo(db).covering(person, day)) return "away:" + person;
    return std::nullopt;
}

/// "away:<recipient>" when the recipient is away today, in their zone.
std::optional<std::string> recipient_away_today(const KindContext& c, const storage::Reminder& r) {
    return away_on(c.db, r.recipient_id,
                   iso_day(local_day(c.now, time_zone_of(c.db, c.config, r.recipient_id))));
}

/// "<@id> away" from a reason "away:<id>".
std::string who_was_away(const storage::Reminder& r) {
    return r.reason.size() > 5 ? "<@" + r.reason.substr(5) + "> away" : "away";
}

// one_on_one: the preparation for the manager; the key is 1on1:<schedule>:<unix time>.

std::optional<std::string> one_on_one_skip(const KindContext& c, const storage::Reminder& row) {
    auto s = storage::ScheduleRepo(c.db).find(row.ref_id.value_or(0));
    if (!s || s->cancelled_at) return "cancelled";
    if (s->skip_until && row.occurs_at && *row.occurs_at <= *s->skip_until) return "skip";
    if (!storage::PeopleRepo(c.db).manages(s->manager_id, s->report_id)) return "not managed";
    // Away on the day of the 1:1 (in the manager's zone, where the 1:1 is kept).
    auto day = iso_day(local_day(from_unix(row.occurs_at.value_or(row.due_at)), s->tz));
    if (auto r = away_on(c.db, s->manager_id, day)) return r;
    return away_on(c.db, s->report_id, day);
}

std::vector<Message> one_on_one_render(const KindContext& c, const storage::Reminder& row) {
    auto s = storage::ScheduleRepo(c.db).find(row.ref_id.value_or(0));
    if (!s) return {};
    return prep_message(c.db, c.config, *s, from_unix(row.occurs_at.value_or(row.due_at)), c.now,
                        row.id);
}

void one_on_one_after(const KindContext& c, const storage::Reminder& row) {
    if (!row.ref_id || !row.occurs_at) return;
    auto s = storage::ScheduleRepo(c.db).find(*row.ref_id);
    if (!s || s->cancelled_at) return;
    // Recurring: the next occurrence after this one (never one already past when the bot was
    // down for weeks: those would only be dropped one by one).
    TimePoint after = std::max(from_unix(*row.occurs_at), c.now);
    plan_one_on_one(c.db, c.config, *s, after);
}

// task_due and task_overdue: nudges to the assignee; ref_id is the task's row id.

/// Why a task nudge is not sent; a due-date nudge also when the due date moved (its key has
/// the date it was planned for).
std::optional<std::string> task_skip(const KindContext& c, const storage::Reminder& row,
                                     bool due_date_nudge) {
    auto t = task_by_id(c.db, row.ref_id.value_or(0));
    if (!t) return task_gone_reason(c.db, row.ref_id.value_or(0));
    if (t->done()) return "done";
    if (due_date_nudge && row.key != "task_due:" + std::to_string(t->id) + ":" + t->due_on) {
        return "moved";
    }
    return recipient_away_today(c, row);
}

std::vector<Message> task_render(const KindContext& c, const storage::Reminder& row, bool overdue) {
    auto t = task_by_id(c.db, row.ref_id.value_or(0));
    if (!t) return {};
    return {task_nudge(c.db, c.config, *t, overdue, c.now)};
}

std::string task_missed(storage::Database& db, const storage::Reminder& r,
                        const std::string& nudge) {
    std::string task = "a task";
    if (r.ref_id) {
        if (auto t = task_by_id(db, *r.ref_id)) task = "task *#" + std::to_string(t->number) + "*";
    }
    return "• the " + nudge + " nudge for " + task + " was not sent (" + who_was_away(r) + ")";
}

// checkin: nudges to the person and their manager; the key is checkin:<person>:<date>:<to>.

std::optional<std::string> checkin_skip(const KindContext& c, const storage::Reminder& row) {
    auto parts = split(row.key, ':');
    auto next = storage::CheckinRepo(c.db).next_due(row.subject_id);
    if (parts.size() < 4 || !next || *next != parts[2]) return "superseded";
    return recipient_away_today(c, row);
}

std::vector<Message> checkin_render(const KindContext& c, const storage::Reminder& row) {
    auto parts = split(row.key, ':');
    if (parts.size() < 4) return {};
    return {checkin_nudge(c.db, c.config, row.subject_id, parts[2],
                          row.recipient_id != row.subject_id, c.now)};
}

std::string checkin_missed(storage::Database&, const storage::Reminder& r, const std::string& tz) {
    std::string when = slack_day(from_unix(r.occurs_at.value_or(r.due_at)), tz);
    return "• the check-in nudge for " + when + " was not sent (" + who_was_away(r) + ")";
}

// internship_feedback: to the host manager on an internship's last day; ref_id is its id.

std::optional<std::string> internship_skip(const KindContext& c, const storage::Reminder& row) {
    auto i = storage::InternshipRepo(c.db).find(row.ref_id.value_or(0));
    if (!i) return "gone";
    // Cancelled before its end (a finished one ended on its own: the reminder still stands).
    if (i->status != "active" && i->status != "finished") return i->status;
    return recipient_away_today(c, row);
}

std::vector<Message> internship_render(const KindContext& c, const storage::Reminder& row) {
    auto i = storage::InternshipRepo(c.db).find(row.ref_id.value_or(0));
    if (!i) return {};
    return {internship_feedback_nudge(*i)};
}

std::string internship_missed(storage::Database&, const storage::Reminder& r, const std::string&) {
    return "• the reminder to give <@" + r.subject_id +
           "> feedback at the end of their internship was not sent (" + who_was_away(r) + ")";
}

// Time-zone changes (see ReminderKind::rezone).

/// Nudges planned at "09:00 their time" move with their recipient: every time of the row keeps
/// its local wall-clock time in the new zone.
void rezone_wall_clock(const KindContext& c, const storage::Reminder& row,
                       const std::string& from_tz, const std::string& to_tz) {
    auto move = [&](int64_t t) { return to_unix(same_wall_clock(from_unix(t), from_tz, to_tz)); };
    storage::Reminder moved = row;
    moved.due_at = move(row.due_at);
    moved.useful_until = move(row.useful_until);
    if (row.occurs_at) moved.occurs_at = move(*row.occurs_at);
    storage::ReminderOutbox(c.db).move_pending(moved, c.now);
}

/// A 1:1 is kept in its manager's zone: when that zone changes, the cadence continues in the
/// new zone at the same local time, as a new cadence (so the history of the old one, its skips
/// and its occurrences, stays as it happened), and the pending preparation is planned again
/// for the new occurrence. A snoozed copy stays at the moment it was snoozed to.
void one_on_one_rezone(const KindContext& c, const storage::Reminder& row,
                       const std::string& from_tz, const std::string& to_tz) {
    if (!row.key.starts_with("1on1:") || !row.ref_id) return;
    storage::ScheduleRepo schedules(c.db);
    auto s = schedules.find(*row.ref_id);
    if (!s || s->cancelled_at || s->manager_id != row.recipient_id || s->tz != from_tz) return;
    storage::OneOnOne next = *s;
    next.tz = to_tz;
    next = schedules.create(next, c.now);  // cancels the old cadence
    if (s->skip_until) {
        auto until = same_wall_clock(from_unix(*s->skip_until), from_tz, to_tz);
        schedules.set_skip_until(next.id, to_unix(until), c.now);
        next.skip_until = to_unix(until);
    }
    storage::ReminderOutbox(c.db).finish(row.id, "skipped", "moved", c.now);
    plan_one_on_one(c.db, c.config, next, c.now);
}

const std::array<ReminderKind, 5> kKinds{{
    {kOneOnOne, one_on_one_skip, one_on_one_render, one_on_one_after, nullptr, true,
     one_on_one_rezone},
    {kTaskDue,
     [](const KindContext& c, const storage::Reminder& r) { return task_skip(c, r, true); },
     [](const KindContext& c, const storage::Reminder& r) { return task_render(c, r, false); },
     nullptr,
     [](storage::Database& db, const storage::Reminder& r, const std::string&) {
         return task_missed(db, r, "due-date");
     },
     false, rezone_wall_clock},
    {kTaskOverdue,
     [](const KindContext& c, const storage::Reminder& r) { return task_skip(c, r, false); },
     [](const KindContext& c, const storage::Reminder& r) { return task_render(c, r, true); },
     nullptr,
     [](storage::Database& db, const storage::Reminder& r, const std::string&) {
         return task_missed(db, r, "overdue");
     },
     false, rezone_wall_clock},
    {kCheckin, checkin_skip, checkin_render, nullptr, checkin_missed, false, rezone_wall_clock},
    {kInternshipFeedback, internship_skip, internship_render, nullptr, internship_missed, false,
     rezone_wall_clock},
}};

}  // namespace

std::span<const ReminderKind> reminder_kinds() { return kKinds; }

const ReminderKind* reminder_kind(std::string_view name) {
    auto it = std::find_if(kKinds.begin(), kKinds.end(),
                           [&](const ReminderKind& k) { return k.name == name; });
    return it == kKinds.end() ? nullptr : &*it;
}

}  // namespace careerbot::scheduler
