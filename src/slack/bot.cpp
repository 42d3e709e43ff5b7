// `careerbot run`: composes Socket Mode, the receiver, the commit queue, the Web API and the
// reminder loop, and runs the start-up and shutdown sequences.
//
// Threads and who owns what:
//   io thread (run_bot's caller)  SocketModeClient and the Receiver (src/slack/receiver.hpp):
//                                 envelopes in, acks out, the table of envelopes waiting for
//                                 their ack, the early-ack deadline and the ack journal.
//   storage thread                the CommitQueue (src/slack/commit_queue.hpp) on the writer
//                                 connection: drains every queued envelope, runs them as one
//                                 group commit (no savepoints unless a handler fails, then again
//                                 with one each), then hands their outcomes to the io thread.
//   deferred pool                 slow read-only commands on their own connection; acked at once.
//   send pool                     ReplySender::send (follow-ups, modals, DMs, files, App Home).
//   lookup pool                   what handlers asked Slack (PrefetchedLookup), outside writes.
//   WebApi workers                HTTP.
//   profile refresh thread        asks users.info (through fetch_profile) about people whose
//                                 profile is older than `slack_status.profile_refresh_days`,
//                                 a few a minute; the answers go through the commit queue.
//   reminder thread(s)            src/scheduler/reminder_host: ReminderService::run on its own
//                                 connection, sleeping until the next due reminder (at most
//                                 60 s) or a poke after a batch that planned one. On PostgreSQL
//                                 only the instance holding the scheduler's advisory lock sends,
//                                 and a second thread LISTENs for other instances' pokes.
#include "src/slack/bot.hpp"

#include <malloc.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/core/prefetched_lookup.hpp"
#include "src/core/worker_pool.hpp"
#include "src/scheduler/reminder_host.hpp"
#include "src/slack/ack_journal.hpp"
#include "src/slack/commit_queue.hpp"
#include "src/slack/dm_outbox.hpp"
#include "src/slack/ops_server.hpp"
#include "src/slack/receiver.hpp"
#include "src/slack/slack_lookup.hpp"
#include "src/slack/slack_reminder_sender.hpp"
#include "src/slack/socket_mode.hpp"
#include "src/slack/web_api.hpp"
#include "storage/checkpointer.hpp"
#include "storage/envelope_inbox.hpp"
#include "storage/people.hpp"

namespace careerbot::slack {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

/// SIGTERM to exit, at most.
constexpr milliseconds kShutdownBudget{5000};

/// The host of a URL, for logs (URLs may carry credentials or tickets).
std::string host_of(const std::string& url) {
    auto start = url.find("://");
    start = start == std::string::npos ? 0 : start + 3;
    auto end = url.find_first_of("/?#", start);
    std::string authority = url.substr(start, end == std::string::npos ? end : end - start);
    if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
    return authority;
}

/// The receiver's view of the Socket Mode client.
class SocketAdapter final : public AckSocket {
  public:
    explicit SocketAdapter(SocketModeClient& client) : client_(client) {}
    void ack(ConnectionId connection, std::string text) override {
        client_.ack(connection, std::move(text));
    }
    void post(std::function<void()> fn) override { client_.post(std::move(fn)); }
    void post_after(milliseconds delay, std::function<void()> fn) override {
        client_.post_after(delay, std::move(fn));
    }
    void shutdown(std::function<void()> closed) override { client_.shutdown(std::move(closed)); }
    void stop() override { client_.stop(); }

