// Security review of issue #7: SQL injection, echo escaping, visibility on every read path and
// the audit log of who read whose data.
//
// SQL review (also in README "Audit log"): every statement careerbot runs is a string literal
// (or adjacent literals) with `?`/`:name` parameters bound through SQLiteCpp. The places where
// a statement's text is not a single literal were read one by one and are listed in
// kReviewedSql below with why each is safe; "no SQL is built from values" scans the sources so
// that a new non-literal statement fails here until someone has reviewed it and added it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "fixture.hpp"
#include "src/core/logging.hpp"
#include "storage/audit.hpp"
#include "storage/brags.hpp"
#include "storage/certs.hpp"
#include "storage/checkins.hpp"
#include "storage/feedback.hpp"
#include "storage/idos.hpp"
#include "storage/reminder_away.hpp"
#include "storage/tasks.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void use_example_levels() {
    ::setenv("CAREERBOT_LEVELS", CAREERBOT_SOURCE_DIR "/config/levels.example.toml", 1);
}

Event home_opened(TestApp& t, const std::string& user) {
    Event e;
    e.type = "app_home_opened";
    e.user_id = user;
    e.body = {{"type", "app_home_opened"}, {"user", user}, {"tab", "home"}};
    e.received_at = t.clock.now();
    return e;
}

Reply run_in(TestApp& t, const std::string& user, const std::string& command,
             const std::string& text, const std::string& channel) {
    Request r;
    r.user_id = user;
    r.command = command;
    r.text = text;
    r.channel_id = channel;
    r.received_at = t.clock.now();
    r.source = "test";
    return t.app.handle(t.services, r);
}

/// Everything of a reply that Slack would show or parse: messages, pages, DMs, views.
json slack_side(const Reply& r) {
    json all = json::array();
    auto add = [&](const Message& m) { all.push_back({{"text", m.text}, {"blocks", m.blocks}}); };
    if (r.message) add(*r.message);
    for (const auto& m : r.more) add(m);
    for (const auto& d : r.dms) add(d.message);
    if (r.home_view) all.push_back(*r.home_view);
    if (r.open_modal) all.push_back(*r.open_modal);
    if (r.response_action) all.push_back(*r.response_action);
    return all;
}

// ---------------------------------------------------------------------------------------------
// SQL injection
// ---------------------------------------------------------------------------------------------

/// Quote-laden, comment, LIKE-wildcard and non-ASCII texts; no NUL (Slack never sends one).
const std::vector<std::string> kSqlPayloads = {
    "'; DROP TABLE brags; --",
    "\" OR 1=1 --",
    "100% of the _ones_ %",
    "O'Brien's \"quoted\" '' \\' backslash",
    "naïve café — 日本語 🎉 Ω ' OR ''='",
};

/// Row counts of every table careerbot keeps career data in.
std::map<std::string, int> table_counts(TestApp& t) {
    std::map<std::string, int> out;
    for (const char* table :
         {"people", "brags", "brag_tags", "tasks", "feedback", "idos", "ido_progress", "checkins",
          "certs", "petitions", "away_periods", "audit_log"}) {
        out[table] = t.count(std::string("SELECT count(*) FROM ") + table);
    }
    return out;
}

}  // namespace

