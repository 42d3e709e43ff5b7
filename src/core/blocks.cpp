#include "src/core/blocks.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>

namespace careerbot::blocks {
using nlohmann::json;

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

namespace {

/// One `<…>` markup element of Slack text: `<` kind? target (`|` label)? `>`.
struct Markup {
    std::size_t begin = 0, end = 0;  ///< [begin, end) in the text
    char kind = 0;                   ///< '@', '#', '!' or 0 for a link
    std::string_view target, label;
};

/// The first markup element at or after `from`. Scanned by hand rather than with std::regex:
/// this runs for every /brag on the storage thread, where the regex cost more than the INSERT.
std::optional<Markup> next_markup(std::string_view s, std::size_t from) {
    const std::size_t open = s.find('<', from);
    if (open == std::string_view::npos) return std::nullopt;
    Markup m;
    m.begin = open;
    std::size_t i = open + 1;
    if (i < s.size() && (s[i] == '@' || s[i] == '#' || s[i] == '!')) m.kind = s[i++];
    const std::size_t target_end = s.find_first_of(">|", i);
    // Without a `>` after this `<` there is none after any later `<` either.
    if (target_end == std::string_view::npos) return std::nullopt;
    m.target = s.substr(i, target_end - i);
    std::size_t close = target_end;
    if (s[target_end] == '|') {
        close = s.find('>', target_end + 1);
        if (close == std::string_view::npos) return std::nullopt;
        m.label = s.substr(target_end + 1, close - target_end - 1);
    }
    m.end = close + 1;
    return m;
}

bool is_continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

/// Where text may be cut: the places split_text must not cut, found once per text.
class CutPoints {
  public:
    CutPoints(std::string_view s, std::size_t limit) : s_(s) {
        // Markup longer than a whole part cannot be kept whole; it is cut like plain text.
        for (auto m = next_markup(s, 0); m; m = next_markup(s, m->end)) {
            if (m->end - m->begin <= limit) spans_.emplace_back(m->begin, m->end);
        }
    }

    /// Whether s[0, at) | s[at, …) is a cut that splits no character, entity or markup.
    bool allowed(std::size_t at) const {
        if (at >= s_.size()) return true;
        if (is_continuation_byte(s_[at])) return false;
        return !in_entity(at) && !in_markup(at);
    }

  private:
    bool in_markup(std::size_t at) const {
        // The last span that begins before `at` (spans are ordered and do not overlap).
        auto it = std::partition_point(spans_.begin(), spans_.end(),
                                       [at](const auto& sp) { return sp.first < at; });
        return it != spans_.begin() && at < std::prev(it)->second;
    }

    /// Inside `&name;` or `&#123;` (Slack's `&amp;`, `&lt;`, `&gt;` and any other entity).
    bool in_entity(std::size_t at) const {
        constexpr std::size_t kLongest = 10;
        for (std::size_t a = at > kLongest ? at - kLongest : 0; a < at; ++a) {
            if (s_[a] != '&') continue;
            std::size_t e = a + 1;
            while (e < s_.size() && e - a <= kLongest &&
                   (std::isalnum(static_cast<unsigned char>(s_[e])) != 0 || s_[e] == '#'))
                ++e;
            if (e < s_.size() && s_[e] == ';' && e > a + 1 && at <= e) return true;
        }
        return false;
    }

