#include "src/core/roles.hpp"

#include <algorithm>

#include "storage/people.hpp"

namespace careerbot {

bool is_admin(const Services& s, const std::string& user_id) {
    const auto& admins = s.config.org.admins;
    return std::find(admins.begin(), admins.end(), user_id) != admins.end();
}

bool is_manager(Services& s, const std::string& user_id) {
    storage::PeopleRepo people(s.db);
    if (people.role(user_id)) return true;
    return !people.direct_reports(user_id).empty();
}

bool is_director(Services& s, const std::string& user_id) {
    storage::PeopleRepo people(s.db);
    if (people.role(user_id) == "director") return true;
    for (const auto& r : people.direct_reports(user_id)) {
        if (!people.direct_reports(r.id).empty()) return true;
    }
    return false;
}

}  // namespace careerbot
