// Tokens never reach a log (issue #7): the real binary against the Slack test server, at debug
// level, in text and JSON, through connect, a /brag, a 429, an ok:false, a mistyped token and
// an invalid_auth stop; then every byte it wrote is searched for the tokens and for any 12+
// character piece of them. A hidden test ("[.token-scan]", run last by ctest) does the same
// over every bot log the whole e2e suite kept in $CAREERBOT_E2E_LOG_DIR.
#include <algorithm>
#include <catch2/catch.hpp>

#include <pwd.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Distinctive, and unlike any other test's, so a hit can only come from this test's runs.
const std::string kBotToken = "xoxb-7301-sec-e2e-bot-Qm4Zt9Lw2Rk8";
const std::string kAppToken = "xapp-1-A0SEC-sec-e2e-app-Hv6Np3Jx5Ds1";

/// Every piece of `token` at least `min` characters long, shortest first (enough to search:
/// a longer piece contains a `min`-long one).
std::vector<std::string> pieces(const std::string& token, std::size_t min = 12) {
    std::vector<std::string> out;
    if (token.size() < min) return {token};
    for (std::size_t i = 0; i + min <= token.size(); ++i) out.push_back(token.substr(i, min));
    return out;
}

/// The first piece of any token found in `text`, or "".
std::string leaked(const std::string& text, const std::vector<std::string>& tokens) {
    for (const auto& t : tokens) {
        for (const auto& p : pieces(t)) {
            if (text.find(p) != std::string::npos) return p;
        }
    }
    return "";
}

/// Anything shaped like a Slack token (a prefix followed by its characters).
bool token_shaped(const std::string& text) {
    static const std::regex shape(R"((xox[abeoprs]|xapp)-[A-Za-z0-9]{2,})");
    return std::regex_search(text, shape);
}

/// The bot process of one run, with separate stdout and stderr files in its own directory.
struct Run {
    TempDir dir{"sec"};
    std::unique_ptr<ChildProcess> bot;

    void start(const SlackTestServer& server, const std::vector<std::string>& args,
               const Env& env = {}) {
        std::vector<std::string> all{"--db", (dir / "careerbot.db").string()};
        all.insert(all.end(), args.begin(), args.end());
        ChildOptions o = careerbot_process(dir.path(), server, kBotToken, kAppToken, all, env);
        o.stdout_path = dir / "stdout.log";
        o.stderr_path = dir / "stderr.log";
        bot = std::make_unique<ChildProcess>(o);
    }

    /// Every file the run wrote except the database: stdout, stderr and any log file.
    std::string output() const {
        std::string all;
        for (const auto& e : fs::recursive_directory_iterator(dir.path())) {
            if (!e.is_regular_file()) continue;
            auto name = e.path().filename().string();
            if (name.starts_with("careerbot.db")) continue;
            all += read_text(e.path());
        }
        return all;
    }
};

json brag_modal_submission() {
    return brag_form_submission("U0ALICE", "alice", "rotated the signing keys #security", "V0SEC");
}

}  // namespace