  private:
    SocketModeClient& client_;
};

class Bot {
  public:
    /// `metrics` (also `services.metrics` and `api_options.metrics`) is what every part
    /// counts into and /metrics serves.
    Bot(const App& app, Services& services, Metrics& metrics, WebApiOptions api_options,
        std::string app_token)
        : app_(app),
          s_(services),
          metrics_(metrics),
          config_(services.config),
          app_token_(std::move(app_token)),
          api_(
              std::move(api_options), [] { return make_curl_http_client(); }, 2),
          sender_(api_, dm_channels_),
          lookup_(api_),
          client_(socket_options(), callbacks()) {
        // Handlers on the storage thread reach Slack only through a PrefetchedLookup, set per
        // job (run_batch); the deferred reader, which writes nothing, asks Slack directly.
        s_.db.set_write_gate(write_gate_);
        // The storage thread's commits never stop to copy the WAL into the database file.
        // (PostgreSQL has no WAL file of ours to copy.)
        if (config_.database.where() != ":memory:" && s_.db.backend() == storage::Backend::sqlite) {
            checkpointer_ = std::make_unique<storage::BackgroundCheckpointer>(
                config_.database.path, config_.database.busy_timeout_ms);
            s_.db.defer_checkpoints([this] { checkpointer_->request(); });
        }
        for (const auto& c : app_.commands())
            if (c.deferred) deferred_commands_.insert(c.name);
        // Deferred commands read on their own connection so a slow summary never holds the
        // storage thread (and with it every ack). An in-memory database cannot be shared.
        if (!deferred_commands_.empty() && config_.database.where() != ":memory:") {
            reader_db_ = std::make_unique<storage::Database>(config_.database.where(),
                                                             config_.database.timeout_ms());
            reader_db_->set_write_gate(write_gate_);
            reader_services_ = std::make_unique<Services>(
                Services{*reader_db_, s_.clock, config_, &lookup_, &metrics_});
            deferred_pool_.start(1);
        }
    }

    ~Bot() {
        stop_profile_refresh();
        stop_reminders();
        lookups_stopping_ = true;
        api_.stop_waiting();
        lookup_pool_.join();
        commit_queue_.stop();
        deferred_pool_.join();
        send_pool_.join();
        // The database outlives this bot; it must not keep a commit hook calling a destroyed
        // checkpointer.
        s_.db.defer_checkpoints(nullptr);
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
            dm_channels_->preload(storage::PeopleRepo(s_.db).dm_channels());
        } catch (const std::exception& e) {
            log_->warn("could not read the stored DM channels: {}", e.what());
        }
        dm_channels_->set_persist([this](const std::string& user, const std::string& channel) {
            commit_queue_.push(Job{"", 0, StoreDmChannel{user, channel}, std::nullopt, 0});
        });
        // Several instances: the scheduler's leader resends what a vanished one left.
        if (s_.db.backend() == storage::Backend::sqlite) dm_outbox_.resend(s_.db, s_.clock.now());
        commit_queue_.start();
        start_reminders();
        start_profile_refresh();
        receiver_.start();
        client_.run();
        // The io loop has ended: every ack that could be sent was sent. Finish the rest.
        // The scheduler stops first: its sends are blocking Web API calls, which must end
        // before the Web API drains.
        stop_profile_refresh();
        stop_reminders();
        // Lookups still waiting for Slack are dropped: their envelopes stay in the inbox and
        // resume at the next start.
        lookups_stopping_ = true;
        api_.stop_waiting();
        lookup_pool_.join();
        commit_queue_.stop();
        deferred_pool_.join();
        send_pool_.join();
        auto spent = std::chrono::duration_cast<milliseconds>(
            std::chrono::steady_clock::now() - receiver_.stop_started().value_or(started));
        auto left = std::max(milliseconds(500), kShutdownBudget - spent);
        if (!api_.drain(left))
            log_->warn("{} Web API calls were still pending at exit", api_.pending());
        if (ops_) ops_->stop();
        log_->info("stopped (exit code {})", receiver_.exit_code());
        return receiver_.exit_code();
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
        o.metrics = &metrics_;
        return o;
    }

    ReceiverOptions receiver_options() const {
        ReceiverOptions o;
        o.ack_deadline = config_.slack.ack_deadline;
        o.shutdown_budget = kShutdownBudget;
        o.metrics = &metrics_;
        return o;
    }

