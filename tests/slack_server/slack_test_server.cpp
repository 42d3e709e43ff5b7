// All Beast/Asio code of the Slack test server lives in this one file.
#include "slack_test_server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <list>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace careerbot::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

namespace {

constexpr std::size_t max_message_text = 40000;
constexpr std::size_t max_request_body = 256U * 1024U * 1024U;
constexpr std::size_t max_recorded_upload = 1024U * 1024U;
constexpr std::size_t max_other_messages = 10000;
// Trigger ids' numbers have 10 digits.
constexpr std::uint64_t trigger_base = 1000000000ULL;
constexpr std::uint64_t trigger_range = 9000000000ULL;

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

/// Appends `s` as a JSON string, byte for byte as dump() writes it.
void append_json_string(std::string& out, std::string_view s) {
    // Printable ASCII other than '"' and '\\' is written as is; anything else goes through
    // nlohmann, which escapes it and replaces invalid UTF-8 exactly as dump() does.
    bool plain = std::all_of(s.begin(), s.end(),
                             [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
    if (!plain) {
        out += dump(json(std::string(s)));
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

/// Appends `"key":"value"` to an object being written, after a comma unless it is the first.
void append_field(std::string& out, std::string_view key, std::string_view value) {
    if (out.back() != '{') out += ',';
    append_json_string(out, key);
    out += ':';
    append_json_string(out, value);
}

/// Slack counts characters, not bytes.
std::size_t utf8_length(const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    }));
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string url_decode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        if (in[i] == '+') {
            out += ' ';
        } else if (in[i] == '%' && i + 2 < in.size() && hex_value(in[i + 1]) >= 0 &&
                   hex_value(in[i + 2]) >= 0) {
            out += static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
            i += 2;
        } else {
            out += in[i];
        }
    }
    return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

/// The decimal number `s` starts with, if `delimiter` follows it.
std::optional<std::uint64_t> leading_number(std::string_view s, char delimiter) {
    std::uint64_t value = 0;
    const char* end = s.data() + s.size();
    auto [next, ec] = std::from_chars(s.data(), end, value);
    if (ec != std::errc() || next == end || *next != delimiter) return std::nullopt;
    return value;
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

/// A string argument whether it came as a JSON string, number or bool.
std::string arg_str(const json& args, const char* key) {
    if (!args.is_object()) return {};
    auto it = args.find(key);
    if (it == args.end() || it->is_null()) return {};
    if (it->is_string()) return it->get<std::string>();
    return dump(*it);
}

/// Form-encoded calls carry structured arguments (blocks, view, files) as JSON strings.
std::optional<json> arg_json(const json& args, const char* key) {
    if (!args.is_object()) return std::nullopt;
    auto it = args.find(key);
    if (it == args.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) {
        json parsed = json::parse(it->get<std::string>(), nullptr, false);
        if (parsed.is_discarded()) return json(json::value_t::discarded);
        return parsed;
    }
    return *it;
}

json error_body(const std::string& error) { return json{{"ok", false}, {"error", error}}; }

/// A message ts ("seconds.micros") as microseconds, so timestamps order as numbers; nullopt if
/// it is not one. Fewer than 6 fraction digits count as the leading ones ("1.5" = 1.500000).
std::optional<std::uint64_t> ts_key(std::string_view ts) {
    if (ts.empty()) return std::nullopt;
    auto dot = ts.find('.');
    std::string_view whole = ts.substr(0, dot);
    std::string_view frac = dot == std::string_view::npos ? std::string_view{} : ts.substr(dot + 1);
    if (whole.empty() || frac.size() > 6) return std::nullopt;
    std::uint64_t seconds = 0;
    auto [end, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), seconds);
    if (ec != std::errc() || end != whole.data() + whole.size()) return std::nullopt;
    std::uint64_t micros = 0;
    for (std::size_t i = 0; i < 6; ++i) {
        char c = i < frac.size() ? frac[i] : '0';
        if (c < '0' || c > '9') return std::nullopt;
        micros = micros * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return seconds * 1000000U + micros;
}

bool truthy(const std::string& value) { return value == "true" || value == "1"; }

/// `limit` as Slack reads it: absent or 0 means the method's default, capped at its maximum.
std::size_t read_limit(const json& args, std::size_t default_limit, std::size_t max_limit) {
    std::string text = arg_str(args, "limit");
    std::size_t limit = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (text.empty() || ec != std::errc() || limit == 0) return default_limit;
    return std::min(limit, max_limit);
}

/// The stored message as a read method answers it: `metadata` only when asked for
/// (include_all_metadata, https://docs.slack.dev/messaging/message-metadata).
json message_for_reader(const json& stored, bool with_metadata) {
    if (with_metadata || !stored.contains("metadata")) return stored;
    json out = stored;
    out.erase("metadata");
    return out;
}

std::string redact(const std::string& token) {
    if (token.empty()) return "";
    auto dash = token.find('-');
    return (dash == std::string::npos ? std::string("?") : token.substr(0, dash)) + "-***";
}

}  // namespace

std::vector<SlackUser> default_slack_users() {
    return {
        {"U0ALICE", "alice", "Alice Anders", "America/New_York", "Eastern Standard Time", -18000,
         false},
        {"U0BOB", "bob", "Bob Brown", "Europe/Berlin", "Central European Time", 3600, false},
        {"U0CAROL", "carol", "Carol Chen", "Asia/Tokyo", "Japan Standard Time", 32400, false},
    };
}

json decode_form(const std::string& body) {
    json out = json::object();
    std::string_view rest(body);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = url_decode(pair.substr(0, eq));
        std::string value =
            eq == std::string_view::npos ? std::string{} : url_decode(pair.substr(eq + 1));
        out[key] = value;
    }
    return out;
}

// ---- Slack's Block Kit rules ------------------------------------------------------------------
//
// Each limit below is Slack's documented one; the page is named next to it. Slack refuses the
// whole call (invalid_blocks for messages, invalid_arguments for views) and says why with JSON
// pointers in `errors` and `response_metadata.messages`.

namespace {

/// Collects what Slack would say about one message or view.
class BlockKitChecker {
  public:
    /// (message, JSON pointer) pairs, in document order.
    std::vector<std::pair<std::string, std::string>> problems;

    void add(std::string message, std::string pointer) {
        if (problems.size() < 50) problems.emplace_back(std::move(message), std::move(pointer));
    }

    /// A string field of at most `max` characters (at least `min` when present or required).
    void string_field(const json& parent, const char* key, const std::string& ptr, std::size_t min,
                      std::size_t max, bool required = false) {
        auto it = parent.find(key);
        if (it == parent.end() || it->is_null()) {
            if (required) add("missing required field: " + std::string(key), ptr);
            return;
        }
        const std::string at = ptr + "/" + key;
        if (!it->is_string()) {
            add("must be a string", at);
            return;
        }
        std::size_t n = utf8_length(it->get<std::string>());
        if (n > max) add("must be less than " + std::to_string(max + 1) + " characters", at);
        if (n < min) add("must be more than " + std::to_string(min - 1) + " characters", at);
    }

    /// A text object (https://docs.slack.dev/reference/block-kit/composition-objects/text-object)
    /// of `min`..`max` characters; `plain_only` for fields that take plain_text only.
    void text_object(const json& parent, const char* key, const std::string& ptr, std::size_t min,
                     std::size_t max, bool required, bool plain_only) {
        auto it = parent.find(key);
        const std::string at = ptr + "/" + key;
        if (it == parent.end() || it->is_null()) {
            if (required) add("missing required field: " + std::string(key), ptr);
            return;
        }
        if (!it->is_object()) {
            add("must provide an object", at);
            return;
        }
        std::string type = arg_str(*it, "type");
        if (type != "plain_text" && (plain_only || type != "mrkdwn")) {
            add(plain_only ? "must be a valid enum value [plain_text]"
                           : "must be a valid enum value [plain_text, mrkdwn]",
                at + "/type");
        }
        string_field(*it, "text", at, min, max, true);
    }

    /// An array of at most `max` items (at least `min`); false when it is not an array.
    bool array_field(const json& parent, const char* key, const std::string& ptr, std::size_t min,
                     std::size_t max, bool required) {
        auto it = parent.find(key);
        if (it == parent.end() || it->is_null()) {
            if (required) add("missing required field: " + std::string(key), ptr);
            return false;
        }
        const std::string at = ptr + "/" + key;
        if (!it->is_array()) {
            add("must provide an array", at);
            return false;
        }
        if (it->size() > max) add("no more than " + std::to_string(max) + " items allowed", at);
        if (it->size() < min) add("must provide at least " + std::to_string(min) + " items", at);
        return true;
    }

    /// Blocks of a message (at most 50) or a view (at most 100).
    void blocks(const json& list, const std::string& ptr, std::size_t max_blocks) {
        if (!list.is_array()) {
            add("must provide an array", ptr);
            return;
        }
        // https://docs.slack.dev/reference/block-kit/blocks: "a maximum of 50 blocks in each
        // message, and 100 blocks in modals or Home tabs".
        if (list.size() > max_blocks) {
            add("no more than " + std::to_string(max_blocks) + " items allowed", ptr);
        }
        std::set<std::string> block_ids;
        for (std::size_t i = 0; i < list.size(); ++i) {
            block(list[i], ptr + "/" + std::to_string(i), block_ids);
        }
    }

  private:
    void block(const json& b, const std::string& ptr, std::set<std::string>& block_ids) {
        if (!b.is_object()) {
            add("must provide an object", ptr);
            return;
        }
        // https://docs.slack.dev/reference/block-kit/blocks: block_id is at most 255 characters
        // and "should be unique for each message or view".
        string_field(b, "block_id", ptr, 1, 255);
        std::string block_id = arg_str(b, "block_id");
        if (!block_id.empty() && !block_ids.insert(block_id).second) {
            add("duplicate block_id", ptr + "/block_id");
        }
        std::string type = arg_str(b, "type");
        std::set<std::string> action_ids;  // "unique among all other action_ids in the block"
        if (type == "section") {
            // https://docs.slack.dev/reference/block-kit/blocks/section-block: text 1-3000,
            // fields at most 10 of at most 2000; text or fields is required.
            text_object(b, "text", ptr, 1, 3000, false, false);
            if (array_field(b, "fields", ptr, 1, 10, false)) {
                const json& fields = b["fields"];
                for (std::size_t i = 0; i < fields.size(); ++i) {
                    json holder{{"f", fields[i]}};
                    text_object(holder, "f", "", 1, 2000, true, false);
                    rename_last_pointer("/f", ptr + "/fields/" + std::to_string(i));
                }
            }
            if (!b.contains("text") && !b.contains("fields")) {
                add("must provide either text or fields", ptr);
            }
            if (b.contains("accessory")) element(b["accessory"], ptr + "/accessory", action_ids);
        } else if (type == "header") {
            // https://docs.slack.dev/reference/block-kit/blocks/header-block: plain_text, at
            // most 150 characters.
            text_object(b, "text", ptr, 1, 150, true, true);
        } else if (type == "actions") {
            // https://docs.slack.dev/reference/block-kit/blocks/actions-block: at most 25.
            if (array_field(b, "elements", ptr, 1, 25, true)) {
                const json& elements = b["elements"];
                for (std::size_t i = 0; i < elements.size(); ++i) {
                    element(elements[i], ptr + "/elements/" + std::to_string(i), action_ids);
                }
            }
        } else if (type == "context") {
            // https://docs.slack.dev/reference/block-kit/blocks/context-block: at most 10.
            array_field(b, "elements", ptr, 1, 10, true);
        } else if (type == "input") {
            // https://docs.slack.dev/reference/block-kit/blocks/input-block: label and hint
            // plain_text of at most 2000.
            text_object(b, "label", ptr, 1, 2000, true, true);
            text_object(b, "hint", ptr, 1, 2000, false, true);
            if (!b.contains("element")) {
                add("missing required field: element", ptr);
            } else {
                element(b["element"], ptr + "/element", action_ids);
            }
        } else if (type == "image") {
            // https://docs.slack.dev/reference/block-kit/blocks/image-block
            string_field(b, "alt_text", ptr, 1, 2000, true);
            string_field(b, "image_url", ptr, 1, 3000);
            text_object(b, "title", ptr, 1, 2000, false, true);
        } else if (type == "divider" || type == "rich_text" || type == "file" || type == "video" ||
                   type == "markdown") {
            // Not used by careerbot; accepted as they are.
        } else {
            add("must be a valid enum value", ptr + "/type");
        }
    }

