// /internship: internships for learning — proposal, both managers' approval, the host limit,
// who may answer, and the feedback reminder to the host manager at the end.
#include <catch2/catch.hpp>

#include "src/scheduler/kinds.hpp"
#include "storage/reminder_outbox.hpp"
#include "test_scheduler_support.hpp"

using namespace careerbot;
using namespace careerbot::testing;

namespace {

/// eng reports to mgr; host manages the team eng wants to join (host2 another one); dir is
/// above both managers; stranger manages someone else.
void org(TestApp& t) {
    t.person("mgr", "dir");
    t.person("host", "dir");
    t.person("host2", "dir");
    t.person("eng", "mgr");
    t.person("eng2", "mgr");
    t.person("hosted", "host");
    t.person("hosted2", "host2");
    t.person("other", "stranger");
}

Interaction press(const std::string& user, const std::string& action, int64_t id) {
    Interaction in;
    in.type = "block_actions";
    in.key = action;
    in.value = std::to_string(id);
    in.user_id = user;
    return in;
}

std::string dm_text(TestApp& t, const Reply& r, const std::string& to) {
    std::string out;
    for (const auto& dm : r.dms) {
        if (dm.user_id == to) out += rendered(t.db, dm.message);
    }
    return out;
}

}  // namespace

TEST_CASE("an internship proposal reads share, length and goals, and refuses out of range",
          "[internship]") {
    TestApp t;
    org(t);
    auto say = [&](const std::string& text) { return t.say("eng", "/internship", text); };
    CHECK_THAT(say("propose <@host> 8w learn Go"), Catch::Contains("What share"));
    CHECK_THAT(say("propose <@host> 60% 8w learn Go"), Catch::Contains("between 5% and 50%"));
    CHECK_THAT(say("propose <@host> 4% 8w learn Go"), Catch::Contains("4% is outside"));
    CHECK_THAT(say("propose <@host> 20% learn Go"), Catch::Contains("For how long?"));
    CHECK_THAT(say("propose <@host> 20% 5w learn Go"),
               Catch::Contains("between 6 weeks and 3 months"));
    CHECK_THAT(say("propose <@host> 20% 4m learn Go"), Catch::Contains("would end 2027-03-20"));
    CHECK_THAT(say("propose <@host> 20% 14w learn Go"),
               Catch::Contains("ends between 2027-01-01 and 2027-02-20"));
    CHECK_THAT(say("propose <@host> 20% until 2026-12-01 learn Go"),
               Catch::Contains("would end 2026-12-01"));
    CHECK_THAT(say("propose <@host> 20% until someday learn Go"),
               Catch::Contains("couldn't read the end date"));
    CHECK_THAT(say("propose <@host> 20% 8w"), Catch::Contains("What do you want to learn?"));
    CHECK_THAT(say("propose 20% 8w learn Go"), Catch::Contains("Mention the manager"));
    CHECK_THAT(say("propose <@mgr> 20% 8w learn Go"), Catch::Contains("your own manager"));
    CHECK_THAT(say("propose <@eng> 20% 8w learn Go"), Catch::Contains("not you"));
    CHECK_THAT(say("propose <@eng2> 20% 8w learn Go"), Catch::Contains("no team"));
    CHECK_THAT(t.say("loner", "/internship", "propose <@host> 20% 8w learn Go"),
               Catch::Contains("no manager"));
    CHECK(t.count("SELECT count(*) FROM internships") == 0);

    // The forms that are accepted, each ending where expected.
    struct Case {
        const char* length;
        const char* ends;
    };
    for (const auto& c :
         {Case{"6w", "2027-01-01"}, Case{"2m", "2027-01-20"}, Case{"3 months", "2027-02-20"},
          Case{"10 weeks", "2027-01-29"}, Case{"until 2027-02-01", "2027-02-01"},
          Case{"until jan 15", "2027-01-15"}, Case{"until in 7 weeks", "2027-01-08"}}) {
        INFO(c.length);
        auto r = t.run("eng", "/internship",
                       std::string("propose <@host> 10% ") + c.length + " learn the billing code");
        CHECK_THAT(t.text(r), Catch::Contains(std::string("→ ") + c.ends));
        CHECK(t.count("SELECT count(*) FROM internships WHERE status = 'proposed' AND "
                      "goals = 'learn the billing code' AND share_percent = 10") == 1);
        CHECK_THAT(say("propose <@host2> 10% 8w again"), Catch::Contains("already have"));
        CHECK_THAT(say("cancel"), Catch::Contains("Cancelled your internship"));
    }
}

