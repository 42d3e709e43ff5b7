#pragma once
#include <optional>
#include <string>

#include "src/core/clock.hpp"
#include "src/core/error.hpp"
#include "src/core/reply.hpp"

namespace careerbot::scheduler {

/// Slack could not be asked (network down, Slack erroring): the caller tries again later.
class SenderError : public Error {
  public:
    using Error::Error;
};

/// How the scheduler reaches people; Slack in production, a fake in tests.
class ReminderSender {
  public:
    virtual ~ReminderSender() = default;
    /// Sends `message` to `user` privately, tagged with `key` so find_sent() can see it later.
    /// Returns the message ts, or nothing when it was certainly not delivered (a permanent
    /// error such as an unknown user). Rate limits only delay; it never gives up on them.
    virtual std::optional<std::string> send_dm(const std::string& user, const Message& message,
                                               const std::string& key) = 0;
    /// The ts of a message to `user` tagged with `key` posted at or after `since`, if Slack has
    /// one. Throws SenderError when Slack cannot be asked, so "not found" is never a guess.
    virtual std::optional<std::string> find_sent(const std::string& user, const std::string& key,
                                                 TimePoint since) = 0;
};

}  // namespace careerbot::scheduler
