#include "src/core/config.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <date/tz.h>
#include <toml++/toml.h>

#include "src/core/error.hpp"

namespace careerbot {
namespace {

/// Walks a parsed table, checking every key against the known set so typos are caught.
class Reader {
  public:
    Reader(const toml::table& root, std::string source) : root_(root), source_(std::move(source)) {}

    template <typename T>
    void get(std::string_view table, std::string_view key, T& out) {
        known_.insert(std::string(table) + "." + std::string(key));
        const toml::node* node = root_.at_path(std::string(table) + "." + std::string(key)).node();
        if (node == nullptr) return;
        if constexpr (std::is_same_v<T, std::vector<std::string>>) {
            const auto* arr = node->as_array();
            if (arr == nullptr) fail(table, key, "an array of strings");
            out.clear();
            for (const auto& item : *arr) {
                auto s = item.value<std::string>();
                if (!s) fail(table, key, "an array of strings");
                out.push_back(*s);
            }
        } else {
            auto v = node->value<T>();
            if (!v) fail(table, key, std::is_same_v<T, std::string> ? "a string" : "a number");
            out = *v;
        }
    }

    void reject_unknown() const {
        for (const auto& [table_name, table_node] : root_) {
            const auto* table = table_node.as_table();
            if (table == nullptr) {
                throw Error(source_ + ": unknown top-level key '" + std::string(table_name.str()) +
                            "' (settings live in tables such as [database])");
            }
            for (const auto& [key, value] : *table) {
                (void)value;
                std::string full = std::string(table_name.str()) + "." + std::string(key.str());
                if (!known_.contains(full)) throw Error(source_ + ": unknown key '" + full + "'");
            }
        }
    }

    [[noreturn]] void fail(std::string_view table, std::string_view key,
                           std::string_view expected) const {
        throw Error(source_ + ": " + std::string(table) + "." + std::string(key) + " must be " +
                    std::string(expected));
    }

