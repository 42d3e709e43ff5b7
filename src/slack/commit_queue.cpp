#include "src/slack/commit_queue.hpp"

#include "src/core/directory.hpp"
#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "storage/events.hpp"

namespace careerbot::slack {

using nlohmann::json;
using SteadyTime = std::chrono::steady_clock::time_point;

const char* const kReplacedText =
    ":warning: careerbot's database file was deleted or replaced while it was running, so "
    "nothing was stored. The admins have to restart careerbot; please try again after that.";

namespace {

/// How long event ids are remembered: well past Slack's last retry (5 minutes).
constexpr auto kEventMemory = std::chrono::hours(2);
/// How often old event ids are pruned.
constexpr auto kPruneEvery = std::chrono::minutes(10);

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

/// Event dedupe, the one place: true the first time `e` is seen. Stored with the handler's
/// writes, so a retry after a crash is processed iff the first try never committed. A job
/// resumed from the inbox was remembered when it first ran.
bool first_delivery(storage::ProcessedEventsRepo& events, const Job& job, const Event& e,
                    TimePoint now) {
    return job.answers || e.event_id.empty() || events.remember(e.event_id, now);
}

}  // namespace

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

json outbox_message_json(const Message& m) { return json{{"text", m.text}, {"blocks", m.blocks}}; }

Message outbox_message(const std::string& row) {
    json j = json::parse(row, nullptr, false);
    Message m;
    if (!j.is_object()) return m;
    m.text = j.value("text", "");
    m.blocks = j.value("blocks", json::array());
    return m;
}

CommitQueue::CommitQueue(const App& app, Services& services, CommitQueueHooks hooks)
    : app_(app), s_(services), hooks_(std::move(hooks)), log_(logger("slack")) {}

CommitQueue::~CommitQueue() { stop(); }

void CommitQueue::start() {
    thread_ = std::thread([this] { loop(); });
}

void CommitQueue::push(Job job) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(job));
    }
    cv_.notify_one();
}

void CommitQueue::flush(std::function<void()> done) {
    {
        std::lock_guard lock(mutex_);
        flush_waiters_.push_back(std::move(done));
    }
    cv_.notify_one();
}

void CommitQueue::stop() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
}

std::chrono::steady_clock::duration CommitQueue::busy_for(SteadyTime now) const {
    const int64_t started = batch_started_.load();
    return started == 0 ? SteadyTime::duration(0)
                        : now.time_since_epoch() - SteadyTime::duration(started);
}

void CommitQueue::loop() {
    std::vector<Job> batch;
    for (;;) {
        std::vector<std::function<void()>> flushes;
        bool stop = false;
        {
            std::unique_lock lock(mutex_);
            cv_.wait_for(lock, std::chrono::minutes(1),
                         [&] { return !queue_.empty() || !flush_waiters_.empty() || stop_; });
            batch.swap(queue_);
            flushes.swap(flush_waiters_);
            stop = stop_;
        }
        if (!batch.empty()) run_batch(batch);
        batch.clear();
        maybe_prune();
        if (hooks_.between_batches) hooks_.between_batches();
        for (auto& f : flushes) f();
        if (stop) {
            std::lock_guard lock(mutex_);
            if (queue_.empty()) return;
        }
    }
}

