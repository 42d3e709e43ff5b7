#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "storage/brags.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

TEST_CASE("a brag is logged and listed newest first", "[brag]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/brag", "2026-11-02 wrote the RFC #design"),
               Catch::Contains("Logged brag *#1*"));
    CHECK_THAT(t.say("alice", "/brag", "shipped it #infra impact: 2x faster"),
               Catch::Contains("#2"));
    auto out = t.say("alice", "/brag", "list");
    CHECK_THAT(out, Catch::Contains("2 brags"));
    CHECK(out.find("#2* · 2026-11-20") < out.find("#1* · 2026-11-02"));
    CHECK(t.count("SELECT count(*) FROM brags WHERE author_id = 'alice'") == 2);
}

TEST_CASE("brag list paginates with buttons and a typed fallback", "[brag]") {
    TestApp t;
    for (int i = 1; i <= 23; ++i) t.run("alice", "/brag", "task " + std::to_string(i));
    auto first = t.run("alice", "/brag", "list");
    auto text1 = t.text(first);
    CHECK_THAT(text1, Catch::Contains("page 1 of 3"));
    CHECK_THAT(text1, Catch::Contains("task 23"));
    CHECK_THAT(text1, !Catch::Contains("task 13\n"));
    CHECK_THAT(text1, Catch::Contains("[Older ▶]"));
    auto third = t.say("alice", "/brag", "list page 3");
    CHECK_THAT(third, Catch::Contains("task 1\n"));
    CHECK_THAT(third, Catch::Contains("task 3\n"));
    CHECK_THAT(third, !Catch::Contains("task 4\n"));

    Interaction in;
    in.type = "block_actions";
    in.key = "brag_list_page";
    in.user_id = "alice";
    in.value = R"({"u":"alice","s":"","p":2})";
    CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("page 2 of 3"));
}

TEST_CASE("brag list buttons on a middle page have distinct action_ids", "[brag]") {
    // Slack rejects an actions block whose elements share an action_id (invalid_blocks).
    TestApp t;
    for (int i = 1; i <= 23; ++i) t.run("alice", "/brag", "task " + std::to_string(i));
    auto middle = t.run("alice", "/brag", "list page 2");
    REQUIRE(middle.message);
    std::vector<std::string> ids;
    for (const auto& block : middle.message->blocks) {
        if (block.value("type", "") != "actions") continue;
        for (const auto& element : block["elements"]) ids.push_back(element["action_id"]);
    }
    CHECK(ids == std::vector<std::string>{"brag_list_newer", "brag_list_older"});

    for (const char* key : {"brag_list_newer", "brag_list_older", "brag_list_page"}) {
        Interaction in;
        in.type = "block_actions";
        in.key = key;
        in.user_id = "alice";
        in.value = R"({"u":"alice","s":"","p":3})";
        CHECK_THAT(t.text(t.app.handle(t.services, in)), Catch::Contains("page 3 of 3"));
    }
}

TEST_CASE("brag list since a date filters older brags", "[brag]") {
    TestApp t;
    t.run("alice", "/brag", "2026-09-01 old thing");
    t.run("alice", "/brag", "2026-11-10 new thing");
    auto out = t.say("alice", "/brag", "list since 2026-11-01");
    CHECK_THAT(out, Catch::Contains("new thing"));
    CHECK_THAT(out, !Catch::Contains("old thing"));
    CHECK_THAT(t.say("alice", "/brag", "list since someday"), Catch::Contains("couldn't read"));
}

TEST_CASE("managers up the chain see a report's brags; peers and reports do not",
          "[brag][visibility]") {
    TestApp t;
    t.person("eng", "mgr");
    t.person("mgr", "dir");
    t.person("peer", "mgr");
    t.run("eng", "/brag", "secret win");
    CHECK_THAT(t.say("mgr", "/brag", "list <@eng>"), Catch::Contains("secret win"));
    CHECK_THAT(t.say("dir", "/brag", "list <@eng>"), Catch::Contains("secret win"));
    auto peer = t.say("peer", "/brag", "list <@eng>");
    CHECK_THAT(peer, Catch::Contains(":lock:"));
    CHECK_THAT(peer, !Catch::Contains("secret"));
    // Someone unknown gets the very same answer, so nothing leaks about who exists.
    CHECK(t.say("peer", "/brag", "list <@nobody>") == peer);
    CHECK_THAT(t.say("eng", "/brag", "list <@mgr>"), Catch::Contains(":lock:"));
    CHECK_THAT(t.say("peer", "/brag", "export <@eng>"), Catch::Contains(":lock:"));
}

