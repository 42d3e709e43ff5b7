#include <catch2/catch.hpp>

#include <map>

#include "fixture.hpp"
#include "storage/brags.hpp"
#include "storage/feedback.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;
using nlohmann::json;

namespace {
/// Stands in for Slack's users.info, conversations.history and chat.getPermalink.
class FakeLookup : public Lookup {
  public:
    std::map<std::string, SlackUser> users;
    std::map<std::string, SlackMessage> messages;  // key: channel/ts
    int permalink_calls = 0;
    std::optional<std::string> permalink(const std::string& c, const std::string& ts) override {
        ++permalink_calls;
        return "https://acme.slack.com/archives/" + c + "/p" + ts;
    }
    std::optional<SlackMessage> message(const std::string& c, const std::string& ts) override {
        auto it = messages.find(c + "/" + ts);
        if (it == messages.end()) return std::nullopt;
        return it->second;
    }
    std::optional<SlackUser> user(const std::string& id) override {
        auto it = users.find(id);
        if (it == users.end()) return std::nullopt;
        return it->second;
    }
};

struct SlackApp : TestApp {
    FakeLookup fake;
    SlackApp() {
        services.slack = &fake;
        fake.users["U1"] = {"U1", "alice", "Alice A", "Europe/Paris", false};
        fake.users["U2"] = {"U2", "bob", "Bob B", "America/New_York", false};
        fake.users["U3"] = {"U3", "carol", "Carol C", "UTC", false};
        fake.users["B1"] = {"B1", "deploybot", "", "", true};
    }
    Interaction shortcut(json message) {
        Interaction in;
        in.type = "message_action";
        in.key = "save_as_feedback";
        in.user_id = "U2";
        in.trigger_id = "trig";
        in.payload = {{"channel", {{"id", "C9"}, {"name", "wins"}}}, {"message", message}};
        return in;
    }
    Interaction submission(const std::string& metadata, std::vector<std::string> who) {
        Interaction in;
        in.type = "view_submission";
        in.key = "feedback_save";
        in.user_id = "U2";
        in.value = metadata;
        in.payload = {
            {"view",
             {{"state",
               {{"values",
                 {{"who",
                   {{"value", {{"type", "multi_users_select"}, {"selected_users", who}}}}}}}}}}}};
        return in;
    }
};
}  // namespace

TEST_CASE("/feedback records feedback and DMs the person", "[feedback]") {
    TestApp t;
    auto r = t.run("alice", "/feedback", "<@bob> great incident write-up, thanks <@carol> too");
    CHECK_THAT(t.text(r), Catch::Contains("Saved your feedback for @bob"));
    REQUIRE(r.dms.size() == 1);
    CHECK(r.dms[0].user_id == "bob");
    auto items = storage::FeedbackRepo(t.db).received("bob");
    REQUIRE(items.size() == 1);
    CHECK(items[0].text == "great incident write-up, thanks @carol too");
    CHECK(items[0].author_id == "alice");
    CHECK_THAT(t.say("alice", "/feedback", "<@alice> I am great"),
               Catch::Contains("for someone else"));
    CHECK_THAT(t.say("alice", "/feedback", "bob is great"), Catch::Contains("Start with whom"));
    CHECK_THAT(t.say("alice", "/feedback", "<@bob>"), Catch::Contains("empty"));
}

TEST_CASE("feedback is visible to its subject, their chain and its author only",
          "[feedback][visibility]") {
    TestApp t;
    t.person("bob", "mgr");
    t.run("alice", "/feedback", "<@bob> from alice");
    t.run("carol", "/feedback", "<@bob> from carol");
    CHECK_THAT(t.say("bob", "/feedback", "list"),
               Catch::Contains("from alice") && Catch::Contains("from carol"));
    CHECK_THAT(t.say("mgr", "/feedback", "list <@bob>"), Catch::Contains("from carol"));
    auto alice = t.say("alice", "/feedback", "list <@bob>");
    CHECK_THAT(alice, Catch::Contains("Feedback you gave @bob"));
    CHECK_THAT(alice, Catch::Contains("from alice"));
    CHECK_THAT(alice, !Catch::Contains("from carol"));
    auto stranger = t.say("dave", "/feedback", "list <@bob>");
    CHECK_THAT(stranger, Catch::Contains(":lock:"));
    CHECK(stranger == t.say("dave", "/feedback", "list <@nobody>"));
    CHECK_THAT(t.say("alice", "/feedback", "given"), Catch::Contains("to @bob"));
}

