// B6 of shared/BENCHMARKS.md: start-up on a 1 GB database. Two figures, one JSON line each:
//   B6-open:  storage::Database open + migrate() with nothing pending (in process), the part
//             of start-up that could grow with the file;
//   B6:       `careerbot run` spawned until its Socket Mode `hello` from the in-repo Slack test
//             server on loopback (process start, config, levels, database, auth.test,
//             apps.connections.open, the WebSocket handshake).
// The 1 GB database (1,000 people, ~1.7 M brags with tags) is built once and kept in the bench
// data dir ($BENCH_DATA_DIR, else build-bench/bench-data), named by schema version so a new
// migration builds a new one. Runs with the page cache warm (a restart, not a reboot).
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "slack_test_server.hpp"
#include "src/core/logging.hpp"
#include "storage/database.hpp"
#include "tests/support/process.hpp"

namespace {

using namespace careerbot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

const std::string kBotToken = "xoxb-bench-bot-token";
const std::string kAppToken = "xapp-bench-app-token";

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void emit(const json& j) { std::cout << j.dump() << std::endl; }

struct Stats {
    double p50 = 0, max = 0, min = 0;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return {v[v.size() / 2], v.back(), v.front()};
}

/// Builds the database at `file` (~`target_bytes`) unless it is already there.
void build_database(const fs::path& file, int64_t target_bytes) {
    if (fs::exists(file)) return;
    const auto partial = fs::path(file.string() + ".partial");
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(partial.string() + suffix);
    const auto start = Clock::now();
    {
        careerbot::storage::Database db(partial.string());
        db.migrate(true);
        db.exec("PRAGMA synchronous = OFF");
        db.exec(
            "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) "
            "INSERT INTO people (id, name, tz, manager_id, created_at, updated_at) "
            "SELECT printf('U%06d', i), printf('person%d', i), 'Europe/Berlin', "
            "CASE WHEN i = 0 THEN NULL ELSE printf('U%06d', i / 10) END, 0, 0 FROM n");
        // Chunks of 100,000 brags (about 60 MB) until the file reaches the target size.
        for (int64_t chunk = 0;; ++chunk) {
            auto size = db.prepare(
                "SELECT page_count * page_size FROM pragma_page_count, "
                "pragma_page_size");
            size.step();
            if (size.get<int64_t>(0) >= target_bytes) break;
            db.write([&] {
                auto insert = db.prepare(
                    "WITH RECURSIVE n(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM n "
                    "WHERE i < ? - 1) "
                    "INSERT INTO brags (id, author_id, number, text, impact, happened_on, "
                    "created_at, updated_at, growth) "
                    "SELECT i + 1, printf('U%06d', i % 1000), i / 1000 + 1, "
                    "'shipped ' || hex(randomblob(200)) || ' #infra', "
                    "'cut p99 by ' || (i % 90) || '%', "
                    "date('2024-01-01', '+' || (i % 1000) || ' days'), 1700000000 + i, "
                    "1700000000 + i, CASE i % 3 WHEN 0 THEN 'job' WHEN 1 THEN 'others' "
                    "ELSE 'training' END FROM n");
                insert.bind(chunk * 100000, (chunk + 1) * 100000);
                insert.exec();
                auto tags = db.prepare(
                    "INSERT INTO brag_tags (brag_id, tag, position) "
                    "SELECT id, 'infra', 0 FROM brags WHERE id > ? AND id <= ?");
                tags.bind(chunk * 100000, (chunk + 1) * 100000);
                tags.exec();
            });
        }
        db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    fs::rename(partial, file);
    for (const char* suffix : {"-wal", "-shm"}) fs::remove(partial.string() + suffix);
    emit({{"bench", "B6-build"},
          {"what", "built the start-up database once (kept for later runs)"},
          {"file", file.string()},
          {"seconds", std::chrono::duration<double>(Clock::now() - start).count()}});
}

}  // namespace

int main(int argc, char** argv) try {
    int runs = 10;
    std::string binary = CAREERBOT_BINARY;
    int64_t mb = 1024;
    CLI::App cli("B6 of shared/BENCHMARKS.md: start-up on a 1 GB database", "bench_startup");
    cli.add_option("--runs", runs, "measured runs")
        ->capture_default_str()
        ->check(CLI::Range(1, 10000));
    cli.add_option("--binary", binary, "careerbot binary to start")->capture_default_str();
    cli.add_option("--mb", mb, "database size in MB")
        ->capture_default_str()
        ->check(CLI::Range(int64_t{1}, int64_t{1} << 20));
    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }
    const int64_t target_bytes = mb << 20;
    careerbot::init_logging("warn", "text");
    careerbot::storage::Database::configure_process();
    const char* dir_env = std::getenv("BENCH_DATA_DIR");
    const fs::path data =
        dir_env != nullptr && *dir_env != '\0' ? fs::path(dir_env) : fs::path(CAREERBOT_BENCH_DATA);
    fs::create_directories(data);
    const auto file =
        data / ("startup-" + std::to_string(target_bytes >> 20) + "mb-v" +
                std::to_string(careerbot::storage::Database::latest_version()) + ".db");
    build_database(file, target_bytes);
    const auto bytes = static_cast<int64_t>(fs::file_size(file));

