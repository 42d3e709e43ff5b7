#pragma once
#include <string>
#include <vector>

#include "src/core/app.hpp"

namespace careerbot {

/// What an org-chart import did (or would have done).
struct OrgImportResult {
    int added = 0;       ///< people new to careerbot
    int updated = 0;     ///< people whose name, time zone, manager or role changed
    int unchanged = 0;
};

/// Imports an org chart from CSV text. Columns (header row required, any order):
/// `user_id`, `name`, `manager_id` (required; manager_id empty at the top), and optionally
/// `real_name`, `tz` (IANA zone), `role` (manager, director or empty). Managers must be in
/// the file or already known. `name` is the person's @handle: it must be typable as one and
/// differ (ignoring letter case) from every other person's. The whole file is checked first —
/// missing columns, empty ids, duplicate rows, unknown managers, bad zones or roles, cycles,
/// handles that cannot be typed or are taken — and if anything is wrong
/// nothing is imported and a careerbot::UserError lists every problem with its line number.
/// Running the same file twice changes nothing.
OrgImportResult import_org_csv(Services& services, const std::string& csv_text);

}  // namespace careerbot