    void element(const json& e, const std::string& ptr, std::set<std::string>& action_ids) {
        if (!e.is_object()) {
            add("must provide an object", ptr);
            return;
        }
        std::string type = arg_str(e, "type");
        // https://docs.slack.dev/reference/block-kit/block-elements: action_id is at most 255
        // characters and "should be unique among all other action_ids in the containing block".
        string_field(e, "action_id", ptr, 1, 255);
        std::string action_id = arg_str(e, "action_id");
        if (!action_id.empty() && !action_ids.insert(action_id).second) {
            add("duplicate action_id", ptr + "/action_id");
        }
        text_object(e, "placeholder", ptr, 1, 150, false, true);
        if (type == "button") {
            // https://docs.slack.dev/reference/block-kit/block-elements/button-element: text
            // plain_text at most 75, value at most 2000, url at most 3000.
            text_object(e, "text", ptr, 1, 75, true, true);
            string_field(e, "value", ptr, 1, 2000);
            string_field(e, "url", ptr, 1, 3000);
        } else if (type == "static_select" || type == "multi_static_select") {
            // https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element:
            // at most 100 options or option groups.
            options(e, "options", ptr, 100, false);
            if (array_field(e, "option_groups", ptr, 1, 100, false)) {
                const json& groups = e["option_groups"];
                for (std::size_t i = 0; i < groups.size(); ++i) {
                    if (groups[i].is_object()) {
                        options(groups[i], "options", ptr + "/option_groups/" + std::to_string(i),
                                100, true);
                    }
                }
            }
        } else if (type == "overflow") {
            // https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element
            options(e, "options", ptr, 5, true);
        } else if (type == "checkboxes" || type == "radio_buttons") {
            // https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element and
            // .../radio-button-group-element: at most 10 options.
            options(e, "options", ptr, 10, true);
        } else if (type == "plain_text_input") {
            // https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element
            auto max_length = e.find("max_length");
            if (max_length != e.end() && max_length->is_number_integer() &&
                (max_length->get<std::int64_t>() > 3000 || max_length->get<std::int64_t>() < 1)) {
                add("must be between 1 and 3000", ptr + "/max_length");
            }
        }
    }

    /// https://docs.slack.dev/reference/block-kit/composition-objects/option-object: text at
    /// most 75 characters, value at most 150, description at most 75.
    void options(const json& parent, const char* key, const std::string& ptr, std::size_t max,
                 bool required) {
        if (!array_field(parent, key, ptr, 1, max, required)) return;
        const json& list = parent[key];
        for (std::size_t i = 0; i < list.size(); ++i) {
            std::string at = ptr + "/" + key + "/" + std::to_string(i);
            if (!list[i].is_object()) {
                add("must provide an object", at);
                continue;
            }
            text_object(list[i], "text", at, 1, 75, true, false);
            string_field(list[i], "value", at, 1, 150, true);
            text_object(list[i], "description", at, 1, 75, false, true);
        }
    }

    /// Problems found under a temporary holder point at the real place instead.
    void rename_last_pointer(const std::string& from, const std::string& to) {
        for (auto& [message, pointer] : problems) {
            if (starts_with(pointer, from)) pointer = to + pointer.substr(from.size());
        }
    }
};

/// Slack's answer to a refused message: invalid_blocks with `errors` and the same lines in
/// `response_metadata.messages`, each naming a JSON pointer.
json invalid_blocks_body(const BlockKitChecker& checker) {
    json errors = json::array();
    json messages = json::array();
    for (const auto& [message, pointer] : checker.problems) {
        errors.push_back(message + " [json-pointer:" + pointer + "]");
        messages.push_back("[ERROR] " + message + " [json-pointer:" + pointer + "]");
    }
    return json{{"ok", false},
                {"error", "invalid_blocks"},
                {"errors", errors},
                {"response_metadata", {{"messages", messages}}}};
}

}  // namespace

std::optional<json> check_message(const json& args) {
    if (auto blocks = arg_json(args, "blocks")) {
        if (blocks->is_discarded() || !blocks->is_array()) {
            return error_body("invalid_blocks_format");
        }
        BlockKitChecker checker;
        checker.blocks(*blocks, "/blocks", 50);
        if (!checker.problems.empty()) return invalid_blocks_body(checker);
    }
    // https://docs.slack.dev/reference/methods/chat.postMessage: text is truncated past
    // 40,000 characters; msg_too_long is the refusal.
    if (args.is_object() && args.contains("text") && args["text"].is_string() &&
        utf8_length(args["text"].get<std::string>()) > max_message_text) {
        return error_body("msg_too_long");
    }
    return std::nullopt;
}

std::optional<std::string> check_message_limits(const json& args) {
    auto refusal = check_message(args);
    if (!refusal) return std::nullopt;
    return (*refusal)["error"].get<std::string>();
}

std::optional<json> check_view(const json& view) {
    if (!view.is_object()) return error_body("invalid_arguments");
    BlockKitChecker checker;
    std::string type = arg_str(view, "type");
    if (type == "modal") {
        // https://docs.slack.dev/reference/views/modal-views: title (required), submit and
        // close are plain_text of at most 24 characters; submit is required with input blocks.
        checker.text_object(view, "title", "/view", 1, 24, true, true);
        checker.text_object(view, "submit", "/view", 1, 24, false, true);
        checker.text_object(view, "close", "/view", 1, 24, false, true);
        bool has_input = false;
        if (auto blocks = view.find("blocks"); blocks != view.end() && blocks->is_array()) {
            for (const auto& b : *blocks) has_input = has_input || arg_str(b, "type") == "input";
        }
        if (has_input && !view.contains("submit")) {
            checker.add("submit is required when an input block is within the blocks array",
                        "/view/submit");
        }
    } else if (type != "home") {
        checker.add("must be a valid enum value [modal, home]", "/view/type");
    }
    // https://docs.slack.dev/reference/views/modal-views and .../home-tab-views:
    // private_metadata at most 3000, callback_id and external_id at most 255, 100 blocks.
    checker.string_field(view, "private_metadata", "/view", 0, 3000);
    checker.string_field(view, "callback_id", "/view", 0, 255);
    checker.string_field(view, "external_id", "/view", 0, 255);
    if (view.contains("blocks")) {
        checker.blocks(view["blocks"], "/view/blocks", 100);
    } else {
        checker.add("missing required field: blocks", "/view");
    }
    if (checker.problems.empty()) return std::nullopt;
    json messages = json::array();
    for (const auto& [message, pointer] : checker.problems) {
        messages.push_back("[ERROR] " + message + " [json-pointer:" + pointer + "]");
    }
    // Views answer invalid_arguments with the reasons in response_metadata.messages only.
    return json{{"ok", false},
                {"error", "invalid_arguments"},
                {"response_metadata", {{"messages", messages}}}};
}

// ---------------------------------------------------------------------------------------------

namespace {

/// One frame queued for a websocket connection.
struct Outgoing {
    enum class Kind { text, ping, close };
    Kind kind = Kind::text;
    std::shared_ptr<const std::string> text;
    std::optional<std::uint64_t> envelope;  ///< Sequence number of the envelope it carries.
    bool hello = false;
};

Outgoing make_outgoing(Outgoing::Kind kind, std::shared_ptr<const std::string> text = nullptr,
                       std::optional<std::uint64_t> envelope = std::nullopt, bool hello = false) {
    Outgoing out;
    out.kind = kind;
    out.text = std::move(text);
    out.envelope = envelope;
    out.hello = hello;
    return out;
}

/// An envelope on its way out: its sequence number, its id and its JSON text.
struct Envelope {
    std::uint64_t seq = 0;
    std::string id;
    std::string text;
};

/// What the HTTP side answers.
struct Reply {
    Reply() = default;
    Reply(http::status status_code, json json_body)
        : status(status_code), body(std::move(json_body)) {}

    http::status status = http::status::ok;
    json body;
    std::string raw_body;
    std::string content_type = "application/json; charset=utf-8";
    int retry_after = -1;
    std::chrono::milliseconds delay{0};
    bool close = false;
    bool drop = false;  ///< Close the socket without writing any response.
};

struct Injection {
    bool rate_limit = false;
    std::string error;
    int retry_after = 0;
    int remaining = 1;
};

struct FaultInjection {
    Fault fault = Fault::http_500;
    When when = When::before_effect;
    int remaining = 1;
};

/// What a client sees for an injected fault. Slack's front ends answer 5xx with an HTML page,
/// not JSON, so clients must not expect an `ok` field.
Reply fault_reply(Fault fault) {
    Reply reply;
    reply.content_type = "text/html; charset=utf-8";
    switch (fault) {
        case Fault::http_500:
            reply.status = http::status::internal_server_error;
            reply.raw_body = "<html><body>500 Internal Server Error</body></html>";
            break;
        case Fault::http_503:
            reply.status = http::status::service_unavailable;
            reply.raw_body = "<html><body>503 Service Unavailable</body></html>";
            break;
        case Fault::drop:
            reply.status = http::status::ok;
            reply.raw_body = "-";
            reply.drop = true;
            reply.close = true;
            break;
    }
    return reply;
}

struct Pending {
    Clock::time_point written;
};

/// What the server takes from a client message.
struct ClientMessage {
    bool is_ack = false;  // a JSON object with a string `envelope_id`
    std::string envelope_id;
    bool has_payload = false;
    json payload;  // only when the message was read whole
};

/// A SAX handler that keeps only what counting an ack needs: the top-level `envelope_id` (when
/// a string) and whether a top-level `payload` exists. Like the DOM parser, the last of
/// duplicate keys wins.
class AckSkimmer {
  public:
    bool null() { return value(nullptr); }
    bool boolean(bool /*unused*/) { return value(nullptr); }
    bool number_integer(json::number_integer_t /*unused*/) { return value(nullptr); }
    bool number_unsigned(json::number_unsigned_t /*unused*/) { return value(nullptr); }
    bool number_float(json::number_float_t /*unused*/, const json::string_t& /*unused*/) {
        return value(nullptr);
    }
    bool string(json::string_t& s) { return value(&s); }
    bool binary(json::binary_t& /*unused*/) { return value(nullptr); }
    bool start_object(std::size_t /*unused*/) {
        if (depth_ == 0) top_is_object_ = true;
        value(nullptr);
        ++depth_;
        return true;
    }
    bool end_object() {
        --depth_;
        return true;
    }
    bool start_array(std::size_t /*unused*/) {
        value(nullptr);
        ++depth_;
        return true;
    }
    bool end_array() {
        --depth_;
        return true;
    }
    bool key(json::string_t& k) {
        if (depth_ == 1) {
            at_envelope_id_ = k == "envelope_id";
            if (k == "payload") has_payload_ = true;
        }
        return true;
    }
    bool parse_error(std::size_t /*unused*/, const std::string& /*unused*/,
                     const json::exception& /*unused*/) {
        return false;
    }

    /// Reads `text`; the message as on_client_message needs it, without a payload.
    static ClientMessage skim(std::string_view text) {
        AckSkimmer skimmer;
        ClientMessage message;
        if (!json::sax_parse(text, &skimmer) || !skimmer.top_is_object_ || !skimmer.envelope_id_) {
            return message;
        }
        message.is_ack = true;
        message.envelope_id = std::move(*skimmer.envelope_id_);
        message.has_payload = skimmer.has_payload_;
        return message;
    }

  private:
    /// Any value starts here: a scalar, or the opening of an object or array.
    bool value(json::string_t* s) {
        if (depth_ == 1 && at_envelope_id_) {
            envelope_id_ = s ? std::optional<std::string>(std::move(*s)) : std::nullopt;
        }
        return true;
    }