    // B6-open: what start-up does with the file before anything else.
    std::vector<double> open_ms;
    for (int i = 0; i < runs; ++i) {
        const auto t0 = Clock::now();
        careerbot::storage::Database db(file.string());
        const int applied = db.migrate(true);
        open_ms.push_back(ms(Clock::now() - t0));
        if (applied != 0) throw std::runtime_error("migrations were pending on the bench database");
    }
    const auto open = stats(open_ms);
    emit({{"bench", "B6-open"},
          {"what", "open the database and run migrations (none pending), in process"},
          {"db_mb", static_cast<double>(bytes) / (1 << 20)},
          {"runs", runs},
          {"ms", {{"p50", open.p50}, {"min", open.min}, {"max", open.max}}}});

    // B6: the real binary from exec to Socket Mode hello.
    SlackTestServer::Options o;
    o.bot_token = kBotToken;
    o.app_token = kAppToken;
    o.record_acks = false;
    o.record_calls = false;
    SlackTestServer server(o);
    server.start();
    TempDir dir("bench-startup");
    std::vector<double> hello_ms;
    for (int i = 0; i < runs; ++i) {
        ChildOptions co;
        co.executable = binary;
        co.args = {"--db", file.string(), "--log-level", "warn", "run", "--ops-port", "0"};
        co.cwd = dir.path();
        co.stderr_path = dir / "bot.log";
        co.env = slack_bot_env(kBotToken, kAppToken, server.api_url());
        const auto hellos = server.stats().hellos_sent;
        const auto t0 = Clock::now();
        ChildProcess bot(co);
        if (!server.wait_for_hello_count(hellos + 1, 15s)) {
            throw std::runtime_error("the bot did not connect; log:\n" +
                                     read_text(dir / "bot.log"));
        }
        hello_ms.push_back(ms(Clock::now() - t0));
        bot.signal(SIGTERM);
        if (bot.wait(10s).value_or(-1) != 0)
            throw std::runtime_error("the bot did not stop cleanly; log:\n" +
                                     read_text(dir / "bot.log"));
    }
    server.stop();
    const auto hello = stats(hello_ms);
    emit({{"bench", "B6"},
          {"what", "careerbot run on a 1 GB database: exec to Socket Mode hello (loopback)"},
          {"db_mb", static_cast<double>(bytes) / (1 << 20)},
          {"runs", runs},
          {"ms", {{"p50", hello.p50}, {"min", hello.min}, {"max", hello.max}}},
          {"open_migrate_ms_p50", open.p50},
          {"target", "<= 100 ms"},
          {"pass", hello.p50 <= 100.0 && open.max <= 100.0}});
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_startup: " << e.what() << "\n";
    return 1;
}