    /// Where the io thread hands envelopes and answers on.
    ReceiverHooks receiver_hooks() {
        ReceiverHooks h;
        h.is_deferred = [this](const Request& r) {
            return reader_services_ && deferred_commands_.contains(r.command);
        };
        h.run_deferred = [this](Request request) {
            deferred_pool_.post([this, request = std::move(request)] {
                // handle_read: no write transaction, so the summary never blocks the writer.
                Reply reply = app_.handle_read(*reader_services_, request);
                sender_.send(reply, target_of(request), false);
            });
        };
        h.submit = [this](Job job) { commit_queue_.push(std::move(job)); };
        h.flush = [this](std::function<void()> done) { commit_queue_.flush(std::move(done)); };
        h.follow_up = [this](Reply reply, ReplyTarget target, bool message_in_ack) {
            send_pool_.post([this, reply = std::move(reply), target = std::move(target),
                             message_in_ack] { sender_.send(reply, target, message_in_ack); });
        };
        h.send_dms = [this](std::vector<std::pair<storage::OutboxRow, DirectMessage>> dms) {
            dm_outbox_.send_new(std::move(dms));
        };
        h.tell = [this](const std::string& response_url, const std::string& text) {
            api_.post_response_url_async(
                response_url,
                json{{"text", text}, {"response_type", "ephemeral"}, {"replace_original", false}});
        };
        return h;
    }

    /// What the storage thread hands back, after each batch's COMMIT.
    CommitQueueHooks commit_hooks() {
        CommitQueueHooks h;
        h.ask_slack = [this](Job job, LookupQuestion question) {
            fetch_and_resume(std::move(job), std::move(question));
        };
        // The acks go out on the io thread.
        h.committed = [this](std::vector<Outcome> outcomes) {
            client_.post([this, outcomes = std::move(outcomes)]() mutable {
                receiver_.on_outcomes(outcomes);
            });
        };
        h.reminders_planned = [this] {
            if (auto* host = reminders_live_.load()) host->planned(s_.db);
        };
        h.learn_profile = [this](const std::string& user) { fetch_profile(user); };
        h.between_batches = [this] {
            if (s_.db.backend() == storage::Backend::sqlite)
                dm_outbox_.maybe_resend(s_.db, s_.clock.now(), std::chrono::steady_clock::now());
            else if (auto* host = reminders_live_.load(); host != nullptr && host->leading())
                dm_outbox_.maybe_resend(
                    s_.db, s_.clock.now(), std::chrono::steady_clock::now(),
                    std::chrono::seconds(config_.reminders.claim_timeout_seconds));
        };
        return h;
    }

    SocketModeCallbacks callbacks() {
        SocketModeCallbacks c;
        c.on_envelope = [this](Envelope&& env, ConnectionId conn) {
            receiver_.on_envelope(std::move(env), conn);
        };
        c.on_stop = [this](int code, const std::string& why) { receiver_.on_stop(code, why); };
        return c;
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
        ops_ = std::make_unique<OpsServer>(std::move(o), metrics_);
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
        const bool connected = metrics_.connected.load();
        const bool stalled =
            commit_queue_.busy_for(std::chrono::steady_clock::now()) > std::chrono::seconds(3);
        const bool replaced = commit_queue_.database_replaced() || s_.db.file_replaced();
        const bool commit_failed = commit_queue_.last_commit_failed();
        h.ok = connected && !stalled && !commit_failed && !replaced;
        h.details = {{"slack_connected", connected},
                     {"storage", replaced        ? "database file replaced"
                                 : stalled       ? "stalled"
                                 : commit_failed ? "commit failed"
                                                 : "ok"},
                     {"uptime_s", static_cast<int64_t>(metrics_.uptime_seconds())}};
        return h;
    }

    // ---- reminder thread --------------------------------------------------------------

    /// Starts the scheduler on its own thread and database connection (and, on PostgreSQL,
    /// its leadership among the instances): src/scheduler/reminder_host.hpp.
    void start_reminders() {
        reminder_sender_ = std::make_unique<SlackReminderSender>(api_, dm_channels_);
        reminders_ = std::make_unique<scheduler::ReminderHost>(config_, s_.clock, *reminder_sender_,
                                                               &metrics_, write_gate_);
        reminders_live_ = reminders_->start() ? reminders_.get() : nullptr;
    }

    /// Ends the reminder thread after the wake in progress, if any; idempotent.
    void stop_reminders() {
        if (reminders_) reminders_->stop();
        reminders_live_ = nullptr;
    }

