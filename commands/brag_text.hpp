#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <date/date.h>

#include "src/core/blocks.hpp"
#include "storage/brags.hpp"

namespace careerbot::commands {

/// Turns Slack-formatted command text into the plain text careerbot stores: entities
/// decoded, `<@U1>` mentions resolved to `@name`, `<url|label>` to `label (url)`, `<!here>`
/// to plain `@here` (harmless once stored; escaped again whenever it is echoed).
std::string to_plain(const std::string& slack_text, const blocks::NameLookup& names);

/// What parse_brag finds in a brag's plain text before it looks for a date: the impact (after
/// the first `impact:` at the start or after whitespace, any case), the first http(s) link
/// (in the text, else in the impact), the distinct `#tags` in lower case, and the `body`:
/// the text before `impact:`, trimmed (all of the text, as it is, when there is none).
struct BragMarkup {
    std::string body;
    std::string impact;
    std::string link;
    std::vector<std::string> tags;
};
BragMarkup scan_brag_markup(const std::string& plain_text);

/// Parses what follows `/brag` (already plain text): `impact: …` runs to the end and becomes
/// the impact; the first http(s) URL is the link; `#tags` are collected (lower case) and
/// `#70`/`#20`/`#10` (or `#job`/`#others`/`#training`) set the 70-20-10 category;
/// a date phrase at the start or end (`yesterday`, `last friday`, `2026-11-03`, `on nov 3`)
/// sets the day it happened (default: `today`). Throws UserError when nothing is left to log.
storage::BragFields parse_brag(const std::string& plain_text, date::year_month_day today);

/// Why `link` (trimmed) is not a web link careerbot keeps — nullopt when it is one: http or
/// https, then a host (DNS labels, an IPv4 address or a bracketed IPv6 one, optionally a port),
/// no user name or password before it, no whitespace, control characters, quotes, `<`, `>` or
/// `|` (which would break Slack's `<url|label>` markup), at most 3,000 characters (Slack's
/// limit for a URL, https://api.slack.com/reference/block-kit/block-elements#button).
std::optional<std::string> link_problem(std::string_view link);

/// One brag as a line of mrkdwn for lists: number, date, text, tags, impact and link,
/// with every user-supplied part escaped.
std::string brag_line(const storage::Brag& b);

}  // namespace careerbot::commands