TEST_CASE("save-as-feedback shortcut opens a modal and saves for the chosen people",
          "[feedback][slack]") {
    SlackApp t;
    auto r = t.app.handle(
        t.services, t.shortcut({{"type", "message"},
                                {"user", "U1"},
                                {"ts", "1763460000.000100"},
                                {"text", "Huge thanks to <@U3> for the &lt;fast&gt; rollback!"}}));
    REQUIRE(r.open_modal);
    const auto& view = *r.open_modal;
    CHECK(view["callback_id"] == "feedback_save");
    CHECK(view["blocks"][1]["element"]["initial_users"] == json::array({"U3"}));
    std::string metadata = view["private_metadata"];

    auto done = t.app.handle(t.services, t.submission(metadata, {"U3", "B1"}));
    CHECK_FALSE(done.response_action);
    REQUIRE(done.dms.size() == 1);
    auto items = storage::FeedbackRepo(t.db).received("U3");
    REQUIRE(items.size() == 1);
    CHECK(items[0].text == "Huge thanks to @carol for the <fast> rollback!");
    CHECK(items[0].author_id == "U1");
    CHECK(items[0].saved_by == "U2");
    CHECK(items[0].channel_name == "wins");
    CHECK(items[0].permalink == "https://acme.slack.com/archives/C9/p1763460000.000100");
    CHECK(items[0].posted_at == 1763460000);
    CHECK(storage::FeedbackRepo(t.db).received("B1").empty());  // bots are skipped
    // The held message is used once: a second submission of the same form is refused.
    CHECK(t.app.handle(t.services, t.submission(metadata, {"U3"})).response_action);
}

TEST_CASE("saving the same message twice for the same person keeps one record",
          "[feedback][slack]") {
    SlackApp t;
    json msg = {{"user", "U1"}, {"ts", "1763460000.000200"}, {"text", "nice work <@U3>"}};
    for (int i = 0; i < 2; ++i) {
        auto r = t.app.handle(t.services, t.shortcut(msg));
        t.app.handle(t.services, t.submission((*r.open_modal)["private_metadata"], {"U3"}));
    }
    CHECK(storage::FeedbackRepo(t.db).received("U3").size() == 1);
}

TEST_CASE("a message with no mentions defaults to the person saving it", "[feedback][slack]") {
    SlackApp t;
    auto r = t.app.handle(
        t.services, t.shortcut({{"user", "U1"}, {"ts", "1.2"}, {"text", "you nailed the demo"}}));
    CHECK((*r.open_modal)["blocks"][1]["element"]["initial_users"] == json::array({"U2"}));
}

TEST_CASE("the shortcut refuses bot messages and attachment-only messages", "[feedback][slack]") {
    SlackApp t;
    auto bot = t.app.handle(
        t.services,
        t.shortcut(
            {{"bot_id", "B1"}, {"subtype", "bot_message"}, {"ts", "1.1"}, {"text", "deployed"}}));
    CHECK_FALSE(bot.open_modal);
    CHECK_THAT(t.text(bot), Catch::Contains("app or a bot"));
    auto files = t.app.handle(t.services, t.shortcut({{"user", "U1"},
                                                      {"ts", "1.3"},
                                                      {"text", ""},
                                                      {"files", json::array({{{"id", "F1"}}})}}));
    CHECK_FALSE(files.open_modal);
    CHECK_THAT(t.text(files), Catch::Contains("no text of its own"));
    CHECK(t.count("SELECT count(*) FROM pending_feedback") == 0);
}

