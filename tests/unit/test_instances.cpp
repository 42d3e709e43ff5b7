// Several instances on one database (storage/instances.hpp, the claims of the reminder
// outbox, ReminderService's leadership): each instance is a connection of its own here, on a
// SQLite file or, under tests/run-on-postgresql.sh, on PostgreSQL. The tests tagged
// [postgresql] need PostgreSQL (advisory locks, LISTEN/NOTIFY) and pass trivially without it.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "src/scheduler/reminder_host.hpp"
#include "storage/brags.hpp"
#include "storage/instances.hpp"
#include "storage/people.hpp"
#include "storage/reminder_outbox.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using careerbot::testing::FakeSender;
using careerbot::testing::TestApp;
using careerbot::testing::utc;

namespace {

bool on_postgresql() { return !testing::test_database_url().empty(); }

/// A SQLite file in the temp dir, removed with its WAL at the end (unused on PostgreSQL).
struct SharedFile {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("careerbot-instances-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(++counter()) + ".db");
    ~SharedFile() {
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::error_code ec;
            std::filesystem::remove(path.string() + suffix, ec);
        }
    }
    static std::atomic<int>& counter() {
        static std::atomic<int> n{0};
        return n;
    }
};

/// One Slack for several instances' schedulers, on several threads.
class SharedSlack final : public scheduler::ReminderSender {
  public:
    explicit SharedSlack(const Clock& clock) : slack_(clock) {}
    std::optional<std::string> send_dm(const std::string& user, const Message& m,
                                       const std::string& key) override {
        std::lock_guard lock(mutex_);
        auto ts = slack_.send_dm(user, m, key);
        cv_.notify_all();
        return ts;
    }
    /// Waits (at most `limit`) until `n` messages were sent; returns how many were.
    std::size_t wait_for(std::size_t n, std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex_);
        cv_.wait_for(lock, limit, [&] { return slack_.sent.size() >= n; });
        return slack_.sent.size();
    }
    std::optional<std::string> find_sent(const std::string& user, const std::string& key,
                                         TimePoint since) override {
        std::lock_guard lock(mutex_);
        return slack_.find_sent(user, key, since);
    }
    std::vector<std::string> keys() {
        std::lock_guard lock(mutex_);
        std::vector<std::string> out;
        for (const auto& s : slack_.sent) out.push_back(s.key);
        return out;
    }

  private:
    std::mutex mutex_;
    std::condition_variable cv_;
    FakeSender slack_;
};

/// Five reports of `mgr` with a 1:1 each on Tuesday 24 November 2026, at 10:00, 10:10, … 10:40
/// UTC (preparations due two hours before), everyone in the UTC zone.
void five_one_on_ones(TestApp& t) {
    t.person("mgr");
    testing::set_tz(t.db, "mgr", "UTC", t.clock.now());
    for (int i = 0; i < 5; ++i) {
        const std::string eng = "eng" + std::to_string(i);
        t.person(eng, "mgr");
        testing::set_tz(t.db, eng, "UTC", t.clock.now());
        t.run("mgr", "/1on1", "schedule <@" + eng + "> tuesday 10:" + std::to_string(i) + "0");
    }
}

/// Ends `victim`'s PostgreSQL session from `admin`'s, as the server does when a machine
/// vanishes; `victim` connects again at its next use.
void terminate_session(storage::Database& admin, storage::Database& victim) {
    auto pid = victim.prepare("SELECT pg_backend_pid()");
    REQUIRE(pid.step());
    const auto victim_pid = pid.get<int64_t>(0);
    pid.reset();
    auto kill = admin.prepare("SELECT pg_terminate_backend(CAST(? AS INTEGER))");
    kill.bind(victim_pid);
    REQUIRE(kill.step());
}

scheduler::SchedulerOptions shared_options() {
    scheduler::SchedulerOptions o;
    o.claim_timeout = std::chrono::seconds(300);
    return o;
}

}  // namespace

