#include "storage/reminder_outbox.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, key, kind, recipient_id, subject_id, ref_id, occurs_at, due_at, useful_until, state, "
    "reason, attempts, claimed_at, payload, message_ts, sent_at, last_error";

std::string text_or_empty(SQLite::Statement& q, int col) {
    return q.getColumn(col).isNull() ? std::string() : q.getColumn(col).getString();
}

std::optional<int64_t> int_or_null(SQLite::Statement& q, int col) {
    if (q.getColumn(col).isNull()) return std::nullopt;
    return q.getColumn(col).getInt64();
}

Reminder read_reminder(SQLite::Statement& q) {
    Reminder r;
    r.id = q.getColumn(0).getInt64();
    r.key = q.getColumn(1).getString();
    r.kind = q.getColumn(2).getString();
    r.recipient_id = q.getColumn(3).getString();
    r.subject_id = q.getColumn(4).getString();
    r.ref_id = int_or_null(q, 5);
    r.occurs_at = int_or_null(q, 6);
    r.due_at = q.getColumn(7).getInt64();
    r.useful_until = q.getColumn(8).getInt64();
    r.state = q.getColumn(9).getString();
    r.reason = text_or_empty(q, 10);
    r.attempts = q.getColumn(11).getInt();
    r.claimed_at = int_or_null(q, 12);
    r.payload = text_or_empty(q, 13);
    r.message_ts = text_or_empty(q, 14);
    r.sent_at = int_or_null(q, 15);
    r.last_error = text_or_empty(q, 16);
    return r;
}

std::vector<Reminder> read_all(SQLite::Statement& q) {
    std::vector<Reminder> out;
    while (q.executeStep()) out.push_back(read_reminder(q));
    return out;
}

}  // namespace

bool ReminderOutbox::plan(const Reminder& r, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO reminders (key, kind, recipient_id, subject_id, ref_id, "
                        "occurs_at, due_at, useful_until, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING");
    q.bind(1, r.key);
    q.bind(2, r.kind);
    q.bind(3, r.recipient_id);
    q.bind(4, r.subject_id);
    if (r.ref_id)
        q.bind(5, *r.ref_id);
    else
        q.bind(5);
    if (r.occurs_at)
        q.bind(6, *r.occurs_at);
    else
        q.bind(6);
    q.bind(7, r.due_at);
    q.bind(8, r.useful_until);
    q.bind(9, to_unix(now));
    q.bind(10, to_unix(now));
    return q.exec() > 0;
}

bool ReminderOutbox::move_pending(const Reminder& r, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE reminders SET occurs_at = ?, due_at = ?, useful_until = ?, "
                        "updated_at = ? WHERE key = ? AND state = 'pending' AND "
                        "(due_at <> ? OR useful_until <> ? OR occurs_at IS NOT ?)");
    if (r.occurs_at)
        q.bind(1, *r.occurs_at);
    else
        q.bind(1);
    q.bind(2, r.due_at);
    q.bind(3, r.useful_until);
    q.bind(4, to_unix(now));
    q.bind(5, r.key);
    q.bind(6, r.due_at);
    q.bind(7, r.useful_until);
    if (r.occurs_at)
        q.bind(8, *r.occurs_at);
    else
        q.bind(8);
    return q.exec() > 0;
}

std::optional<int64_t> ReminderOutbox::next_due() {
    SQLite::Statement q(db_.sql(), "SELECT MIN(due_at) FROM reminders WHERE state = 'pending'");
    if (!q.executeStep() || q.getColumn(0).isNull()) return std::nullopt;
    return q.getColumn(0).getInt64();
}

std::vector<Reminder> ReminderOutbox::due(int64_t now_unix, int limit) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM reminders WHERE state = 'pending' AND due_at <= ? "
                                       "ORDER BY due_at, id LIMIT ?");
    q.bind(1, now_unix);
    q.bind(2, limit);
    return read_all(q);
}

std::vector<Reminder> ReminderOutbox::sending() {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM reminders WHERE state = 'sending' "
                                       "ORDER BY claimed_at, id");
    return read_all(q);
}

