#pragma once
#include <string>
#include <vector>

#include "src/core/app.hpp"

namespace careerbot {

/// What an org-chart import did (or would have done).
struct OrgImportResult {
    int added = 0;    ///< people new to careerbot
    int updated = 0;  ///< people whose name, time zone, manager or role changed
    int unchanged = 0;
    /// What the people concerned should hear: 1:1s that ended with a move, new managers asked
    /// to schedule theirs. The command line prints them for the operator to pass on.
    std::vector<DirectMessage> notices;
};

/// Imports an org chart from CSV text. Columns (header row required, any order):
/// `user_id`, `name`, `manager_id` (required; manager_id empty at the top), and optionally
/// `real_name`, `tz` (IANA zone), `role` (manager, director or empty). Managers must be in
/// the file or already known. `name` is the person's @handle: it must be typable as one and
/// differ (ignoring letter case) from every other person's. The whole file is checked first —
/// missing columns, empty ids, duplicate rows, unknown managers, bad zones or roles, cycles,
/// handles that cannot be typed or are taken — and if anything is wrong
/// nothing is imported and a careerbot::UserError lists every problem with its line number.
/// Running the same file twice changes nothing. The operator's import is an admin act: every
/// reporting line and role it changes is in the audit log under `actor`, and 1:1 cadences with
/// someone no longer above a person end (org::record_manager_change).
OrgImportResult import_org_csv(Services& services, const std::string& csv_text,
                               const std::string& actor = "cli:operator");

}  // namespace careerbot
