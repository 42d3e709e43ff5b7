#pragma once
// The end-to-end fixture the Slack tests share: the Slack test server on 127.0.0.1, a temp
// dir with a fresh database, and the real careerbot binary run against them (its CLI to the
// end, or `careerbot run` in the background), with helpers to send commands and clicks and to
// read what the bot logged. A test file derives from BotFixture for its own helpers.
#include <catch2/catch.hpp>

#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/support/process.hpp"

namespace careerbot::testing {

using Env = std::map<std::string, std::optional<std::string>>;

/// How to start the careerbot binary in `cwd` with `args`, as a bot holding these tokens and
/// talking to `server`; `env` overrides that environment (nullopt unsets). No output files.
inline ChildOptions careerbot_process(const std::filesystem::path& cwd,
                                      const SlackTestServer& server, const std::string& bot_token,
                                      const std::string& app_token, std::vector<std::string> args,
                                      const Env& env = {}) {
    ChildOptions o;
    o.executable = CAREERBOT_BINARY;
    o.args = std::move(args);
    o.cwd = cwd;
    o.env = slack_bot_env(bot_token, app_token, server.api_url());
    for (const auto& [k, v] : env) o.env[k] = v;
    return o;
}

/// A slash command from `user` (U0ALICE has the name "alice") in `channel` (default: the
/// user's DM), as Slack sends it.
inline SlashCommand slash_command(const std::string& user, const std::string& command,
                                  const std::string& text, const std::string& channel = "") {
    SlashCommand c;
    c.user_id = user;
    c.user_name = user.substr(2);
    for (auto& ch : c.user_name) ch = static_cast<char>(std::tolower(ch));
    c.command = command;
    c.text = text;
    c.channel_id = channel.empty() ? "D" + user.substr(1) : channel;
    c.channel_name = c.channel_id.front() == 'D' ? "directmessage" : "general";
    return c;
}

/// A feedback reaction (star-struck) by Alice to Bob's message `ts` in #general.
inline nlohmann::json star_reaction(const std::string& ts) {
    return {{"type", "reaction_added"},
            {"user", "U0ALICE"},
            {"reaction", "star-struck"},
            {"item_user", "U0BOB"},
            {"item", {{"type", "message"}, {"channel", "C0GENERAL"}, {"ts", ts}}},
            {"event_ts", "1763460100.000100"}};
}

/// The view_submission of the "new brag" form (callback brag_new) by `user` (named `name`).
inline nlohmann::json brag_form_submission(const std::string& user, const std::string& name,
                                           const std::string& text,
                                           const std::string& view_id = "V0BRAG") {
    return {{"type", "view_submission"},
            {"user", {{"id", user}, {"name", name}}},
            {"view",
             {{"id", view_id},
              {"callback_id", "brag_new"},
              {"private_metadata", ""},
              {"state",
               {{"values",
                 {{"text", {{"value", {{"type", "plain_text_input"}, {"value", text}}}}}}}}}}}};
}

/// Live feedback rows about `subject` whose text is LIKE `like`, read from the bot's database
/// through a connection of its own, as a user would.
inline int feedback_count(const std::filesystem::path& db, const std::string& subject,
                          const std::string& like = "%") {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    SQLite::Statement st(d, "SELECT count(*) FROM feedback WHERE subject_id = ? AND text LIKE ?");
    st.bind(1, subject);
    st.bind(2, like);
    st.executeStep();
    return st.getColumn(0).getInt();
}

/// A test server (started), a temp dir with a database path, and the bot run against them.
class BotFixture {
  public:
    /// `tag` names the temp dir; the server accepts exactly these tokens, and the bot gets them.
    BotFixture(const std::string& tag, std::string bot_token, std::string app_token)
        : bot_token_(std::move(bot_token)),
          app_token_(std::move(app_token)),
          dir_(tag),
          db_(dir_ / "careerbot.db"),
          server(server_options(bot_token_, app_token_)) {
        server.start();
    }
    ~BotFixture() {
        bot.reset();
        server.stop();
        // CAREERBOT_E2E_SHOW_LOGS=1 prints what the bot logged, for debugging a failure.
        if (std::getenv("CAREERBOT_E2E_SHOW_LOGS")) std::fprintf(stderr, "%s", logs().c_str());
    }
    BotFixture(const BotFixture&) = delete;
    BotFixture& operator=(const BotFixture&) = delete;

    /// Runs `careerbot --db DB <args>` to the end; the exit code (its output is printed when
    /// it is not 0).
    int run_cli(const std::vector<std::string>& args) {
        std::vector<std::string> all{"--db", db_.string()};
        all.insert(all.end(), args.begin(), args.end());
        ChildOptions o = careerbot_process(dir_.path(), server, bot_token_, app_token_, all, env);
        o.stdout_path = o.stderr_path = dir_ / "cli.log";
        ChildProcess p(o);
        int code = p.wait(std::chrono::seconds{20}).value_or(-1);
        if (code != 0) std::fprintf(stderr, "%s", read_text(dir_ / "cli.log").c_str());
        return code;
    }

    /// Migrates the database and imports `csv` as the org chart; the first failing exit code.
    int import_org(const std::string& csv) {
        std::filesystem::path file = dir_ / "org.csv";
        std::ofstream(file) << csv;
        int migrated = run_cli({"migrate"});
        return migrated != 0 ? migrated : run_cli({"import-org", file.string()});
    }

