#include "commands/registry.hpp"

namespace careerbot::commands {

void register_all(App& app) {
    register_brag(app);
}

}  // namespace careerbot::commands