TEST_CASE("edit and delete only ever touch your own brags", "[brag]") {
    TestApp t;
    t.run("alice", "/brag", "alice's brag");
    t.run("bob", "/brag", "bob's brag");
    CHECK_THAT(t.say("bob", "/brag", "edit 2 hijacked"), Catch::Contains("You have no brag #2"));
    CHECK_THAT(t.say("bob", "/brag", "delete 2"), Catch::Contains("You have no brag #2"));
    CHECK_THAT(t.say("bob", "/brag", "edit 1 bob's better brag #win"),
               Catch::Contains("Updated brag"));
    CHECK(storage::BragRepo(t.db).find("alice", 1)->text == "alice's brag");
    CHECK(storage::BragRepo(t.db).find("bob", 1)->text == "bob's better brag #win");
    CHECK_THAT(t.say("bob", "/brag", "delete"), Catch::Contains("Which brag?"));
    CHECK_THAT(t.say("bob", "/brag", "edit x"), Catch::Contains("Which brag?"));
}

TEST_CASE("an edit keeps the original date unless a new one is given", "[brag]") {
    TestApp t;
    t.run("alice", "/brag", "2026-11-02 wrote the RFC");
    t.run("alice", "/brag", "edit 1 wrote and presented the RFC");
    CHECK(storage::BragRepo(t.db).find("alice", 1)->happened_on == "2026-11-02");
    t.run("alice", "/brag", "edit 1 wrote the RFC yesterday");
    CHECK(storage::BragRepo(t.db).find("alice", 1)->happened_on == "2026-11-19");
}

TEST_CASE("delete is soft and can be undone", "[brag]") {
    TestApp t;
    t.run("alice", "/brag", "first");
    auto del = t.run("alice", "/brag", "delete 1");
    CHECK_THAT(t.text(del), Catch::Contains("[Undo]"));
    CHECK_THAT(t.say("alice", "/brag", "list"), Catch::Contains("0 brags"));
    CHECK(t.count("SELECT count(*) FROM brags WHERE deleted_at IS NOT NULL") == 1);
    Interaction undo;
    undo.type = "block_actions";
    undo.key = "brag_undo";
    undo.user_id = "alice";
    undo.value = "1";
    CHECK_THAT(t.text(t.app.handle(t.services, undo)), Catch::Contains("Restored brag"));
    CHECK_THAT(t.say("alice", "/brag", "list"), Catch::Contains("1 brag"));
    CHECK_THAT(t.say("alice", "/brag", "undo 1"), Catch::Contains("no deleted brag #1"));
    // A new brag never reuses a deleted brag's number.
    t.run("alice", "/brag", "delete 1");
    CHECK_THAT(t.say("alice", "/brag", "second"), Catch::Contains("#2"));
}

TEST_CASE("bad input is answered clearly and nothing is stored", "[brag]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/brag", std::string(40 * 1024, 'x')),
               Catch::Contains("That brag is 40,960 bytes long; a brag is at most 4,000 bytes."));
    CHECK_THAT(t.say("alice", "/brag", "bad \xC3\x28 bytes"), Catch::Contains("UTF-8"));
    CHECK_THAT(t.say("alice", "/brag", "\x01\x02\x03"), Catch::Contains("The brag is empty"));
    CHECK(t.count("SELECT count(*) FROM brags") == 0);
    t.run("alice", "/brag", "tabs\tand \x1b[31mcolour codes\x07");
    CHECK(storage::BragRepo(t.db).find("alice", 1)->text == "tabs\tand [31mcolour codes");
}

TEST_CASE("echoed text can never ping or forge a link", "[brag][security]") {
    TestApp t;
    auto r = t.run("alice", "/brag",
                   "&lt;!channel&gt; <!here> <!subteam^S1|@team> <http://evil.example|bank>");
    auto json = r.message->blocks.dump();
    CHECK(json.find("<!channel>") == std::string::npos);
    CHECK(json.find("<!here>") == std::string::npos);
    CHECK(json.find("<!subteam") == std::string::npos);
    CHECK(json.find("|bank>") == std::string::npos);
}

