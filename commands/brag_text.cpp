#include "commands/brag_text.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/growth.hpp"
#include "src/core/text.hpp"

namespace careerbot::commands {

std::string to_plain(const std::string& slack_text, const blocks::NameLookup& names) {
    return blocks::render_mrkdwn(slack_text, names);
}

namespace {

// Hand-written scanners instead of std::regex: parse_brag runs on the storage thread for every
// /brag, inside the batch whose acks wait for it, and libstdc++'s regex engine cost more than
// the INSERT. Whitespace is C's isspace, as `\s` is for std::regex in the "C" locale.
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_tag_char(char c) {  // [\w\-]
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}
bool is_url_char(char c) { return !is_space(c) && c != '<' && c != '>' && c != '|' && c != '"'; }

/// Case-insensitive match of ASCII `word` at `s[pos]`.
bool word_at(std::string_view s, std::size_t pos, std::string_view word) {
    if (s.size() - pos < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[pos + i])) != word[i]) return false;
    }
    return true;
}

/// Where `impact:` starts at the beginning or after whitespace, any case; npos if nowhere.
std::size_t find_impact(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if ((i == 0 || is_space(s[i - 1])) && word_at(s, i, "impact:")) return i;
    }
    return std::string_view::npos;
}

/// The first http:// or https:// link (any case) up to whitespace, <, >, | or a quote.
std::optional<std::string> find_url(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        std::size_t start = 0;
        if (word_at(s, i, "https://"))
            start = i + 8;
        else if (word_at(s, i, "http://"))
            start = i + 7;
        else
            continue;
        std::size_t end = start;
        while (end < s.size() && is_url_char(s[end])) ++end;
        if (end > start) return std::string(s.substr(i, end - i));
    }
    return std::nullopt;
}

/// Hashtags at the start or after whitespace: `#` and a run of letters, digits, `_` and `-`,
/// or, for tags starting with a non-ASCII character, everything up to whitespace or `#`.
std::vector<std::string> find_tags(std::string_view s) {
    std::vector<std::string> tags;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] != '#' || (i > 0 && !is_space(s[i - 1]))) continue;
        std::size_t end = i + 1;
        if (is_tag_char(s[end])) {
            while (end < s.size() && is_tag_char(s[end])) ++end;
        } else if (static_cast<unsigned char>(s[end]) >= 0x80) {
            while (end < s.size() && !is_space(s[end]) && s[end] != '#') ++end;
        } else {
            continue;
        }
        std::string tag = text::lower(s.substr(i + 1, end - i - 1));
        if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(std::move(tag));
        i = end - 1;
    }
    return tags;
}

}  // namespace

BragMarkup scan_brag_markup(const std::string& plain_text) {
    BragMarkup m;
    std::string_view body = plain_text;
    if (auto at = find_impact(body); at != std::string::npos) {
        m.impact = text::trim(body.substr(at + 7));
        m.body = text::trim(body.substr(0, at));
    } else {
        m.body = plain_text;
    }
    if (auto link = find_url(m.body)) {
        m.link = std::move(*link);
        while (!m.link.empty() && std::string(".,;:!?)").find(m.link.back()) != std::string::npos)
            m.link.pop_back();
    } else if (auto in_impact = find_url(m.impact)) {
        m.link = std::move(*in_impact);
    }
    m.tags = find_tags(m.body);
    return m;
}

storage::BragFields parse_brag(const std::string& plain_text, date::year_month_day today) {
    BragMarkup m = scan_brag_markup(plain_text);
    storage::BragFields f;
    std::string body = std::move(m.body);
    f.impact = std::move(m.impact);
    f.link = std::move(m.link);
    f.tags = std::move(m.tags);

    f.growth = growth_from_tags(f.tags);
    f.happened_on = iso_day(today);
    if (auto d = find_happened_date(body, today)) {
        const std::string typed = "`" + blocks::escape(d->phrase) + "`";
        if (d->kind == HappenedDate::Kind::Impossible) {
            throw UserError(typed +
                            " is not a date on the calendar, so I did not log the brag. "
                            "Check the day and the month, e.g. `2026-02-28`.");
        }
        if (d->kind == HappenedDate::Kind::Future) {
            throw UserError(typed + " is in the future (" + iso_day(d->date) +
                            "), so I did not log the brag. Brag about it once it has happened!");
        }
        f.happened_on = iso_day(d->date);
        body = d->rest;
    }
    f.text = text::trim(body);
    if (f.text.empty()) {
        throw UserError(
            "Tell me what you did, e.g. `/brag shipped the billing migration #infra "
            "impact: cut p99 by 40%`.");
    }
    return f;
}

