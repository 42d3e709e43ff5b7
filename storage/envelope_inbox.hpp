#pragma once
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// An envelope waiting for answers from Slack (see migration 0014).
struct InboxRow {
    std::string envelope_id;
    std::string kind;      ///< slash_command | event | interactive
    std::string item;      ///< JSON of the request, event or interaction
    std::string answers;   ///< JSON object of what Slack answered so far
    std::string question;  ///< JSON of what it waits for
    int rounds = 0;
};

/// Envelopes stored before their Slack lookups, and the ids of committed batches. Call both
/// inside the batch's Database::write, so they commit with the handlers' writes.
class EnvelopeInboxRepo {
  public:
    explicit EnvelopeInboxRepo(Database& db) : db_(db) {}

    /// Stores or updates the row of `row.envelope_id`.
    void put(const InboxRow& row, TimePoint now);
    /// Removes the row of an envelope that completes; false when there was none (another run,
    /// on this instance or another, completed it first).
    bool remove(const std::string& envelope_id);
    /// Every row, oldest first (a restart resumes them).
    std::vector<InboxRow> all();

    /// Records that these envelopes' writes are in the batch being committed.
    void record_committed(const std::vector<std::string>& envelope_ids, TimePoint now);
    /// True when `envelope_id` was in a batch that committed (within the last hour).
    bool was_committed(const std::string& envelope_id);
    /// Forgets committed batches older than `cutoff`; returns how many.
    int prune_committed(TimePoint cutoff);

  private:
    Database& db_;
};

/// A DM waiting to be sent (see migration 0014).
struct OutboxRow {
    int64_t id = 0;
    std::string key;  ///< in the message's metadata: how a resend finds it in Slack
    std::string user_id;
    std::string message;  ///< {"text", "blocks"}
    TimePoint created_at{};
};

/// DMs decided by handlers, sent after their transaction committed (a transactional outbox).
class OutboxRepo {
  public:
    explicit OutboxRepo(Database& db) : db_(db) {}
    /// Queues a DM inside the current write under a new random key; returns its row.
    OutboxRow add(const std::string& user_id, const std::string& message, TimePoint now);
    /// Removes a DM Slack has (or refused for good).
    void remove(int64_t id);
    /// Every DM still to send, oldest first.
    std::vector<OutboxRow> all();

  private:
    Database& db_;
};

}  // namespace careerbot::storage
