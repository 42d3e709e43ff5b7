#pragma once
#include <iosfwd>
#include <string>

#include "src/core/app.hpp"

namespace careerbot {

/// The console adapter: reads slash commands line by line and prints replies as text, through
/// the same router and storage as Slack. `@name` in typed text becomes a mention of that person
/// (created on first mention, as Slack users are), so every command can be tried without Slack.
class Console {
public:
    /// `as` is the handle (or Slack user id) of the person typing.
    Console(App& app, std::string as);

    /// Processes every line of `in` until end of input or `quit`; returns the exit code (0).
    /// `interactive` adds a greeting and a prompt.
    int run(std::istream& in, std::ostream& out, bool interactive);

    /// Runs one line and returns what would be printed.
    std::string execute(const std::string& line);

private:
    /// Slack-formats what was typed: escapes `&<>`, turns `@name` into `<@id>`.
    std::string to_slack_text(const std::string& typed);
    std::string render(const Reply& reply);

    App& app_;
    std::string user_id_;
};

/// The person id a console user acts as: an existing person whose handle or id matches `as`,
/// otherwise a new person with `as` as both id and handle.
std::string console_user_id(App& app, const std::string& as);

}  // namespace careerbot
