// Who may change the org chart (README "Who may change the org chart"): the hole of issue #12
// (anyone could make themselves the root director's manager), requests and consent, the audit
// trail, reorg consequences, and a property test over random sequences of org operations.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>

#include "fixture.hpp"
#include "src/core/error.hpp"
#include "src/core/org_authority.hpp"
#include "src/core/org_import.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/audit.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {

/// dir (root) → mgr → eng; dir → mgr2; adm is an admin outside the tree.
void small_org(TestApp& t) {
    t.config.org.admins = {"adm"};
    import_org_csv(t.services,
                   "user_id,name,manager_id\ndir,dir,\nmgr,mgr,dir\nmgr2,mgr2,dir\neng,eng,mgr\n");
}

std::optional<std::string> manager_of(TestApp& t, const std::string& id) {
    auto p = storage::PeopleRepo(t.db).find(id);
    return p ? p->manager_id : std::nullopt;
}

bool reads(TestApp& t, const std::string& viewer, const std::string& subject) {
    return Visibility(t.db).can_read(viewer, subject, RecordKind::Brag);
}

std::string dm_text(TestApp& t, const Reply& r, const std::string& to) {
    storage::PeopleRepo people(t.db);
    std::string out;
    for (const auto& dm : r.dms) {
        if (dm.user_id == to)
            out += blocks::render_text(
                dm.message, [&](const std::string& id) { return people.display_name(id); });
    }
    return out;
}

std::vector<storage::AuditEntry> audit_of(TestApp& t, const std::string& subject) {
    storage::AuditQuery q;
    q.subject = subject;
    return storage::AuditRepo(t.db).list(q);
}

}  // namespace

TEST_CASE("nobody can make themselves the root director's manager", "[team][authority]") {
    TestApp t;
    small_org(t);
    t.person("mallory");
    // The hole: the root has no manager, so /team add used to succeed for anyone.
    auto out = t.say("mallory", "/team", "add <@dir>");
    CHECK_THAT(out, Catch::Contains("top of the org chart"));
    CHECK_FALSE(manager_of(t, "dir"));
    CHECK_FALSE(reads(t, "mallory", "dir"));
    CHECK_FALSE(reads(t, "mallory", "eng"));
    // Not even an admin places the top of the tree beneath themselves.
    CHECK_THAT(t.say("adm", "/team", "add <@dir>"), Catch::Contains("top of the org chart"));
    CHECK_FALSE(manager_of(t, "dir"));
}

TEST_CASE("nobody places their own chain or an admin beneath themselves", "[team][authority]") {
    TestApp t;
    small_org(t);
    t.config.org.admins = {"adm", "adm2"};
    CHECK_THAT(t.say("eng", "/team", "add <@mgr>"), Catch::Contains("loop"));
    CHECK_THAT(t.say("mgr", "/team", "add <@adm>"), Catch::Contains("careerbot admin"));
    CHECK_THAT(t.say("adm2", "/team", "add <@adm>"), Catch::Contains("careerbot admin"));
    CHECK_FALSE(manager_of(t, "adm"));
    // Another admin may still place an admin under someone else.
    CHECK_THAT(t.say("adm2", "/team", "add <@adm> to <@mgr2>"),
               Catch::Contains("now reports to @mgr2"));
}