    std::size_t depth_ = 0;
    bool top_is_object_ = false;
    bool at_envelope_id_ = false;
    bool has_payload_ = false;
    std::optional<std::string> envelope_id_;
};

/// Reads `text` into a DOM; the message with its payload.
ClientMessage read_whole(std::string_view text) {
    ClientMessage message;
    json parsed = json::parse(text, nullptr, false);
    auto id = parsed.find("envelope_id");  // end() unless an object
    if (id == parsed.end() || !id->is_string()) return message;
    message.is_ack = true;
    message.envelope_id = id->get<std::string>();
    auto payload = parsed.find("payload");
    message.has_payload = payload != parsed.end();
    if (message.has_payload) message.payload = std::move(*payload);
    return message;
}

}  // namespace

class WsSession;
class HttpSession;

/// Everything the server knows; the sessions below talk to it directly.
struct ServerCore {
    using Options = SlackTestServerOptions;
    using LogSink = SlackTestServer::LogSink;
    using Handler = SlackTestServer::Handler;
    using AckListener = SlackTestServer::AckListener;
    using ConnectionIndex = SlackTestServer::ConnectionIndex;

    explicit ServerCore(Options options) : options_(std::move(options)) {
        std::random_device rd;
        rng_.seed((static_cast<std::uint64_t>(rd()) << 32U) ^ rd());
        char prefix[32];
        std::snprintf(
            prefix, sizeof prefix, "%08x-%04x-4%03x-8%03x-",
            static_cast<unsigned>(rng_() & 0xFFFFFFFFU), static_cast<unsigned>(rng_() & 0xFFFFU),
            static_cast<unsigned>(rng_() & 0xFFFU), static_cast<unsigned>(rng_() & 0xFFFU));
        envelope_prefix_ = prefix;
        envelope_mask_ = rng_() & 0xFFFFFFFFFFFFULL;
        id_key_ = rng_();
        trigger_offset_ = rng_() % trigger_range;
        for (const auto& user : options_.users) users_[user.id] = user;
        auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
        last_ts_us_ = static_cast<std::uint64_t>(now_us);
    }

    // Declared first so it is destroyed last: sockets must die before their io_context.
    net::io_context ioc_;
    Options options_;
    std::optional<tcp::acceptor> acceptor_;
    std::thread thread_;
    std::atomic<std::uint16_t> port_{0};
    bool started_ = false;
    bool stopped_ = false;

    mutable std::mutex mutex_;
    std::condition_variable cv_;
    // wait_for_ack_count() waiters have their own condition, signalled only once the smallest
    // count any of them waits for is reached: a closed loop would otherwise wake on every
    // envelope written and every ack.
    std::condition_variable ack_count_cv_;
    std::uint64_t ack_count_target_ = UINT64_MAX;
    std::shared_ptr<const AckListener> ack_listener_;  // shared: called without the lock
    LogSink sink_;
    std::mt19937_64 rng_;
    std::string envelope_prefix_;
    std::uint64_t next_envelope_seq_ = 0;
    std::uint64_t envelope_mask_ = 0;
    std::uint64_t next_id_ = 1;
    std::uint64_t id_key_ = 0;
    std::uint64_t trigger_offset_ = 0;
    std::uint64_t last_ts_us_ = 0;

    // Web API state (mutex_).
    std::vector<ApiCall> calls_;
    std::uint64_t call_seq_ = 0;
    std::map<std::string, std::size_t> call_counts_;
    std::map<std::string, std::deque<Injection>> injections_;
    std::map<std::string, std::deque<FaultInjection>> faults_;
    std::string connections_open_error_;
    std::map<std::string, std::chrono::milliseconds> delays_;
    std::map<std::string, Handler> handlers_;
    std::map<std::string, SlackUser> users_;
    std::map<std::string, SlackStatus> statuses_;  ///< custom statuses set by send_user_change
    std::set<std::string> tickets_;
    std::vector<Clock::time_point> trigger_issued_;  // by trigger sequence number
    std::set<std::uint64_t> triggers_exchanged_;     // trigger sequence numbers used
    struct ResponseUrlState {
        Clock::time_point issued;
        int uses = 0;
    };
    std::map<std::uint64_t, ResponseUrlState> response_urls_;  // by response URL number
    std::set<std::string> file_ids_;
    std::set<std::string> view_ids_;
    std::set<std::string> opened_dms_;
    // Messages by channel, then by ts (as microseconds): channel history and threads alike.
    std::map<std::string, std::map<std::uint64_t, json>> channels_;

    // Socket Mode state (mutex_).
    std::unordered_map<std::uint64_t, Pending> pending_;  // by envelope sequence number
    std::vector<Ack> acks_;
    std::unordered_map<std::string, std::size_t> ack_index_;
    std::vector<std::chrono::nanoseconds> latencies_;
    std::vector<std::string> other_messages_;
    std::vector<ConnectionInfo> conn_info_;
    std::set<std::size_t> closed_indices_;
    ServerStats stats_;

    // Server thread only.
    std::map<std::size_t, std::shared_ptr<WsSession>> ws_sessions_;
    std::list<std::weak_ptr<HttpSession>> http_sessions_;
    std::deque<Outgoing> backlog_;

    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_.load()); }

    std::string random_hex(std::size_t n) {
        static constexpr char digits[] = "0123456789abcdef";
        std::string out;
        for (std::size_t i = 0; i < n; ++i) out += digits[rng_() % 16];
        return out;
    }

    /// Ids look like Slack's (upper-case alphanumerics after a kind letter). Needs mutex_.
    std::string new_id(char kind) {
        static constexpr char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        std::string out(1, kind);
        out += "0T";
        for (int i = 0; i < 8; ++i) out += digits[rng_() % 36];
        ++next_id_;
        return out;
    }

    /// Message timestamps must be unique; "seconds.micros" like Slack. Needs mutex_.
    std::string new_ts() {
        auto now_us =
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
        last_ts_us_ = std::max(now_us, last_ts_us_ + 1);
        char buf[40];
        std::snprintf(buf, sizeof buf, "%llu.%06llu",
                      static_cast<unsigned long long>(last_ts_us_ / 1000000U),
                      static_cast<unsigned long long>(last_ts_us_ % 1000000U));
        return buf;
    }

    /// Envelope ids are UUID-shaped and encode a sequence number (masked, so they look random),
    /// so duplicate acks are told from unknown ones without remembering every id. Needs mutex_.
    Envelope new_envelope_locked() {
        Envelope envelope;
        envelope.seq = next_envelope_seq_++;
        char tail[16];
        std::snprintf(
            tail, sizeof tail, "%012llx",
            static_cast<unsigned long long>((envelope.seq ^ envelope_mask_) & 0xFFFFFFFFFFFFULL));
        envelope.id = envelope_prefix_ + tail;
        return envelope;
    }

    /// Sequence number of an envelope id this server issued, else nullopt. Needs mutex_.
    std::optional<std::uint64_t> issued_seq(std::string_view envelope_id) const {
        if (!starts_with(envelope_id, envelope_prefix_)) return std::nullopt;
        std::string_view tail = envelope_id.substr(envelope_prefix_.size());
        if (tail.size() != 12) return std::nullopt;
        std::uint64_t masked = 0;
        for (char c : tail) {
            // Only the lower-case form new_envelope_locked() writes.
            if (c >= '0' && c <= '9') {
                masked = masked * 16 + static_cast<std::uint64_t>(c - '0');
            } else if (c >= 'a' && c <= 'f') {
                masked = masked * 16 + static_cast<std::uint64_t>(c - 'a' + 10);
            } else {
                return std::nullopt;
            }
        }
        std::uint64_t seq = masked ^ envelope_mask_;
        if (seq >= next_envelope_seq_) return std::nullopt;
        return seq;
    }

    // Trigger ids and response URLs carry a sequence number and digits derived from it and a
    // per-server key: the server checks one by rebuilding it instead of remembering every id
    // it issued, like envelope ids.

    /// 64 bits derived from (seq, block) and the key: splitmix64's finaliser.
    std::uint64_t keyed(std::uint64_t seq, std::uint64_t block) const {
        std::uint64_t z = id_key_ ^ (seq * 0x9E3779B97F4A7C15ULL) ^ (block * 0xD1B54A32D192ED03ULL);
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31U);
    }

    /// `n` hex digits of keyed(seq, first_block), keyed(seq, first_block + 1), ...
    std::string keyed_hex(std::uint64_t seq, std::uint64_t first_block, std::size_t n) const {
        static constexpr char digits[] = "0123456789abcdef";
        std::string out(n, '0');
        std::uint64_t bits = 0;
        for (std::size_t i = 0; i < n; ++i) {
            if (i % 16 == 0) bits = keyed(seq, first_block + i / 16);
            out[i] = digits[bits & 0xFU];
            bits >>= 4U;
        }
        return out;
    }

    /// Shaped like Slack's: "<10 digits>.<10 digits>.<32 hex>"; the first number is the
    /// sequence number, offset so the ids look random.
    std::string trigger_id(std::uint64_t seq) const {
        return std::to_string(trigger_base + (seq + trigger_offset_) % trigger_range) + "." +
               std::to_string(trigger_base + keyed(seq, 0) % trigger_range) + "." +
               keyed_hex(seq, 1, 32);
    }

    std::string issue_trigger_locked() {
        trigger_issued_.push_back(Clock::now());
        return trigger_id(trigger_issued_.size() - 1);
    }

    /// The sequence number of a trigger id this server issued, else nullopt. Needs mutex_.
    std::optional<std::uint64_t> trigger_seq(std::string_view id) const {
        auto first = leading_number(id, '.');
        if (!first || *first < trigger_base) return std::nullopt;
        std::uint64_t seq =
            (*first - trigger_base + trigger_range - trigger_offset_) % trigger_range;
        if (seq >= trigger_issued_.size() || trigger_id(seq) != id) return std::nullopt;
        return seq;
    }

    /// "<team>/<number>/<24 hex>", the path of a response URL after "/response/".
    std::string response_id(std::uint64_t number) const {
        return options_.team_id + "/" + std::to_string(number) + "/" + keyed_hex(number, 3, 24);
    }

    std::string issue_response_url_locked() {
        std::uint64_t number = next_id_++;
        response_urls_[number].issued = Clock::now();
        return base_url() + "/response/" + response_id(number);
    }

    /// The number of a response URL this server issued, else nullopt. Needs mutex_.
    std::optional<std::uint64_t> response_number(std::string_view id) const {
        if (!starts_with(id, options_.team_id + "/")) return std::nullopt;
        auto number = leading_number(id.substr(options_.team_id.size() + 1), '/');
        if (!number || *number >= next_id_ || response_id(*number) != id) return std::nullopt;
        return number;
    }

    void emit(const json& line) {
        LogSink sink;
        {
            std::lock_guard lock(mutex_);
            sink = sink_;
        }
        if (sink) sink(line);
    }

    bool has_sink() const {
        std::lock_guard lock(mutex_);
        return static_cast<bool>(sink_);
    }

    /// Newest live connection, or the given one if live. Needs mutex_.
    std::optional<std::size_t> pick_connection_locked(ConnectionIndex requested) const {
        if (requested) {
            if (*requested < conn_info_.size() && conn_info_[*requested].live) return requested;
            return std::nullopt;
        }
        for (auto it = conn_info_.rbegin(); it != conn_info_.rend(); ++it) {
            if (it->live) return it->index;
        }
        return std::nullopt;
    }

    // Declared here, defined after the session classes.
    void accept_next();
    void deliver(std::vector<Outgoing> outs, ConnectionIndex target);
    void on_ws_open(const std::shared_ptr<WsSession>& session);
    void on_ws_closed(WsSession& session, error_code ec);
    void on_client_message(std::size_t index, std::string_view text);
    void on_write_started(std::size_t index, const Outgoing& out);
    void on_pong();
    void close_everything();
    Reply handle_http(const http::request<http::string_body>& req);
    Reply dispatch_api(const std::string& method, const ApiCall& call);
    std::string store_message_locked(const std::string& channel, json message);
    Reply conversations_history_locked(const json& args);
    Reply conversations_replies_locked(const json& args);
    Reply handle_response_url(const ApiCall& call);
    Reply handle_upload(const ApiCall& call, const std::string& body);
    std::optional<std::string> consume_ticket(const std::string& target);
    std::string slash_envelope(const SlashCommand& command, const SentEnvelope& sent) const;
    void post_envelopes(std::vector<Envelope> envelopes, const char* type,
                        ConnectionIndex connection);
    void post_envelope(Envelope envelope, const char* type, ConnectionIndex connection);
    bool post_control(Outgoing::Kind kind, const std::string& text, ConnectionIndex connection);
};

