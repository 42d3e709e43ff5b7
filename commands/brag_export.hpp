#pragma once
#include <string>
#include <vector>

#include "storage/brags.hpp"

namespace careerbot::commands {

/// A brag document in Markdown: brags grouped by fiscal quarter (newest first), then by their
/// first tag, each with its date, impact and link.
std::string brag_document_markdown(const std::string& person_name,
                                   const std::vector<storage::Brag>& brags, int fiscal_start_month,
                                   const std::string& exported_on);

/// The same brags as CSV (RFC 4180): number, date, quarter, text, impact, link, tags,
/// growth (70-20-10), source.
std::string brag_document_csv(const std::vector<storage::Brag>& brags, int fiscal_start_month);

/// Quotes one CSV field when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& value);

}  // namespace careerbot::commands