TEST_CASE("export makes a brag document grouped by quarter and tag", "[brag]") {
    TestApp t;
    t.run("alice", "/brag", "2026-08-15 led the incident review #ops");
    t.run("alice", "/brag", "2026-11-02 wrote the RFC #design impact: saved 2 sprints");
    t.run("alice", "/brag", "2026-11-03 onboarded two hires");
    auto r = t.run("alice", "/brag", "export");
    REQUIRE(r.files.size() == 1);
    const auto& md = r.files[0].content;
    CHECK(r.files[0].filename == "brag-document-alice.md");
    CHECK_THAT(md, Catch::Contains("## 2026Q4"));
    CHECK_THAT(md, Catch::Contains("## 2026Q3"));
    CHECK(md.find("## 2026Q4") < md.find("## 2026Q3"));
    CHECK_THAT(md, Catch::Contains("### #design"));
    CHECK_THAT(md, Catch::Contains("### Untagged"));
    CHECK_THAT(md, Catch::Contains("*Impact:* saved 2 sprints"));

    auto csv = t.run("alice", "/brag", "export csv").files.at(0).content;
    CHECK_THAT(csv,
               Catch::StartsWith("number,date,quarter,text,impact,link,tags,growth,source\r\n"));
    CHECK_THAT(csv,
               Catch::Contains(
                   "2,2026-11-02,2026Q4,wrote the RFC #design,saved 2 sprints,,#design,,test"));
    CHECK_THAT(t.say("alice", "/brag", "export pdf"), Catch::Contains("`md`, `csv` or `json`"));
    auto q3 = t.run("alice", "/brag", "export json 2026Q3").files.at(0);
    CHECK(q3.filename == "brags-alice-2026Q3.json");
    auto doc = nlohmann::json::parse(q3.content);
    CHECK(doc.dump().find("incident review") != std::string::npos);
    CHECK(doc.dump().find("wrote the RFC") == std::string::npos);
}

TEST_CASE("csv fields with commas, quotes and newlines are quoted", "[brag]") {
    TestApp t;
    t.run("alice", "/brag", "fixed \"the\" bug, finally");
    auto csv = t.run("alice", "/brag", "export csv").files.at(0).content;
    CHECK_THAT(csv, Catch::Contains("\"fixed \"\"the\"\" bug, finally\""));
}

TEST_CASE("/brag with no text offers the form in Slack and help elsewhere", "[brag]") {
    TestApp t;
    Request r;
    r.user_id = "alice";
    r.command = "/brag";
    r.trigger_id = "T123";
    auto reply = t.app.handle(t.services, r);
    REQUIRE(reply.open_modal);
    CHECK((*reply.open_modal)["callback_id"] == "brag_new");
    CHECK_THAT(t.say("alice", "/brag", ""), Catch::Contains("/brag list"));

    Interaction submit;
    submit.type = "view_submission";
    submit.key = "brag_new";
    submit.user_id = "alice";
    submit.payload = nlohmann::json::parse(R"({"view":{"state":{"values":{
        "text":{"value":{"type":"plain_text_input","value":"ran the offsite #team"}},
        "impact":{"value":{"type":"plain_text_input","value":null}},
        "link":{"value":{"type":"plain_text_input","value":"https://wiki/offsite"}},
        "date":{"value":{"type":"datepicker","selected_date":"2026-11-12"}}}}}})");
    auto done = t.app.handle(t.services, submit);
    REQUIRE(done.dms.size() == 1);
    auto b = storage::BragRepo(t.db).find("alice", 1);
    REQUIRE(b);
    CHECK(b->happened_on == "2026-11-12");
    CHECK(b->link == "https://wiki/offsite");
    CHECK(b->tags == std::vector<std::string>{"team"});

    submit.payload["view"]["state"]["values"]["text"]["value"]["value"] = "   ";
    auto err = t.app.handle(t.services, submit);
    REQUIRE(err.response_action);
    CHECK((*err.response_action)["response_action"] == "errors");
}

TEST_CASE("unknown commands and subcommands get help, not a crash", "[app]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/nope", ""), Catch::Contains("/brag"));
    CHECK_THAT(t.say("alice", "/brag", "help"), Catch::Contains("/brag list"));
}

TEST_CASE("a handler that throws is answered with an apology and rolled back", "[app]") {
    TestApp t;
    t.app.command({"/boom", "explodes", ""}, [&](Services&, const Request& r) -> Reply {
        storage::BragRepo(t.db).add(r.user_id, {"half", "", "", {}, "2026-11-20", {}}, "test",
                                    t.clock.now());
        throw std::runtime_error("kaboom");
    });
    CHECK_THAT(t.say("alice", "/boom", ""), Catch::Contains("Something went wrong"));
    CHECK(t.count("SELECT count(*) FROM brags") == 0);
}

