// `careerbot run`: wires Socket Mode, the storage thread (group commit) and the Web API.
//
// Threads and who owns what:
//   io thread (run_bot's caller)  SocketModeClient: sockets, acks, timers, signals; the table
//                                 of envelopes waiting for their ack.
//   storage thread                the App and the database: drains every queued envelope, runs
//                                 them in one transaction (each handler in its own savepoint),
//                                 commits, then posts their acks to the io thread.
//   deferred pool                 slow read-only commands on their own connection; acked at once.
//   send pool                     ReplySender::send (follow-ups, modals, DMs, files, App Home).
//   WebApi workers                HTTP.
//   reminder thread               the scheduler (ReminderService) on its own connection: sleeps
//                                 until the next due reminder (at most 60 s), then sends it.
#include "src/slack/bot.hpp"

#include <malloc.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include <spdlog/spdlog.h>

#include "commands/registry.hpp"
#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/core/prefetched_lookup.hpp"
#include "src/scheduler/scheduler.hpp"
#include "src/slack/ack_journal.hpp"
#include "src/slack/ops_server.hpp"
#include "src/slack/recent_ids.hpp"
#include "src/slack/slack_lookup.hpp"
#include "src/slack/slack_reminder_sender.hpp"
#include "src/slack/socket_mode.hpp"
#include "src/slack/web_api.hpp"
#include "storage/checkpointer.hpp"
#include "storage/envelope_inbox.hpp"
#include "storage/events.hpp"
#include "storage/people.hpp"

namespace careerbot::slack {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

/// How long event ids are remembered: well past Slack's last retry (5 minutes).
constexpr auto kEventMemory = std::chrono::hours(2);
/// How often old event ids are pruned.
constexpr auto kPruneEvery = std::chrono::minutes(10);
/// SIGTERM to exit, at most.
constexpr milliseconds kShutdownBudget{5000};
/// Envelope ids remembered against repeated deliveries (Slack repeats one within seconds).
constexpr std::size_t kRecentEnvelopes = 8192;

/// A few threads running queued tasks, for blocking work kept off the io and storage threads.
class WorkerPool {
  public:
    explicit WorkerPool(int threads) { start(threads); }
    ~WorkerPool() { join(); }
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Adds `threads` more threads.
    void start(int threads) {
        for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { loop(); });
    }
    /// Queues `fn`; ignored once join() started.
    void post(std::function<void()> fn) {
        {
            std::lock_guard lock(mutex_);
            if (closed_) return;
            tasks_.push_back(std::move(fn));
        }
        cv_.notify_one();
    }
    /// Runs what is queued, then ends the threads.
    void join() {
        {
            std::lock_guard lock(mutex_);
            closed_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_)
            if (t.joinable()) t.join();
    }

  private:
    void loop() {
        for (;;) {
            std::function<void()> fn;
            {
                std::unique_lock lock(mutex_);
                cv_.wait(lock, [&] { return closed_ || !tasks_.empty(); });
                if (tasks_.empty()) return;
                fn = std::move(tasks_.front());
                tasks_.pop_front();
            }
            try {
                fn();
            } catch (const std::exception& e) {
                logger("slack")->error("background task failed: {}", e.what());
            }
        }
    }

    std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> tasks_;
    bool closed_ = false;
    std::vector<std::thread> threads_;
};

/// Storage-thread bookkeeping that comes back from the Web API side.
struct StoreDmChannel {
    std::string user_id;
    std::string channel;
};
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
    std::optional<json> answers;
    int rounds = 0;  ///< lookup rounds so far
};

/// Lookup rounds after which a handler's further questions are answered "unknown".
constexpr int kMaxLookupRounds = 6;

/// What a user is told when their envelope arrives while careerbot shuts down.
constexpr const char* kRestartingText =
    ":hourglass: careerbot is restarting; nothing was stored. Please try again in a few seconds.";
/// What a user is told when the database file vanished under the running bot.
constexpr const char* kReplacedText =
    ":warning: careerbot's database file was deleted or replaced while it was running, so "
    "nothing was stored. The admins have to restart careerbot; please try again after that.";

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
    json answers;  ///< with `waiting`: the answers so far
    /// The reply's DMs, stored in the outbox in the same transaction: (row, DM).
    std::vector<std::pair<storage::OutboxRow, DirectMessage>> outbox;
};

/// How long a DM stays worth sending.
constexpr auto kOutboxUseful = std::chrono::hours(24);
/// How often DMs Slack could not take yet are tried again.
constexpr auto kOutboxRetryEvery = std::chrono::minutes(1);

/// An envelope received and not yet acked (io thread only).
struct Pending {
    ConnectionId connection = 0;
    SteadyTime received;
    SteadyTime deadline;
    bool may_ack_early = false;  ///< slash commands and interactions: ack empty at the deadline
    std::string response_url;    ///< where the answer goes if it is acked early
    std::string what;            ///< what the user did, for the ack journal
};

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

/// Where an event's follow-up goes.
std::string event_channel(const Event& e) {
    const auto& b = e.body;
    if (b.contains("channel") && b["channel"].is_string()) return b["channel"].get<std::string>();
    if (b.contains("item") && b["item"].is_object() && b["item"].contains("channel") &&
        b["item"]["channel"].is_string())
        return b["item"]["channel"].get<std::string>();
    return {};
}

ReplyTarget target_of(const Request& r) {
    return ReplyTarget{r.user_id, r.channel_id, r.response_url, r.trigger_id, false};
}
ReplyTarget target_of(const Event& e) {
    return ReplyTarget{e.user_id, event_channel(e), "", "", false};
}
ReplyTarget target_of(const Interaction& in) {
    return ReplyTarget{in.user_id, in.channel_id, in.response_url, in.trigger_id,
                       in.type == "block_actions"};
}

/// The envelope kind of a job's item, as stored in the inbox.
const char* inbox_kind(const Job& job) {
    if (std::holds_alternative<Request>(job.item)) return "slash_command";
    if (std::holds_alternative<Event>(job.item)) return "event";
    return "interactive";
}