TEST_CASE("an internship starts only when both managers approve, by button or by text",
          "[internship]") {
    TestApp t;
    org(t);
    auto proposed = t.run("eng", "/internship", "propose <@host> 20% 8w learn <!here> Go");
    REQUIRE(proposed.dms.size() == 2);
    CHECK(proposed.dms[0].user_id == "mgr");
    CHECK(proposed.dms[1].user_id == "host");
    for (const auto& dm : proposed.dms) {
        CHECK(dm.message.blocks.dump().find("<!here>") == std::string::npos);
        CHECK_THAT(rendered(t.db, dm.message), Catch::Contains("[Approve]"));
        CHECK_THAT(rendered(t.db, dm.message), Catch::Contains("[Decline]"));
        CHECK_THAT(rendered(t.db, dm.message), Catch::Contains("20%"));
    }
    int64_t id = query_value<int64_t>(t.db, "SELECT id FROM internships");

    // The person cannot approve their own; neither can a stranger manager nor the director.
    auto refused = t.text(t.app.handle(t.services, press("eng", "internship_approve", id)));
    CHECK_THAT(refused, Catch::Contains("No such internship proposal"));
    CHECK(t.say("stranger", "/internship", "approve " + std::to_string(id)) == refused);
    CHECK(t.say("dir", "/internship", "approve " + std::to_string(id)) == refused);
    CHECK(t.say("stranger", "/internship", "approve 999") == refused);
    CHECK(t.count("SELECT count(*) FROM internships WHERE manager_ok_at IS NOT NULL OR "
                  "host_ok_at IS NOT NULL") == 0);

    // The manager approves by button: still waiting for the host.
    auto first = t.app.handle(t.services, press("mgr", "internship_approve", id));
    CHECK_THAT(t.text(first), Catch::Contains("starts once @host approves"));
    CHECK_THAT(dm_text(t, first, "eng"), Catch::Contains("waits for @host"));
    CHECK_THAT(t.say("mgr", "/internship", "approve"), Catch::Contains("No internship proposal"));
    CHECK_THAT(t.say("mgr", "/internship", "approve " + std::to_string(id)),
               Catch::Contains("already approved"));
    CHECK_THAT(t.say("eng", "/internship", "status"), Catch::Contains("waiting for @host"));
    CHECK_THAT(t.say("host", "/internship", "status"), Catch::Contains("Waiting for your answer"));

    // The host approves by text (the only proposal waiting for them): it is on.
    auto second = t.run("host", "/internship", "approve");
    CHECK_THAT(t.text(second), Catch::Contains("so it is on"));
    CHECK_THAT(dm_text(t, second, "eng"), Catch::Contains("It is on: 20% of your time until "
                                                          "2027-01-15"));
    CHECK_THAT(dm_text(t, second, "mgr"), Catch::Contains("so it is on"));
    CHECK(t.count("SELECT count(*) FROM internships WHERE status = 'active'") == 1);
    CHECK(t.count("SELECT count(*) FROM reminders WHERE kind = 'internship_feedback' AND "
                  "recipient_id = 'host' AND subject_id = 'eng'") == 1);
    CHECK_THAT(t.say("host", "/internship", "decline " + std::to_string(id)),
               Catch::Contains("no longer open (active)"));

    // Who sees it: the person, their chain, the host; nobody else.
    CHECK_THAT(t.say("eng", "/internship", "status"), Catch::Contains("running"));
    CHECK_THAT(t.say("mgr", "/internship", "status <@eng>"), Catch::Contains("learn"));
    CHECK_THAT(t.say("dir", "/internship", "status <@eng>"), Catch::Contains("learn"));
    CHECK_THAT(t.say("host", "/internship", "status <@eng>"), Catch::Contains("learn"));
    CHECK_THAT(t.say("host", "/internship", "status"), Catch::Contains("Interns with your team"));
    CHECK_THAT(t.say("stranger", "/internship", "status <@eng>"), Catch::Contains(":lock:"));
    CHECK_THAT(t.say("host2", "/internship", "status <@eng>"), Catch::Contains(":lock:"));
    // And in the manager's 1:1 preparation.
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    CHECK_THAT(t.say("mgr", "/1on1", "prep <@eng>"),
               Catch::Contains("*Internship for learning*: 20% with @host's team"));
}