TEST_CASE("quote-laden texts are stored verbatim by every command that stores text",
          "[security][sql]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("mentor");
    t.run("mgr", "/promo", "level <@eng> L1");
    storage::BragRepo brags(t.db);
    storage::TaskRepo tasks(t.db);
    storage::FeedbackRepo feedback(t.db);
    storage::IdoRepo idos(t.db);
    storage::CheckinRepo checkins(t.db);
    storage::CertRepo certs(t.db);

    int n = 0;
    for (const auto& p : kSqlPayloads) {
        INFO(p);
        ++n;
        // /brag: text, a tag, a link with a quote in it, and the impact.
        auto said = t.say(
            "eng", "/brag",
            p + " #x_y-z https://x.example/?q='" + std::to_string(n) + "%20OR%201=1 impact: " + p);
        REQUIRE_THAT(said, Catch::Contains("Logged brag"));
        auto b = brags.find("eng", n);
        REQUIRE(b);
        CHECK(b->text == p + " #x_y-z https://x.example/?q='" + std::to_string(n) + "%20OR%201=1");
        CHECK(b->impact == p);
        CHECK(b->link == "https://x.example/?q='" + std::to_string(n) + "%20OR%201=1");
        CHECK(b->tags == std::vector<std::string>{"x_y-z"});

        // /task, for someone below in the chart (the DM path) and for oneself.
        REQUIRE_THAT(t.say("mgr", "/task", "add " + p + " due friday for <@eng>"),
                     Catch::Contains("Added task"));
        CHECK(tasks.find("eng", n)->text == p);

        // /feedback.
        REQUIRE_THAT(t.say("mgr", "/feedback", "<@eng> " + p),
                     Catch::Contains("Saved your feedback"));
        auto fb = feedback.received("eng");
        REQUIRE(fb.size() == static_cast<std::size_t>(n));
        CHECK(fb.front().text == p);

        // /ido set (replacing each time) and /ido progress.
        REQUIRE_THAT(
            t.say("eng", "/ido", "set " + p + " mentor <@mentor>" + (n > 1 ? " replace" : "")),
            Catch::Contains("IDO for"));
        auto ido = idos.for_quarter("eng", "2026Q4");
        REQUIRE(ido);
        CHECK(ido->objective == p);
        REQUIRE_THAT(t.say("eng", "/ido", "progress " + p), Catch::Contains("Progress noted"));
        CHECK(idos.progress(ido->id).front().note == p);

        // /checkin goals and reality.
        REQUIRE_THAT(t.say("eng", "/checkin", "goals 6m " + p), Catch::Contains("Saved your"));
        REQUIRE_THAT(t.say("eng", "/checkin", "reality " + p), Catch::Contains("Saved your"));
        CHECK(checkins.draft("eng")->goals_6m == p);
        CHECK(checkins.draft("eng")->reality == p);

        // /cert add.
        REQUIRE_THAT(t.say("eng", "/cert", "add " + p), Catch::Contains("Recorded"));
        CHECK(certs.list("eng").front().name == p);

        // /team and /away take people and dates, never free text: a payload is refused cleanly.
        CHECK_THAT(t.say("mgr", "/team", "add " + p), Catch::Contains("Mention the people"));
        CHECK_THAT(t.say("eng", "/away", p),
                   Catch::Contains("as a date") || Catch::Contains("When?"));
        // /promo petition with a quote-laden level is refused by name, and nothing is stored.
        CHECK_THAT(t.say("eng", "/promo", "petition " + p), Catch::Contains("There is no level"));
    }
    // A real petition and an absence still store fine after all that.
    CHECK_THAT(t.say("eng", "/promo", "petition L2 I lead the storage work"),
               Catch::Contains("Your petition"));
    CHECK_THAT(t.say("eng", "/away", "2026-12-21 2027-01-02"), Catch::Contains("Away from"));

    // The tables are all there and hold exactly what was stored.
    auto counts = table_counts(t);
    const int k = static_cast<int>(kSqlPayloads.size());
    CHECK(counts["brags"] == k);
    CHECK(counts["brag_tags"] == k);
    CHECK(counts["tasks"] == k);
    CHECK(counts["feedback"] == k);
    CHECK(counts["idos"] == 1);
    CHECK(counts["ido_progress"] == k);
    CHECK(counts["checkins"] == 1);
    CHECK(counts["certs"] == k);
    CHECK(counts["petitions"] == 1);
    CHECK(counts["away_periods"] == 1);
    CHECK(counts["people"] == 4);  // dir, mgr, eng, mentor: no payload became a person

    // Listing (and the LIKE-free "search" by date) reads them back unchanged.
    auto list = t.say("eng", "/brag", "list since 2026-01-01");
    CHECK_THAT(list, Catch::Contains("'; DROP TABLE brags; --"));
    CHECK_THAT(list, Catch::Contains("100% of the _ones_ %"));
    CHECK_THAT(list, Catch::Contains("— " + std::to_string(k) + " brags"));
}