TEST_CASE("the feedback reaction saves the message for the person who reacted",
          "[feedback][slack]") {
    SlackApp t;
    t.fake.messages["C9/1763460000.000300"] = {
        "Shout-out to <@U2> for mentoring!", "U1", "", "", "1763460000.000300", false};
    Event e;
    e.type = "reaction_added";
    e.user_id = "U2";
    e.body = {{"type", "reaction_added"},
              {"user", "U2"},
              {"reaction", t.config.slack.feedback_reaction},
              {"item_user", "U1"},
              {"item", {{"type", "message"}, {"channel", "C9"}, {"ts", "1763460000.000300"}}}};
    auto r = t.app.handle(t.services, e);
    REQUIRE(r.dms.size() == 1);
    CHECK_THAT(t.text(Reply::ephemeral(r.dms[0].message)),
               Catch::Contains("Saved @alice's message"));
    auto items = storage::FeedbackRepo(t.db).received("U2");
    REQUIRE(items.size() == 1);
    CHECK(items[0].text == "Shout-out to @bob for mentoring!");
    CHECK(items[0].source == "reaction");
    // Reacting again (or a retried event) keeps one record and says nothing more.
    CHECK(t.app.handle(t.services, e).dms.empty());
    CHECK(storage::FeedbackRepo(t.db).received("U2").size() == 1);
    // Other emoji are ignored.
    e.body["reaction"] = "thumbsup";
    e.body["item"]["ts"] = "9.9";
    CHECK(t.app.handle(t.services, e).dms.empty());
    // A bot's message is not saved.
    t.fake.messages["C9/5.5"] = {"build passed", "", "B1", "bot_message", "5.5", false};
    e.body["reaction"] = t.config.slack.feedback_reaction;
    e.body["item"]["ts"] = "5.5";
    CHECK_THAT(t.text(Reply::ephemeral(t.app.handle(t.services, e).dms.at(0).message)),
               Catch::Contains("app or a bot"));
    CHECK(storage::FeedbackRepo(t.db).received("U2").size() == 1);
}

TEST_CASE("feedback appears in the brag document", "[feedback][brag]") {
    TestApp t;
    t.run("alice", "/feedback", "<@bob> calm, clear incident command");
    auto md = t.run("bob", "/brag", "export").files.at(0).content;
    CHECK_THAT(md, Catch::Contains("## Feedback received"));
    CHECK_THAT(md, Catch::Contains("from alice: calm, clear incident command"));
    CHECK_THAT(t.text(t.run("bob", "/brag", "export")), Catch::Contains("(md)"));
}

TEST_CASE("brags tagged #70, #20 or #10 show the 70-20-10 mix", "[brag][growth]") {
    TestApp t;
    t.run("alice", "/brag", "shipped search #70");
    t.run("alice", "/brag", "paired with a staff eng #20");
    t.run("alice", "/brag", "finished the k8s course #training");
    t.run("alice", "/brag", "fixed a bug");
    auto out = t.say("alice", "/brag", "list");
    CHECK_THAT(out,
               Catch::Contains(
                   "on the job 1 (34%) · from others 1 (33%) · training 1 (33%) · 1 untagged"));
    auto csv = t.run("alice", "/brag", "export csv").files.at(0).content;
    CHECK_THAT(csv, Catch::Contains(",#training,training,test"));
}

TEST_CASE("a labelled mention names a newcomer without asking Slack", "[feedback][slack]") {
    SlackApp t;
    t.app.handle(t.services, [&] {
        Request r;
        r.user_id = "U1";
        r.command = "/brag";
        r.text = "paired with <@U7NEW|dora> on the migration";
        r.source = "test";
        return r;
    }());
    CHECK(storage::PeopleRepo(t.db).display_name("U7NEW") == "dora");
    CHECK(storage::BragRepo(t.db).find("U1", 1)->text == "paired with @dora on the migration");
}

TEST_CASE("over-long feedback is refused naming feedback's own limit", "[feedback]") {
    TestApp t;
    CHECK_THAT(t.say("alice", "/feedback", "<@bob> " + std::string(9000, 'x')),
               Catch::Contains("That feedback is 9,000 bytes long; feedback is at most 8,000 "
                               "bytes."));
    CHECK_THAT(t.say("alice", "/feedback", "<@bob> " + std::string(50000, 'x')),
               Catch::Contains("feedback is at most 8,000 bytes"));
    CHECK(t.count("SELECT count(*) FROM feedback") == 0);
}