TEST_CASE("a manager's request takes effect only when the person accepts", "[team][authority]") {
    TestApp t;
    small_org(t);
    t.person("newbie");
    auto r = t.run("mgr", "/team", "add <@newbie>");
    CHECK_THAT(t.text(r), Catch::Contains("I asked about @newbie"));
    CHECK_FALSE(manager_of(t, "newbie"));
    CHECK_FALSE(reads(t, "mgr", "newbie"));
    CHECK_FALSE(reads(t, "dir", "newbie"));
    auto dm = dm_text(t, r, "newbie");
    CHECK_THAT(dm, Catch::Contains("@mgr asks that you report to them"));
    CHECK_THAT(dm, Catch::Contains("@mgr and @dir will be able to read your brags"));
    CHECK_THAT(dm, Catch::Contains("[Accept]"));
    CHECK_THAT(dm, Catch::Contains("/team accept 1"));
    // The requester cannot answer for them, and neither can a bystander.
    CHECK_THAT(t.say("mgr", "/team", "accept 1"), Catch::Contains("No such request"));
    CHECK_THAT(t.say("eng", "/team", "accept 1"), Catch::Contains("No such request"));
    CHECK_FALSE(manager_of(t, "newbie"));
    CHECK_THAT(t.say("newbie", "/team", "requests"), Catch::Contains("Waiting for your answer"));

    auto accepted = t.run("newbie", "/team", "accept");
    CHECK_THAT(t.text(accepted),
               Catch::Contains("@newbie now reports to @mgr (request 1, accepted by @newbie)"));
    CHECK(manager_of(t, "newbie") == std::optional<std::string>("mgr"));
    CHECK(reads(t, "mgr", "newbie"));
    CHECK(reads(t, "dir", "newbie"));
    CHECK_THAT(dm_text(t, accepted, "mgr"), Catch::Contains("accepted by @newbie"));
    CHECK_THAT(t.say("newbie", "/team", "accept 1"), Catch::Contains("no longer open"));

    auto log = audit_of(t, "newbie");
    REQUIRE(log.size() == 2);
    CHECK(log[0].action == "org_request_accepted");
    CHECK(log[0].actor == "mgr");
    CHECK_THAT(log[0].detail,
               Catch::Contains("none -> mgr") && Catch::Contains("accepted by newbie"));
    CHECK(log[1].action == "org_request");
}

TEST_CASE("the Accept and Decline buttons answer a request like the typed commands",
          "[team][authority]") {
    TestApp t;
    small_org(t);
    t.person("newbie");
    t.run("mgr", "/team", "add <@newbie>");
    Interaction in;
    in.type = "block_actions";
    in.key = "org_request_decline";
    in.user_id = "newbie";
    in.value = "1";
    auto declined = t.app.handle(t.services, in);
    CHECK_THAT(t.text(declined), Catch::Contains("declined; nothing changed"));
    CHECK_THAT(dm_text(t, declined, "mgr"), Catch::Contains("@newbie declined request 1"));
    CHECK_FALSE(manager_of(t, "newbie"));
    in.key = "org_request_accept";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("no longer open (declined)"));
    CHECK_FALSE(manager_of(t, "newbie"));

    t.run("mgr", "/team", "add <@newbie>");
    in.value = "2";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("now reports to @mgr"));
    CHECK(manager_of(t, "newbie") == std::optional<std::string>("mgr"));
    // A hand-made button value never reaches someone else's request.
    in.value = "2; DROP TABLE people";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("request's number"));
}

TEST_CASE("moving someone with reports of their own takes an admin's approval",
          "[team][authority]") {
    TestApp t;
    small_org(t);
    // dir moves mgr (who has eng) under mgr2: mgr2 would read mgr's and eng's records.
    auto r = t.run("dir", "/team", "add <@mgr> to <@mgr2>");
    CHECK_THAT(t.text(r), Catch::Contains("I asked"));
    CHECK_THAT(dm_text(t, r, "adm"),
               Catch::Contains("[Approve]") && Catch::Contains("everyone who reports to them"));
    CHECK(dm_text(t, r, "mgr").empty());
    CHECK_THAT(t.say("mgr", "/team", "accept 1"), Catch::Contains("No such request"));
    CHECK(manager_of(t, "mgr") == std::optional<std::string>("dir"));
    CHECK_FALSE(reads(t, "mgr2", "eng"));
    CHECK_THAT(t.say("adm", "/team", "requests"), Catch::Contains("Waiting for an admin"));
    CHECK_THAT(t.say("adm", "/team", "approve 1"), Catch::Contains("approved by @adm"));
    CHECK(reads(t, "mgr2", "eng"));
    CHECK_THAT(audit_of(t, "mgr")[0].detail, Catch::Contains("approved by admin adm"));
}

TEST_CASE("a move that gives nobody new visibility applies at once", "[team][authority]") {
    TestApp t;
    small_org(t);
    // dir already reads eng: pulling eng up to report to dir directly needs nobody's consent.
    CHECK_THAT(t.say("dir", "/team", "add <@eng>"), Catch::Contains("@eng now reports to @dir"));
    CHECK(manager_of(t, "eng") == std::optional<std::string>("dir"));
    // But moving eng sideways to mgr2 shows eng's records to mgr2 for the first time.
    CHECK_THAT(t.say("dir", "/team", "add <@eng> to <@mgr2>"), Catch::Contains("I asked"));
    CHECK(manager_of(t, "eng") == std::optional<std::string>("dir"));
}