// ---- websocket session ----------------------------------------------------------------------

class WsSession : public std::enable_shared_from_this<WsSession> {
  public:
    WsSession(ServerCore& server, beast::tcp_stream&& stream)
        : server_(server), ws_(std::move(stream)), ping_timer_(ws_.get_executor()) {}

    void run(http::request<http::string_body> req) {
        req_ = std::move(req);
        beast::get_lowest_layer(ws_).expires_never();
        // Pings are ours to control (Options::ping_interval), so Beast's keep-alive stays off.
        websocket::stream_base::timeout timeouts{std::chrono::seconds(30),
                                                 websocket::stream_base::none(), false};
        ws_.set_option(timeouts);
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
            res.set(http::field::server, "slack-test-server");
        }));
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind == websocket::frame_type::pong) server_.on_pong();
        });
        ws_.async_accept(req_, [self = shared_from_this()](error_code ec) {
            if (ec) return;
            self->server_.on_ws_open(self);
            self->do_read();
            self->schedule_ping();
        });
    }

    void enqueue(Outgoing out) {
        if (dead_ || closing_) return;
        queue_.push_back(std::move(out));
        if (!writing_) write_next();
    }

    void drop() {
        dead_ = true;
        ping_timer_.cancel();
        error_code ec;
        auto& socket = beast::get_lowest_layer(ws_).socket();
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
    }

    std::size_t index = 0;
    bool server_closed = false;
    bool server_dropped = false;
    bool finished = false;

    websocket::close_reason reason() const { return ws_.reason(); }

    /// Envelopes queued but not yet on the wire; the one being written stays.
    std::vector<Outgoing> take_unsent() {
        std::vector<Outgoing> unsent;
        auto first = queue_.begin() + (writing_ && !queue_.empty() ? 1 : 0);
        for (auto it = first; it != queue_.end(); ++it) {
            if (it->kind == Outgoing::Kind::text && it->envelope) {
                unsent.push_back(std::move(*it));
            }
        }
        queue_.erase(first, queue_.end());
        return unsent;
    }

  private:
    void do_read() {
        ws_.async_read(buffer_, [self = shared_from_this()](error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(error_code ec) {
        if (ec) {
            dead_ = true;
            ping_timer_.cancel();
            server_.on_ws_closed(*this, ec);
            return;
        }
        auto data = buffer_.cdata();
        server_.on_client_message(index, {static_cast<const char*>(data.data()), data.size()});
        buffer_.consume(buffer_.size());
        do_read();
    }

    void write_next() {
        if (queue_.empty() || dead_) {
            writing_ = false;
            return;
        }
        writing_ = true;
        const Outgoing& out = queue_.front();
        server_.on_write_started(index, out);
        auto done = [self = shared_from_this()](error_code ec, std::size_t = 0) {
            if (!self->queue_.empty()) self->queue_.pop_front();
            if (ec) {
                // Unwritten envelopes stay queued for take_unsent() to hand elsewhere.
                self->writing_ = false;
                return;
            }
            self->write_next();
        };
        switch (out.kind) {
            case Outgoing::Kind::text:
                ws_.text(true);
                ws_.async_write(net::buffer(*out.text), done);
                break;
            case Outgoing::Kind::ping:
                ws_.async_ping({}, [done](error_code ec) { done(ec); });
                break;
            case Outgoing::Kind::close:
                closing_ = true;
                ws_.async_close(websocket::close_code::normal, [done](error_code ec) { done(ec); });
                break;
        }
    }

    void schedule_ping() {
        auto interval = server_.options_.ping_interval;
        if (interval.count() <= 0 || dead_) return;
        ping_timer_.expires_after(interval);
        ping_timer_.async_wait([self = shared_from_this()](error_code ec) {
            if (ec || self->dead_) return;
            self->enqueue(make_outgoing(Outgoing::Kind::ping));
            self->schedule_ping();
        });
    }

    ServerCore& server_;
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> req_;
    net::steady_timer ping_timer_;
    std::deque<Outgoing> queue_;
    bool writing_ = false;
    bool closing_ = false;
    bool dead_ = false;
};

// ---- HTTP session -------------------------------------------------------------------------

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(ServerCore& server, tcp::socket&& socket)
        : server_(server), stream_(std::move(socket)), timer_(stream_.get_executor()) {}

    void run() { do_read(); }

    void close() {
        timer_.cancel();
        error_code ec;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        stream_.socket().close(ec);
    }

  private:
    void do_read() {
        parser_.emplace();
        parser_->body_limit(max_request_body);
        http::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(error_code ec) {
        if (ec) {
            close();
            return;
        }
        auto req = parser_->release();
        if (websocket::is_upgrade(req)) {
            std::string target(req.target());
            if (auto refusal = server_.consume_ticket(target)) {
                Reply reply;
                reply.status = starts_with(target, "/link") ? http::status::unauthorized
                                                            : http::status::not_found;
                reply.body = error_body(*refusal);
                reply.close = true;
                send(req, std::move(reply));
                return;
            }
            auto ws = std::make_shared<WsSession>(server_, std::move(stream_));
            ws->run(std::move(req));
            return;
        }
        Reply reply = server_.handle_http(req);
        send(req, std::move(reply));
    }

    void send(const http::request<http::string_body>& req, Reply reply) {
        if (reply.drop) {
            // No response at all: the client sees the connection closed mid-request.
            if (reply.delay.count() > 0) {
                timer_.expires_after(reply.delay);
                timer_.async_wait([self = shared_from_this()](error_code ec) {
                    if (!ec) self->close();
                });
            } else {
                close();
            }
            return;
        }
        auto res = std::make_shared<http::response<http::string_body>>(reply.status, req.version());
        res->set(http::field::server, "slack-test-server");
        res->set(http::field::content_type, reply.content_type);
        if (reply.retry_after >= 0)
            res->set(http::field::retry_after, std::to_string(reply.retry_after));
        res->body() = reply.raw_body.empty() ? dump(reply.body) : reply.raw_body;
        res->keep_alive(req.keep_alive() && !reply.close);
        res->prepare_payload();
        if (reply.delay.count() > 0) {
            timer_.expires_after(reply.delay);
            timer_.async_wait([self = shared_from_this(), res](error_code ec) {
                if (!ec) self->write(res);
            });
        } else {
            write(res);
        }
    }

    void write(const std::shared_ptr<http::response<http::string_body>>& res) {
        http::async_write(stream_, *res,
                          [self = shared_from_this(), res](error_code ec, std::size_t) {
                              if (ec || res->need_eof()) {
                                  self->close();
                                  return;
                              }
                              self->do_read();
                          });
    }

    ServerCore& server_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    net::steady_timer timer_;
};

// ---- Impl: server thread side ---------------------------------------------------------------

void ServerCore::accept_next() {
    acceptor_->async_accept([this](error_code ec, tcp::socket socket) {
        if (ec) return;  // acceptor closed by stop()
        error_code ignored;
        // Nagle plus delayed ACKs would add ~40 ms to every ack latency measurement.
        socket.set_option(tcp::no_delay(true), ignored);
        auto session = std::make_shared<HttpSession>(*this, std::move(socket));
        http_sessions_.remove_if([](const auto& weak) { return weak.expired(); });
        http_sessions_.push_back(session);
        session->run();
        accept_next();
    });
}

void ServerCore::close_everything() {
    error_code ec;
    if (acceptor_) acceptor_->close(ec);
    for (auto& [index, session] : ws_sessions_) session->drop();
    ws_sessions_.clear();
    for (auto& weak : http_sessions_) {
        if (auto session = weak.lock()) session->close();
    }
    http_sessions_.clear();
    std::lock_guard lock(mutex_);
    for (auto& info : conn_info_) info.live = false;
    stats_.live_connections = 0;
    cv_.notify_all();
}

std::optional<std::string> ServerCore::consume_ticket(const std::string& target) {
    auto q = target.find('?');
    std::string path = target.substr(0, q);
    if (path != "/link/" && path != "/link") return std::string("not_found");
    json query = q == std::string::npos ? json::object() : decode_form(target.substr(q + 1));
    std::string ticket = arg_str(query, "ticket");
    std::lock_guard lock(mutex_);
    // Slack's socket URLs are single use: reconnecting must ask apps.connections.open again.
    if (!ticket.empty() && tickets_.erase(ticket) == 1) return std::nullopt;
    ++stats_.refused_upgrades;
    cv_.notify_all();
    return std::string("invalid_ticket");
}

void ServerCore::on_ws_open(const std::shared_ptr<WsSession>& session) {
    // Key order as Slack sends it, for developers reading the wire.
    nlohmann::ordered_json hello;
    {
        std::lock_guard lock(mutex_);
        session->index = conn_info_.size();
        ConnectionInfo info;
        info.index = session->index;
        info.live = true;
        info.opened = Clock::now();
        conn_info_.push_back(info);
        ++stats_.connections_opened;
        ++stats_.live_connections;
        hello = nlohmann::ordered_json{{"type", "hello"},
                                       {"num_connections", stats_.live_connections},
                                       {"debug_info",
                                        {{"host", "applink-test"},
                                         {"build_number", 1},
                                         {"approximate_connection_time", 18060}}},
                                       {"connection_info", {{"app_id", options_.app_id}}}};
        cv_.notify_all();
    }
    ws_sessions_[session->index] = session;
    session->enqueue(make_outgoing(Outgoing::Kind::text,
                                   std::make_shared<const std::string>(hello.dump()), {}, true));
    while (!backlog_.empty()) {
        session->enqueue(std::move(backlog_.front()));
        backlog_.pop_front();
    }
    {
        std::lock_guard lock(mutex_);
        stats_.envelopes_queued = 0;
    }
    if (has_sink()) emit(json{{"event", "connection_opened"}, {"index", session->index}});
}

void ServerCore::on_ws_closed(WsSession& session, error_code ec) {
    if (session.finished) return;
    session.finished = true;
    json line;
    {
        std::lock_guard lock(mutex_);
        if (session.index < conn_info_.size()) {
            auto& info = conn_info_[session.index];
            if (info.live) --stats_.live_connections;
            info.live = false;
            info.server_closed = info.server_closed || session.server_closed;
            info.server_dropped = info.server_dropped || session.server_dropped;
            closed_indices_.insert(session.index);
            if (ec == websocket::error::closed) {
                info.client_sent_close = true;
                info.close_code = static_cast<int>(session.reason().code);
                info.close_reason = std::string(session.reason().reason.c_str());
            }
            line = json{{"event", "connection_closed"},
                        {"index", info.index},
                        {"client_sent_close", info.client_sent_close},
                        {"close_code", info.close_code},
                        {"server_dropped", info.server_dropped},
                        {"error", ec.message()}};
        }
        cv_.notify_all();
    }
    auto it = ws_sessions_.find(session.index);
    if (it != ws_sessions_.end() && it->second.get() == &session) ws_sessions_.erase(it);
    // Envelopes that never reached this socket go to the next one, as Slack would redeliver.
    deliver(session.take_unsent(), std::nullopt);
    if (!line.is_null() && has_sink()) emit(line);
}

void ServerCore::on_write_started(std::size_t index, const Outgoing& out) {
    std::lock_guard lock(mutex_);
    if (out.kind == Outgoing::Kind::ping) {
        ++stats_.pings_sent;
        cv_.notify_all();
        return;
    }
    if (out.kind != Outgoing::Kind::text) return;
    if (out.hello) {
        ++stats_.hellos_sent;
        cv_.notify_all();
        return;
    }
    if (!out.envelope) return;
    // Latency is measured from the moment the envelope goes on the wire, not from when a test
    // queued it, so a burst of sends does not inflate the bot's numbers.
    auto it = pending_.find(*out.envelope);
    if (it != pending_.end()) it->second.written = Clock::now();
    ++stats_.envelopes_sent;
    if (index < conn_info_.size()) ++conn_info_[index].envelopes_sent;
    cv_.notify_all();
}

void ServerCore::on_pong() {
    std::lock_guard lock(mutex_);
    ++stats_.pongs_received;
    cv_.notify_all();
}

void ServerCore::on_client_message(std::size_t index, std::string_view text) {
    const bool want_line = has_sink();
    // Acks carry the bot's whole reply: build it only when it is kept or logged.
    ClientMessage message =
        options_.record_acks || want_line ? read_whole(text) : AckSkimmer::skim(text);
    json line;
    bool reached_ack_count = false;
    std::shared_ptr<const AckListener> listener;
    std::uint64_t acks = 0;
    {
        std::lock_guard lock(mutex_);
        if (!message.is_ack) {
            ++stats_.other_client_messages;
            if (other_messages_.size() < max_other_messages) other_messages_.emplace_back(text);
            if (want_line) line = json{{"event", "client_message"}, {"text", text}};
        } else {
            Ack ack;
            ack.envelope_id = std::move(message.envelope_id);
            ack.received = Clock::now();
            ack.connection = index;
            ack.has_payload = message.has_payload;
            auto seq = issued_seq(ack.envelope_id);
            auto it = seq ? pending_.find(*seq) : pending_.end();
            if (it != pending_.end()) {
                ack.latency = ack.received - it->second.written;
                pending_.erase(it);
                ++stats_.acks;
                --stats_.outstanding;
                if (options_.record_latencies) latencies_.push_back(ack.latency);
                if (stats_.acks >= ack_count_target_) {
                    ack_count_target_ = UINT64_MAX;
                    reached_ack_count = true;
                }
                listener = ack_listener_;
                acks = stats_.acks;
            } else if (seq) {
                ack.duplicate = true;
                ++stats_.duplicate_acks;
            } else {
                ack.unknown = true;
                ++stats_.unknown_acks;
            }
            if (want_line) {
                line = json{
                    {"event", "ack"},
                    {"envelope_id", ack.envelope_id},
                    {"connection", index},
                    {"latency_ms", std::chrono::duration<double, std::milli>(ack.latency).count()},
                    {"duplicate", ack.duplicate},
                    {"unknown", ack.unknown}};
                if (ack.has_payload) line["payload"] = message.payload;
            }
            if (options_.record_acks) {
                ack.payload = std::move(message.payload);
                if (!ack.duplicate && !ack.unknown) ack_index_[ack.envelope_id] = acks_.size();
                acks_.push_back(std::move(ack));
            }
        }
    }
    // Notified after unlocking, so woken waiters do not block on the lock straight away.
    cv_.notify_all();
    if (reached_ack_count) ack_count_cv_.notify_all();
    if (want_line) emit(line);
    if (listener) (*listener)(acks);
}

void ServerCore::deliver(std::vector<Outgoing> outs, ConnectionIndex target) {
    std::shared_ptr<WsSession> session;
    if (target) {
        auto it = ws_sessions_.find(*target);
        if (it != ws_sessions_.end()) session = it->second;
    } else {
        for (auto it = ws_sessions_.rbegin(); it != ws_sessions_.rend(); ++it) {
            std::lock_guard lock(mutex_);
            if (it->first < conn_info_.size() && conn_info_[it->first].live) {
                session = it->second;
                break;
            }
        }
    }
    if (session) {
        for (auto& out : outs) session->enqueue(std::move(out));
        return;
    }
    std::lock_guard lock(mutex_);
    for (auto& out : outs) {
        if (!target && options_.queue_when_disconnected && out.kind == Outgoing::Kind::text &&
            out.envelope) {
            ++stats_.envelopes_queued;
            backlog_.push_back(std::move(out));
        } else if (out.envelope && pending_.erase(*out.envelope) == 1) {
            --stats_.outstanding;
            ++stats_.envelopes_undelivered;
            cv_.notify_all();
        }
    }
}

// ---- Impl: HTTP handling ----------------------------------------------------------------------

Reply ServerCore::handle_http(const http::request<http::string_body>& req) {
    ApiCall call;
    call.received = Clock::now();
    call.content_type = std::string(req[http::field::content_type]);
    std::string target(req.target());
    auto q = target.find('?');
    std::string path = target.substr(0, q);
    json args = q == std::string::npos ? json::object() : decode_form(target.substr(q + 1));

    std::string auth(req[http::field::authorization]);
    if (starts_with(lower(auth), "bearer ")) call.token = auth.substr(7);

    std::string ctype = lower(call.content_type);
    bool bad_json = false;
    const std::string& body = req.body();
    bool is_upload = starts_with(path, "/upload/");
    if (!is_upload && !body.empty()) {
        if (starts_with(ctype, "application/json")) {
            json parsed = json::parse(body, nullptr, false);
            if (parsed.is_discarded() || !parsed.is_object()) {
                bad_json = true;
            } else {
                for (auto& [key, value] : parsed.items()) args[key] = value;
            }
        } else if (starts_with(ctype, "application/x-www-form-urlencoded")) {
            json form = decode_form(body);
            for (auto& [key, value] : form.items()) args[key] = value;
        }
    }
    if (call.token.empty()) call.token = arg_str(args, "token");
    call.args = std::move(args);

    if (starts_with(path, "/api/")) {
        call.method = path.substr(5);
    } else if (starts_with(path, "/response/")) {
        call.method = "response_url";
        call.response_id = path.substr(10);
    } else if (is_upload) {
        call.method = "file_upload";
        call.response_id = path.substr(path.rfind('/') + 1);
        call.args = json{{"file_id", call.response_id}, {"bytes", body.size()}};
        if (body.size() <= max_recorded_upload) call.args["content"] = body;
    } else {
        call.method = "not_found";
        call.args = json{{"path", path}};
    }
    std::optional<FaultInjection> fault;
    {
        std::lock_guard lock(mutex_);
        auto it = faults_.find(call.method);
        if (it != faults_.end() && !it->second.empty()) {
            fault = it->second.front();
            if (--it->second.front().remaining <= 0) it->second.pop_front();
        }
    }

    Reply reply;
    if (fault && fault->when == When::before_effect) {
        call.took_effect = false;
    } else if (call.method == "response_url") {
        reply = bad_json ? Reply{http::status::ok, error_body("invalid_json")}
                         : handle_response_url(call);
    } else if (call.method == "file_upload") {
        reply = handle_upload(call, body);
    } else if (call.method == "not_found") {
        reply.status = http::status::not_found;
        reply.body = error_body("not_found");
    } else {
        reply = bad_json ? Reply{http::status::ok, error_body("invalid_json")}
                         : dispatch_api(call.method, call);
    }
    if (fault) {
        call.fault = fault->fault;
        reply = fault_reply(fault->fault);
    }

    call.http_status = reply.drop ? 0 : static_cast<int>(reply.status);
    call.response = reply.raw_body.empty() ? reply.body : json();
    json line;
    {
        std::lock_guard lock(mutex_);
        call.sequence = call_seq_++;
        ++call_counts_[call.method];
        ++stats_.api_calls;
        auto delay = delays_.find(call.method);
        if (delay != delays_.end()) reply.delay = delay->second;
        if (sink_) {
            line = json{{"event", "api_call"},         {"method", call.method},
                        {"token", redact(call.token)}, {"args", call.args},
                        {"status", call.http_status},  {"response", call.response}};
            if (call.fault) line["took_effect"] = call.took_effect;
            if (!call.response_id.empty()) line["id"] = call.response_id;
            if (line["args"].contains("content")) line["args"].erase("content");
            if (line["args"].contains("token")) line["args"]["token"] = redact(call.token);
        }
        if (options_.record_calls) calls_.push_back(std::move(call));
        cv_.notify_all();
    }
    if (!line.is_null()) emit(line);
    return reply;
}

Reply ServerCore::handle_response_url(const ApiCall& call) {
    const json& args = call.args;
    bool deletes = arg_str(args, "delete_original") == "true";
    std::lock_guard lock(mutex_);
    auto number = response_number(call.response_id);
    if (!number) return Reply{http::status::not_found, error_body("expired_url")};
    // https://docs.slack.dev/interactivity/handling-user-interaction#message_responses: a
    // response_url "can be used up to 5 times within 30 minutes". Past that Slack answers
    // used_url (a sixth use) or expired_url (after 30 minutes).
    auto& state = response_urls_[*number];
    if (options_.response_url_ttl.count() > 0 &&
        Clock::now() - state.issued > options_.response_url_ttl) {
        return Reply{http::status::not_found, error_body("expired_url")};
    }
    if (options_.response_url_max_uses > 0 && state.uses >= options_.response_url_max_uses) {
        return Reply{http::status::not_found, error_body("used_url")};
    }
    if (!deletes && !args.contains("text") && !args.contains("blocks")) {
        return Reply{http::status::ok, error_body("no_text")};
    }
    if (auto refusal = check_message(args)) return Reply{http::status::ok, *refusal};
    ++state.uses;
    return Reply{http::status::ok, json{{"ok", true}}};
}

Reply ServerCore::handle_upload(const ApiCall& call, const std::string& body) {
    std::lock_guard lock(mutex_);
    if (file_ids_.count(call.response_id) == 0) {
        Reply reply{http::status::not_found, {}};
        reply.raw_body = "file_not_found";
        reply.content_type = "text/plain";
        return reply;
    }
    Reply reply;
    reply.raw_body = "OK - " + std::to_string(body.size());
    reply.content_type = "text/plain; charset=utf-8";
    return reply;
}

Reply ServerCore::dispatch_api(const std::string& method, const ApiCall& call) {
    static const std::set<std::string> known = {"apps.connections.open",
                                                "auth.test",
                                                "chat.postMessage",
                                                "chat.postEphemeral",
                                                "chat.update",
                                                "chat.getPermalink",
                                                "conversations.open",
                                                "conversations.history",
                                                "conversations.replies",
                                                "users.info",
                                                "views.open",
                                                "views.publish",
                                                "views.update",
                                                "files.getUploadURLExternal",
                                                "files.completeUploadExternal"};
    const json& args = call.args;
    Handler handler;
    {
        std::lock_guard lock(mutex_);
        auto inj = injections_.find(method);
        if (inj != injections_.end() && !inj->second.empty()) {
            Injection injection = inj->second.front();
            if (--inj->second.front().remaining <= 0) inj->second.pop_front();
            if (injection.rate_limit) {
                Reply reply{http::status::too_many_requests, error_body("ratelimited")};
                reply.retry_after = injection.retry_after;
                return reply;
            }
            return Reply{http::status::ok, error_body(injection.error)};
        }
        auto h = handlers_.find(method);
        if (h != handlers_.end()) handler = h->second;
    }
    if (known.count(method) == 0 && !handler) {
        return Reply{http::status::ok, error_body("unknown_method")};
    }

    if (method == "apps.connections.open") {
        if (call.token.empty()) return Reply{http::status::ok, error_body("not_authed")};
        if (!starts_with(call.token, "xapp-")) {
            return Reply{http::status::ok,
                         error_body(starts_with(call.token, "xox") ? "not_allowed_token_type"
                                                                   : "invalid_auth")};
        }
        if (!options_.app_token.empty() && call.token != options_.app_token) {
            return Reply{http::status::ok, error_body("invalid_auth")};
        }
        if (handler) return Reply{http::status::ok, handler(call)};
        std::lock_guard lock(mutex_);
        if (!connections_open_error_.empty()) {
            return Reply{http::status::ok, error_body(connections_open_error_)};
        }
        std::string ticket = random_hex(8) + "-" + random_hex(4) + "-" + random_hex(4) + "-" +
                             random_hex(4) + "-" + random_hex(12);
        tickets_.insert(ticket);
        return Reply{http::status::ok,
                     json{{"ok", true},
                          {"url", "ws://127.0.0.1:" + std::to_string(port_.load()) +
                                      "/link/?ticket=" + ticket + "&app_id=" + options_.app_id}}};
    }

    if (call.token.empty()) return Reply{http::status::ok, error_body("not_authed")};
    if (starts_with(call.token, "xapp-")) {
        return Reply{http::status::ok, error_body("not_allowed_token_type")};
    }
    bool token_ok = options_.bot_token.empty() ? starts_with(call.token, "xoxb-")
                                               : call.token == options_.bot_token;
    if (!token_ok) return Reply{http::status::ok, error_body("invalid_auth")};
    if (handler) return Reply{http::status::ok, handler(call)};

    auto ok = [](json body) {
        body["ok"] = true;
        return Reply{http::status::ok, std::move(body)};
    };
    auto fail = [](const std::string& error) { return Reply{http::status::ok, error_body(error)}; };
    std::lock_guard lock(mutex_);

    if (method == "auth.test") {
        return ok(json{{"url", "https://" + options_.team_domain + ".slack.com/"},
                       {"team", options_.team_domain},
                       {"user", "careerbot"},
                       {"team_id", options_.team_id},
                       {"user_id", options_.bot_user_id},
                       {"bot_id", options_.bot_id},
                       {"is_enterprise_install", false}});
    }
    auto dm_for = [](const std::string& user) { return "D" + user.substr(1); };
    auto resolve_channel = [&](std::string channel) {
        // Posting to a user id posts in the app's DM with them.
        if (starts_with(channel, "U") || starts_with(channel, "W")) return dm_for(channel);
        return channel;
    };
    if (method == "chat.postMessage" || method == "chat.postEphemeral" || method == "chat.update") {
        std::string channel = arg_str(args, "channel");
        if (channel.empty()) return fail("channel_not_found");
        if (method == "chat.update" && arg_str(args, "ts").empty()) {
            return fail("message_not_found");
        }
        if (method == "chat.postEphemeral" && arg_str(args, "user").empty()) {
            return fail("user_not_in_channel");
        }
        bool has_content =
            args.contains("text") || args.contains("blocks") || args.contains("attachments");
        if (!has_content) return fail("no_text");
        if (auto refusal = check_message(args)) return Reply{http::status::ok, *refusal};
        channel = resolve_channel(channel);
        if (method == "chat.postEphemeral") return ok(json{{"message_ts", new_ts()}});
        auto metadata = arg_json(args, "metadata");
        if (metadata &&
            (metadata->is_discarded() || !metadata->is_object() ||
             !metadata->contains("event_type") || !metadata->contains("event_payload"))) {
            // https://docs.slack.dev/messaging/message-metadata: both fields are required.
            return fail("invalid_metadata_format");
        }
        if (method == "chat.update") {
            // https://docs.slack.dev/reference/methods/chat.update: message_not_found when
            // there is no message at `ts` in `channel`.
            auto key = ts_key(arg_str(args, "ts"));
            auto chan = channels_.find(channel);
            if (!key || chan == channels_.end() || chan->second.count(*key) == 0) {
                return fail("message_not_found");
            }
            json& stored = chan->second[*key];
            if (args.contains("text")) stored["text"] = arg_str(args, "text");
            if (auto blocks = arg_json(args, "blocks")) stored["blocks"] = *blocks;
            if (metadata) stored["metadata"] = *metadata;
            stored["edited"] = json{{"user", options_.bot_user_id}, {"ts", new_ts()}};
            return ok(json{{"channel", channel},
                           {"ts", stored["ts"]},
                           {"text", arg_str(args, "text")},
                           {"message", stored}});
        }
        json message{{"type", "message"},
                     {"text", arg_str(args, "text")},
                     {"user", options_.bot_user_id},
                     {"bot_id", options_.bot_id},
                     {"app_id", options_.app_id},
                     {"team", options_.team_id}};
        if (auto blocks = arg_json(args, "blocks")) message["blocks"] = *blocks;
        if (metadata) message["metadata"] = *metadata;
        std::string thread_ts = arg_str(args, "thread_ts");
        if (!thread_ts.empty()) {
            message["thread_ts"] = thread_ts;
            if (truthy(arg_str(args, "reply_broadcast"))) message["subtype"] = "thread_broadcast";
        }
        std::string ts = store_message_locked(channel, message);
        message["ts"] = ts;
        return ok(json{{"channel", channel}, {"ts", ts}, {"message", message}});
    }
    if (method == "chat.getPermalink") {
        std::string channel = arg_str(args, "channel");
        std::string ts = arg_str(args, "message_ts");
        if (channel.empty()) return fail("channel_not_found");
        if (ts.empty()) return fail("message_not_found");
        ts.erase(std::remove(ts.begin(), ts.end(), '.'), ts.end());
        return ok(json{{"channel", channel},
                       {"permalink", "https://" + options_.team_domain + ".slack.com/archives/" +
                                         channel + "/p" + ts}});
    }
    if (method == "conversations.open") {
        std::string users = arg_str(args, "users");
        std::string channel = arg_str(args, "channel");
        if (users.empty() && channel.empty()) return fail("users_list_not_supplied");
        if (!channel.empty()) return ok(json{{"channel", {{"id", channel}}}});
        if (users.find(',') != std::string::npos) {
            return ok(json{
                {"channel",
                 {{"id", "G" + std::to_string(std::hash<std::string>{}(users) % 100000000U)}}}});
        }
        if (!users_.empty() && users_.count(users) == 0) return fail("user_not_found");
        bool already = !opened_dms_.insert(users).second;
        json body{{"channel", {{"id", dm_for(users)}}}};
        if (already) {
            body["no_op"] = true;
            body["already_open"] = true;
        }
        return ok(std::move(body));
    }
    if (method == "conversations.history") return conversations_history_locked(args);
    if (method == "conversations.replies") return conversations_replies_locked(args);
    if (method == "users.info") {
        std::string id = arg_str(args, "user");
        auto it = users_.find(id);
        if (it == users_.end()) return fail("user_not_found");
        auto status = statuses_.find(id);
        return ok(json{
            {"user",
             slack_user_json(it->second, status == statuses_.end() ? SlackStatus{} : status->second,
                             options_.team_id)}});
    }
    if (method == "views.open" || method == "views.publish" || method == "views.update") {
        auto view = arg_json(args, "view");
        if (!view || view->is_discarded() || !view->is_object()) return fail("invalid_arguments");
        if (method == "views.open") {
            std::string trigger = arg_str(args, "trigger_id");
            if (trigger.empty()) return fail("invalid_arguments");
            // https://docs.slack.dev/surfaces/modals: a trigger_id "expires in 3 seconds" and
            // opens one modal; views.open answers invalid_trigger_id, expired_trigger_id, or
            // exchanged_trigger_id ("already exchanged in a previous call",
            // https://docs.slack.dev/reference/methods/views.open).
            auto seq = trigger_seq(trigger);
            if (!seq) return fail("invalid_trigger_id");
            if (options_.trigger_ttl.count() > 0 &&
                Clock::now() - trigger_issued_[*seq] > options_.trigger_ttl) {
                return fail("expired_trigger_id");
            }
            if (triggers_exchanged_.count(*seq) != 0) return fail("exchanged_trigger_id");
        }
        if (method == "views.publish" && arg_str(args, "user_id").empty()) {
            return fail("invalid_arguments");
        }
        std::string view_id = arg_str(args, "view_id");
        if (method == "views.update") {
            if (view_id.empty() && arg_str(args, "external_id").empty()) {
                return fail("invalid_arguments");
            }
            if (!view_id.empty() && view_ids_.count(view_id) == 0) return fail("not_found");
        }
        if (auto refusal = check_view(*view)) return Reply{http::status::ok, *refusal};
        if (method == "views.open") {
            triggers_exchanged_.insert(*trigger_seq(arg_str(args, "trigger_id")));
        }
        if (view_id.empty()) {
            view_id = new_id('V');
            view_ids_.insert(view_id);
        }
        json out = *view;
        out["id"] = view_id;
        out["team_id"] = options_.team_id;
        out["app_id"] = options_.app_id;
        out["bot_id"] = options_.bot_id;
        out["hash"] = std::to_string(std::time(nullptr)) + "." + random_hex(8);
        out["state"] = json{{"values", json::object()}};
        if (!out.contains("blocks")) out["blocks"] = json::array();
        return ok(json{{"view", out}});
    }
    if (method == "files.getUploadURLExternal") {
        if (arg_str(args, "filename").empty() || arg_str(args, "length").empty()) {
            return fail("invalid_arguments");
        }
        std::string file_id = new_id('F');
        file_ids_.insert(file_id);
        return ok(json{{"upload_url", base_url() + "/upload/v1/" + file_id}, {"file_id", file_id}});
    }
    if (method == "files.completeUploadExternal") {
        auto files = arg_json(args, "files");
        if (!files || !files->is_array() || files->empty()) return fail("invalid_arguments");
        json out = json::array();
        for (const auto& file : *files) {
            std::string id = arg_str(file, "id");
            if (file_ids_.count(id) == 0) return fail("file_not_found");
            out.push_back(json{{"id", id}, {"title", arg_str(file, "title")}});
        }
        return ok(json{{"files", out}});
    }
    return fail("unknown_method");
}

// ---- Impl: messages --------------------------------------------------------------------------

std::string ServerCore::store_message_locked(const std::string& channel, json message) {
    std::string ts = message.contains("ts") ? message["ts"].get<std::string>() : new_ts();
    message["ts"] = ts;
    auto& stored = channels_[channel];
    std::string thread_ts = arg_str(message, "thread_ts");
    auto parent_key = ts_key(thread_ts);
    if (!thread_ts.empty() && thread_ts != ts && parent_key) {
        // The parent of a thread carries thread_ts (its own ts) and counts its replies.
        auto parent = stored.find(*parent_key);
        if (parent != stored.end()) {
            parent->second["thread_ts"] = thread_ts;
            parent->second["reply_count"] = parent->second.value("reply_count", 0) + 1;
        }
    }
    stored[*ts_key(ts)] = std::move(message);
    return ts;
}

// https://docs.slack.dev/reference/methods/conversations.history: newest first; `latest`
// (default now) and `oldest` (default 0) bound the range, each included only with
// `inclusive`; `limit` defaults to 100 (at most 999); a cursor pages on, with `has_more`.
// Thread replies are not part of the channel's history, except those also sent to the channel
// (subtype thread_broadcast). Metadata only with include_all_metadata.
Reply ServerCore::conversations_history_locked(const json& args) {
    std::string channel = arg_str(args, "channel");
    if (channel.empty()) return Reply{http::status::ok, error_body("channel_not_found")};
    bool inclusive = truthy(arg_str(args, "inclusive"));
    bool with_metadata = truthy(arg_str(args, "include_all_metadata"));
    std::string latest_arg = arg_str(args, "latest");
    std::string oldest_arg = arg_str(args, "oldest");
    auto latest =
        latest_arg.empty() ? std::optional<std::uint64_t>(UINT64_MAX) : ts_key(latest_arg);
    auto oldest = oldest_arg.empty() ? std::optional<std::uint64_t>(0) : ts_key(oldest_arg);
    if (!latest) return Reply{http::status::ok, error_body("invalid_ts_latest")};
    if (!oldest) return Reply{http::status::ok, error_body("invalid_ts_oldest")};
    std::size_t limit = read_limit(args, 100, 999);
    std::string cursor = arg_str(args, "cursor");
    std::optional<std::uint64_t> start;  // the cursor: the newest key still to return
    if (!cursor.empty()) {
        if (!starts_with(cursor, "next_ts:") || !(start = ts_key(cursor.substr(8)))) {
            return Reply{http::status::ok, error_body("invalid_cursor")};
        }
    }
    json messages = json::array();
    bool has_more = false;
    std::string next;
    auto chan = channels_.find(channel);
    if (chan != channels_.end()) {
        for (auto it = chan->second.rbegin(); it != chan->second.rend(); ++it) {
            std::uint64_t key = it->first;
            const json& m = it->second;
            if (start && key > *start) continue;
            if (key > *latest || (key == *latest && !inclusive && !latest_arg.empty())) continue;
            if (key < *oldest || (key == *oldest && !inclusive && !oldest_arg.empty())) break;
            std::string thread_ts = arg_str(m, "thread_ts");
            bool reply = !thread_ts.empty() && thread_ts != arg_str(m, "ts");
            if (reply && arg_str(m, "subtype") != "thread_broadcast") continue;
            if (messages.size() == limit) {
                has_more = true;
                next = "next_ts:" + arg_str(m, "ts");
                break;
            }
            messages.push_back(message_for_reader(m, with_metadata));
        }
    }
    json body{{"ok", true},
              {"messages", std::move(messages)},
              {"has_more", has_more},
              {"pin_count", 0},
              {"response_metadata", {{"next_cursor", next}}}};
    return Reply{http::status::ok, std::move(body)};
}

// https://docs.slack.dev/reference/methods/conversations.replies: `ts` must be an existing
// message; the answer is the thread's parent followed by its replies, oldest first, when `ts`
// is the parent or any reply ("If no replies, just the single message referenced by ts will
// return"). The parent comes first on every page and counts in `limit` (default and max 1000),
// as Slack answers; `oldest`/`latest`/`inclusive` narrow the replies.
Reply ServerCore::conversations_replies_locked(const json& args) {
    std::string channel = arg_str(args, "channel");
    if (channel.empty()) return Reply{http::status::ok, error_body("channel_not_found")};
    auto key = ts_key(arg_str(args, "ts"));
    auto chan = channels_.find(channel);
    if (!key || chan == channels_.end() || chan->second.count(*key) == 0) {
        return Reply{http::status::ok, error_body("thread_not_found")};
    }
    const auto& stored = chan->second;
    const json& target = stored.at(*key);
    std::string parent_ts = arg_str(target, "thread_ts");
    if (parent_ts.empty()) parent_ts = arg_str(target, "ts");
    auto parent_key = ts_key(parent_ts);
    auto parent = parent_key ? stored.find(*parent_key) : stored.end();
    if (parent == stored.end()) return Reply{http::status::ok, error_body("thread_not_found")};

    bool inclusive = truthy(arg_str(args, "inclusive"));
    bool with_metadata = truthy(arg_str(args, "include_all_metadata"));
    std::string latest_arg = arg_str(args, "latest");
    std::string oldest_arg = arg_str(args, "oldest");
    auto latest =
        latest_arg.empty() ? std::optional<std::uint64_t>(UINT64_MAX) : ts_key(latest_arg);
    auto oldest = oldest_arg.empty() ? std::optional<std::uint64_t>(0) : ts_key(oldest_arg);
    if (!latest) return Reply{http::status::ok, error_body("invalid_ts_latest")};
    if (!oldest) return Reply{http::status::ok, error_body("invalid_ts_oldest")};
    std::size_t limit = read_limit(args, 1000, 1000);
    std::string cursor = arg_str(args, "cursor");
    std::optional<std::uint64_t> start;  // the cursor: the oldest reply key still to return
    if (!cursor.empty()) {
        if (!starts_with(cursor, "next_ts:") || !(start = ts_key(cursor.substr(8)))) {
            return Reply{http::status::ok, error_body("invalid_cursor")};
        }
    }
    json messages = json::array({message_for_reader(parent->second, with_metadata)});
    bool has_more = false;
    std::string next;
    for (auto it = std::next(parent); it != stored.end(); ++it) {
        const json& m = it->second;
        if (arg_str(m, "thread_ts") != parent_ts) continue;
        std::uint64_t k = it->first;
        if (start && k < *start) continue;
        if (k < *oldest || (k == *oldest && !inclusive && !oldest_arg.empty())) continue;
        if (k > *latest || (k == *latest && !inclusive && !latest_arg.empty())) break;
        if (messages.size() >= limit) {
            has_more = true;
            next = "next_ts:" + arg_str(m, "ts");
            break;
        }
        messages.push_back(message_for_reader(m, with_metadata));
    }
    json body{{"ok", true},
              {"messages", std::move(messages)},
              {"has_more", has_more},
              {"response_metadata", {{"next_cursor", next}}}};
    return Reply{http::status::ok, std::move(body)};
}

// ---- Impl: sending ------------------------------------------------------------------------

std::string ServerCore::slash_envelope(const SlashCommand& command,
                                       const SentEnvelope& sent) const {
    const Options& o = options_;
    // Field for field what Slack sends; is_enterprise_install is a string in slash payloads.
    // Written directly rather than through a DOM (this is the benchmarks' hot path), keys in
    // the order json::dump() sorts them, so the bytes are the same.
    std::string out = R"({"accepts_response_payload":true)";
    out.reserve(512 + command.text.size());
    append_field(out, "envelope_id", sent.envelope_id);
    out += R"(,"payload":{)";
    append_field(out, "api_app_id", o.app_id);
    append_field(out, "channel_id", command.channel_id);
    append_field(out, "channel_name", command.channel_name);
    append_field(out, "command", command.command);
    append_field(out, "is_enterprise_install", "false");
    append_field(out, "response_url", sent.response_url);
    append_field(out, "team_domain", o.team_domain);
    append_field(out, "team_id", command.team_id.empty() ? o.team_id : command.team_id);
    append_field(out, "text", command.text);
    append_field(out, "token", o.verification_token);
    append_field(out, "trigger_id", sent.trigger_id);
    append_field(out, "user_id", command.user_id);
    append_field(out, "user_name", command.user_name);
    out += R"(},"type":"slash_commands"})";
    return out;
}

void ServerCore::post_envelopes(std::vector<Envelope> envelopes, const char* type,
                                ConnectionIndex connection) {
    std::vector<Outgoing> outs;
    outs.reserve(envelopes.size());
    for (auto& envelope : envelopes) {
        outs.push_back(make_outgoing(Outgoing::Kind::text,
                                     std::make_shared<const std::string>(std::move(envelope.text)),
                                     envelope.seq));
    }
    {
        std::lock_guard lock(mutex_);
        auto now = Clock::now();
        for (const auto& envelope : envelopes) pending_[envelope.seq] = Pending{now};
        stats_.outstanding += envelopes.size();
    }
    // With no explicit index the server thread picks the newest live connection at write time.
    net::post(ioc_, [this, outs = std::move(outs), connection]() mutable {
        deliver(std::move(outs), connection);
    });
    if (has_sink()) {
        for (const auto& envelope : envelopes) {
            emit(json{{"event", "envelope"}, {"envelope_id", envelope.id}, {"type", type}});
        }
    }
}

void ServerCore::post_envelope(Envelope envelope, const char* type, ConnectionIndex connection) {
    std::vector<Envelope> one;
    one.push_back(std::move(envelope));
    post_envelopes(std::move(one), type, connection);
}

bool ServerCore::post_control(Outgoing::Kind kind, const std::string& text,
                              ConnectionIndex connection) {
    ConnectionIndex target;
    {
        std::lock_guard lock(mutex_);
        target = pick_connection_locked(connection);
    }
    if (!target) return false;
    auto shared = std::make_shared<const std::string>(text);
    net::post(ioc_, [this, kind, shared, index = *target]() {
        auto it = ws_sessions_.find(index);
        if (it == ws_sessions_.end()) return;
        it->second->enqueue(make_outgoing(kind, shared));
    });
    return true;
}

// ---- public API ---------------------------------------------------------------------------

struct SlackTestServer::Impl : ServerCore {
    using ServerCore::ServerCore;
};

SlackTestServer::SlackTestServer(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

SlackTestServer::~SlackTestServer() { stop(); }

void SlackTestServer::start() {
    Impl& s = *impl_;
    {
        std::lock_guard lock(s.mutex_);
        if (s.started_) return;
        s.started_ = true;
    }
    tcp::endpoint endpoint(net::ip::make_address_v4("127.0.0.1"), s.options_.port);
    s.acceptor_.emplace(s.ioc_);
    error_code ec;
    s.acceptor_->open(endpoint.protocol(), ec);
    if (!ec) s.acceptor_->set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) s.acceptor_->bind(endpoint, ec);
    if (!ec) s.acceptor_->listen(net::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("slack test server: cannot listen on 127.0.0.1: " + ec.message());
    s.port_ = s.acceptor_->local_endpoint().port();
    s.accept_next();
    s.thread_ = std::thread([&s] { s.ioc_.run(); });
}

void SlackTestServer::stop() {
    Impl& s = *impl_;
    {
        std::lock_guard lock(s.mutex_);
        if (!s.started_ || s.stopped_) return;
        s.stopped_ = true;
    }
    net::post(s.ioc_, [&s] {
        s.close_everything();
        s.ioc_.stop();
    });
    if (s.thread_.joinable()) s.thread_.join();
}

std::uint16_t SlackTestServer::port() const { return impl_->port_.load(); }

std::string SlackTestServer::api_url() const { return impl_->base_url() + "/api/"; }

std::string SlackTestServer::base_url() const { return impl_->base_url(); }

void SlackTestServer::set_log_sink(LogSink sink) {
    std::lock_guard lock(impl_->mutex_);
    impl_->sink_ = std::move(sink);
}

std::vector<ApiCall> SlackTestServer::calls() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->calls_;
}

std::vector<ApiCall> SlackTestServer::calls(const std::string& method) const {
    std::lock_guard lock(impl_->mutex_);
    std::vector<ApiCall> out;
    for (const auto& call : impl_->calls_) {
        if (call.method == method) out.push_back(call);
    }
    return out;
}

std::size_t SlackTestServer::call_count(const std::string& method) const {
    std::lock_guard lock(impl_->mutex_);
    auto it = impl_->call_counts_.find(method);
    return it == impl_->call_counts_.end() ? 0 : it->second;
}

std::size_t SlackTestServer::call_count() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->call_seq_;
}

std::optional<ApiCall> SlackTestServer::wait_for_call(
    const std::string& method, std::chrono::milliseconds timeout,
    std::function<bool(const ApiCall&)> predicate) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    auto deadline = Clock::now() + timeout;
    std::size_t checked = 0;
    for (;;) {
        // clear_calls() may shrink the list while we wait: rescan from the start then.
        if (checked > s.calls_.size()) checked = 0;
        while (checked < s.calls_.size()) {
            const ApiCall& call = s.calls_[checked++];
            if (call.method != method) continue;
            ApiCall copy = call;
            if (!predicate) return copy;
            // The predicate is the caller's code: never run it under our lock.
            lock.unlock();
            bool match = predicate(copy);
            lock.lock();
            if (match) return copy;
        }
        if (Clock::now() >= deadline) return std::nullopt;
        s.cv_.wait_until(lock, deadline);
    }
}

