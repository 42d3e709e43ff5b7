#include "storage/reminder_outbox.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, key, kind, recipient_id, subject_id, ref_id, occurs_at, due_at, useful_until, state, "
    "reason, attempts, claimed_at, payload, message_ts, sent_at, last_error, updated_at";

Reminder read_reminder(const Database::Statement& q) {
    Reminder r;
    // NULL texts (reason, payload, message_ts, last_error) read as "".
    q.read(r.id, r.key, r.kind, r.recipient_id, r.subject_id, r.ref_id, r.occurs_at, r.due_at,
           r.useful_until, r.state, r.reason, r.attempts, r.claimed_at, r.payload, r.message_ts,
           r.sent_at, r.last_error, r.updated_at);
    return r;
}

std::vector<Reminder> read_all(Database::Statement& q) {
    std::vector<Reminder> out;
    while (q.step()) out.push_back(read_reminder(q));
    return out;
}

}  // namespace

bool ReminderOutbox::plan(const Reminder& r, TimePoint now) {
    auto q = db_.prepare(
        "INSERT INTO reminders (key, kind, recipient_id, subject_id, ref_id, "
        "occurs_at, due_at, useful_until, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING");
    q.bind(r.key, r.kind, r.recipient_id, r.subject_id, r.ref_id, r.occurs_at, r.due_at,
           r.useful_until, now, now);
    return q.exec() > 0;
}

bool ReminderOutbox::move_pending(const Reminder& r, TimePoint now) {
    auto q = db_.prepare(
        "UPDATE reminders SET occurs_at = ?, due_at = ?, useful_until = ?, "
        "updated_at = ? WHERE key = ? AND state = 'pending' AND "
        "(due_at <> ? OR useful_until <> ? OR occurs_at IS DISTINCT FROM ?)");
    q.bind(r.occurs_at, r.due_at, r.useful_until, now, r.key, r.due_at, r.useful_until,
           r.occurs_at);
    return q.exec() > 0;
}

std::optional<int64_t> ReminderOutbox::next_due() {
    auto q = db_.prepare("SELECT MIN(due_at) FROM reminders WHERE state = 'pending'");
    if (!q.step() || q.is_null(0)) return std::nullopt;
    return q.get<int64_t>(0);
}

std::vector<Reminder> ReminderOutbox::due(int64_t now_unix, int limit) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM reminders WHERE state = 'pending' AND due_at <= ? "
                         "ORDER BY due_at, id LIMIT ?");
    q.bind(now_unix, limit);
    return read_all(q);
}

std::vector<Reminder> ReminderOutbox::pending_for(const std::string& recipient_id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM reminders WHERE state = 'pending' AND recipient_id = ? "
                         "ORDER BY due_at, id");
    q.bind(recipient_id);
    return read_all(q);
}

std::vector<Reminder> ReminderOutbox::sending() {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM reminders WHERE state = 'sending' "
                         "ORDER BY claimed_at, id");
    return read_all(q);
}

std::optional<Reminder> ReminderOutbox::find(int64_t id) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns + " FROM reminders WHERE id = ?");
    q.bind(id);
    if (!q.step()) return std::nullopt;
    return read_reminder(q);
}

std::optional<Reminder> ReminderOutbox::find_key(const std::string& key) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns + " FROM reminders WHERE key = ?");
    q.bind(key);
    if (!q.step()) return std::nullopt;
    return read_reminder(q);
}

bool ReminderOutbox::claim(int64_t id, const std::string& payload, TimePoint now) {
    auto q = db_.prepare(
        "UPDATE reminders SET state = 'sending', payload = ?, "
        "claimed_at = COALESCE(claimed_at, ?), attempts = attempts + 1, "
        "updated_at = ? WHERE id = ? AND state = 'pending'");
    q.bind(payload, now, now, id);
    return q.exec() > 0;
}

