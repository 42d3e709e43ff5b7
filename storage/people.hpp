#pragma once
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "src/core/clock.hpp"
#include "src/core/dates.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A person careerbot knows about, with their place in the org chart.
struct Person {
    std::string id;    ///< Slack user id
    std::string name;  ///< display handle
    std::string real_name;
    std::string tz;                         ///< IANA zone; empty = config default
    std::optional<std::string> manager_id;  ///< empty at the top of the tree
};

/// Reads and writes people and the manager tree.
class PeopleRepo {
  public:
    explicit PeopleRepo(Database& db) : db_(db) {}

    /// The person with this Slack id, if known.
    std::optional<Person> find(const std::string& id);
    /// The person whose handle is `name` (case-insensitive), if exactly one matches.
    std::optional<Person> find_by_name(const std::string& name);
    /// Adds the person with `name` as handle if they are not known yet. Inside a write, a
    /// known person is read and remembered for the rest of the transaction
    /// (Database::transaction_memo), so the find() that usually follows costs nothing.
    void ensure(const std::string& id, const std::string& name, TimePoint now);
    /// Adds the person with handle `name`, or names them if only their id was known so far.
    void ensure_named(const std::string& id, const std::string& name, TimePoint now);
    /// Inserts or updates name, real name and time zone (from users.info); keeps the manager.
    void upsert_profile(const Person& p, TimePoint now);
    /// People whose profile Slack last told careerbot before `before` (or never), oldest
    /// first, at most `limit`.
    std::vector<std::string> stale_profiles(TimePoint before, int limit);
    /// Notes that Slack was asked about `id` now, whatever it answered (a refresh that failed
    /// is not retried at once).
    void mark_profile_checked(const std::string& id, TimePoint now);
    /// Sets or clears someone's manager; throws UserError if it would make a cycle.
    void set_manager(const std::string& id, const std::optional<std::string>& manager_id,
                     TimePoint now);
    /// Managers above `id`, nearest first (manager, skip-level, …).
    std::vector<std::string> manager_chain(const std::string& id);
    /// True when `manager` is somewhere above `id` in the tree.
    bool manages(const std::string& manager, const std::string& id);
    /// Direct reports of `id`, by name.
    std::vector<Person> direct_reports(const std::string& id);
    /// Everyone below `id` in the tree (not including `id`).
    std::vector<std::string> subtree(const std::string& id);
    /// The role set explicitly ("manager", "director"), if any.
    std::optional<std::string> role(const std::string& id);
    /// Sets or clears the explicit role.
    void set_role(const std::string& id, const std::optional<std::string>& role, TimePoint now);
    /// Stores the DM channel of `id` with the bot (no-op for someone not in people).
    void set_dm_channel(const std::string& id, const std::string& channel);
    /// Every stored DM channel: person id → channel id.
    std::map<std::string, std::string> dm_channels();
    /// Everyone's manager: person id → manager id ("" at the top of the tree).
    std::map<std::string, std::string> managers();
    /// Everyone's handle: person id → name.
    std::map<std::string, std::string> names();
    /// Sets or clears someone's manager without the loop check of set_manager() (an org
    /// import checks the whole tree itself, and a swap passes through a loop row by row).
    void write_manager(const std::string& id, const std::optional<std::string>& manager_id,
                       TimePoint now);
    /// Sets or clears the explicit role, leaving updated_at alone; true when it changed.
    bool replace_role(const std::string& id, const std::optional<std::string>& role);
    /// The display handle for an id, or the id itself when unknown.
    std::string display_name(const std::string& id);

  private:
    /// The people read or ensured in the current write transaction (null outside one).
    std::unordered_map<std::string, Person>* memo();
    /// Forgets them: called by every method that writes the columns of Person.
    void forget();

    Database& db_;
};

}  // namespace careerbot::storage
