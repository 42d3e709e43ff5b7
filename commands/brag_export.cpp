#include "commands/brag_export.hpp"

#include <map>

#include "src/core/dates.hpp"
#include "src/core/growth.hpp"

namespace careerbot::commands {
namespace {

date::year_month_day parse_iso(const std::string& s) {
    return date::year{std::stoi(s.substr(0, 4))} /
           date::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))} /
           date::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))};
}

std::string join_tags(const std::vector<std::string>& tags, const std::string& sep) {
    std::string out;
    for (const auto& t : tags) out += (out.empty() ? "" : sep) + "#" + t;
    return out;
}

std::string markdown_item(const storage::Brag& b) {
    std::string out = "- **" + b.happened_on + "** — " + b.text;
    if (!b.impact.empty()) out += "  \n  *Impact:* " + b.impact;
    if (!b.link.empty()) out += "  \n  <" + b.link + ">";
    return out + "\n";
}

}  // namespace

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
    std::string out = "\"";
    for (char c : value) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string brag_document_markdown(const std::string& person_name,
                                   const std::vector<storage::Brag>& brags, int fiscal_start_month,
                                   const std::string& exported_on) {
    // quarter label (newest first) -> tag -> brags (newest first, as given).
    std::map<std::string, std::map<std::string, std::vector<const storage::Brag*>>, std::greater<>>
        grouped;
    std::map<std::string, Quarter> quarters;
    for (const auto& b : brags) {
        Quarter q = quarter_of(parse_iso(b.happened_on), fiscal_start_month);
        quarters[q.label()] = q;
        grouped[q.label()][b.tags.empty() ? std::string() : b.tags.front()].push_back(&b);
    }
    std::string out = "# Brag document — " + person_name + "\n\n";
    out += "_Exported " + exported_on + " · " + std::to_string(brags.size()) +
           (brags.size() == 1 ? " accomplishment" : " accomplishments") + "_\n";
    if (brags.empty()) out += "\nNothing logged yet. Use `/brag <what you did>` to start.\n";
    GrowthMix mix;
    for (const auto& b : brags) mix.add(b.growth);
    if (!brags.empty()) out += "\n_" + mix.summary() + "_\n";
    for (const auto& [label, by_tag] : grouped) {
        const auto& q = quarters[label];
        out += "\n## " + label + " (" + iso_date(q.first) + " – " + iso_date(q.last) + ")\n";
        for (const auto& [tag, items] : by_tag) {
            if (tag.empty()) continue;
            out += "\n### #" + tag + "\n\n";
            for (const auto* b : items) out += markdown_item(*b);
        }
        if (auto it = by_tag.find(""); it != by_tag.end()) {
            out += "\n### Untagged\n\n";
            for (const auto* b : it->second) out += markdown_item(*b);
        }
    }
    return out;
}

std::string brag_document_csv(const std::vector<storage::Brag>& brags, int fiscal_start_month) {
    std::string out = "number,date,quarter,text,impact,link,tags,growth,source\r\n";
    for (const auto& b : brags) {
        Quarter q = quarter_of(parse_iso(b.happened_on), fiscal_start_month);
        out += std::to_string(b.number) + "," + b.happened_on + "," + q.label() + "," +
               csv_field(b.text) + "," + csv_field(b.impact) + "," + csv_field(b.link) + "," +
               csv_field(join_tags(b.tags, " ")) + "," + (b.growth ? growth_key(*b.growth) : "") +
               "," + csv_field(b.source) + "\r\n";
    }
    return out;
}

}  // namespace careerbot::commands
