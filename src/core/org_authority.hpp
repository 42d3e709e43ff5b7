#pragma once
// Who may change the org chart (README "Who may change the org chart"). The org chart decides
// who reads whose career data, so every change to a reporting line goes through here: decided
// (apply, ask for consent, or refuse), then applied with its consequences and audited.
#include <optional>
#include <string>
#include <vector>

#include "src/core/app.hpp"

namespace careerbot::org {

/// What may happen when someone asks for a reporting line.
enum class Verdict {
    Apply,         ///< allowed now: an admin asked, or nobody gains visibility
    NeedsConsent,  ///< the person it concerns must accept
    NeedsAdmin,    ///< the person has reports of their own: an admin must approve
    Unchanged,     ///< they already report to that manager
    Refuse,        ///< never allowed (see `reason`)
};

/// The verdict on one proposed reporting line, with the refusal text when refused.
struct Decision {
    Verdict verdict = Verdict::Refuse;
    std::string reason;                    ///< mrkdwn, for Refuse
    std::vector<std::string> new_viewers;  ///< who would gain visibility, nearest first
};

/// True for the top of a tree: nobody above, somebody below.
bool is_root(Services& s, const std::string& person);

/// People who would newly be above `subject` (so read their records) if they reported to
/// `manager`: the manager and their chain, less everyone above `subject` today.
std::vector<std::string> new_viewers(Services& s, const std::string& subject,
                                     const std::string& manager);

/// Decides whether `actor` may make `subject` report to `manager`. Nobody may place beneath
/// themselves someone in their own manager chain, an admin, or the root of a tree; a
/// non-admin acts only within their org; a line that gives anyone new visibility takes an
/// admin, or the subject's acceptance (an admin's approval when the subject has reports).
Decision decide_move(Services& s, const std::string& actor, const std::string& subject,
                     const std::string& manager);

/// True when `actor` may take `subject` out from under their manager (someone above them or
/// an admin). Removing a line never gives anyone visibility.
bool may_remove(Services& s, const std::string& actor, const std::string& subject);

/// How a change came about, for the audit log and the people told.
struct ChangeOrigin {
    std::string actor;                      ///< who did or asked for it
    std::string action;                     ///< audit action: org_team_add, org_import, …
    std::optional<std::string> consent_by;  ///< who accepted or approved a request
    std::optional<int64_t> request_id;
};

/// Records that `subject`'s manager went from `before` to their manager now: one audit entry,
/// 1:1 cadences whose manager is no longer above them end (both told), and a new manager
/// without a cadence is asked to schedule one. Call after the manager is set, inside the same
/// write. Returns the DMs to send.
std::vector<DirectMessage> record_manager_change(Services& s, const ChangeOrigin& origin,
                                                 const std::string& subject,
                                                 const std::optional<std::string>& before);

/// Sets `subject`'s manager (refusing loops) and records it with record_manager_change.
std::vector<DirectMessage> change_manager(Services& s, const ChangeOrigin& origin,
                                          const std::string& subject,
                                          const std::optional<std::string>& manager);

}  // namespace careerbot::org
