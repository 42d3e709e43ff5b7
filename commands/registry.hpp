#pragma once
#include "src/core/app.hpp"

namespace careerbot::commands {

/// Registers /brag, its modal and its buttons.
void register_brag(App& app);

/// Registers /feedback, the "Save as feedback" shortcut and the feedback reaction.
void register_feedback(App& app);

/// Registers /team (the org chart).
void register_team(App& app);

/// Registers /task (check-in tasks with due dates).
void register_task(App& app);

/// Registers /ido (the quarter's development objective, mentor and progress notes).
void register_ido(App& app);

/// Registers /checkin (career check-ins: goals, reality, plan, cadence).
void register_checkin(App& app);

/// Registers /1on1 (the 1:1 cadence) and the buttons on reminders.
void register_oneonone(App& app);

/// Registers /away (absences that pause reminders).
void register_away(App& app);

/// Registers /internship (internships for learning) and its Approve / Decline buttons.
void register_internship(App& app);
/// Registers the user_change event: away statuses, time zones and names from Slack.
void register_following_slack(App& app);

/// Registers /quarter-summary (a deferred, read-only command).
void register_quarter_summary(App& app);

/// Registers /promo (levels, readiness, promotion petitions).
void register_promo(App& app);

/// Registers /cert (training and certifications).
void register_cert(App& app);

/// Registers /review (the quarterly review's performance factor).
void register_review(App& app);

/// Registers the App Home tab (app_home_opened).
void register_home(App& app);

/// Registers /careerbot, the overview of every command (after the others, so it lists them).
void register_help(App& app);

/// Registers every command and interaction careerbot has; the one list of registrations.
void register_all(App& app);

}  // namespace careerbot::commands
