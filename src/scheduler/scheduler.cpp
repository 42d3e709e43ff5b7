#include "src/scheduler/scheduler.hpp"

#include <algorithm>
#include <set>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/scheduler/kinds.hpp"
#include "src/scheduler/occurrence.hpp"
#include "src/scheduler/planning.hpp"

namespace careerbot::scheduler {
namespace {
using nlohmann::json;

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

}  // namespace

std::string page_key(const std::string& key, std::size_t index) {
    return index == 0 ? key : key + "#" + std::to_string(index + 1);
}

Scheduler::Scheduler(storage::Database& db, const Config& config, const Clock& clock,
                     ReminderSender& sender, SchedulerOptions options)
    : db_(db),
      config_(config),
      clock_(clock),
      sender_(sender),
      options_(std::move(options)),
      outbox_(db) {}

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
            for (const auto& id : tasks) plan_task(db_, config_, std::stoll(id), now);
            for (const auto& p : people) plan_checkin(db_, config_, p, now);
            if (!batch.empty()) outbox_.forget_changes(batch.back().seq);
            looked_at += static_cast<int>(batch.size());
            more = static_cast<int>(batch.size()) == options_.plan_batch;
        });
        if (!more) return looked_at;
        std::this_thread::yield();  // let a waiting writer (the acks) in between batches
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
    int64_t now_unix = to_unix(now);
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
        if (to_unix(now) > row->useful_until) {
            outbox_.finish(id, "dropped", "missed: no longer useful", now);
            log->warn("reminder {} dropped: due at {} but no longer useful at {}", row->key,
                      row->due_at, to_unix(now));
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
    TimePoint since = from_unix(row.claimed_at.value_or(to_unix(now))) - options_.find_margin;
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
                if (to_unix(now) > row.useful_until) {
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
            outbox_.retry_later(row.id, to_unix(now + delay), error, now);
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
        if (!found_all && options_.metrics != nullptr) ++options_.metrics->reminders_sent;
    } else {
        if (options_.metrics != nullptr) ++options_.metrics->reminders_failed;
    }
    return outcome;
}

RunStats Scheduler::recover() {
    RunStats stats;
    TimePoint now = clock_.now();
    const bool shared = options_.claim_timeout.count() > 0;
    for (const auto& row : outbox_.sending()) {
        if (shared) {
            // Another instance may be sending this one right now: leave it until its claim is
            // stale, then take it over (one instance wins the reclaim).
            if (from_unix(row.updated_at) + options_.claim_timeout > now) continue;
            bool mine = false;
            db_.write([&] { mine = outbox_.reclaim(row.id, row.updated_at, now); });
            if (!mine) continue;
            logger("scheduler")
                ->warn(
                    "reminder {} was claimed {} s ago and not settled; "
                    "settling it here",
                    row.key, to_unix(now) - row.updated_at);
        }
        auto pages = pages_from_json(row.payload);
        if (pages.empty()) pages = render(row, now);
        count(stats, deliver(row, pages, true, now));
    }
    return stats;
}

// What differs by kind is one row of the kinds table; a kind no row describes is skipped.

std::optional<std::string> Scheduler::skip_reason(const storage::Reminder& row, TimePoint now) {
    const ReminderKind* kind = reminder_kind(row.kind);
    if (!kind) return "unknown kind";
    return kind->skip_reason(KindContext{db_, config_, now}, row);
}

std::vector<Message> Scheduler::render(const storage::Reminder& row, TimePoint now) {
    const ReminderKind* kind = reminder_kind(row.kind);
    if (!kind) return {};
    return kind->render(KindContext{db_, config_, now}, row);
}

void Scheduler::after_finished(const storage::Reminder& row, TimePoint now) {
    const ReminderKind* kind = reminder_kind(row.kind);
    if (kind && kind->after_finished) kind->after_finished(KindContext{db_, config_, now}, row);
}

ReminderService::ReminderService(storage::Database& db, const Config& config, const Clock& clock,
                                 ReminderSender& sender, const SchedulerOptions& options)
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
