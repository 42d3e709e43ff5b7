#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/core/error.hpp"
#include "src/core/org_import.hpp"
#include "src/core/roles.hpp"
#include "storage/people.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

TEST_CASE("a manager adds reports and lists the org below them", "[team]") {
    TestApp t;
    t.config.org.admins = {"root"};
    CHECK_THAT(t.say("root", "/team", "add <@eng1> <@eng2> to <@mgr>"),
               Catch::Contains("now report to @mgr"));
    // mgr now tops a tree of their own: nobody but an admin puts someone above them.
    CHECK_THAT(t.say("dir", "/team", "add <@mgr>"), Catch::Contains("top of the org chart"));
    CHECK_THAT(t.say("root", "/team", "add <@mgr> to <@dir>"),
               Catch::Contains("now reports to @dir"));
    auto out = t.say("dir", "/team", "list");
    CHECK_THAT(out, Catch::Contains("3 people"));
    CHECK_THAT(out, Catch::Contains("• @mgr\n    • @eng1\n    • @eng2"));
    CHECK_THAT(t.say("eng1", "/team", "list"), Catch::Contains("report → @mgr → @dir"));
    CHECK(is_director(t.services, "dir"));
    CHECK(is_manager(t.services, "mgr"));
    CHECK_FALSE(is_manager(t.services, "eng1"));
}

TEST_CASE("people already in someone else's org cannot be taken", "[team]") {
    TestApp t;
    t.person("eng", "mgr");
    CHECK_THAT(t.say("rival", "/team", "add <@eng>"), Catch::Contains("already reports to @mgr"));
    CHECK_THAT(t.say("rival", "/team", "remove <@eng>"), Catch::Contains("not in your org"));
    CHECK(storage::PeopleRepo(t.db).find("eng")->manager_id == std::optional<std::string>("mgr"));
    CHECK_THAT(t.say("rival", "/team", "add <@x> to <@mgr>"),
               Catch::Contains("only add people under yourself"));
}

TEST_CASE("a cycle in the org chart is refused", "[team]") {
    TestApp t;
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    CHECK_THAT(t.say("eng", "/team", "add <@dir>"), Catch::Contains("already reports"));
    t.config.org.admins = {"root"};
    CHECK_THAT(t.say("root", "/team", "add <@dir> to <@eng>"), Catch::Contains("loop"));
    CHECK_FALSE(storage::PeopleRepo(t.db).find("dir")->manager_id);
}

TEST_CASE("admins move people and set roles; others cannot set roles", "[team]") {
    TestApp t;
    t.config.org.admins = {"root"};
    t.person("eng", "mgr");
    CHECK_THAT(t.say("root", "/team", "add <@eng> to <@mgr2>"),
               Catch::Contains("now reports to @mgr2"));
    CHECK_THAT(t.say("mgr", "/team", "role <@mgr2> director"),
               Catch::Contains("Only careerbot admins"));
    CHECK_THAT(t.say("root", "/team", "role <@mgr2> director"), Catch::Contains("now director"));
    CHECK(is_director(t.services, "mgr2"));
    CHECK_THAT(t.say("root", "/team", "role <@mgr2> boss"),
               Catch::Contains("`manager`, `director` or `none`"));
    CHECK_THAT(t.say("root", "/team", "frobnicate"), Catch::Contains("/team help"));
}

TEST_CASE("an org chart CSV is imported all or nothing, idempotently", "[team][import]") {
    TestApp t;
    std::string csv =
        "user_id,name,manager_id,real_name,tz,role\n"
        "U3,eve,U2,\"Eve, Engineer\",Europe/Paris,\n"
        "U1,dana,,Dana Director,America/New_York,director\n"
        "U2,mo,U1,Mo Manager,,manager\n";
    auto r = import_org_csv(t.services, csv);
    CHECK(r.added == 3);
    storage::PeopleRepo people(t.db);
    CHECK(people.find("U3")->real_name == "Eve, Engineer");
    CHECK(people.find("U3")->tz == "Europe/Paris");
    CHECK(people.manager_chain("U3") == std::vector<std::string>{"U2", "U1"});
    CHECK(people.role("U1") == std::optional<std::string>("director"));
    auto again = import_org_csv(t.services, csv);
    CHECK(again.added == 0);
    CHECK(again.updated == 0);
    CHECK(again.unchanged == 3);
    auto moved = import_org_csv(t.services, "user_id,name,manager_id\nU3,eve,U1\n");
    CHECK(moved.updated == 1);
    CHECK(people.find("U3")->manager_id == std::optional<std::string>("U1"));
}

