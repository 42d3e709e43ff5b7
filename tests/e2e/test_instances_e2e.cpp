// Two careerbot instances on one PostgreSQL (issue #15), end to end: each holds its own Socket
// Mode connection to the Slack test server, as Slack lets several instances of one app do, and
// Slack hands each envelope to one of them. Load over both, SIGKILLs under load, an event
// retried to the other instance, and the database server stopped and started again.
//
// Tagged [.instances]: the normal e2e run skips them; ctest runs them as one entry against a
// PostgreSQL cluster the test binary starts (tests/e2e/instances_fixture.hpp). Each test prints
// one JSON line of figures.
#include <catch2/catch.hpp>

#include <atomic>
#include <csignal>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/e2e/instances_fixture.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kUsers = {"U0ALICE", "U0BOB", "U0CAROL"};

bool saved(const Ack& a) {
    return a.payload.value("text", "").find("Logged brag") != std::string::npos;
}
bool try_again(const Ack& a) {
    return a.payload.value("text", "").find("try again") != std::string::npos;
}

/// What the database holds against what Slack was told: every acked brag stored once.
struct Tally {
    long sent = 0;
    std::set<std::string> acked;  ///< texts whose ack said "Logged brag"
    std::map<std::string, int> stored;
    long missing = 0;
    long duplicates = 0;

    void check(const InstancesFixture& f, const std::string& like) {
        stored = f.stored_brags(like);
        for (const auto& text : acked) {
            if (stored.contains(text)) continue;
            if (missing < 10) UNSCOPED_INFO("acked but not stored: " << text);
            ++missing;
        }
        for (const auto& [text, n] : stored) {
            if (n <= 1) continue;
            if (duplicates < 10) UNSCOPED_INFO("stored " << n << " times: " << text);
            ++duplicates;
        }
        CHECK(missing == 0);
        CHECK(duplicates == 0);
    }
    json figures(const std::string& test, const InstancesFixture& f, int kills) const {
        return {{"test", test},       {"instances", f.size()},   {"kills", kills},
                {"sent", sent},       {"acked", acked.size()},   {"stored", stored.size()},
                {"missing", missing}, {"duplicates", duplicates}};
    }
};

/// conversations.history answers with a message by Bob at `latest`, whichever ts is asked for.
void answer_history(SlackTestServer& server) {
    server.set_handler("conversations.history", [](const ApiCall& call) {
        const std::string ts = call.args.value("latest", "");
        return json{{"ok", true},
                    {"messages", json::array({{{"type", "message"},
                                               {"user", "U0BOB"},
                                               {"ts", ts},
                                               {"text", "Kudos to <@U0ALICE> for " + ts}}})},
                    {"has_more", false}};
    });
}

/// After PostgreSQL came back at `restarted`: each instance is sent a /brag every 200 ms until
/// it answers "Logged" on its own, for at most `limit`. The brags go into `t`, the refused
/// tries into `failed`; returns how long each instance took (one that never did is left out).
std::map<std::string, double> recovery_times(InstancesFixture& f, Tally& t,
                                             const std::string& prefix, Clock::time_point restarted,
                                             std::chrono::milliseconds limit, long& failed) {
    std::map<std::string, double> out;
    for (std::size_t k = 0; k < f.size(); ++k) {
        int n = 0;
        const bool ok = wait_until(
            [&] {
                const std::string text =
                    prefix + " brag after " + f.instance(k).name + " n" + std::to_string(n++);
                auto ack = f.brag(k, "U0BOB", text);
                ++t.sent;
                if (!saved(ack)) {
                    ++failed;
                    return false;
                }
                t.acked.insert(text);
                return true;
            },
            limit, 200ms);
        if (ok)
            out[f.instance(k).name] =
                std::chrono::duration<double>(Clock::now() - restarted).count();
        else
            UNSCOPED_INFO(f.instance(k).name << " still fails after the restart; its log:\n"
                                             << f.logs(k));
    }
    return out;
}

}  // namespace

