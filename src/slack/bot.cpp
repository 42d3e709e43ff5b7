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
#include "src/scheduler/scheduler.hpp"
#include "src/slack/ops_server.hpp"
#include "src/slack/recent_ids.hpp"
#include "src/slack/slack_lookup.hpp"
#include "src/slack/slack_reminder_sender.hpp"
#include "src/slack/socket_mode.hpp"
#include "src/slack/web_api.hpp"
#include "storage/checkpointer.hpp"
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

/// One unit of work for the storage thread.
struct Job {
    std::string envelope_id;  ///< empty for profile updates (nothing to ack)
    ConnectionId connection = 0;
    std::variant<Request, Event, Interaction, storage::Person> item;
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
};

/// An envelope received and not yet acked (io thread only).
struct Pending {
    ConnectionId connection = 0;
    SteadyTime received;
    SteadyTime deadline;
    bool may_ack_early = false;  ///< slash commands and interactions: ack empty at the deadline
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
          sender_(api_),
          lookup_(api_),
          client_(socket_options(), callbacks()) {
        // Handlers reach Slack (permalinks, reacted messages, profiles) through this; the
        // calls block, which only the storage and deferred threads may do.
        app_.services().slack = &lookup_;
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
        storage_thread_ = std::thread([this] { storage_loop(); });
        start_reminders();
        client_.post([this] { sweep(); });
        client_.run();
        // The io loop has ended: every ack that could be sent was sent. Finish the rest.
        // The scheduler stops first: its sends are blocking Web API calls, which must end
        // before the Web API drains.
        stop_reminders();
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
        if (stopping_) {
            // Not acked, so Slack delivers it again to the next instance.
            log_->debug("shutting down; leaving {} envelope {} unacked", kind_name(env.kind),
                        env.envelope_id);
            return;
        }
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

    template <class T>
    void enqueue(const std::string& envelope_id, ConnectionId conn, T&& item, bool may_ack_early) {
        const auto now = std::chrono::steady_clock::now();
        pending_[envelope_id] = Pending{conn, now, now + config_.slack.ack_deadline, may_ack_early};
        push_job(Job{envelope_id, conn, std::forward<T>(item)});
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
        }
    }

    /// Acks empty what is about to miss Slack's 3 s; its answer then goes via response_url.
    void sweep() {
        const auto now = std::chrono::steady_clock::now();
        for (auto it = pending_.begin(); it != pending_.end();) {
            if (it->second.may_ack_early && now >= it->second.deadline) {
                log_->warn("envelope {} not ready within {} ms; acked, the answer follows",
                           it->first, config_.slack.ack_deadline.count());
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

    ReplyTarget target_of(const Request& r) const {
        return ReplyTarget{r.user_id, r.channel_id, r.response_url, r.trigger_id, false};
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
        h.ok = connected && !stalled && !last_commit_failed_;
        h.details = {{"slack_connected", connected},
                     {"storage", stalled               ? "stalled"
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
            reminder_sender_ = std::make_unique<SlackReminderSender>(api_);
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
        bool plans_reminders = false;
        try {
            // Group commit: one fsync for everything that arrived together. Each handler runs
            // as its own unit (App::handle), so one failure does not undo the others: first
            // without savepoints, and only if some handler failed, again with one each.
            auto body = [&] {
                outcomes.clear();
                to_fetch.clear();
                storage::ProcessedEventsRepo events(db);
                std::vector<std::string> users;
                for (auto& job : batch) {
                    Outcome o;
                    o.envelope_id = job.envelope_id;
                    o.connection = job.connection;
                    std::visit(
                        Overloaded{
                            [&](const Request& r) {
                                o.kind = EnvelopeKind::slash_command;
                                o.reply = app_.handle(r);
                                o.target = target_of(r);
                                users.push_back(r.user_id);
                                plans_reminders |= schedules_reminders(r.command);
                            },
                            [&](const Event& e) {
                                o.kind = EnvelopeKind::event;
                                // Stored with the handler's writes: a retry after a
                                // crash is processed iff the first try never committed.
                                if (!e.event_id.empty() && !events.remember(e.event_id, now)) {
                                    log_->info(
                                        "event {} ({}) already processed; acked "
                                        "only",
                                        e.event_id, e.type);
                                    ++metrics().events_duplicate;
                                    return;
                                }
                                o.reply = app_.handle(e);
                                o.target = ReplyTarget{e.user_id, event_channel(e), "", "", false};
                                if (!e.user_id.empty()) users.push_back(e.user_id);
                            },
                            [&](const Interaction& in) {
                                o.kind = EnvelopeKind::interactive;
                                o.interaction_type = in.type;
                                o.reply = app_.handle(in);
                                plans_reminders = true;  // snooze, done buttons, forms
                                o.target = ReplyTarget{in.user_id, in.channel_id, in.response_url,
                                                       in.trigger_id, in.type == "block_actions"};
                                users.push_back(in.user_id);
                            },
                            [&](const storage::Person& p) {
                                storage::PeopleRepo(db).upsert_profile(p, now);
                            },
                        },
                        job.item);
                    if (db.tainted()) return;  // rolled back and redone with savepoints
                    outcomes.push_back(std::move(o));
                }
                find_unprofiled(db, users, to_fetch);
            };
            if (!db.write_optimistic(body)) db.write(body);
            last_commit_failed_ = false;
        } catch (const std::exception& e) {
            log_->error("could not commit {} envelopes: {}", batch.size(), e.what());
            ++metrics().commit_failures;
            last_commit_failed_ = true;
            outcomes.clear();
            to_fetch.clear();
            for (auto& job : batch) {
                Outcome o;
                o.envelope_id = job.envelope_id;
                o.connection = job.connection;
                o.failed = true;
                if (std::holds_alternative<Request>(job.item)) {
                    o.kind = EnvelopeKind::slash_command;
                    o.reply = Reply::text(
                        ":warning: careerbot could not save that just now; "
                        "nothing was stored. Please try again in a minute.");
                } else if (std::holds_alternative<Event>(job.item)) {
                    o.kind = EnvelopeKind::event;
                } else {
                    o.kind = EnvelopeKind::interactive;
                }
                outcomes.push_back(std::move(o));
            }
        }
        // Only now, after COMMIT returned, may the acks go out.
        client_.post([this, outcomes = std::move(outcomes)]() mutable { on_outcomes(outcomes); });
        if (plans_reminders) poke_reminders();
        for (auto& user : to_fetch) fetch_profile(user);
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
                push_job(Job{"", 0, std::move(p)});
            });
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
    std::thread storage_thread_;

    std::unique_ptr<storage::Database> reader_db_;
    std::unique_ptr<App> reader_app_;
    std::set<std::string> deferred_commands_;

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

    // io thread only.
    std::unordered_map<std::string, Pending> pending_;
    /// Envelope ids already taken in (io thread), so a repeated delivery runs once.
    RecentIds recent_envelopes_{kRecentEnvelopes};
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
