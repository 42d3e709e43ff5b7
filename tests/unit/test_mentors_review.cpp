// Issue #16, "the rest of the handbooks": standing mentors outside an IDO with their notes, and
// the performance factor of the quarterly review — who may, who may not, and where they show.
#include <random>

#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/core/visibility.hpp"
#include "src/scheduler/messages.hpp"
#include "storage/idos.hpp"
#include "storage/mentors.hpp"
#include "storage/performance.hpp"
#include "storage/schedules.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {

// dir ── mgr ──┬── eng
//              └── peer
// other_mgr ── other (another org); admin outside every chain; dana and ido_mentor mentor.
void build_org(TestApp& t) {
    t.config.org.admins = {"admin"};
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    t.person("other", "other_mgr");
    t.person("admin");
    t.person("dana");
    t.person("ido_mentor");
}

/// Runs a command in a DM (channel D1) or a channel, as Slack would send it.
Reply in(TestApp& t, const std::string& user, const std::string& command, const std::string& text,
         const std::string& channel) {
    Request r;
    r.user_id = user;
    r.command = command;
    r.text = text;
    r.channel_id = channel;
    r.received_at = t.clock.now();
    r.source = "test";
    return t.app.handle(t.services, r);
}

/// Every message of a reply, its DMs included, as text.
std::string all_text(TestApp& t, const Reply& r) {
    std::string out = t.text(r);
    for (const auto& dm : r.dms) {
        Reply one;
        one.message = dm.message;
        out += "\n[DM to " + dm.user_id + "] " + t.text(one);
    }
    return out;
}

std::string dm_text(TestApp& t, const Reply& r, const std::string& to) {
    std::string out;
    for (const auto& dm : r.dms) {
        if (dm.user_id != to) continue;
        Reply one;
        one.message = dm.message;
        out += t.text(one);
    }
    return out;
}

}  // namespace

// ---- Standing mentors ----------------------------------------------------------------------

TEST_CASE("a manager names a standing mentor and both are told by DM", "[mentor]") {
    TestApp t;
    build_org(t);
    auto r = t.run("mgr", "/team", "mentor <@dana> <@eng>");
    CHECK_THAT(t.text(r), Catch::Contains("@dana is now @eng's standing mentor"));
    REQUIRE(r.dms.size() == 2);
    CHECK_THAT(dm_text(t, r, "dana"), Catch::Contains("named you @eng's standing mentor"));
    CHECK_THAT(dm_text(t, r, "dana"), Catch::Contains("does not share their brags"));
    CHECK_THAT(dm_text(t, r, "eng"), Catch::Contains("named @dana your standing mentor"));
    auto m = storage::MentorRepo(t.db).current("eng");
    REQUIRE(m);
    CHECK(m->mentor_id == "dana");
    CHECK(m->set_by == "mgr");
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'mentor_set' AND actor = 'mgr' "
                  "AND subject = 'eng'") == 1);
    // Naming the same mentor again changes nothing and tells nobody.
    auto again = t.run("mgr", "/team", "mentor <@dana> <@eng>");
    CHECK_THAT(t.text(again), Catch::Contains("already mentors"));
    CHECK(again.dms.empty());
}

TEST_CASE("who may name a standing mentor: the mentee's chain and admins only", "[mentor]") {
    TestApp t;
    build_org(t);
    auto peer = t.say("peer", "/team", "mentor <@dana> <@eng>");
    CHECK_THAT(peer, Catch::StartsWith(":lock:"));
    // The mentee themself, a manager outside the chain, someone unknown: the same words.
    CHECK(t.say("eng", "/team", "mentor <@dana> <@eng>") == peer);
    CHECK(t.say("eng", "/team", "mentor <@peer> <@eng>") == peer);
    CHECK(t.say("other_mgr", "/team", "mentor <@dana> <@eng>") == peer);
    CHECK(t.say("mgr", "/team", "mentor <@dana> <@ghost>") == peer);
    CHECK(t.say("peer", "/team", "mentor <@eng> none") == peer);
    CHECK(t.count("SELECT count(*) FROM mentorships") == 0);
    // The skip-level and an admin outside the chain may.
    CHECK_THAT(t.say("dir", "/team", "mentor <@dana> <@eng>"), Catch::Contains("standing mentor"));
    CHECK_THAT(t.say("admin", "/team", "mentor <@dana> <@other>"),
               Catch::Contains("standing mentor"));
    CHECK(t.count("SELECT count(*) FROM mentorships WHERE ended_at IS NULL") == 2);
}