TEST_CASE("instances: 400 /brag over two instances on one PostgreSQL, each stored once",
          "[.instances]") {
    InstancesFixture f("load", 2);
    f.start_all();
    Tally t;
    std::map<std::string, std::string> text_of;  // envelope id -> text
    std::vector<SlashCommand> to[2];
    for (int i = 0; i < 400; ++i) {
        to[i % 2].push_back(
            InstancesFixture::slash(kUsers[static_cast<std::size_t>(i) % kUsers.size()], "/brag",
                                    "load brag n" + std::to_string(i) + " #load"));
    }
    for (std::size_t k = 0; k < 2; ++k) {
        auto sent = f.server.send_slash_commands(to[k], f.instance(k).connection);
        for (std::size_t j = 0; j < sent.size(); ++j) text_of[sent[j].envelope_id] = to[k][j].text;
        t.sent += static_cast<long>(sent.size());
    }
    std::set<std::size_t> answered_on;
    for (const auto& [id, text] : text_of) {
        auto ack = f.server.wait_for_ack(id, 20s);
        REQUIRE(ack);
        CHECK(saved(*ack));
        if (saved(*ack)) t.acked.insert(text);
        answered_on.insert(ack->connection);
    }
    CHECK(answered_on.size() == 2);  // both instances did their share
    t.check(f, "load brag %");
    CHECK(t.stored.size() == 400);
    // Brag numbers are per person and stay dense with two writers.
    for (const auto& user : kUsers) {
        CHECK(f.count("SELECT count(DISTINCT number) FROM brags WHERE author_id = ?", user) ==
              f.count("SELECT count(*) FROM brags WHERE author_id = ?", user));
    }
    std::cout << t.figures("instances_load", f, 0).dump() << std::endl;
    CHECK(f.stop(0) == 0);
    CHECK(f.stop(1) == 0);
    f.check_logs_clean();
}

TEST_CASE(
    "instances: SIGKILL one instance under load; the other keeps answering, nothing "
    "acked is lost or doubled",
    "[.instances]") {
    SlackTestServer::Options o;
    // An envelope written to a killed instance is lost with it, as Slack's slash commands are:
    // only what was acked counts.
    o.queue_when_disconnected = false;
    o.record_calls = false;
    InstancesFixture f("kills", 2, o);
    f.start_all();
    std::mt19937 rng(std::random_device{}());
    std::uniform_int_distribution<int> run_ms(50, 400);
    Tally t;
    std::map<std::string, std::string> text_of;
    long survivor_sent = 0, survivor_saved = 0;
    const int kKills = 4;
    std::uint64_t lost = 0;  // outstanding forever: written to a socket that died
    for (int round = 0; round < kKills; ++round) {
        const std::size_t victim = static_cast<std::size_t>(round) % 2;
        const std::size_t survivor = 1 - victim;
        // Keep a window in flight over both connections until the kill lands.
        const auto kill_at = Clock::now() + std::chrono::milliseconds(run_ms(rng));
        std::size_t next = 0;
        while (Clock::now() < kill_at) {
            if (f.server.stats().outstanding - lost >= 48) {
                std::this_thread::sleep_for(200us);
                continue;
            }
            const std::size_t k = next++ % 2;
            const std::string text =
                "kill brag r" + std::to_string(round) + " n" + std::to_string(t.sent) + " #kills";
            auto env =
                f.send(k, kUsers[static_cast<std::size_t>(t.sent) % kUsers.size()], "/brag", text);
            ++t.sent;
            if (!env.envelope_id.empty()) text_of[env.envelope_id] = text;
        }
        f.kill(victim);
        // Slack now hands everything to the survivor, which answers every envelope.
        std::vector<std::string> after;
        for (int i = 0; i < 30; ++i) {
            const std::string text =
                "kill brag r" + std::to_string(round) + " survivor" + std::to_string(i) + " #kills";
            auto env = f.send(survivor, "U0ALICE", "/brag", text);
            ++t.sent;
            ++survivor_sent;
            REQUIRE(!env.envelope_id.empty());
            text_of[env.envelope_id] = text;
            after.push_back(env.envelope_id);
        }
        for (const auto& id : after) {
            auto ack = f.server.wait_for_ack(id, 10s);
            REQUIRE(ack);
            CHECK(ack->latency < 3s);
            if (saved(*ack)) ++survivor_saved;
        }
        lost = f.server.stats().outstanding;
        f.start(victim);
    }
    REQUIRE(
        f.server.wait_for_stats([&](const ServerStats& s) { return s.outstanding <= lost; }, 10s));
    for (const auto& a : f.server.acks()) {
        if (a.unknown || a.duplicate || !saved(a)) continue;
        if (auto it = text_of.find(a.envelope_id); it != text_of.end()) t.acked.insert(it->second);
    }
    CHECK(survivor_saved == survivor_sent);
    CHECK(!t.acked.empty());
    t.check(f, "kill brag %");
    json figures = t.figures("instances_sigkill", f, kKills);
    figures["survivor_sent"] = survivor_sent;
    figures["survivor_saved"] = survivor_saved;
    // Committed when the kill landed, before the ack left: allowed (nobody was told "saved").
    figures["stored_not_acked"] =
        static_cast<long>(t.stored.size()) - static_cast<long>(t.acked.size()) + t.missing;
    std::cout << figures.dump() << std::endl;
    f.check_logs_clean();
}

