#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace careerbot::csv {

/// One parsed CSV record and the line it started on (1-based).
struct Row {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

/// Parses RFC 4180 CSV: commas, double-quoted fields with "" escapes and embedded line
/// breaks, CRLF or LF line ends, a UTF-8 BOM at the start. Blank lines are skipped.
/// Throws careerbot::UserError naming the line of an unterminated quote.
std::vector<Row> parse(std::string_view text);

}  // namespace careerbot::csv
