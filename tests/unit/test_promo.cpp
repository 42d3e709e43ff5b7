#include <cstdlib>

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/petitions.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {

/// The commands read the ladder from $CAREERBOT_LEVELS until the config has a key for it.
void use_example_levels() {
    ::setenv("CAREERBOT_LEVELS", CAREERBOT_SOURCE_DIR "/config/levels.example.toml", 1);
}

Reply private_summary(TestApp& t, const std::string& user) {
    Request r;
    r.user_id = user;
    r.command = "/quarter-summary";
    r.channel_id = "D1";
    r.received_at = t.clock.now();
    r.source = "test";
    return t.app.handle(t.services, r);
}

}  // namespace

TEST_CASE("petition goes to the nearest director with the evidence and shows up everywhere",
          "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("peer", "mgr");  // mgr manages several people but no managers: not a director
    CHECK_THAT(t.say("mgr", "/promo", "level <@eng> L2"), Catch::Contains("now at *L2*"));
    CHECK_THAT(t.say("peer", "/promo", "level <@eng> L4"), Catch::Contains(":lock:"));
    for (const auto* c : {"Onboarding", "Secure coding basics", "Code review practices",
                          "Incident commander", "AWS Solutions Architect Associate 2026-10-02"}) {
        t.run("eng", "/cert", std::string("add ") + c);
    }
    t.run("eng", "/brag", "2026-11-02 wrote the storage RFC #design impact: unblocked 3 teams");
    t.run("eng", "/brag", "2026-10-20 led the outage review #incident");

    auto status = t.say("eng", "/promo", "status");
    CHECK_THAT(status, Catch::Contains("Current level: *L2*"));
    CHECK_THAT(status, Catch::Contains("Next: L3"));
    CHECK_THAT(status, Catch::Contains("Mentoring: 0 of 1 tagged brags"));
    CHECK_THAT(status, Catch::Contains("None yet."));

    auto reply = t.run("eng", "/promo", "petition L3 I already work at that level");
    auto said = t.text(reply);
    CHECK_THAT(said, Catch::Contains("went to <@dir>") || Catch::Contains("went to @dir"));
    CHECK_THAT(said, Catch::Contains("evidence for Mentoring"));
    REQUIRE(reply.dms.size() == 1);
    CHECK(reply.dms[0].user_id == "dir");
    auto dm = blocks::render_text(reply.dms[0].message, [](const std::string& id) { return id; });
    CHECK_THAT(dm, Catch::Contains("wrote the storage RFC"));
    CHECK_THAT(dm, Catch::Contains("unblocked 3 teams"));
    CHECK_THAT(dm, Catch::Contains("AWS Solutions Architect Associate (2026-10-02)"));
    CHECK(t.count("SELECT count(*) FROM petitions WHERE person_id = 'eng' AND status = 'open' "
                  "AND director_id = 'dir' AND target_level = 'L3'") == 1);

    CHECK_THAT(t.say("eng", "/promo", "petition L3"),
               Catch::Contains("already have an open petition"));
    CHECK_THAT(t.say("eng", "/promo", "petition L1"), Catch::Contains("already at L2"));
    CHECK_THAT(t.say("eng", "/promo", "petition L9"), Catch::Contains("no level"));

    auto summary = t.text(private_summary(t, "dir"));
    CHECK_THAT(summary, Catch::Contains("open promotion petition for L3"));
    CHECK_THAT(summary, Catch::Contains("Open promotion petitions* (1)"));
    CHECK_THAT(t.say("eng", "/promo", "status"), Catch::Contains("L3 · open · sent to"));

    // After the review the director closes it; approval moves the level.
    CHECK_THAT(t.say("peer", "/promo", "close <@eng> approved"), Catch::Contains(":lock:"));
    auto closed = t.run("dir", "/promo", "close <@eng> approved");
    CHECK_THAT(t.text(closed), Catch::Contains("*approved*"));
    CHECK(closed.dms.at(0).user_id == "eng");
    CHECK_THAT(t.say("eng", "/promo", "status"), Catch::Contains("Current level: *L3*"));
    CHECK_THAT(t.text(private_summary(t, "dir")), !Catch::Contains("open promotion petition for"));
}

TEST_CASE("without a director above, the petition goes to the top of the chain", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("eng", "lead");
    auto reply = t.run("eng", "/promo", "petition L1 I already work at that level");
    REQUIRE(reply.dms.size() == 1);
    CHECK(reply.dms[0].user_id == "lead");
    CHECK_THAT(t.say("lead", "/promo", "withdraw"), Catch::Contains("no open petition"));
    CHECK_THAT(t.say("eng", "/promo", "withdraw"), Catch::Contains("Withdrew"));
    CHECK_THAT(t.say("loner", "/promo", "petition L1"), Catch::Contains("no manager"));
}