TEST_CASE("instances: an event retried to the other instance is processed once", "[.instances]") {
    InstancesFixture f("retry", 2);
    answer_history(f.server);
    f.start_all();
    auto saved_dms = [&] {
        int n = 0;
        for (const auto& c : f.server.calls("chat.postMessage"))
            if (c.args.dump().find("as feedback for you") != std::string::npos) ++n;
        return n;
    };
    auto feedback = [&](const std::string& ts) {
        return f.count("SELECT count(*) FROM feedback WHERE subject_id = ? AND message_ts = ?",
                       "U0ALICE", ts);
    };

    // Processed by bot0; Slack did not see the ack in time and retries to bot1.
    const std::string ts1 = "1763460000.000100";
    auto first =
        f.server.send_event(star_reaction(ts1), "Ev0INST1", 0, "", f.instance(0).connection);
    REQUIRE(f.server.wait_for_ack(first, 5s));
    REQUIRE(wait_until([&] { return feedback(ts1) == 1; }, 10s));
    auto retry =
        f.server.send_event(star_reaction(ts1), "Ev0INST1", 1, "timeout", f.instance(1).connection);
    auto retry_ack = f.server.wait_for_ack(retry, 5s);
    REQUIRE(retry_ack);
    CHECK(retry_ack->connection == f.instance(1).connection);
    CHECK(wait_until(
        [&] {
            return f.logs(1).find("event Ev0INST1 (reaction_added) already processed") !=
                   std::string::npos;
        },
        5s));

    // Both deliveries at once, one to each instance: whichever commits first wins.
    const std::string ts2 = "1763460000.000200";
    auto a = f.server.send_event(star_reaction(ts2), "Ev0INST2", 0, "", f.instance(0).connection);
    auto b = f.server.send_event(star_reaction(ts2), "Ev0INST2", 1, "http_timeout",
                                 f.instance(1).connection);
    REQUIRE(f.server.wait_for_ack(a, 5s));
    REQUIRE(f.server.wait_for_ack(b, 5s));
    REQUIRE(wait_until([&] { return feedback(ts2) == 1 && saved_dms() == 2; }, 10s));
    std::this_thread::sleep_for(1s);  // time for a second processing to show, if any

    CHECK(feedback(ts1) == 1);
    CHECK(feedback(ts2) == 1);
    CHECK(saved_dms() == 2);  // one "Saved" DM per event
    // A second processing would have read the message again.
    CHECK(f.server.call_count("conversations.history") == 2);
    CHECK(f.count("SELECT count(*) FROM processed_events WHERE event_id IN (?, ?)", "Ev0INST1",
                  "Ev0INST2") == 2);
    std::cout << json{{"test", "instances_event_retry"},
                      {"instances", f.size()},
                      {"events", 2},
                      {"deliveries", 4},
                      {"feedback_stored", feedback(ts1) + feedback(ts2)},
                      {"saved_dms", saved_dms()},
                      {"history_reads", f.server.call_count("conversations.history")}}
                     .dump()
              << std::endl;
    CHECK(f.stop(0) == 0);
    CHECK(f.stop(1) == 0);
    f.check_logs_clean();
}

