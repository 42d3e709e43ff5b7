#include "src/scheduler/planning.hpp"

#include "src/scheduler/kinds.hpp"
#include "src/scheduler/messages.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/checkins.hpp"
#include "storage/people.hpp"
#include "storage/reminder_outbox.hpp"

namespace careerbot::scheduler {
namespace {

int nudge_minute(const Config& config) {
    return parse_time_of_day(config.reminders.task_nudge_time).value_or(9 * 60);
}

}  // namespace

TimePoint plan_one_on_one(storage::Database& db, const Config& config, const storage::OneOnOne& s,
                          TimePoint now) {
    TimePoint occ = next_live_occurrence(s, now);
    storage::Reminder r;
    r.key = "1on1:" + std::to_string(s.id) + ":" + std::to_string(to_unix(occ));
    r.kind = kOneOnOne;
    r.recipient_id = s.manager_id;
    r.subject_id = s.report_id;
    r.ref_id = s.id;
    r.occurs_at = to_unix(occ);
    r.due_at = to_unix(occ - config.reminders.one_on_one_lead);
    r.useful_until = to_unix(occ);
    db.write([&] { storage::ReminderOutbox(db).plan(r, now); });
    return occ;
}

TimePoint skip_next_one_on_one(storage::Database& db, const Config& config,
                               const storage::OneOnOne& schedule, const std::string& by,
                               TimePoint now) {
    TimePoint skipped = next_live_occurrence(schedule, now);
    db.write([&] {
        storage::ScheduleRepo schedules(db);
        schedules.set_skip_until(schedule.id, to_unix(skipped), now);
        schedules.record_skip(schedule.id, to_unix(skipped), by, now);
        storage::ReminderOutbox(db).skip_pending(kOneOnOne, schedule.id, "skip", now,
                                                 to_unix(skipped));
        auto updated = schedule;
        updated.skip_until = to_unix(skipped);
        plan_one_on_one(db, config, updated, now);
    });
    return skipped;
}

bool cancel_one_on_one(storage::Database& db, int64_t schedule_id, TimePoint now) {
    bool cancelled = false;
    db.write([&] {
        cancelled = storage::ScheduleRepo(db).cancel(schedule_id, now);
        storage::ReminderOutbox(db).skip_pending(kOneOnOne, schedule_id, "cancelled", now);
    });
    return cancelled;
}

std::optional<TimePoint> snooze_reminder(storage::Database& db, int64_t reminder_id,
                                         const std::string& user, TimePoint now) {
    storage::ReminderOutbox outbox(db);
    auto row = outbox.find(reminder_id);
    TimePoint when = now + kSnooze;
    const ReminderKind* kind = row ? reminder_kind(row->kind) : nullptr;
    if (!row || row->recipient_id != user || !kind || !kind->snoozable ||
        to_unix(when) >= row->useful_until) {
        return std::nullopt;
    }
    storage::Reminder copy = *row;
    // One snooze per press-minute: a double click does not plan two messages.
    copy.key = "snooze:" + row->key + ":" + std::to_string(to_unix(now) / 60);
    copy.due_at = to_unix(when);
    db.write([&] { outbox.plan(copy, now); });
    return when;
}

void plan_task(storage::Database& db, const Config& config, int64_t task_id, TimePoint now) {
    storage::ReminderOutbox outbox(db);
    auto task = task_by_id(db, task_id);
    if (!task) {
        // Cancelled or deleted: it left `tasks`, and nothing planned for it is sent.
        std::string why = task_gone_reason(db, task_id);
        outbox.skip_pending(kTaskDue, task_id, why, now);
        outbox.skip_pending(kTaskOverdue, task_id, why, now);
        return;
    }
    if (task->done()) {
        outbox.skip_pending(kTaskDue, task->id, "done", now);
        outbox.skip_pending(kTaskOverdue, task->id, "done", now);
        return;
    }
    // Reopened or un-cancelled: nudges skipped for that matter again (if not past their use).
    for (const char* why : {"done", "cancelled"}) {
        outbox.revive(kTaskDue, task->id, why, now);
        outbox.revive(kTaskOverdue, task->id, why, now);
    }
    auto due = parse_iso_local_day(task->due_on);
    if (!due) return;
    auto tz = time_zone_of(db, config, task->assignee_id);
    int minute = nudge_minute(config);

    storage::Reminder soon;
    soon.key = "task_due:" + std::to_string(task->id) + ":" + task->due_on;
    soon.kind = kTaskDue;
    soon.recipient_id = soon.subject_id = task->assignee_id;
    soon.ref_id = task->id;
    soon.occurs_at = to_unix(at_local(*due, 0, tz));
    soon.due_at =
        to_unix(at_local(*due - date::days{config.reminders.task_due_lead_days}, minute, tz));
    soon.useful_until = to_unix(at_local(*due + date::days{1}, 0, tz));
    // A task written down after its nudge moment needs no nudge: its author just saw it.
    if (soon.due_at > task->created_at) outbox.plan(soon, now);

    storage::Reminder late = soon;
    late.key = "task_overdue:" + std::to_string(task->id);
    late.kind = kTaskOverdue;
    late.due_at = to_unix(at_local(*due + date::days{1}, minute, tz));
    late.useful_until = late.due_at + std::chrono::seconds{kNudgeUseful}.count();
    // The overdue nudge is once per task (its key has no date): a moved due date moves it.
    if (!outbox.plan(late, now)) outbox.move_pending(late, now);
}

void plan_internship_feedback(storage::Database& db, const Config& config,
                              const storage::Internship& internship, TimePoint now) {
    auto day = parse_iso_local_day(internship.ends_on);
    if (!day) return;
    auto tz = time_zone_of(db, config, internship.host_manager_id);
    storage::Reminder r;
    r.key = "internship_feedback:" + std::to_string(internship.id);
    r.kind = kInternshipFeedback;
    r.recipient_id = internship.host_manager_id;
    r.subject_id = internship.person_id;
    r.ref_id = internship.id;
    r.occurs_at = to_unix(at_local(*day, 0, tz));
    r.due_at = to_unix(at_local(*day, nudge_minute(config), tz));
    r.useful_until = r.due_at + std::chrono::seconds{kNudgeUseful}.count();
    db.write([&] { storage::ReminderOutbox(db).plan(r, now); });
}

void skip_internship_feedback(storage::Database& db, int64_t internship_id, const std::string& why,
                              TimePoint now) {
    db.write([&] {
        storage::ReminderOutbox(db).skip_pending(kInternshipFeedback, internship_id, why, now);
    });
}

void plan_checkin(storage::Database& db, const Config& config, const std::string& person,
                  TimePoint now) {
    storage::ReminderOutbox outbox(db);
    auto next = storage::CheckinRepo(db).next_due(person);
    auto day = next ? parse_iso_local_day(*next) : std::nullopt;
    // With no check-in left (the only one was undone) every pending nudge is superseded.
    std::string prefix = "checkin:" + person + ":" + (day ? *next : std::string("-")) + ":";
    // A moved due date supersedes the nudges planned for the old one.
    outbox.supersede_checkins(person, prefix, now);
    if (!day) return;

    std::vector<std::string> recipients{person};
    auto p = storage::PeopleRepo(db).find(person);
    if (p && p->manager_id) recipients.push_back(*p->manager_id);
    for (const auto& to : recipients) {
        storage::Reminder r;
        r.key = prefix + to;
        r.kind = kCheckin;
        r.recipient_id = to;
        r.subject_id = person;
        auto tz = time_zone_of(db, config, to);
        r.occurs_at = to_unix(at_local(*day, 0, tz));
        r.due_at = to_unix(at_local(*day, nudge_minute(config), tz));
        r.useful_until = r.due_at + std::chrono::seconds{kNudgeUseful}.count();
        outbox.plan(r, now);
    }
}

int rezone_reminders(storage::Database& db, const Config& config, const std::string& person,
                     const std::string& from_tz, const std::string& to_tz, TimePoint now) {
    if (from_tz == to_tz) return 0;
    auto rows = storage::ReminderOutbox(db).pending_for(person);
    KindContext c{db, config, now};
    for (const auto& row : rows) {
        const ReminderKind* kind = reminder_kind(row.kind);
        if (kind != nullptr && kind->rezone != nullptr) kind->rezone(c, row, from_tz, to_tz);
    }
    return static_cast<int>(rows.size());
}

}  // namespace careerbot::scheduler