TEST_CASE("two instances' schedulers running at once send each due reminder once", "[instances]") {
    SharedFile file;
    TestApp t(file.path.string());
    five_one_on_ones(t);
    t.clock.set(utc(2026, 11, 24, 9));  // every preparation is due (and still useful)
    SharedSlack slack(t.clock);
    storage::Database a(t.location.where()), b(t.location.where());
    scheduler::Scheduler on_a(a, t.config, t.clock, slack, shared_options());
    scheduler::Scheduler on_b(b, t.config, t.clock, slack, shared_options());
    on_a.sync();
    on_b.sync();

    int total = 0;
    std::mutex total_mutex;
    {
        auto run = [&](scheduler::Scheduler& s) {
            const int n = s.run_due(t.clock.now()).sent;
            std::lock_guard lock(total_mutex);
            total += n;
        };
        std::jthread first([&] { run(on_a); });
        std::jthread second([&] { run(on_b); });
    }
    const auto keys = slack.keys();
    CHECK(keys.size() == 5);
    CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == keys.size());
    CHECK(total == 5);
    CHECK(t.count("SELECT count(*) FROM reminders WHERE kind = 'one_on_one' AND state = 'sent'") ==
          5);
    // And again: nothing is left for either.
    CHECK(on_a.run_due(t.clock.now()).total() == 0);
    CHECK(on_b.run_due(t.clock.now()).total() == 0);
}

TEST_CASE("a claim another instance may still be sending is left alone until it is stale",
          "[instances]") {
    SharedFile file;
    TestApp t(file.path.string());
    five_one_on_ones(t);
    t.clock.set(utc(2026, 11, 24, 8, 1));  // eng0's preparation (for 10:00) is due
    FakeSender slack(t.clock);
    storage::Database a(t.location.where()), b(t.location.where());
    {
        // Instance A claims it, sends it and vanishes before noting it as sent.
        slack.crash_after_send = true;
        scheduler::Scheduler on_a(a, t.config, t.clock, slack, shared_options());
        on_a.sync();
        CHECK_THROWS_AS(on_a.run_due(t.clock.now()), testing::Crash);
        slack.crash_after_send = false;
    }
    REQUIRE(slack.sent.size() == 1);
    const auto key = slack.sent[0].key;
    storage::ReminderOutbox outbox(t.db);
    REQUIRE(outbox.find_key(key)->state == "sending");

    scheduler::Scheduler on_b(b, t.config, t.clock, slack, shared_options());
    t.clock.advance(std::chrono::minutes(4));  // younger than the 5-minute claim timeout
    CHECK(on_b.recover().total() == 0);
    CHECK(slack.lookups == 0);
    CHECK(outbox.find_key(key)->state == "sending");

    t.clock.advance(std::chrono::minutes(2));  // now stale: settled by asking Slack first
    auto stats = on_b.recover();
    CHECK(stats.recovered == 1);
    CHECK(slack.sent.size() == 1);  // not sent again
    CHECK(outbox.find_key(key)->state == "sent");
    CHECK(outbox.find_key(key)->message_ts == slack.sent[0].ts);
}

TEST_CASE("of two instances reclaiming the same stale claim, one gets it", "[instances]") {
    SharedFile file;
    TestApp t(file.path.string());
    five_one_on_ones(t);
    t.clock.set(utc(2026, 11, 24, 8, 1));
    FakeSender slack(t.clock);
    slack.crash_before_send = true;
    scheduler::Scheduler crashed(t.db, t.config, t.clock, slack, shared_options());
    crashed.sync();
    CHECK_THROWS_AS(crashed.run_due(t.clock.now()), testing::Crash);

    storage::Database a(t.location.where()), b(t.location.where());
    storage::ReminderOutbox on_a(a), on_b(b);
    auto rows = on_a.sending();
    REQUIRE(rows.size() == 1);
    const auto seen = rows[0].updated_at;
    const auto later = t.clock.now() + std::chrono::minutes(10);
    bool got_a = false;
    bool got_b = false;
    a.write([&] { got_a = on_a.reclaim(rows[0].id, seen, later); });
    b.write([&] { got_b = on_b.reclaim(rows[0].id, seen, later); });
    CHECK(got_a);
    CHECK_FALSE(got_b);
    CHECK(on_b.find(rows[0].id)->updated_at == to_unix(later));
}