  private:
    const toml::table& root_;
    std::string source_;
    std::set<std::string> known_;
};

}  // namespace

Config Config::parse(const std::string& toml_text, const std::string& source) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << source << ":" << e.source().begin.line << ": " << e.description();
        throw Error(msg.str());
    }
    Config c;
    Reader r(root, source);
    r.get("database", "path", c.database.path);
    r.get("database", "busy_timeout_ms", c.database.busy_timeout_ms);
    r.get("database", "url", c.database.url);
    r.get("database", "statement_timeout_ms", c.database.statement_timeout_ms);
    r.get("log", "level", c.log.level);
    r.get("log", "format", c.log.format);
    r.get("org", "default_timezone", c.org.default_timezone);
    r.get("org", "fiscal_year_start_month", c.org.fiscal_year_start_month);
    r.get("org", "admins", c.org.admins);
    r.get("org", "levels_file", c.org.levels_file);
    r.get("brag", "page_size", c.brag.page_size);
    auto max_text = static_cast<int64_t>(c.brag.max_text_bytes);
    r.get("brag", "max_text_bytes", max_text);
    int64_t lead = c.reminders.one_on_one_lead.count();
    r.get("reminders", "one_on_one_lead_minutes", lead);
    r.get("reminders", "task_due_lead_days", c.reminders.task_due_lead_days);
    r.get("reminders", "task_nudge_time", c.reminders.task_nudge_time);
    r.get("reminders", "checkin_interval_weeks", c.reminders.checkin_interval_weeks);
    r.get("reminders", "working_hours", c.reminders.working_hours);
    r.get("reminders", "leader_retry_seconds", c.reminders.leader_retry_seconds);
    r.get("reminders", "claim_timeout_seconds", c.reminders.claim_timeout_seconds);
    r.get("internship", "max_interns_per_host", c.internship.max_interns_per_host);
    r.get("slack", "feedback_reaction", c.slack.feedback_reaction);
    int64_t ack_ms = c.slack.ack_deadline.count();
    r.get("slack", "ack_deadline_ms", ack_ms);
    r.get("slack_status", "away_emoji", c.slack_status.away_emoji);
    r.get("slack_status", "away_text", c.slack_status.away_text);
    r.get("slack_status", "profile_refresh_days", c.slack_status.profile_refresh_days);
    r.get("slack_status", "profile_refresh_per_minute", c.slack_status.profile_refresh_per_minute);
    r.get("ops", "address", c.ops.address);
    r.get("ops", "port", c.ops.port);
    r.reject_unknown();

    if (max_text < 1 || max_text > 40000) r.fail("brag", "max_text_bytes", "between 1 and 40000");
    c.brag.max_text_bytes = static_cast<std::size_t>(max_text);
    if (lead < 0) r.fail("reminders", "one_on_one_lead_minutes", "zero or more");
    c.reminders.one_on_one_lead = std::chrono::minutes(lead);
    if (ack_ms < 0 || ack_ms > 2500) r.fail("slack", "ack_deadline_ms", "between 0 and 2500");
    c.slack.ack_deadline = std::chrono::milliseconds(ack_ms);
    if (c.slack_status.profile_refresh_days < 0)
        r.fail("slack_status", "profile_refresh_days", "zero (never) or more");
    if (c.slack_status.profile_refresh_per_minute < 1 ||
        c.slack_status.profile_refresh_per_minute > 1000)
        r.fail("slack_status", "profile_refresh_per_minute", "between 1 and 1000");
    if (c.org.fiscal_year_start_month < 1 || c.org.fiscal_year_start_month > 12)
        r.fail("org", "fiscal_year_start_month", "between 1 and 12");
    if (c.ops.port < 0 || c.ops.port > 65535) r.fail("ops", "port", "between 0 and 65535");
    if (c.ops.address.empty()) r.fail("ops", "address", "an IP address such as \"127.0.0.1\"");
    if (c.internship.max_interns_per_host < 0)
        r.fail("internship", "max_interns_per_host", "zero (no limit) or more");
    if (c.brag.page_size < 1 || c.brag.page_size > 40)
        r.fail("brag", "page_size", "between 1 and 40");
    if (c.reminders.checkin_interval_weeks < 6 || c.reminders.checkin_interval_weeks > 8)
        r.fail("reminders", "checkin_interval_weeks", "between 6 and 8");
    if (c.reminders.task_due_lead_days < 0)
        r.fail("reminders", "task_due_lead_days", "zero or more");
    if (c.reminders.leader_retry_seconds < 1 || c.reminders.leader_retry_seconds > 60)
        r.fail("reminders", "leader_retry_seconds", "between 1 and 60");
    if (c.reminders.claim_timeout_seconds < 1)
        r.fail("reminders", "claim_timeout_seconds", "one or more");
    if (c.log.format != "text" && c.log.format != "json")
        r.fail("log", "format", R"("text" or "json")");
    static const std::set<std::string> levels{"trace", "debug",    "info", "warn",
                                              "error", "critical", "off"};
    if (!levels.contains(c.log.level))
        r.fail("log", "level", "one of trace, debug, info, warn, error");
    try {
        (void)date::locate_zone(c.org.default_timezone);
    } catch (const std::exception&) {
        r.fail("org", "default_timezone", "an IANA time zone such as \"Europe/Paris\"");
    }
    auto clock_time = [](const std::string& t) {
        return t.size() == 5 && t[2] == ':' && std::isdigit(static_cast<unsigned char>(t[0])) &&
               std::isdigit(static_cast<unsigned char>(t[1])) &&
               std::isdigit(static_cast<unsigned char>(t[3])) &&
               std::isdigit(static_cast<unsigned char>(t[4])) && std::stoi(t.substr(0, 2)) <= 23 &&
               std::stoi(t.substr(3, 2)) <= 59;
    };
    if (!clock_time(c.reminders.task_nudge_time))
        r.fail("reminders", "task_nudge_time", "a time such as \"09:00\"");
    const auto& wh = c.reminders.working_hours;
    if (wh.size() != 11 || wh[5] != '-' || !clock_time(wh.substr(0, 5)) ||
        !clock_time(wh.substr(6, 5)) || wh.substr(0, 5) >= wh.substr(6, 5))
        r.fail("reminders", "working_hours", "a range such as \"08:00-18:00\"");
    return c;
}

Config Config::load(const std::filesystem::path& file) {
    std::ifstream in(file);
    if (!in) throw Error("cannot read config file " + file.string());
    std::stringstream ss;
    ss << in.rdbuf();
    Config c = parse(ss.str(), file.string());
    // The levels file travels with the config (/etc/careerbot, a container's config volume),
    // not with whatever directory the bot happens to run in.
    const auto dir = file.parent_path();
    if (!c.org.levels_file.empty() && std::filesystem::path(c.org.levels_file).is_relative()) {
        c.org.levels_file = (dir / c.org.levels_file).string();
    } else if (c.org.levels_file.empty() && std::filesystem::exists(dir / "levels.toml")) {
        c.org.levels_file = (dir / "levels.toml").string();
    }
    return c;
}

}  // namespace careerbot