TEST_CASE("a decline by either manager ends the proposal and the person is told", "[internship]") {
    TestApp t;
    org(t);
    t.run("eng", "/internship", "propose <@host> 20% 8w learn Go");
    int64_t id = query_value<int64_t>(t.db, "SELECT id FROM internships");
    t.app.handle(t.services, press("mgr", "internship_approve", id));
    auto no = t.app.handle(t.services, press("host", "internship_decline", id));
    CHECK_THAT(t.text(no), Catch::Contains("Declined internship"));
    CHECK_THAT(dm_text(t, no, "eng"), Catch::Contains("@host declined your proposed"));
    CHECK_THAT(dm_text(t, no, "mgr"), Catch::Contains("declined @eng's proposed"));
    CHECK(t.count("SELECT count(*) FROM internships WHERE status = 'declined' AND "
                  "closed_by = 'host'") == 1);
    CHECK_THAT(t.say("mgr", "/internship", "approve " + std::to_string(id)),
               Catch::Contains("no longer open (declined)"));
    // A new proposal is possible after a decline; the manager may decline it too.
    t.run("eng", "/internship", "propose <@host2> 10% 2m pair with the SRE team");
    auto again = t.run("mgr", "/internship", "decline");
    CHECK_THAT(dm_text(t, again, "eng"), Catch::Contains("@mgr declined"));
    CHECK_THAT(dm_text(t, again, "host2"), Catch::Contains("nothing more to do"));
}

TEST_CASE("a host team takes one intern at a time by default, more when configured",
          "[internship]") {
    TestApp t;
    org(t);
    auto approve_both = [&](const std::string& person) {
        auto id =
            query_value<int64_t>(t.db, "SELECT id FROM internships WHERE person_id = '" + person +
                                           "' AND status = "
                                           "'proposed'");
        t.app.handle(t.services, press("mgr", "internship_approve", id));
        return t.text(t.app.handle(t.services, press("host", "internship_approve", id)));
    };
    t.run("eng", "/internship", "propose <@host> 20% 8w learn Go");
    // A second proposal while the first is still only proposed is fine…
    t.run("eng2", "/internship", "propose <@host> 10% 6w learn Rust");
    CHECK_THAT(approve_both("eng"), Catch::Contains("so it is on"));
    // …but it cannot become active while the team hosts eng.
    CHECK_THAT(approve_both("eng2"), Catch::Contains("already hosts an intern (until 2027-01-15)"));
    CHECK(t.count("SELECT count(*) FROM internships WHERE status = 'active'") == 1);
    CHECK_THAT(t.say("other", "/internship", "propose <@host> 10% 6w learn"),
               Catch::Contains("already hosts an intern"));
    // Once eng's has ended (after its last day) there is room again.
    t.clock.set(utc(2027, 1, 16, 10));
    CHECK_THAT(t.say("eng", "/internship", "status"), Catch::Contains("ended 2027-01-15"));
    CHECK_THAT(approve_both("eng2"), Catch::Contains("so it is on"));
    // An internship past its end does not stand in the way of the person's next one.
    CHECK_THAT(t.say("eng", "/internship", "propose <@host2> 10% 6w learn the SRE way"),
               Catch::Contains("Proposed"));
    CHECK(t.count("SELECT count(*) FROM internships WHERE person_id = 'eng' AND "
                  "status = 'finished'") == 1);
    CHECK_THAT(t.say("eng", "/internship", "status"), Catch::Contains("(finished)"));

    Config two = t.config;
    two.internship.max_interns_per_host = 2;
    TestApp u;
    u.config = two;
    org(u);
    u.run("eng", "/internship", "propose <@host> 20% 8w learn Go");
    u.run("eng2", "/internship", "propose <@host> 10% 6w learn Rust");
    for (const char* p : {"eng", "eng2"}) {
        auto id = query_value<int64_t>(
            u.db, std::string("SELECT id FROM internships WHERE person_id = '") + p + "'");
        u.app.handle(u.services, press("mgr", "internship_approve", id));
        u.app.handle(u.services, press("host", "internship_approve", id));
    }
    CHECK(u.count("SELECT count(*) FROM internships WHERE status = 'active'") == 2);
    CHECK_THROWS(Config::parse("[internship]\nmax_interns_per_host = -1\n"));
    CHECK(
        Config::parse("[internship]\nmax_interns_per_host = 0\n").internship.max_interns_per_host ==
        0);
}

