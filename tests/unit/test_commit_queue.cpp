// The commit queue without a websocket: batches, outcomes per envelope, event dedupe, the
// inbox, and what it asks of its host.
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/core/metrics.hpp"
#include "src/slack/commit_queue.hpp"
#include "storage/envelope_inbox.hpp"

using namespace careerbot;
using namespace careerbot::slack;
using careerbot::testing::TestApp;
using nlohmann::json;

namespace {

struct QueueTest {
    TestApp t;
    std::vector<Outcome> outcomes;
    std::vector<std::pair<Job, LookupQuestion>> asked;
    std::vector<std::string> profiles;
    int pokes = 0;
    int committed_calls = 0;
    CommitQueue queue{t.app, t.services, hooks()};

    QueueTest() {
        // Test-only handlers: one that sends a DM, one that needs Slack.
        t.app.command({"/dm-test", "sends a DM", ""}, [](Services&, const Request& r) {
            Reply reply = Reply::text("sent");
            reply.dms.push_back({"U2", Message{"hello from " + r.user_id, json::array()}});
            return reply;
        });
        t.app.command({"/ask-test", "asks Slack", ""}, [](Services& s, const Request&) {
            auto u = s.lookup().user("U9");
            return Reply::text(u ? "found " + u->name : "nobody");
        });
    }

    CommitQueueHooks hooks() {
        CommitQueueHooks h;
        h.committed = [this](std::vector<Outcome> o) {
            ++committed_calls;
            for (auto& x : o) outcomes.push_back(std::move(x));
        };
        h.ask_slack = [this](Job job, LookupQuestion q) {
            asked.emplace_back(std::move(job), std::move(q));
        };
        h.reminders_planned = [this] { ++pokes; };
        h.learn_profile = [this](const std::string& user) { profiles.push_back(user); };
        return h;
    }

    Job command(const std::string& envelope_id, const std::string& user, const std::string& name,
                const std::string& text) {
        Request r;
        r.user_id = user;
        r.command = name;
        r.text = text;
        r.channel_id = "C1";
        r.received_at = t.clock.now();
        r.source = "test";
        return Job{envelope_id, 7, r, std::nullopt, 0};
    }

    Job event(const std::string& envelope_id, const std::string& event_id) {
        Event e;
        e.type = "nobody_handles_this";
        e.event_id = event_id;
        e.user_id = "U1";
        e.received_at = t.clock.now();
        return Job{envelope_id, 7, e, std::nullopt, 0};
    }

    void run(std::vector<Job> jobs) { queue.run_batch(jobs); }
};

}  // namespace

TEST_CASE("a batch commits together and hands on one outcome per job, in order", "[commit_queue]") {
    QueueTest q;
    q.run({q.command("E1", "U1", "/brag", "shipped the importer"),
           q.command("E2", "U2", "/brag", "fixed the flaky test")});
    REQUIRE(q.committed_calls == 1);
    REQUIRE(q.outcomes.size() == 2);
    CHECK(q.outcomes[0].envelope_id == "E1");
    CHECK(q.outcomes[1].envelope_id == "E2");
    for (const auto& o : q.outcomes) {
        CHECK(o.kind == EnvelopeKind::slash_command);
        CHECK(o.connection == 7);
        CHECK_FALSE(o.failed);
        CHECK(o.reply.message.has_value());
    }
    CHECK(q.outcomes[0].target.user_id == "U1");
    CHECK(q.outcomes[1].target.channel_id == "C1");
    CHECK(q.t.count("SELECT count(*) FROM brags") == 2);
    // Slash commands and interactions are recorded as committed (for the ack journal).
    storage::EnvelopeInboxRepo inbox(q.t.db);
    CHECK(inbox.was_committed("E1"));
    CHECK(inbox.was_committed("E2"));
    CHECK(q.queue.busy_for(std::chrono::steady_clock::now()) == std::chrono::seconds(0));
    CHECK_FALSE(q.queue.last_commit_failed());
}

