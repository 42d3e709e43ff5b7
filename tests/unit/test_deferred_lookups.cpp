// Handlers never wait on Slack inside a write: PrefetchedLookup and the envelope inbox; and the
// apology that says whether a failed command was reading or writing.
#include <catch2/catch.hpp>

#include <filesystem>

#include "src/core/prefetched_lookup.hpp"
#include "storage/envelope_inbox.hpp"
#include "tests/unit/fixture.hpp"

using namespace careerbot;
using nlohmann::json;

namespace {

/// A live lookup that counts what it is asked.
struct CountingLookup final : Lookup {
    int calls = 0;
    std::optional<std::string> permalink(const std::string& c, const std::string& ts) override {
        ++calls;
        return "https://x.slack.com/archives/" + c + "/p" + ts;
    }
    std::optional<SlackMessage> message(const std::string&, const std::string& ts) override {
        ++calls;
        SlackMessage m;
        m.text = "hello <@U2>";
        m.user_id = "U1";
        m.ts = ts;
        return m;
    }
    std::optional<SlackUser> user(const std::string& id) override {
        ++calls;
        if (id == "UNOBODY") return std::nullopt;
        return SlackUser{id, "dana", "Dana Scully", "Europe/Paris", false};
    }
};

}  // namespace

TEST_CASE("PrefetchedLookup answers what was fetched and asks for the rest",
          "[lookup][reliability]") {
    PrefetchedLookup empty;
    try {
        (void)empty.user("U9");
        FAIL("expected LookupNeeded");
    } catch (const LookupNeeded& need) {
        CHECK(need.question.kind == "user");
        CHECK(need.question.a == "U9");
        CHECK(need.question.key() == "user:U9");
    }
    CHECK_THROWS_AS(empty.message("C1", "1.2"), LookupNeeded);
    CHECK_THROWS_AS(empty.permalink("C1", "1.2"), LookupNeeded);

    CountingLookup live;
    json answers = json::object();
    for (LookupQuestion q :
         {LookupQuestion{"user", "U9", ""}, LookupQuestion{"message", "C1", "1.2"},
          LookupQuestion{"permalink", "C1", "1.2"}, LookupQuestion{"user", "UNOBODY", ""}}) {
        // The question survives the inbox's JSON.
        auto back = LookupQuestion::from_json(json::parse(q.to_json().dump()));
        CHECK(back.key() == q.key());
        answers[q.key()] = PrefetchedLookup::fetch(live, back);
    }
    CHECK(live.calls == 4);
    PrefetchedLookup known(answers);
    auto u = known.user("U9");
    REQUIRE(u);
    CHECK(u->real_name == "Dana Scully");
    CHECK(u->tz == "Europe/Paris");
    CHECK_FALSE(known.user("UNOBODY"));  // Slack had none: an answer, not a question
    auto m = known.message("C1", "1.2");
    REQUIRE(m);
    CHECK(m->user_id == "U1");
    CHECK(m->text == "hello <@U2>");
    CHECK(known.permalink("C1", "1.2").value_or("").find("/archives/C1/") != std::string::npos);
    CHECK_THROWS_AS(known.user("U10"), LookupNeeded);

    // The last round carries on without what is still missing.
    PrefetchedLookup last(answers, true);
    CHECK_FALSE(last.user("U10"));
}

TEST_CASE("requests, events and interactions survive the inbox's JSON", "[lookup][reliability]") {
    Request r;
    r.user_id = "U1";
    r.command = "/brag";
    r.text = "shipped <@U2> ✓";
    r.response_url = "https://hooks.slack.com/commands/T/1/abc";
    r.trigger_id = "t.1";
    r.channel_id = "C1";
    r.received_at = testing::test_now();
    Request r2 = request_from_json(json::parse(to_json(r).dump()));
    CHECK(r2.user_id == r.user_id);
    CHECK(r2.text == r.text);
    CHECK(r2.response_url == r.response_url);
    CHECK(r2.received_at == r.received_at);

    Event e;
    e.type = "reaction_added";
    e.event_id = "Ev1";
    e.user_id = "U1";
    e.body = {{"item", {{"channel", "C1"}, {"ts", "1.2"}}}};
    Event e2 = event_from_json(json::parse(to_json(e).dump()));
    CHECK(e2.event_id == "Ev1");
    CHECK(e2.body == e.body);

    Interaction in;
    in.type = "view_submission";
    in.key = "feedback_save";
    in.value = "42";
    in.payload = {{"view", {{"id", "V1"}}}};
    Interaction in2 = interaction_from_json(json::parse(to_json(in).dump()));
    CHECK(in2.key == "feedback_save");
    CHECK(in2.value == "42");
    CHECK(in2.payload == in.payload);
}

TEST_CASE("the envelope inbox keeps waiting envelopes and the ids of committed batches",
          "[storage][reliability]") {
    storage::Database db(":memory:");
    db.migrate(true);
    storage::EnvelopeInboxRepo inbox(db);
    const auto now = testing::test_now();
    db.write([&] {
        inbox.put({"E1", "event", R"({"type":"reaction_added"})", "{}", R"({"kind":"user"})", 1},
                  now);
        inbox.put({"E2", "slash_command", R"({"command":"/brag"})", "{}", "{}", 1}, now);
        // A later round updates the answers of the same envelope.
        inbox.put({"E1", "event", "{}", R"({"user:U1":null})", R"({"kind":"message"})", 2}, now);
        inbox.record_committed({"S1", "S2"}, now);
    });
    auto rows = inbox.all();
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].envelope_id == "E1");
    CHECK(rows[0].rounds == 2);
    CHECK(rows[0].answers == R"({"user:U1":null})");
    CHECK(rows[0].item == R"({"type":"reaction_added"})");  // the item itself is kept
    db.write([&] { inbox.remove("E1"); });
    CHECK(inbox.all().size() == 1);
    CHECK(inbox.was_committed("S2"));
    CHECK_FALSE(inbox.was_committed("S3"));
    CHECK(inbox.prune_committed(now + std::chrono::hours(2)) == 1);
    CHECK_FALSE(inbox.was_committed("S2"));
}

TEST_CASE("a failing read says it could not read; a failing write says nothing was stored",
          "[app][reliability]") {
    testing::TestApp t;
    t.app.command({"/peek", "reads", ""}, [](Services&, const Request&) -> Reply {
        throw storage::StorageError("database disk image is malformed");
    });
    t.app.command({"/poke", "writes", ""}, [&t](Services&, const Request& r) -> Reply {
        storage::PeopleRepo(t.db).ensure("U0NEW", "newcomer", t.clock.now());
        (void)r;
        throw storage::StorageError("database disk image is malformed");
    });
    (void)t.run("U1", "/brag", "warm up so U1 exists");
    auto read = t.run("U1", "/peek", "");
    REQUIRE(read.message);
    CHECK(read.message->text.find("could not read") != std::string::npos);
    CHECK(read.message->text.find("stored") == std::string::npos);
    auto write = t.run("U1", "/poke", "");
    REQUIRE(write.message);
    CHECK(write.message->text.find("nothing was stored") != std::string::npos);
}
