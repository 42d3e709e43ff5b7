#include "commands/people_text.hpp"

#include <charconv>

#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/text.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {

std::string plain_with_names(Services& s, const std::string& slack_text) {
    // Slack sends mentions as <@U123|name>: that label names a newcomer without a blocking
    // users.info call, which matters because this runs inside the batch whose acks wait on it.
    storage::PeopleRepo people(s.db);
    for (const auto& m : blocks::find_user_mentions(slack_text)) {
        if (m.label.empty()) {
            learn_person(s, m.id);
        } else {
            people.ensure_named(m.id, m.label, s.clock.now());
        }
    }
    return blocks::render_mrkdwn(slack_text,
                                 [&](const std::string& id) { return people.display_name(id); });
}

int64_t ts_seconds(const std::string& ts) {
    int64_t v = 0;
    auto end = ts.data() + ts.size();
    auto dot = ts.find('.');
    if (dot != std::string::npos) end = ts.data() + dot;
    auto [p, ec] = std::from_chars(ts.data(), end, v);
    return ec == std::errc() && p == end ? v : 0;
}

}  // namespace careerbot::commands
