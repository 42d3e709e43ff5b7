#pragma once
#include "src/core/app.hpp"

namespace careerbot::slack {

/// `careerbot run`: reads SLACK_BOT_TOKEN, SLACK_APP_TOKEN and SLACK_API_URL from the
/// environment, connects over Socket Mode, serves the App until SIGTERM/SIGINT or a fatal
/// disconnect, and returns the process exit code. `services` are the writer connection's;
/// deferred commands get a reader connection of their own.
int run_bot(const App& app, Services& services);

}  // namespace careerbot::slack
