#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// One occurrence of a scheduled message (a row of the `reminders` outbox).
struct Reminder {
    int64_t id = 0;
    std::string key;   ///< unique name of the occurrence, e.g. 1on1:7:1773151200
    std::string kind;  ///< one_on_one, task_due, task_overdue, checkin
    std::string recipient_id;
    std::string subject_id;
    std::optional<int64_t> ref_id;
    std::optional<int64_t> occurs_at;
    int64_t due_at = 0;
    int64_t useful_until = 0;
    std::string state = "pending";  ///< pending, sending, sent, skipped, dropped
    std::string reason;
    int attempts = 0;
    std::optional<int64_t> claimed_at;
    std::string payload;  ///< rendered pages (JSON array) while sending
    std::string message_ts;
    std::optional<int64_t> sent_at;
    std::string last_error;
    int64_t updated_at = 0;  ///< the last change; in `sending`, when it was (re)claimed
};

/// The reminder outbox. Every state change is one parameterised UPDATE guarded by the state
/// it expects, so a row can never move twice.
class ReminderOutbox {
  public:
    explicit ReminderOutbox(Database& db) : db_(db) {}

    /// Inserts a pending row unless one with the same key exists; true when inserted.
    bool plan(const Reminder& r, TimePoint now);
    /// Moves the still-pending row with `r.key` to `r`'s times (a task's new due date); true
    /// when a row moved. Rows already sent, skipped or dropped stay as they are.
    bool move_pending(const Reminder& r, TimePoint now);
    /// The earliest due_at of a pending row: one lookup in a partial index.
    std::optional<int64_t> next_due();
    /// Pending rows with due_at <= `now_unix`, earliest first, at most `limit`.
    std::vector<Reminder> due(int64_t now_unix, int limit);
    /// Rows left in `sending` (by a crash or a failed check), oldest claim first.
    std::vector<Reminder> sending();
    /// The row with this id.
    std::optional<Reminder> find(int64_t id);
    /// Pending rows whose recipient is `recipient_id`, earliest first.
    std::vector<Reminder> pending_for(const std::string& recipient_id);
    /// The row with this key.
    std::optional<Reminder> find_key(const std::string& key);

    /// pending -> sending with the rendered pages; false if it was no longer pending. The first
    /// claim time is kept across retries: it bounds the search for pages already delivered.
    bool claim(int64_t id, const std::string& payload, TimePoint now);
    /// Takes over a row in `sending` whose claim is stale (its instance vanished): moves its
    /// updated_at to `now` if it is still `seen_updated_at`. Of several instances recovering
    /// the same row, exactly one gets true.
    bool reclaim(int64_t id, int64_t seen_updated_at, TimePoint now);
    /// sending -> sent with the first page's ts; forgets the payload.
    bool mark_sent(int64_t id, const std::string& ts, TimePoint now);
    /// pending|sending -> pending again, due at `retry_at`, keeping the payload.
    bool retry_later(int64_t id, int64_t retry_at, const std::string& error, TimePoint now);
    /// pending|sending -> skipped or dropped with a reason.
    bool finish(int64_t id, const std::string& state, const std::string& reason, TimePoint now);
    /// Skips pending rows of `kind` about `ref_id` (a task done, a 1:1 cancelled); returns how
    /// many. With `occurs_until`, only those whose occurrence is at or before it.
    int skip_pending(const std::string& kind, int64_t ref_id, const std::string& reason,
                     TimePoint now, std::optional<int64_t> occurs_until = std::nullopt);
    /// Skips the pending check-in nudges about `subject_id` whose key does not start with
    /// `key_prefix` (planned for a due date since moved); returns how many.
    int supersede_checkins(const std::string& subject_id, const std::string& key_prefix,
                           TimePoint now);
    /// Puts rows of `kind`/`ref_id` skipped for `reason` and not yet past use back to pending.
    int revive(const std::string& kind, int64_t ref_id, const std::string& reason, TimePoint now);
    /// Rows about `subject_id` skipped because someone was away, due in (from, to].
    std::vector<Reminder> skipped_for_away(const std::string& subject_id, int64_t from, int64_t to);

    /// A change to plan reminders for (a row of `reminder_changes`).
    struct Change {
        int64_t seq = 0;
        std::string kind;  ///< task or checkin
        std::string ref;   ///< task id, or the person whose check-in changed
    };
    /// The oldest recorded changes, at most `limit`.
    std::vector<Change> changes(int limit);
    /// Forgets recorded changes up to and including `seq`.
    void forget_changes(int64_t seq);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