TEST_CASE("a standing mentor is a person other than the mentee", "[mentor]") {
    TestApp t;
    build_org(t);
    CHECK_THAT(t.say("mgr", "/team", "mentor <@eng> <@eng>"),
               Catch::Contains("someone other than the mentee"));
    CHECK_THAT(t.say("mgr", "/team", "mentor <@dana>"), Catch::Contains("Use `/team mentor"));
    CHECK_THAT(t.say("mgr", "/team", "mentor dana eng"), Catch::Contains("Use `/team mentor"));
    CHECK(t.count("SELECT count(*) FROM mentorships") == 0);
}

TEST_CASE("a new standing mentor replaces the old one, who is told; none ends it", "[mentor]") {
    TestApp t;
    build_org(t);
    t.run("mgr", "/team", "mentor <@dana> <@eng>");
    auto replaced = t.run("dir", "/team", "mentor <@ido_mentor> <@eng>");
    CHECK_THAT(t.text(replaced), Catch::Contains("in place of @dana"));
    CHECK_THAT(dm_text(t, replaced, "dana"), Catch::Contains("in your place"));
    CHECK(dm_text(t, replaced, "ido_mentor").find("named you") != std::string::npos);
    CHECK(storage::MentorRepo(t.db).current("eng")->mentor_id == "ido_mentor");

    auto ended = t.run("mgr", "/team", "mentor <@eng> none");
    CHECK_THAT(t.text(ended), Catch::Contains("@ido_mentor no longer mentors @eng"));
    CHECK_THAT(dm_text(t, ended, "ido_mentor"), Catch::Contains("ended your standing mentorship"));
    CHECK_THAT(dm_text(t, ended, "eng"), Catch::Contains("ended"));
    CHECK_FALSE(storage::MentorRepo(t.db).current("eng"));
    CHECK_THAT(t.say("mgr", "/team", "unmentor <@eng>"), Catch::Contains("no standing mentor"));
    CHECK(t.count("SELECT count(*) FROM mentorships") == 2);  // kept as history
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'mentor_end'") == 1);
}

TEST_CASE("/team list and /team mentors show standing mentors", "[mentor]") {
    TestApp t;
    build_org(t);
    t.run("mgr", "/team", "mentor <@dana> <@eng>");
    CHECK_THAT(t.say("dir", "/team", "list"), Catch::Contains("• @eng · mentor @dana"));
    CHECK_THAT(t.say("eng", "/team", "mentors"), Catch::Contains("Your standing mentor is @dana"));
    CHECK_THAT(t.say("dana", "/team", "mentors"), Catch::Contains("You mentor @eng"));
    CHECK_THAT(t.say("dir", "/team", "mentors"),
               Catch::Contains("*Standing mentors in your org*\n• @eng — mentor @dana"));
    CHECK_THAT(t.say("peer", "/team", "mentors <@eng>"),
               Catch::Contains("@eng's standing mentor is @dana"));
    CHECK_THAT(t.say("eng", "/team", "help"), Catch::Contains("/team mentor @mentor @mentee"));
}

