#pragma once
// Several careerbot instances on one PostgreSQL (issue #15), end to end: a throwaway
// PostgreSQL cluster for the test binary's run (deploy/pg-test-cluster.sh, on 127.0.0.1), a
// fresh database per test, one Slack test server, and N real `careerbot run` processes, each
// with its own Socket Mode connection, its own CAREERBOT_DATABASE_URL (the same database) and
// its own config file. A test file derives its helpers from InstancesFixture:
//
//     InstancesFixture f("leader", 2);
//     f.instance(0).set("reminders", "leader_retry_seconds", 1);  // its config file
//     f.start_all();
//     auto ack = f.brag(0, "U0ALICE", "shipped it");              // over instance 0's socket
//     f.kill(0);                                                  // SIGKILL
//     f.start(0);                                                 // same config, new socket
//
// The tests tagged [.instances] use it (tests/e2e/test_instances_e2e.cpp); ctest runs them as
// one entry. The cluster can be stopped and started again (PgCluster::stop/start) for outages.
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <csignal>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <toml++/toml.h>

#include "fixture.hpp"
#include "storage/database.hpp"

namespace careerbot::testing {

/// A throwaway PostgreSQL cluster on 127.0.0.1 for this process: initdb + pg_ctl in a
/// temporary directory through deploy/pg-test-cluster.sh (as an unprivileged user; no system
/// service), started on first use, stopped and removed when the process exits.
class PgCluster {
  public:
    /// This process's cluster, started on first use (a few seconds).
    static PgCluster& shared() {
        static PgCluster cluster;
        return cluster;
    }
    ~PgCluster() {
        if (running_) script({"stop", dir_.path().string()});
    }
    PgCluster(const PgCluster&) = delete;
    PgCluster& operator=(const PgCluster&) = delete;

    /// The URL of `database` on this cluster.
    std::string url(const std::string& database = "postgres") const {
        return "postgresql://careerbot@127.0.0.1:" + std::to_string(port_) + "/" + database;
    }
    /// A new empty database (named after `tag`); its URL.
    std::string create_database(const std::string& tag) {
        static std::atomic<int> counter{0};
        std::string name = "e2e_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
        for (char c : tag)
            if (std::isalnum(static_cast<unsigned char>(c)) != 0)
                name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        storage::Database admin(url());
        admin.exec("CREATE DATABASE " + name);
        return url(name);
    }
    /// Stops the server (`pg_ctl stop -m fast`: every session is ended at once).
    void stop() {
        REQUIRE(script({"stop", dir_.path().string()}) == 0);
        running_ = false;
    }
    /// Starts it again on the same port and data directory.
    void start() {
        REQUIRE(script({"start", dir_.path().string(), std::to_string(port_)}) == 0);
        running_ = true;
    }
    bool running() const { return running_; }

  private:
    PgCluster() {
        // A free port is a guess: try a few.
        for (int attempt = 0; attempt < 5 && !running_; ++attempt) {
            port_ = 20000 + static_cast<int>((::getpid() * 7919L + attempt * 104729L) % 20000);
            running_ = script({"start", dir_.path().string(), std::to_string(port_)}) == 0;
        }
        if (!running_)
            throw std::runtime_error(
                "could not start a PostgreSQL test cluster: " + read_text(dir_ / "script.log") +
                read_text(dir_ / "server.log"));
    }
    int script(std::vector<std::string> args) {
        ChildOptions o;
        o.executable = CAREERBOT_SOURCE_DIR "/deploy/pg-test-cluster.sh";
        o.args = std::move(args);
        // Outside the cluster directory, which the script hands to its own user.
        o.stdout_path = o.stderr_path = log_.path() / "script.log";
        ChildProcess p(o);
        return p.wait(std::chrono::seconds{90}).value_or(-1);
    }
    TempDir log_{"pg-script"};
    TempDir dir_{"pg"};
    int port_ = 0;
    bool running_ = false;
};

/// One `careerbot run` process of an InstancesFixture.
struct Instance {
    std::string name;  ///< "bot0", "bot1", ...
    /// Its config file's content (written before each start; CAREERBOT_CONFIG points at it).
    toml::table config;
    /// Changes to its environment (nullopt unsets), on top of the fixture's.
    Env env;
    /// Global arguments before `run` (e.g. `--now 2026-11-24T12:59:55Z`).
    std::vector<std::string> global_args;
    /// Arguments after `run`: no /healthz port, so instances do not collide.
    std::vector<std::string> run_args{"--ops-port", "0"};
    std::unique_ptr<ChildProcess> process;
    /// The server's index of its current Socket Mode connection.
    std::size_t connection = 0;
    std::vector<std::filesystem::path> logs;  ///< one per start

    /// Sets `[section] key = value` in its config file (from the next start on).
    template <class T>
    void set(const std::string& section, const std::string& key, T value) {
        if (!config.contains(section)) config.insert(section, toml::table{});
        config[section].as_table()->insert_or_assign(key, std::move(value));
    }
    bool running() const { return process && process->running(); }
};

/// The Slack test server, one database on the process's PostgreSQL cluster, and `n` bots on
/// it. Instance i's log is in dir()/bot<i>-<start>.log; CAREERBOT_E2E_SHOW_LOGS=1 prints them.
class InstancesFixture {
  public:
    InstancesFixture(const std::string& tag, int n, SlackTestServer::Options options = {})
        : dir_(tag),
          db_url_(PgCluster::shared().create_database(tag)),
          server(with_tokens(std::move(options))) {
        server.start();
        for (int i = 0; i < n; ++i) {
            Instance in;
            in.name = "bot" + std::to_string(i);
            in.set("log", "level", std::string("info"));
            instances_.push_back(std::move(in));
        }
    }
    ~InstancesFixture() {
        for (auto& in : instances_) in.process.reset();
        server.stop();
        if (std::getenv("CAREERBOT_E2E_SHOW_LOGS")) std::fprintf(stderr, "%s", logs().c_str());
    }
    InstancesFixture(const InstancesFixture&) = delete;
    InstancesFixture& operator=(const InstancesFixture&) = delete;