TEST_CASE(
    "instances: PostgreSQL stopped and started again; 'try again' meanwhile, then the bots "
    "reconnect by themselves",
    "[.instances]") {
    InstancesFixture f("outage", 2);
    answer_history(f.server);
    f.start_all();
    Tally t;
    // Before the outage.
    for (int i = 0; i < 40; ++i) {
        const std::string text = "outage brag before n" + std::to_string(i);
        auto ack =
            f.brag(static_cast<std::size_t>(i) % 2, kUsers[static_cast<std::size_t>(i) % 3], text);
        ++t.sent;
        CHECK(saved(ack));
        if (saved(ack)) t.acked.insert(text);
    }

    PgCluster::shared().stop();
    const auto outage_began = Clock::now();
    long during = 0, during_try_again = 0, during_false_saved = 0;
    for (int i = 0; i < 10; ++i) {
        const std::string text = "outage brag during n" + std::to_string(i);
        auto ack = f.brag(static_cast<std::size_t>(i) % 2, "U0ALICE", text);
        ++t.sent;
        ++during;
        INFO(ack.payload.dump());
        CHECK(ack.latency < 3s);
        CHECK(!saved(ack));
        CHECK(try_again(ack));
        if (try_again(ack)) ++during_try_again;
        if (saved(ack)) ++during_false_saved;
    }
    // An event that cannot be stored stays unacked, so Slack retries it.
    const std::string ts = "1763460000.000300";
    auto event =
        f.server.send_event(star_reaction(ts), "Ev0OUTAGE", 0, "", f.instance(0).connection);
    CHECK(!f.server.wait_for_ack(event, 1s));
    std::this_thread::sleep_for(3s - (Clock::now() - outage_began));
    PgCluster::shared().start();
    const auto restarted = Clock::now();

    // Each instance answers "Logged" again on its own, without a restart.
    long after_failed = 0;
    const auto recovered_after_s =
        recovery_times(f, t, "outage", restarted, std::chrono::seconds(20), after_failed);
    REQUIRE(recovered_after_s.size() == f.size());
    for (std::size_t k = 0; k < f.size(); ++k) CHECK(f.instance(k).running());
    // Slack's retry, to the other instance this time, is processed once.
    auto retry =
        f.server.send_event(star_reaction(ts), "Ev0OUTAGE", 1, "timeout", f.instance(1).connection);
    REQUIRE(f.server.wait_for_ack(retry, 5s));
    auto feedback = [&] {
        return f.count("SELECT count(*) FROM feedback WHERE subject_id = ? AND message_ts = ?",
                       "U0ALICE", ts);
    };
    CHECK(wait_until([&] { return feedback() == 1; }, 10s));
    t.check(f, "outage brag %");
    CHECK(f.stored_brags("outage brag during%").empty());
    json figures = t.figures("instances_pg_outage", f, 0);
    figures["during_outage"] = during;
    figures["during_try_again"] = during_try_again;
    figures["during_false_saved"] = during_false_saved;
    figures["failed_after_restart"] = after_failed;
    figures["recovered_after_s"] = recovered_after_s;
    figures["event_retried_after_outage_stored"] = feedback();
    std::cout << figures.dump() << std::endl;
    CHECK(f.stop(0) == 0);
    CHECK(f.stop(1) == 0);
    f.check_logs_clean();
}

// When the server dies while a transaction is open, the ROLLBACK that follows cannot reach it
// either; the connection must still count that transaction as over, or every later BEGIN would
// fail as part of it and the instance that had it open would never save again.
TEST_CASE(
    "instances: PostgreSQL stopped under load while a write is inside its transaction; "
    "the bots reconnect by themselves",
    "[.instances]") {
    SlackTestServer::Options o;
    o.record_calls = false;
    InstancesFixture f("outageload", 2, o);
    f.start_all();
    Tally t;
    for (int i = 0; i < 20; ++i) {
        const std::string text = "outageload brag before n" + std::to_string(i);
        auto ack = f.brag(static_cast<std::size_t>(i) % 2, "U0CAROL", text);
        ++t.sent;
        CHECK(saved(ack));
        if (saved(ack)) t.acked.insert(text);
    }
    // A slow transaction of someone else's holds the brags table, so the instance that has the
    // write lock waits inside its transaction (after BEGIN, in the INSERT) when the server
    // goes away, and the other waits for the write lock: the moment the bug needs, every time.
    careerbot::storage::Database holder(f.database_url());
    holder.exec("BEGIN");
    holder.exec("LOCK TABLE brags IN EXCLUSIVE MODE");

    std::mutex m;
    std::map<std::string, std::string> text_of;
    std::atomic<bool> stop_load{false};
    std::thread load([&] {
        std::size_t next = 0;
        while (!stop_load) {
            std::this_thread::sleep_for(2ms);
            if (f.server.stats().outstanding >= 16) continue;
            const std::string text = "outageload brag n" + std::to_string(next);
            auto env = f.send(next % 2, kUsers[next % kUsers.size()], "/brag", text);
            ++next;
            std::lock_guard lock(m);
            text_of[env.envelope_id] = text;
        }
    });
    std::this_thread::sleep_for(300ms);
    PgCluster::shared().stop();
    std::this_thread::sleep_for(1500ms);
    PgCluster::shared().start();
    const auto restarted = Clock::now();
    std::this_thread::sleep_for(300ms);
    stop_load = true;
    load.join();
    REQUIRE(f.server.wait_for_no_outstanding(10s));

    long logged = 0, refused = 0, other = 0;
    for (const auto& a : f.server.acks()) {
        if (a.unknown || a.duplicate) continue;
        auto it = text_of.find(a.envelope_id);
        if (it == text_of.end()) continue;
        ++t.sent;
        if (saved(a)) {
            ++logged;
            t.acked.insert(it->second);
        } else if (try_again(a)) {
            ++refused;
        } else {
            ++other;
            UNSCOPED_INFO("neither saved nor 'try again': " << a.payload.dump());
        }
    }
    CHECK(other == 0);
    CHECK(refused > 0);  // the outage was seen

    // Each instance answers "Logged" again on its own, without a restart.
    long after_failed = 0;
    const auto recovered_after_s =
        recovery_times(f, t, "outageload", restarted, std::chrono::seconds(5), after_failed);
    CHECK(recovered_after_s.size() == f.size());
    t.check(f, "outageload brag %");
    json figures = t.figures("instances_pg_outage_in_transaction", f, 0);
    figures["logged"] = logged;
    figures["try_again"] = refused;
    figures["failed_after_restart"] = after_failed;
    figures["recovered_after_s"] = recovered_after_s;
    std::cout << figures.dump() << std::endl;
    f.check_logs_clean();
}