TEST_CASE("a standing mentor reads nothing of the mentee's records, the IDO included",
          "[mentor][visibility]") {
    TestApp t;
    build_org(t);
    t.run("eng", "/ido", "set learn k8s mentor <@ido_mentor>");
    t.run("eng", "/brag", "shipped the cache");
    t.run("mgr", "/team", "mentor <@dana> <@eng>");
    for (const auto& [command, text] :
         std::vector<std::pair<std::string, std::string>>{{"/ido", "status <@eng>"},
                                                          {"/brag", "list <@eng>"},
                                                          {"/task", "list <@eng>"},
                                                          {"/checkin", "status <@eng>"},
                                                          {"/review", "<@eng>"}}) {
        INFO(command << " " << text);
        CHECK_THAT(t.say("dana", command, text), Catch::StartsWith(":lock:"));
    }
    // The IDO's own mentor sees that IDO, and no more.
    CHECK_THAT(t.say("ido_mentor", "/ido", "status <@eng>"), Catch::Contains("learn k8s"));
    CHECK_THAT(t.say("ido_mentor", "/brag", "list <@eng>"), Catch::StartsWith(":lock:"));
}

TEST_CASE("the new record kinds in the visibility matrix", "[visibility][mentor][review]") {
    TestApp t;
    build_org(t);
    t.run("mgr", "/team", "mentor <@dana> <@eng>");
    Visibility v(t.db);
    RecordParties note_by_mentor{.author_id = std::string("ido_mentor"), .mentor_id = {}};
    struct Case {
        const char* viewer;
        bool note, factor;
    };
    const Case cases[] = {
        {"eng", true, true},     {"mgr", true, true},         {"dir", true, true},
        {"peer", false, false},  {"ido_mentor", true, false}, {"dana", false, false},
        {"admin", false, false}, {"other_mgr", false, false}, {"", false, false},
    };
    for (const auto& c : cases) {
        INFO(c.viewer);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::MentorNote, note_by_mentor) == c.note);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::PerformanceFactor) == c.factor);
        // A standing mentor is no IDO mentor: the IDO stays hidden from them.
        if (std::string(c.viewer) == "dana")
            CHECK_FALSE(v.can_read(c.viewer, "eng", RecordKind::Ido));
    }
}

// ---- Mentor notes --------------------------------------------------------------------------

TEST_CASE("mentors add notes to the IDO; the mentee and the chain read them, peers do not",
          "[mentor][ido]") {
    TestApp t;
    build_org(t);
    t.run("eng", "/ido", "set learn k8s mentor <@ido_mentor>");
    t.run("mgr", "/team", "mentor <@dana> <@eng>");

    auto by_ido_mentor = t.run("ido_mentor", "/ido", "note <@eng> good start on the labs");
    CHECK_THAT(t.text(by_ido_mentor), Catch::Contains("Added your mentor note for @eng's 2026Q4"));
    CHECK_THAT(dm_text(t, by_ido_mentor, "eng"), Catch::Contains("good start on the labs"));
    auto by_standing = t.run("dana", "/ido", "note <@eng> try the CKA practice exam");
    REQUIRE(by_standing.dms.size() == 1);
    CHECK(by_standing.dms[0].user_id == "eng");
    CHECK(t.count("SELECT count(*) FROM mentor_notes WHERE mentee_id = 'eng'") == 2);

    for (const char* reader : {"eng", "mgr", "dir"}) {
        INFO(reader);
        auto status = t.say(reader, "/ido", "status <@eng>");
        CHECK_THAT(status, Catch::Contains("*Mentor notes* (2, newest first)"));
        CHECK_THAT(status, Catch::Contains("@dana: try the CKA practice exam"));
        CHECK_THAT(status, Catch::Contains("@ido_mentor: good start on the labs"));
        CHECK_THAT(status, Catch::Contains("*Standing mentor:* @dana"));
    }
    // The IDO's mentor reads the IDO and their own note, not the standing mentor's.
    auto ido_mentor = t.say("ido_mentor", "/ido", "status <@eng>");
    CHECK_THAT(ido_mentor, Catch::Contains("good start on the labs"));
    CHECK_THAT(ido_mentor, !Catch::Contains("CKA practice"));
    // Peers see neither the IDO nor the notes.
    CHECK_THAT(t.say("peer", "/ido", "status <@eng>"), Catch::StartsWith(":lock:"));
}

