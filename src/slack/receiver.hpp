#pragma once
// The receiver: the io thread of `careerbot run`. Envelopes come in from the socket and go to
// the commit queue (or, read-only and slow, to the deferred reader); acks go out once their
// batch committed, shaped by shape_ack(). It keeps the table of envelopes waiting for their
// ack, acks slash commands and interactions empty at the early-ack deadline (journaling them,
// see ack_journal.hpp), drops repeated deliveries, refuses politely while shutting down, and
// runs the shutdown sequence. Everything runs on the io thread; no websocket needed in tests
// (test_receiver.cpp drives it through a fake AckSocket).
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <spdlog/logger.h>

#include "src/core/clock.hpp"
#include "src/core/metrics.hpp"
#include "src/slack/ack_journal.hpp"
#include "src/slack/commit_queue.hpp"
#include "src/slack/envelope.hpp"
#include "src/slack/recent_ids.hpp"
#include "src/slack/socket_mode.hpp"

namespace careerbot::slack {

/// What the receiver needs of the socket: SocketModeClient in production, a fake in tests.
class AckSocket {
  public:
    virtual ~AckSocket() = default;
    /// Sends an ack frame on `connection` (or the live one).
    virtual void ack(ConnectionId connection, std::string text) = 0;
    /// Runs `fn` on the io thread.
    virtual void post(std::function<void()> fn) = 0;
    /// Runs `fn` on the io thread after `delay`.
    virtual void post_after(std::chrono::milliseconds delay, std::function<void()> fn) = 0;
    /// Sends close frames after the queued acks, then calls `closed` on the io thread.
    virtual void shutdown(std::function<void()> closed) = 0;
    /// Ends the io loop.
    virtual void stop() = 0;
};

/// What the receiver hands on. All called on the io thread.
struct ReceiverHooks {
    /// True when this slash command runs read-only on the deferred reader.
    std::function<bool(const Request&)> is_deferred;
    /// Runs a deferred command (already acked) and answers it through its response_url.
    std::function<void(Request)> run_deferred;
    /// Queues an envelope's job on the commit queue.
    std::function<void(Job)> submit;
    /// Calls `done` once everything queued so far has committed (CommitQueue::flush).
    std::function<void(std::function<void()>)> flush;
    /// Sends what is left of a reply after its ack (a message not in the ack, pages, modals,
    /// files, App Home).
    std::function<void(Reply, ReplyTarget, bool message_in_ack)> follow_up;
    /// Sends the DMs a batch stored in the outbox.
    std::function<void(std::vector<std::pair<storage::OutboxRow, DirectMessage>>)> send_dms;
    /// Posts `text` ephemerally to `response_url` (a user refused while shutting down).
    std::function<void(const std::string& response_url, const std::string& text)> tell;
};

struct ReceiverOptions {
    /// Slash commands and interactions not committed by then are acked empty.
    std::chrono::milliseconds ack_deadline{2500};
    /// SIGTERM to exit, at most.
    std::chrono::milliseconds shutdown_budget{5000};
    /// How often the early-ack deadline is checked.
    std::chrono::milliseconds sweep_every{200};
    /// Envelope ids remembered against repeated deliveries (Slack repeats one within seconds).
    std::size_t recent_envelopes = 8192;
    /// Counts acks (before each is sent, so a scrape after an ack sees it); null: not counted.
    Metrics* metrics = nullptr;
};

/// What a user is told when their envelope arrives while careerbot shuts down.
extern const char* const kRestartingText;

class Receiver {
  public:
    using SteadyTime = std::chrono::steady_clock::time_point;

    /// `clock` stamps journal entries; `steady_now` is the time the ack deadline is measured
    /// in (injected by tests).
    Receiver(
        AckSocket& socket, AckJournal& journal, const Clock& clock, ReceiverOptions options,
        ReceiverHooks hooks,
        std::function<SteadyTime()> steady_now = [] { return std::chrono::steady_clock::now(); });

    /// Starts the early-ack sweep (io thread).
    void start();
    /// An envelope arrived on `connection` (SocketModeCallbacks::on_envelope).
    void on_envelope(Envelope&& env, ConnectionId connection);
    /// A batch committed (or failed): its acks, follow-ups and DMs.
    void on_outcomes(std::vector<Outcome>& outcomes);
    /// Acks empty what is about to miss Slack's deadline; its answer then goes via
    /// response_url. Reschedules itself until shutdown.
    void sweep();
    /// The bot should stop (SocketModeCallbacks::on_stop): commit and ack what is in flight,
    /// then close the sockets.
    void on_stop(int code, const std::string& why);

    /// Envelopes received and not acked yet.
    std::size_t pending() const { return pending_.size(); }
    int exit_code() const { return exit_code_; }
    /// When on_stop() first ran.
    std::optional<SteadyTime> stop_started() const { return stop_started_; }

  private:
    /// An envelope received and not yet acked.
    struct Pending {
        ConnectionId connection = 0;
        SteadyTime received;
        SteadyTime deadline;
        bool may_ack_early = false;  ///< slash commands and interactions
        std::string response_url;    ///< where the answer goes if it is acked early
        std::string what;            ///< what the user did, for the ack journal
    };

    void refuse_while_stopping(const Envelope& env, ConnectionId connection);
    template <class T>
    void enqueue(const std::string& envelope_id, ConnectionId connection, T&& item,
                 bool may_ack_early);
    void ack_now(ConnectionId connection, const std::string& envelope_id);
    /// Counts an ack about to be sent (`latency` since its envelope arrived, when measured).
    /// Counted before socket_.ack(): whoever sees the ack must see it counted.
    void count_ack(std::optional<std::chrono::nanoseconds> latency, bool late = false);

    AckSocket& socket_;
    AckJournal& journal_;
    const Clock& clock_;
    ReceiverOptions options_;
    ReceiverHooks hooks_;
    std::function<SteadyTime()> steady_now_;
    std::shared_ptr<spdlog::logger> log_;

    std::unordered_map<std::string, Pending> pending_;
    /// Envelope ids already taken in, so a repeated delivery runs once.
    RecentIds recent_envelopes_;
    bool stopping_ = false;
    int exit_code_ = 0;
    std::optional<SteadyTime> stop_started_;
};

}  // namespace careerbot::slack