    // ---- profile refresh thread ------------------------------------------------------

    /// Names and time zones change after someone is first seen (user_change tells most of it,
    /// but events are missed while careerbot is down): people whose profile Slack last told
    /// careerbot about more than `profile_refresh_days` ago are asked about again, at most
    /// `profile_refresh_per_minute` a minute. Reads on a connection of its own; the answers
    /// are stored by the storage thread (store_profile: a new zone moves planned reminders).
    void start_profile_refresh() {
        if (config_.slack_status.profile_refresh_days <= 0 ||
            config_.database.where() == ":memory:")
            return;
        try {
            refresh_db_ = std::make_unique<storage::Database>(config_.database.where(),
                                                              config_.database.timeout_ms());
            refresh_db_->set_write_gate(write_gate_);
        } catch (const std::exception& e) {
            log_->error("profile refresh is off: could not open the database for it: {}", e.what());
            return;
        }
        refresh_thread_ =
            std::jthread([this](const std::stop_token& stop) { refresh_profiles(stop); });
    }

    void stop_profile_refresh() {
        refresh_thread_.request_stop();
        if (refresh_thread_.joinable()) refresh_thread_.join();
    }

    void refresh_profiles(const std::stop_token& stop) {
        const auto& o = config_.slack_status;
        const auto max_age = std::chrono::hours(24) * o.profile_refresh_days;
        const auto gap = std::chrono::milliseconds(60000 / o.profile_refresh_per_minute);
        std::mutex m;
        std::condition_variable_any cv;
        // False when asked to stop during the wait.
        auto wait = [&](auto duration) {
            std::unique_lock lock(m);
            return !cv.wait_for(lock, stop, duration, [] { return false; });
        };
        // Asked in this run (users.info may fail for someone who left): not again for max_age.
        std::map<std::string, std::chrono::steady_clock::time_point> asked;
        if (!wait(std::chrono::seconds(30))) return;  // after the start-up's own lookups
        while (!stop.stop_requested()) {
            std::vector<std::string> stale;
            try {
                stale = storage::PeopleRepo(*refresh_db_)
                            .stale_profiles(s_.clock.now() - max_age,
                                            o.profile_refresh_per_minute * 60);
            } catch (const std::exception& e) {
                log_->warn("could not read the profiles to refresh: {}", e.what());
            }
            int sent = 0;
            for (const auto& id : stale) {
                auto now = std::chrono::steady_clock::now();
                if (auto it = asked.find(id); it != asked.end() && now - it->second < max_age)
                    continue;
                asked[id] = now;
                fetch_profile(id);
                ++sent;
                if (!wait(gap)) return;
            }
            if (sent > 0)
                log_->info("asked Slack for {} profiles older than {} days", sent,
                           o.profile_refresh_days);
            if (!wait(std::chrono::hours(1))) return;
        }
    }

    /// Asks Slack `question` on the lookup pool (blocking there is fine: nothing waits on it but
    /// this envelope), then queues the job again with the answer.
    void fetch_and_resume(Job job, LookupQuestion question) {
        lookup_pool_.post([this, job = std::move(job), question = std::move(question)]() mutable {
            // Shutting down: the envelope stays in the inbox and resumes at the next start.
            if (lookups_stopping_) return;
            json answer = PrefetchedLookup::fetch(lookup_, question);
            (*job.answers)[question.key()] = std::move(answer);
            commit_queue_.push(std::move(job));
        });
    }

