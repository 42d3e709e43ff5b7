#pragma once
#include "src/core/app.hpp"

namespace careerbot::commands {

/// Registers /brag, its modal and its buttons.
void register_brag(App& app);

/// Registers every command and interaction careerbot has; the one list of registrations.
void register_all(App& app);

}  // namespace careerbot::commands
