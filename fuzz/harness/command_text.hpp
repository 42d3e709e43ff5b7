#pragma once
// fuzz_command_text: what people type after a slash command. First the pure parsers
// (text, dates, quarters, brag text, mrkdwn escaping and splitting) with their documented
// properties, then the whole App router with the text as the argument of every command.
//
// Input format:
//  - anything not starting with '/': the whole input is the text of each slash command, run
//    by a report (alice), a manager (bob) and a director (carol) in turn;
//  - starting with '/': a script, one command per line, `[user:]/command text`, so
//    sequences such as "add, then edit, then list" are reachable (at most 16 lines).
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/brag_text.hpp"
#include "fuzz/harness/common.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"

namespace careerbot::fuzz {

namespace detail {

inline void check_date(const std::optional<date::year_month_day>& d, const std::string& what,
                       std::string_view phrase) {
    if (!d) return;
    require(d->ok(), what + " returned an impossible date for '" + preview(phrase) + "'");
    // Whatever a parser accepts must survive storage (dates are kept as YYYY-MM-DD).
    const int y = static_cast<int>(d->year());
    if (y >= 1000 && y <= 9999) {
        auto back = parse_iso_day(iso_day(*d));
        require(back && *back == *d, what + ": " + iso_day(*d) + " does not round-trip");
    }
}

/// Pure functions: none may throw (except clean_user_text's UserError) and each keeps the
/// promise its header makes.
inline void check_parsers(std::string_view in) {
    const bool utf8 = text::valid_utf8(in);
    const std::string s(in);

    // text.hpp
    auto stripped = text::strip_controls(in);
    require(stripped.size() <= in.size(), "strip_controls grew the text");
    auto trimmed = text::trim(in);
    require(trimmed.size() <= in.size(), "trim grew the text");
    require(text::lower(in).size() == in.size(), "lower changed the length");
    auto ws = text::words(in);
    for (const auto& w : ws) require(!w.empty(), "words returned an empty word");
    auto [head, rest] = text::first_word(in);
    require(head.size() + rest.size() <= in.size(), "first_word grew the text");
    for (const auto& id : text::mentions(in)) require(!id.empty(), "mentions found an empty id");
    for (const auto& w : ws) {
        if (auto n = text::parse_number(w))
            require(*n > 0, "parse_number gave " + std::to_string(*n));
        (void)text::mention_id(w);
    }
    try {
        auto clean = text::clean_user_text(in, 4000, "text");
        require(!clean.empty() && clean.size() <= 4000 && text::valid_utf8(clean),
                "clean_user_text returned text it should have refused");
    } catch (const UserError&) {
    }

    // blocks.hpp: escaping can never form markup, and decoding undoes it exactly.
    auto esc = blocks::escape(in);
    require(esc.find_first_of("<>") == std::string::npos, "escape left a < or >");
    require(blocks::render_mrkdwn(esc, nullptr) == s, "render_mrkdwn(escape(s)) != s");
    auto names = [](const std::string& id) { return "name-of-" + id; };
    (void)blocks::render_mrkdwn(in, names);
    // Small limits only on short texts, to keep each run fast.
    for (std::size_t limit : {std::size_t{7}, std::size_t{64}, blocks::kMaxSectionText}) {
        if (limit < 100 && s.size() > 2048) continue;
        auto chunks = blocks::split_text(s, limit);
        std::size_t total = 0;
        for (const auto& c : chunks) {
            require(c.size() <= limit, "split_text chunk over its limit");
            if (utf8) require(text::valid_utf8(c), "split_text cut a UTF-8 sequence");
            total += c.size();
        }
        require(total <= s.size(), "split_text grew the text");
    }
    blocks::MessageBuilder mb("fuzz");
    mb.add(blocks::header(s)).add_text(esc).add(blocks::context(esc));
    for (const auto& m : mb.build()) check_message(m, "MessageBuilder", blocks::kMaxBlocks);

    // dates.hpp: the whole text, and each line (commands pass shorter phrases).
    auto phrases = std::vector<std::string>{s};
    for (std::size_t start = 0, nl; start < s.size() && phrases.size() < 8; start = nl + 1) {
        nl = s.find('\n', start);
        if (nl == std::string::npos) nl = s.size();
        phrases.push_back(s.substr(start, nl - start));
    }
    for (const auto& p : phrases) {
        check_date(parse_date(p, today()), "parse_date", p);
        check_date(parse_due_date(p, today()), "parse_due_date", p);
        check_date(parse_iso_day(p), "parse_iso_day", p);
        if (auto d = extract_date(p, today())) {
            check_date(d->date, "extract_date", p);
            require(d->rest.size() <= p.size(), "extract_date grew the text");
        }
        for (int start_month : {1, 2, 7, 12}) {
            if (auto q = parse_quarter(p, start_month)) {
                require(q->number >= 1 && q->number <= 4, "parse_quarter number out of range");
                require(q->first.ok() && q->last.ok() && q->first <= q->last,
                        "parse_quarter gave an impossible range for '" + preview(p) + "'");
                require(quarter_of(q->first, start_month).label() == q->label(),
                        "quarter_of(first day of " + q->label() + ") disagrees");
            }
        }
    }

    // brag_text.hpp: what /brag stores.
    auto plain = commands::to_plain(s, names);
    try {
        auto f = commands::parse_brag(plain, today());
        require(!f.text.empty(), "parse_brag kept an empty text");
        auto on = parse_iso_day(f.happened_on);
        require(on && date::sys_days(*on) <= date::sys_days(today()),
                "parse_brag happened_on '" + f.happened_on + "' is not a past ISO date");
        for (const auto& t : f.tags) require(t == text::lower(t), "parse_brag tag not lower case");
        storage::Brag b;
        b.number = 1;
        b.happened_on = f.happened_on;
        b.text = f.text;
        b.impact = f.impact;
        b.link = f.link;
        check_no_ping(commands::brag_line(b), "brag_line");
    } catch (const UserError&) {
    }
}

}  // namespace detail

/// Commands the text goes to, and who types it.
inline const std::vector<std::pair<std::string, std::string>>& command_users() {
    static const std::vector<std::pair<std::string, std::string>> all = {
        {"alice", "/brag"},
        {"alice", "/task"},
        {"alice", "/ido"},
        {"alice", "/checkin"},
        {"alice", "/1on1"},
        {"alice", "/away"},
        {"alice", "/feedback"},
        {"alice", "/team"},
        {"alice", "/promo"},
        {"alice", "/cert"},
        {"alice", "/quarter-summary"},
        {"bob", "/task"},
        {"bob", "/team"},
        {"bob", "/1on1"},
        {"bob", "/checkin"},
        {"carol", "/promo"},
        {"admin", "/team"},
    };
    return all;
}

inline void check_command_text(std::string_view in) {
    detail::check_parsers(in);

    World& w = world();
    const std::string s(in);
    const bool valid = text::valid_utf8(in);
    const bool script = !s.empty() && s.front() == '/';
    auto one = [&](const std::string& user, const std::string& command, const std::string& t) {
        Reply r = w.run(user, command, t);
        const std::string what = user + " " + command + " '" + preview(t) + "'";
        check_reply(r, what, valid);
        // The console rendering is regex-heavy; scripts cover it without slowing every input.
        if (script) (void)w.render(r);
    };
    w.sandbox([&] {
        if (!script) {
            for (const auto& [user, command] : command_users()) one(user, command, s);
            return;
        }
        std::size_t lines = 0;
        for (std::size_t start = 0, nl; start < s.size() && lines < 16; start = nl + 1, ++lines) {
            nl = s.find('\n', start);
            if (nl == std::string::npos) nl = s.size();
            std::string line = s.substr(start, nl - start);
            std::string user = "alice";
            // Slack user ids are short and alphanumeric; anything else is part of the text.
            if (auto colon = line.find(":/");
                colon > 0 && colon <= 32 && colon != std::string::npos &&
                std::all_of(line.begin(), line.begin() + colon,
                            [](unsigned char c) { return std::isalnum(c) != 0; })) {
                user = line.substr(0, colon);
                line.erase(0, colon + 1);
            }
            // Slack sends the text exactly as typed after the first space.
            auto space = line.find(' ');
            std::string command = line.substr(0, space);
            std::string t = space == std::string::npos ? "" : line.substr(space + 1);
            if (command.size() < 2) continue;
            one(user, command, t);
        }
    });
}

}  // namespace careerbot::fuzz