    /// Resumes every envelope a previous run left in the inbox (at start, before Slack
    /// delivers anything new).
    void resume_inbox() {
        std::vector<storage::InboxRow> rows;
        try {
            rows = storage::EnvelopeInboxRepo(s_.db).all();
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
        auto& db = s_.db;
        const auto now = s_.clock.now();
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
                commit_queue_.push(Job{"", 0, std::move(p), std::nullopt, 0});
            });
    }

    const App& app_;
    Services& s_;  ///< the storage thread's (its database is the writer connection)
    Metrics& metrics_;
    const Config& config_;
    std::unique_ptr<OpsServer> ops_;
    /// Shared by this process's connections (storage, reader, reminders): see set_write_gate.
    std::shared_ptr<std::mutex> write_gate_ = std::make_shared<std::mutex>();
    std::unique_ptr<storage::BackgroundCheckpointer> checkpointer_;
    std::string app_token_;
    std::shared_ptr<spdlog::logger> log_ = logger("slack");

    /// The storage thread.
    CommitQueue commit_queue_{app_, s_, commit_hooks()};
    /// DMs from the outbox; its Web API callbacks push to the queue (so it is declared after it,
    /// and before api_, whose workers may still call back while it drains).
    DmOutbox dm_outbox_{
        [this](const std::string& user, const Message& message, const std::string& key,
               int64_t since_unix, bool check_first, std::function<void(bool)> done) {
            sender_.send_dm_once(user, message, key, since_unix, check_first, std::move(done));
        },
        [this](int64_t id) {
            commit_queue_.push(Job{"", 0, OutboxDone{id}, std::nullopt, 0});
        }};

    std::unique_ptr<storage::Database> reader_db_;
    std::unique_ptr<Services> reader_services_;  ///< deferred commands read through these
    std::set<std::string> deferred_commands_;

    /// Shared by the replies' and the reminders' senders; stored with each person.
    std::shared_ptr<DmChannels> dm_channels_ = std::make_shared<DmChannels>();
    // Declared after the queue: WebApi's workers may still push profile jobs while it drains.
    WebApi api_;
    ReplySender sender_;
    SlackLookup lookup_;

    // Reminder thread: the scheduler and what only it touches (after api_, which it calls).
    std::unique_ptr<SlackReminderSender> reminder_sender_;
    std::unique_ptr<scheduler::ReminderHost> reminders_;
    /// reminders_ once it runs (read by the storage thread to poke it).
    std::atomic<scheduler::ReminderHost*> reminders_live_{nullptr};
    // Profile refresh thread (after api_, which it calls).
    std::unique_ptr<storage::Database> refresh_db_;
    std::jthread refresh_thread_;
    // ReplySender::send only queues Web API calls, so one thread keeps up; the deferred pool
    // gets its thread only when a deferred command exists (idle memory counts, see B3).
    WorkerPool deferred_pool_{0, "slack"};
    WorkerPool send_pool_{1, "slack"};
    /// Asks Slack what handlers need (PrefetchedLookup), outside every write.
    WorkerPool lookup_pool_{1, "slack"};
    std::atomic<bool> lookups_stopping_{false};

    /// Envelopes acked before they committed, until answered (io thread; read at start).
    /// A local file beside the SQLite database (with PostgreSQL, beside database.path: each
    /// instance keeps its own).
    AckJournal journal_{config_.database.where() == ":memory:" ? ""
                                                               : config_.database.path + "-acks"};

    SocketModeClient client_;
    /// The io thread: envelopes in, acks out.
    SocketAdapter socket_{client_};
    Receiver receiver_{socket_, journal_, s_.clock, receiver_options(), receiver_hooks()};
};

/// Reads a token from the environment and registers it as a secret before anything logs.
std::string read_token(const char* name) {
    const char* value = std::getenv(name);
    std::string token = value ? value : "";
    if (!token.empty()) add_secret(token);
    return token;
}

}  // namespace

int run_bot(const App& app, Services& services) {
    const Config& config = services.config;
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
              storage::Database::describe(config.database.where()));

    // The storage thread frees most of what a batch allocated before the next batch arrives;
    // glibc would hand those pages back to the kernel (and fault them in again) every batch,
    // a fifth of the CPU under load. Keep up to a few MB of free heap instead.
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
    mallopt(M_MMAP_THRESHOLD, 1 << 20);

    // The process's counters, handed to every part that counts (see metrics.hpp).
    Metrics metrics;
    api.metrics = &metrics;
    Services writer = services;
    writer.metrics = &metrics;
    Bot bot(app, writer, metrics, std::move(api), app_token);
    if (!bot.check_bot_token()) return 1;
    return bot.run();
}

}  // namespace careerbot::slack
