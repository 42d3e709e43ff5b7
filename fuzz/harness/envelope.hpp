#pragma once
// fuzz_envelope: one Socket Mode websocket message, end to end as the bot handles it:
// parse_envelope (documented never to throw), the ack, and for slash commands, events and
// interactions the App handler it is dispatched to (src/slack/bot.cpp on_envelope) with the
// ack payload that carries the answer.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz/harness/common.hpp"
#include "src/core/lookup.hpp"
#include "src/slack/ack_shape.hpp"
#include "src/slack/envelope.hpp"
#include "src/slack/web_api.hpp"

namespace careerbot::fuzz {

namespace detail {

/// Slack as seen from a handler: every message exists and praises alice, written by bob, so
/// the reaction and shortcut paths that save feedback run to the end.
class FakeLookup final : public Lookup {
  public:
    std::optional<std::string> permalink(const std::string& channel,
                                         const std::string& ts) override {
        return "https://example.slack.com/archives/" + channel + "/p" + ts;
    }
    std::optional<SlackMessage> message(const std::string&, const std::string& ts) override {
        SlackMessage m;
        m.text = "<@alice> nailed the demo &amp; the Q&amp;A <https://example.com|slides>";
        m.user_id = "bob";
        m.ts = ts;
        return m;
    }
    std::optional<SlackUser> user(const std::string& id) override {
        return SlackUser{id, id, "Real " + id, "Europe/Paris", false};
    }
};

inline void check_ack(const std::string& envelope_id, const nlohmann::json& payload) {
    std::string ack = slack::ack_message(envelope_id, payload);
    auto back = nlohmann::json::parse(ack, nullptr, false);
    require(back.is_object() && back.value("envelope_id", std::string()) == envelope_id,
            "the ack does not carry the envelope_id back: " + preview(ack));
}

}  // namespace detail

inline void check_envelope(std::string_view in) {
    World& w = world();
    static detail::FakeLookup lookup;
    w.services.slack = &lookup;

    slack::Envelope env;
    try {
        env = slack::parse_envelope(in, w.clock.now());
    } catch (const std::exception& e) {
        throw Failure(std::string("parse_envelope threw: ") + e.what());
    }
    require(slack::kind_name(env.kind) != nullptr, "no kind name");
    using K = slack::EnvelopeKind;
    switch (env.kind) {
        case K::slash_command:
            require(env.request && !env.request->command.empty() && !env.request->user_id.empty() &&
                        !env.envelope_id.empty(),
                    "slash_command envelope without its request");
            break;
        case K::event:
            require(env.event && !env.event->type.empty() && !env.envelope_id.empty(),
                    "event envelope without its event");
            break;
        case K::interactive:
            require(env.interaction && !env.interaction->key.empty() &&
                        !env.interaction->user_id.empty() && !env.envelope_id.empty(),
                    "interactive envelope without its interaction");
            break;
        case K::malformed:
            require(!env.reason.empty(), "malformed envelope without a reason");
            break;
        default:
            break;
    }
    if (!env.envelope_id.empty()) detail::check_ack(env.envelope_id, nlohmann::json());

    w.sandbox(
        [&] {
            std::optional<Reply> reply;
            std::string what = std::string(slack::kind_name(env.kind)) + " envelope";
            if (env.kind == K::slash_command) {
                const Request& r = *env.request;
                reply = w.deferred.contains(r.command) ? w.app.handle_read(w.services, r)
                                                       : w.app.handle(w.services, r);
            } else if (env.kind == K::event) {
                reply = w.app.handle(w.services, *env.event);
            } else if (env.kind == K::interactive) {
                reply = w.app.handle(w.services, *env.interaction);
            }
            if (!reply) return;
            check_reply(*reply, what, true);  // JSON strings are valid UTF-8
            (void)w.render(*reply);
            // What the transport puts in the ack (src/slack/ack_shape.hpp): the message for
            // slash commands, the response_action for modal submissions.
            detail::check_ack(
                env.envelope_id,
                slack::shape_ack(env.kind, env.interaction ? env.interaction->type : "", *reply)
                    .payload);
            if (reply->response_action) detail::check_ack(env.envelope_id, *reply->response_action);
        },
        /*tolerate_json_shape=*/env.kind == K::event || env.kind == K::interactive);
}

}  // namespace careerbot::fuzz