TEST_CASE("promotion status follows the brag visibility rules", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    CHECK_THAT(t.say("mgr", "/promo", "status <@eng>"), Catch::Contains("Promotion status"));
    auto refused = t.say("peer", "/promo", "status <@eng>");
    CHECK_THAT(refused, Catch::Contains(":lock:"));
    CHECK(t.say("peer", "/promo", "status <@nobody>") == refused);
}

TEST_CASE("promotion readiness counts brags, not tag matches", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("eng", "mgr");
    t.run("mgr", "/promo", "level <@eng> L3");
    t.run("eng", "/brag", "2026-11-02 set the storage strategy #architecture #strategy #rfc");
    auto status = t.say("eng", "/promo", "status");
    CHECK_THAT(status, Catch::Contains("Next: L4"));
    CHECK_THAT(status, Catch::Contains(":x: Technical scope: 1 of 2 tagged brags"));
    CHECK_THAT(status, !Catch::Contains("3 of 2"));
}

TEST_CASE("promo status suggests petitioning only for a level above the current one", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.run("mgr", "/promo", "level <@eng> L3");
    auto status = t.say("eng", "/promo", "status");
    CHECK_THAT(status, Catch::Contains("`/promo petition L4 <why now>`"));
    CHECK_THAT(status, !Catch::Contains("`/promo petition L3"));
    CHECK_THAT(t.say("eng", "/promo", "petition"),
               Catch::Contains("`/promo petition L4 <why now>`"));
    // At the top of the ladder there is nothing to petition for.
    t.run("mgr", "/promo", "level <@eng> L5");
    REQUIRE_THAT(t.say("eng", "/promo", "status"), Catch::Contains("Current level: *L5*"));
    CHECK_THAT(t.say("eng", "/promo", "status"), !Catch::Contains("/promo petition"));
    // With a petition open, status points to it rather than to a new one.
    t.run("mgr", "/promo", "level <@eng> L2");
    t.run("eng", "/promo", "petition L3 I already work at that level");
    CHECK_THAT(t.say("eng", "/promo", "status"), !Catch::Contains("Petition with"));
}

TEST_CASE("the petition sent to the director names who wrote each piece of feedback", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("carol", "mgr");
    t.run("carol", "/feedback", "<@eng> ran a calm, clear incident review");
    auto reply = t.run("eng", "/promo", "petition L1 I already work at that level");
    REQUIRE(reply.dms.size() == 1);
    auto dm = blocks::render_text(reply.dms[0].message, [](const std::string& id) { return id; });
    CHECK_THAT(dm, Catch::Contains("from @carol: ran a calm, clear incident review"));
    auto q = t.db.prepare("SELECT packet FROM petitions");
    q.step();
    auto packet = q.get<std::string>(0);
    CHECK_THAT(packet, Catch::Contains("- from carol: ran a calm, clear incident review"));
}

TEST_CASE("setting someone's level closes their petition for it, and tells them", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.run("mgr", "/promo", "level <@eng> L2");
    REQUIRE(t.run("eng", "/promo", "petition L3 I already work at that level").dms.size() == 1);
    // A level below the petition's leaves it open.
    t.run("mgr", "/promo", "level <@eng> L2");
    CHECK(t.count("SELECT count(*) FROM petitions WHERE status = 'open'") == 1);
    auto set = t.run("mgr", "/promo", "level <@eng> L3");
    CHECK(t.count("SELECT count(*) FROM petitions WHERE status = 'open'") == 0);
    CHECK(t.count("SELECT count(*) FROM petitions WHERE status = 'approved' AND "
                  "closed_by = 'mgr'") == 1);
    CHECK_THAT(t.text(set), Catch::Contains("closed their open petition for L3 as approved"));
    bool told = false;
    for (const auto& dm : set.dms) {
        auto text = blocks::render_text(dm.message, [](const std::string& id) { return id; });
        if (dm.user_id == "eng" &&
            text.find("petition for L3 is closed as approved") != std::string::npos)
            told = true;
    }
    CHECK(told);
    CHECK_THAT(t.say("eng", "/promo", "status"), Catch::Contains("L3 · approved"));
    // Going past it closes it too.
    t.run("eng", "/promo", "petition L4 I already work at that level");
    t.run("mgr", "/promo", "level <@eng> L5");
    CHECK(t.count("SELECT count(*) FROM petitions WHERE status = 'open'") == 0);
}

