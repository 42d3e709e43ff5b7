#pragma once
#include <string>

#include "src/core/app.hpp"

namespace careerbot {

/// Admins are listed in the config (`org.admins`, Slack ids or console handles).
bool is_admin(const Services& s, const std::string& user_id);
/// A manager has reports, or was given the role explicitly.
bool is_manager(Services& s, const std::string& user_id);
/// A director was given the role, or manages managers.
bool is_director(Services& s, const std::string& user_id);

}  // namespace careerbot