    std::string_view s_;
    std::vector<std::pair<std::size_t, std::size_t>> spans_;
};

/// The end of the part that starts at `pos`: at most `pos + limit`, preferring a line end in
/// the part's second half, then a space there, then a line end or space anywhere, then any
/// allowed cut; the limit itself (moved off a UTF-8 continuation) only when nothing is allowed.
std::size_t part_end(std::string_view s, const CutPoints& cuts, std::size_t pos,
                     std::size_t limit) {
    const std::size_t hi = std::min(s.size(), pos + limit);
    if (hi == s.size()) return hi;
    const std::size_t half = pos + limit / 2;
    auto find = [&](std::size_t lo, auto&& after) -> std::size_t {
        for (std::size_t c = hi; c > lo; --c) {
            if (after(s[c - 1]) && cuts.allowed(c)) return c;
        }
        return 0;
    };
    auto newline = [](char c) { return c == '\n'; };
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n'; };
    auto any = [](char) { return true; };
    for (auto c : {find(half, newline), find(half, space), find(pos, space), find(pos, any)}) {
        if (c > pos) return c;
    }
    std::size_t c = hi;
    while (c > pos + 1 && is_continuation_byte(s[c])) --c;
    return c;
}

}  // namespace

std::vector<std::string> split_text(const std::string& mrkdwn, std::size_t limit) {
    if (limit == 0) limit = 1;
    std::vector<std::string> out;
    const std::string_view s = mrkdwn;
    if (s.size() <= limit) {
        out.push_back(mrkdwn);
        return out;
    }
    const CutPoints cuts(s, limit);
    for (std::size_t pos = 0; pos < s.size();) {
        std::size_t end = part_end(s, cuts, pos, limit);
        out.emplace_back(s.substr(pos, end - pos));
        pos = end;
    }
    return out;
}

std::string fallback_text(const std::string& mrkdwn) {
    if (mrkdwn.size() <= kMaxFallbackText) return mrkdwn;
    return split_text(mrkdwn, kMaxFallbackText - 3).front() + "…";
}

namespace {
/// A mrkdwn text object with `verbatim: true`. Slack's default (false) runs "automatic parsing"
/// over plain text — bare URLs become links and `@name`-style words can become mentions —
/// which would let an echoed `@channel`/`@here`/`@team` ping people even though `&`, `<` and
/// `>` are escaped. Verbatim still honours the explicit markup careerbot writes itself
/// (`<@U1>`, `<!date^…>`, `<url|label>`, *bold*). See Slack's "Formatting text": escaping and
/// automatic parsing.
json mrkdwn_text(std::string text) {
    return {{"type", "mrkdwn"}, {"text", std::move(text)}, {"verbatim", true}};
}
}  // namespace

json section(std::string mrkdwn) {
    if (mrkdwn.empty()) mrkdwn = " ";
    return {{"type", "section"}, {"text", mrkdwn_text(std::move(mrkdwn))}};
}

json header(std::string plain) {
    if (plain.size() > kMaxHeaderText) {
        // A title, not content: its end may go, marked as gone. "…" is 3 bytes.
        plain = split_text(plain, kMaxHeaderText - 3).front() + "…";
    }
    return {{"type", "header"},
            {"text", {{"type", "plain_text"}, {"text", plain}, {"emoji", true}}}};
}

json context(std::string mrkdwn) {
    return {{"type", "context"}, {"elements", json::array({mrkdwn_text(std::move(mrkdwn))})}};
}

json divider() { return {{"type", "divider"}}; }

json button(std::string label, std::string action_id, std::string value, std::string style) {
    json b = {{"type", "button"},
              {"text", {{"type", "plain_text"}, {"text", std::move(label)}}},
              {"action_id", std::move(action_id)},
              {"value", std::move(value)}};
    if (!style.empty()) b["style"] = std::move(style);
    return b;
}

json actions(json elements) { return {{"type", "actions"}, {"elements", std::move(elements)}}; }

MessageBuilder::MessageBuilder(std::string fallback) : fallback_(fallback_text(fallback)) {}

void MessageBuilder::push(json block) {
    if (pages_.back().size() >= kMaxBlocks) pages_.push_back(json::array());
    pages_.back().push_back(std::move(block));
}

namespace {
/// The text object of a section, or the only element of a context, if it holds a string.
json* text_object(json& block) {
    const std::string type = block.value("type", "");
    json* obj = nullptr;
    if (type == "section" && block.contains("text")) {
        obj = &block["text"];
    } else if (type == "context" && block.contains("elements") && block["elements"].is_array() &&
               block["elements"].size() == 1) {
        obj = &block["elements"][0];
    }
    if (obj == nullptr || !obj->is_object() || !obj->contains("text") ||
        !(*obj)["text"].is_string())
        return nullptr;
    return obj;
}
}  // namespace

std::vector<json> fit_block(json block) {
    std::vector<json> out;
    json* obj = text_object(block);
    if (obj == nullptr || (*obj)["text"].get_ref<const std::string&>().size() <= kMaxSectionText) {
        out.push_back(std::move(block));
        return out;
    }
    // Slack refuses a section or context text over 3,000 characters
    // (https://api.slack.com/reference/block-kit/blocks#section): the rest follows in blocks
    // of the same kind rather than being cut off.
    const bool is_section = block["type"] == "section";
    auto parts = split_text((*obj)["text"].get<std::string>(), kMaxSectionText);
    const json blank = *obj;  // its type and verbatim flag, for every part
    for (std::size_t i = 0; i < parts.size(); ++i) {
        // A part cut after a line end would show it as a blank line.
        if (i + 1 < parts.size() && parts[i].size() > 1 && parts[i].back() == '\n')
            parts[i].pop_back();
        json part = blank;
        part["text"] = std::move(parts[i]);
        if (i == 0) {
            *obj = std::move(part);
            out.push_back(std::move(block));
        } else if (is_section) {
            out.push_back({{"type", "section"}, {"text", std::move(part)}});
        } else {
            out.push_back({{"type", "context"}, {"elements", json::array({std::move(part)})}});
        }
    }
    return out;
}

MessageBuilder& MessageBuilder::add(json block) {
    // Past 50 blocks, the rest continues in the next message.
    for (auto& b : fit_block(std::move(block))) push(std::move(b));
    return *this;
}

MessageBuilder& MessageBuilder::add_text(const std::string& mrkdwn) { return add(section(mrkdwn)); }

MessageBuilder& MessageBuilder::add_packed(const std::vector<std::string>& items,
                                           const std::string& separator) {
    if (items.empty()) return *this;
    // Joined and split like any long text: sections come out nearly full (cut at a line end in
    // their second half), where keeping each item whole left a third of each empty when items
    // run to 1,000 characters. Sections stack without a gap, so an item that continues in
    // the next one reads the same.
    std::string all;
    for (const auto& item : items) {
        if (!all.empty()) all += separator;
        all += item;
    }
    return add(section(std::move(all)));
}

std::vector<Message> MessageBuilder::build() const& { return MessageBuilder(*this).build_from(); }

std::vector<Message> MessageBuilder::build() && { return build_from(); }

std::vector<Message> MessageBuilder::build_from() {
    std::vector<Message> out;
    for (std::size_t i = 0; i < pages_.size(); ++i) {
        Message m;
        m.text = pages_.size() == 1 ? fallback_
                                    : fallback_ + " (" + std::to_string(i + 1) + "/" +
                                          std::to_string(pages_.size()) + ")";
        m.blocks = std::move(pages_[i]);
        out.push_back(std::move(m));
    }
    return out;
}

Reply MessageBuilder::reply(bool in_channel) const& {
    return MessageBuilder(*this).reply_from(in_channel);
}

Reply MessageBuilder::reply(bool in_channel) && { return reply_from(in_channel); }

void MessageBuilder::send_to(const std::string& user_id, Reply& reply) && {
    for (auto& m : build_from()) reply.dms.push_back({user_id, std::move(m)});
}

Reply MessageBuilder::reply_from(bool in_channel) {
    auto msgs = build_from();
    Reply r;
    r.message = std::move(msgs.front());
    r.in_channel = in_channel;
    r.more.assign(std::make_move_iterator(msgs.begin() + 1), std::make_move_iterator(msgs.end()));
    return r;
}

namespace {

bool is_user_id_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
}

}  // namespace