TEST_CASE("the host manager is reminded to give feedback on the internship's last day",
          "[internship][scheduler]") {
    TestApp t;
    org(t);
    set_tz(t.db, "host", "America/New_York", t.clock.now());
    t.run("eng", "/internship", "propose <@host> 20% 8w learn Go");
    t.run("mgr", "/internship", "approve");
    t.run("host", "/internship", "approve");
    FakeSender sender(t.clock);
    scheduler::Scheduler s(t.db, t.config, t.clock, sender);
    run_until(s, t.clock, utc(2027, 1, 15, 13));
    CHECK(sender.to("host").empty());
    // 09:00 in New York on the last day.
    run_until(s, t.clock, utc(2027, 1, 15, 15));
    REQUIRE(sender.to("host").size() == 1);
    CHECK(sender.to("host")[0].at == utc(2027, 1, 15, 14));
    auto text = rendered(t.db, sender.to("host")[0].message);
    CHECK_THAT(text, Catch::Contains("@eng's internship for learning with your team"));
    CHECK_THAT(text, Catch::Contains("/feedback @eng"));
    CHECK_THAT(text, Catch::Contains("learn Go"));
    run_until(s, t.clock, utc(2027, 2, 15));
    CHECK(sender.to("host").size() == 1);  // once

    // A cancelled internship's reminder is not sent; only the person and their managers (and
    // the host) may cancel.
    TestApp u;
    org(u);
    u.run("eng", "/internship", "propose <@host> 20% 8w learn Go");
    u.run("mgr", "/internship", "approve");
    u.run("host", "/internship", "approve");
    CHECK_THAT(u.say("stranger", "/internship", "cancel <@eng>"), Catch::Contains("No internship"));
    CHECK_THAT(u.say("eng2", "/internship", "cancel <@eng>"), Catch::Contains("No internship"));
    auto cancelled = u.run("host", "/internship", "cancel <@eng>");
    CHECK_THAT(u.text(cancelled), Catch::Contains("Cancelled @eng's internship"));
    CHECK_THAT(dm_text(u, cancelled, "eng"), Catch::Contains("cancelled your internship"));
    CHECK(u.count("SELECT count(*) FROM reminders WHERE kind = 'internship_feedback' AND "
                  "state = 'skipped' AND reason = 'cancelled'") == 1);
    FakeSender quiet(u.clock);
    scheduler::Scheduler su(u.db, u.config, u.clock, quiet);
    run_until(su, u.clock, utc(2027, 2, 15));
    CHECK(quiet.sent.empty());

    const auto* kind = scheduler::reminder_kind("internship_feedback");
    REQUIRE(kind != nullptr);
    CHECK_FALSE(kind->snoozable);
    CHECK(kind->after_finished == nullptr);
    auto row = storage::ReminderOutbox(u.db).find_key(
        "internship_feedback:" +
        std::to_string(query_value<int64_t>(u.db, "SELECT id FROM internships")));
    REQUIRE(row);
    scheduler::KindContext c{u.db, u.config, u.clock.now()};
    CHECK(kind->skip_reason(c, *row) == "cancelled");
    row->reason = "away:host";
    CHECK_THAT(kind->missed_line(u.db, *row, "UTC"), Catch::Contains("(<@host> away)"));
}

TEST_CASE("an internship shows in the quarter summary, the App Home and status", "[internship]") {
    TestApp t;
    org(t);
    t.run("eng", "/internship", "propose <@host> 20% 8w learn Go");
    // Only proposed: not in the summary yet.
    Request r;
    r.user_id = "dir";
    r.command = "/quarter-summary";
    r.channel_id = "D1";
    r.received_at = t.clock.now();
    r.source = "test";
    CHECK_THAT(t.text(t.app.handle(t.services, r)),
               Catch::Contains("on an internship for learning: 0 of"));
    t.run("mgr", "/internship", "approve");
    t.run("host", "/internship", "approve");
    auto summary = t.text(t.app.handle(t.services, r));
    CHECK_THAT(summary, Catch::Contains("on an internship for learning: 1 of"));
    CHECK_THAT(summary,
               Catch::Contains("internship for learning: 20% with @host's team, 2026-11-20 → "
                               "2027-01-15"));
    Event home;
    home.type = "app_home_opened";
    home.user_id = "eng";
    home.received_at = t.clock.now();
    home.body = {{"type", "app_home_opened"}, {"user", "eng"}, {"tab", "home"}};
    auto view = t.app.handle(t.services, home);
    REQUIRE(view.home_view);
    CHECK_THAT(view.home_view->dump(), Catch::Contains("Internship for learning"));
}