TEST_CASE("a request made stale by a later change of the chart cannot be accepted",
          "[team][authority]") {
    TestApp t;
    small_org(t);
    t.person("newbie");
    t.run("mgr", "/team", "add <@newbie>");
    t.run("adm", "/team", "add <@newbie> to <@mgr2>");
    CHECK_THAT(t.say("newbie", "/team", "accept 1"),
               Catch::Contains("no longer fits the org chart"));
    CHECK(manager_of(t, "newbie") == std::optional<std::string>("mgr2"));
    // A newer request about the same person replaces an older one.
    t.person("n2");
    t.run("mgr", "/team", "add <@n2>");
    t.run("mgr2", "/team", "add <@n2>");
    CHECK_THAT(t.say("n2", "/team", "accept 2"), Catch::Contains("no longer open (superseded)"));
    CHECK_THAT(t.say("n2", "/team", "accept 3"), Catch::Contains("now reports to @mgr2"));
}

TEST_CASE("every change of a reporting line or role is in the audit log",
          "[team][authority][audit]") {
    TestApp t;
    small_org(t);
    auto imported = audit_of(t, "eng");
    REQUIRE(imported.size() == 1);
    CHECK(imported[0].action == "org_import");
    CHECK(imported[0].actor == "cli:operator");
    t.run("adm", "/team", "add <@eng> to <@mgr2>");
    t.run("adm", "/team", "role <@mgr2> director");
    t.run("dir", "/team", "remove <@eng>");
    auto log = audit_of(t, "eng");
    REQUIRE(log.size() == 3);
    CHECK(log[0].action == "org_team_remove");
    CHECK(log[0].actor == "dir");
    CHECK(log[0].detail == "manager: mgr2 -> none");
    CHECK(log[1].action == "org_team_add");
    CHECK(log[1].actor == "adm");
    CHECK(log[1].detail == "manager: mgr -> mgr2");
    auto role = audit_of(t, "mgr2");
    REQUIRE_FALSE(role.empty());
    CHECK(role[0].action == "org_role");
    CHECK(role[0].detail == "role: none -> director");
}

TEST_CASE("a reorg ends 1:1s with the old manager and prompts the new one",
          "[team][authority][reorg]") {
    TestApp t;
    small_org(t);
    t.run("mgr", "/1on1", "schedule <@eng> tuesday 10:00");
    storage::ScheduleRepo schedules(t.db);
    REQUIRE(schedules.active("mgr", "eng"));
    auto r = t.run("adm", "/team", "add <@eng> to <@mgr2>");
    CHECK_FALSE(schedules.active("mgr", "eng"));
    CHECK_THAT(dm_text(t, r, "mgr"),
               Catch::Contains("Your 1:1s with @eng have ended: @eng now reports to @mgr2"));
    CHECK_THAT(dm_text(t, r, "eng"),
               Catch::Contains("Your 1:1s with @mgr have ended: you now report to @mgr2"));
    CHECK_THAT(dm_text(t, r, "mgr2"), Catch::Contains("/1on1 schedule @eng"));

    // The same through the operator's import: the cadence with mgr2 ends, dir is prompted.
    t.run("mgr2", "/1on1", "schedule <@eng> monday 09:00");
    REQUIRE(schedules.active("mgr2", "eng"));
    auto imported = import_org_csv(t.services, "user_id,name,manager_id\neng,eng,dir\n");
    // dir is still above eng, so a skip-level cadence with dir would have stayed.
    CHECK_FALSE(schedules.active("mgr2", "eng"));
    std::string told;
    for (const auto& n : imported.notices) told += n.user_id + ":" + n.message.text + "\n";
    CHECK_THAT(told, Catch::Contains("mgr2:") && Catch::Contains("dir:"));
}

TEST_CASE("/team list says who reports to nobody", "[team]") {
    TestApp t;
    small_org(t);
    CHECK_THAT(t.say("eng", "/team", "list <@dir>"),
               Catch::Contains("@dir reports to nobody in careerbot."));
    CHECK_THAT(t.say("dir", "/team", "list"),
               Catch::Contains("You report to nobody in careerbot."));
    CHECK_THAT(t.say("dir", "/team", "list <@nosuch>"), Catch::Contains("I don't know @nosuch"));
    CHECK(t.count("SELECT count(*) FROM people WHERE id = 'nosuch'") == 0);
}