std::optional<Reminder> ReminderOutbox::find(int64_t id) {
    SQLite::Statement q(db_.sql(),
                        std::string("SELECT ") + kColumns + " FROM reminders WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_reminder(q);
}

std::optional<Reminder> ReminderOutbox::find_key(const std::string& key) {
    SQLite::Statement q(db_.sql(),
                        std::string("SELECT ") + kColumns + " FROM reminders WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    return read_reminder(q);
}

bool ReminderOutbox::claim(int64_t id, const std::string& payload, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE reminders SET state = 'sending', payload = ?, "
                        "claimed_at = COALESCE(claimed_at, ?), attempts = attempts + 1, "
                        "updated_at = ? WHERE id = ? AND state = 'pending'");
    q.bind(1, payload);
    q.bind(2, to_unix(now));
    q.bind(3, to_unix(now));
    q.bind(4, id);
    return q.exec() > 0;
}

bool ReminderOutbox::mark_sent(int64_t id, const std::string& ts, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE reminders SET state = 'sent', message_ts = ?, sent_at = ?, "
                        "payload = NULL, last_error = NULL, updated_at = ? WHERE id = ? AND "
                        "state = 'sending'");
    q.bind(1, ts);
    q.bind(2, to_unix(now));
    q.bind(3, to_unix(now));
    q.bind(4, id);
    return q.exec() > 0;
}

bool ReminderOutbox::retry_later(int64_t id, int64_t retry_at, const std::string& error,
                                 TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE reminders SET state = 'pending', due_at = ?, last_error = ?, "
                        "updated_at = ? WHERE id = ? AND state IN ('pending', 'sending')");
    q.bind(1, retry_at);
    q.bind(2, error);
    q.bind(3, to_unix(now));
    q.bind(4, id);
    return q.exec() > 0;
}

bool ReminderOutbox::finish(int64_t id, const std::string& state, const std::string& reason,
                            TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE reminders SET state = ?, reason = ?, payload = NULL, "
                        "updated_at = ? WHERE id = ? AND state IN ('pending', 'sending')");
    q.bind(1, state);
    q.bind(2, reason);
    q.bind(3, to_unix(now));
    q.bind(4, id);
    return q.exec() > 0;
}

int ReminderOutbox::skip_pending(const std::string& kind, int64_t ref_id, const std::string& reason,
                                 TimePoint now, std::optional<int64_t> occurs_until) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE reminders SET state = 'skipped', reason = ?, updated_at = ? "
                        "WHERE kind = ? AND ref_id = ? AND state = 'pending' AND "
                        "(? IS NULL OR occurs_at <= ?)");
    q.bind(1, reason);
    q.bind(2, to_unix(now));
    q.bind(3, kind);
    q.bind(4, ref_id);
    if (occurs_until) {
        q.bind(5, *occurs_until);
        q.bind(6, *occurs_until);
    } else {
        q.bind(5);
        q.bind(6);
    }
    return q.exec();
}

int ReminderOutbox::revive(const std::string& kind, int64_t ref_id, const std::string& reason,
                           TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE reminders SET state = 'pending', reason = NULL, updated_at = ? "
                        "WHERE kind = ? AND ref_id = ? AND state = 'skipped' AND reason = ? AND "
                        "useful_until > ?");
    q.bind(1, to_unix(now));
    q.bind(2, kind);
    q.bind(3, ref_id);
    q.bind(4, reason);
    q.bind(5, to_unix(now));
    return q.exec();
}

std::vector<Reminder> ReminderOutbox::skipped_for_away(const std::string& subject_id, int64_t from,
                                                       int64_t to) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM reminders WHERE subject_id = ? AND due_at > ? AND "
                                       "due_at <= ? AND state = 'skipped' AND "
                                       "reason LIKE 'away:%' ORDER BY due_at, id");
    q.bind(1, subject_id);
    q.bind(2, from);
    q.bind(3, to);
    return read_all(q);
}

std::vector<ReminderOutbox::Change> ReminderOutbox::changes(int limit) {
    SQLite::Statement q(db_.sql(),
                        "SELECT seq, kind, ref FROM reminder_changes ORDER BY seq LIMIT ?");
    q.bind(1, limit);
    std::vector<Change> out;
    while (q.executeStep()) {
        out.push_back(
            {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString()});
    }
    return out;
}

void ReminderOutbox::forget_changes(int64_t seq) {
    SQLite::Statement q(db_.sql(), "DELETE FROM reminder_changes WHERE seq <= ?");
    q.bind(1, seq);
    q.exec();
}

}  // namespace careerbot::storage
