#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/reply.hpp"

namespace careerbot::blocks {

/// Slack's limits on what one message may hold.
inline constexpr std::size_t kMaxBlocks = 50;
inline constexpr std::size_t kMaxSectionText = 3000;
inline constexpr std::size_t kMaxHomeBlocks = 100;

/// Escapes user-supplied text for mrkdwn: `&`, `<`, `>` become entities, so echoed text can
/// never form a link, a user mention, or a `<!channel>`/`<!here>`/`<!subteam^…>` ping.
std::string escape(std::string_view text);

/// A `section` block with mrkdwn text (already escaped), cut to Slack's 3,000 characters.
nlohmann::json section(std::string mrkdwn);
/// A `header` block (plain text, at most 150 characters).
nlohmann::json header(std::string plain);
/// A `context` block with one mrkdwn element.
nlohmann::json context(std::string mrkdwn);
/// A `divider` block.
nlohmann::json divider();
/// A button element; `value` is passed back in the block_actions payload.
nlohmann::json button(std::string label, std::string action_id, std::string value,
                      std::string style = "");
/// An `actions` block holding elements (buttons).
nlohmann::json actions(nlohmann::json elements);

/// Builds messages that respect Slack's limits: text longer than a section holds is split at
/// line breaks, and past 50 blocks a new message is started.
class MessageBuilder {
public:
    explicit MessageBuilder(std::string fallback_text) : fallback_(std::move(fallback_text)) {}
    /// Appends a block, starting a new message when the current one is full.
    MessageBuilder& add(nlohmann::json block);
    /// Appends mrkdwn as one or more sections, split at line ends to fit 3,000 characters.
    MessageBuilder& add_text(const std::string& mrkdwn);
    /// The messages built so far (at least one). On an rvalue (`std::move(b).build()`) the
    /// blocks are moved out instead of copied; hot paths such as /brag's answer do that.
    std::vector<Message> build() const&;
    std::vector<Message> build() &&;
    /// Puts the first message in `reply.message` and the rest in `reply.more`; moves like
    /// build() on an rvalue.
    Reply reply(bool in_channel = false) const&;
    Reply reply(bool in_channel = false) &&;

private:
    std::vector<Message> build_from();  ///< moves the pages out
    Reply reply_from(bool in_channel);

    std::string fallback_;
    std::vector<nlohmann::json> pages_{nlohmann::json::array()};
};

/// Splits mrkdwn into chunks of at most `limit` characters, at line breaks where possible and
/// never inside a UTF-8 sequence or an `&amp;`-style entity.
std::vector<std::string> split_text(const std::string& mrkdwn, std::size_t limit);

/// Looks up a display name for a Slack user id, for rendering `<@U123>` as text.
using NameLookup = std::function<std::string(const std::string& user_id)>;

/// Renders a message as plain text for a terminal: sections, headers and context on their
/// own lines, buttons listed, `<@U1>` as `@name`, `<!date^…|fallback>` as its fallback,
/// `<url|label>` as `label (url)`, and entities decoded.
std::string render_text(const Message& message, const NameLookup& names);

/// Decodes Slack's mrkdwn markup in a single string (links, mentions, dates, entities).
std::string render_mrkdwn(std::string_view mrkdwn, const NameLookup& names);

/// A user mention as Slack sends it in message and command text: `<@U123>` or
/// `<@U123|label>` (the label is empty in the first form).
struct UserMention {
    std::string id;
    std::string label;
};

/// Every `<@id>` / `<@id|label>` in `text`, in order; ids are letters, digits, `_`, `.`, `-`.
std::vector<UserMention> find_user_mentions(std::string_view text);

}  // namespace careerbot::blocks