TEST_CASE("no token or piece of one reaches stdout, stderr or a log, in text or JSON",
          "[e2e][slack][security]") {
    SlackTestServer::Options options;
    options.bot_token = kBotToken;
    options.app_token = kAppToken;
    SlackTestServer server(options);
    server.start();
    std::vector<std::string> outputs;

    for (const std::string format : {"json", "text"}) {
        INFO("log format " << format);
        Run run;
        const auto hellos = server.stats().hellos_sent;
        run.start(server, {"--log-level", "debug", "--log-format", format, "run"});
        REQUIRE(server.wait_for_hello_count(hellos + 1, 10s));

        // A /brag answered in the ack (the bot token also goes out on users.info).
        SlashCommand c;
        c.text = "hardened the bot #security";
        auto sent = server.send_slash_command(c);
        auto ack = server.wait_for_ack(sent.envelope_id, 5s);
        REQUIRE(ack);
        CHECK(ack->payload.dump().find("Logged brag") != std::string::npos);

        // A 429 on chat.postMessage, waited out; then an ok:false, which is logged.
        const auto before = server.call_count("chat.postMessage");
        server.rate_limit_next("chat.postMessage", 1);
        server.send_interactive(brag_modal_submission());
        auto delivered = server.wait_for_call("chat.postMessage", 10s, [&](const ApiCall& call) {
            return call.sequence >= before && call.http_status == 200;
        });
        REQUIRE(delivered);
        CHECK(delivered->token == kBotToken);  // the bot really used the token
        server.fail_next("chat.postMessage", "channel_not_found");
        server.send_interactive(brag_modal_submission());
        REQUIRE(server.wait_for_call("chat.postMessage", 10s, [](const ApiCall& call) {
            return call.response.is_object() && !call.response.value("ok", true);
        }));

        if (format == "json") {
            // invalid_auth on the next connect stops the bot with a clear line.
            server.set_connections_open_error("invalid_auth");
            REQUIRE(server.drop_connection());
            auto code = run.bot->wait(15s);
            REQUIRE(code);
            CHECK(*code != 0);
            server.set_connections_open_error("");
        } else {
            run.bot->signal(SIGTERM);
            CHECK(run.bot->wait(8s).value_or(-1) == 0);
        }
        auto out = run.output();
        CHECK_THAT(out, Catch::Contains("debug"));  // debug lines really were written
        if (format == "json") {
            CHECK_THAT(out, Catch::Contains("invalid_auth"));
            // One JSON object per line: the JSON sink is what was really exercised.
            std::istringstream lines(read_text(run.dir / "stderr.log"));
            int parsed = 0;
            for (std::string line; std::getline(lines, line);) {
                if (line.empty()) continue;
                auto j = json::parse(line, nullptr, false);
                CHECK_FALSE(j.is_discarded());
                if (!j.is_discarded()) ++parsed;
            }
            CHECK(parsed > 5);
        }
        outputs.push_back(out);
    }

    // Mistyped tokens are refused by name, never by value.
    {
        Run run;
        run.start(server, {"--log-level", "debug", "run"}, {{"SLACK_BOT_TOKEN", kAppToken}});
        REQUIRE(run.bot->wait(5s));
        run.start(server, {"--log-level", "debug", "--log-format", "json", "run"},
                  {{"SLACK_APP_TOKEN", kBotToken}});
        REQUIRE(run.bot->wait(5s));
        auto out = run.output();
        CHECK_THAT(out, Catch::Contains("SLACK_BOT_TOKEN"));
        CHECK_THAT(out, Catch::Contains("SLACK_APP_TOKEN"));
        outputs.push_back(out);
    }
    server.stop();

    for (const auto& out : outputs) {
        REQUIRE_FALSE(out.empty());
        auto piece = leaked(out, {kBotToken, kAppToken});
        INFO("leaked piece: " << piece);
        CHECK(piece.empty());
        CHECK_FALSE(token_shaped(out));
    }
}

