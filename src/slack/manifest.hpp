#pragma once
// The Slack app manifest, generated from the registered commands so the app configuration in
// Slack cannot drift from the code. `careerbot manifest` prints it.
#include <nlohmann/json.hpp>

#include "src/core/app.hpp"

namespace careerbot::slack {

/// Slack's app manifest (schema version 1) for `app`: Socket Mode, one slash command per
/// registered command, the "Save as feedback" message shortcut, the events and the minimum
/// bot scopes careerbot uses.
nlohmann::json slack_manifest(const App& app);

}  // namespace careerbot::slack
