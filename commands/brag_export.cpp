#include "commands/brag_export.hpp"

#include <cstdint>
#include <map>

#include <nlohmann/json.hpp>

#include "src/core/csv.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/growth.hpp"
#include "storage/feedback.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {

date::year_month_day parse_iso(const std::string& s) {
    return parse_iso_day(s).value_or(date::year_month_day{});
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
        out += "\n## " + label + " (" + iso_day(q.first) + " – " + iso_day(q.last) + ")\n";
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
               csv::field(b.text) + "," + csv::field(b.impact) + "," + csv::field(b.link) + "," +
               csv::field(join_tags(b.tags, " ")) + "," + (b.growth ? growth_key(*b.growth) : "") +
               "," + csv::field(b.source) + "\r\n";
    }
    return out;
}

}  // namespace careerbot::commands

// ---- quarter filtering, JSON and whole-file exports (CLI `export`, /brag export) ----

namespace careerbot::commands {
namespace {

nlohmann::json brag_json(const storage::Brag& b, int fiscal_start_month) {
    return {{"number", b.number},
            {"date", b.happened_on},
            {"quarter", quarter_of(parse_iso(b.happened_on), fiscal_start_month).label()},
            {"text", b.text},
            {"impact", b.impact},
            {"link", b.link},
            {"tags", b.tags},
            {"growth", b.growth ? nlohmann::json(growth_key(*b.growth)) : nlohmann::json()},
            {"source", b.source}};
}

}  // namespace

std::vector<storage::Brag> brags_in_quarter(const std::vector<storage::Brag>& brags,
                                            const Quarter& quarter) {
    const std::string from = iso_day(quarter.first);
    const std::string to = iso_day(quarter.last);
    std::vector<storage::Brag> out;
    for (const auto& b : brags) {
        if (b.happened_on >= from && b.happened_on <= to) out.push_back(b);
    }
    return out;
}

std::string brag_document_json(const std::string& person_name,
                               const std::vector<storage::Brag>& brags, int fiscal_start_month,
                               const std::string& exported_on,
                               const std::optional<Quarter>& quarter) {
    GrowthMix mix;
    nlohmann::json items = nlohmann::json::array();
    for (const auto& b : brags) {
        mix.add(b.growth);
        items.push_back(brag_json(b, fiscal_start_month));
    }
    nlohmann::json doc = {
        {"person", person_name},
        {"quarter", quarter ? nlohmann::json(quarter->label()) : nlohmann::json()},
        {"exported_on", exported_on},
        {"growth_mix",
         {{"job", mix.job},
          {"others", mix.others},
          {"training", mix.training},
          {"untagged", mix.untagged}}},
        {"brags", items}};
    return doc.dump(2) + "\n";
}

FileOut make_brag_export(Services& s, const std::string& person_id, const std::string& format,
                         const std::optional<Quarter>& quarter, const std::string& exported_on) {
    if (format != "md" && format != "csv" && format != "json") {
        throw UserError("Export as `md`, `csv` or `json`.");
    }
    const int fy = s.config.org.fiscal_year_start_month;
    storage::PeopleRepo people(s.db);
    auto name = people.display_name(person_id);
    auto brags = storage::BragRepo(s.db).list({person_id, "", "", -1, 0});
    if (quarter) brags = brags_in_quarter(brags, *quarter);
    // Feedback in the same period, by when it was originally posted.
    int64_t from = 0;
    int64_t to = INT64_MAX;
    if (quarter) {
        from = std::chrono::duration_cast<std::chrono::seconds>(
                   date::sys_days{quarter->first}.time_since_epoch())
                   .count();
        to = std::chrono::duration_cast<std::chrono::seconds>(
                 (date::sys_days{quarter->last} + date::days{1}).time_since_epoch())
                 .count();
    }
    std::vector<storage::Feedback> feedback;
    for (auto& f : storage::FeedbackRepo(s.db).for_document(person_id, from)) {
        if (f.posted_at < to) feedback.push_back(std::move(f));
    }
    auto day_of = [&](int64_t t) {
        return iso_day(local_date(from_unix(t), s.config.org.default_timezone));
    };
    std::string suffix = quarter ? "-" + quarter->label() : "";
    FileOut f;
    f.title = "Brag document — " + name + (quarter ? " — " + quarter->label() : "");
    if (format == "csv") {
        f.filename = "brags-" + name + suffix + ".csv";
        f.content = brag_document_csv(brags, fy);
    } else if (format == "json") {
        f.filename = "brags-" + name + suffix + ".json";
        auto doc = nlohmann::json::parse(brag_document_json(name, brags, fy, exported_on, quarter));
        nlohmann::json items = nlohmann::json::array();
        for (const auto& fb : feedback) {
            items.push_back({{"date", day_of(fb.posted_at)},
                             {"from", people.display_name(fb.author_id)},
                             {"channel", fb.channel_name},
                             {"text", fb.text},
                             {"permalink", fb.permalink}});
        }
        doc["feedback"] = items;
        f.content = doc.dump(2) + "\n";
    } else {
        f.filename = "brag-document-" + name + suffix + ".md";
        f.content = brag_document_markdown(name, brags, fy, exported_on);
        f.content += "\n## Feedback received" + (quarter ? " in " + quarter->label() : "") + "\n\n";
        if (feedback.empty()) f.content += "None saved.\n";
        for (const auto& fb : feedback) {
            f.content += "- **" + day_of(fb.posted_at) + "**, from " +
                         people.display_name(fb.author_id) + ": " + fb.text;
            if (!fb.permalink.empty()) f.content += " <" + fb.permalink + ">";
            f.content += "\n";
        }
    }
    return f;
}

}  // namespace careerbot::commands