TEST_CASE(
    "instances: an envelope waiting for Slack in the inbox is completed by one instance "
    "only, though another resumes it at its start",
    "[.instances]") {
    InstancesFixture f("inbox", 2);
    f.server.add_user({"U0DAVE", "dave", "Dave D"});
    // Slow enough that the other instance restarts while the first still waits for Slack.
    f.server.set_response_delay("users.info", 2500ms);
    f.start_all();
    // Dave is new and unnamed (no label in the mention): the brag waits in the inbox for his
    // profile, acked empty.
    auto sent = f.send(0, "U0ALICE", "/brag", "paired with <@U0DAVE> on the rollout");
    REQUIRE(f.server.wait_for_ack(sent.envelope_id, 5s));
    REQUIRE(wait_until([&] { return f.count("SELECT count(*) FROM envelope_inbox") == 1; }, 5s));
    // The other instance restarts meanwhile and resumes every envelope in the inbox.
    CHECK(f.stop(1) == 0);
    f.start(1);
    CHECK(wait_until(
        [&] {
            return f.logs(1).find("resuming slash_command envelope " + sent.envelope_id) !=
                   std::string::npos;
        },
        5s));
    REQUIRE(wait_until([&] { return f.count("SELECT count(*) FROM envelope_inbox") == 0; }, 10s));
    std::this_thread::sleep_for(3500ms);  // the second run's lookup answers, and it commits
    auto logged = [&] {
        int n = 0;
        for (const auto& c : f.server.calls("response_url"))
            if (c.args.dump().find("Logged brag") != std::string::npos) ++n;
        return n;
    };
    const auto stored = f.stored_brags("paired with %");
    CHECK(stored.size() == 1);
    for (const auto& [text, n] : stored) CHECK(n == 1);
    CHECK(logged() == 1);  // one answer to Alice
    std::cout << json{{"test", "instances_inbox_resumed_twice"},
                      {"instances", f.size()},
                      {"stored", stored.empty() ? 0 : stored.begin()->second},
                      {"answers", logged()}}
                     .dump()
              << std::endl;
    CHECK(f.stop(0) == 0);
    CHECK(f.stop(1) == 0);
}

