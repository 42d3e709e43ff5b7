#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "src/core/growth.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// One accomplishment in someone's brag document.
struct Brag {
    int64_t id = 0;
    std::string author_id;
    int number = 0;  ///< the author's own running number (#1, #2, …)
    std::string text;
    std::string impact;
    std::string link;
    std::vector<std::string> tags;  ///< lower-case, without '#', in the order typed
    std::string happened_on;        ///< YYYY-MM-DD
    int64_t created_at = 0;         ///< unix seconds
    int64_t updated_at = 0;
    std::string source;  ///< slack, console, import
    std::optional<int64_t> deleted_at;
    std::optional<Growth> growth;  ///< 70-20-10 category, when tagged
};

/// The fields a person supplies when logging or editing a brag.
struct BragFields {
    std::string text;
    std::string impact;
    std::string link;
    std::vector<std::string> tags;
    std::string happened_on;
    std::optional<Growth> growth;  ///< 70-20-10 category, when tagged
};

/// Filters for listing brags.
struct BragQuery {
    std::string author_id;
    std::string since;  ///< YYYY-MM-DD inclusive; empty = no lower bound
    std::string until;  ///< YYYY-MM-DD inclusive; empty = no upper bound
    int limit = -1;     ///< -1 = all
    int offset = 0;
};

/// Reads and writes brags. Callers check visibility first; this class does not.
class BragRepo {
  public:
    explicit BragRepo(Database& db) : db_(db) {}

    /// Stores a new brag for `author_id` and returns it with its number assigned.
    Brag add(const std::string& author_id, const BragFields& fields, const std::string& source,
             TimePoint now);
    /// The author's brag with this number (deleted ones only when asked).
    std::optional<Brag> find(const std::string& author_id, int number,
                             bool include_deleted = false);
    /// Replaces text, impact, link, tags and date of a live brag; false if there is none.
    bool update(const std::string& author_id, int number, const BragFields& fields, TimePoint now);
    /// Soft-deletes a live brag; false if there is none.
    bool soft_delete(const std::string& author_id, int number, TimePoint now);
    /// Brings back a soft-deleted brag; false if there is none.
    bool restore(const std::string& author_id, int number, TimePoint now);
    /// Live brags, newest first (by date, then number).
    std::vector<Brag> list(const BragQuery& query);
    /// True when `author_id` has written at least one brag (deleted ones count).
    bool has_any(const std::string& author_id);
    /// How many live brags match (ignoring limit and offset).
    int count(const BragQuery& query);
    /// The 70-20-10 mix of the live brags that match (ignoring limit and offset).
    GrowthMix growth_mix(const BragQuery& query);

  private:
    void write_tags(int64_t brag_id, const std::vector<std::string>& tags);
    void insert_tags(int64_t brag_id, const std::vector<std::string>& tags);
    void load_tags(std::vector<Brag>& brags);
    Database& db_;
};

}  // namespace careerbot::storage