TEST_CASE("an event is processed once, whichever batch its repeat arrives in", "[commit_queue]") {
    QueueTest q;
    Metrics metrics;
    q.t.services.metrics = &metrics;
    q.run({q.event("E1", "Ev1"), q.event("E2", "Ev1")});
    q.run({q.event("E3", "Ev1"), q.event("E4", "Ev2")});
    CHECK(metrics.events_duplicate.load() == 2);
    CHECK(q.t.count("SELECT count(*) FROM processed_events") == 2);
    REQUIRE(q.outcomes.size() == 4);
    for (const auto& o : q.outcomes) {
        CHECK(o.kind == EnvelopeKind::event);
        CHECK_FALSE(o.failed);
    }
    // Events are not journaled: Slack redelivers them by itself.
    CHECK_FALSE(storage::EnvelopeInboxRepo(q.t.db).was_committed("E1"));
}

TEST_CASE("the reminder loop is poked only after commands that plan reminders", "[commit_queue]") {
    QueueTest q;
    q.run({q.command("E1", "U1", "/brag", "help")});
    CHECK(q.pokes == 0);
    q.run({q.command("E2", "U1", "/task", "help"), q.command("E3", "U1", "/brag", "help")});
    CHECK(q.pokes == 1);
    q.run({q.command("E4", "U1", "/1on1", "help")});
    CHECK(q.pokes == 2);
}

TEST_CASE("newcomers are looked up once; their profile is stored by a later job",
          "[commit_queue]") {
    QueueTest q;
    q.run({q.command("E1", "U1", "/brag", "help"), q.command("E2", "U1", "/brag", "help")});
    CHECK(q.profiles == std::vector<std::string>{"U1"});
    q.run({q.command("E3", "U1", "/brag", "help")});
    CHECK(q.profiles.size() == 1);
    q.run({Job{"", 0, storage::Person{"U1", "alice", "Alice A", "Europe/Paris", {}}, std::nullopt,
               0}});
    auto p = storage::PeopleRepo(q.t.db).find("U1");
    REQUIRE(p);
    CHECK(p->name == "alice");
    CHECK(p->tz == "Europe/Paris");
}

TEST_CASE("a reply's DMs go to the outbox in the same transaction", "[commit_queue]") {
    QueueTest q;
    q.run({q.command("E1", "U1", "/dm-test", "")});
    REQUIRE(q.outcomes.size() == 1);
    const auto& o = q.outcomes[0];
    CHECK(o.reply.dms.empty());
    REQUIRE(o.outbox.size() == 1);
    CHECK(o.outbox[0].second.user_id == "U2");
    auto rows = storage::OutboxRepo(q.t.db).all();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == o.outbox[0].first.id);
    CHECK(outbox_message(rows[0].message).text == "hello from U1");
    // Sent: a bookkeeping job removes the row.
    q.run({Job{"", 0, OutboxDone{rows[0].id}, std::nullopt, 0}});
    CHECK(storage::OutboxRepo(q.t.db).all().empty());
}

TEST_CASE("a handler that needs Slack waits in the inbox and resumes with the answer",
          "[commit_queue]") {
    QueueTest q;
    q.run({q.command("E1", "U1", "/ask-test", ""), q.command("E2", "U1", "/brag", "help")});
    REQUIRE(q.outcomes.size() == 2);
    REQUIRE(q.outcomes[0].waiting);
    CHECK(q.outcomes[0].waiting->key() == "user:U9");
    CHECK_FALSE(q.outcomes[0].reply.message);  // acked empty
    CHECK(q.outcomes[1].reply.message);        // the other job is not held up
    REQUIRE(q.asked.size() == 1);
    Job job = std::move(q.asked[0].first);
    CHECK(job.rounds == 1);
    CHECK(storage::EnvelopeInboxRepo(q.t.db).all().size() == 1);

    (*job.answers)["user:U9"] =
        json{{"id", "U9"}, {"name", "zoe"}, {"real_name", ""}, {"tz", ""}, {"is_bot", false}};
    q.outcomes.clear();
    q.run({std::move(job)});
    REQUIRE(q.outcomes.size() == 1);
    CHECK_FALSE(q.outcomes[0].waiting);
    CHECK_THAT(q.t.text(q.outcomes[0].reply), Catch::Contains("found zoe"));
    CHECK(storage::EnvelopeInboxRepo(q.t.db).all().empty());
}

