#pragma once
// The handlers' window on Slack (careerbot::Lookup) over the Web API's form-encoded read
// methods: chat.getPermalink, conversations.history/replies and users.info.
#include <optional>
#include <string>

#include "src/core/lookup.hpp"
#include "src/slack/web_api.hpp"

namespace careerbot::slack {

/// Lookup over WebApi::call_form. Every call blocks until Slack answers (429s are waited
/// out), so it must never run on the Socket Mode thread; handlers use it only on rare paths
/// (shortcuts, reactions). Failures are logged by WebApi and answered with nothing.
/// Thread-safe.
class SlackLookup final : public Lookup {
  public:
    /// Keeps a reference to `api`, which must outlive this lookup.
    explicit SlackLookup(WebApi& api) : api_(api) {}

    /// chat.getPermalink(channel, message_ts).
    std::optional<std::string> permalink(const std::string& channel,
                                         const std::string& ts) override;
    /// conversations.history narrowed to `ts`, then conversations.replies for a message that
    /// lives only in a thread.
    std::optional<SlackMessage> message(const std::string& channel, const std::string& ts) override;
    /// users.info: name is profile.display_name, else the handle.
    std::optional<SlackUser> user(const std::string& id) override;

  private:
    WebApi& api_;
};

/// The SlackMessage at `ts` in a conversations.history/replies answer, if present.
std::optional<SlackMessage> message_from_answer(const nlohmann::json& body, const std::string& ts);

/// The SlackUser in a users.info answer, if present.
std::optional<SlackUser> user_from_answer(const nlohmann::json& body);

}  // namespace careerbot::slack
