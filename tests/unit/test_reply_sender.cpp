// ReplySender: each Reply field becomes the right Web API calls, seen through a fake HttpClient.
#include <atomic>
#include <mutex>
#include <set>

#include <catch2/catch.hpp>

#include "fake_slack_http.hpp"
#include "src/slack/web_api.hpp"

using namespace careerbot;
using namespace careerbot::slack;
using json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

const std::string base = "https://slack.test/api/";
const std::string response_url = "https://hooks.test/commands/T1/1/abc";

/// Records every request; answers like Slack would for the methods ReplySender uses, unless a
/// scripted answer is queued for that method.
struct RecordingSlack : careerbot::testing::FakeSlackHttp {
    RecordingSlack() : FakeSlackHttp(Answers::SlackLike) {}
};

/// A WebApi on the recording fake, and a sender on it.
struct Harness {
    RecordingSlack slack;
    WebApi api{WebApiOptions{base, "xoxb-test", 3, 10ms}, slack.factory(), 2};
    ReplySender sender{api};

    void settle() { REQUIRE(api.drain(2s)); }
};

ReplyTarget slash_target() {
    ReplyTarget t;
    t.user_id = "U1";
    t.channel_id = "C1";
    t.response_url = response_url;
    t.trigger_id = "trig-1";
    return t;
}

Message text_message(const std::string& text) { return Message{text, json::array()}; }

Message block_message(const std::string& text) {
    return Message{
        text, json::array({{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}}})};
}

}  // namespace

TEST_CASE("follow-up pages go through response_url, in order, with the same response type",
          "[reply_sender]") {
    Harness h;
    Reply reply = Reply::ephemeral(text_message("page 1"));
    reply.in_channel = true;
    for (int i = 2; i <= 5; ++i) reply.more.push_back(block_message("page " + std::to_string(i)));

    SECTION("the first page went in the ack") {
        h.sender.send(reply, slash_target(), true);
        h.settle();
        auto posts = h.slack.requests("response_url");
        REQUIRE(posts.size() == 4);
        for (std::size_t i = 0; i < posts.size(); ++i) {
            json args = posts[i].args();
            CHECK(args["text"] == "page " + std::to_string(i + 2));
            CHECK(args["response_type"] == "in_channel");
            CHECK(args["blocks"].size() == 1);
            for (const auto& header : posts[i].headers)
                CHECK(header.find("xoxb") == std::string::npos);
        }
        CHECK(h.slack.requests().size() == 4);
    }
    SECTION("a deferred command sends every page") {
        h.sender.send(reply, slash_target(), false);
        h.settle();
        auto posts = h.slack.requests("response_url");
        REQUIRE(posts.size() == 5);
        CHECK(posts[0].args()["text"] == "page 1");
        CHECK(posts[4].args()["text"] == "page 5");
    }
}

TEST_CASE("replace_original updates the message with the button", "[reply_sender]") {
    Harness h;
    ReplyTarget target = slash_target();
    target.replace_original = true;
    Reply reply = Reply::ephemeral(block_message("Brags 11-20"));
    reply.more.push_back(text_message("and more"));
    h.sender.send(reply, target, false);
    h.settle();
    auto posts = h.slack.requests("response_url");
    REQUIRE(posts.size() == 2);
    CHECK(posts[0].args()["replace_original"] == true);
    CHECK(posts[0].args()["text"] == "Brags 11-20");
    CHECK_FALSE(posts[1].args().contains("replace_original"));
}

TEST_CASE("a modal opens with views.open instead of the message", "[reply_sender]") {
    Harness h;
    Reply reply = Reply::ephemeral(text_message("Opening the form…"));
    json view{{"type", "modal"},
              {"callback_id", "brag_new"},
              {"title", {{"type", "plain_text"}, {"text", "New brag"}}}};
    reply.open_modal = view;

    SECTION("views.open succeeds: no message") {
        h.sender.send(reply, slash_target(), false);
        h.settle();
        auto opens = h.slack.requests("views.open");
        REQUIRE(opens.size() == 1);
        CHECK(opens[0].args() == json{{"trigger_id", "trig-1"}, {"view", view}});
        CHECK(h.slack.requests("response_url").empty());
    }
    SECTION("views.open fails: the message goes through response_url") {
        h.slack.script("views.open", {{"ok", false}, {"error", "expired_trigger_id"}});
        h.sender.send(reply, slash_target(), false);
        h.settle();
        auto posts = h.slack.requests("response_url");
        REQUIRE(posts.size() == 1);
        CHECK(posts[0].args()["text"] == "Opening the form…");
        CHECK(posts[0].args()["response_type"] == "ephemeral");
    }
    SECTION("views.open fails without a message: an apology, not silence") {
        reply.message.reset();
        h.slack.script("views.open", {{"ok", false}, {"error", "expired_trigger_id"}});
        h.sender.send(reply, slash_target(), false);
        h.settle();
        auto posts = h.slack.requests("response_url");
        REQUIRE(posts.size() == 1);
        CHECK_THAT(posts[0].args()["text"].get<std::string>(),
                   Catch::Contains("couldn't open the form"));
    }
}

