#include "src/core/blocks.hpp"

#include <cctype>
#include <optional>

namespace careerbot::blocks {
using nlohmann::json;

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

namespace {
/// Largest cut point <= limit that does not split a UTF-8 sequence or an entity.
std::size_t safe_cut(const std::string& s, std::size_t limit) {
    if (s.size() <= limit) return s.size();
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    auto amp = s.rfind('&', cut == 0 ? 0 : cut - 1);
    if (amp != std::string::npos && cut - amp < 6 && s.find(';', amp) >= cut) cut = amp;
    // Never 0: split_text would then loop forever on text that is all UTF-8 continuation
    // bytes (not UTF-8 at all, e.g. pasted into the console) or starts with "&…". Such text is
    // cut where the limit falls instead.
    return cut == 0 ? limit : cut;
}
}  // namespace

std::vector<std::string> split_text(const std::string& mrkdwn, std::size_t limit) {
    std::vector<std::string> out;
    std::string rest = mrkdwn;
    while (rest.size() > limit) {
        std::size_t cut = rest.rfind('\n', limit);
        if (cut == std::string::npos || cut < limit / 2) {
            cut = safe_cut(rest, limit);
            out.push_back(rest.substr(0, cut));
            rest.erase(0, cut);
        } else {
            out.push_back(rest.substr(0, cut));
            rest.erase(0, cut + 1);
        }
    }
    if (!rest.empty() || out.empty()) out.push_back(rest);
    return out;
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
    if (mrkdwn.size() > kMaxSectionText) mrkdwn = split_text(mrkdwn, kMaxSectionText).front();
    return {{"type", "section"}, {"text", mrkdwn_text(std::move(mrkdwn))}};
}

json header(std::string plain) {
    if (plain.size() > 150) plain.resize(safe_cut(plain, 150));
    return {{"type", "header"}, {"text", {{"type", "plain_text"}, {"text", plain}, {"emoji", true}}}};
}

json context(std::string mrkdwn) {
    if (mrkdwn.size() > kMaxSectionText) mrkdwn = split_text(mrkdwn, kMaxSectionText).front();
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

MessageBuilder& MessageBuilder::add(json block) {
    if (pages_.back().size() >= kMaxBlocks) pages_.push_back(json::array());
    pages_.back().push_back(std::move(block));
    return *this;
}

MessageBuilder& MessageBuilder::add_text(const std::string& mrkdwn) {
    for (auto& chunk : split_text(mrkdwn, kMaxSectionText)) add(section(std::move(chunk)));
    return *this;
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

Reply MessageBuilder::reply(bool in_channel) const& { return MessageBuilder(*this).reply_from(in_channel); }

Reply MessageBuilder::reply(bool in_channel) && { return reply_from(in_channel); }

Reply MessageBuilder::reply_from(bool in_channel) {
    auto msgs = build_from();
    Reply r;
    r.message = std::move(msgs.front());
    r.in_channel = in_channel;
    r.more.assign(std::make_move_iterator(msgs.begin() + 1), std::make_move_iterator(msgs.end()));
    return r;
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
        if (out.compare(i, 5, "&amp;") == 0) { decoded += '&'; i += 4; }
        else if (out.compare(i, 4, "&lt;") == 0) { decoded += '<'; i += 3; }
        else if (out.compare(i, 4, "&gt;") == 0) { decoded += '>'; i += 3; }
        else decoded += out[i];
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
            for (const auto& e : b.value("elements", json::array())) out += "  " + text_of(e, names) + "\n";
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
