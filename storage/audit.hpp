#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// One read of someone's career data, as the audit log keeps it.
struct AuditEntry {
    int64_t id = 0;
    int64_t at = 0;       ///< unix seconds
    std::string actor;    ///< Slack user id, or "cli:<os user>"
    std::string action;   ///< quarter_summary, brag_export, brag_list, promo_packet, cli_export
    std::string subject;  ///< whose data: a person id, or "all" for an org-wide summary
    std::string scope;    ///< "person", "org:<root id>", "brags", …
    std::string detail;   ///< quarter, format, recipient
};

/// Which entries `AuditRepo::list` returns, newest first.
struct AuditQuery {
    /// Entries about this person, including org-wide summaries of an org they are in now.
    std::optional<std::string> subject;
    std::optional<std::string> actor;  ///< entries by this actor
    int64_t since = 0;                 ///< unix seconds, inclusive
    int limit = 100;                   ///< at most this many (newest)
};

/// The append-only audit log of who read whose summaries and exports (migration 0007).
class AuditRepo {
  public:
    explicit AuditRepo(Database& db) : db_(db) {}

    /// Appends an entry (its id and, when zero, its time are filled in). One INSERT: inside a
    /// command's write transaction it commits with it; on a connection with no transaction
    /// open it is its own short autocommit write.
    void record(AuditEntry entry, TimePoint now);
    /// Entries matching `query`, newest first.
    std::vector<AuditEntry> list(const AuditQuery& query);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