TEST_CASE("only a mentor adds a mentor note, and a refusal does not say whether an IDO exists",
          "[mentor][ido]") {
    TestApp t;
    build_org(t);
    t.run("eng", "/ido", "set learn k8s mentor <@ido_mentor>");
    auto peer = t.say("peer", "/ido", "note <@eng> looks fine to me");
    CHECK_THAT(peer, Catch::StartsWith(":lock: You can add mentor notes only"));
    CHECK(t.say("mgr", "/ido", "note <@eng> a manager is not a mentor") == peer);
    CHECK(t.say("dana", "/ido", "note <@eng> not yet their mentor") == peer);
    CHECK(t.say("peer", "/ido", "note <@other> no IDO here") == peer);
    CHECK(t.say("peer", "/ido", "note <@ghost> nobody") == peer);
    CHECK_THAT(t.say("eng", "/ido", "note <@eng> my own"), Catch::Contains("/ido progress"));
    // The IDO's mentor of a past quarter is not this quarter's.
    t.clock.set(date::sys_days{date::year{2027} / 1 / 5} + std::chrono::hours{10});
    CHECK(t.say("ido_mentor", "/ido", "note <@eng> new quarter") == peer);
    CHECK(t.count("SELECT count(*) FROM mentor_notes") == 0);
}

TEST_CASE("a standing mentor's note on someone with no IDO is kept and shown", "[mentor][ido]") {
    TestApp t;
    build_org(t);
    t.run("mgr", "/team", "mentor <@dana> <@eng>");
    auto r = t.run("dana", "/ido", "note <@eng> let's pick an objective together");
    CHECK_THAT(t.text(r), Catch::Contains("Added your mentor note"));
    CHECK_THAT(dm_text(t, r, "eng"), Catch::Contains("You have no IDO for 2026Q4 yet"));
    auto status = t.say("eng", "/ido", "status");
    CHECK_THAT(status, Catch::Contains("none set yet"));
    CHECK_THAT(status, Catch::Contains("let's pick an objective together"));
}

TEST_CASE("/ido note without a mention is still a progress note", "[ido]") {
    TestApp t;
    build_org(t);
    t.run("eng", "/ido", "set learn k8s mentor <@ido_mentor>");
    CHECK_THAT(t.say("eng", "/ido", "note read chapter 2 #10"), Catch::Contains("Progress noted"));
    CHECK(t.count("SELECT count(*) FROM ido_progress") == 1);
}

TEST_CASE("the manager's 1:1 preparation shows the standing mentor and new mentor notes",
          "[mentor][prep]") {
    TestApp t;
    build_org(t);
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    t.run("mgr", "/team", "mentor <@dana> <@eng>");
    t.run("dana", "/ido", "note <@eng> ready to lead the next design review");
    auto prep = t.say("mgr", "/1on1", "prep <@eng>");
    CHECK_THAT(prep, Catch::Contains("Standing mentor: @dana"));
    CHECK_THAT(prep, Catch::Contains("*Mentor notes since"));
    CHECK_THAT(prep, Catch::Contains("from @dana: ready to lead the next design review"));
}

TEST_CASE("the quarter summary counts a standing mentor as a mentor", "[mentor][summary]") {
    TestApp t;
    build_org(t);
    t.run("eng", "/ido", "set learn k8s mentor <@ido_mentor>");
    t.run("mgr", "/team", "mentor <@dana> <@peer>");
    auto detail = t.text(in(t, "dir", "/quarter-summary", "", "D1"));
    CHECK_THAT(detail, Catch::Contains("with an IDO: 1 of 3 · with a mentor (an IDO's or a "
                                       "standing one): 2 of 3"));
    CHECK_THAT(detail, Catch::Contains("No mentor (neither an IDO's nor a standing one)* (1)\n"
                                       "@mgr"));
    CHECK_THAT(detail, Catch::Contains("no IDO this quarter · standing mentor @dana"));
}

// ---- Performance factor --------------------------------------------------------------------

