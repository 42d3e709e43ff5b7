#pragma once
// What the fuzz targets share with the GCC regression test (tests/unit/test_fuzz_regressions.cpp):
// a seeded careerbot core, a sandbox that rolls every input back, and the one definition of
// "careerbot misbehaved". Header-only so both builds compile exactly the same checks.
//
// A crash or sanitizer report is a bug by itself. Beyond that, an input is a bug when:
//  - an exception escapes a function documented not to throw, or escapes as anything but a
//    careerbot::UserError where a clean refusal is expected;
//  - App logs an error: it turns unexpected exceptions into an apology plus an error line, so
//    that line is the only trace of an exception the command code did not handle;
//  - a reply breaks Slack's limits (Slack rejects the whole message: the user sees nothing)
//    or echoes text that would ping @here/@channel/@everyone or a user group.
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

#include <date/date.h>
#include <spdlog/sinks/base_sink.h>
#include <nlohmann/json.hpp>

#include "commands/registry.hpp"
#include "src/core/app.hpp"
#include "src/core/blocks.hpp"
#include "src/core/clock.hpp"
#include "src/core/config.hpp"
#include "src/core/logging.hpp"
#include "src/core/text.hpp"
#include "storage/database.hpp"
#include "storage/people.hpp"

#ifndef CAREERBOT_SOURCE_DIR
#error "CAREERBOT_SOURCE_DIR must name the source tree (for config/levels.example.toml)"
#endif

namespace careerbot::fuzz {

/// An input made careerbot misbehave without crashing; the fuzzers abort on it, the
/// regression test reports it.
class Failure : public std::logic_error {
  public:
    using std::logic_error::logic_error;
};

inline void require(bool ok, const std::string& what) {
    if (!ok) throw Failure(what);
}

/// Bounded quoting of an input for failure messages.
inline std::string preview(std::string_view s) {
    constexpr std::size_t kMax = 200;
    std::string out;
    for (char c : s.substr(0, kMax)) {
        auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u < 0x7F && c != '\\') {
            out += c;
        } else {
            static const char* hex = "0123456789abcdef";
            out += "\\x";
            out += hex[u >> 4];
            out += hex[u & 0xF];
        }
    }
    if (s.size() > kMax) out += "…";
    return out;
}

/// The calendar day the fuzzed world lives in: 2026-11-20 (a Friday), like the unit tests.
inline date::year_month_day today() { return date::year{2026} / 11 / 20; }
inline TimePoint now() { return date::sys_days{today()} + std::chrono::hours{10}; }

/// Collects error-level log lines (App's "failed (incident …)" and storage failures).
class ErrorTrap final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    std::vector<std::string> take() {
        std::lock_guard lock(mutex_);
        return std::exchange(lines_, {});
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        if (msg.level < spdlog::level::err) return;
        lines_.emplace_back(msg.payload.data(), msg.payload.size());
    }
    void flush_() override {}

  private:
    std::vector<std::string> lines_;
};

