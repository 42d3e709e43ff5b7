#include "src/slack/trust_store.hpp"

#include <filesystem>
#include <string>
#include <system_error>

namespace careerbot::slack {

bool has_hashed_certs(const char* dir) {
    if (dir == nullptr) return false;
    std::error_code ec;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        const auto dot = name.find('.');
        if (dot == 8 && dot + 1 < name.size() &&
            name.find_first_not_of("0123456789abcdef") == dot &&
            name.find_first_not_of("0123456789", dot + 1) == std::string::npos)
            return true;
    }
    return false;
}

}  // namespace careerbot::slack
