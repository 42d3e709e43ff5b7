#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A reporting line someone asked for that waits for consent (migration 0010).
struct OrgRequest {
    int64_t id = 0;
    std::string requester_id;
    std::string subject_id;                   ///< whose manager would change
    std::string manager_id;                   ///< whom they would report to
    std::optional<std::string> from_manager;  ///< their manager when it was asked
    bool needs_admin = false;                 ///< the subject has reports: an admin decides
    std::string status =
        "pending";  ///< pending, accepted, approved, declined, withdrawn, superseded
    int64_t created_at = 0;
    std::optional<std::string> decided_by;
    std::optional<int64_t> decided_at;
};

/// Reads and writes org-chart requests. Callers decide who may do what (src/core/org_authority).
class OrgRequestRepo {
  public:
    explicit OrgRequestRepo(Database& db) : db_(db) {}

    /// Stores a pending request, superseding any pending one about the same subject; its id.
    int64_t create(const OrgRequest& r, TimePoint now);
    /// The request with this id.
    std::optional<OrgRequest> find(int64_t id);
    /// Pending requests about `subject`, oldest first.
    std::vector<OrgRequest> pending_for_subject(const std::string& subject);
    /// Pending requests that need an admin, oldest first.
    std::vector<OrgRequest> pending_for_admins();
    /// Pending requests `requester` made, oldest first.
    std::vector<OrgRequest> pending_by(const std::string& requester);
    /// pending -> `status`, recording who decided; false when it was no longer pending.
    bool decide(int64_t id, const std::string& status, const std::string& by, TimePoint now);

  private:
    std::vector<OrgRequest> select(const char* sql, const std::string& arg);
    Database& db_;
};

}  // namespace careerbot::storage