TEST_CASE("the chain records a performance factor; re-recording replaces it and is audited",
          "[review]") {
    TestApp t;
    build_org(t);
    auto r = t.run("mgr", "/review", "factor <@eng> performing steady delivery all quarter");
    CHECK_THAT(t.text(r), Catch::Contains("Recorded @eng's performance factor"));
    CHECK_THAT(t.text(r), Catch::Contains("*performing* in role for 2026Q4"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "eng");
    CHECK_THAT(dm_text(t, r, "eng"), Catch::Contains("steady delivery all quarter"));

    auto again = t.run("dir", "/review", "factor <@eng> exceeding led the migration");
    CHECK_THAT(t.text(again), Catch::Contains("Replaced @eng's performance factor (was "
                                              "performing)"));
    CHECK_THAT(dm_text(t, again, "eng"), Catch::Contains("*exceeding*"));
    CHECK_THAT(dm_text(t, again, "mgr"), Catch::Contains("replaced the 2026Q4 performance factor"));
    auto f = storage::PerformanceRepo(t.db).find("eng", "2026Q4");
    REQUIRE(f);
    CHECK(f->factor == "exceeding");
    CHECK(f->note == "led the migration");
    CHECK(f->recorded_by == "dir");
    CHECK(t.count("SELECT count(*) FROM performance_factors") == 1);
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'performance_factor'") == 2);
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'performance_factor' AND detail "
                  "= '2026Q4: performing (by mgr) -> exceeding'") == 1);

    // A past quarter, named.
    CHECK_THAT(t.say("mgr", "/review", "factor <@eng> developing 2026Q3 new to the team"),
               Catch::Contains("for 2026Q3"));
    CHECK(storage::PerformanceRepo(t.db).find("eng", "2026Q3")->factor == "developing");
}

TEST_CASE("who may record a performance factor: the manager chain only", "[review]") {
    TestApp t;
    build_org(t);
    auto self = t.say("eng", "/review", "factor <@eng> exceeding I am great");
    CHECK_THAT(self, Catch::StartsWith(":lock:"));
    CHECK(t.say("peer", "/review", "factor <@eng> developing hmm") == self);
    CHECK(t.say("other_mgr", "/review", "factor <@eng> developing hmm") == self);
    CHECK(t.say("admin", "/review", "factor <@eng> developing hmm") == self);
    CHECK(t.say("dana", "/review", "factor <@eng> developing hmm") == self);
    CHECK(t.say("mgr", "/review", "factor <@ghost> developing hmm") == self);
    CHECK(t.count("SELECT count(*) FROM performance_factors") == 0);
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE action = 'performance_factor'") == 0);
}

TEST_CASE("a performance factor is read by the person and their chain only", "[review]") {
    TestApp t;
    build_org(t);
    t.run("eng", "/ido", "set learn k8s mentor <@ido_mentor>");
    t.run("mgr", "/review", "factor <@eng> exceeding led the migration");
    CHECK_THAT(t.say("eng", "/review", ""), Catch::Contains("*exceeding* in role"));
    CHECK_THAT(t.say("mgr", "/review", "<@eng>"), Catch::Contains("led the migration"));
    CHECK_THAT(t.say("dir", "/review", "show <@eng> 2026Q4"), Catch::Contains("Recorded by @mgr"));
    auto peer = t.say("peer", "/review", "<@eng>");
    CHECK_THAT(peer, Catch::StartsWith(":lock: You can see performance factors only"));
    for (const char* other : {"ido_mentor", "admin", "other_mgr"}) {
        INFO(other);
        CHECK(t.say(other, "/review", "<@eng>") == peer);
    }
    // The same refusal for someone with no factor recorded, or unknown.
    CHECK(t.say("peer", "/review", "<@mgr>") == peer);
    CHECK(t.say("peer", "/review", "<@ghost>") == peer);
    CHECK_THAT(t.say("peer", "/review", ""), Catch::Contains("not recorded yet"));
}

TEST_CASE("/review explains bad input and has help", "[review]") {
    TestApp t;
    build_org(t);
    CHECK_THAT(t.say("mgr", "/review", "factor <@eng> stellar great"),
               Catch::Contains("developing|performing|exceeding"));
    CHECK_THAT(t.say("mgr", "/review", "factor <@eng> performing"), Catch::Contains("Add a note"));
    CHECK_THAT(t.say("mgr", "/review", "factor <@eng> performing 2027Q2 later"),
               Catch::Contains("has not started yet"));
    CHECK_THAT(t.say("mgr", "/review", "sometime"), Catch::Contains("Try `/review @person`"));
    auto help = t.say("mgr", "/review", "help");
    CHECK_THAT(help, Catch::Contains("/review factor @person developing|performing|exceeding"));
    CHECK(t.count("SELECT count(*) FROM performance_factors") == 0);
}