TEST_CASE("DMs open each conversation once and post into it", "[reply_sender]") {
    Harness h;
    Reply reply = Reply::none();
    reply.dms.push_back({"U2", text_message("first")});
    reply.dms.push_back({"U2", text_message("second")});
    reply.dms.push_back({"U3", block_message("third")});
    h.sender.send(reply, slash_target(), true);
    h.settle();
    h.sender.send_dm("U2", text_message("later"));
    h.settle();

    auto opens = h.slack.requests("conversations.open");
    REQUIRE(opens.size() == 2);
    std::multiset<std::string> users;
    for (const auto& o : opens) users.insert(o.args()["users"].get<std::string>());
    CHECK(users == std::multiset<std::string>{"U2", "U3"});

    auto posts = h.slack.requests("chat.postMessage");
    REQUIRE(posts.size() == 4);
    std::multiset<std::string> sent;
    for (const auto& p : posts) {
        json args = p.args();
        sent.insert(args["channel"].get<std::string>() + ":" + args["text"].get<std::string>());
    }
    CHECK(sent ==
          std::multiset<std::string>{"D-U2:first", "D-U2:second", "D-U3:third", "D-U2:later"});
    CHECK(h.slack.requests("response_url").empty());
}

TEST_CASE("a failed conversations.open drops that DM with a log, not a crash", "[reply_sender]") {
    Harness h;
    h.slack.script("conversations.open", {{"ok", false}, {"error", "user_not_found"}});
    h.sender.send_dm("U404", text_message("hello"));
    h.settle();
    CHECK(h.slack.requests("chat.postMessage").empty());
    // Not cached: the next DM tries again.
    h.sender.send_dm("U404", text_message("hello again"));
    h.settle();
    CHECK(h.slack.requests("conversations.open").size() == 2);
    CHECK(h.slack.requests("chat.postMessage").size() == 1);
}

TEST_CASE("files are uploaded into the requester's DM with the reply text as comment",
          "[reply_sender]") {
    Harness h;
    Reply reply = Reply::ephemeral(text_message("Your brag document is in your DMs."));
    reply.files.push_back(FileOut{"brags.md", "Brags", "# Brags\n- shipped\n"});
    h.sender.send(reply, slash_target(), true);
    h.settle();

    auto opens = h.slack.requests("conversations.open");
    REQUIRE(opens.size() == 1);
    CHECK(opens[0].args()["users"] == "U1");
    auto reserve = h.slack.requests("files.getUploadURLExternal");
    REQUIRE(reserve.size() == 1);
    CHECK(reserve[0].content_type == "application/x-www-form-urlencoded");
    CHECK(reserve[0].body == "filename=brags.md&length=18");
    auto uploads = h.slack.requests("file_upload");
    REQUIRE(uploads.size() == 1);
    CHECK(uploads[0].body == "# Brags\n- shipped\n");
    auto complete = h.slack.requests("files.completeUploadExternal");
    REQUIRE(complete.size() == 1);
    CHECK(complete[0].args() == json{{"files", {{{"id", "F1"}, {"title", "Brags"}}}},
                                     {"channel_id", "D-U1"},
                                     {"initial_comment", "Your brag document is in your DMs."}});
    // Private: nothing was posted to the channel the command was typed in.
    CHECK(h.slack.requests("chat.postMessage").empty());
    CHECK(h.slack.requests("response_url").empty());
}

TEST_CASE("a failed upload tells the person through response_url", "[reply_sender]") {
    Harness h;
    h.slack.script("files.getUploadURLExternal", {{"ok", false}, {"error", "invalid_arguments"}});
    Reply reply = Reply::ephemeral(text_message("Here you go"));
    reply.files.push_back(FileOut{"brags.csv", "", "a,b\n"});
    h.sender.send(reply, slash_target(), true);
    h.settle();
    auto posts = h.slack.requests("response_url");
    REQUIRE(posts.size() == 1);
    CHECK_THAT(posts[0].args()["text"].get<std::string>(), Catch::Contains("brags.csv"));
}

TEST_CASE("home_view is published for the user", "[reply_sender]") {
    Harness h;
    Reply reply = Reply::none();
    json view{{"type", "home"}, {"blocks", json::array()}};
    reply.home_view = view;
    ReplyTarget target;
    target.user_id = "U1";
    h.sender.send(reply, target, false);
    h.settle();
    auto publish = h.slack.requests("views.publish");
    REQUIRE(publish.size() == 1);
    CHECK(publish[0].args() == json{{"user_id", "U1"}, {"view", view}});
    CHECK(h.slack.requests().size() == 1);
}