    std::size_t size() const { return instances_.size(); }
    Instance& instance(std::size_t i) { return instances_.at(i); }
    /// The database every instance uses.
    const std::string& database_url() const { return db_url_; }
    const TempDir& dir() const { return dir_; }

    /// Starts instance `i` (replacing a running one) and waits for its connection's hello;
    /// instances start one at a time, so the newest connection is its own.
    void start(std::size_t i) {
        Instance& in = instances_.at(i);
        in.process.reset();
        const auto config = dir_ / (in.name + ".toml");
        {
            std::ofstream out(config);
            out << in.config << "\n";
        }
        in.logs.push_back(dir_ / (in.name + "-" + std::to_string(in.logs.size()) + ".log"));
        Env all = env;
        all["CAREERBOT_CONFIG"] = config.string();
        all["CAREERBOT_DATABASE_URL"] = db_url_;
        for (const auto& [k, v] : in.env) all[k] = v;
        std::vector<std::string> args = in.global_args;
        args.push_back("run");
        args.insert(args.end(), in.run_args.begin(), in.run_args.end());
        ChildOptions o =
            careerbot_process(dir_.path(), server, kBotToken, kAppToken, std::move(args), all);
        o.stdout_path = o.stderr_path = in.logs.back();
        const auto hellos = server.stats().hellos_sent;
        in.process = std::make_unique<ChildProcess>(o);
        INFO(in.name << " did not connect; its log:\n" << read_text(in.logs.back()));
        REQUIRE(server.wait_for_hello_count(hellos + 1, std::chrono::seconds{20}));
        in.connection = server.connections().back().index;
    }
    void start_all() {
        for (std::size_t i = 0; i < instances_.size(); ++i) start(i);
    }
    /// Sends `sig` (SIGKILL by default) to instance `i` and waits until it exited and the
    /// server saw its socket end (acks it wrote before dying are then counted).
    void kill(std::size_t i, int sig = SIGKILL) {
        Instance& in = instances_.at(i);
        in.process->signal(sig);
        REQUIRE(in.process->wait(std::chrono::seconds{10}));
        REQUIRE(server.wait_for_connection_closed(in.connection, std::chrono::seconds{10}));
    }
    /// SIGTERM; the exit code (-1 when it did not exit in time).
    int stop(std::size_t i) {
        Instance& in = instances_.at(i);
        in.process->signal(SIGTERM);
        return in.process->wait(std::chrono::seconds{10}).value_or(-1);
    }

    /// A slash command delivered over instance `i`'s connection (not waited for).
    SentEnvelope send(std::size_t i, const std::string& user, const std::string& command,
                      const std::string& text) {
        return server.send_slash_command(slash(user, command, text), instances_.at(i).connection);
    }
    /// `/brag text` from `user` over instance `i`'s connection; its ack (REQUIREd).
    Ack brag(std::size_t i, const std::string& user, const std::string& text) {
        auto ack =
            server.wait_for_ack(send(i, user, "/brag", text).envelope_id, std::chrono::seconds{10});
        REQUIRE(ack);
        return *ack;
    }

    /// The text of every live brag whose text is LIKE `like`, with how often it is stored,
    /// read through a connection of the test's own.
    std::map<std::string, int> stored_brags(const std::string& like = "%") const {
        std::map<std::string, int> out;
        storage::Database db(db_url_);
        auto q = db.prepare("SELECT text FROM brags WHERE deleted_at IS NULL AND text LIKE ?");
        q.bind(like);
        while (q.step()) ++out[std::string(q.text(0))];
        return out;
    }
    /// One integer the test's own connection reads (`sql` with `args` bound).
    template <class... Args>
    int64_t count(const std::string& sql, const Args&... args) const {
        storage::Database db(db_url_);
        auto q = db.prepare(sql);
        q.bind(args...);
        REQUIRE(q.step());
        return q.template get<int64_t>(0);
    }

    /// Everything every instance logged, each run headed by its file name.
    std::string logs() const {
        std::string all;
        for (const auto& in : instances_)
            for (const auto& l : in.logs)
                all += "==> " + l.filename().string() + "\n" + read_text(l);
        return all;
    }
    /// What instance `i` logged over all its runs.
    std::string logs(std::size_t i) const {
        std::string all;
        for (const auto& l : instances_.at(i).logs) all += read_text(l);
        return all;
    }
    /// Tokens and socket tickets never reach a log line.
    void check_logs_clean() const {
        const std::string all = logs();
        CHECK(all.find(kBotToken) == std::string::npos);
        CHECK(all.find(kAppToken) == std::string::npos);
        CHECK(all.find("ticket=") == std::string::npos);
    }

    static SlashCommand slash(const std::string& user, const std::string& command,
                              const std::string& text) {
        return slash_command(user, command, text);
    }

    static constexpr const char* kBotToken = "xoxb-instances-bot-token";
    static constexpr const char* kAppToken = "xapp-instances-app-token";

  private:
    static SlackTestServer::Options with_tokens(SlackTestServer::Options o) {
        o.bot_token = kBotToken;
        o.app_token = kAppToken;
        return o;
    }

    TempDir dir_;
    std::string db_url_;
    std::vector<Instance> instances_;

  public:
    SlackTestServer server;
    /// Changes to the environment of every instance (nullopt unsets).
    Env env;
};

}  // namespace careerbot::testing