TEST_CASE("the director's summary shows factors per person privately, counts in a channel",
          "[review][summary]") {
    TestApp t;
    build_org(t);
    t.person("eng2", "mgr");
    t.run("mgr", "/review", "factor <@eng> exceeding led the migration");
    t.run("mgr", "/review", "factor <@peer> developing new to the stack");
    t.run("dir", "/review", "factor <@mgr> performing solid quarter");

    auto dm = t.text(in(t, "dir", "/quarter-summary", "", "D1"));
    CHECK_THAT(dm, Catch::Contains("Performance factors: 1 exceeding · 1 performing · 1 "
                                   "developing · 1 not recorded"));
    CHECK_THAT(dm, Catch::Contains(":bar_chart: performance factor *exceeding* (by @mgr): led the "
                                   "migration"));
    CHECK_THAT(dm, Catch::Contains(":bar_chart: performance factor not recorded"));

    auto channel = in(t, "dir", "/quarter-summary", "", "C123");
    CHECK(channel.in_channel);
    auto shown = t.text(channel);
    CHECK_THAT(shown, Catch::Contains("Performance factors: 1 exceeding · 1 performing · 1 "
                                      "developing · 1 not recorded"));
    for (const char* hidden : {"led the migration", "new to the stack", "@eng", "@peer"})
        CHECK_THAT(shown, !Catch::Contains(hidden));
    // The per-person detail went to the director privately.
    REQUIRE_FALSE(channel.dms.empty());
    CHECK(channel.dms[0].user_id == "dir");
    CHECK_THAT(all_text(t, channel), Catch::Contains("led the migration"));
}

// Consent before visibility: naming, replacing and ending standing mentors, and their notes,
// never let anyone read a record they could not read before, whoever runs the commands.
TEST_CASE("random mentor operations never give anyone sight of records",
          "[mentor][visibility][property]") {
    const std::vector<std::string> users{"admin", "dir", "mgr", "eng", "peer", "other", "dana"};
    const RecordKind kinds[] = {RecordKind::Brag,         RecordKind::Feedback,
                                RecordKind::Task,         RecordKind::Checkin,
                                RecordKind::Ido,          RecordKind::IdoProgress,
                                RecordKind::OneOnOnePrep, RecordKind::PerformanceFactor};
    for (unsigned seed = 1; seed <= 6; ++seed) {
        TestApp t;
        build_org(t);
        Visibility v(t.db);
        auto matrix = [&] {
            std::vector<bool> out;
            for (const auto& viewer : users)
                for (const auto& subject : users)
                    for (auto kind : kinds) out.push_back(v.can_read(viewer, subject, kind));
            return out;
        };
        const auto before = matrix();
        std::mt19937 rng(seed);
        auto pick = [&] { return users[rng() % users.size()]; };
        for (int step = 0; step < 150; ++step) {
            std::string actor = pick(), a = pick(), b = pick();
            switch (rng() % 4) {
                case 0:
                case 1:
                    t.run(actor, "/team", "mentor <@" + a + "> <@" + b + ">");
                    break;
                case 2:
                    t.run(actor, "/team", "mentor <@" + a + "> none");
                    break;
                case 3:
                    t.run(actor, "/ido", "note <@" + a + "> step " + std::to_string(step));
                    break;
            }
            INFO("seed " << seed << " step " << step);
            REQUIRE(matrix() == before);
            // Nobody reads an IDO status they could not read before either (none was set).
            bool refused = t.say(actor, "/ido", "status <@" + a + ">").starts_with(":lock:");
            CHECK(refused == !(actor == a || v.can_read(actor, a, RecordKind::Ido)));
        }
    }
}
