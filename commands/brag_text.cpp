#include "commands/brag_text.hpp"

#include <regex>

#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/growth.hpp"
#include "src/core/text.hpp"

namespace careerbot::commands {

std::string to_plain(const std::string& slack_text, const blocks::NameLookup& names) {
    return blocks::render_mrkdwn(slack_text, names);
}

storage::BragFields parse_brag(const std::string& plain_text, date::year_month_day today) {
    storage::BragFields f;
    std::string body = plain_text;

    static const std::regex impact_re(R"((^|\s)impact:\s*)", std::regex::icase);
    std::smatch m;
    if (std::regex_search(body, m, impact_re)) {
        f.impact = text::trim(body.substr(static_cast<std::size_t>(m.position() + m.length())));
        body = text::trim(body.substr(0, static_cast<std::size_t>(m.position())));
    }

    static const std::regex url_re(R"(https?://[^\s<>|"]+)", std::regex::icase);
    if (std::regex_search(body, m, url_re)) {
        f.link = m.str();
        while (!f.link.empty() && std::string(".,;:!?)").find(f.link.back()) != std::string::npos)
            f.link.pop_back();
    } else if (std::regex_search(f.impact, m, url_re)) {
        f.link = m.str();
    }

    static const std::regex tag_re(R"((^|\s)#([\w\-]+|[^\s\x00-\x7F][^\s#]*))");
    for (auto it = std::sregex_iterator(body.begin(), body.end(), tag_re);
         it != std::sregex_iterator(); ++it) {
        std::string tag = text::lower((*it)[2].str());
        if (std::find(f.tags.begin(), f.tags.end(), tag) == f.tags.end()) f.tags.push_back(tag);
    }

    f.growth = growth_from_tags(f.tags);
    f.happened_on = iso_date(today);
    if (auto d = extract_date(body, today)) {
        if (date::sys_days(d->date) > date::sys_days(today)) {
            throw UserError("That date is in the future (" + iso_date(d->date) +
                            "). Brag about it once it has happened!");
        }
        f.happened_on = iso_date(d->date);
        body = d->rest;
    }
    f.text = text::trim(body);
    if (f.text.empty()) {
        throw UserError("Tell me what you did, e.g. `/brag shipped the billing migration #infra "
                        "impact: cut p99 by 40%`.");
    }
    return f;
}

std::string brag_line(const storage::Brag& b) {
    std::string line = "*#" + std::to_string(b.number) + "* · " + b.happened_on + " — " +
                       blocks::escape(b.text);
    if (!b.impact.empty()) line += "\n      _impact:_ " + blocks::escape(b.impact);
    if (!b.link.empty()) line += "\n      <" + blocks::escape(b.link) + "|link>";
    return line;
}

}  // namespace careerbot::commands