bool ReminderOutbox::reclaim(int64_t id, int64_t seen_updated_at, TimePoint now) {
    auto q = db_.prepare(
        "UPDATE reminders SET updated_at = ? WHERE id = ? AND state = 'sending' AND "
        "updated_at = ?");
    q.bind(now, id, seen_updated_at);
    return q.exec() > 0;
}

bool ReminderOutbox::mark_sent(int64_t id, const std::string& ts, TimePoint now) {
    auto q = db_.prepare(
        "UPDATE reminders SET state = 'sent', message_ts = ?, sent_at = ?, "
        "payload = NULL, last_error = NULL, updated_at = ? WHERE id = ? AND "
        "state = 'sending'");
    q.bind(ts, now, now, id);
    return q.exec() > 0;
}

bool ReminderOutbox::retry_later(int64_t id, int64_t retry_at, const std::string& error,
                                 TimePoint now) {
    auto q = db_.prepare(
        "UPDATE reminders SET state = 'pending', due_at = ?, last_error = ?, "
        "updated_at = ? WHERE id = ? AND state IN ('pending', 'sending')");
    q.bind(retry_at, error, now, id);
    return q.exec() > 0;
}

bool ReminderOutbox::finish(int64_t id, const std::string& state, const std::string& reason,
                            TimePoint now) {
    auto q = db_.prepare(
        "UPDATE reminders SET state = ?, reason = ?, payload = NULL, "
        "updated_at = ? WHERE id = ? AND state IN ('pending', 'sending')");
    q.bind(state, reason, now, id);
    return q.exec() > 0;
}

int ReminderOutbox::skip_pending(const std::string& kind, int64_t ref_id, const std::string& reason,
                                 TimePoint now, std::optional<int64_t> occurs_until) {
    auto q = db_.prepare(
        "UPDATE reminders SET state = 'skipped', reason = ?, updated_at = ? "
        "WHERE kind = ? AND ref_id = ? AND state = 'pending' AND "
        "(CAST(? AS BIGINT) IS NULL OR occurs_at <= ?)");
    q.bind(reason, now, kind, ref_id, occurs_until, occurs_until);
    return q.exec();
}

int ReminderOutbox::revive(const std::string& kind, int64_t ref_id, const std::string& reason,
                           TimePoint now) {
    auto q = db_.prepare(
        "UPDATE reminders SET state = 'pending', reason = NULL, updated_at = ? "
        "WHERE kind = ? AND ref_id = ? AND state = 'skipped' AND reason = ? AND "
        "useful_until > ?");
    q.bind(now, kind, ref_id, reason, now);
    return q.exec();
}

std::vector<Reminder> ReminderOutbox::skipped_for_away(const std::string& subject_id, int64_t from,
                                                       int64_t to) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM reminders WHERE subject_id = ? AND due_at > ? AND "
                         "due_at <= ? AND state = 'skipped' AND "
                         "reason LIKE 'away:%' ORDER BY due_at, id");
    q.bind(subject_id, from, to);
    return read_all(q);
}

std::vector<ReminderOutbox::Change> ReminderOutbox::changes(int limit) {
    auto q = db_.prepare("SELECT seq, kind, ref FROM reminder_changes ORDER BY seq LIMIT ?");
    q.bind(limit);
    std::vector<Change> out;
    while (q.step()) {
        auto& c = out.emplace_back();
        q.read(c.seq, c.kind, c.ref);
    }
    return out;
}

void ReminderOutbox::forget_changes(int64_t seq) {
    auto q = db_.prepare("DELETE FROM reminder_changes WHERE seq <= ?");
    q.bind(seq);
    q.exec();
}

int ReminderOutbox::supersede_checkins(const std::string& subject_id, const std::string& key_prefix,
                                       TimePoint now) {
    return db_
        .prepare(
            "UPDATE reminders SET state = 'skipped', reason = 'superseded', "
            "updated_at = ? WHERE subject_id = ? AND kind = 'checkin' AND "
            "state = 'pending' AND substr(key, 1, ?) <> ?")
        .bind(now, subject_id, static_cast<int>(key_prefix.size()), key_prefix)
        .exec();
}

}  // namespace careerbot::storage
