#pragma once
// The scheduler's way into Slack: DMs tagged with message metadata, and a search of the DM's
// history for that tag after a crash.
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "src/scheduler/sender.hpp"
#include "src/slack/web_api.hpp"

namespace careerbot::slack {

/// The metadata event_type every reminder carries (its payload holds the outbox key).
inline constexpr const char* kReminderEventType = "careerbot_reminder";

/// ReminderSender over the Web API: conversations.open (cached), chat.postMessage with
/// `metadata`, conversations.history with `include_all_metadata`. Blocking: call it from a
/// thread that may wait for Slack (never the Socket Mode thread). Thread-safe.
class SlackReminderSender final : public scheduler::ReminderSender {
  public:
    explicit SlackReminderSender(WebApi& api,
                                 std::shared_ptr<DmChannels> dms = std::make_shared<DmChannels>())
        : api_(api), dms_(std::move(dms)) {}

    /// Posts the message in the user's DM; nothing on a permanent error, SenderError on a
    /// transient one (429s never surface: WebApi waits them out).
    std::optional<std::string> send_dm(const std::string& user, const Message& message,
                                       const std::string& key) override;
    /// Searches the DM's history since `since` for a message whose metadata carries `key`.
    std::optional<std::string> find_sent(const std::string& user, const std::string& key,
                                         TimePoint since) override;

  private:
    /// The DM channel with `user`; empty when Slack refuses for good, SenderError otherwise.
    std::string dm_channel(const std::string& user);

    WebApi& api_;
    std::shared_ptr<DmChannels> dms_;  ///< shared with the replies' sender
};

}  // namespace careerbot::slack