/// The item of a job as JSON (for the inbox).
json item_json(const Job& job) {
    if (const auto* r = std::get_if<Request>(&job.item)) return to_json(*r);
    if (const auto* e = std::get_if<Event>(&job.item)) return to_json(*e);
    if (const auto* in = std::get_if<Interaction>(&job.item)) return to_json(*in);
    return json::object();
}

/// What the user did, in a few words, for the message after a restart ("`/brag shipped …`").
std::string what_of(const Request& r) {
    std::string text = r.text.size() > 60 ? r.text.substr(0, 60) + "…" : r.text;
    return "`" + r.command + (text.empty() ? "" : " " + text) + "`";
}

/// The outbox's JSON of a message.
json message_row(const Message& m) { return json{{"text", m.text}, {"blocks", m.blocks}}; }
Message message_of_row(const std::string& row) {
    json j = json::parse(row, nullptr, false);
    Message m;
    if (!j.is_object()) return m;
    m.text = j.value("text", "");
    m.blocks = j.value("blocks", json::array());
    return m;
}

/// True when something is left to send after the ack.
bool has_follow_up(const Reply& r, bool message_in_ack) {
    return (r.message && !message_in_ack) || !r.more.empty() || r.open_modal || !r.dms.empty() ||
           !r.files.empty() || r.home_view;
}

/// The host of a URL, for logs (URLs may carry credentials or tickets).
std::string host_of(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find_first_of("/?#", start);
    std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
    if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    return authority;
}

class Bot {
  public:
    Bot(App& app, const Config& config, WebApiOptions api_options, std::string app_token)
        : app_(app),
          config_(config),
          app_token_(std::move(app_token)),
          api_(
              std::move(api_options), [] { return make_curl_http_client(); }, 2),
          sender_(api_, dm_channels_),
          lookup_(api_),
          client_(socket_options(), callbacks()) {
        // Handlers on the storage thread reach Slack only through a PrefetchedLookup, set per
        // job (run_batch); the deferred reader, which writes nothing, asks Slack directly.
        app_.services().db.set_write_gate(write_gate_);
        // The storage thread's commits never stop to copy the WAL into the database file.
        if (config_.database.path != ":memory:") {
            checkpointer_ = std::make_unique<storage::BackgroundCheckpointer>(
                config_.database.path, config_.database.busy_timeout_ms);
            app_.services().db.defer_checkpoints([this] { checkpointer_->request(); });
        }
        for (const auto& c : app_.commands())
            if (c.deferred) deferred_commands_.insert(c.name);
        // Deferred commands read on their own connection so a slow summary never holds the
        // storage thread (and with it every ack). An in-memory database cannot be shared.
        if (!deferred_commands_.empty() && config_.database.path != ":memory:") {
            reader_db_ = std::make_unique<storage::Database>(config_.database.path,
                                                             config_.database.busy_timeout_ms);
            reader_db_->set_write_gate(write_gate_);
            reader_app_ = std::make_unique<App>(
                Services{*reader_db_, app_.services().clock, app_.services().config});
            reader_app_->services().slack = &lookup_;
            commands::register_all(*reader_app_);
            deferred_pool_.start(1);
        }
    }

    ~Bot() {
        stop_reminders();
        lookups_stopping_ = true;
        api_.stop_waiting();
        lookup_pool_.join();
        stop_storage();
        deferred_pool_.join();
        send_pool_.join();
        // The App outlives this bot; it must not keep a lookup over a destroyed WebApi, nor
        // a commit hook calling a destroyed checkpointer.
        app_.services().slack = nullptr;
        app_.services().db.defer_checkpoints(nullptr);
    }

    /// Checks the bot token; false when Slack refuses it for good.
    bool check_bot_token() {
        auto r = api_.call("auth.test", json::object());
        if (r.ok) {
            log_->info("bot token accepted for team {} as user {}",
                       r.body.value("team", std::string("?")),
                       r.body.value("user_id", std::string("?")));
            return true;
        }
        if (ReconnectPolicy::should_stop(r.error)) {
            log_->error("stopping: auth.test answered {}; check SLACK_BOT_TOKEN (xoxb-…)", r.error);
            return false;
        }
        // Network trouble at start-up is retried by the connection loop; not fatal.
        log_->warn("auth.test failed ({}); continuing", r.error);
        return true;
    }