TEST_CASE("exactly one instance leads the scheduler, and another takes over when it dies",
          "[instances][postgresql]") {
    TestApp t;
    storage::Database a(t.location.where()), b(t.location.where());
    storage::SchedulerLeadership on_a(a), on_b(b);
    if (!on_postgresql()) {
        // One process per SQLite file: it always leads.
        CHECK(on_a.hold());
        return;
    }
    CHECK(on_a.hold());
    CHECK_FALSE(on_b.hold());
    CHECK(on_a.hold());  // still held: the same session

    // A's session ends (its machine vanished, or the server dropped it): B takes over at its
    // next try, and A, connected again in a new session, is told it no longer leads.
    terminate_session(t.db, a);
    bool taken = false;
    for (int i = 0; i < 100 && !taken; ++i) {
        taken = on_b.hold();
        if (!taken) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    CHECK(taken);
    CHECK_FALSE(on_a.hold());

    // A leader that stops gives the lock back at once.
    on_b.release();
    CHECK(on_a.hold());
    CHECK_FALSE(on_b.hold());
}

TEST_CASE("a planned reminder is announced to the other instances when its transaction commits",
          "[instances][postgresql]") {
    if (!on_postgresql()) return;  // SQLite has one process per file: the local poke is all
    TestApp t;
    storage::Database listener_db(t.location.where());
    storage::ReminderAnnouncements announcements(listener_db);
    CHECK_FALSE(announcements.wait(std::chrono::milliseconds(50)));

    t.db.write([&] {
        storage::announce_reminders_planned(t.db);
        CHECK_FALSE(announcements.wait(std::chrono::milliseconds(100)));  // not yet committed
    });
    CHECK(announcements.wait(std::chrono::seconds(5)));
    CHECK_FALSE(announcements.wait(std::chrono::milliseconds(50)));  // each one once

    // The listener's session dropped: it connects again, listens again and reports that
    // announcements may have been missed meanwhile.
    terminate_session(t.db, listener_db);
    bool woke = false;
    for (int i = 0; i < 50 && !woke; ++i) {
        try {
            woke = announcements.wait(std::chrono::milliseconds(100));
        } catch (const storage::StorageError&) {  // the drop itself; the next wait reconnects
        }
    }
    CHECK(woke);
    storage::announce_reminders_planned(t.db);
    CHECK(announcements.wait(std::chrono::seconds(5)));
}

namespace {

/// Waits up to `limit` for `condition`, polling.
template <class F>
bool eventually(F condition, std::chrono::milliseconds limit) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!condition()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
}

/// `t`'s config pointed at its database, as `careerbot run` would be.
Config host_config(const TestApp& t) {
    Config c = t.config;
    if (on_postgresql())
        c.database.url = t.location.where();
    else
        c.database.path = t.location.where();
    c.reminders.leader_retry_seconds = 1;
    return c;
}

}  // namespace

TEST_CASE("the reminder host of one instance on SQLite leads and sends what is due",
          "[instances]") {
    if (on_postgresql()) return;  // the next test is its PostgreSQL counterpart
    SharedFile file;
    TestApp t(file.path.string());
    five_one_on_ones(t);
    t.clock.set(utc(2026, 11, 24, 8, 1));  // eng0's preparation is due
    SharedSlack slack(t.clock);
    const Config config = host_config(t);
    scheduler::ReminderHost host(config, t.clock, slack, nullptr, nullptr);
    REQUIRE(host.start());
    CHECK(host.leading());
    CHECK(slack.wait_for(1, std::chrono::seconds(20)) == 1);
    host.stop();
    CHECK_FALSE(host.leading());
}