    /// Starts `careerbot run` (replacing a running one); `env_over` overrides the environment
    /// (nullopt unsets). `global_args` go before `run` (e.g. `--now`).
    void start_bot(const Env& env_over = {}, const std::vector<std::string>& global_args = {}) {
        bot.reset();
        logs_.push_back(dir_ / ("bot-" + std::to_string(logs_.size()) + ".log"));
        std::vector<std::string> args{"--db", db_.string()};
        if (!log_level.empty()) args.insert(args.end(), {"--log-level", log_level});
        args.insert(args.end(), global_args.begin(), global_args.end());
        args.push_back("run");
        args.insert(args.end(), run_args.begin(), run_args.end());
        Env all = env;
        for (const auto& [k, v] : env_over) all[k] = v;
        ChildOptions o = careerbot_process(dir_.path(), server, bot_token_, app_token_, args, all);
        o.stdout_path = o.stderr_path = logs_.back();
        bot = std::make_unique<ChildProcess>(o);
    }

    /// Starts the bot and waits until `hellos` hellos were sent in total.
    void start_connected(std::uint64_t hellos = 1) {
        start_bot();
        REQUIRE(server.wait_for_hello_count(hellos, std::chrono::seconds{10}));
    }

    /// SIGTERM, then the exit code (-1 if it did not exit in time).
    int stop_bot() {
        bot->signal(SIGTERM);
        return bot->wait(std::chrono::seconds{8}).value_or(-1);
    }

    /// Everything every run of the bot logged.
    std::string logs() const {
        std::string all;
        for (const auto& l : logs_) all += read_text(l);
        return all;
    }
    /// The last run's log.
    std::string last_log() const { return logs_.empty() ? "" : read_text(logs_.back()); }
    /// Waits until the bot logged `needle`.
    bool log_contains(const std::string& needle,
                      std::chrono::milliseconds timeout = std::chrono::seconds{5}) const {
        return wait_until([&] { return logs().find(needle) != std::string::npos; }, timeout);
    }
    /// Tokens and socket tickets never reach a log line.
    void check_logs_clean() const {
        const std::string all = logs();
        CHECK(all.find(bot_token_) == std::string::npos);
        CHECK(all.find(app_token_) == std::string::npos);
        CHECK(all.find("ticket=") == std::string::npos);
    }

    /// A slash command from `user` (U0ALICE has the name "alice") in `channel` (default: the
    /// user's DM); its ack (REQUIREd).
    Ack command(const std::string& user, const std::string& command, const std::string& text,
                const std::string& channel = "") {
        last = server.send_slash_command(slash_command(user, command, text, channel));
        auto ack = server.wait_for_ack(last.envelope_id, std::chrono::seconds{10});
        INFO(command << " " << text.substr(0, 80));
        REQUIRE(ack);
        return *ack;
    }

    /// A slash command from `user` (user_name = the id, no channel), acked within Slack's 3
    /// seconds; the ack's payload as JSON text ("null" for an empty ack).
    std::string slash(const std::string& user, const std::string& command,
                      const std::string& text) {
        SlashCommand c;
        c.user_id = user;
        c.user_name = user;
        c.command = command;
        c.text = text;
        auto ack =
            server.wait_for_ack(server.send_slash_command(c).envelope_id, std::chrono::seconds{5});
        REQUIRE(ack);
        CHECK(ack->latency < std::chrono::seconds{3});
        return ack->payload.dump();
    }

    /// Clicks a button as `user`; returns once acked.
    void click(const std::string& user, const std::string& action_id, const std::string& value,
               const std::string& channel) {
        nlohmann::json payload{{"type", "block_actions"},
                               {"user", {{"id", user}, {"name", user}}},
                               {"container", {{"type", "message"}, {"channel_id", channel}}},
                               {"channel", {{"id", channel}}},
                               {"response_url", server.issue_response_url()},
                               {"actions", nlohmann::json::array({{{"action_id", action_id},
                                                                   {"block_id", "b"},
                                                                   {"value", value},
                                                                   {"type", "button"}}})}};
        auto id = server.send_interactive(payload);
        REQUIRE(server.wait_for_ack(id, std::chrono::seconds{10}));
    }

    /// Waits until the bot has been quiet towards Slack for `quiet` (at most `limit`).
    void settle(std::chrono::milliseconds quiet = std::chrono::milliseconds{400},
                std::chrono::milliseconds limit = std::chrono::seconds{15}) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        std::size_t seen = server.call_count();
        auto since = std::chrono::steady_clock::now();
        while (std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds{50});
            std::size_t now = server.call_count();
            if (now != seen) {
                seen = now;
                since = std::chrono::steady_clock::now();
            } else if (std::chrono::steady_clock::now() - since >= quiet &&
                       server.stats().outstanding == 0) {
                return;
            }
        }
    }

    /// The bot's database file.
    const std::filesystem::path& db_path() const { return db_; }
    /// The temp dir (the bot's working directory).
    const TempDir& dir() const { return dir_; }

  private:
    static SlackTestServer::Options server_options(const std::string& bot_token,
                                                   const std::string& app_token) {
        SlackTestServer::Options o;
        o.bot_token = bot_token;
        o.app_token = app_token;
        return o;
    }

    std::string bot_token_;
    std::string app_token_;
    TempDir dir_;
    std::filesystem::path db_;
    std::vector<std::filesystem::path> logs_;

  public:
    SlackTestServer server;
    std::unique_ptr<ChildProcess> bot;
    /// Changes to the environment of every careerbot process (nullopt unsets).
    Env env;
    /// `--log-level` of `careerbot run`; empty: not given.
    std::string log_level = "debug";
    /// Arguments after `run`: no /healthz port by default, so parallel tests do not collide.
    std::vector<std::string> run_args{"--ops-port", "0"};
    /// The last envelope command() sent.
    SentEnvelope last;
};

}  // namespace careerbot::testing
