#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// An internship for learning: a person spends a share of their time with a host team.
struct Internship {
    int64_t id = 0;
    std::string person_id;
    std::string manager_id;       ///< the person's manager when it was proposed
    std::string host_manager_id;  ///< the host team is their reports
    int share_percent = 0;        ///< 5..50
    std::string starts_on;        ///< YYYY-MM-DD
    std::string ends_on;          ///< YYYY-MM-DD, the last day
    std::string goals;
    std::string status;                    ///< proposed, active, finished, declined, cancelled
    std::optional<int64_t> manager_ok_at;  ///< unix seconds, once the manager approved
    std::optional<int64_t> host_ok_at;     ///< unix seconds, once the host manager approved
    std::string closed_by;                 ///< who declined or cancelled it; empty otherwise
    int64_t created_at = 0;
    int64_t updated_at = 0;

    /// Active and not past its last day (`today` is YYYY-MM-DD).
    bool running_on(const std::string& today) const {
        return status == "active" && starts_on <= today && today <= ends_on;
    }
};

/// Reads and writes internships. Callers check who may act first.
class InternshipRepo {
  public:
    explicit InternshipRepo(Database& db) : db_(db) {}

    /// Stores a new proposal (status `proposed`) and returns it with its id. Callers check
    /// live_for() first: a second proposed or active one violates a UNIQUE index.
    Internship create(const Internship& proposal, TimePoint now);
    /// One internship by id.
    std::optional<Internship> find(int64_t id);
    /// The person's proposed or active internship, if any (an active one may be past its end).
    std::optional<Internship> live_for(const std::string& person_id);
    /// Every internship of a person, newest first.
    std::vector<Internship> list_for(const std::string& person_id);
    /// Active internships hosted by `host_manager_id` that have not ended by `today`.
    std::vector<Internship> hosted_by(const std::string& host_manager_id, const std::string& today);
    /// Proposals waiting for `user`'s answer (as manager or host manager), oldest first.
    std::vector<Internship> waiting_for(const std::string& user);
    /// Records the approval of the manager (`as_host` false) or the host manager; makes the
    /// internship active when both have approved. Returns it as it is now; nothing if it was
    /// not `proposed`.
    std::optional<Internship> approve(int64_t id, bool as_host, TimePoint now);
    /// Ends a proposed or active internship as `declined`, `cancelled` or `finished`; false if
    /// it was neither.
    bool close(int64_t id, const std::string& status, const std::string& by, TimePoint now);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
