#pragma once
#include <optional>
#include <string>
#include <vector>

#include "src/core/app.hpp"
#include "src/core/dates.hpp"
#include "storage/brags.hpp"

namespace careerbot::commands {

/// A brag document in Markdown: brags grouped by fiscal quarter (newest first), then by their
/// first tag, each with its date, impact and link.
std::string brag_document_markdown(const std::string& person_name,
                                   const std::vector<storage::Brag>& brags, int fiscal_start_month,
                                   const std::string& exported_on);

/// The same brags as CSV (RFC 4180, cells from csv::field, so safe to open in a spreadsheet):
/// number, date, quarter, text, impact, link, tags as typed, growth (70-20-10), source.
std::string brag_document_csv(const std::vector<storage::Brag>& brags, int fiscal_start_month);

/// The brags dated inside `quarter`, in their original order.
std::vector<storage::Brag> brags_in_quarter(const std::vector<storage::Brag>& brags,
                                            const Quarter& quarter);

/// The same brags as one JSON document: person, quarter (or null), exported_on, the 70-20-10
/// mix and each brag with number, date, quarter, text, impact, link, tags, growth and source.
std::string brag_document_json(const std::string& person_name,
                               const std::vector<storage::Brag>& brags, int fiscal_start_month,
                               const std::string& exported_on,
                               const std::optional<Quarter>& quarter);

/// A whole export file for `person_id` — brags (of `quarter`, or all) as md, csv or json, the
/// Markdown and JSON forms with the feedback received in the same period. Callers check
/// visibility first. Throws UserError on an unknown format.
FileOut make_brag_export(Services& s, const std::string& person_id, const std::string& format,
                         const std::optional<Quarter>& quarter, const std::string& exported_on);

}  // namespace careerbot::commands