void CommitQueue::run_batch(std::vector<Job>& batch) {
    batch_started_ = std::chrono::steady_clock::now().time_since_epoch().count();
    struct Done {
        std::atomic<int64_t>& started;
        ~Done() { started = 0; }
    } done{batch_started_};
    auto& db = s_.db;
    const auto now = s_.clock.now();
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
                    s_.config.database.path);
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
                Services services{db, s_.clock, s_.config, &lookup, s_.metrics};
                const int64_t changes = db.total_changes();
                // A job resumed from the inbox runs once its row is taken, in this transaction:
                // every instance resumes the whole inbox at its start, so a live instance may
                // be running the same envelope, and only one of them may complete it.
                if (job.answers && !inbox.remove(job.envelope_id)) {
                    log_->info("envelope {} was completed by another run; skipped",
                               job.envelope_id);
                    ran[i] = 1;
                    outcomes.push_back(std::move(o));
                    continue;
                }
                try {
                    std::visit(
                        Overloaded{
                            [&](const Request& r) {
                                o.kind = EnvelopeKind::slash_command;
                                o.target = target_of(r);
                                o.reply = app_.handle(services, r);
                                users.push_back(r.user_id);
                                plans_reminders |= app_.plans_reminders(r);
                            },
                            [&](const Event& e) {
                                o.kind = EnvelopeKind::event;
                                o.target = target_of(e);
                                if (!first_delivery(events, job, e, now)) {
                                    log_->info("event {} ({}) already processed; acked only",
                                               e.event_id, e.type);
                                    if (s_.metrics != nullptr) ++s_.metrics->events_duplicate;
                                    return;
                                }
                                o.reply = app_.handle(services, e);
                                plans_reminders |= app_.plans_reminders(e);
                                // user_change arrives for everyone in the workspace: its user
                                // is not someone to look up and add.
                                if (!e.user_id.empty() && e.type != "user_change")
                                    users.push_back(e.user_id);
                            },
                            [&](const Interaction& in) {
                                o.kind = EnvelopeKind::interactive;
                                o.interaction_type = in.type;
                                o.target = target_of(in);
                                o.reply = app_.handle(services, in);
                                plans_reminders |= app_.plans_reminders(in);
                                users.push_back(in.user_id);
                            },
                            [&](const storage::Person& p) {
                                // A refreshed profile with a new zone moves planned reminders.
                                plans_reminders |= store_profile(db, s_.config, p, now);
                            },
                            [&](const StoreDmChannel& d) {
                                storage::PeopleRepo(db).set_dm_channel(d.user_id, d.channel);
                            },
                            [&](const OutboxDone& d) { storage::OutboxRepo(db).remove(d.id); },
                        },
                        job.item);
                    // DMs to people leave only through the outbox, written with the
                    // handler's writes: sent after COMMIT, exactly once, even across a crash.
                    storage::OutboxRepo outbox(db);
                    for (auto& dm : o.reply.dms)
                        o.outbox.emplace_back(
                            outbox.add(dm.user_id, outbox_message_json(dm.message).dump(), now),
                            std::move(dm));
                    o.reply.dms.clear();
                } catch (const LookupNeeded& need) {
                    if (db.tainted()) return;  // rolled back and redone with savepoints
                    // The handler's savepoint is rolled back. Store the envelope with its
                    // question; it is acked empty and runs again once Slack answered.
                    o.reply = Reply::none();
                    o.waiting = need.question;
                    o.answers = lookup.answers();
                    inbox.put({job.envelope_id, inbox_kind(job), item_json(job).dump(),
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
            if (s_.metrics != nullptr) ++s_.metrics->commit_failures;
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
    // Envelopes waiting for Slack: ask it now, outside the write, and run them again.
    for (std::size_t i = 0; i < outcomes.size() && i < batch.size(); ++i) {
        if (!outcomes[i].waiting) continue;
        Job next = std::move(batch[i]);
        next.answers = outcomes[i].answers;
        ++next.rounds;
        if (hooks_.ask_slack) hooks_.ask_slack(std::move(next), *outcomes[i].waiting);
    }
    // Only now, after COMMIT returned, may the acks go out.
    if (hooks_.committed) hooks_.committed(std::move(outcomes));
    if (plans_reminders && hooks_.reminders_planned) hooks_.reminders_planned();
    if (hooks_.learn_profile)
        for (auto& user : to_fetch) hooks_.learn_profile(user);
}

void CommitQueue::find_unprofiled(storage::Database& db, const std::vector<std::string>& users,
                                  std::vector<std::string>& out) {
    for (const auto& id : users) {
        if (id.empty() || !profiled_.insert(id).second) continue;
        if (needs_profile(db, id)) out.push_back(id);
    }
}

void CommitQueue::maybe_prune() {
    const auto now = std::chrono::steady_clock::now();
    if (last_prune_ && now - *last_prune_ < kPruneEvery) return;
    last_prune_ = now;
    auto& db = s_.db;
    try {
        int removed = 0;
        db.write([&] {
            removed = storage::ProcessedEventsRepo(db).prune(s_.clock.now() - kEventMemory);
            storage::EnvelopeInboxRepo(db).prune_committed(s_.clock.now() - std::chrono::hours(1));
        });
        if (removed > 0) log_->debug("forgot {} processed event ids", removed);
    } catch (const std::exception& e) {
        log_->warn("could not prune processed events: {}", e.what());
    }
}

}  // namespace careerbot::slack
