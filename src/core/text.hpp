#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace careerbot::text {

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or stray bytes).
bool valid_utf8(std::string_view s);

/// Removes control characters other than newline and tab; turns CR LF into LF.
std::string strip_controls(std::string_view s);

/// Trims ASCII white space at both ends.
std::string trim(std::string_view s);

/// Lower-cases ASCII letters.
std::string lower(std::string_view s);

/// Splits on white space.
std::vector<std::string> words(std::string_view s);

/// The first word and the rest (trimmed): "edit 3 new text" -> {"edit", "3 new text"}.
std::pair<std::string, std::string> first_word(std::string_view s);

/// The Slack user id in a mention token `<@U123>` or `<@U123|name>`; nothing otherwise.
std::optional<std::string> mention_id(std::string_view token);

/// The mention token for a user id: `<@U123>`.
std::string mention(const std::string& id);

/// `s` cut to at most `max` bytes (never inside a UTF-8 character) with "…" when it was cut.
std::string clip(const std::string& s, std::size_t max);

/// Every user id mentioned in `s` as `<@U…>`, in order, without repeats.
std::vector<std::string> mentions(std::string_view s);

/// Parses a positive integer such as "3" or "#3"; nothing otherwise.
std::optional<int> parse_number(std::string_view s);

/// A count with thousands separators, as people read it: 4000 -> "4,000".
std::string thousands(std::size_t n);

/// The refusal of text over its limit, naming the kind of record and its real limit:
/// too_long("brag", 5012, 4000) -> "That brag is 5,012 bytes long; a brag is at most 4,000
/// bytes. …". `what` is a singular noun ("brag", "objective"; "feedback" takes no article).
std::string too_long(const std::string& what, std::size_t size, std::size_t max_bytes);

/// Checks text a person typed: valid UTF-8, not empty after trimming, at most `max_bytes`.
/// Returns the cleaned text (controls removed, trimmed) or throws UserError explaining why
/// (see too_long()).
std::string clean_user_text(std::string_view s, std::size_t max_bytes, const std::string& what);

/// The word of `candidates` that `typed` is probably a slip of (`cancle` -> `cancel`, `lsit` ->
/// `list`): one edit (an adjacent swap counts as one) for candidates of up to four letters,
/// two for longer ones; nothing when none is that close or `typed` is not a short word.
std::optional<std::string> near_miss(std::string_view typed,
                                     const std::vector<std::string>& candidates);

}  // namespace careerbot::text