TEST_CASE("a petition needs a statement, which reaches the director and the status", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.run("mgr", "/promo", "level <@eng> L2");
    auto missing = t.say("eng", "/promo", "petition L3");
    CHECK_THAT(missing, Catch::Contains("why now?"));
    CHECK_THAT(missing, Catch::Contains("/promo petition L3 I have led"));
    CHECK(t.count("SELECT count(*) FROM petitions") == 0);
    CHECK_THAT(t.say("eng", "/promo", "petition L3 " + std::string(2001, 'x')),
               Catch::Contains("keep it under 2000"));

    auto reply = t.run("eng", "/promo",
                       "petition L3 I have run the <!here> billing migration since June\n"
                       "and mentor two engineers");
    REQUIRE(reply.dms.size() == 1);
    CHECK(reply.dms[0].user_id == "dir");
    const std::string raw = reply.dms[0].message.blocks.dump();
    CHECK(raw.find("<!here>") == std::string::npos);  // escaped, never a ping
    auto dm = blocks::render_text(reply.dms[0].message, [](const std::string& id) { return id; });
    CHECK_THAT(dm, Catch::Contains("Why now"));
    CHECK_THAT(dm, Catch::Contains("billing migration since June"));
    CHECK_THAT(dm, Catch::Contains("/promo outcome @"));
    auto q = t.db.prepare("SELECT statement, packet FROM petitions");
    REQUIRE(q.step());
    CHECK(q.get<std::string>(0).starts_with("I have run the <!here> billing migration"));
    CHECK_THAT(q.get<std::string>(1), Catch::Contains("## Statement: why now"));

    CHECK_THAT(t.say("eng", "/promo", "status"), Catch::Contains("_Statement:_ I have run"));
    CHECK_THAT(t.say("mgr", "/promo", "status <@eng>"), Catch::Contains("billing migration"));
    // The director's private quarter summary lists it with the statement's first line.
    auto summary = t.text(private_summary(t, "dir"));
    CHECK_THAT(summary, Catch::Contains("→ L3: “I have run the <!here> billing migration since "
                                        "June”"));
}

TEST_CASE("the director records the outcome; the person is told with the note", "[promo]") {
    use_example_levels();
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    t.person("other", "dir2");
    t.person("dir2", "vp");
    t.run("mgr", "/promo", "level <@eng> L2");
    REQUIRE(t.run("eng", "/promo", "petition L3 I lead the storage work").dms.size() == 1);

    // Nobody outside the chain, and not the person themselves.
    auto refused = t.say("peer", "/promo", "outcome <@eng> approved well done");
    CHECK_THAT(refused, Catch::Contains(":lock:"));
    CHECK(t.say("dir2", "/promo", "outcome <@eng> approved") == refused);
    CHECK(t.say("eng", "/promo", "outcome <@eng> approved") == refused);
    CHECK(t.say("dir2", "/promo", "outcome <@nobody> approved") == refused);
    CHECK_THAT(t.say("dir", "/promo", "outcome <@eng> maybe"), Catch::Contains("`not-yet`"));
    CHECK_THAT(t.say("dir", "/promo", "outcome <@eng>"), Catch::Contains("Usage"));
    // "Not yet" needs a note saying what is missing.
    CHECK_THAT(t.say("dir", "/promo", "outcome <@eng> not-yet"), Catch::Contains("Add a note"));
    CHECK(t.count("SELECT count(*) FROM petitions WHERE status = 'open'") == 1);

    auto done = t.run("dir", "/promo", "outcome <@eng> not-yet lead one cross-team project first");
    CHECK_THAT(t.text(done), Catch::Contains("*not yet*"));
    REQUIRE(done.dms.size() == 1);
    CHECK(done.dms[0].user_id == "eng");
    auto told = blocks::render_text(done.dms[0].message, [](const std::string& id) { return id; });
    CHECK_THAT(told, Catch::Contains("not yet"));
    CHECK_THAT(told, Catch::Contains("lead one cross-team project first"));
    auto status = t.say("eng", "/promo", "status");
    CHECK_THAT(status, Catch::Contains("L3 · not yet"));
    CHECK_THAT(status, Catch::Contains("_Outcome note:_ lead one cross-team project first"));
    CHECK_THAT(status, Catch::Contains("Current level: *L2*"));

    // Petition again; the manager records approval through the old `close` alias.
    REQUIRE(t.run("eng", "/promo", "petition L3 done: led the search rewrite").dms.size() == 1);
    auto approved = t.run("mgr", "/promo", "close <@eng> approved");
    CHECK_THAT(t.text(approved), Catch::Contains("*approved*"));
    // The person and the director (who did not record it) are told.
    REQUIRE(approved.dms.size() == 2);
    CHECK(approved.dms[0].user_id == "eng");
    CHECK(approved.dms[1].user_id == "dir");
    CHECK_THAT(t.say("eng", "/promo", "status"), Catch::Contains("Current level: *L3*"));
    CHECK(t.count("SELECT count(*) FROM petitions WHERE status = 'approved' AND "
                  "closed_by = 'mgr'") == 1);
    CHECK_THAT(t.say("dir", "/promo", "outcome <@eng> approved"), Catch::Contains(":lock:"));
}