TEST_CASE("no SQL is built from values", "[security][sql]") {
    // Each statement's SQL argument with its string literals removed must be empty, or one of
    // these reviewed fragments (file, what is left once literals are stripped).
    const std::set<std::pair<std::string, std::string>> kReviewedSql = {
        // Fixed column lists (constexpr literals) joined to literals.
        {"storage/feedback.cpp", "std::string( ) + kColumns +"},
        {"storage/petitions.cpp", "std::string( ) + kColumns +"},
        {"storage/schedules.cpp", "std::string( ) + kColumns +"},
        {"storage/schedules.cpp", "std::string( ) + kColumns + + kColumns +"},
        {"storage/reminder_outbox.cpp", "std::string( ) + kColumns +"},
        {"storage/tasks.cpp", "std::string( ) + kColumns +"},
        {"storage/tasks.cpp", "std::string( ) + kHistoryColumns +"},
        {"storage/checkins.cpp", "std::string( ) + kColumns +"},
        {"storage/people.cpp", "std::string( ) + kColumns +"},
        {"storage/idos.cpp", "std::string( ) + kIdoColumns +"},
        {"storage/mentors.cpp", "std::string( ) + kNoteColumns +"},
        {"storage/brags.cpp", "std::string( ) + kColumns +"},
        // A choice between two literals.
        {"storage/brags.cpp", "std::string( ) + kColumns + + (include_deleted ? : )"},
        // where_clause() appends fixed "AND happened_on >= ?" fragments; values are bound.
        {"storage/brags.cpp", "std::string( ) + kColumns + + where_clause(query) +"},
        {"storage/brags.cpp", "+ where_clause(query) +"},
        {"storage/brags.cpp", "+ where_clause(query)"},
        // column_of() maps an enum to one of five literal column names.
        {"storage/checkins.cpp", "std::string( ) + column_of(field) +"},
        // Migrations are compiled into the binary; PRAGMA user_version takes no parameter and
        // gets our own integer; savepoint names are "w" + nesting depth.
        {"storage/sqlite_connection.cpp", "m.sql"},
        {"storage/sqlite_connection.cpp", "+ std::to_string(m.version)"},
        {"storage/database.cpp", "outer ? std::string( ) : + name"},
        {"storage/database.cpp", "+ name"},
        // migrate-to copies tables it finds in the two catalogues (sqlite_master and
        // information_schema, checked against each other); their names enter SQL only through
        // ident()/ident_list(), which quote with the backend's library (PQescapeIdentifier,
        // sqlite3_mprintf %w); every value is bound.
        {"storage/migrate_to.cpp", "+ ident(target, column) + + ident(target, table)"},
        {"storage/migrate_to.cpp", "+ ident(target, t.name) + + set + + where"},
        {"storage/migrate_to.cpp", "+ ident(target, t.name) +"},
        {"storage/migrate_to.cpp", "+ ident(target, t.name)"},
        {"storage/migrate_to.cpp", "+ ident(db, table) +"},
        {"storage/migrate_to.cpp", "+ ident_list(source, t.columns) + + ident(source, t.name)"},
        {"storage/migrate_to.cpp", "insert_sql(target, t, batch.size() / width)"},
        // The backends' prepare()/exec() take the text Database::prepare()/exec() were given
        // (each caller checked here on its own).
        {"storage/sqlite_connection.cpp", "sql"},
        // PostgreSQL: a prepared statement's name is "cb" + a counter.
        {"storage/pg_connection.cpp", "+ name_"},
        // Dialect choices between two literals (SQLite, PostgreSQL).
        {"storage/envelope_inbox.cpp", "db_.backend() == Backend::sqlite ? :"},
        {"storage/org_summary.cpp", "outer_ ? :"},
        {"storage/org_summary.cpp", "std::string( ) + + (db_.backend() == Backend::sqlite ? : ) +"},
        // day_of() wraps a literal column name in one of two literal date expressions.
        {"storage/org_summary.cpp", "+ day_of( ) + + day_of( ) +"},
        // One of three constexpr statements, chosen by which filter is given.
        {"storage/audit.cpp", "sql"},
        // Whole constexpr statements (a literal column list joined at compile time).
        {"storage/org_requests.cpp", "kById"},
        {"storage/org_requests.cpp", "sql"},
        // The summary's member CTE (a literal) plus a body that is a literal at every call
        // (each a scoped("…") call, checked here on its own).
        {"storage/org_summary.cpp", "std::string(kMembers) + body"},
        {"storage/org_summary.cpp", "std::string(kMembersPg) + postgres_spelling(body)"},
        // Database::exec() runs the text it is given: DDL, PRAGMAs and savepoints from
        // literals (each caller's exec("…") is checked here on its own).
        {"storage/database.cpp", "sql"},
    };

    // Removes string and character literals (plain and raw) from C++ source text.
    auto strip_literals = [](const std::string& s) {
        std::string out;
        for (std::size_t i = 0; i < s.size();) {
            if (s.compare(i, 2, "R\"") == 0) {
                auto open = s.find('(', i);
                std::string close = ")" + s.substr(i + 2, open - i - 2) + "\"";
                i = s.find(close, open) + close.size();
                out += ' ';
            } else if (s[i] == '"' || s[i] == '\'') {
                char q = s[i++];
                while (i < s.size() && s[i] != q) i += s[i] == '\\' ? 2 : 1;
                ++i;
                out += ' ';
            } else {
                out += s[i++];
            }
        }
        return out;
    };
    // The top-level arguments of the call whose '(' is at `open`.
    auto arguments = [](const std::string& s, std::size_t open) {
        std::vector<std::string> args;
        std::string cur;
        int depth = 0;
        for (std::size_t i = open; i < s.size();) {
            if (s.compare(i, 2, "R\"") == 0) {
                auto p = s.find('(', i);
                std::string close = ")" + s.substr(i + 2, p - i - 2) + "\"";
                auto end = s.find(close, p) + close.size();
                cur += s.substr(i, end - i);
                i = end;
                continue;
            }
            char c = s[i];
            if (c == '"' || c == '\'') {
                std::size_t j = i + 1;
                while (j < s.size() && s[j] != c) j += s[j] == '\\' ? 2 : 1;
                cur += s.substr(i, j + 1 - i);
                i = j + 1;
                continue;
            }
            if (c == '(') {
                if (depth++ > 0) cur += c;
            } else if (c == ')') {
                if (--depth == 0) {
                    args.push_back(cur);
                    return args;
                }
                cur += c;
            } else if (c == ',' && depth == 1) {
                args.push_back(cur);
                cur.clear();
            } else {
                cur += c;
            }
            ++i;
        }
        return args;
    };
    auto squeeze = [](const std::string& s) {
        std::istringstream in(s);
        std::string w, out;
        while (in >> w) out += (out.empty() ? "" : " ") + w;
        return out;
    };

    // Statement construction `name(db.sql(), SQL…)`, db.prepare(SQL), the summary's
    // scoped(SQL) and exec/execAndGet(SQL).
    const std::regex statement(R"(\(\s*[\w.>\-]*sql\(\)\s*,)");
    const std::regex scoped(R"(ScopedQuery\s+\w+\s*\()");
    const std::regex prepare(R"((?:(?:\.|->)prepare|\bscoped)\s*\((?!\s*const\b))");
    const std::regex exec(R"((\.|->)(exec|execAndGet)\s*\(\s*[^)\s])");
    const std::regex sql_words(R"(\b(SELECT|INSERT|UPDATE|DELETE|WHERE)\b)");
    const fs::path root = CAREERBOT_SOURCE_DIR;
    int statements = 0;
    std::vector<std::string> problems;
    for (const char* dir : {"storage", "commands", "src"}) {
        for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
            auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".hpp") continue;
            std::ifstream in(entry.path());
            std::stringstream buf;
            buf << in.rdbuf();
            const std::string src = buf.str();
            const std::string rel = fs::relative(entry.path(), root).generic_string();
            auto check = [&](const std::string& sql_arg) {
                ++statements;
                auto rest = squeeze(strip_literals(sql_arg));
                if (!rest.empty() && !kReviewedSql.contains({rel, rest}))
                    problems.push_back(rel + ": SQL built from `" + rest + "`");
            };
            for (auto it = std::sregex_iterator(src.begin(), src.end(), statement);
                 it != std::sregex_iterator(); ++it) {
                auto args = arguments(src, static_cast<std::size_t>(it->position()));
                if (args.size() >= 2) check(args[1]);
            }
            for (auto it = std::sregex_iterator(src.begin(), src.end(), scoped);
                 it != std::sregex_iterator(); ++it) {
                auto open = static_cast<std::size_t>(it->position() + it->length() - 1);
                auto args = arguments(src, open);
                if (args.size() >= 3) check(args[2]);
            }
            for (auto it = std::sregex_iterator(src.begin(), src.end(), prepare);
                 it != std::sregex_iterator(); ++it) {
                auto open = src.find('(', static_cast<std::size_t>(it->position()));
                auto args = arguments(src, open);
                if (!args.empty()) check(args[0]);
            }
            for (auto it = std::sregex_iterator(src.begin(), src.end(), exec);
                 it != std::sregex_iterator(); ++it) {
                auto open = src.find('(', static_cast<std::size_t>(it->position()));
                auto args = arguments(src, open);
                if (!args.empty()) check(args[0]);
            }
            // No raw SQLite calls and no fmt-built SQL anywhere.
            if (src.find("sqlite3_exec") != std::string::npos ||
                src.find("sqlite3_prepare") != std::string::npos)
                problems.push_back(rel + ": raw sqlite3_exec/sqlite3_prepare");
            for (auto pos = src.find("fmt::format("); pos != std::string::npos;
                 pos = src.find("fmt::format(", pos + 1)) {
                auto args = arguments(src, src.find('(', pos));
                if (!args.empty() && std::regex_search(args[0], sql_words))
                    problems.push_back(rel + ": SQL built with fmt::format");
            }
        }
    }
    INFO("statements checked: " << statements);
    for (const auto& p : problems) FAIL_CHECK(p);
    CHECK(problems.empty());
    CHECK(statements > 100);  // the scan really found the repositories' statements
}