void SlackTestServer::clear_calls() {
    std::lock_guard lock(impl_->mutex_);
    impl_->calls_.clear();
}

void SlackTestServer::fail_next(const std::string& method, const std::string& error, int count) {
    std::lock_guard lock(impl_->mutex_);
    impl_->injections_[method].push_back(Injection{false, error, 0, std::max(count, 1)});
}

void SlackTestServer::rate_limit_next(const std::string& method, int retry_after_seconds,
                                      int count) {
    std::lock_guard lock(impl_->mutex_);
    impl_->injections_[method].push_back(
        Injection{true, "ratelimited", retry_after_seconds, std::max(count, 1)});
}

void SlackTestServer::inject(const std::string& method, Fault fault, When when, int count) {
    std::lock_guard lock(impl_->mutex_);
    impl_->faults_[method].push_back(FaultInjection{fault, when, std::max(count, 1)});
}

void SlackTestServer::clear_injections(const std::string& method) {
    std::lock_guard lock(impl_->mutex_);
    impl_->faults_.erase(method);
    impl_->injections_.erase(method);
}

void SlackTestServer::set_connections_open_error(const std::string& error) {
    std::lock_guard lock(impl_->mutex_);
    impl_->connections_open_error_ = error;
}

void SlackTestServer::set_response_delay(const std::string& method,
                                         std::chrono::milliseconds delay) {
    std::lock_guard lock(impl_->mutex_);
    if (delay.count() <= 0) {
        impl_->delays_.erase(method);
    } else {
        impl_->delays_[method] = delay;
    }
}

