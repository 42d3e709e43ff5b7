// Turns a core Reply into Web API calls. Nothing here blocks the caller: every call is queued on
// WebApi, and steps that depend on each other (pages in order, the upload after the DM opens)
// are chained through callbacks.
#include <functional>
#include <iterator>
#include <map>
#include <mutex>

#include "src/core/logging.hpp"
#include "src/slack/ack_shape.hpp"
#include "src/slack/web_api.hpp"

namespace careerbot::slack {
namespace {

using json = nlohmann::json;

std::string string_at(const json& body, const char* outer, const char* inner) {
    if (!body.is_object() || !body.contains(outer) || !body[outer].is_object()) return {};
    const json& o = body[outer];
    auto it = o.find(inner);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// How many times Slack accepts posts to one response_url.
constexpr std::size_t kResponseUrlUses = 5;

/// One call in an ordered chain: a Web API method, or (method empty) a response_url post.
struct Step {
    std::string method;
    std::string url;
    json payload;
};

// Each step starts when the previous one has finished, whatever its outcome, so pages arrive
// in order even with several workers.
void run_chain(WebApi* api, const std::shared_ptr<std::vector<Step>>& steps, std::size_t i,
               std::function<void()> then = {}) {
    if (i >= steps->size()) {
        if (then) then();
        return;
    }
    auto next = [api, steps, i, then = std::move(then)](const ApiResult&) {
        run_chain(api, steps, i + 1, then);
    };
    const Step& step = (*steps)[i];
    if (step.method.empty()) {
        api->post_response_url_async(step.url, step.payload, std::move(next));
    } else {
        api->call_async(step.method, step.payload, std::move(next));
    }
}

}  // namespace

void DmChannels::set_persist(Persist persist) {
    std::lock_guard lock(mutex_);
    persist_ = std::move(persist);
}

void DmChannels::preload(const std::map<std::string, std::string>& known) {
    std::lock_guard lock(mutex_);
    for (const auto& [user, channel] : known) channels_[user] = channel;
}

std::optional<std::string> DmChannels::find(const std::string& user) {
    std::lock_guard lock(mutex_);
    auto it = channels_.find(user);
    if (it == channels_.end()) return std::nullopt;
    return it->second;
}

void DmChannels::learn(const std::string& user, const std::string& channel) {
    Persist persist;
    {
        std::lock_guard lock(mutex_);
        auto [it, added] = channels_.insert_or_assign(user, channel);
        (void)it;
        if (!added) return;
        persist = persist_;
    }
    if (persist) persist(user, channel);
}

void DmChannels::forget(const std::string& user) {
    std::lock_guard lock(mutex_);
    channels_.erase(user);
}

void ReplySender::with_dm_channel(WebApi& api, const std::shared_ptr<DmCache>& dms,
                                  const std::string& user_id,
                                  std::function<void(const std::string&)> then) {
    std::string cached;
    {
        std::lock_guard lock(dms->mutex_);
        auto it = dms->channels_.find(user_id);
        if (it != dms->channels_.end()) {
            cached = it->second;
        } else {
            auto& waiters = dms->waiting_[user_id];
            waiters.push_back(std::move(then));
            if (waiters.size() > 1) return;  // the first caller's conversations.open serves all
        }
    }
    if (!cached.empty()) {
        then(cached);  // NOLINT(bugprone-use-after-move): moved only when nothing was cached
        return;
    }
    api.call_async("conversations.open", json{{"users", user_id}},
                   [dms, user_id](const ApiResult& r) {
                       std::string channel = r.ok ? string_at(r.body, "channel", "id") : "";
                       // Learnt before the waiters are released, so a caller arriving in
                       // between finds the channel instead of opening it again.
                       if (!channel.empty()) dms->learn(user_id, channel);
                       std::vector<std::function<void(const std::string&)>> waiters;
                       {
                           std::lock_guard lock(dms->mutex_);
                           waiters.swap(dms->waiting_[user_id]);
                           dms->waiting_.erase(user_id);
                       }
                       if (channel.empty()) {
                           logger("slack")->error("could not open a DM with {}: {}", user_id,
                                                  r.ok ? "no channel id" : r.error);
                       }
                       for (auto& waiter : waiters) waiter(channel);
                   });
}

void ReplySender::deliver(WebApi& api, const std::shared_ptr<DmCache>& dms,
                          std::vector<Message> pages, const ReplyTarget& target, bool in_channel) {
    if (pages.empty()) return;
    auto steps = std::make_shared<std::vector<Step>>();
    if (!target.response_url.empty()) {
        // Slack accepts a response_url "up to 5 times within 30 minutes"
        // (https://api.slack.com/interactivity/handling#message_responses). A longer answer
        // (a large summary) sends four pages there, a fifth use saying where the rest is, and
        // the rest in the person's DM with the bot, which only they see, in order.
        std::vector<Message> rest;
        if (pages.size() > kResponseUrlUses && !target.user_id.empty()) {
            rest.assign(std::make_move_iterator(pages.begin() + (kResponseUrlUses - 1)),
                        std::make_move_iterator(pages.end()));
            pages.resize(kResponseUrlUses - 1);
            const std::string note = ":incoming_envelope: The rest of this answer (" +
                                     std::to_string(rest.size()) +
                                     " more messages) is in your DM with careerbot.";
            Message m;
            m.text = note;
            m.blocks = json::array(
                {json{{"type", "context"},
                      {"elements", json::array({json{{"type", "mrkdwn"}, {"text", note}}})}}});
            pages.push_back(std::move(m));
        }
        for (std::size_t i = 0; i < pages.size(); ++i) {
            json payload = message_json(pages[i]);
            // Only the first page replaces the message with the button; the others follow it.
            if (i == 0 && target.replace_original) {
                payload["replace_original"] = true;
            } else {
                payload["response_type"] = in_channel ? "in_channel" : "ephemeral";
            }
            steps->push_back(Step{"", target.response_url, std::move(payload)});
        }
        if (rest.empty()) {
            run_chain(&api, steps, 0);
            return;
        }
        // The DM pages start once the response_url pages are through.
        auto dm_pages = std::make_shared<std::vector<Message>>(std::move(rest));
        auto after = [api = &api, dms, user = target.user_id, dm_pages] {
            with_dm_channel(*api, dms, user, [api, dm_pages](const std::string& channel) {
                if (channel.empty()) return;  // already logged
                auto chain = std::make_shared<std::vector<Step>>();
                for (const auto& page : *dm_pages) {
                    json args = message_json(page);
                    args["channel"] = channel;
                    chain->push_back(Step{"chat.postMessage", "", std::move(args)});
                }
                run_chain(api, chain, 0);
            });
        };
        run_chain(&api, steps, 0, std::move(after));
        return;
    }
    // No response_url (events, App Home buttons): answer in the channel, privately when the
    // reply is ephemeral, or in a DM when there is no channel.
    if (!target.channel_id.empty() && (in_channel || !target.user_id.empty())) {
        for (const auto& page : pages) {
            json args = message_json(page);
            args["channel"] = target.channel_id;
            if (!in_channel) args["user"] = target.user_id;
            steps->push_back(
                Step{in_channel ? "chat.postMessage" : "chat.postEphemeral", "", std::move(args)});
        }
        run_chain(&api, steps, 0);
        return;
    }
    if (target.user_id.empty()) {
        logger("slack")->warn("a reply with nowhere to go was dropped");
        return;
    }
    with_dm_channel(api, dms, target.user_id,
                    [api = &api, pages = std::move(pages)](const std::string& channel) {
                        if (channel.empty()) return;  // already logged
                        auto chain = std::make_shared<std::vector<Step>>();
                        for (const auto& page : pages) {
                            json args = message_json(page);
                            args["channel"] = channel;
                            chain->push_back(Step{"chat.postMessage", "", std::move(args)});
                        }
                        run_chain(api, chain, 0);
                    });
}

void ReplySender::send_dm_via(WebApi& api, const std::shared_ptr<DmCache>& dms,
                              const std::string& user_id, const Message& message) {
    with_dm_channel(api, dms, user_id, [api = &api, message](const std::string& channel) {
        if (channel.empty()) return;  // already logged
        json args = message_json(message);
        args["channel"] = channel;
        api->call_async("chat.postMessage", args);
    });
}

void ReplySender::send(const Reply& reply, const ReplyTarget& target, bool message_in_ack) {
    std::vector<Message> pages;
    if (reply.message && !message_in_ack) pages.push_back(*reply.message);
    pages.insert(pages.end(), reply.more.begin(), reply.more.end());

    if (reply.open_modal) {
        // The modal replaces the message; the message is only the fallback if it cannot open.
        std::vector<Message> after_modal = reply.more;
        if (target.trigger_id.empty()) {
            logger("slack")->warn("a modal without a trigger_id was not opened");
            deliver(api_, dms_, std::move(pages), target, reply.in_channel);
        } else {
            api_.call_async("views.open",
                            json{{"trigger_id", target.trigger_id}, {"view", *reply.open_modal}},
                            [api = &api_, dms = dms_, target, in_channel = reply.in_channel,
                             fallback = std::move(pages),
                             after_modal = std::move(after_modal)](const ApiResult& r) mutable {
                                if (r.ok) {
                                    deliver(*api, dms, std::move(after_modal), target, in_channel);
                                    return;
                                }
                                if (fallback.empty()) {
                                    fallback.push_back(Message{"Sorry, I couldn't open the form (" +
                                                               r.error + "). Please try again."});
                                }
                                deliver(*api, dms, std::move(fallback), target, in_channel);
                            });
        }
    } else {
        deliver(api_, dms_, std::move(pages), target, reply.in_channel);
    }

    if (reply.home_view) {
        if (target.user_id.empty()) {
            logger("slack")->warn("an App Home view without a user was not published");
        } else {
            api_.call_async("views.publish",
                            json{{"user_id", target.user_id}, {"view", *reply.home_view}});
        }
    }

    for (const auto& dm : reply.dms) send_dm_via(api_, dms_, dm.user_id, dm.message);

    // Files go to the DM with the person who asked, never the channel: exports are private.
    std::string comment = reply.message ? reply.message->text : "";
    for (const auto& file : reply.files) {
        if (target.user_id.empty()) {
            logger("slack")->warn("file {} without a user was not uploaded", file.filename);
            continue;
        }
        with_dm_channel(
            api_, dms_, target.user_id,
            [api = &api_, file, comment, url = target.response_url](const std::string& channel) {
                if (channel.empty()) return;  // already logged
                // upload_file blocks through three requests, so it runs on a worker.
                api->run_async([api, file, comment, url, channel] {
                    ApiResult r = api->upload_file(file, channel, comment);
                    if (r.ok) return;
                    logger("slack")->error("could not upload {}: {}", file.filename, r.error);
                    if (url.empty()) return;
                    api->post_response_url_async(
                        url, json{{"text", "Sorry, I couldn't send you " + file.filename + " (" +
                                               r.error + "). Please try again."},
                                  {"response_type", "ephemeral"}});
                });
            });
        comment.clear();  // the reply's text introduces the first file only
    }
}

void ReplySender::send_dm_once(const std::string& user_id, const Message& message,
                               const std::string& key, int64_t since_unix, bool check_first,
                               std::function<void(bool)> done) {
    with_dm_channel(
        api_, dms_, user_id,
        [api = &api_, dms = dms_, user_id, message, key, since_unix, check_first,
         done = std::move(done)](const std::string& channel) {
            if (channel.empty()) {  // already logged; tried again later
                done(false);
                return;
            }
            json args = message_json(message);
            args["channel"] = channel;
            args["metadata"] = {{"event_type", "careerbot_outbox"},
                                {"event_payload", {{"key", key}}}};
            api->post_message_once(
                args, since_unix, check_first, [dms, user_id, key, done](const ApiResult& r) {
                    if (r.ok) return done(true);
                    // A stale DM channel: opened afresh next time.
                    if (r.error == "channel_not_found") {
                        dms->forget(user_id);
                        return done(false);
                    }
                    if (refused_for_good(r.error)) {
                        logger("slack")->error("DM {} to {} refused by Slack for good: {}", key,
                                               user_id, r.error);
                        return done(true);
                    }
                    done(false);
                });
        });
}

void ReplySender::send_dm(const std::string& user_id, const Message& message) {
    send_dm_via(api_, dms_, user_id, message);
}

}  // namespace careerbot::slack