    int run() {
        const auto started = std::chrono::steady_clock::now();
        start_ops();
        // Before the storage thread owns the connection: what a previous run left unanswered.
        tell_unconfirmed();
        resume_inbox();
        try {
            dm_channels_->preload(storage::PeopleRepo(app_.services().db).dm_channels());
        } catch (const std::exception& e) {
            log_->warn("could not read the stored DM channels: {}", e.what());
        }
        dm_channels_->set_persist([this](const std::string& user, const std::string& channel) {
            push_job(Job{"", 0, StoreDmChannel{user, channel}, std::nullopt, 0});
        });
        resend_outbox();
        storage_thread_ = std::thread([this] { storage_loop(); });
        start_reminders();
        client_.post([this] { sweep(); });
        client_.run();
        // The io loop has ended: every ack that could be sent was sent. Finish the rest.
        // The scheduler stops first: its sends are blocking Web API calls, which must end
        // before the Web API drains.
        stop_reminders();
        // Lookups still waiting for Slack are dropped: their envelopes stay in the inbox and
        // resume at the next start.
        lookups_stopping_ = true;
        api_.stop_waiting();
        lookup_pool_.join();
        stop_storage();
        deferred_pool_.join();
        send_pool_.join();
        auto spent = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() -
                                                              stop_started_.value_or(started));
        auto left = std::max(milliseconds(500), kShutdownBudget - spent);
        if (!api_.drain(left))
            log_->warn("{} Web API calls were still pending at exit", api_.pending());
        if (ops_) ops_->stop();
        log_->info("stopped (exit code {})", exit_code_);
        return exit_code_;
    }

  private:
    SocketModeOptions socket_options() {
        SocketModeOptions o;
        o.open = [this] {
            auto r = api_.call("apps.connections.open", json::object(), app_token_);
            OpenResult out;
            out.ok = r.ok;
            out.error = r.error;
            if (r.ok && r.body.is_object()) out.url = r.body.value("url", std::string());
            return out;
        };
        return o;
    }

    SocketModeCallbacks callbacks() {
        SocketModeCallbacks c;
        c.on_envelope = [this](Envelope&& env, ConnectionId conn) {
            on_envelope(std::move(env), conn);
        };
        c.on_stop = [this](int code, const std::string& why) { on_stop(code, why); };
        return c;
    }

    // ---- io thread --------------------------------------------------------------------

    void on_envelope(Envelope&& env, ConnectionId conn) {
        if (stopping_) return refuse_while_stopping(env, conn);
        switch (env.kind) {
            case EnvelopeKind::malformed:
                log_->warn("malformed {} envelope{}: {}", env.type.empty() ? "?" : env.type,
                           env.envelope_id.empty() ? "" : " " + env.envelope_id, env.reason);
                // Acked anyway: Slack would only send the same broken envelope again.
                if (!env.envelope_id.empty()) ack_now(conn, env.envelope_id);
                return;
            case EnvelopeKind::unknown:
                log_->info("ignoring envelope of unknown type '{}'", env.type);
                if (!env.envelope_id.empty()) ack_now(conn, env.envelope_id);
                return;
            case EnvelopeKind::slash_command:
            case EnvelopeKind::event:
            case EnvelopeKind::interactive:
                if (!recent_envelopes_.remember(env.envelope_id)) {
                    // The same envelope delivered again: the first delivery is (or was) answered
                    // and stored; acking the repeat empty stops Slack from sending it once more.
                    log_->info("envelope {} delivered again; acked, not run twice",
                               env.envelope_id);
                    if (!pending_.contains(env.envelope_id)) ack_now(conn, env.envelope_id);
                    return;
                }
                break;
            case EnvelopeKind::hello:
            case EnvelopeKind::disconnect:
                return;  // handled by the client
        }
        switch (env.kind) {
            case EnvelopeKind::slash_command:
                if (deferred_commands_.contains(env.request->command) && reader_app_)
                    return run_deferred(std::move(*env.request), env.envelope_id, conn);
                return enqueue(env.envelope_id, conn, std::move(*env.request), true);
            case EnvelopeKind::event:
                if (env.retry_attempt > 0)
                    log_->debug("event {} is retry {} ({})", env.event->event_id, env.retry_attempt,
                                env.retry_reason);
                return enqueue(env.envelope_id, conn, std::move(*env.event), false);
            case EnvelopeKind::interactive:
                return enqueue(env.envelope_id, conn, std::move(*env.interaction), true);
            default:
                return;
        }
    }

    /// An envelope arriving after shutdown began. Slack redelivers events it gets no ack for,
    /// so those stay unacked for the next instance; it never redelivers slash commands or
    /// interactions, so their users are told to try again instead of hearing nothing.
    void refuse_while_stopping(const Envelope& env, ConnectionId conn) {
        if (env.envelope_id.empty()) return;
        switch (env.kind) {
            case EnvelopeKind::slash_command: {
                Reply r = Reply::text(kRestartingText);
                client_.ack(conn, ack_message(env.envelope_id, ReplySender::ack_payload(r)));
                break;
            }
            case EnvelopeKind::interactive: {
                const Interaction& in = *env.interaction;
                if (in.type == "view_submission") {
                    // Keeps the form open with what was typed; the message sits on its first
                    // input block.
                    std::string block_id;
                    for (const auto& b :
                         in.payload.value("/view/blocks"_json_pointer, json::array()))
                        if (b.value("type", "") == "input" && b.contains("block_id")) {
                            block_id = b.value("block_id", "");
                            break;
                        }
                    json payload = json::object();
                    if (!block_id.empty())
                        payload = json{{"response_action", "errors"},
                                       {"errors", {{block_id, kRestartingText}}}};
                    client_.ack(conn, ack_message(env.envelope_id, std::move(payload)));
                } else {
                    client_.ack(conn, ack_message(env.envelope_id));
                    if (!in.response_url.empty())
                        api_.post_response_url_async(in.response_url,
                                                     json{{"text", kRestartingText},
                                                          {"response_type", "ephemeral"},
                                                          {"replace_original", false}});
                }
                break;
            }
            default:
                log_->debug("shutting down; leaving {} envelope {} unacked for Slack to redeliver",
                            kind_name(env.kind), env.envelope_id);
                return;
        }
        ++metrics().acks;
        log_->info("shutting down; told the user of {} envelope {} to try again",
                   kind_name(env.kind), env.envelope_id);
    }

    template <class T>
    void enqueue(const std::string& envelope_id, ConnectionId conn, T&& item, bool may_ack_early) {
        const auto now = std::chrono::steady_clock::now();
        Pending p{conn, now, now + config_.slack.ack_deadline, may_ack_early, {}, {}};
        if constexpr (std::is_same_v<std::decay_t<T>, Request>) {
            p.response_url = item.response_url;
            p.what = what_of(item);
        } else if constexpr (std::is_same_v<std::decay_t<T>, Interaction>) {
            p.response_url = item.response_url;
            p.what = "what you clicked or submitted";
        }
        pending_[envelope_id] = std::move(p);
        push_job(Job{envelope_id, conn, std::forward<T>(item), std::nullopt, 0});
    }

    void run_deferred(Request request, const std::string& envelope_id, ConnectionId conn) {
        // Read-only and slow: ack now, answer through response_url when ready.
        ack_now(conn, envelope_id);
        deferred_pool_.post([this, request = std::move(request)] {
            // handle_read: no write transaction, so the summary never blocks the writer.
            Reply reply = reader_app_->handle_read(request);
            sender_.send(reply, target_of(request), false);
        });
    }

    /// Acks an envelope that needs no storage work (read-only, unknown, malformed).
    void ack_now(ConnectionId conn, const std::string& envelope_id) {
        client_.ack(conn, ack_message(envelope_id));
        ++metrics().acks;
        metrics().observe_ack(std::chrono::nanoseconds(0));
    }

    void on_outcomes(std::vector<Outcome>& outcomes) {
        const auto now = std::chrono::steady_clock::now();
        for (auto& o : outcomes) {
            if (o.envelope_id.empty()) continue;
            auto it = pending_.find(o.envelope_id);
            const bool acked_already = it == pending_.end();
            SteadyTime received = now;
            if (!acked_already) {
                received = it->second.received;
                pending_.erase(it);
            }
            // An event that did not commit stays unacked: Slack's retry brings it back.
            if (o.failed && o.kind == EnvelopeKind::event) continue;
            bool message_in_ack = false;
            if (!acked_already) {
                json payload;
                if (o.kind == EnvelopeKind::slash_command && o.reply.message) {
                    payload = ReplySender::ack_payload(o.reply);
                    message_in_ack = true;
                } else if (o.interaction_type == "view_submission" && o.reply.response_action) {
                    payload = *o.reply.response_action;
                }
                client_.ack(o.connection, ack_message(o.envelope_id, std::move(payload)));
                ++metrics().acks;
                metrics().observe_ack(now - received);
            }
            if (has_follow_up(o.reply, message_in_ack)) {
                send_pool_.post([this, reply = std::move(o.reply), target = std::move(o.target),
                                 message_in_ack] { sender_.send(reply, target, message_in_ack); });
            }
            if (!o.outbox.empty()) {
                std::vector<OutboxItem> items;
                for (auto& entry : o.outbox)
                    items.push_back({entry.first.id, entry.first.key, entry.second.user_id,
                                     std::move(entry.second.message), 0, false});
                send_outbox(std::move(items));
            }
            // Answered, refused, or safe in the inbox (which answers by itself): nothing left
            // for a restart to tell.
            if (acked_already || o.waiting) journal_.resolved(o.envelope_id);
        }
    }

    /// Acks empty what is about to miss Slack's 3 s; its answer then goes via response_url.
    void sweep() {
        const auto now = std::chrono::steady_clock::now();
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (it->second.may_ack_early && now >= it->second.deadline) {
                log_->warn("envelope {} not ready within {} ms; acked, the answer follows",
                           it->first, config_.slack.ack_deadline.count());
                // Until its answer is on its way, a restart must still be able to tell this user.
                if (!it->second.response_url.empty())
                    journal_.acked_early({it->first, it->second.response_url, it->second.what,
                                          app_.services().clock.now()});
                client_.ack(it->second.connection, ack_message(it->first));
                ++metrics().acks;
                ++metrics().acks_late;
                metrics().observe_ack(now - it->second.received);
                it = pending_.erase(it);
            } else {
                ++it;
            }
        }
        if (!stopping_) client_.post_after(milliseconds(200), [this] { sweep(); });
    }

    void on_stop(int code, const std::string& why) {
        if (code != 0) exit_code_ = code;
        if (stopping_) return;
        stopping_ = true;
        stop_started_ = std::chrono::steady_clock::now();
        log_->info("shutting down ({}): committing and acking {} envelopes in flight", why,
                   pending_.size());
        // The storage thread posts its last acks before this callback, so the close frame
        // below is queued behind them.
        flush_storage(
            [this] { client_.post([this] { client_.shutdown([this] { client_.stop(); }); }); });
        client_.post_after(kShutdownBudget - milliseconds(1000), [this] {
            log_->warn("shutdown is taking too long; stopping now");
            client_.stop();
        });
    }

    // ---- operators' endpoint -----------------------------------------------------------

    /// Serves /healthz and /metrics when a port is configured. A port already taken is
    /// logged, not fatal: Slack traffic matters more than the scrape.
    void start_ops() {
        if (config_.ops.port == 0) return;
        OpsServerOptions o;
        o.address = config_.ops.address;
        o.port = static_cast<unsigned short>(config_.ops.port);
        o.health = [this] { return health(); };
        ops_ = std::make_unique<OpsServer>(std::move(o));
        try {
            ops_->start();
            log_->info("serving /healthz and /metrics on http://{}:{}/", config_.ops.address,
                       ops_->port());
        } catch (const std::exception& e) {
            log_->warn("{}; running without them", e.what());
            ops_.reset();
        }
    }

    /// Healthy: connected to Slack, the last commit worked, and no batch has been stuck in
    /// the storage thread for longer than Slack waits for an ack.
    Health health() const {
        Health h;
        const bool connected = metrics().connected.load();
        const int64_t started = batch_started_.load();
        const auto busy = started == 0 ? SteadyTime::duration(0)
                                       : std::chrono::steady_clock::now().time_since_epoch() -
                                             SteadyTime::duration(started);
        const bool stalled = busy > std::chrono::seconds(3);
        const bool replaced = db_replaced_ || app_.services().db.file_replaced();
        h.ok = connected && !stalled && !last_commit_failed_ && !replaced;
        h.details = {{"slack_connected", connected},
                     {"storage", replaced              ? "database file replaced"
                                 : stalled             ? "stalled"
                                 : last_commit_failed_ ? "commit failed"
                                                       : "ok"},
                     {"uptime_s", static_cast<int64_t>(metrics().uptime_seconds())}};
        return h;
    }

    // ---- reminder thread --------------------------------------------------------------

    /// Starts the scheduler on its own thread and database connection. An in-memory
    /// database cannot be shared between connections, so it runs without reminders.
    void start_reminders() {
        if (config_.database.path == ":memory:") {
            log_->info("reminders are off: the database is in memory");
            return;
        }
        try {
            reminder_db_ = std::make_unique<storage::Database>(config_.database.path,
                                                               config_.database.busy_timeout_ms);
            reminder_db_->set_write_gate(write_gate_);
            reminder_sender_ = std::make_unique<SlackReminderSender>(api_, dm_channels_);
            reminders_ = std::make_unique<scheduler::ReminderService>(
                *reminder_db_, config_, app_.services().clock, *reminder_sender_);
        } catch (const std::exception& e) {
            // Commands keep working; only the scheduled DMs wait for the next start.
            log_->error("reminders are off: could not open the database for them: {}", e.what());
            return;
        }
        log_->info("reminder scheduler started");
        reminder_thread_ = std::thread([this] {
            reminders_->recover();
            for (;;) {
                auto next = reminders_->next_wakeup();  // never later than 60 s ahead
                auto now = app_.services().clock.now();
                if (next && *next <= now) {
                    reminders_->wake(now);
                    continue;
                }
                const TimePoint::duration wait =
                    next ? *next - now : TimePoint::duration(std::chrono::seconds(60));
                std::unique_lock lock(reminder_mutex_);
                reminder_cv_.wait_for(lock, wait,
                                      [&] { return reminder_stop_ || reminder_poked_; });
                if (reminder_stop_) return;
                reminder_poked_ = false;
            }
        });
    }

    /// Commands whose writes can add or move a reminder (a new 1:1, task, check-in or absence).
    static bool schedules_reminders(const std::string& command) {
        return command == "/1on1" || command == "/task" || command == "/checkin" ||
               command == "/away" || command == "/ido";
    }

    /// Has the reminder thread look again now: a command may have planned something due
    /// sooner than what it is sleeping towards.
    void poke_reminders() {
        {
            std::lock_guard lock(reminder_mutex_);
            reminder_poked_ = true;
        }
        reminder_cv_.notify_all();
    }

    /// Ends the reminder thread after the wake in progress, if any; idempotent.
    void stop_reminders() {
        {
            std::lock_guard lock(reminder_mutex_);
            reminder_stop_ = true;
        }
        reminder_cv_.notify_all();
        if (reminder_thread_.joinable()) reminder_thread_.join();
    }

    // ---- storage thread ---------------------------------------------------------------

    void push_job(Job job) {
        {
            std::lock_guard lock(queue_mutex_);
            queue_.push_back(std::move(job));
        }
        queue_cv_.notify_one();
    }

    void flush_storage(std::function<void()> done) {
        {
            std::lock_guard lock(queue_mutex_);
            flush_waiters_.push_back(std::move(done));
        }
        queue_cv_.notify_one();
    }

    void stop_storage() {
        {
            std::lock_guard lock(queue_mutex_);
            storage_stop_ = true;
        }
        queue_cv_.notify_one();
        if (storage_thread_.joinable()) storage_thread_.join();
    }

    void storage_loop() {
        std::vector<Job> batch;
        for (;;) {
            std::vector<std::function<void()>> flushes;
            bool stop = false;
            {
                std::unique_lock lock(queue_mutex_);
                queue_cv_.wait_for(lock, std::chrono::minutes(1), [&] {
                    return !queue_.empty() || !flush_waiters_.empty() || storage_stop_;
                });
                batch.swap(queue_);
                flushes.swap(flush_waiters_);
                stop = storage_stop_;
            }
            if (!batch.empty()) run_batch(batch);
            batch.clear();
            maybe_prune();
            maybe_resend_outbox();
            for (auto& f : flushes) f();
            if (stop) {
                std::lock_guard lock(queue_mutex_);
                if (queue_.empty()) return;
            }
        }
    }

    void run_batch(std::vector<Job>& batch) {
        batch_started_ = std::chrono::steady_clock::now().time_since_epoch().count();
        struct Done {
            std::atomic<int64_t>& started;
            ~Done() { started = 0; }
        } done{batch_started_};
        auto& db = app_.services().db;
        const auto now = app_.services().clock.now();
        std::vector<Outcome> outcomes;
        std::vector<std::string> to_fetch;
        /// Per job: 0 not run to the end, 1 ran and changed nothing (a read), 2 ran and wrote.
        std::vector<char> ran(batch.size(), 0);
        bool plans_reminders = false;
        const char* refusal = nullptr;
        try {
            // Writes into a file that is no longer at its path vanish at the next start.
            if (db.file_replaced()) {
                if (!db_replaced_.exchange(true))
                    log_->critical(
                        "the database file {} was deleted or replaced while running; "
                        "refusing every write until careerbot is restarted",
                        config_.database.path);
                refusal = kReplacedText;
                throw storage::StorageError("database file replaced");
            }
            // Group commit: one fsync for everything that arrived together. Each handler runs
            // as its own unit (App::handle), so one failure does not undo the others: first
            // without savepoints, and only if some handler failed, again with one each.
            auto body = [&] {
                outcomes.clear();
                to_fetch.clear();
                storage::ProcessedEventsRepo events(db);
                storage::EnvelopeInboxRepo inbox(db);
                std::vector<std::string> users;
                std::vector<std::string> committed;
                for (std::size_t i = 0; i < batch.size(); ++i) {
                    Job& job = batch[i];
                    Outcome o;
                    o.envelope_id = job.envelope_id;
                    o.connection = job.connection;
                    // Handlers ask Slack only through this: answers fetched before, or
                    // LookupNeeded (see src/core/prefetched_lookup.hpp). Never a Web API call
                    // inside the transaction.
                    PrefetchedLookup lookup(job.answers.value_or(json::object()),
                                            job.rounds >= kMaxLookupRounds);
                    app_.services().slack = &lookup;
                    const int64_t changes = db.total_changes();
                    try {
                        std::visit(
                            Overloaded{
                                [&](const Request& r) {
                                    o.kind = EnvelopeKind::slash_command;
                                    o.target = target_of(r);
                                    o.reply = app_.handle(r);
                                    users.push_back(r.user_id);
                                    plans_reminders |= schedules_reminders(r.command);
                                },
                                [&](const Event& e) {
                                    o.kind = EnvelopeKind::event;
                                    o.target = target_of(e);
                                    // Stored with the handler's writes: a retry after a crash
                                    // is processed iff the first try never committed. A job
                                    // resumed from the inbox was remembered then.
                                    if (!job.answers && !e.event_id.empty() &&
                                        !events.remember(e.event_id, now)) {
                                        log_->info("event {} ({}) already processed; acked only",
                                                   e.event_id, e.type);
                                        ++metrics().events_duplicate;
                                        return;
                                    }
                                    o.reply = app_.handle(e);
                                    if (!e.user_id.empty()) users.push_back(e.user_id);
                                },
                                [&](const Interaction& in) {
                                    o.kind = EnvelopeKind::interactive;
                                    o.interaction_type = in.type;
                                    o.target = target_of(in);
                                    o.reply = app_.handle(in);
                                    plans_reminders = true;  // snooze, done buttons, forms
                                    users.push_back(in.user_id);
                                },
                                [&](const storage::Person& p) {
                                    storage::PeopleRepo(db).upsert_profile(p, now);
                                },
                                [&](const StoreDmChannel& d) {
                                    storage::PeopleRepo(db).set_dm_channel(d.user_id, d.channel);
                                },
                                [&](const OutboxDone& d) { storage::OutboxRepo(db).remove(d.id); },
                            },
                            job.item);
                        if (job.answers) inbox.remove(job.envelope_id);  // completed
                        // DMs to people leave only through the outbox, written with the
                        // handler's writes: sent after COMMIT, exactly once, even across a crash.
                        storage::OutboxRepo outbox(db);
                        for (auto& dm : o.reply.dms)
                            o.outbox.emplace_back(
                                outbox.add(dm.user_id, message_row(dm.message).dump(), now),
                                std::move(dm));
                        o.reply.dms.clear();
                    } catch (const LookupNeeded& need) {
                        if (db.tainted()) return;  // rolled back and redone with savepoints
                        // The handler's savepoint is rolled back. Store the envelope with its
                        // question; it is acked empty and runs again once Slack answered.
                        o.reply = Reply::none();
                        o.waiting = need.question;
                        o.answers = lookup.answers();
                        inbox.put(
                            {job.envelope_id, inbox_kind(job), item_json(job).dump(),
                             o.answers.dump(), need.question.to_json().dump(), job.rounds + 1},
                            now);
                    }
                    if (db.tainted()) return;  // rolled back and redone with savepoints
                    ran[i] = db.total_changes() != changes ? 2 : 1;
                    if (!job.envelope_id.empty() && o.kind != EnvelopeKind::event)
                        committed.push_back(job.envelope_id);
                    outcomes.push_back(std::move(o));
                }
                inbox.record_committed(committed, now);
                find_unprofiled(db, users, to_fetch);
            };
            if (!db.write_optimistic(body)) db.write(body);
            last_commit_failed_ = false;
        } catch (const std::exception& e) {
            if (refusal == nullptr) {
                log_->error("could not commit {} envelopes: {}", batch.size(), e.what());
                ++metrics().commit_failures;
            }
            last_commit_failed_ = true;
            outcomes.clear();
            to_fetch.clear();
            for (std::size_t i = 0; i < batch.size(); ++i) {
                const Job& job = batch[i];
                Outcome o;
                o.envelope_id = job.envelope_id;
                o.connection = job.connection;
                o.failed = true;
                // The user hears why, wherever the answer can reach them (an envelope acked
                // early is answered through its response_url).
                const std::string apology =
                    refusal != nullptr ? refusal : storage_failure_text(ran[i] != 1);
                if (const auto* r = std::get_if<Request>(&job.item)) {
                    o.kind = EnvelopeKind::slash_command;
                    o.target = target_of(*r);
                    o.reply = Reply::text(apology);
                } else if (std::holds_alternative<Event>(job.item)) {
                    o.kind = EnvelopeKind::event;
                } else if (const auto* in = std::get_if<Interaction>(&job.item)) {
                    o.kind = EnvelopeKind::interactive;
                    o.interaction_type = in->type;
                    o.target = target_of(*in);
                    if (!in->response_url.empty()) o.reply = Reply::text(apology);
                }
                outcomes.push_back(std::move(o));
            }
        }
        app_.services().slack = nullptr;
        // Envelopes waiting for Slack: ask it now, outside the write, and run them again.
        for (std::size_t i = 0; i < outcomes.size() && i < batch.size(); ++i) {
            if (!outcomes[i].waiting) continue;
            Job next = std::move(batch[i]);
            next.answers = outcomes[i].answers;
            ++next.rounds;
            fetch_and_resume(std::move(next), *outcomes[i].waiting);
        }
        // Only now, after COMMIT returned, may the acks go out.
        client_.post([this, outcomes = std::move(outcomes)]() mutable { on_outcomes(outcomes); });
        if (plans_reminders) poke_reminders();
        for (auto& user : to_fetch) fetch_profile(user);
    }

    /// One DM of the outbox on its way.
    struct OutboxItem {
        int64_t id = 0;
        std::string key;  ///< in the message metadata
        std::string user;
        Message message;
        int64_t since_unix = 0;  ///< with check_first: where its DM's history is searched from
        bool check_first = false;
    };

    /// Sends outbox rows one after the other (so DMs to a person arrive in the order they were
    /// decided, whichever Web API worker takes each); a row goes once Slack has it or refused
    /// it for good.
    void send_outbox(std::vector<OutboxItem> items) {
        {
            std::lock_guard lock(outbox_mutex_);
            std::erase_if(items, [&](const OutboxItem& it) {
                return !outbox_in_flight_.insert(it.id).second;
            });
        }
        if (!items.empty())
            send_outbox_from(std::make_shared<std::vector<OutboxItem>>(std::move(items)), 0);
    }

    void send_outbox_from(std::shared_ptr<std::vector<OutboxItem>> items, std::size_t i) {
        if (i >= items->size()) return;
        const OutboxItem& it = (*items)[i];
        sender_.send_dm_once(it.user, it.message, it.key, it.since_unix, it.check_first,
                             [this, items, i](bool finished) {
                                 const int64_t id = (*items)[i].id;
                                 {
                                     std::lock_guard lock(outbox_mutex_);
                                     outbox_in_flight_.erase(id);
                                 }
                                 if (finished)
                                     push_job(Job{"", 0, OutboxDone{id}, std::nullopt, 0});
                                 send_outbox_from(items, i + 1);
                             });
    }

    /// DMs left in the outbox (a previous run's, or ones Slack could not take yet) are sent
    /// again, each looked for in its DM first; those past their use are dropped with a log line.
    /// Storage thread (or before it starts).
    void resend_outbox() {
        auto& db = app_.services().db;
        const auto now = app_.services().clock.now();
        std::vector<storage::OutboxRow> rows;
        try {
            rows = storage::OutboxRepo(db).all();
            std::vector<int64_t> expired;
            for (const auto& r : rows)
                if (now - r.created_at > kOutboxUseful) expired.push_back(r.id);
            if (!expired.empty()) {
                db.write([&] {
                    for (auto id : expired) storage::OutboxRepo(db).remove(id);
                });
                log_->warn("dropped {} DMs Slack did not take within {} h", expired.size(),
                           std::chrono::duration_cast<std::chrono::hours>(kOutboxUseful).count());
            }
        } catch (const std::exception& e) {
            log_->error("could not read the outbox: {}", e.what());
            return;
        }
        std::vector<OutboxItem> items;
        for (const auto& r : rows) {
            if (now - r.created_at > kOutboxUseful) continue;
            const int64_t created =
                std::chrono::duration_cast<std::chrono::seconds>(r.created_at.time_since_epoch())
                    .count();
            items.push_back({r.id, r.key, r.user_id, message_of_row(r.message), created - 5, true});
        }
        send_outbox(std::move(items));
    }

    /// Asks Slack `question` on the lookup pool (blocking there is fine: nothing waits on it but
    /// this envelope), then queues the job again with the answer.
    void fetch_and_resume(Job job, LookupQuestion question) {
        lookup_pool_.post([this, job = std::move(job), question = std::move(question)]() mutable {
            // Shutting down: the envelope stays in the inbox and resumes at the next start.
            if (lookups_stopping_) return;
            json answer = PrefetchedLookup::fetch(lookup_, question);
            (*job.answers)[question.key()] = std::move(answer);
            push_job(std::move(job));
        });
    }

    /// Resumes every envelope a previous run left in the inbox (at start, before Slack
    /// delivers anything new).
    void resume_inbox() {
        std::vector<storage::InboxRow> rows;
        try {
            rows = storage::EnvelopeInboxRepo(app_.services().db).all();
        } catch (const std::exception& e) {
            log_->error("could not read the envelopes waiting for Slack: {}", e.what());
            return;
        }
        for (auto& row : rows) {
            json item = json::parse(row.item, nullptr, false);
            json answers = json::parse(row.answers, nullptr, false);
            json question = json::parse(row.question, nullptr, false);
            if (!item.is_object() || !answers.is_object() || !question.is_object()) {
                log_->error("envelope {} in the inbox is unreadable; skipped", row.envelope_id);
                continue;
            }
            Job job;
            job.envelope_id = row.envelope_id;
            if (row.kind == "slash_command") {
                job.item = request_from_json(item);
            } else if (row.kind == "event") {
                job.item = event_from_json(item);
            } else {
                job.item = interaction_from_json(item);
            }
            job.answers = std::move(answers);
            job.rounds = row.rounds;
            log_->info("resuming {} envelope {} (waiting for Slack since the last run)", row.kind,
                       row.envelope_id);
            fetch_and_resume(std::move(job), LookupQuestion::from_json(question));
        }
    }

    /// Tells the users of envelopes acked before they committed, in a run that then died,
    /// whether they were stored (see src/slack/ack_journal.hpp).
    void tell_unconfirmed() {
        auto entries = journal_.take_unresolved();
        if (entries.empty()) return;
        auto& db = app_.services().db;
        const auto now = app_.services().clock.now();
        storage::EnvelopeInboxRepo inbox(db);
        std::set<std::string> waiting;
        for (const auto& row : inbox.all()) waiting.insert(row.envelope_id);
        for (const auto& e : entries) {
            if (waiting.contains(e.envelope_id)) continue;  // resumed; it answers by itself
            bool stored = false;
            try {
                stored = inbox.was_committed(e.envelope_id);
            } catch (const std::exception& ex) {
                log_->error("could not check envelope {}: {}", e.envelope_id, ex.what());
                continue;
            }
            // Slack honours a response_url for 30 minutes.
            if (now - e.acked_at > std::chrono::minutes(30)) {
                log_->warn(
                    "envelope {} ({}) was acked before it {} and its user could not be "
                    "told: its response_url has expired",
                    e.envelope_id, stored ? "was stored" : "was lost",
                    stored ? "was confirmed" : "was stored");
                continue;
            }
            std::string text =
                stored ? ":white_check_mark: careerbot restarted before it could confirm " +
                             e.what + ", but it was stored."
                       : ":warning: careerbot restarted before it could store " + e.what +
                             "; nothing was stored. Please send it again.";
            log_->info("told the user of envelope {} that it {} stored", e.envelope_id,
                       stored ? "was" : "was not");
            api_.post_response_url_async(
                e.response_url,
                json{{"text", text}, {"response_type", "ephemeral"}, {"replace_original", false}});
        }
    }

    /// People seen for the first time (no real name or time zone yet) get a users.info lookup.
    void find_unprofiled(storage::Database& db, const std::vector<std::string>& users,
                         std::vector<std::string>& out) {
        storage::PeopleRepo people(db);
        for (const auto& id : users) {
            if (id.empty() || !profiled_.insert(id).second) continue;
            auto p = people.find(id);
            if (!p || (p->real_name.empty() && p->tz.empty())) out.push_back(id);
        }
    }

    void fetch_profile(const std::string& user_id) {
        api_.call_form_async(
            "users.info", {{"user", user_id}}, [this, user_id](const ApiResult& r) {
                if (!r.ok || !r.body.is_object() || !r.body.contains("user") ||
                    !r.body["user"].is_object()) {
                    log_->debug("users.info for {} failed: {}", user_id, r.error);
                    return;
                }
                const json& u = r.body["user"];
                storage::Person p;
                p.id = user_id;
                p.name = u.value("name", user_id);
                p.real_name = u.value("real_name", std::string());
                if (p.real_name.empty() && u.contains("profile") && u["profile"].is_object())
                    p.real_name = u["profile"].value("real_name", std::string());
                p.tz = u.value("tz", std::string());
                push_job(Job{"", 0, std::move(p), std::nullopt, 0});
            });
    }

    void maybe_resend_outbox() {
        const auto now = std::chrono::steady_clock::now();
        if (now - last_outbox_retry_ < kOutboxRetryEvery) return;
        last_outbox_retry_ = now;
        resend_outbox();
    }

    void maybe_prune() {
        const auto now = std::chrono::steady_clock::now();
        if (last_prune_ && now - *last_prune_ < kPruneEvery) return;
        last_prune_ = now;
        auto& db = app_.services().db;
        try {
            int removed = 0;
            db.write([&] {
                removed = storage::ProcessedEventsRepo(db).prune(app_.services().clock.now() -
                                                                 kEventMemory);
                storage::EnvelopeInboxRepo(db).prune_committed(app_.services().clock.now() -
                                                               std::chrono::hours(1));
            });
            if (removed > 0) log_->debug("forgot {} processed event ids", removed);
        } catch (const std::exception& e) {
            log_->warn("could not prune processed events: {}", e.what());
        }
    }

    App& app_;
    const Config& config_;
    std::unique_ptr<OpsServer> ops_;
    /// Shared by this process's connections (storage, reader, reminders): see set_write_gate.
    std::shared_ptr<std::mutex> write_gate_ = std::make_shared<std::mutex>();
    std::unique_ptr<storage::BackgroundCheckpointer> checkpointer_;
    std::atomic<int64_t> batch_started_{0};  ///< steady ticks when the current batch began
    std::atomic<bool> last_commit_failed_{false};
    std::atomic<bool> db_replaced_{false};  ///< the database file vanished under us
    std::string app_token_;
    std::shared_ptr<spdlog::logger> log_ = logger("slack");

    // Storage thread: the queue it drains and what only it touches.
    std::mutex queue_mutex_;
    std::condition_variable queue_cv_;
    std::vector<Job> queue_;
    std::vector<std::function<void()>> flush_waiters_;
    bool storage_stop_ = false;
    std::unordered_set<std::string> profiled_;
    std::optional<SteadyTime> last_prune_;
    SteadyTime last_outbox_retry_ = std::chrono::steady_clock::now();
    std::mutex outbox_mutex_;
    std::set<int64_t> outbox_in_flight_;  ///< outbox rows handed to the sender
    std::thread storage_thread_;

    std::unique_ptr<storage::Database> reader_db_;
    std::unique_ptr<App> reader_app_;
    std::set<std::string> deferred_commands_;

    /// Shared by the replies' and the reminders' senders; stored with each person.
    std::shared_ptr<DmChannels> dm_channels_ = std::make_shared<DmChannels>();
    // Declared after the queue: WebApi's workers may still push profile jobs while it drains.
    WebApi api_;
    ReplySender sender_;
    SlackLookup lookup_;

    // Reminder thread: the scheduler and what only it touches (after api_, which it calls).
    std::unique_ptr<storage::Database> reminder_db_;
    std::unique_ptr<SlackReminderSender> reminder_sender_;
    std::unique_ptr<scheduler::ReminderService> reminders_;
    std::mutex reminder_mutex_;
    std::condition_variable reminder_cv_;
    bool reminder_stop_ = false;
    bool reminder_poked_ = false;
    std::thread reminder_thread_;
    // ReplySender::send only queues Web API calls, so one thread keeps up; the deferred pool
    // gets its thread only when a deferred command exists (idle memory counts, see B3).
    WorkerPool deferred_pool_{0};
    WorkerPool send_pool_{1};
    /// Asks Slack what handlers need (PrefetchedLookup), outside every write.
    WorkerPool lookup_pool_{1};
    std::atomic<bool> lookups_stopping_{false};

    // io thread only.
    std::unordered_map<std::string, Pending> pending_;
    /// Envelope ids already taken in (io thread), so a repeated delivery runs once.
    RecentIds recent_envelopes_{kRecentEnvelopes};
    /// Envelopes acked before they committed, until answered (io thread; read at start).
    AckJournal journal_{config_.database.path == ":memory:" ? "" : config_.database.path + "-acks"};
    bool stopping_ = false;
    int exit_code_ = 0;
    std::optional<SteadyTime> stop_started_;

    SocketModeClient client_;
};