TEST_CASE("without a response_url an ephemeral answer uses chat.postEphemeral", "[reply_sender]") {
    Harness h;
    ReplyTarget target;
    target.user_id = "U1";
    target.channel_id = "C1";
    h.sender.send(Reply::ephemeral(text_message("Saved as feedback for <@U2>")), target, false);
    h.settle();
    auto posts = h.slack.requests("chat.postEphemeral");
    REQUIRE(posts.size() == 1);
    CHECK(posts[0].args() ==
          json{{"channel", "C1"}, {"user", "U1"}, {"text", "Saved as feedback for <@U2>"}});
}

TEST_CASE("an answer longer than response_url's 5 uses continues in the DM, in order",
          "[reply_sender][real_slack]") {
    Harness h;
    Reply reply = Reply::ephemeral(text_message("page 1"));
    for (int i = 2; i <= 9; ++i) reply.more.push_back(block_message("page " + std::to_string(i)));
    h.sender.send(reply, slash_target(), false);  // a deferred summary: every page follows
    h.settle();
    auto posts = h.slack.requests("response_url");
    REQUIRE(posts.size() == 5);  // Slack refuses a sixth
    for (int i = 0; i < 4; ++i) CHECK(posts[i].args()["text"] == "page " + std::to_string(i + 1));
    CHECK(posts[4].args()["text"].get<std::string>().find("5 more messages") != std::string::npos);
    auto dms = h.slack.requests("chat.postMessage");
    REQUIRE(dms.size() == 5);
    for (int i = 0; i < 5; ++i) {
        CHECK(dms[i].args()["channel"] == "D-U1");
        CHECK(dms[i].args()["text"] == "page " + std::to_string(i + 5));
    }
}

TEST_CASE("DM channels are shared, learnt once and handed on to be stored",
          "[reply_sender][real_slack]") {
    RecordingSlack slack;
    WebApi api{WebApiOptions{base, "xoxb-test", 3, 10ms}, slack.factory(), 2};
    auto channels = std::make_shared<DmChannels>();
    channels->preload({{"U7", "D-stored-U7"}});
    std::vector<std::pair<std::string, std::string>> stored;
    std::mutex m;
    channels->set_persist([&](const std::string& u, const std::string& c) {
        std::lock_guard lock(m);
        stored.emplace_back(u, c);
    });
    ReplySender sender(api, channels);
    sender.send_dm("U7", text_message("known from the database"));
    sender.send_dm("U8", text_message("new"));
    REQUIRE(api.drain(2s));
    sender.send_dm("U8", text_message("again"));
    REQUIRE(api.drain(2s));
    auto opens = slack.requests("conversations.open");
    REQUIRE(opens.size() == 1);  // U7 came from the database; U8 opened once
    CHECK(opens[0].args()["users"] == "U8");
    CHECK(stored == std::vector<std::pair<std::string, std::string>>{{"U8", "D-U8"}});
    CHECK(channels->find("U8").value_or("") == "D-U8");
}

TEST_CASE("an outbox DM carries its key and is looked for before a resend",
          "[reply_sender][reliability]") {
    Harness h;
    std::atomic<int> finished{0};
    std::atomic<int> retry_later{0};
    auto done = [&](bool f) { (f ? finished : retry_later)++; };
    SECTION("first send: posted with the key in its metadata") {
        h.sender.send_dm_once("U2", text_message("you got feedback"), "outbox-7", 0, false, done);
        h.settle();
        auto posts = h.slack.requests("chat.postMessage");
        REQUIRE(posts.size() == 1);
        CHECK(posts[0].args()["metadata"]["event_payload"]["key"] == "outbox-7");
        CHECK(h.slack.requests("conversations.history").empty());
        CHECK(finished == 1);
    }
    SECTION("a resend that finds the message already there posts nothing") {
        h.slack.script(
            "conversations.history",
            {{"ok", true},
             {"messages", json::array({{{"ts", "1.5"},
                                        {"metadata",
                                         {{"event_type", "careerbot_outbox"},
                                          {"event_payload", {{"key", "outbox-7"}}}}}}})}});
        h.sender.send_dm_once("U2", text_message("you got feedback"), "outbox-7", 1000, true, done);
        h.settle();
        CHECK(h.slack.requests("chat.postMessage").empty());
        CHECK(finished == 1);
    }
    SECTION("refused for good finishes the row; a stale channel is tried again later") {
        h.slack.script("chat.postMessage", {{"ok", false}, {"error", "user_disabled"}});
        h.sender.send_dm_once("U2", text_message("x"), "outbox-8", 0, false, done);
        h.settle();
        CHECK(finished == 1);
        h.slack.script("chat.postMessage", {{"ok", false}, {"error", "channel_not_found"}});
        h.sender.send_dm_once("U2", text_message("y"), "outbox-9", 0, false, done);
        h.settle();
        CHECK(retry_later == 1);
    }
}