void SlackTestServer::set_handler(const std::string& method, Handler handler) {
    std::lock_guard lock(impl_->mutex_);
    if (handler) {
        impl_->handlers_[method] = std::move(handler);
    } else {
        impl_->handlers_.erase(method);
    }
}

std::string SlackTestServer::add_message(const std::string& channel, const std::string& user,
                                         const std::string& text, const std::string& thread_ts) {
    std::lock_guard lock(impl_->mutex_);
    json message{
        {"type", "message"}, {"user", user}, {"text", text}, {"team", impl_->options_.team_id}};
    if (!thread_ts.empty()) message["thread_ts"] = thread_ts;
    return impl_->store_message_locked(channel, std::move(message));
}

std::vector<nlohmann::json> SlackTestServer::messages(const std::string& channel) const {
    std::lock_guard lock(impl_->mutex_);
    std::vector<nlohmann::json> out;
    auto chan = impl_->channels_.find(channel);
    if (chan == impl_->channels_.end()) return out;
    for (const auto& [key, message] : chan->second) out.push_back(message);
    return out;
}

void SlackTestServer::add_user(const SlackUser& user) {
    std::lock_guard lock(impl_->mutex_);
    impl_->users_[user.id] = user;
}

std::string SlackTestServer::issue_trigger_id() {
    std::lock_guard lock(impl_->mutex_);
    return impl_->issue_trigger_locked();
}

