#pragma once
#include <iosfwd>
#include <string>

#include "src/core/app.hpp"

namespace careerbot {

/// The console adapter: reads slash commands line by line and prints replies as text, through
/// the same router and storage as Slack. `@name` in typed text becomes a mention of that person,
/// as a Slack mention names a Slack user; like a Slack user id, a handle nobody has yet is only
/// a name until a command that writes learns the person (so a read or a refusal adds nobody).
class Console {
  public:
    /// `as` is the handle (or Slack user id) of the person typing; `services` are what the
    /// handlers run with.
    Console(const App& app, Services& services, const std::string& as);

    /// Processes every line of `in` until end of input or `quit`; returns the exit code (0).
    /// `interactive` adds a greeting and a prompt.
    int run(std::istream& in, std::ostream& out, bool interactive);

    /// Runs one line and returns what would be printed.
    std::string execute(const std::string& line);

  private:
    /// Slack-formats what was typed: escapes `&<>`, turns `@name` into `<@id>`.
    std::string to_slack_text(const std::string& typed);
    std::string render(const Reply& reply);
    /// The App Home tab of the console's user, rendered as text (`/home`).
    std::string home();

    const App& app_;
    Services& s_;
    std::string user_id_;
};

/// The person id a typed handle (with or without `@`) names: an existing person whose id or
/// handle matches, otherwise the handle itself (the id that person gets when a command that
/// writes learns them). Writes nothing.
std::string console_person_id(Services& s, const std::string& handle);

/// The person id a console user acts as: console_person_id(), the person added if new.
std::string console_user_id(Services& s, const std::string& as);

}  // namespace careerbot