TEST_CASE("SQL and SQLiteCpp stay inside storage/", "[security][sql]") {
    // Above storage/ the database is reached through repositories only (the storage seam in
    // storage/database.hpp): no SQLiteCpp header or type, no raw connection, no statement.
    const std::regex raw(R"(SQLiteCpp|SQLite::|\.sql\(\)|\bprepare\s*\(|\bexec\s*\(\s*")");
    const fs::path root = CAREERBOT_SOURCE_DIR;
    int files = 0;
    std::vector<std::string> problems;
    for (const char* dir : {"commands", "src"}) {
        for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
            auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".hpp") continue;
            ++files;
            std::ifstream in(entry.path());
            std::string line;
            for (int n = 1; std::getline(in, line); ++n) {
                if (std::regex_search(line, raw))
                    problems.push_back(fs::relative(entry.path(), root).generic_string() + ":" +
                                       std::to_string(n) + ": " + line);
            }
        }
    }
    for (const auto& p : problems) FAIL_CHECK(p);
    CHECK(files > 50);
}

// ---------------------------------------------------------------------------------------------
// Echo escaping
// ---------------------------------------------------------------------------------------------

namespace {

/// What Slack delivers when someone types these (entities for & < >), and the real markup it
/// delivers for a mention, a user group, @channel and a link made with the composer.
const std::string kEcho =
    "hi <!channel> <!here> <!everyone> <!group> <!subteam^S123|@team> "
    "<https://evil.example|click> <@U123> &lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; "
    "&lt;!subteam^S456|@team&gt; @channel @here @everyone &lt;https://evil.example|click&gt; "
    "&amp;lt; &lt;@U123&gt; end";
/// The same, short enough for a certification name (200 bytes).
const std::string kEchoShort =
    "c <!channel> <!subteam^S1|@team> <https://evil.example|click> &lt;!here&gt; "
    "&lt;@U123&gt; @here &amp;lt;";

/// Markup that would ping or forge a link if it reached Slack unescaped.
const std::vector<std::string> kLive = {"<!channel", "<!here",  "<!everyone", "<!group",
                                        "<!subteam", "|click>", "<@U123",     "<@u123"};

/// Walks everything Slack would see; records live markup, and plain `@channel`-style words in
/// mrkdwn that Slack's automatic parsing could still turn into a ping (not verbatim).
void find_live(const json& j, const std::string& where, std::vector<std::string>& out) {
    static const std::regex plain_ping(R"(@(channel|here|everyone|group|team)\b)");
    // plain_text objects and inputs are never parsed by Slack (a modal's initial_value holds
    // the stored text as typed), so only mrkdwn and fallback texts can carry live markup.
    if (j.is_object() &&
        (j.value("type", "") == "plain_text" || j.value("type", "") == "plain_text_input"))
        return;
    if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        for (const auto& bad : kLive) {
            if (s.find(bad) != std::string::npos) out.push_back(where + ": `" + bad + "` in " + s);
        }
    } else if (j.is_object()) {
        if (j.value("type", "") == "mrkdwn" && j.contains("text") && j["text"].is_string() &&
            std::regex_search(j["text"].get<std::string>(), plain_ping) &&
            !j.value("verbatim", false)) {
            out.push_back(where + ": plain @mention in a non-verbatim mrkdwn text: " +
                          j["text"].get<std::string>());
        }
        for (const auto& [k, v] : j.items()) find_live(v, where, out);
    } else if (j.is_array()) {
        for (const auto& v : j) find_live(v, where, out);
    }
}

}  // namespace

