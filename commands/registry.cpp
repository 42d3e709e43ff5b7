#include "commands/registry.hpp"

namespace careerbot::commands {

void register_all(App& app) {
    register_brag(app);
    register_task(app);
    register_ido(app);
    register_checkin(app);
    register_feedback(app);
    register_team(app);
    register_quarter_summary(app);
    register_promo(app);
    register_cert(app);
    register_review(app);
    register_home(app);
    register_oneonone(app);
    register_away(app);
    register_internship(app);
    register_following_slack(app);
    register_help(app);
}

}  // namespace careerbot::commands