TEST_CASE("the author edits or deletes their feedback; the recipient is not notified again",
          "[feedback]") {
    TestApp t;
    t.person("bob", "mgr");
    t.run("alice", "/feedback", "<@bob> calm, clear incdent command");
    t.run("carol", "/feedback", "<@bob> great review");
    auto edit = t.run("alice", "/feedback", "edit <@bob> 1 calm, clear incident command");
    CHECK_THAT(t.text(edit), Catch::Contains("Changed your feedback *#1* for @bob"));
    CHECK(edit.dms.empty());
    CHECK(storage::FeedbackRepo(t.db).find("bob", 1)->text == "calm, clear incident command");
    CHECK_THAT(t.say("bob", "/feedback", "list"), Catch::Contains("from @alice · _edited_"));
    // Number first reads the same.
    CHECK_THAT(t.say("alice", "/feedback", "edit 1 <@bob> calm and clear"),
               Catch::Contains("Changed your feedback"));

    // Nobody else may touch it, and the refusal does not say whether it exists.
    for (const char* who : {"bob", "mgr", "carol"}) {
        CAPTURE(who);
        auto out = t.say(who, "/feedback", "edit <@bob> 1 rewritten");
        CHECK_THAT(out, Catch::Contains(":lock: You can edit only feedback you wrote"));
        auto missing = t.say(who, "/feedback", "edit <@bob> 99 rewritten");
        missing.replace(missing.find("#99"), 3, "#1");
        CHECK(out == missing);
        CHECK_THAT(t.say(who, "/feedback", "delete <@bob> 1"), Catch::Contains(":lock:"));
    }
    CHECK(storage::FeedbackRepo(t.db).find("bob", 1)->text == "calm and clear");

    auto del = t.run("alice", "/feedback", "delete <@bob> 1");
    CHECK_THAT(t.text(del), Catch::Contains("Deleted your feedback *#1* for @bob"));
    CHECK(del.dms.empty());
    CHECK_FALSE(storage::FeedbackRepo(t.db).find("bob", 1));
    CHECK(t.count("SELECT count(*) FROM audit_log WHERE actor = 'alice' AND subject = 'bob' AND "
                  "action IN ('feedback_edit', 'feedback_delete')") == 3);
    // The number is not given to the next item.
    t.run("alice", "/feedback", "<@bob> thanks for the pairing");
    CHECK(storage::FeedbackRepo(t.db).received("bob").front().number == 3);

    CHECK_THAT(t.say("alice", "/feedback", "edit <@bob>"), Catch::Contains("Whose feedback"));
    CHECK_THAT(t.say("alice", "/feedback", "edit <@bob> 3"),
               Catch::Contains("What should it say?"));
    CHECK_THAT(t.say("alice", "/feedback", "delte <@bob> 3"),
               Catch::Contains("Did you mean `/feedback delete`?"));
}

TEST_CASE("the recipient hides feedback from their brag document, not from the record",
          "[feedback][brag]") {
    TestApp t;
    t.person("bob", "mgr");
    t.run("alice", "/feedback", "<@bob> calm, clear incident command");
    t.run("carol", "/feedback", "<@bob> meant for someone else");
    CHECK_THAT(t.say("bob", "/feedback", "hide 2"),
               Catch::Contains("left out of your brag document"));
    CHECK_THAT(t.say("bob", "/feedback", "hide 2"), Catch::Contains("already left out"));
    auto md = t.run("bob", "/brag", "export").files.at(0).content;
    CHECK_THAT(md, Catch::Contains("calm, clear incident command"));
    CHECK_THAT(md, !Catch::Contains("meant for someone else"));
    // Still in the record, for them and their manager.
    CHECK_THAT(t.say("bob", "/feedback", "list"), Catch::Contains("meant for someone else"));
    CHECK_THAT(t.say("mgr", "/feedback", "list <@bob>"),
               Catch::Contains("_not in the brag document_"));
    // Only the recipient hides: anyone else's numbers are their own received feedback.
    CHECK_THAT(t.say("alice", "/feedback", "hide 1"),
               Catch::Contains("You have received no feedback #1"));
    CHECK_THAT(t.say("bob", "/feedback", "hide"), Catch::Contains("Which one?"));
    CHECK_THAT(t.say("bob", "/feedback", "unhide 2"),
               Catch::Contains("back in your brag document"));
    md = t.run("bob", "/brag", "export").files.at(0).content;
    CHECK_THAT(md, Catch::Contains("meant for someone else"));
}