namespace {
bool is_host_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
    return std::all_of(label.begin(), label.end(), [](char c) {
        // Letters, digits and `-`, or the bytes of an internationalised (UTF-8) name.
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' ||
               static_cast<unsigned char>(c) >= 0x80;
    });
}
}  // namespace

std::optional<std::string> link_problem(std::string_view link) {
    constexpr std::size_t kMaxLink = 3000;
    const std::string example = " — like `https://example.com/design-doc`.";
    if (link.size() > kMaxLink) {
        return "That link is " + std::to_string(link.size()) + " characters long; Slack takes " +
               "links of up to " + std::to_string(kMaxLink) + ".";
    }
    std::size_t start = word_at(link, 0, "https://") ? 8 : word_at(link, 0, "http://") ? 7 : 0;
    if (start == 0) return "A link starts with `https://` or `http://`" + example;
    for (char c : link) {
        if (!is_url_char(c) || std::iscntrl(static_cast<unsigned char>(c)) != 0 || c == '\'')
            return "A link has no spaces, quotes, `<`, `>` or `|` in it" + example;
    }
    std::string_view authority = link.substr(start, link.find_first_of("/?#", start) - start);
    if (authority.find('@') != std::string_view::npos) {
        // https://bank.example@evil.example reads like the bank and goes to evil.example.
        return "A link with a user name or password before its host is not kept" + example;
    }
    std::string_view host = authority, port;
    if (!host.empty() && host.front() == '[') {
        const std::size_t close = host.find(']');
        if (close == std::string_view::npos || close == 1)
            return "That link's host is not valid" + example;
        const std::string_view v6 = host.substr(1, close - 1);
        if (!std::all_of(v6.begin(), v6.end(), [](char c) {
                return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
            }))
            return "That link's host is not valid" + example;
        std::string_view after = host.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return "That link's host is not valid" + example;
        if (!after.empty()) port = after.substr(1);
        host = v6;
    } else if (const std::size_t colon = host.rfind(':'); colon != std::string_view::npos) {
        port = host.substr(colon + 1);
        host = host.substr(0, colon);
        if (port.empty()) return "That link's port is missing after the `:`" + example;
    } else if (host.empty()) {
        return "That link has no host after `" + std::string(link.substr(0, start)) + "`" + example;
    }
    if (!port.empty() &&
        (port.size() > 5 ||
         !std::all_of(port.begin(), port.end(),
                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }) ||
         std::stoi(std::string(port)) == 0 || std::stoi(std::string(port)) > 65535))
        return "That link's port is not a number from 1 to 65535" + example;
    if (authority.front() != '[') {
        if (host.empty()) return "That link has no host" + example;
        for (std::size_t from = 0;;) {
            const std::size_t dot = host.find('.', from);
            if (!is_host_label(host.substr(from, dot - from)))
                return "That link's host `" + std::string(host) + "` is not a valid name" + example;
            if (dot == std::string_view::npos) break;
            from = dot + 1;
        }
    }
    return std::nullopt;
}

std::string brag_line(const storage::Brag& b) {
    std::string line =
        "*#" + std::to_string(b.number) + "* · " + b.happened_on + " — " + blocks::escape(b.text);
    if (!b.impact.empty()) line += "\n      _impact:_ " + blocks::escape(b.impact);
    if (!b.link.empty()) line += "\n      <" + blocks::escape(b.link) + "|link>";
    return line;
}

}  // namespace careerbot::commands