TEST_CASE("echoed text can never ping a channel, a user group or forge a link",
          "[security][escape]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("mentor");
    t.run("dir", "/promo", "level <@eng> L1");

    std::vector<std::pair<std::string, Reply>> replies;
    auto run = [&](const std::string& what, const std::string& user, const std::string& command,
                   const std::string& text) {
        auto r = t.run(user, command, text);
        replies.emplace_back(what, r);
        return r;
    };
    // Commands that store and confirm.
    run("brag", "eng", "/brag", kEcho + " impact: " + kEcho);
    run("feedback", "mgr", "/feedback", "<@eng> " + kEcho);
    run("task for a report", "mgr", "/task", "add " + kEcho + " due friday for <@eng>");
    run("task", "eng", "/task", "add " + kEcho + " due tomorrow");
    run("ido set", "mgr", "/ido", "set <@eng> " + kEcho + " mentor <@mentor>");
    run("ido progress", "eng", "/ido", "progress " + kEcho);
    run("checkin goals", "eng", "/checkin", "goals 1y " + kEcho);
    run("checkin plan", "eng", "/checkin", "plan " + kEcho);
    run("cert", "eng", "/cert", "add " + kEchoShort);
    run("promo petition", "eng", "/promo", "petition L2 " + kEcho);
    run("1on1 schedule", "mgr", "/1on1", "schedule <@eng> tue 10:00");
    // Commands that read it back, as the person and as their managers.
    run("brag list", "eng", "/brag", "list");
    run("brag list by manager", "mgr", "/brag", "list <@eng>");
    run("brag edit preview", "eng", "/brag", "edit 1");
    run("feedback list", "eng", "/feedback", "list");
    run("feedback given", "mgr", "/feedback", "given");
    run("task list", "eng", "/task", "list");
    run("task status by manager", "dir", "/task", "status <@eng>");
    run("task done", "eng", "/task", "done 1");
    run("ido status", "mentor", "/ido", "status <@eng>");
    run("ido done", "mgr", "/ido", "done <@eng>");
    run("checkin status", "mgr", "/checkin", "status <@eng>");
    run("cert list", "mgr", "/cert", "list <@eng>");
    run("promo status", "eng", "/promo", "status");
    run("quarter summary", "mgr", "/quarter-summary", "");
    run("quarter summary of one", "dir", "/quarter-summary", "<@eng>");
    replies.emplace_back("quarter summary in a channel",
                         run_in(t, "dir", "/quarter-summary", "", "C0GENERAL"));
    run("1on1 prep", "mgr", "/1on1", "prep <@eng>");
    // Error messages that quote what was typed.
    run("brag list bad date", "eng", "/brag", "list since " + kEcho);
    run("task unknown", "eng", "/task", kEcho);
    run("ido unknown", "eng", "/ido", kEcho);
    run("away bad date", "eng", "/away", kEcho);
    run("quarter summary bad word", "mgr", "/quarter-summary", kEcho);
    run("unknown command", "eng", "/" + kEcho, "");
    replies.emplace_back("home", t.app.handle(t.services, home_opened(t, "eng")));
    replies.emplace_back("manager home", t.app.handle(t.services, home_opened(t, "mgr")));

    std::vector<std::string> live;
    for (const auto& [what, reply] : replies) {
        INFO(what << ": " << t.text(reply));
        CHECK((reply.message.has_value() || reply.home_view.has_value()));
        find_live(slack_side(reply), what, live);
    }
    for (const auto& l : live) FAIL_CHECK(l);

    // The texts really were echoed (escaped), so the checks above looked at them.
    auto shown = [&](const std::string& what) {
        for (const auto& [w, r] : replies)
            if (w == what) return slack_side(r).dump();
        return std::string();
    };
    for (const char* what :
         {"brag", "brag list", "feedback", "task", "ido progress", "ido status", "checkin status",
          "home", "manager home", "1on1 prep", "quarter summary", "promo petition"}) {
        INFO(what);
        CHECK_THAT(shown(what), Catch::Contains("&lt;!channel&gt;"));
    }
    CHECK_THAT(shown("cert list"), Catch::Contains("&lt;@U123&gt;"));
    // A typed "&lt;" is shown as the four characters it was, not as "<".
    CHECK_THAT(shown("brag list"), Catch::Contains("&amp;lt;"));
    // Rendered for a terminal, the typed markup reads literally.
    CHECK_THAT(t.say("eng", "/brag", "list"), Catch::Contains("<!channel>"));
}