/// Reads a token from the environment and registers it as a secret before anything logs.
std::string read_token(const char* name) {
    const char* value = std::getenv(name);
    std::string token = value ? value : "";
    if (!token.empty()) add_secret(token);
    return token;
}

}  // namespace

int run_bot(App& app, const Config& config) {
    const std::string bot_token = read_token("SLACK_BOT_TOKEN");
    const std::string app_token = read_token("SLACK_APP_TOKEN");
    auto log = logger("slack");
    if (bot_token.empty() || app_token.empty()) {
        log->error(
            "{} is not set; `careerbot run` needs SLACK_BOT_TOKEN (xoxb-…) and "
            "SLACK_APP_TOKEN (xapp-…) in the environment",
            bot_token.empty() ? "SLACK_BOT_TOKEN" : "SLACK_APP_TOKEN");
        return 2;
    }
    if (!bot_token.starts_with("xoxb-")) {
        log->error(
            "SLACK_BOT_TOKEN must be a bot token starting with xoxb- (Slack app settings "
            "→ OAuth & Permissions → Bot User OAuth Token)");
        return 2;
    }
    if (!app_token.starts_with("xapp-")) {
        log->error(
            "SLACK_APP_TOKEN must be an app-level token starting with xapp- (Slack app "
            "settings → Basic Information → App-Level Tokens, scope connections:write)");
        return 2;
    }
    WebApiOptions api;
    api.bot_token = bot_token;
    if (const char* url = std::getenv("SLACK_API_URL"); url && *url) api.base_url = url;
    if (!api.base_url.ends_with('/')) api.base_url += '/';
    log->info("starting; Slack Web API at {}, database {}", host_of(api.base_url),
              config.database.path);

    // The storage thread frees most of what a batch allocated before the next batch arrives;
    // glibc would hand those pages back to the kernel (and fault them in again) every batch,
    // a fifth of the CPU under load. Keep up to a few MB of free heap instead.
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);

    Bot bot(app, config, std::move(api), app_token);
    if (!bot.check_bot_token()) return 1;
    return bot.run();
}

}  // namespace careerbot::slack