TEST_CASE("instances: the scheduler's leader killed while reminders are due; each sent once",
          "[.instances][leader]") {
    InstancesFixture f("leader", 2);
    for (const char* id : {"U0DAN", "U0ERIN"}) {
        SlackUser u;
        u.id = id;
        u.name = std::string(id).substr(3);
        u.real_name = u.name;
        f.server.add_user(u);
    }
    // Tuesday 2026-11-24, 07:59:40 in New York: the preparations of Alice's 10:00 1:1s are due
    // twenty seconds after the instances start (each runs its own clock from there).
    for (std::size_t i = 0; i < f.size(); ++i) {
        f.instance(i).global_args = {"--now", "2026-11-24T12:59:40Z"};
        f.instance(i).set("reminders", "leader_retry_seconds", 1);
        f.instance(i).set("reminders", "claim_timeout_seconds", 2);
    }
    f.start_all();
    auto leader = [&]() -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < f.size(); ++i)
            if (f.logs(i).find("this instance now runs the reminders") != std::string::npos)
                return i;
        return std::nullopt;
    };
    REQUIRE(wait_until([&] { return leader().has_value(); }, 10s));
    const std::size_t old_leader = *leader();
    const std::size_t other = 1 - old_leader;

    // Alice's team (each report accepts) and a 1:1 with each at 10:00, all through the
    // instance that does not lead: the leader hears of them through NOTIFY.
    const std::vector<std::string> reports = {"U0BOB", "U0CAROL", "U0DAN", "U0ERIN"};
    const auto via_other = f.instance(other).connection;
    for (std::size_t k = 0; k < reports.size(); ++k) {
        const std::string& r = reports[k];
        const std::string dm = "D" + r.substr(1);
        auto add = InstancesFixture::slash("U0ALICE", "/team", "add <@" + r + ">");
        REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(add, via_other).envelope_id, 5s));
        REQUIRE(f.server.wait_for_call("chat.postMessage", 5s, [&](const ApiCall& call) {
            const auto args = call.args.dump();
            return args.find("org_request_accept") != std::string::npos &&
                   args.find(dm) != std::string::npos;
        }));
        json accept = {{"type", "block_actions"},
                       {"user", {{"id", r}, {"name", r}}},
                       {"container", {{"type", "message"}, {"channel_id", dm}}},
                       {"response_url", f.server.issue_response_url()},
                       {"actions", json::array({{{"action_id", "org_request_accept"},
                                                 {"value", std::to_string(k + 1)},
                                                 {"type", "button"}}})}};
        REQUIRE(f.server.wait_for_ack(f.server.send_interactive(accept, via_other), 5s));
        auto schedule =
            InstancesFixture::slash("U0ALICE", "/1on1", "schedule <@" + r + "> tuesday 10:00");
        auto ack =
            f.server.wait_for_ack(f.server.send_slash_command(schedule, via_other).envelope_id, 5s);
        REQUIRE(ack);
        REQUIRE(ack->payload.dump().find("<!date^") != std::string::npos);
    }
    REQUIRE(f.count("SELECT count(*) FROM reminders WHERE kind = 'one_on_one'") == 4);

    // Each send now takes a while, so the leader dies in the middle of the reminders: right
    // after the first reached Slack, while the second is on its way.
    auto is_reminder = [](const ApiCall& c) {
        return c.args.dump().find("careerbot_reminder") != std::string::npos;
    };
    f.server.set_response_delay("chat.postMessage", 1500ms);
    REQUIRE(f.server.wait_for_call("chat.postMessage", 40s, is_reminder));
    std::this_thread::sleep_for(300ms);
    const auto killed_at = Clock::now();
    f.kill(old_leader);

    // The other instance takes over, settles the claim the dead one left (it looks in Slack
    // first), and sends the rest.
    REQUIRE(wait_until(
        [&] {
            return f.logs(other).find("this instance now runs the reminders") != std::string::npos;
        },
        10s));
    const double takeover_s = std::chrono::duration<double>(Clock::now() - killed_at).count();
    CHECK(wait_until(
        [&] {
            return f.count(
                       "SELECT count(*) FROM reminders WHERE kind = 'one_on_one' AND "
                       "state = 'sent'") == 4;
        },
        30s));
    std::this_thread::sleep_for(2s);  // a window in which a duplicate would have gone out

    std::map<std::string, int> in_slack;  // reminder key -> messages with it in Alice's DM
    for (const auto& m : f.server.messages("D0ALICE")) {
        const auto& meta = m.value("metadata", json::object());
        if (meta.value("event_type", "") != "careerbot_reminder") continue;
        ++in_slack[meta.value("event_payload", json::object()).value("key", "")];
    }
    long duplicates = 0;
    for (const auto& [key, n] : in_slack) {
        INFO(key);
        CHECK(n == 1);
        if (n > 1) ++duplicates;
    }
    CHECK(in_slack.size() == 4);
    std::cout << json{{"test", "instances_leader_killed"},
                      {"instances", f.size()},
                      {"kills", 1},
                      {"reminders_due", 4},
                      {"reminders_in_slack", in_slack.size()},
                      {"duplicates", duplicates},
                      {"takeover_s", takeover_s},
                      {"settled_stale_claim",
                       f.logs(other).find("was claimed") != std::string::npos}}
                     .dump()
              << std::endl;
    f.server.set_response_delay("chat.postMessage", 0ms);
    CHECK(f.stop(other) == 0);
    f.check_logs_clean();
}
