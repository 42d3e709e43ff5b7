#include "src/slack/receiver.hpp"

#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/slack/ack_shape.hpp"

namespace careerbot::slack {

using nlohmann::json;
using std::chrono::milliseconds;

const char* const kRestartingText =
    ":hourglass: careerbot is restarting; nothing was stored. Please try again in a few seconds.";

namespace {

/// What the user did, in a few words, for the message after a restart ("`/brag shipped …`").
std::string what_of(const Request& r) {
    std::string text = r.text.size() > 60 ? r.text.substr(0, 60) + "…" : r.text;
    return "`" + r.command + (text.empty() ? "" : " " + text) + "`";
}

/// True when something is left to send after the ack.
bool has_follow_up(const Reply& r, bool message_in_ack) {
    return (r.message && !message_in_ack) || !r.more.empty() || r.open_modal || !r.dms.empty() ||
           !r.files.empty() || r.home_view;
}

}  // namespace

Receiver::Receiver(AckSocket& socket, AckJournal& journal, const Clock& clock,
                   ReceiverOptions options, ReceiverHooks hooks,
                   std::function<SteadyTime()> steady_now)
    : socket_(socket),
      journal_(journal),
      clock_(clock),
      options_(options),
      hooks_(std::move(hooks)),
      steady_now_(std::move(steady_now)),
      log_(logger("slack")),
      recent_envelopes_(options.recent_envelopes) {}

void Receiver::start() {
    socket_.post([this] { sweep(); });
}

void Receiver::on_envelope(Envelope&& env, ConnectionId conn) {
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
                log_->info("envelope {} delivered again; acked, not run twice", env.envelope_id);
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
            if (hooks_.is_deferred && hooks_.is_deferred(*env.request)) {
                // Read-only and slow: ack now, answer through response_url when ready.
                ack_now(conn, env.envelope_id);
                hooks_.run_deferred(std::move(*env.request));
                return;
            }
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
void Receiver::refuse_while_stopping(const Envelope& env, ConnectionId conn) {
    if (env.envelope_id.empty()) return;
    switch (env.kind) {
        case EnvelopeKind::slash_command: {
            auto ack = shape_ack(env.kind, "", Reply::text(kRestartingText));
            count_ack(std::nullopt);
            socket_.ack(conn, ack_message(env.envelope_id, std::move(ack.payload)));
            break;
        }
        case EnvelopeKind::interactive: {
            const Interaction& in = *env.interaction;
            if (in.type == "view_submission") {
                // Keeps the form open with what was typed; the message sits on its first
                // input block.
                std::string block_id;
                for (const auto& b : in.payload.value("/view/blocks"_json_pointer, json::array()))
                    if (b.value("type", "") == "input" && b.contains("block_id")) {
                        block_id = b.value("block_id", "");
                        break;
                    }
                Reply refusal;
                refusal.response_action = json::object();
                if (!block_id.empty())
                    refusal.response_action = json{{"response_action", "errors"},
                                                   {"errors", {{block_id, kRestartingText}}}};
                auto ack = shape_ack(env.kind, in.type, refusal);
                count_ack(std::nullopt);
                socket_.ack(conn, ack_message(env.envelope_id, std::move(ack.payload)));
            } else {
                count_ack(std::nullopt);
                socket_.ack(conn, ack_message(env.envelope_id));
                if (!in.response_url.empty() && hooks_.tell)
                    hooks_.tell(in.response_url, kRestartingText);
            }
            break;
        }
        default:
            log_->debug("shutting down; leaving {} envelope {} unacked for Slack to redeliver",
                        kind_name(env.kind), env.envelope_id);
            return;
    }
    log_->info("shutting down; told the user of {} envelope {} to try again", kind_name(env.kind),
               env.envelope_id);
}

template <class T>
void Receiver::enqueue(const std::string& envelope_id, ConnectionId conn, T&& item,
                       bool may_ack_early) {
    const auto now = steady_now_();
    Pending p{conn, now, now + options_.ack_deadline, may_ack_early, {}, {}};
    if constexpr (std::is_same_v<std::decay_t<T>, Request>) {
        p.response_url = item.response_url;
        p.what = what_of(item);
    } else if constexpr (std::is_same_v<std::decay_t<T>, Interaction>) {
        p.response_url = item.response_url;
        p.what = "what you clicked or submitted";
    }
    pending_[envelope_id] = std::move(p);
    hooks_.submit(Job{envelope_id, conn, std::forward<T>(item), std::nullopt, 0});
}

/// Acks an envelope that needs no storage work (read-only, unknown, malformed).
void Receiver::ack_now(ConnectionId conn, const std::string& envelope_id) {
    count_ack(std::chrono::nanoseconds(0));
    socket_.ack(conn, ack_message(envelope_id));
}

void Receiver::count_ack(std::optional<std::chrono::nanoseconds> latency, bool late) {
    Metrics* m = options_.metrics;
    if (m == nullptr) return;
    ++m->acks;
    if (late) ++m->acks_late;
    if (latency) m->observe_ack(*latency);
}

void Receiver::on_outcomes(std::vector<Outcome>& outcomes) {
    const auto now = steady_now_();
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
            auto ack = shape_ack(o.kind, o.interaction_type, o.reply);
            message_in_ack = ack.message_in_ack;
            count_ack(now - received);
            socket_.ack(o.connection, ack_message(o.envelope_id, std::move(ack.payload)));
        }
        if (has_follow_up(o.reply, message_in_ack) && hooks_.follow_up)
            hooks_.follow_up(std::move(o.reply), std::move(o.target), message_in_ack);
        if (!o.outbox.empty() && hooks_.send_dms) hooks_.send_dms(std::move(o.outbox));
        // Answered, refused, or safe in the inbox (which answers by itself): nothing left
        // for a restart to tell.
        if (acked_already || o.waiting) journal_.resolved(o.envelope_id);
    }
}

void Receiver::sweep() {
    const auto now = steady_now_();
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->second.may_ack_early && now >= it->second.deadline) {
            log_->warn("envelope {} not ready within {} ms; acked, the answer follows", it->first,
                       options_.ack_deadline.count());
            // Until its answer is on its way, a restart must still be able to tell this user.
            if (!it->second.response_url.empty())
                journal_.acked_early(
                    {it->first, it->second.response_url, it->second.what, clock_.now()});
            count_ack(now - it->second.received, /*late=*/true);
            socket_.ack(it->second.connection, ack_message(it->first));
            it = pending_.erase(it);
        } else {
            ++it;
        }
    }
    if (!stopping_) socket_.post_after(options_.sweep_every, [this] { sweep(); });
}

void Receiver::on_stop(int code, const std::string& why) {
    if (code != 0) exit_code_ = code;
    if (stopping_) return;
    stopping_ = true;
    stop_started_ = steady_now_();
    log_->info("shutting down ({}): committing and acking {} envelopes in flight", why,
               pending_.size());
    // The storage thread posts its last acks before this callback, so the close frame
    // below is queued behind them.
    hooks_.flush(
        [this] { socket_.post([this] { socket_.shutdown([this] { socket_.stop(); }); }); });
    socket_.post_after(options_.shutdown_budget - milliseconds(1000), [this] {
        log_->warn("shutdown is taking too long; stopping now");
        socket_.stop();
    });
}

}  // namespace careerbot::slack