// The invariant of "Who may change the org chart": whatever random users do, a person's
// records become visible to someone only with an admin's act (the /team commands of an admin,
// the operator's import) or the person's own acceptance.
TEST_CASE("random org operations never give anyone visibility without consent",
          "[team][authority][property]") {
    const std::vector<std::string> users{"adm", "dir", "m1", "m2", "e1", "e2", "e3", "x"};
    for (unsigned seed = 1; seed <= 12; ++seed) {
        TestApp t;
        t.config.org.admins = {"adm"};
        import_org_csv(t.services,
                       "user_id,name,manager_id\nadm,adm,\ndir,dir,\nm1,m1,dir\nm2,m2,dir\n"
                       "e1,e1,m1\ne2,e2,m2\ne3,e3,\nx,x,\n");
        storage::PeopleRepo people(t.db);
        std::map<std::string, std::set<std::string>> consented;
        auto consent_all = [&] {
            for (const auto& p : users)
                for (const auto& m : people.manager_chain(p)) consented[p].insert(m);
        };
        consent_all();
        std::mt19937 rng(seed);
        auto pick = [&] { return users[rng() % users.size()]; };
        for (int step = 0; step < 400; ++step) {
            std::string actor = pick(), subject = pick(), manager = pick();
            // Managers mostly pick places in their own org, where moves are allowed at all.
            if (auto below = people.subtree(actor); rng() % 3 != 0) {
                manager = below.empty() || rng() % 2 ? actor : below[rng() % below.size()];
            }
            int op = static_cast<int>(rng() % 8);
            std::string what;
            bool admin_act = actor == "adm";
            switch (op) {
                case 0:
                case 1:
                    what = "/team add <@" + subject + "> to <@" + manager + ">";
                    t.run(actor, "/team", "add <@" + subject + "> to <@" + manager + ">");
                    break;
                case 2:
                    what = "/team remove <@" + subject + ">";
                    t.run(actor, "/team", "remove <@" + subject + ">");
                    break;
                case 3:
                    what = "/team role <@" + subject + "> director";
                    t.run(actor, "/team", "role <@" + subject + "> director");
                    break;
                case 4:
                case 5: {
                    // Mostly answer a request that is open, as its subject would; sometimes as
                    // anyone else, or a request that is not open.
                    std::string n = std::to_string(1 + rng() % 12);
                    int open =
                        t.count("SELECT count(*) FROM org_requests WHERE status = 'pending'");
                    if (open > 0 && rng() % 4 != 0) {
                        auto q = t.db.prepare(
                            "SELECT id || ' ' || subject_id || ' ' || requester_id FROM "
                            "org_requests "
                            "WHERE status = 'pending' ORDER BY id DESC LIMIT 1 OFFSET ?");
                        q.bind(rng() % static_cast<unsigned>(open)).step();
                        auto row = q.get<std::string>(0);
                        auto words = text::words(row);
                        n = words[0];
                        if (rng() % 3 != 0) actor = words[1];
                        admin_act = actor == "adm";
                    }
                    what = "/team accept " + n;
                    t.run(actor, "/team", (op == 4 ? "accept " : "approve ") + n);
                    // The actor consents for themselves; an admin's approval stands for everyone.
                    if (!admin_act)
                        for (const auto& m : people.manager_chain(actor))
                            consented[actor].insert(m);
                    break;
                }
                case 6:
                    what = "/team decline";
                    t.run(actor, "/team", "decline " + std::to_string(1 + rng() % 12));
                    break;
                case 7:
                    what = "import " + subject + " under " + manager;
                    admin_act = true;
                    try {
                        import_org_csv(t.services, "user_id,name,manager_id\n" + subject + "," +
                                                       subject + "," + manager + "\n");
                    } catch (const UserError&) {
                    }
                    break;
            }
            if (admin_act) consent_all();
            for (const auto& viewer : users) {
                for (const auto& subj : users) {
                    if (viewer == subj || !reads(t, viewer, subj)) continue;
                    INFO("seed " << seed << " step " << step << ": " << actor << " ran " << what);
                    INFO(viewer << " reads " << subj << " without consent");
                    CHECK(consented[subj].contains(viewer));
                }
            }
        }
    }
}
