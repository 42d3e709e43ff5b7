#pragma once
// The commit queue: the storage thread of `careerbot run`. Everything that writes the main
// database connection arrives here as a Job (envelopes from the receiver, bookkeeping from the
// Web API side); the thread drains what is queued, runs it as one group commit
// (Database::write_optimistic, one fsync for the batch), and only after COMMIT hands each
// envelope's Outcome back for its ack. Event dedupe (processed_events, stored with the
// handler's writes) and the envelope inbox (envelopes waiting for Slack, committed_envelopes)
// live here. No socket and no Web API: tests drive it directly (test_commit_queue.cpp).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <variant>
#include <vector>

#include <spdlog/logger.h>
#include <nlohmann/json.hpp>

#include "src/core/app.hpp"
#include "src/core/prefetched_lookup.hpp"
#include "src/slack/envelope.hpp"
#include "src/slack/socket_mode.hpp"
#include "src/slack/web_api.hpp"
#include "storage/envelope_inbox.hpp"
#include "storage/people.hpp"

namespace careerbot::slack {

/// Bookkeeping from the Web API side: the DM channel Slack opened for a person.
struct StoreDmChannel {
    std::string user_id;
    std::string channel;
};
/// Bookkeeping from the Web API side: an outbox DM Slack has (or refused for good).
struct OutboxDone {
    int64_t id = 0;
};

/// One unit of work for the storage thread.
struct Job {
    std::string envelope_id;  ///< empty for bookkeeping jobs (nothing to ack)
    ConnectionId connection = 0;
    std::variant<Request, Event, Interaction, storage::Person, StoreDmChannel, OutboxDone> item;
    /// Set when the job resumes from the inbox: what Slack answered so far (see
    /// src/core/prefetched_lookup.hpp). The envelope is acked and its row is in the inbox.
    std::optional<nlohmann::json> answers;
    int rounds = 0;  ///< lookup rounds so far
};

/// What the storage thread hands back to the io thread for one job.
struct Outcome {
    std::string envelope_id;
    ConnectionId connection = 0;
    EnvelopeKind kind = EnvelopeKind::unknown;
    std::string interaction_type;
    Reply reply;
    ReplyTarget target;
    bool failed = false;  ///< the batch did not commit
    /// The handler asked Slack something not fetched yet: the envelope is in the inbox, acked
    /// empty, and runs again once Slack answered.
    std::optional<LookupQuestion> waiting;
    nlohmann::json answers;  ///< with `waiting`: the answers so far
    /// The reply's DMs, stored in the outbox in the same transaction: (row, DM).
    std::vector<std::pair<storage::OutboxRow, DirectMessage>> outbox;
};

/// What the commit queue asks of its host. Called on the storage thread, after the batch's
/// COMMIT returned (or failed), in this order.
struct CommitQueueHooks {
    /// Jobs whose handler asked Slack something: ask it (outside the write) and push the job
    /// again with the answer (`job.answers` and `job.rounds` are already updated).
    std::function<void(Job, LookupQuestion)> ask_slack;
    /// Every job's outcome, in batch order: now the acks may go out.
    std::function<void(std::vector<Outcome>)> committed;
    /// Something in the batch may have added or moved a reminder.
    std::function<void()> reminders_planned;
    /// A person seen for the first time (needs_profile): look them up and push their profile.
    std::function<void(const std::string&)> learn_profile;
    /// Each turn of the loop, after the batch and the pruning.
    std::function<void()> between_batches;
};

/// Lookup rounds after which a handler's further questions are answered "unknown".
constexpr int kMaxLookupRounds = 6;
/// What a user is told when the database file vanished under the running bot.
extern const char* const kReplacedText;

class CommitQueue {
  public:
    /// `services` are the writer connection's (their `metrics` counts duplicates and failed
    /// commits); `app` runs the handlers.
    CommitQueue(const App& app, Services& services, CommitQueueHooks hooks);
    /// stop()s.
    ~CommitQueue();
    CommitQueue(const CommitQueue&) = delete;
    CommitQueue& operator=(const CommitQueue&) = delete;

    /// Starts the storage thread.
    void start();
    /// Queues a job (any thread).
    void push(Job job);
    /// Calls `done` on the storage thread once everything queued before it has committed and
    /// its outcomes were handed on.
    void flush(std::function<void()> done);
    /// Runs what is queued, then ends the storage thread; idempotent.
    void stop();

    /// Runs one batch as a group commit and hands on its outcomes (the storage thread's work;
    /// tests call it directly).
    void run_batch(std::vector<Job>& batch);

    /// How long the batch in progress has been running (zero when idle); any thread.
    std::chrono::steady_clock::duration busy_for(std::chrono::steady_clock::time_point now) const;
    /// True when the last batch did not commit; any thread.
    bool last_commit_failed() const { return last_commit_failed_; }
    /// True once the database file was found deleted or replaced; any thread.
    bool database_replaced() const { return db_replaced_; }

  private:
    void loop();
    void maybe_prune();
    void find_unprofiled(storage::Database& db, const std::vector<std::string>& users,
                         std::vector<std::string>& out);

    const App& app_;
    Services& s_;
    CommitQueueHooks hooks_;
    std::shared_ptr<spdlog::logger> log_;

    std::atomic<int64_t> batch_started_{0};  ///< steady ticks when the current batch began
    std::atomic<bool> last_commit_failed_{false};
    std::atomic<bool> db_replaced_{false};

    std::mutex mutex_;
    std::condition_variable cv_;
    std::vector<Job> queue_;
    std::vector<std::function<void()>> flush_waiters_;
    bool stop_ = false;

    // Storage thread only.
    std::unordered_set<std::string> profiled_;
    std::optional<std::chrono::steady_clock::time_point> last_prune_;
    std::thread thread_;
};

/// Where the follow-ups of a request, an event or an interaction go.
ReplyTarget target_of(const Request& r);
ReplyTarget target_of(const Event& e);
ReplyTarget target_of(const Interaction& in);

/// A message as the outbox stores it, and back.
nlohmann::json outbox_message_json(const Message& m);
Message outbox_message(const std::string& row);

}  // namespace careerbot::slack