std::vector<UserMention> find_user_mentions(std::string_view s) {
    std::vector<UserMention> out;
    for (std::size_t at = s.find("<@"); at != std::string_view::npos; at = s.find("<@", at + 1)) {
        std::size_t i = at + 2;
        while (i < s.size() && is_user_id_char(s[i])) ++i;
        if (i == at + 2 || i == s.size()) continue;
        UserMention m{std::string(s.substr(at + 2, i - at - 2)), {}};
        if (s[i] == '|') {
            const std::size_t close = s.find('>', i + 1);
            if (close == std::string_view::npos) break;  // no `>` left for any later mention
            m.label = std::string(s.substr(i + 1, close - i - 1));
            i = close;
        }
        if (s[i] != '>') continue;
        out.push_back(std::move(m));
        at = i;
    }
    return out;
}

std::string render_mrkdwn(std::string_view s, const NameLookup& names) {
    // Slack markup: <@U1>, <@U1|name>, <#C1|chan>, <!date^ts^fmt|fallback>, <!here>, <url|label>.
    std::string out;
    out.reserve(s.size());
    std::size_t last = 0;
    while (auto m = next_markup(s, last)) {
        out.append(s, last, m->begin - last);
        last = m->end;
        const std::string target(m->target);
        if (m->kind == '@') {
            out += '@';
            out += names ? names(target) : target;
        } else if (m->kind == '#') {
            out += '#';
            out += m->label.empty() ? m->target : m->label;
        } else if (m->kind == '!') {
            if (m->label.empty()) {
                out += '@';
                out += target;
            } else {
                out += m->label;
            }
        } else if (m->label.empty() || m->label == m->target) {
            out += target;
        } else {
            out += m->label;
            out += " (";
            out += target;
            out += ')';
        }
    }
    out.append(s, last);
    // Entities last, so decoded text is never re-read as markup.
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

namespace {
std::string text_of(const json& obj, const NameLookup& names) {
    if (!obj.is_object() || !obj.contains("text")) return "";
    const auto& t = obj["text"];
    if (!t.is_string()) return "";
    return render_mrkdwn(t.get<std::string>(), names);
}
}  // namespace

std::string render_text(const Message& message, const NameLookup& names) {
    if (!message.blocks.is_array() || message.blocks.empty())
        return render_mrkdwn(message.text, names) + "\n";
    std::string out;
    for (const auto& b : message.blocks) {
        std::string type = b.value("type", "");
        if (type == "header") {
            auto t = text_of(b.value("text", json::object()), names);
            out += "== " + t + " ==\n";
        } else if (type == "section") {
            if (b.contains("text")) out += text_of(b["text"], names) + "\n";
            if (b.contains("fields")) {
                for (const auto& f : b["fields"]) out += "  " + text_of(f, names) + "\n";
            }
            if (b.contains("accessory") && b["accessory"].value("type", "") == "button") {
                out += "  [" + text_of(b["accessory"]["text"], names) + "]\n";
            }
        } else if (type == "context") {
            for (const auto& e : b.value("elements", json::array()))
                out += "  " + text_of(e, names) + "\n";
        } else if (type == "divider") {
            out += "----\n";
        } else if (type == "actions") {
            std::string line;
            for (const auto& e : b.value("elements", json::array())) {
                if (e.value("type", "") == "button") line += "[" + text_of(e["text"], names) + "] ";
            }
            if (!line.empty()) out += "  " + line.substr(0, line.size() - 1) + "\n";
        }
    }
    return out;
}

}  // namespace careerbot::blocks
