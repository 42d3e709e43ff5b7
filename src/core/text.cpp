#include "src/core/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "src/core/error.hpp"

namespace careerbot::text {

bool valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t len;
        uint32_t cp;
        if (c < 0x80) {
            ++i;
            continue;
        }
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else
            return false;
        if (i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

std::string strip_controls(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c == '\r') {
            if (i + 1 < s.size() && s[i + 1] == '\n') continue;
            out += '\n';
        } else if (c == '\n' || c == '\t' || c >= 0x20) {
            if (c != 0x7F) out += static_cast<char>(c);
        }
    }
    return out;
}

std::string trim(std::string_view s) {
    auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::vector<std::string> words(std::string_view s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (std::isspace(static_cast<unsigned char>(c))) {
            if (!cur.empty()) out.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

std::pair<std::string, std::string> first_word(std::string_view s) {
    std::string t = trim(s);
    auto pos = std::find_if(t.begin(), t.end(), [](unsigned char c) { return std::isspace(c); });
    std::string head(t.begin(), pos);
    std::string rest = trim(std::string_view(&*pos, static_cast<std::size_t>(t.end() - pos)));
    return {head, rest};
}

std::optional<std::string> mention_id(std::string_view token) {
    if (token.size() < 4 || token.substr(0, 2) != "<@" || token.back() != '>') return std::nullopt;
    auto inner = token.substr(2, token.size() - 3);
    auto bar = inner.find('|');
    if (bar != std::string_view::npos) inner = inner.substr(0, bar);
    if (inner.empty()) return std::nullopt;
    for (char c : inner) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.')
            return std::nullopt;
    }
    return std::string(inner);
}

std::vector<std::string> mentions(std::string_view s) {
    std::vector<std::string> out;
    for (auto pos = s.find("<@"); pos != std::string_view::npos; pos = s.find("<@", pos + 2)) {
        auto end = s.find('>', pos);
        if (end == std::string_view::npos) break;
        if (auto id = mention_id(s.substr(pos, end - pos + 1))) {
            if (std::find(out.begin(), out.end(), *id) == out.end()) out.push_back(*id);
        }
    }
    return out;
}

std::optional<int> parse_number(std::string_view s) {
    if (!s.empty() && s.front() == '#') s.remove_prefix(1);
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::string thousands(std::size_t n) {
    std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::string too_long(const std::string& what, std::size_t size, std::size_t max_bytes) {
    // "feedback" is uncountable; every other noun careerbot limits takes "a" or "an".
    std::string article = "a ";
    if (what == "feedback") {
        article.clear();
    } else if (!what.empty() && std::string("aeiou").find(what[0]) != std::string::npos) {
        article = "an ";
    }
    return "That " + what + " is " + thousands(size) + " bytes long; " + article + what +
           " is at most " + thousands(max_bytes) +
           " bytes. Shorten it, or put the details in a doc and add its link.";
}

std::string clean_user_text(std::string_view s, std::size_t max_bytes, const std::string& what) {
    if (!valid_utf8(s)) {
        throw UserError("That " + what +
                        " has bytes that are not valid UTF-8 text, so I did not "
                        "save it. Please retype it or paste it as plain text.");
    }
    std::string t = trim(strip_controls(s));
    if (t.empty()) throw UserError("The " + what + " is empty. Add some text after the command.");
    if (t.size() > max_bytes) throw UserError(too_long(what, t.size(), max_bytes));
    return t;
}

namespace {

/// Optimal string alignment distance between two short words.
std::size_t slip_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> near_miss(std::string_view typed,
                                     const std::vector<std::string>& candidates) {
    std::string word = lower(typed);
    if (word.size() < 2 || word.size() > 12) return std::nullopt;
    for (char c : word) {
        if (!std::isalpha(static_cast<unsigned char>(c))) return std::nullopt;
    }
    std::optional<std::string> best;
    std::size_t best_distance = 3;
    for (const auto& c : candidates) {
        std::size_t dist = slip_distance(word, c);
        if (dist <= (c.size() <= 4 ? 1u : 2u) && dist < best_distance) {
            best = c;
            best_distance = dist;
        }
    }
    return best;
}

std::string mention(const std::string& id) { return "<@" + id + ">"; }

std::string clip(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t end = max;
    while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
    return s.substr(0, end) + "…";
}

}  // namespace careerbot::text
