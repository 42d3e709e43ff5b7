// Crash consistency (hardening issue): drives /brag load through the in-repo Slack test server
// at the real careerbot binary and kills it with SIGKILL at random moments, restarting it on
// the same database each time. Afterwards every brag whose ack reached the server must be in
// the database, and no brag may be there twice.
//
//   crash_consistency [--kills 50] [--binary PATH] [--seed N] [--max-run-ms 400] [--keep DIR]
//
// Prints one JSON line with what it did and exits 0 when the database holds what it must.
// tests/crash/run.sh runs it; ctest runs it too (tests/crash/CMakeLists.txt).
#include <csignal>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace careerbot::testing;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Args {
    std::string binary = CAREERBOT_BINARY;
    int kills = 50;
    unsigned seed = std::random_device{}();
    int max_run_ms = 400;
    long window = 64;
    std::string keep;
};

Args parse_args(int argc, char** argv) {
    Args a;
    CLI::App cli(
        "Kills careerbot at random moments under load and checks every acked brag "
        "survived",
        "crash_consistency");
    cli.add_option("--binary", a.binary, "careerbot binary to start")->capture_default_str();
    cli.add_option("--kills", a.kills, "how many SIGKILLs")->capture_default_str();
    cli.add_option("--seed", a.seed, "random seed (printed, to replay a run)");
    cli.add_option("--max-run-ms", a.max_run_ms, "longest run between kills")
        ->capture_default_str();
    cli.add_option("--window", a.window, "unacked envelopes at most")->capture_default_str();
    cli.add_option("--keep", a.keep, "keep the database and logs in this directory");
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        std::exit(cli.exit(e));
    }
    return a;
}

}  // namespace

int main(int argc, char** argv) try {
    const Args args = parse_args(argc, argv);
    std::mt19937 rng(args.seed);
    TempDir dir("crash");
    const auto db = dir / "careerbot.db";

    SlackTestServer::Options o;
    o.bot_token = "xoxb-crash-bot-token";
    o.app_token = "xapp-crash-app-token";
    o.record_calls = false;
    o.record_latencies = false;
    // Envelopes sent to a killed bot are lost with it, as with Slack's slash commands: only
    // what was acked counts, so nothing is queued for the next connection.
    o.queue_when_disconnected = false;
    SlackTestServer server(o);
    server.start();

    ChildOptions co;
    co.executable = args.binary;
    co.args = {"--db", db.string(), "--log-level", "warn", "run"};
    co.cwd = dir.path();
    co.env = {{"SLACK_BOT_TOKEN", o.bot_token},
              {"SLACK_APP_TOKEN", o.app_token},
              {"SLACK_API_URL", server.api_url()},
              {"CAREERBOT_CONFIG", std::nullopt},
              {"CAREERBOT_LEVELS", CAREERBOT_SOURCE_DIR "/config/levels.example.toml"},
              {"http_proxy", std::nullopt},
              {"HTTP_PROXY", std::nullopt},
              {"NO_PROXY", "127.0.0.1"}};

    std::map<std::string, std::string> text_of;  // envelope id -> the brag's unique text
    long sent = 0;
    // Envelopes written to a socket that died unacked stay outstanding at the server forever;
    // the window counts only this round's.
    std::uint64_t lost = 0;
    int kills = 0;
    std::uniform_int_distribution<int> run_ms(0, args.max_run_ms);
    for (int round = 0; round < args.kills; ++round) {
        co.stderr_path = dir / ("bot-" + std::to_string(round) + ".log");
        ChildProcess bot(co);
        if (!server.wait_for_hello_count(static_cast<std::uint64_t>(round) + 1, 20s)) {
            std::cerr << "round " << round << ": the bot did not connect; its log:\n"
                      << read_text(co.stderr_path);
            return 1;
        }
        // Keep `window` envelopes in flight until the kill: SIGKILL lands mid-batch, mid-
        // commit or mid-ack, wherever the bot happens to be.
        const auto kill_at = Clock::now() + std::chrono::milliseconds(run_ms(rng));
        SlashCommand c;
        while (Clock::now() < kill_at) {
            if (server.stats().outstanding - lost >= static_cast<std::uint64_t>(args.window)) {
                std::this_thread::sleep_for(100us);
                continue;
            }
            c.text =
                "crash brag r" + std::to_string(round) + " n" + std::to_string(sent) + " #crash";
            auto env = server.send_slash_command(c);
            if (env.envelope_id.empty()) break;  // the socket is gone
            text_of[env.envelope_id] = c.text;
            ++sent;
        }
        bot.signal(SIGKILL);
        if (bot.wait(10s) != 128 + SIGKILL) {
            std::cerr << "round " << round << ": the bot had already exited; its log:\n"
                      << read_text(co.stderr_path);
            return 1;
        }
        ++kills;
        // Acks the bot wrote before it died may still be in flight: wait until the server
        // has read the socket to its end, then count what will never be acked.
        const auto conns = server.connections();
        if (!conns.empty() && !server.wait_for_connection_closed(conns.back().index, 10s)) {
            std::cerr << "round " << round << ": the server did not see the socket close\n";
            return 1;
        }
        lost = server.stats().outstanding;
    }

    // The acks that reached the server, and what the database holds.
    std::set<std::string> acked;
    for (const auto& a : server.acks()) {
        if (a.unknown || a.duplicate) continue;
        auto it = text_of.find(a.envelope_id);
        if (it != text_of.end()) acked.insert(it->second);
    }
    std::map<std::string, int> stored;
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    const std::string integrity = d.execAndGet("PRAGMA integrity_check").getString();
    SQLite::Statement q(d, "SELECT text FROM brags WHERE author_id = 'U0ALICE'");
    while (q.executeStep()) ++stored[q.getColumn(0).getString()];

    long missing = 0, duplicated = 0;
    for (const auto& text : acked) {
        if (!stored.contains(text)) {
            if (missing < 10) std::cerr << "acked but not stored: " << text << "\n";
            ++missing;
        }
    }
    for (const auto& [text, n] : stored) {
        if (n > 1) {
            if (duplicated < 10) std::cerr << "stored " << n << " times: " << text << "\n";
            ++duplicated;
        }
    }
    const long unacked_stored =
        static_cast<long>(stored.size()) - static_cast<long>(acked.size()) + missing;
    const bool pass = missing == 0 && duplicated == 0 && integrity == "ok" && kills == args.kills &&
                      !acked.empty();
    std::cout << nlohmann::json{{"test", "crash_consistency"},
                                {"seed", args.seed},
                                {"kills", kills},
                                {"envelopes_sent", sent},
                                {"acked", acked.size()},
                                {"stored", stored.size()},
                                // Committed but killed before the ack left: allowed (the
                                // user saw no confirmation), never the other way round.
                                {"stored_not_acked", unacked_stored},
                                {"acked_missing", missing},
                                {"duplicates", duplicated},
                                {"integrity_check", integrity},
                                {"pass", pass}}
                     .dump()
              << std::endl;
    if (!args.keep.empty()) std::filesystem::copy_file(db, args.keep + "/careerbot.db");
    server.stop();
    return pass ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "crash_consistency: " << e.what() << "\n";
    return 1;
}