TEST_CASE("of two instances' reminder hosts one leads, and the other takes over when it stops",
          "[instances][postgresql]") {
    if (!on_postgresql()) return;
    TestApp t;
    five_one_on_ones(t);
    t.clock.set(utc(2026, 11, 24, 8, 1));  // eng0's preparation is due
    SharedSlack slack(t.clock);
    const Config config = host_config(t);
    auto first =
        std::make_unique<scheduler::ReminderHost>(config, t.clock, slack, nullptr, nullptr);
    scheduler::ReminderHost second(config, t.clock, slack, nullptr, nullptr);
    REQUIRE(first->start());
    REQUIRE(second.start());
    auto leaders = [&] { return int(first->leading()) + int(second.leading()); };
    CHECK(eventually([&] { return leaders() == 1; }, std::chrono::seconds(5)));
    CHECK(slack.wait_for(1, std::chrono::seconds(10)) == 1);
    CHECK(leaders() == 1);

    // The leader stops (an upgrade): the other one takes over at its next try (1 s here), and
    // a reminder a command plans on it goes out at once, still only once.
    const bool first_led = first->leading();
    scheduler::ReminderHost& other = first_led ? second : *first;
    if (first_led)
        first.reset();
    else
        second.stop();
    CHECK(eventually([&] { return other.leading(); }, std::chrono::seconds(5)));
    t.clock.set(utc(2026, 11, 24, 8, 11));  // eng1's preparation is due now
    other.planned(t.db);
    CHECK(slack.wait_for(2, std::chrono::seconds(10)) == 2);
    auto keys = slack.keys();
    CHECK(std::set<std::string>(keys.begin(), keys.end()).size() == keys.size());
}

TEST_CASE("people read in a write are remembered for its rest, and only while true", "[storage]") {
    SharedFile file;  // two connections: a file on SQLite, or PostgreSQL (see fixture)
    testing::TestDatabaseLocation location(file.path.string());
    storage::Database db(location.where());
    db.migrate();
    ManualClock clock(testing::test_now());
    storage::PeopleRepo people(db);
    storage::Person p{"U1", "ana", "Ana", "Europe/Paris", std::nullopt};
    db.write([&] { people.upsert_profile(p, clock.now()); });
    const auto tz_of = [&](const std::string& id) {
        auto found = people.find(id);
        return found ? found->tz : std::string("(none)");
    };
    db.write([&] {
        people.ensure("U1", "U1", clock.now());  // known: the row there, name kept
        CHECK(people.find("U1")->name == "ana");
        people.ensure("U2", "U2", clock.now());  // new: the row inserted
        CHECK(people.find("U2")->name == "U2");
        CHECK(tz_of("U1") == "Europe/Paris");
        // The repository's own writes are seen at once.
        p.tz = "Asia/Tokyo";
        people.upsert_profile(p, clock.now());
        CHECK(tz_of("U1") == "Asia/Tokyo");
        people.write_manager("U2", std::string("U1"), clock.now());
        CHECK(people.find("U2")->manager_id == std::optional<std::string>("U1"));
        // A savepoint rolled back takes its rows with it, remembered or not.
        CHECK_THROWS(db.write([&] {
            people.ensure("U3", "U3", clock.now());
            CHECK(people.find("U3"));
            throw std::runtime_error("boom");
        }));
        CHECK_FALSE(people.find("U3"));
        people.ensure("U3", "U3", clock.now());
        CHECK(people.find("U3"));
    });
    CHECK(tz_of("U1") == "Asia/Tokyo");
    CHECK(people.find("U3"));
    // Reading a known person is not a change; adding one, or a brag (on PostgreSQL one
    // INSERT inside a WITH, which reports SELECT), is.
    int64_t before = db.total_changes();
    db.write([&] { people.ensure("U1", "U1", clock.now()); });
    CHECK(db.total_changes() == before);
    db.write([&] { people.ensure("U5", "U5", clock.now()); });
    CHECK(db.total_changes() == before + 1);
    before = db.total_changes();
    db.write([&] {
        storage::BragRepo(db).add("U1", {"shipped it", "", "", {"perf"}, "2026-12-01", {}}, "slack",
                                  clock.now());
    });
    CHECK(db.total_changes() > before);
    // A rolled-back transaction forgets what it read: the next one reads the rows again.
    CHECK_THROWS(db.write([&] {
        people.ensure("U4", "U4", clock.now());
        throw std::runtime_error("boom");
    }));
    db.write([&] { CHECK_FALSE(people.find("U4")); });
    // Another connection's change between two writes is seen by the second.
    storage::Database other(location.where());
    p.tz = "America/Chicago";
    other.write([&] { storage::PeopleRepo(other).upsert_profile(p, clock.now()); });
    db.write([&] {
        people.ensure("U1", "U1", clock.now());
        CHECK(tz_of("U1") == "America/Chicago");
    });
}
