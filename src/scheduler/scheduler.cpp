#include "src/scheduler/scheduler.hpp"

#include <algorithm>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/scheduler/messages.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/checkins.hpp"
#include "storage/people.hpp"
#include "storage/reminder_away.hpp"
#include "storage/tasks.hpp"

namespace careerbot::scheduler {
namespace {
using nlohmann::json;

/// Overdue and check-in nudges stay worth sending this long after their moment.
constexpr std::chrono::hours kNudgeUseful{24 * 14};

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

std::string pages_to_json(const std::vector<Message>& pages) {
    json out = json::array();
    for (const auto& p : pages) out.push_back({{"text", p.text}, {"blocks", p.blocks}});
    return out.dump();
}

std::vector<Message> pages_from_json(const std::string& payload) {
    std::vector<Message> out;
    auto j = json::parse(payload, nullptr, false);
    if (!j.is_array()) return out;
    for (const auto& p : j) out.push_back({p.value("text", ""), p.value("blocks", json::array())});
    return out;
}

int nudge_minute(const Config& config) {
    return parse_time_of_day(config.reminders.task_nudge_time).value_or(9 * 60);
}

}  // namespace

std::string page_key(const std::string& key, std::size_t index) {
    return index == 0 ? key : key + "#" + std::to_string(index + 1);
}

TimePoint plan_one_on_one(storage::Database& db, const Config& config, const storage::OneOnOne& s,
                          TimePoint now) {
    TimePoint occ = next_live_occurrence(s, now);
    storage::Reminder r;
    r.key = "1on1:" + std::to_string(s.id) + ":" + std::to_string(unix_of(occ));
    r.kind = "one_on_one";
    r.recipient_id = s.manager_id;
    r.subject_id = s.report_id;
    r.ref_id = s.id;
    r.occurs_at = unix_of(occ);
    r.due_at = unix_of(occ - config.reminders.one_on_one_lead);
    r.useful_until = unix_of(occ);
    db.write([&] { storage::ReminderOutbox(db).plan(r, now); });
    return occ;
}

TimePoint skip_next_one_on_one(storage::Database& db, const Config& config,
                               const storage::OneOnOne& schedule, const std::string& by,
                               TimePoint now) {
    TimePoint skipped = next_live_occurrence(schedule, now);
    db.write([&] {
        storage::ScheduleRepo schedules(db);
        schedules.set_skip_until(schedule.id, unix_of(skipped), now);
        schedules.record_skip(schedule.id, unix_of(skipped), by, now);
        storage::ReminderOutbox(db).skip_pending("one_on_one", schedule.id, "skip", now,
                                                 unix_of(skipped));
        auto updated = schedule;
        updated.skip_until = unix_of(skipped);
        plan_one_on_one(db, config, updated, now);
    });
    return skipped;
}

bool cancel_one_on_one(storage::Database& db, int64_t schedule_id, TimePoint now) {
    bool cancelled = false;
    db.write([&] {
        cancelled = storage::ScheduleRepo(db).cancel(schedule_id, now);
        storage::ReminderOutbox(db).skip_pending("one_on_one", schedule_id, "cancelled", now);
    });
    return cancelled;
}

std::optional<TimePoint> snooze_reminder(storage::Database& db, int64_t reminder_id,
                                         const std::string& user, TimePoint now) {
    storage::ReminderOutbox outbox(db);
    auto row = outbox.find(reminder_id);
    TimePoint when = now + kSnooze;
    if (!row || row->recipient_id != user || row->kind != "one_on_one" ||
        unix_of(when) >= row->useful_until) {
        return std::nullopt;
    }
    storage::Reminder copy = *row;
    // One snooze per press-minute: a double click does not plan two messages.
    copy.key = "snooze:" + row->key + ":" + std::to_string(unix_of(now) / 60);
    copy.due_at = unix_of(when);
    db.write([&] { outbox.plan(copy, now); });
    return when;
}

Scheduler::Scheduler(storage::Database& db, const Config& config, const Clock& clock,
                     ReminderSender& sender, SchedulerOptions options)
    : db_(db), config_(config), clock_(clock), sender_(sender), options_(options), outbox_(db) {}

int Scheduler::sync() {
    TimePoint now = clock_.now();
    int looked_at = 0;
    // Triggers record every change to tasks and check-ins in the writer's own transaction;
    // planning is idempotent, so a change seen twice (a crash before the delete) is harmless.
    for (;;) {
        bool more = false;
        db_.write([&] {
            auto batch = outbox_.changes(options_.plan_batch);
            std::set<std::string> tasks;
            std::set<std::string> people;
            for (const auto& c : batch) (c.kind == "task" ? tasks : people).insert(c.ref);
            for (const auto& id : tasks) plan_task(std::stoll(id), now);
            for (const auto& p : people) plan_checkin(p, now);
            if (!batch.empty()) outbox_.forget_changes(batch.back().seq);
            looked_at += static_cast<int>(batch.size());
            more = static_cast<int>(batch.size()) == options_.plan_batch;
        });
        if (!more) return looked_at;
        std::this_thread::yield();  // let a waiting writer (the acks) in between batches
    }
}

void Scheduler::plan_task(int64_t task_id, TimePoint now) {
    auto task = task_by_id(db_, task_id);
    if (!task) {
        // Cancelled or deleted: it left `tasks`, and nothing planned for it is sent.
        std::string why = task_gone_reason(db_, task_id);
        outbox_.skip_pending("task_due", task_id, why, now);
        outbox_.skip_pending("task_overdue", task_id, why, now);
        return;
    }
    if (task->done()) {
        outbox_.skip_pending("task_due", task->id, "done", now);
        outbox_.skip_pending("task_overdue", task->id, "done", now);
        return;
    }
    // Reopened or un-cancelled: nudges skipped for that matter again (if not past their use).
    for (const char* why : {"done", "cancelled"}) {
        outbox_.revive("task_due", task->id, why, now);
        outbox_.revive("task_overdue", task->id, why, now);
    }
    auto due = parse_iso_day(task->due_on);
    if (!due) return;
    auto tz = tz_of(db_, config_, task->assignee_id);
    int minute = nudge_minute(config_);

    storage::Reminder soon;
    soon.key = "task_due:" + std::to_string(task->id) + ":" + task->due_on;
    soon.kind = "task_due";
    soon.recipient_id = soon.subject_id = task->assignee_id;
    soon.ref_id = task->id;
    soon.occurs_at = unix_of(at_local(*due, 0, tz));
    soon.due_at =
        unix_of(at_local(*due - date::days{config_.reminders.task_due_lead_days}, minute, tz));
    soon.useful_until = unix_of(at_local(*due + date::days{1}, 0, tz));
    // A task written down after its nudge moment needs no nudge: its author just saw it.
    if (soon.due_at > task->created_at) outbox_.plan(soon, now);

    storage::Reminder late = soon;
    late.key = "task_overdue:" + std::to_string(task->id);
    late.kind = "task_overdue";
    late.due_at = unix_of(at_local(*due + date::days{1}, minute, tz));
    late.useful_until = late.due_at + std::chrono::seconds{kNudgeUseful}.count();
    // The overdue nudge is once per task (its key has no date): a moved due date moves it.
    if (!outbox_.plan(late, now)) outbox_.move_pending(late, now);
}

void Scheduler::plan_checkin(const std::string& person, TimePoint now) {
    auto next = storage::CheckinRepo(db_).next_due(person);
    auto day = next ? parse_iso_day(*next) : std::nullopt;
    // With no check-in left (the only one was undone) every pending nudge is superseded.
    std::string prefix = "checkin:" + person + ":" + (day ? *next : std::string("-")) + ":";
    // A moved due date supersedes the nudges planned for the old one.
    outbox_.supersede_checkins(person, prefix, now);
    if (!day) return;

    std::vector<std::string> recipients{person};
    auto p = storage::PeopleRepo(db_).find(person);
    if (p && p->manager_id) recipients.push_back(*p->manager_id);
    for (const auto& to : recipients) {
        storage::Reminder r;
        r.key = prefix + to;
        r.kind = "checkin";
        r.recipient_id = to;
        r.subject_id = person;
        auto tz = tz_of(db_, config_, to);
        r.occurs_at = unix_of(at_local(*day, 0, tz));
        r.due_at = unix_of(at_local(*day, nudge_minute(config_), tz));
        r.useful_until = r.due_at + std::chrono::seconds{kNudgeUseful}.count();
        outbox_.plan(r, now);
    }
}

std::optional<TimePoint> Scheduler::next_due() {
    auto due = outbox_.next_due();
    if (!due) return std::nullopt;
    return from_unix(*due);
}

void Scheduler::count(RunStats& stats, Outcome o) {
    switch (o) {
        case Outcome::Sent:
            ++stats.sent;
            break;
        case Outcome::Skipped:
            ++stats.skipped;
            break;
        case Outcome::Dropped:
            ++stats.dropped;
            break;
        case Outcome::Retried:
            ++stats.retried;
            break;
        case Outcome::Recovered:
            ++stats.recovered;
            break;
        case Outcome::Busy:
            break;
    }
}

RunStats Scheduler::run_due(TimePoint now) {
    RunStats stats;
    int64_t now_unix = unix_of(now);
    // Rows planned while running for a moment already past (the next occurrence of a 1:1
    // after a long outage) are picked up by the next query of the same run. Retried rows
    // moved into the future, so a batch of only those means the run is over.
    for (;;) {
        auto rows = outbox_.due(now_unix, options_.batch);
        int progressed = 0;
        for (const auto& r : rows) {
            auto o = process(r.id, now);
            count(stats, o);
            if (o != Outcome::Busy && o != Outcome::Retried) ++progressed;
        }
        if (progressed == 0) break;
    }
    return stats;
}

Scheduler::Outcome Scheduler::process(int64_t id, TimePoint now) {
    auto log = logger("scheduler");
    Outcome outcome = Outcome::Busy;
    std::optional<storage::Reminder> claimed;
    std::vector<Message> pages;
    db_.write([&] {
        auto row = outbox_.find(id);
        if (!row || row->state != "pending") return;
        if (unix_of(now) > row->useful_until) {
            outbox_.finish(id, "dropped", "missed: no longer useful", now);
            log->warn("reminder {} dropped: due at {} but no longer useful at {}", row->key,
                      row->due_at, unix_of(now));
            after_finished(*row, now);
            outcome = Outcome::Dropped;
            return;
        }
        if (auto reason = skip_reason(*row, now)) {
            outbox_.finish(id, "skipped", *reason, now);
            log->info("reminder {} skipped: {}", row->key, *reason);
            after_finished(*row, now);
            outcome = Outcome::Skipped;
            return;
        }
        // A retry resends the very pages of the first attempt, so page keys stay stable.
        pages = row->payload.empty() ? render(*row, now) : pages_from_json(row->payload);
        if (pages.empty()) pages = render(*row, now);
        if (pages.empty()) {
            outbox_.finish(id, "skipped", "nothing to send", now);
            after_finished(*row, now);
            outcome = Outcome::Skipped;
            return;
        }
        if (!outbox_.claim(id, pages_to_json(pages), now)) return;
        claimed = row;
    });
    if (!claimed) return outcome;
    // The claim is committed before anything goes to Slack: a crash from here on leaves the
    // row in `sending`, which recover() settles by asking Slack.
    auto fresh = outbox_.find(id);
    return deliver(*fresh, pages, claimed->attempts > 0, now);
}

Scheduler::Outcome Scheduler::deliver(const storage::Reminder& row,
                                      const std::vector<Message>& pages, bool check_first,
                                      TimePoint now) {
    auto log = logger("scheduler");
    TimePoint since = from_unix(row.claimed_at.value_or(unix_of(now))) - options_.find_margin;
    std::string first_ts;
    std::string error;
    bool found_all = check_first;
    try {
        for (std::size_t i = 0; i < pages.size(); ++i) {
            auto key = page_key(row.key, i);
            std::optional<std::string> ts;
            if (check_first) ts = sender_.find_sent(row.recipient_id, key, since);
            if (!ts) {
                found_all = false;
                if (unix_of(now) > row.useful_until) {
                    error = "too late";
                    break;
                }
                ts = sender_.send_dm(row.recipient_id, pages[i], key);
            }
            if (!ts) {
                error = "not delivered";
                break;
            }
            if (i == 0) first_ts = *ts;
        }
    } catch (const SenderError& e) {
        error = e.what();
    }

    Outcome outcome = Outcome::Sent;
    db_.write([&] {
        if (error.empty()) {
            outbox_.mark_sent(row.id, first_ts, now);
            outcome = found_all ? Outcome::Recovered : Outcome::Sent;
        } else if (error == "too late" || row.attempts >= options_.max_attempts) {
            outbox_.finish(row.id, "dropped",
                           error == "too late" ? "missed: no longer useful" : "failed: " + error,
                           now);
            log->warn("reminder {} to {} dropped after {} attempts: {}", row.key, row.recipient_id,
                      row.attempts, error);
            outcome = Outcome::Dropped;
        } else {
            auto delay = options_.retry_base * (1 << std::min(row.attempts - 1, 6));
            delay = std::min<std::chrono::seconds>(delay, std::chrono::hours{1});
            outbox_.retry_later(row.id, unix_of(now + delay), error, now);
            log->warn("reminder {} to {} not delivered ({}); retrying in {} s", row.key,
                      row.recipient_id, error, delay.count());
            outcome = Outcome::Retried;
            return;
        }
        after_finished(row, now);
    });
    if (error.empty()) {
        log->info("reminder {} {} to {}", row.key, found_all ? "was already in Slack" : "sent",
                  row.recipient_id);
        if (!found_all) ++metrics().reminders_sent;
    } else {
        ++metrics().reminders_failed;
    }
    return outcome;
}

RunStats Scheduler::recover() {
    RunStats stats;
    TimePoint now = clock_.now();
    for (const auto& row : outbox_.sending()) {
        auto pages = pages_from_json(row.payload);
        if (pages.empty()) pages = render(row, now);
        count(stats, deliver(row, pages, true, now));
    }
    return stats;
}

std::optional<std::string> Scheduler::skip_reason(const storage::Reminder& row, TimePoint now) {
    storage::AwayRepo away(db_);
    auto away_on = [&](const std::string& person,
                       const std::string& day) -> std::optional<std::string> {
        if (away.covering(person, day)) return "away:" + person;
        return std::nullopt;
    };
    auto today_of = [&](const std::string& person) {
        return iso_day(local_day(now, tz_of(db_, config_, person)));
    };
    if (row.kind == "one_on_one") {
        auto s = storage::ScheduleRepo(db_).find(row.ref_id.value_or(0));
        if (!s || s->cancelled_at) return "cancelled";
        if (s->skip_until && row.occurs_at && *row.occurs_at <= *s->skip_until) return "skip";
        if (!storage::PeopleRepo(db_).manages(s->manager_id, s->report_id)) return "not managed";
        // Away on the day of the 1:1 (in the manager's zone, where the 1:1 is kept).
        auto day = iso_day(local_day(from_unix(row.occurs_at.value_or(row.due_at)), s->tz));
        if (auto r = away_on(s->manager_id, day)) return r;
        return away_on(s->report_id, day);
    }
    if (row.kind == "task_due" || row.kind == "task_overdue") {
        auto t = task_by_id(db_, row.ref_id.value_or(0));
        if (!t) return task_gone_reason(db_, row.ref_id.value_or(0));
        if (t->done()) return "done";
        if (row.kind == "task_due" &&
            row.key != "task_due:" + std::to_string(t->id) + ":" + t->due_on) {
            return "moved";
        }
        return away_on(row.recipient_id, today_of(row.recipient_id));
    }
    if (row.kind == "checkin") {
        auto parts = split(row.key, ':');
        auto next = storage::CheckinRepo(db_).next_due(row.subject_id);
        if (parts.size() < 4 || !next || *next != parts[2]) return "superseded";
        return away_on(row.recipient_id, today_of(row.recipient_id));
    }
    return "unknown kind";
}

std::vector<Message> Scheduler::render(const storage::Reminder& row, TimePoint now) {
    if (row.kind == "one_on_one") {
        auto s = storage::ScheduleRepo(db_).find(row.ref_id.value_or(0));
        if (!s) return {};
        return prep_message(db_, config_, *s, from_unix(row.occurs_at.value_or(row.due_at)), now,
                            row.id);
    }
    if (row.kind == "task_due" || row.kind == "task_overdue") {
        auto t = task_by_id(db_, row.ref_id.value_or(0));
        if (!t) return {};
        return {task_nudge(db_, config_, *t, row.kind == "task_overdue", now)};
    }
    if (row.kind == "checkin") {
        auto parts = split(row.key, ':');
        if (parts.size() < 4) return {};
        return {checkin_nudge(db_, config_, row.subject_id, parts[2],
                              row.recipient_id != row.subject_id, now)};
    }
    return {};
}

void Scheduler::after_finished(const storage::Reminder& row, TimePoint now) {
    if (row.kind != "one_on_one" || !row.ref_id || !row.occurs_at) return;
    auto s = storage::ScheduleRepo(db_).find(*row.ref_id);
    if (!s || s->cancelled_at) return;
    // Recurring: the next occurrence after this one (never one already past when the bot was
    // down for weeks: those would only be dropped one by one).
    TimePoint after = std::max(from_unix(*row.occurs_at), now);
    plan_one_on_one(db_, config_, *s, after);
}

ReminderService::ReminderService(storage::Database& db, const Config& config, const Clock& clock,
                                 ReminderSender& sender, SchedulerOptions options)
    : clock_(clock), options_(options), scheduler_(db, config, clock, sender, options) {}

std::optional<TimePoint> ReminderService::next_wakeup() {
    TimePoint now = clock_.now();
    TimePoint poll = now + options_.max_sleep;
    try {
        scheduler_.sync();
        auto due = scheduler_.next_due();
        return due && *due < poll ? *due : poll;
    } catch (const std::exception& e) {
        logger("scheduler")->error("planning reminders failed: {}", e.what());
        return poll;
    }
}

RunStats ReminderService::wake(TimePoint now) {
    RunStats stats;
    try {
        scheduler_.sync();
        auto recovered = scheduler_.recover();
        stats = scheduler_.run_due(now);
        stats.recovered += recovered.recovered;
        stats.sent += recovered.sent;
        stats.dropped += recovered.dropped;
        stats.retried += recovered.retried;
    } catch (const std::exception& e) {
        // The row stays in `sending` and the next wake settles it through recover().
        logger("scheduler")->error("sending reminders failed: {}", e.what());
    }
    return stats;
}

RunStats ReminderService::recover() {
    try {
        return scheduler_.recover();
    } catch (const std::exception& e) {
        logger("scheduler")->error("recovering reminders failed: {}", e.what());
        return {};
    }
}

}  // namespace careerbot::scheduler