TEST_CASE("every bot log the e2e suite kept is free of the tests' tokens", "[.token-scan]") {
    const char* dir = std::getenv("CAREERBOT_E2E_LOG_DIR");
    REQUIRE(dir != nullptr);
    // The fake tokens every e2e test and the test server use, read from their sources so a new
    // test's token is scanned for without anyone remembering to list it here.
    std::set<std::string> tokens;
    const std::regex literal(R"re("((?:xox[abeoprs]|xapp)-[^"\s]{6,})")re");
    const fs::path src = CAREERBOT_SOURCE_DIR;
    for (const auto* sub : {"tests/e2e", "tests/slack_server"}) {
        for (const auto& e : fs::directory_iterator(src / sub)) {
            auto text = read_text(e.path());
            for (auto it = std::sregex_iterator(text.begin(), text.end(), literal);
                 it != std::sregex_iterator(); ++it) {
                tokens.insert((*it)[1].str());
            }
        }
    }
    CHECK(tokens.contains(kBotToken));
    CHECK(tokens.contains(kAppToken));
    CHECK(tokens.size() >= 4);
    const std::vector<std::string> all(tokens.begin(), tokens.end());

    int files = 0;
    if (fs::exists(dir)) {
        for (const auto& e : fs::directory_iterator(dir)) {
            if (!e.is_regular_file()) continue;
            ++files;
            auto text = read_text(e.path());
            auto piece = leaked(text, all);
            INFO(e.path().filename().string() << ": " << piece);
            CHECK(piece.empty());
            CHECK_FALSE(token_shaped(text));
        }
    }
    INFO("no bot logs in " << dir << "; run the e2e tests first (ctest -R e2e)");
    CHECK(files > 0);
}

TEST_CASE("careerbot export is audited as cli:<user> and careerbot audit prints the log",
          "[e2e][cli][security]") {
    TempDir dir("audit");
    const std::string db = (dir / "careerbot.db").string();
    {
        std::ofstream csv(dir / "org.csv");
        csv << "user_id,name,manager_id\nU01DIR,dana,\nU02MGR,mo,U01DIR\nU03ENG,eve,U02MGR\n";
    }
    auto run = [&](const std::vector<std::string>& args) {
        fs::remove(dir / "out.txt");
        ChildOptions o;
        o.executable = CAREERBOT_BINARY;
        o.args = {"--db", db};
        o.args.insert(o.args.end(), args.begin(), args.end());
        o.cwd = dir.path();
        o.stdout_path = dir / "out.txt";
        o.stderr_path = dir / "err.txt";
        o.env = {{"CAREERBOT_CONFIG", std::nullopt}};
        ChildProcess p(o);
        int code = p.wait(20s).value_or(-1);
        return std::pair<int, std::string>{code, read_text(dir / "out.txt")};
    };
    REQUIRE(run({"migrate"}).first == 0);  // the other commands do not create a database
    REQUIRE(
        run({"--now", "2026-11-19T09:00:00Z", "import-org", (dir / "org.csv").string()}).first ==
        0);
    const passwd* pw = ::getpwuid(::geteuid());
    REQUIRE(pw != nullptr);
    const std::string me = "cli:" + std::string(pw->pw_name);
    // Importing the org chart read nobody's data; it drew two reporting lines, and those are
    // audited as changes to who may read whom.
    {
        auto imported = run({"audit"}).second;
        CHECK(imported.find("cli_export") == std::string::npos);
        const std::regex two(
            "(2026-11-19T09:00:0[0-9]Z\t" + me +
            "\torg_import\tU0(2MGR|3ENG)\torg\tmanager: none -> U0(1DIR|2MGR)\n){2}");
        INFO(imported);
        CHECK(std::regex_match(imported, two));
    }
    REQUIRE(run({"--now", "2026-11-20T09:00:00Z", "export", "--person", "eve", "--format", "csv",
                 "--quarter", "2026Q4"})
                .first == 0);

    // One line: the time (the --now clock, a second or two in), then the fields.
    const std::string exported =
        "2026-11-20T09:00:0[0-9]Z\t" + me + "\tcli_export\tU03ENG\tbrags[+]feedback\tcsv 2026Q4\n";
    const std::string placed =
        "2026-11-19T09:00:0[0-9]Z\t" + me + "\torg_import\tU03ENG\torg\tmanager: none -> U02MGR\n";
    auto [code, out] = run({"audit", "--subject", "U03ENG"});
    CHECK(code == 0);
    INFO(out);
    CHECK(std::regex_match(out, std::regex(exported + placed)));
    auto lines = [](const std::string& text) { return std::count(text.begin(), text.end(), '\n'); };
    CHECK(lines(run({"audit"}).second) == 3);
    CHECK(lines(run({"audit", "--actor", me}).second) == 3);
    CHECK(run({"audit", "--actor", "U02MGR"}).second.empty());
    CHECK_THAT(run({"audit", "--subject", "U02MGR"}).second,
               Catch::Contains("org_import\tU02MGR") && !Catch::Contains("cli_export"));
    CHECK(std::regex_match(run({"audit", "--since", "2026-11-20", "--limit", "1"}).second,
                           std::regex(exported)));
    CHECK(run({"audit", "--since", "2026-11-21"}).second.empty());
    CHECK(run({"audit", "--since", "last week"}).first == 2);
    CHECK_THAT(read_text(dir / "err.txt"), Catch::Contains("--since must look like 2026-11-01"));
}