std::string SlackTestServer::issue_response_url() {
    std::lock_guard lock(impl_->mutex_);
    return impl_->issue_response_url_locked();
}

SentEnvelope SlackTestServer::send_slash_command(const SlashCommand& command,
                                                 ConnectionIndex connection) {
    return send_slash_commands({command}, connection).front();
}

std::vector<SentEnvelope> SlackTestServer::send_slash_commands(
    const std::vector<SlashCommand>& commands, ConnectionIndex connection) {
    Impl& s = *impl_;
    std::vector<SentEnvelope> sent(commands.size());
    std::vector<Envelope> envelopes(commands.size());
    {
        std::lock_guard lock(s.mutex_);
        for (std::size_t i = 0; i < commands.size(); ++i) {
            envelopes[i] = s.new_envelope_locked();
            sent[i].envelope_id = envelopes[i].id;
            sent[i].response_url = s.issue_response_url_locked();
            sent[i].trigger_id = s.issue_trigger_locked();
        }
    }
    for (std::size_t i = 0; i < commands.size(); ++i) {
        envelopes[i].text = s.slash_envelope(commands[i], sent[i]);
    }
    s.post_envelopes(std::move(envelopes), "slash_commands", connection);
    return sent;
}

json slack_user_json(const SlackUser& u, const SlackStatus& status, const std::string& team_id) {
    // The user object of users.info and of the user_change event; custom status fields per
    // https://api.slack.com/apis/presence-and-status (status_expiration: unix seconds, 0 =
    // never).
    return json{{"id", u.id},
                {"team_id", team_id},
                {"name", u.name},
                {"deleted", false},
                {"color", "4bbe2e"},
                {"real_name", u.real_name},
                {"tz", u.tz},
                {"tz_label", u.tz_label},
                {"tz_offset", u.tz_offset},
                {"profile",
                 {{"title", ""},
                  {"phone", ""},
                  {"skype", ""},
                  {"real_name", u.real_name},
                  {"real_name_normalized", u.real_name},
                  {"display_name", u.name},
                  {"display_name_normalized", u.name},
                  {"fields", json::object()},
                  {"status_text", status.text},
                  {"status_emoji", status.emoji},
                  {"status_emoji_display_info", json::array()},
                  {"status_expiration", status.expiration},
                  {"avatar_hash", "g12345678910"},
                  {"team", team_id}}},
                {"is_admin", false},
                {"is_owner", false},
                {"is_primary_owner", false},
                {"is_restricted", false},
                {"is_ultra_restricted", false},
                {"is_bot", u.is_bot},
                {"is_app_user", false},
                {"updated", 1700000000}};
}