TEST_CASE("blocks::escape escapes exactly Slack's three control characters", "[security][escape]") {
    CHECK(blocks::escape("<!channel> & <@U1|x> <http://a|b>") ==
          "&lt;!channel&gt; &amp; &lt;@U1|x&gt; &lt;http://a|b&gt;");
    CHECK(blocks::escape("&lt;") == "&amp;lt;");
    CHECK(blocks::escape("naïve 🎉 \"quotes\" 'single' *bold* _it_") ==
          "naïve 🎉 \"quotes\" 'single' *bold* _it_");
    // mrkdwn text objects are verbatim, so Slack's automatic parsing cannot turn a plain
    // "@here" or a bare URL from user text into a ping or a link.
    auto s = blocks::section("@here https://x.example");
    CHECK(s["text"]["verbatim"] == true);
    auto c = blocks::context("@channel");
    CHECK(c["elements"][0]["verbatim"] == true);
}

TEST_CASE("careerbot never asks Slack to auto-link names in what it posts", "[security][escape]") {
    // link_names=1 or parse=full would turn a plain "@channel" in fallback text into a ping.
    const fs::path root = CAREERBOT_SOURCE_DIR;
    for (const char* dir : {"src", "commands"}) {
        for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
            if (!entry.is_regular_file()) continue;
            std::ifstream in(entry.path());
            std::stringstream buf;
            buf << in.rdbuf();
            INFO(entry.path().string());
            CHECK(buf.str().find("link_names") == std::string::npos);
            CHECK(buf.str().find("\"parse\"") == std::string::npos);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Visibility on every read path
// ---------------------------------------------------------------------------------------------

namespace {

// Org:   dir ── mgr ──┬── eng   (has records)
//                     ├── blank (no records at all)
//                     └── peer
//        eng ── intern; other_dir ── other; admin (config), stranger, mentor (eng's IDO),
//        author (wrote feedback for eng).
void visibility_org(TestApp& t) {
    use_example_levels();
    t.config.org.admins = {"admin"};
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("blank", "mgr");
    t.person("peer", "mgr");
    t.person("intern", "eng");
    t.person("other", "other_dir");
    for (const char* p : {"admin", "stranger", "mentor", "author"}) t.person(p);
    t.run("eng", "/brag", "SECRET-BRAG shipped it #design impact: SECRET-IMPACT");
    t.run("eng", "/task", "add SECRET-TASK due friday");
    t.run("eng", "/ido", "set SECRET-IDO mentor <@mentor>");
    t.run("eng", "/ido", "progress SECRET-NOTE");
    t.run("eng", "/checkin", "goals 6m SECRET-GOAL");
    t.run("eng", "/checkin", "done");
    t.run("eng", "/cert", "add SECRET-CERT");
    t.run("author", "/feedback", "<@eng> SECRET-FEEDBACK");
    t.run("mgr", "/promo", "level <@eng> L1");
}

struct ReadPath {
    const char* command;
    const char* args;    ///< "{}" is replaced by the mention of the person asked about
    const char* secret;  ///< what an allowed viewer sees of eng's records
    std::set<std::string> allowed;
};

const std::vector<ReadPath>& read_paths() {
    static const std::vector<ReadPath> paths = {
        {"/brag", "list {}", "SECRET-BRAG", {"eng", "mgr", "dir"}},
        {"/brag", "list {} since 2026-01-01 page 1", "SECRET-BRAG", {"eng", "mgr", "dir"}},
        {"/brag", "export md {}", "SECRET-BRAG", {"eng", "mgr", "dir"}},
        {"/brag", "export json 2026Q4 {}", "SECRET-IMPACT", {"eng", "mgr", "dir"}},
        {"/task", "list {}", "SECRET-TASK", {"eng", "mgr", "dir"}},
        {"/task", "status {}", "SECRET-TASK", {"eng", "mgr", "dir"}},
        {"/task", "done {} 1", "SECRET-TASK", {"eng", "mgr", "dir"}},
        {"/ido", "status {}", "SECRET-IDO", {"eng", "mgr", "dir", "mentor"}},
        {"/checkin", "status {}", "SECRET-GOAL", {"eng", "mgr", "dir"}},
        {"/cert", "list {}", "SECRET-CERT", {"eng", "mgr", "dir"}},
        {"/promo", "status {}", "Promotion status", {"eng", "mgr", "dir"}},
        {"/feedback", "list {}", "SECRET-FEEDBACK", {"eng", "mgr", "dir", "author"}},
        // The quarter summary is a view of one's org: not of oneself.
        {"/quarter-summary", "{}", "SECRET-BRAG", {"mgr", "dir"}},
    };
    return paths;
}

/// What the person asking sees, everything included (messages, DMs, files).
std::string everything(TestApp& t, const Reply& r) {
    std::string out = t.text(r) + slack_side(r).dump();
    for (const auto& f : r.files) out += f.title + f.filename + f.content;
    return out;
}

}  // namespace

TEST_CASE("every read command refuses outsiders alike and lets the chain read",
          "[security][visibility]") {
    const std::vector<std::string> viewers = {"eng",  "mgr",    "dir",      "mentor", "author",
                                              "peer", "intern", "stranger", "admin",  "other_dir"};
    for (const auto& path : read_paths()) {
        for (const auto& viewer : viewers) {
            // A fresh org each time: /task done changes state.
            TestApp t;
            visibility_org(t);
            auto args_for = [&](const std::string& who) {
                std::string a = path.args;
                a.replace(a.find("{}"), 2, "<@" + who + ">");
                return a;
            };
            INFO(path.command << " " << path.args << " as " << viewer);
            auto reply = t.run(viewer, path.command, args_for("eng"));
            auto seen = everything(t, reply);
            if (path.allowed.contains(viewer)) {
                CHECK_THAT(seen, Catch::Contains(path.secret));
                CHECK_THAT(seen, !Catch::Contains(":lock:"));
                continue;
            }
            // Refused: one clear ephemeral message, nothing else, no record content.
            REQUIRE(reply.message);
            CHECK_FALSE(reply.in_channel);
            CHECK(reply.more.empty());
            CHECK(reply.dms.empty());
            CHECK(reply.files.empty());
            CHECK_FALSE(reply.home_view);
            for (const char* s : {"SECRET", "Promotion status"})
                CHECK_THAT(seen, !Catch::Contains(s));
            const auto refusal = t.text(reply);
            CHECK((refusal.find(":lock:") != std::string::npos ||
                   refusal.find("You have no reports") != std::string::npos));
            // Someone with records, someone without any and someone unknown read the same.
            CHECK(t.text(t.run(viewer, path.command, args_for("blank"))) == refusal);
            CHECK(t.text(t.run(viewer, path.command, args_for("ghost"))) == refusal);
        }
    }
}

TEST_CASE("the App Home shows a person's data only to them and their manager",
          "[security][visibility]") {
    TestApp t;
    visibility_org(t);
    auto home = [&](const std::string& who) {
        return slack_side(t.app.handle(t.services, home_opened(t, who))).dump();
    };
    CHECK_THAT(home("eng"), Catch::Contains("SECRET-BRAG"));
    CHECK_THAT(home("eng"), Catch::Contains("SECRET-TASK"));
    CHECK_THAT(home("mgr"), Catch::Contains("SECRET-TASK"));  // the reports table
    CHECK_THAT(home("mgr"), Catch::Contains("SECRET-IDO"));
    for (const char* outsider :
         {"peer", "intern", "stranger", "admin", "other_dir", "mentor", "author", "blank"}) {
        INFO(outsider);
        CHECK_THAT(home(outsider), !Catch::Contains("SECRET"));
    }
}

TEST_CASE("page buttons of someone's brag list are checked like the command",
          "[security][visibility]") {
    TestApp t;
    visibility_org(t);
    Interaction in;
    in.type = "block_actions";
    in.key = "brag_list_page";
    in.value = json{{"u", "eng"}, {"s", ""}, {"p", 1}}.dump();
    in.user_id = "peer";
    auto refused = t.text(t.app.handle(t.services, in));
    CHECK_THAT(refused, Catch::Contains(":lock:"));
    CHECK_THAT(refused, !Catch::Contains("SECRET"));
    in.value = json{{"u", "ghost"}, {"s", ""}, {"p", 1}}.dump();
    CHECK(t.text(t.app.handle(t.services, in)) == refused);
    in.user_id = "dir";
    in.value = json{{"u", "eng"}, {"s", ""}, {"p", 1}}.dump();
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("SECRET-BRAG"));
}

TEST_CASE("one person's quarter summary asked in a channel stays private",
          "[security][visibility]") {
    TestApp t;
    visibility_org(t);
    auto reply = run_in(t, "dir", "/quarter-summary", "<@eng>", "C0GENERAL");
    // Not posted to the channel, and no chart upload (Slack files land in the channel).
    CHECK_FALSE(reply.in_channel);
    CHECK(reply.files.empty());
    CHECK_THAT(t.text(reply), Catch::Contains("SECRET-BRAG"));
    // The org-wide summary still posts counts to the channel and the detail privately.
    auto org = run_in(t, "dir", "/quarter-summary", "", "C0GENERAL");
    CHECK(org.in_channel);
    CHECK_THAT(org.message->text + org.message->blocks.dump(), !Catch::Contains("SECRET"));
}

// ---------------------------------------------------------------------------------------------
// Audit log
// ---------------------------------------------------------------------------------------------

namespace {

std::vector<storage::AuditEntry> audit_rows(TestApp& t) {
    auto rows = storage::AuditRepo(t.db).list({});
    std::reverse(rows.begin(), rows.end());  // oldest first, as they were written
    return rows;
}

std::string row(const storage::AuditEntry& e) {
    return e.actor + "|" + e.action + "|" + e.subject + "|" + e.scope + "|" + e.detail;
}

}  // namespace

TEST_CASE("every audited read writes exactly one row", "[security][audit]") {
    TestApp t;
    visibility_org(t);
    REQUIRE(audit_rows(t).empty());  // setting the org up read nobody's data

    // Not audited: one's own list, refusals, and reads that show nothing of anyone else's.
    t.run("eng", "/brag", "list");
    t.run("peer", "/brag", "list <@eng>");
    t.run("peer", "/brag", "export <@eng>");
    t.run("peer", "/quarter-summary", "<@eng>");
    t.run("dir", "/quarter-summary", "<@other>");
    CHECK(audit_rows(t).empty());

    t.run("mgr", "/brag", "list <@eng> since 2026-10-01 page 1");
    t.run("eng", "/brag", "export csv 2026Q4");
    t.run("dir", "/brag", "export <@eng>");
    t.run("dir", "/quarter-summary", "<@eng> 2026Q4");
    t.run("dir", "/quarter-summary", "");
    t.run("eng", "/promo", "petition L2 I lead the storage work");
    Interaction page;
    page.type = "block_actions";
    page.key = "brag_list_page";
    page.value = json{{"u", "eng"}, {"s", ""}, {"p", 1}}.dump();
    page.user_id = "dir";
    t.app.handle(t.services, page);

    std::vector<std::string> got;
    for (const auto& e : audit_rows(t)) got.push_back(row(e));
    CHECK(got == std::vector<std::string>{
                     "mgr|brag_list|eng|brags|since 2026-10-01 page 1",
                     "eng|brag_export|eng|brags+feedback|csv 2026Q4",
                     "dir|brag_export|eng|brags+feedback|md",
                     "dir|quarter_summary|eng|person|2026Q4 (1 person)",
                     "dir|quarter_summary|all|org:dir|2026Q4 (5 people)",
                     "eng|promo_packet|eng|petition|L2 sent to mgr",
                     "dir|brag_list|eng|brags|page 1",
                 });
    for (const auto& e : audit_rows(t)) CHECK(e.at == to_unix(t.clock.now()));

    // Reading the log: by subject (org-wide summaries of an org eng is in count), by actor,
    // since a day, and a limit; newest first.
    storage::AuditRepo audit(t.db);
    auto query = [](std::optional<std::string> subject, std::optional<std::string> actor,
                    int64_t since = 0, int limit = 100) {
        storage::AuditQuery q;
        q.subject = std::move(subject);
        q.actor = std::move(actor);
        q.since = since;
        q.limit = limit;
        return q;
    };
    CHECK(audit.list(query("eng", std::nullopt)).size() == 7);
    CHECK(audit.list(query("other", std::nullopt)).empty());
    auto by_dir = audit.list(query(std::nullopt, "dir"));
    CHECK(by_dir.size() == 4);
    CHECK(row(by_dir.front()) == "dir|brag_list|eng|brags|page 1");
    CHECK(audit.list(query("eng", "dir", 0, 2)).size() == 2);
    CHECK(audit.list(query("eng", "mgr")).size() == 1);
    CHECK(audit.list(query(std::nullopt, std::nullopt, to_unix(t.clock.now()) + 1)).empty());
}

TEST_CASE(
    "the summary's audit row is its own autocommit write off the write path, and a "
    "failure to write it never costs the summary",
    "[security][audit]") {
    TestApp t;
    visibility_org(t);
    Request r;
    r.user_id = "dir";
    r.command = "/quarter-summary";
    r.channel_id = "D1";
    r.received_at = t.clock.now();
    r.source = "test";

    // handle_read runs with no transaction open: the row is committed at once.
    auto reply = t.app.handle_read(t.services, r);
    CHECK_THAT(t.text(reply), Catch::Contains("SECRET-BRAG"));
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'quarter_summary' AND "
                  "subject = 'all' AND scope = 'org:dir'") == 1);

    // The log cannot be written: the summary still comes back, with a warning in the log.
    std::ostringstream captured;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
    add_sink(sink);
    t.db.exec("DROP TABLE audit_log");
    auto again = t.app.handle_read(t.services, r);
    remove_sink(sink);
    CHECK_THAT(t.text(again), Catch::Contains("SECRET-BRAG"));
    CHECK_THAT(t.text(again), !Catch::Contains("went wrong"));
    CHECK_THAT(captured.str(), Catch::Contains("could not write the audit log entry"));
}