TEST_CASE("a group commit with a refused brag answers each and keeps the others", "[brag]") {
    // What the bot's storage thread does with a batch (see Database::write_optimistic).
    TestApp t;
    std::vector<std::string> answers;
    auto batch = [&] {
        answers.clear();
        for (const char* text : {"shipped the importer", "yesterday", "wrote the RFC"}) {
            answers.push_back(t.text(t.run("alice", "/brag", text)));
            if (t.db.tainted()) return;
        }
    };
    CHECK_FALSE(t.db.write_optimistic(batch));  // the refused brag taints the optimistic run
    CHECK(t.count("SELECT count(*) FROM brags") == 0);
    t.db.write(batch);
    REQUIRE(answers.size() == 3);
    CHECK_THAT(answers[0], Catch::Contains("Logged brag *#1*"));
    CHECK_THAT(answers[1], Catch::Contains("Tell me what you did"));
    CHECK_THAT(answers[2], Catch::Contains("Logged brag *#2*"));
    CHECK(t.count("SELECT count(*) FROM brags WHERE author_id = 'alice'") == 2);
}

TEST_CASE("an optimistic group commit of good brags commits them in one go", "[brag]") {
    TestApp t;
    std::vector<std::string> answers;
    CHECK(t.db.write_optimistic([&] {
        for (int i = 1; i <= 5; ++i)
            answers.push_back(t.text(t.run("alice", "/brag", "task " + std::to_string(i) + " #x")));
    }));
    REQUIRE(answers.size() == 5);
    CHECK_THAT(answers[4], Catch::Contains("Logged brag *#5*"));
    CHECK(t.count("SELECT count(*) FROM brag_tags WHERE tag = 'x'") == 5);
}

TEST_CASE("a brag dated other than today says so; refused dates store nothing", "[brag][dates]") {
    TestApp t;
    auto old = t.say("alice", "/brag", "fixed the login bug on 2026-09-28 #bugfix");
    CHECK_THAT(old, Catch::Contains("Dated *2026-09-28* (53 days ago), not today"));
    CHECK(storage::BragRepo(t.db).find("alice", 1)->happened_on == "2026-09-28");
    CHECK_THAT(t.say("alice", "/brag", "shipped it yesterday"),
               Catch::Contains("(yesterday), not today"));
    CHECK_THAT(t.say("alice", "/brag", "shipped it"), !Catch::Contains("not today"));
    CHECK_THAT(t.say("alice", "/brag", "fixed it 2026-02-30"),
               Catch::Contains("not a date on the calendar"));
    CHECK_THAT(t.say("alice", "/brag", "demo tomorrow"), Catch::Contains("in the future"));
    CHECK(t.count("SELECT count(*) FROM brags") == 3);

    // The form's date picker cannot date a brag in the future either.
    Interaction submit;
    submit.type = "view_submission";
    submit.key = "brag_new";
    submit.user_id = "alice";
    submit.payload = nlohmann::json::parse(R"({"view":{"state":{"values":{
        "text":{"value":{"type":"plain_text_input","value":"ran the offsite"}},
        "date":{"value":{"type":"datepicker","selected_date":"2026-12-01"}}}}}})");
    auto err = t.app.handle(t.services, submit);
    REQUIRE(err.response_action);
    CHECK((*err.response_action)["errors"]["date"].get<std::string>().find("future") !=
          std::string::npos);
    CHECK(t.count("SELECT count(*) FROM brags") == 3);
}

TEST_CASE("a one-word near-miss of a subcommand asks instead of logging", "[brag]") {
    TestApp t;
    for (const char* slip : {"lsit", "delte", "exprot", "eidt", "hlep", "udno", "Lsit"}) {
        INFO(slip);
        CHECK_THAT(t.say("alice", "/brag", slip), Catch::Contains("Did you mean `/brag "));
    }
    CHECK_THAT(t.say("alice", "/brag", "lsit"), Catch::Contains("Did you mean `/brag list`?"));
    CHECK_THAT(t.say("alice", "/brag", "delte"), Catch::Contains("Did you mean `/brag delete`?"));
    CHECK_THAT(t.say("alice", "/brag", "exprot"), Catch::Contains("Did you mean `/brag export`?"));
    CHECK(t.count("SELECT count(*) FROM brags") == 0);
    // Real one-word brags and longer texts still log.
    CHECK_THAT(t.say("alice", "/brag", "gift"), Catch::Contains("Logged brag"));
    CHECK_THAT(t.say("alice", "/brag", "first"), Catch::Contains("Logged brag"));
    CHECK_THAT(t.say("alice", "/brag", "refactored"), Catch::Contains("Logged brag"));
    CHECK_THAT(t.say("alice", "/brag", "lsit the options #docs"), Catch::Contains("Logged brag"));
    CHECK(t.count("SELECT count(*) FROM brags") == 4);
}

