#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/reply.hpp"

namespace careerbot::blocks {

/// Slack's limits on what one message may hold
/// (https://api.slack.com/reference/block-kit/blocks): 50 blocks in a message, 100 in a view
/// (modal or App Home), a section's text 3,000 characters, a header's 150. Slack counts
/// characters; careerbot counts bytes, which are never fewer, so a text that fits here fits
/// there.
inline constexpr std::size_t kMaxBlocks = 50;
inline constexpr std::size_t kMaxSectionText = 3000;
inline constexpr std::size_t kMaxHomeBlocks = 100;
inline constexpr std::size_t kMaxHeaderText = 150;
/// How much of a text goes into a message's plain `text` fallback. Slack accepts 40,000
/// characters there (https://api.slack.com/changelog/2018-04-truncating-really-long-messages), but
/// with blocks it is only the notification preview, so a long answer's fallback is its beginning.
inline constexpr std::size_t kMaxFallbackText = 3000;

/// Escapes user-supplied text for mrkdwn: `&`, `<`, `>` become entities, so echoed text can
/// never form a link, a user mention, or a `<!channel>`/`<!here>`/`<!subteam^…>` ping.
std::string escape(std::string_view text);

/// A `section` block with mrkdwn text (already escaped), kept whole: text longer than Slack's
/// 3,000 characters is split into several sections by MessageBuilder::add, so every section
/// must reach Slack through a MessageBuilder.
nlohmann::json section(std::string mrkdwn);
/// A `header` block (plain text; past 150 characters it ends in "…").
nlohmann::json header(std::string plain);
/// A `context` block with one mrkdwn element, kept whole like section().
nlohmann::json context(std::string mrkdwn);
/// A `divider` block.
nlohmann::json divider();
/// A button element; `value` is passed back in the block_actions payload.
nlohmann::json button(std::string label, std::string action_id, std::string value,
                      std::string style = "");
/// An `actions` block holding elements (buttons).
nlohmann::json actions(nlohmann::json elements);

/// `block` as it may go to Slack: itself, or — a section or one-element context whose text is
/// longer than 3,000 characters — several blocks of its kind with that text split
/// (split_text); the first keeps the original's other keys (its button, its block_id).
std::vector<nlohmann::json> fit_block(nlohmann::json block);

/// Builds messages that respect Slack's limits: text longer than a section holds is split
/// (split_text) into several sections, and past 50 blocks a new message is started, so nothing
/// is ever cut off.
class MessageBuilder {
  public:
    /// `fallback_text` is the messages' plain `text` (cut to kMaxFallbackText).
    explicit MessageBuilder(std::string fallback_text);
    /// Appends a block, starting a new message when the current one is full. A section or a
    /// one-element context whose text is longer than 3,000 characters becomes several blocks;
    /// the first keeps the original's other keys (its button, its block_id).
    MessageBuilder& add(nlohmann::json block);
    /// Appends mrkdwn as one or more sections, split to fit 3,000 characters.
    MessageBuilder& add_text(const std::string& mrkdwn);
    /// Appends items (each a person, a feedback…) several to a section, joined by `separator`:
    /// each section is filled up to 3,000 characters and an item may continue in the next
    /// one (after a line end, where split_text prefers to cut). Far fewer blocks than one
    /// section per item, so fewer messages.
    MessageBuilder& add_packed(const std::vector<std::string>& items,
                               const std::string& separator = "\n\n");
    /// The messages built so far (at least one). On an rvalue (`std::move(b).build()`) the
    /// blocks are moved out instead of copied; hot paths such as /brag's answer do that.
    std::vector<Message> build() const&;
    std::vector<Message> build() &&;
    /// Puts the first message in `reply.message` and the rest in `reply.more`; moves like
    /// build() on an rvalue.
    Reply reply(bool in_channel = false) const&;
    Reply reply(bool in_channel = false) &&;
    /// Appends the messages to `reply.dms` as direct messages to `user_id`, in order.
    void send_to(const std::string& user_id, Reply& reply) &&;

  private:
    std::vector<Message> build_from();  ///< moves the pages out
    Reply reply_from(bool in_channel);
    void push(nlohmann::json block);  ///< appends one block that fits, paging at 50

    std::string fallback_;
    std::vector<nlohmann::json> pages_{nlohmann::json::array()};
};

/// Splits mrkdwn into parts of at most `limit` bytes whose concatenation is `mrkdwn`: after a
/// line break where one falls in the second half of the part, else after a space, else
/// wherever it fits — but never inside Slack markup (`<@U…>`, `<!date^…>`, `<url|label>`,
/// unless one alone is longer than `limit`), an `&amp;`-style entity or a UTF-8 sequence.
std::vector<std::string> split_text(const std::string& mrkdwn, std::size_t limit);

/// `mrkdwn` for a message's plain `text` fallback: whole up to kMaxFallbackText, else its
/// beginning (cut like split_text) and "…".
std::string fallback_text(const std::string& mrkdwn);

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
