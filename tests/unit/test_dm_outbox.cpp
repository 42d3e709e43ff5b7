// The DM outbox's sending order and bookkeeping, with the Web API replaced by a recorder.
#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/slack/commit_queue.hpp"
#include "src/slack/dm_outbox.hpp"

using namespace careerbot;
using namespace careerbot::slack;
using careerbot::testing::TestApp;
using nlohmann::json;

namespace {

struct OutboxTest {
    struct Call {
        std::string user;
        std::string key;
        int64_t since_unix;
        bool check_first;
        std::function<void(bool)> done;
    };
    std::vector<Call> calls;
    std::vector<int64_t> finished;
    DmOutbox outbox{[this](const std::string& user, const Message&, const std::string& key,
                           int64_t since, bool check_first, std::function<void(bool)> done) {
                        calls.push_back({user, key, since, check_first, std::move(done)});
                    },
                    [this](int64_t id) { finished.push_back(id); }};

    static std::pair<storage::OutboxRow, DirectMessage> dm(int64_t id, const std::string& user) {
        storage::OutboxRow row;
        row.id = id;
        row.key = "k" + std::to_string(id);
        row.user_id = user;
        return {row, DirectMessage{user, Message{"hi", json::array()}}};
    }
};

}  // namespace

TEST_CASE("outbox DMs go one after the other; a row goes once Slack has it", "[dm_outbox]") {
    OutboxTest t;
    t.outbox.send_new({OutboxTest::dm(1, "U1"), OutboxTest::dm(2, "U1")});
    REQUIRE(t.calls.size() == 1);  // the second waits for the first
    CHECK(t.calls[0].key == "k1");
    CHECK_FALSE(t.calls[0].check_first);
    t.calls[0].done(false);  // not taken: the row stays for a later retry
    REQUIRE(t.calls.size() == 2);
    CHECK(t.calls[1].key == "k2");
    t.calls[1].done(true);
    CHECK(t.finished == std::vector<int64_t>{2});
}

TEST_CASE("a row already on its way is not sent twice", "[dm_outbox]") {
    OutboxTest t;
    t.outbox.send_new({OutboxTest::dm(1, "U1")});
    t.outbox.send_new({OutboxTest::dm(1, "U1")});
    CHECK(t.calls.size() == 1);
    t.calls[0].done(true);
    t.outbox.send_new({OutboxTest::dm(1, "U1")});  // done: may go again (a resend)
    CHECK(t.calls.size() == 2);
}

TEST_CASE("a resend looks in the DM first and drops what is a day old", "[dm_outbox]") {
    TestApp app;
    OutboxTest t;
    const auto now = app.clock.now();
    storage::OutboxRepo repo(app.db);
    int64_t fresh = 0;
    app.db.write([&] {
        repo.add("U1", outbox_message_json(Message{"old", json::array()}).dump(),
                 now - std::chrono::hours(25));
        fresh = repo.add("U2", outbox_message_json(Message{"new", json::array()}).dump(),
                         now - std::chrono::minutes(10))
                    .id;
    });
    t.outbox.resend(app.db, now);
    REQUIRE(t.calls.size() == 1);
    CHECK(t.calls[0].user == "U2");
    CHECK(t.calls[0].check_first);
    const auto created = std::chrono::duration_cast<std::chrono::seconds>(
                             (now - std::chrono::minutes(10)).time_since_epoch())
                             .count();
    CHECK(t.calls[0].since_unix == created - 5);
    auto rows = repo.all();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == fresh);

    // At most once a minute.
    const auto steady = std::chrono::steady_clock::now();
    t.calls[0].done(false);
    t.outbox.maybe_resend(app.db, now, steady);
    CHECK(t.calls.size() == 1);
    t.outbox.maybe_resend(app.db, now, steady + std::chrono::minutes(2));
    CHECK(t.calls.size() == 2);
}

TEST_CASE("with several instances, a resend leaves rows another instance may be sending",
          "[dm_outbox][instances]") {
    TestApp app;
    OutboxTest t;
    const auto now = app.clock.now();
    storage::OutboxRepo repo(app.db);
    app.db.write([&] {
        // Left by an instance that vanished six minutes ago; just written by a live one.
        repo.add("U1", outbox_message_json(Message{"left", json::array()}).dump(),
                 now - std::chrono::minutes(6));
        repo.add("U2", outbox_message_json(Message{"new", json::array()}).dump(),
                 now - std::chrono::seconds(20));
    });
    t.outbox.resend(app.db, now, std::chrono::minutes(5));
    REQUIRE(t.calls.size() == 1);
    CHECK(t.calls[0].user == "U1");
    CHECK(t.calls[0].check_first);
    CHECK(repo.all().size() == 2);  // the young one stays for its own instance
}