std::string SlackTestServer::send_user_change(const SlackUser& user, const SlackStatus& status,
                                              const std::string& event_id, int retry_attempt,
                                              const std::string& retry_reason,
                                              ConnectionIndex connection) {
    {
        std::lock_guard lock(impl_->mutex_);
        impl_->users_[user.id] = user;
        impl_->statuses_[user.id] = status;
    }
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    // https://docs.slack.dev/reference/events/user_change/: the event is the user object with
    // cache_ts and event_ts, inside the usual event_callback wrapper (send_event).
    json event{{"type", "user_change"},
               {"user", slack_user_json(user, status, impl_->options_.team_id)},
               {"cache_ts", now},
               {"event_ts", std::to_string(now) + ".000100"}};
    return send_event(event, event_id, retry_attempt, retry_reason, connection);
}

std::string SlackTestServer::send_event(const nlohmann::json& event, const std::string& event_id,
                                        int retry_attempt, const std::string& retry_reason,
                                        ConnectionIndex connection) {
    Impl& s = *impl_;
    Envelope sent;
    std::string id = event_id;
    {
        std::lock_guard lock(s.mutex_);
        sent = s.new_envelope_locked();
        if (id.empty()) id = s.new_id('E').replace(0, 1, "Ev");
    }
    const std::string envelope_id = sent.id;
    const Options& o = s.options_;
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
    json envelope{{"envelope_id", envelope_id},
                  {"payload",
                   {{"token", o.verification_token},
                    {"team_id", o.team_id},
                    {"api_app_id", o.app_id},
                    {"event", event},
                    {"type", "event_callback"},
                    {"event_id", id},
                    {"event_time", now},
                    {"authorizations", json::array({{{"enterprise_id", nullptr},
                                                     {"team_id", o.team_id},
                                                     {"user_id", o.bot_user_id},
                                                     {"is_bot", true},
                                                     {"is_enterprise_install", false}}})},
                    {"is_ext_shared_channel", false},
                    {"event_context", "4-" + envelope_id}}},
                  {"type", "events_api"},
                  {"accepts_response_payload", false},
                  {"retry_attempt", retry_attempt},
                  {"retry_reason", retry_reason}};
    sent.text = dump(envelope);
    s.post_envelope(std::move(sent), "events_api", connection);
    return envelope_id;
}

std::string SlackTestServer::send_interactive(const nlohmann::json& payload,
                                              ConnectionIndex connection) {
    Impl& s = *impl_;
    Envelope sent;
    json body = payload;
    {
        std::lock_guard lock(s.mutex_);
        sent = s.new_envelope_locked();
        if (body.is_object() && !body.contains("trigger_id")) {
            body["trigger_id"] = s.issue_trigger_locked();
        }
        if (body.is_object() && body.value("type", "") == "message_action" &&
            !body.contains("response_url")) {
            body["response_url"] = s.issue_response_url_locked();
        }
    }
    if (body.is_object()) {
        if (!body.contains("token")) body["token"] = s.options_.verification_token;
        if (!body.contains("api_app_id")) body["api_app_id"] = s.options_.app_id;
        if (!body.contains("team")) {
            body["team"] = json{{"id", s.options_.team_id}, {"domain", s.options_.team_domain}};
        }
    }
    std::string type = body.is_object() ? body.value("type", "") : "";
    // Slack lets the ack answer view submissions (response_action) and option loads.
    bool accepts = type == "view_submission" || type == "block_suggestion";
    const std::string envelope_id = sent.id;
    json envelope{{"envelope_id", envelope_id},
                  {"payload", body},
                  {"type", "interactive"},
                  {"accepts_response_payload", accepts}};
    sent.text = dump(envelope);
    s.post_envelope(std::move(sent), "interactive", connection);
    return envelope_id;
}

bool SlackTestServer::send_raw(const std::string& text, ConnectionIndex connection) {
    return impl_->post_control(Outgoing::Kind::text, text, connection);
}

bool SlackTestServer::send_disconnect(const std::string& reason, ConnectionIndex connection) {
    nlohmann::ordered_json message{
        {"type", "disconnect"}, {"reason", reason}, {"debug_info", {{"host", "applink-test"}}}};
    return impl_->post_control(Outgoing::Kind::text, message.dump(), connection);
}

bool SlackTestServer::drop_connection(ConnectionIndex connection) {
    Impl& s = *impl_;
    ConnectionIndex target;
    {
        std::lock_guard lock(s.mutex_);
        target = s.pick_connection_locked(connection);
        if (!target) return false;
        // Not eligible for envelopes from now on, even before the server thread acts.
        s.conn_info_[*target].live = false;
        s.conn_info_[*target].server_dropped = true;
        --s.stats_.live_connections;
    }
    net::post(s.ioc_, [&s, index = *target] {
        auto it = s.ws_sessions_.find(index);
        if (it == s.ws_sessions_.end()) return;
        auto session = it->second;
        session->server_dropped = true;
        session->drop();
    });
    return true;
}

bool SlackTestServer::close_connection(ConnectionIndex connection) {
    Impl& s = *impl_;
    ConnectionIndex target;
    {
        std::lock_guard lock(s.mutex_);
        target = s.pick_connection_locked(connection);
        if (!target) return false;
        s.conn_info_[*target].live = false;
        s.conn_info_[*target].server_closed = true;
        --s.stats_.live_connections;
    }
    net::post(s.ioc_, [&s, index = *target] {
        auto it = s.ws_sessions_.find(index);
        if (it == s.ws_sessions_.end()) return;
        it->second->server_closed = true;
        it->second->enqueue(make_outgoing(Outgoing::Kind::close));
    });
    return true;
}

void SlackTestServer::ping_now() {
    Impl& s = *impl_;
    net::post(s.ioc_, [&s] {
        for (auto& [index, session] : s.ws_sessions_) {
            session->enqueue(make_outgoing(Outgoing::Kind::ping));
        }
    });
}

std::optional<Ack> SlackTestServer::wait_for_ack(const std::string& envelope_id,
                                                 std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    bool found = s.cv_.wait_for(lock, timeout, [&] {
        if (s.options_.record_acks) return s.ack_index_.count(envelope_id) > 0;
        auto seq = s.issued_seq(envelope_id);
        return seq && s.pending_.count(*seq) == 0;
    });
    if (!found) return std::nullopt;
    if (!s.options_.record_acks) {
        Ack ack;
        ack.envelope_id = envelope_id;
        return ack;
    }
    return s.acks_[s.ack_index_[envelope_id]];
}

std::vector<Ack> SlackTestServer::acks() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->acks_;
}

std::vector<std::chrono::nanoseconds> SlackTestServer::ack_latencies() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->latencies_;
}

bool SlackTestServer::wait_for_ack_count(std::uint64_t count, std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    auto deadline = Clock::now() + timeout;
    while (s.stats_.acks < count) {
        // Every waiter re-registers after a wake-up, so the target is always the smallest.
        s.ack_count_target_ = std::min(s.ack_count_target_, count);
        if (s.ack_count_cv_.wait_until(lock, deadline) == std::cv_status::timeout) {
            return s.stats_.acks >= count;
        }
    }
    return true;
}

bool SlackTestServer::wait_for_no_outstanding(std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    return s.cv_.wait_for(lock, timeout, [&] { return s.stats_.outstanding == 0; });
}

void SlackTestServer::set_ack_listener(AckListener listener) {
    std::lock_guard lock(impl_->mutex_);
    impl_->ack_listener_ =
        listener ? std::make_shared<const AckListener>(std::move(listener)) : nullptr;
}

std::vector<std::string> SlackTestServer::other_client_messages() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->other_messages_;
}

bool SlackTestServer::wait_for_connections(std::uint64_t count, std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    return s.cv_.wait_for(lock, timeout, [&] { return s.stats_.connections_opened >= count; });
}

bool SlackTestServer::wait_for_hello_count(std::uint64_t count, std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    return s.cv_.wait_for(lock, timeout, [&] { return s.stats_.hellos_sent >= count; });
}

bool SlackTestServer::wait_for_connection_closed(std::size_t index,
                                                 std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    // "Closed" means the server thread has seen the socket end, not just that we asked.
    return s.cv_.wait_for(lock, timeout, [&] {
        if (index >= s.conn_info_.size()) return false;
        return s.closed_indices_.count(index) > 0;
    });
}

std::vector<ConnectionInfo> SlackTestServer::connections() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->conn_info_;
}

ServerStats SlackTestServer::stats() const {
    std::lock_guard lock(impl_->mutex_);
    return impl_->stats_;
}

bool SlackTestServer::wait_for_stats(const std::function<bool(const ServerStats&)>& predicate,
                                     std::chrono::milliseconds timeout) {
    Impl& s = *impl_;
    std::unique_lock lock(s.mutex_);
    return s.cv_.wait_for(lock, timeout, [&] { return predicate(s.stats_); });
}

}  // namespace careerbot::testing
