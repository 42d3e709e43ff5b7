// The hand-written scanners of Slack markup and brag text (blocks::render_mrkdwn,
// blocks::find_user_mentions, parse_brag's impact/link/tags) replaced std::regex for speed.
// These tests keep the regular expressions they replaced as the oracle and compare both on
// hand-picked edge cases and on many random strings over the characters that matter.
#include <catch2/catch.hpp>

#include <random>
#include <regex>

#include "commands/brag_text.hpp"
#include "src/core/blocks.hpp"
#include "src/core/text.hpp"

using namespace careerbot;

namespace {

// ---- the old implementations, verbatim, as oracles ----------------------------------------

std::string regex_render(const std::string& s, const blocks::NameLookup& names) {
    static const std::regex markup(R"(<([@#!]?)([^>|]*)(?:\|([^>]*))?>)");
    std::string out;
    std::size_t last = 0;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), markup); it != std::sregex_iterator();
         ++it) {
        const auto& m = *it;
        out.append(s, last, static_cast<std::size_t>(m.position()) - last);
        last = static_cast<std::size_t>(m.position() + m.length());
        std::string kind = m[1], target = m[2], label = m[3];
        if (kind == "@") {
            out += "@" + (names ? names(target) : target);
        } else if (kind == "#") {
            out += "#" + (label.empty() ? target : label);
        } else if (kind == "!") {
            out += label.empty() ? "@" + target : label;
        } else if (label.empty() || label == target) {
            out += target;
        } else {
            out += label + " (" + target + ")";
        }
    }
    out.append(s, last);
    std::string decoded;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out.compare(i, 5, "&amp;") == 0) {
            decoded += '&';
            i += 4;
        } else if (out.compare(i, 4, "&lt;") == 0) {
            decoded += '<';
            i += 3;
        } else if (out.compare(i, 4, "&gt;") == 0) {
            decoded += '>';
            i += 3;
        } else
            decoded += out[i];
    }
    return decoded;
}

std::vector<std::pair<std::string, std::string>> regex_mentions(const std::string& s) {
    static const std::regex mention(R"(<@([A-Za-z0-9_.\-]+)(?:\|([^>]*))?>)");
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = std::sregex_iterator(s.begin(), s.end(), mention); it != std::sregex_iterator();
         ++it)
        out.emplace_back((*it)[1].str(), (*it)[2].str());
    return out;
}

struct OldFields {
    std::string impact, link, body;
    std::vector<std::string> tags;
};

/// parse_brag's impact, link and tag steps as they were (the date step is shared code).
OldFields regex_fields(const std::string& plain_text) {
    OldFields f;
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
    f.body = body;
    return f;
}

std::string random_text(std::mt19937& rng, const std::vector<std::string>& pieces, int max_len) {
    std::uniform_int_distribution<int> len(0, max_len);
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    std::string s;
    for (int i = len(rng); i > 0; --i) s += pieces[pick(rng)];
    return s;
}

void check_render_and_mentions(const std::string& s) {
    auto names = [](const std::string& id) { return "name-of-" + id; };
    INFO("text: " << s);
    CHECK(blocks::render_mrkdwn(s, names) == regex_render(s, names));
    CHECK(blocks::render_mrkdwn(s, nullptr) == regex_render(s, nullptr));
    std::vector<std::pair<std::string, std::string>> found;
    for (const auto& m : blocks::find_user_mentions(s)) found.emplace_back(m.id, m.label);
    CHECK(found == regex_mentions(s));
}

void check_brag_fields(const std::string& s) {
    INFO("text: " << s);
    const OldFields old = regex_fields(s);
    const auto now = commands::scan_brag_markup(s);
    CHECK(now.body == old.body);
    CHECK(now.impact == old.impact);
    CHECK(now.link == old.link);
    CHECK(now.tags == old.tags);
}

}  // namespace

TEST_CASE("Slack markup is rendered as the regular expression did", "[text][scanner]") {
    for (const std::string s : {"",
                                "plain",
                                "<@U1>",
                                "<@U1|alice>",
                                "<#C1|general>",
                                "<#C1>",
                                "<!here>",
                                "<!date^1700000000^{date}|Nov 14>",
                                "<https://x.io|x>",
                                "<https://x.io|https://x.io>",
                                "<https://x.io>",
                                "<@>",
                                "<>",
                                "<|>",
                                "<a<b>",
                                "<@U1|x<@U2>",
                                "<@U1 x>",
                                "<@U1",
                                "<@U1|",
                                "a < b > c",
                                "x <@U1> y <#C2|c> z",
                                "&lt;@U1&gt;",
                                "&amp;lt;",
                                "<<@U1>>",
                                "<@U1|a|b>",
                                "<!subteam^S1|@team>",
                                "<@U.1-_x>",
                                "<@U1>>",
                                "><@U1",
                                "<@U1|>"}) {
        check_render_and_mentions(s);
    }
    std::mt19937 rng(20261122);
    const std::vector<std::string> pieces = {"<", ">", "|", "@", "#",     "!",    "U1",   "a",
                                             " ", ".", "-", "_", "&amp;", "&lt;", "&gt;", "x y"};
    for (int i = 0; i < 3000; ++i) check_render_and_mentions(random_text(rng, pieces, 14));
}

TEST_CASE("impact, link and tags are found as the regular expressions did", "[brag][scanner]") {
    for (const std::string s : {"shipped it",
                                "shipped #infra #Infra #a-b_c #",
                                "#start and end#",
                                "a#b #c#d",
                                "café #café #été #日本 #x!y",
                                "impact: all of it",
                                "Impact:x",
                                "shipped IMPACT:  big",
                                "preimpact: no",
                                "a\timpact:\tb",
                                "see https://x.io/a?b=1. done",
                                "HTTPS://X.IO/A",
                                "http:// nothing",
                                "https://",
                                "http://a|b",
                                "link <https://x.io> here",
                                "ok impact: see https://y.io/z)",
                                "x https://a.io impact: https://b.io",
                                "#tag\n#next\t#third",
                                "text #-dash #_under",
                                "\xC3#x #\xC3\xA9t\xC3\xA9#y"}) {
        check_brag_fields(s);
    }
    std::mt19937 rng(7);
    const std::vector<std::string> pieces = {
        "#",       "a",        "B",    "1", "-", "_", " ",  "\t", "\n", "impact:",  "IMPACT: ",
        "http://", "https://", "x.io", "<", ">", "|", "\"", ".",  ")",  "\xC3\xA9", "\xE6\x97\xA5",
        "!",       "shipped"};
    for (int i = 0; i < 3000; ++i) check_brag_fields(random_text(rng, pieces, 12));
}