TEST_CASE("an envelope resumed by two runs (two instances) is completed by one only",
          "[commit_queue][instances]") {
    QueueTest q;
    // A brag naming someone unknown, without a label: it waits in the inbox for users.info.
    q.run({q.command("E1", "U1", "/brag", "paired with <@U9> on the rollout")});
    REQUIRE(q.asked.size() == 1);
    Job first = std::move(q.asked[0].first);
    (*first.answers)["user:U9"] =
        json{{"id", "U9"}, {"name", "zoe"}, {"real_name", ""}, {"tz", ""}, {"is_bot", false}};
    // Another instance started meanwhile and resumed the same row from the inbox.
    Job second = first;
    q.outcomes.clear();
    q.run({std::move(first)});
    REQUIRE(q.outcomes.size() == 1);
    CHECK_THAT(q.t.text(q.outcomes[0].reply), Catch::Contains("Logged brag"));
    CHECK(storage::EnvelopeInboxRepo(q.t.db).all().empty());
    q.outcomes.clear();
    q.run({std::move(second)});
    REQUIRE(q.outcomes.size() == 1);
    CHECK_FALSE(q.outcomes[0].failed);
    CHECK_FALSE(q.outcomes[0].reply.message);  // no second answer to the user
    CHECK(q.outcomes[0].outbox.empty());
    CHECK(q.t.count("SELECT count(*) FROM brags") == 1);
}

TEST_CASE("a database file replaced under the bot fails the batch, with an answer",
          "[commit_queue]") {
    auto path = std::filesystem::temp_directory_path() /
                ("careerbot-commit-queue-" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    Config config;
    ManualClock clock{testing::test_now()};
    storage::Database db{path.string()};
    db.migrate();
    Services services{db, clock, config};
    App app;
    commands::register_all(app);
    std::vector<Outcome> outcomes;
    CommitQueueHooks hooks;
    hooks.committed = [&](std::vector<Outcome> o) { outcomes = std::move(o); };
    CommitQueue queue(app, services, hooks);

    std::filesystem::remove(path);
    Request r;
    r.user_id = "U1";
    r.command = "/brag";
    r.text = "lost";
    Event e;
    e.type = "nobody_handles_this";
    e.event_id = "Ev1";
    std::vector<Job> batch{Job{"E1", 1, r, std::nullopt, 0}, Job{"E2", 1, e, std::nullopt, 0}};
    queue.run_batch(batch);
    REQUIRE(outcomes.size() == 2);
    CHECK(outcomes[0].failed);
    CHECK_THAT(outcomes[0].reply.message->text, Catch::Contains("deleted or replaced"));
    CHECK(outcomes[1].failed);
    CHECK(outcomes[1].kind == EnvelopeKind::event);  // stays unacked: Slack retries it
    CHECK(queue.database_replaced());
    CHECK(queue.last_commit_failed());
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

TEST_CASE("the storage thread drains, flushes in order and stops after the queue",
          "[commit_queue]") {
    QueueTest q;
    std::mutex m;
    std::condition_variable cv;
    bool flushed = false;
    std::size_t seen_at_flush = 0;
    q.queue.start();
    for (int i = 0; i < 20; ++i)
        q.queue.push(
            q.command("E" + std::to_string(i), "U1", "/brag", "item " + std::to_string(i)));
    q.queue.flush([&] {
        std::lock_guard lock(m);
        seen_at_flush = q.outcomes.size();  // the storage thread wrote them before this
        flushed = true;
        cv.notify_all();
    });
    {
        std::unique_lock lock(m);
        REQUIRE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return flushed; }));
    }
    CHECK(seen_at_flush == 20);
    q.queue.push(q.command("E20", "U1", "/brag", "the last one"));
    q.queue.stop();  // runs what is queued first
    CHECK(q.outcomes.size() == 21);
    CHECK(q.t.count("SELECT count(*) FROM brags") == 21);
    for (std::size_t i = 0; i < q.outcomes.size(); ++i)
        CHECK(q.outcomes[i].envelope_id == "E" + std::to_string(i));
}