TEST_CASE("refused and read-only commands add nobody to people", "[brag][app]") {
    TestApp t;
    t.person("peer");
    t.say("peer", "/brag", "list <@nosuch>");
    t.say("peer", "/brag", "export <@nosuch>");
    t.say("stranger", "/brag", "list <@nosuch>");
    t.say("stranger", "/brag", "lsit");
    CHECK(t.count("SELECT count(*) FROM people WHERE id IN ('nosuch', 'stranger')") == 0);
}

TEST_CASE("tags keep the order typed: the document files a brag under its first tag",
          "[brag][export]") {
    TestApp t;
    t.run("alice", "/brag", "2026-11-02 rolled out the new login #security #auth #backend");
    auto b = storage::BragRepo(t.db).find("alice", 1);
    REQUIRE(b);
    CHECK(b->tags == std::vector<std::string>{"security", "auth", "backend"});
    auto md = t.run("alice", "/brag", "export").files.at(0).content;
    CHECK_THAT(md, Catch::Contains("### #security\n\n- **2026-11-02** — rolled out"));
    CHECK_THAT(md, !Catch::Contains("### #auth"));
    auto csv = t.run("alice", "/brag", "export csv").files.at(0).content;
    CHECK_THAT(csv, Catch::Contains(",#security #auth #backend,"));
    auto json = nlohmann::json::parse(t.run("alice", "/brag", "export json").files.at(0).content);
    CHECK(json["brags"][0]["tags"] == nlohmann::json::array({"security", "auth", "backend"}));
    // An edit re-reads the tags in their new order.
    t.run("alice", "/brag", "edit 1 rolled out the new login #backend #security");
    CHECK(storage::BragRepo(t.db).find("alice", 1)->tags ==
          std::vector<std::string>{"backend", "security"});
}

TEST_CASE("BragRepo::add numbers per author and stores each tag once, in order, on both backends",
          "[brag][storage]") {
    TestApp t;
    t.person("alice");
    t.person("bob");
    storage::BragRepo brags(t.db);
    storage::BragFields f;
    f.text = "shipped";
    f.happened_on = "2026-11-20";
    // A repeated tag is stored once; quotes, commas and non-ASCII text arrive as typed.
    f.tags = {"zeta", "a\"b,c", "zeta", "日本", "alpha"};
    auto a1 = brags.add("alice", f, "test", t.clock.now());
    auto b1 = brags.add("bob", f, "test", t.clock.now());
    f.tags.clear();
    auto a2 = brags.add("alice", f, "test", t.clock.now());
    CHECK(a1.number == 1);
    CHECK(b1.number == 1);
    CHECK(a2.number == 2);
    CHECK(b1.id > a1.id);
    CHECK(a2.id > b1.id);
    CHECK(brags.find("alice", 1)->tags ==
          std::vector<std::string>{"zeta", "a\"b,c", "日本", "alpha"});
    CHECK(brags.find("bob", 1)->id == b1.id);
    CHECK(brags.find("alice", 2)->tags.empty());
}

TEST_CASE("tags stored before their order was kept read alphabetically", "[brag][storage]") {
    TestApp t;
    t.run("alice", "/brag", "shipped #zeta #alpha");
    // What a row written by an older careerbot looks like after migration 0012.
    t.db.exec("UPDATE brag_tags SET position = 0");
    CHECK(storage::BragRepo(t.db).find("alice", 1)->tags ==
          std::vector<std::string>{"alpha", "zeta"});
}

TEST_CASE("a brag export in CSV cannot inject a spreadsheet formula", "[brag][export][security]") {
    TestApp t;
    t.run("alice", "/brag", "=HYPERLINK(\"http://evil.example\",\"click\") impact: +1 for all");
    t.run("alice", "/brag", "@SUM(A1) -rewrote the parser");
    auto csv = t.run("alice", "/brag", "export csv").files.at(0).content;
    CHECK_THAT(csv,
               Catch::Contains(
                   ",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",\"'+1 for all\","));
    CHECK_THAT(csv, Catch::Contains(",\"'@SUM(A1) -rewrote the parser\","));
    CHECK_THAT(csv, !Catch::Contains(",=HYPERLINK"));
    CHECK_THAT(csv, !Catch::Contains(",+1"));
}
