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

/// One cell of a CSV file careerbot writes (every CSV writer uses this): quoted when it holds a
/// comma, a quote or a line break (RFC 4180), and, since a spreadsheet runs a cell that starts
/// with `=`, `+`, `-`, `@`, tab or CR as a formula, such a cell gets a leading `'` and quotes
/// (OWASP's CSV injection advice), so user text can never run in whoever opens the export.
std::string field(std::string_view value);

/// Parses RFC 4180 CSV: commas, double-quoted fields with "" escapes and embedded line
/// breaks, CRLF or LF line ends, a UTF-8 BOM at the start. Blank lines are skipped.
/// Throws careerbot::UserError naming the line of an unterminated quote.
std::vector<Row> parse(std::string_view text);

}  // namespace careerbot::csv