TEST_CASE("an org file whose handles collide or cannot be typed as @handle imports nothing",
          "[team][import]") {
    TestApp t;
    t.person("U9");
    t.db.write([&] {
        storage::PeopleRepo(t.db).upsert_profile({"U9", "zed", "", "", {}}, t.clock.now());
    });
    std::string csv =
        "user_id,name,manager_id,real_name\n"
        "U1,dana,,\n"
        "U2,Dana,U1,\n"          // the same handle as line 2, in other letters
        "U3,Dana Scully,U1,\n"   // a space: @Dana would stop before Scully
        "U4,mo.,U1,\n"           // a trailing '.' is read as the end of a sentence
        "U5,here,U1,\n"          // @here is Slack's
        "U6,ZED,U1,\n"           // taken by U9, already in careerbot
        "U7,U1,U1,\n"            // @U1 means the person whose id is U1
        "U8,li.lei,U1,Li Lei\n"  // fine: dots inside, full name in real_name
        "U10,Zoë,U1,\n";         // fine: non-ASCII letters are typable
    try {
        import_org_csv(t.services, csv);
        FAIL("expected the import to be refused");
    } catch (const UserError& e) {
        std::string m = e.what();
        INFO(m);
        CHECK_THAT(m, Catch::Contains("nothing was imported (6 problems)"));
        CHECK_THAT(m, Catch::Contains("line 3: name 'Dana' is also the name of U1 (on line 2)"));
        CHECK_THAT(m, Catch::Contains("line 4: name 'Dana Scully' cannot be typed as @handle "
                                      "(it contains a space)"));
        CHECK_THAT(m, Catch::Contains("line 5: name 'mo.' cannot be typed as @handle"));
        CHECK_THAT(m, Catch::Contains("line 6: name 'here' cannot be typed as @handle"));
        CHECK_THAT(m, Catch::Contains("line 7: name 'ZED' is also the name of U9 (already in "
                                      "careerbot)"));
        CHECK_THAT(m, Catch::Contains("line 8: name 'U1' is the user_id of another person"));
        CHECK_THAT(m, !Catch::Contains("line 2:"));
        CHECK_THAT(m, !Catch::Contains("line 9:"));
        CHECK_THAT(m, !Catch::Contains("line 10:"));
    }
    CHECK(t.count("SELECT count(*) FROM people") == 1);

    // Renaming U9 in the same file frees its handle; the same person keeps theirs.
    auto r =
        import_org_csv(t.services, "user_id,name,manager_id\nU9,zoltan,\nU6,Zed,U9\nU7,U7,U9\n");
    CHECK(r.added == 2);
    CHECK(r.updated == 1);
}

TEST_CASE("a bad org file lists every problem with its line and imports nothing",
          "[team][import]") {
    TestApp t;
    std::string csv =
        "user_id,name,manager_id,tz\n"
        "A,ann,B,\n"
        "B,bob,C,\n"
        "C,cy,A,\n"  // A -> B -> C -> A
        "D,dee,,Mars/Base\n"
        "D,dee again,,\n"
        ",nobody,,\n"
        "E,eli,ZZZ,\n"
        "F,fay\n";
    try {
        import_org_csv(t.services, csv);
        FAIL("expected the import to be refused");
    } catch (const UserError& e) {
        std::string m = e.what();
        CHECK_THAT(m, Catch::Contains("nothing was imported"));
        CHECK_THAT(m, Catch::Contains("loop"));
        CHECK_THAT(m, Catch::Contains("line 5: unknown time zone 'Mars/Base'"));
        CHECK_THAT(m, Catch::Contains("line 6: duplicate user_id D (first on line 5)"));
        CHECK_THAT(m, Catch::Contains("line 7: user_id is empty"));
        CHECK_THAT(m, Catch::Contains("line 8: manager ZZZ is neither in the file nor known"));
        CHECK_THAT(m, Catch::Contains("line 9: 2 fields, expected 4"));
    }
    CHECK(t.count("SELECT count(*) FROM people") == 0);
    CHECK_THROWS_WITH(import_org_csv(t.services, "id,name\nA,ann\n"),
                      Catch::Contains("missing column 'user_id'"));
    CHECK_THROWS_WITH(import_org_csv(t.services, "user_id,name,manager_id\n\"A,ann,\n"),
                      Catch::Contains("never closed"));
}