/// Number of code points (Slack counts characters, careerbot counts bytes; bytes >= chars).
inline std::size_t chars(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

/// Fails when mrkdwn would ping a crowd: `<!here>`, `<!channel>`, `<!everyone>`,
/// `<!subteam^…>`. careerbot itself only ever writes `<!date^…>` tokens.
inline void check_no_ping(std::string_view mrkdwn, const std::string& where) {
    for (auto pos = mrkdwn.find("<!"); pos != std::string_view::npos;
         pos = mrkdwn.find("<!", pos + 2)) {
        require(mrkdwn.substr(pos + 2, 5) == "date^",
                where + " echoes a ping: " + preview(mrkdwn.substr(pos, 40)));
    }
}

/// Walks a Block Kit tree and checks what Slack would otherwise reject or mis-render.
inline void check_blocks_tree(const nlohmann::json& j, const std::string& where) {
    if (j.is_array()) {
        for (const auto& e : j) check_blocks_tree(e, where);
        return;
    }
    if (!j.is_object()) return;
    const std::string type = j.value("type", std::string());
    auto text_of = [&](const char* key) -> std::string {
        auto it = j.find(key);
        if (it == j.end()) return {};
        if (it->is_string()) return it->get<std::string>();
        if (it->is_object()) {
            auto t = it->find("text");
            if (t != it->end() && t->is_string()) return t->get<std::string>();
        }
        return {};
    };
    if (type == "mrkdwn") check_no_ping(text_of("text"), where + " mrkdwn");
    if (type == "section") {
        require(chars(text_of("text")) <= 3000, where + ": section text over 3,000 characters");
    }
    if (type == "context") {
        for (const auto& e : j.value("elements", nlohmann::json::array())) {
            if (e.is_object() && e.contains("text") && e["text"].is_string()) {
                require(chars(e["text"].get<std::string>()) <= 3000,
                        where + ": context text over 3,000 characters");
            }
        }
    }
    if (type == "header") {
        require(chars(text_of("text")) <= 150, where + ": header over 150 characters");
    }
    if (type == "button") {
        require(chars(text_of("text")) <= 75, where + ": button label over 75 characters");
        require(chars(j.value("value", std::string())) <= 2000,
                where + ": button value over 2,000 characters");
        require(chars(j.value("action_id", std::string())) <= 255,
                where + ": action_id over 255 characters");
    }
    for (const auto& [key, value] : j.items()) {
        if (value.is_structured()) check_blocks_tree(value, where);
    }
}

inline void check_message(const Message& m, const std::string& where, std::size_t max_blocks) {
    require(m.blocks.is_array(), where + ": blocks is not an array");
    require(m.blocks.size() <= max_blocks, where + ": " + std::to_string(m.blocks.size()) +
                                               " blocks (Slack allows " +
                                               std::to_string(max_blocks) + ")");
    check_no_ping(m.text, where + " fallback text");
    check_blocks_tree(m.blocks, where);
}

inline void check_view(const nlohmann::json& view, const std::string& where) {
    require(view.is_object(), where + ": view is not an object");
    auto b = view.find("blocks");
    require(b != view.end() && b->is_array() && b->size() <= 100,
            where + ": view without blocks or with over 100");
    require(chars(view.value("private_metadata", std::string())) <= 3000,
            where + ": private_metadata over 3,000 characters");
    check_blocks_tree(*b, where);
}

/// Everything in a reply the transport would send to Slack. `valid_in`: the user's text was
/// valid UTF-8, so the reply must be too.
inline void check_reply(const Reply& r, const std::string& what, bool valid_in) {
    if (r.message) check_message(*r.message, what + " reply", blocks::kMaxBlocks);
    for (const auto& m : r.more) check_message(m, what + " follow-up page", blocks::kMaxBlocks);
    for (const auto& dm : r.dms) check_message(dm.message, what + " DM", blocks::kMaxBlocks);
    if (r.open_modal) check_view(*r.open_modal, what + " modal");
    if (r.home_view) check_view(*r.home_view, what + " home view");
    // The transport sends JSON; valid text in must give valid UTF-8 out (no cut sequences),
    // or Slack would show replacement characters. dump() throws on invalid UTF-8. (Invalid
    // text in is refused or echoed; the transport replaces its bad bytes.)
    if (!valid_in) return;
    auto strict_dump = [&](const nlohmann::json& j, const std::string& part) {
        try {
            (void)j.dump();
        } catch (const nlohmann::json::exception& e) {
            throw Failure(what + " " + part + " is not valid UTF-8: " + e.what());
        }
    };
    if (r.message) strict_dump(r.message->blocks, "reply");
    for (const auto& m : r.more) strict_dump(m.blocks, "follow-up page");
    for (const auto& dm : r.dms) strict_dump(dm.message.blocks, "DM");
}

/// A fresh SQLite file for this process. A file rather than ":memory:", so the database
/// behaves as in production (WAL, memory-mapped reads); sandbox() never commits, so it stays
/// cheap.
inline std::string fresh_db_path() {
    auto path = std::filesystem::temp_directory_path() /
                ("careerbot-fuzz-" + std::to_string(::getpid()) + ".db");
    for (const char* suffix : {"", "-wal", "-shm"}) {
        std::error_code ec;
        std::filesystem::remove(path.string() + suffix, ec);
    }
    return path.string();
}

/// A careerbot core on a temporary database with a small org and some career data, built
/// once per process. Each input runs in sandbox(), which rolls the database back, so every
/// input sees the same starting state and a crash reproduces from its file alone.
struct World {
    Config config;
    ManualClock clock{now()};
    storage::Database db{fresh_db_path()};
    Services services{db, clock, config};
    App app;
    std::shared_ptr<ErrorTrap> trap = std::make_shared<ErrorTrap>();
    std::set<std::string> deferred;

    World() {
        // The fuzzers set the log level (errors only); the unit tests keep their own.
        add_sink(trap);
        config.org.admins = {"admin"};
        config.org.levels_file = CAREERBOT_SOURCE_DIR "/config/levels.example.toml";
        db.migrate();
        commands::register_all(app);
        for (const auto& c : app.commands()) {
            if (c.deferred) deferred.insert(c.name);
        }
        seed();
    }
    World(const World&) = delete;
    World& operator=(const World&) = delete;
    ~World() {
        remove_sink(trap);
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ec;
            std::filesystem::remove(db.path() + suffix, ec);
        }
    }

    /// Runs a slash command the way the Slack transport does (deferred ones read-only).
    Reply run(const std::string& user, const std::string& command, const std::string& text_in,
              const std::string& channel = "C1") {
        Request r;
        r.user_id = user;
        r.user_name = user;
        r.command = command;
        r.text = text_in;
        r.channel_id = channel;
        r.channel_name = channel == "D1" ? "directmessage" : "general";
        r.received_at = clock.now();
        r.source = "slack";
        return deferred.contains(command) ? app.handle_read(services, r) : app.handle(services, r);
    }

    /// Runs `fn` and undoes whatever it wrote. Fails when App logged an error meanwhile,
    /// except, with `tolerate_json_shape`, a handler's nlohmann::json exception: an event or
    /// interaction payload of a shape Slack never sends (a string where Slack puts an object).
    /// App answers those with an apology and a log line, which SPEC allows; fuzz/README.md
    /// lists them as known issues rather than letting them stop every fuzzing run.
    void sandbox(const std::function<void()>& fn, bool tolerate_json_shape = false) {
        struct Rollback {};
        (void)trap->take();
        try {
            db.write([&] {
                fn();
                throw Rollback{};
            });
        } catch (const Rollback&) {
        }
        for (const auto& e : trap->take()) {
            if (tolerate_json_shape && e.find("[json.exception.") != std::string::npos) continue;
            throw Failure("careerbot logged an error: " + preview(e));
        }
    }

    /// The reply as the console would print it (exercises render_text on every reply).
    std::string render(const Reply& reply) {
        storage::PeopleRepo people(db);
        auto names = [&](const std::string& id) { return people.display_name(id); };
        std::string out = reply.message ? blocks::render_text(*reply.message, names) : "";
        for (const auto& m : reply.more) out += blocks::render_text(m, names);
        for (const auto& dm : reply.dms) out += blocks::render_text(dm.message, names);
        return out;
    }

  private:
    void seed() {
        // carol (director) > bob (manager) > alice, dave; erin mentors; admin runs the chart.
        const std::pair<const char*, const char*> org[] = {
            {"carol", "/team add <@bob>"},
            {"bob", "/team add <@alice> <@dave>"},
            {"admin", "/team role <@carol> director"},
            {"alice",
             "/brag 2026-11-02 wrote the storage RFC #design impact: unblocked 3 teams "
             "https://example.com/rfc"},
            {"alice", "/brag yesterday paired with <@dave> on the flaky tests #20"},
            {"dave", "/brag shipped search #70"},
            {"bob", "/task add write the rollout plan due dec 3 for <@alice>"},
            {"alice", "/task add book the exam due in 2 weeks"},
            {"alice", "/ido set learn k8s mentor <@erin>"},
            {"alice", "/ido progress read chapter 1 #10"},
            {"alice", "/checkin goals 6m lead the billing migration"},
            {"bob", "/1on1 schedule <@alice> tuesday 10:00 every 2 weeks"},
            {"bob", "/feedback <@alice> great incident write-up"},
            {"alice", "/cert add Onboarding"},
            {"carol", "/promo level <@alice> L2"},
            {"dave", "/away 2026-12-21 2027-01-02"},
        };
        (void)trap->take();
        for (const auto& [user, line] : org) {
            auto [command, text_in] = text::first_word(line);
            (void)run(user, command, text_in);
        }
        auto errors = trap->take();
        if (!errors.empty()) throw std::runtime_error("fuzz world seed failed: " + errors.front());
    }
};

/// The process-wide world (the fuzzers run one input at a time on one thread).
inline World& world() {
    static World w;
    return w;
}

}  // namespace careerbot::fuzz
