// The real careerbot binary against the in-repo Slack test server on 127.0.0.1.
#include <catch2/catch.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <nlohmann/json.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "slack_test_server.hpp"
#include "tests/e2e/fixture.hpp"
#include "tests/support/process.hpp"

using namespace careerbot::testing;
using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Distinctive values so a leak is found by a plain substring search of the logs.
const std::string kBotToken = "xoxb-e2e-4242-bot-secret-7f3a9c";
const std::string kAppToken = "xapp-1-A0TEST-e2e-app-secret-51b2d8";

/// A port nothing listens on right now (bound and released at once).
unsigned short free_port() {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

struct HttpAnswer {
    int status = 0;
    std::string content_type;
    std::string body;
};

/// GET http://127.0.0.1:<port><path>; status 0 when nothing answers.
HttpAnswer http_get(unsigned short port, const std::string& path) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    HttpAnswer out;
    try {
        boost::asio::io_context io;
        beast::tcp_stream stream(io);
        stream.expires_after(5s);
        stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
        http::request<http::empty_body> req{http::verb::get, path, 11};
        req.set(http::field::host, "127.0.0.1");
        http::write(stream, req);
        beast::flat_buffer buffer;
        http::response<http::string_body> res;
        http::read(stream, buffer, res);
        out.status = static_cast<int>(res.result_int());
        out.content_type = std::string(res[http::field::content_type]);
        out.body = res.body();
    } catch (const std::exception&) {
        out.status = 0;
    }
    return out;
}

/// The value of an unlabelled sample (or one with exactly `labels`) in Prometheus text.
double metric(const std::string& text, const std::string& name_and_labels) {
    const std::string key = "\n" + name_and_labels + " ";
    auto at = ("\n" + text).find(key);
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + key.size() - 1));
}

/// The shared fixture (tests/e2e/fixture.hpp) with this file's tokens and database reads.
class Fixture : public BotFixture {
  public:
    Fixture() : BotFixture("slack", kBotToken, kAppToken) {}

    /// Live brags in the database, read through a separate connection as a user would.
    int brag_count(const std::string& text_like = "%") const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(d,
                             "SELECT count(*) FROM brags WHERE deleted_at IS NULL AND "
                             "text LIKE ?");
        st.bind(1, text_like);
        st.executeStep();
        return st.getColumn(0).getInt();
    }

    int processed_events(const std::string& event_id) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(d, "SELECT count(*) FROM processed_events WHERE event_id = ?");
        st.bind(1, event_id);
        st.executeStep();
        return st.getColumn(0).getInt();
    }

    std::string person_field(const std::string& id, const std::string& column) const {
        SQLite::Database d(db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(d, "SELECT coalesce(" + column + ", '') FROM people WHERE id = ?");
        st.bind(1, id);
        return st.executeStep() ? st.getColumn(0).getString() : "";
    }

    /// Sends `n` /brag commands with texts "<tag> <i>"; returns their envelope ids.
    std::vector<std::string> send_brags(int n, const std::string& tag) {
        std::vector<std::string> ids;
        for (int i = 0; i < n; ++i) {
            SlashCommand c;
            c.text = tag + " " + std::to_string(i);
            ids.push_back(server.send_slash_command(c).envelope_id);
        }
        return ids;
    }
};

}  // namespace

TEST_CASE("/brag is answered in the ack, after its row is committed", "[e2e][slack]") {
    Fixture f;
    f.start_connected();
    SlashCommand c;
    c.text = "shipped the importer #infra";
    auto sent = f.server.send_slash_command(c);
    auto ack = f.server.wait_for_ack(sent.envelope_id, 5s);
    REQUIRE(ack);
    CHECK(ack->latency < 3s);
    REQUIRE(ack->has_payload);
    CHECK(ack->payload.value("text", "").find("Logged brag") != std::string::npos);
    CHECK(ack->payload.value("response_type", "") == "ephemeral");
    CHECK(f.brag_count("shipped the importer%") == 1);

    // First seen: the profile comes from users.info and lands in people.
    CHECK(f.server.wait_for_call("users.info", 5s, [](const ApiCall& call) {
        return call.args.value("user", "") == "U0ALICE";
    }));
    CHECK(wait_until([&] { return f.person_field("U0ALICE", "tz") == "America/New_York"; }, 5s));
    CHECK_FALSE(f.person_field("U0ALICE", "real_name").empty());
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("warning then refresh_requested: the next socket opens first and no envelope is lost",
          "[e2e][slack]") {
    Fixture f;
    f.start_connected();
    auto ids = f.send_brags(10, "before warning");
    REQUIRE(f.server.send_disconnect("warning"));
    auto more = f.send_brags(10, "during warning");
    ids.insert(ids.end(), more.begin(), more.end());
    REQUIRE(f.server.wait_for_hello_count(2, 10s));
    more = f.send_brags(10, "after warning");
    ids.insert(ids.end(), more.begin(), more.end());
    REQUIRE(f.server.send_disconnect("refresh_requested"));
    REQUIRE(f.server.wait_for_hello_count(3, 10s));
    more = f.send_brags(10, "after refresh");
    ids.insert(ids.end(), more.begin(), more.end());

    REQUIRE(f.server.wait_for_no_outstanding(10s));
    for (const auto& id : ids) CHECK(f.server.wait_for_ack(id, 1s));
    CHECK(f.brag_count() == 40);
    CHECK(f.server.stats().duplicate_acks == 0);
    // Each replaced socket is closed by the bot (close frame) once its successor said hello.
    CHECK(wait_until(
        [&] {
            auto c = f.server.connections();
            return c.size() == 3 && !c[0].live && !c[1].live && c[2].live;
        },
        5s));
    auto conns = f.server.connections();
    REQUIRE(conns.size() == 3);
    CHECK(conns[0].client_sent_close);
    CHECK(conns[1].client_sent_close);
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("an abrupt drop mid-stream reconnects and later envelopes are still acked",
          "[e2e][slack]") {
    Fixture f;
    f.start_connected();
    auto first = f.send_brags(20, "before drop");
    REQUIRE(f.server.drop_connection());
    auto later = f.send_brags(20, "after drop");
    REQUIRE(f.server.wait_for_hello_count(2, 10s));
    for (const auto& id : later) CHECK(f.server.wait_for_ack(id, 5s));
    CHECK(f.brag_count("after drop%") == 20);
    // Whatever was acked before the drop is stored, too.
    int acked_first = 0;
    for (const auto& id : first)
        if (f.server.wait_for_ack(id, 0ms)) ++acked_first;
    CHECK(f.brag_count("before drop%") >= acked_first);
    CHECK(f.log_contains("lost connection"));
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("a retried event is acked but processed once, also across a restart", "[e2e][slack]") {
    Fixture f;
    f.start_connected();
    const json event = {
        {"type", "app_home_opened"}, {"user", "U0BOB"}, {"channel", "D0BOB"}, {"tab", "home"}};
    auto e1 = f.server.send_event(event, "Ev0RETRY1");
    REQUIRE(f.server.wait_for_ack(e1, 5s));
    auto e2 = f.server.send_event(event, "Ev0RETRY1", 1, "http_timeout");
    REQUIRE(f.server.wait_for_ack(e2, 5s));
    CHECK(f.processed_events("Ev0RETRY1") == 1);
    CHECK(f.log_contains("event Ev0RETRY1 (app_home_opened) already processed"));
    REQUIRE(f.stop_bot() == 0);

    f.start_bot();
    REQUIRE(f.server.wait_for_hello_count(2, 10s));
    auto e3 = f.server.send_event(event, "Ev0RETRY1", 2, "http_timeout");
    REQUIRE(f.server.wait_for_ack(e3, 5s));
    CHECK(wait_until(
        [&] {
            return f.last_log().find("event Ev0RETRY1 (app_home_opened) already processed") !=
                   std::string::npos;
        },
        5s));
    CHECK(f.processed_events("Ev0RETRY1") == 1);
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("a 429 on chat.postMessage is waited out and the DM is delivered", "[e2e][slack]") {
    Fixture f;
    f.start_connected();
    f.server.rate_limit_next("chat.postMessage", 1);
    const json payload = brag_form_submission("U0ALICE", "alice", "mentored two new hires #people");
    auto id = f.server.send_interactive(payload);
    auto ack = f.server.wait_for_ack(id, 5s);
    REQUIRE(ack);
    CHECK(f.brag_count("mentored two new hires%") == 1);
    auto delivered = f.server.wait_for_call("chat.postMessage", 10s,
                                            [](const ApiCall& c) { return c.http_status == 200; });
    REQUIRE(delivered);
    auto all = f.server.calls("chat.postMessage");
    REQUIRE(all.size() >= 2);
    CHECK(all.front().http_status == 429);
    CHECK(delivered->received - all.front().received >= 900ms);
    CHECK(delivered->args.dump().find("Logged brag") != std::string::npos);
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("invalid_auth stops the bot with a clear log line and a non-zero exit", "[e2e][slack]") {
    Fixture f;
    f.server.set_connections_open_error("invalid_auth");
    f.start_bot();
    auto code = f.bot->wait(10s);
    REQUIRE(code);
    CHECK(*code != 0);
    CHECK(f.logs().find("invalid_auth") != std::string::npos);
    CHECK(f.logs().find("SLACK_APP_TOKEN") != std::string::npos);
    f.check_logs_clean();
}

TEST_CASE("missing or mistyped tokens are refused before connecting", "[e2e][slack]") {
    Fixture f;
    f.start_bot({{"SLACK_APP_TOKEN", std::nullopt}});
    auto code = f.bot->wait(5s);
    REQUIRE(code);
    CHECK(*code != 0);
    CHECK(f.last_log().find("SLACK_APP_TOKEN is not set") != std::string::npos);

    f.start_bot({{"SLACK_BOT_TOKEN", kAppToken}});
    code = f.bot->wait(5s);
    REQUIRE(code);
    CHECK(*code != 0);
    CHECK(f.last_log().find("must be a bot token starting with xoxb-") != std::string::npos);
    CHECK(f.server.call_count("apps.connections.open") == 0);
    f.check_logs_clean();
}

TEST_CASE("SIGTERM finishes in-flight work, closes the socket and exits 0", "[e2e][slack]") {
    Fixture f;
    f.start_connected();
    auto ids = f.send_brags(200, "in flight");
    REQUIRE(f.server.wait_for_ack_count(1, 5s));
    const auto started = std::chrono::steady_clock::now();
    f.bot->signal(SIGTERM);
    auto code = f.bot->wait(8s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(std::chrono::steady_clock::now() - started < 6s);
    // Nothing lost: every acked brag is stored; nothing unacked was half-done.
    // Envelopes that arrive once shutdown began are answered "restarting", not stored.
    int acked = 0;
    for (const auto& a : f.server.acks())
        if (a.has_payload && !a.duplicate && !a.unknown &&
            a.payload.value("text", "").find("Logged") != std::string::npos)
            ++acked;
    CHECK(acked >= 1);
    CHECK(f.brag_count("in flight%") == acked);
    CHECK(f.server.connections().at(0).client_sent_close);
    CHECK(f.logs().find("received SIGTERM") != std::string::npos);
    f.check_logs_clean();
}

TEST_CASE("malformed and unknown envelopes are logged without a crash", "[e2e][slack]") {
    Fixture f;
    f.start_connected();
    CHECK(f.server.send_raw("{this is not json"));
    CHECK(f.server.send_raw("[1, 2, 3]"));
    CHECK(f.server.send_raw(R"({"type":"mystery_type","envelope_id":"E0MYSTERY","payload":{}})"));
    CHECK(f.server.send_raw(R"({"type":"events_api","envelope_id":"E0NOEVENT","payload":{}})"));
    CHECK(f.server.send_raw(
        R"({"type":"slash_commands","envelope_id":"E0BADSLASH","payload":{"text":"x"}})"));
    CHECK(f.server.send_raw(R"({"type":"interactive","envelope_id":"E0BADINT",)"
                            R"("payload":{"type":"block_actions","user":{"id":"U0ALICE"}}})"));
    // Odd unicode and a 40 KB text still get an answer.
    SlashCommand odd;
    odd.text = "fixed \xF0\x9F\x90\x9B in ca\xC3\xA7" + std::string(40 * 1024, 'x');
    auto sent = f.server.send_slash_command(odd);
    auto ack = f.server.wait_for_ack(sent.envelope_id, 5s);
    REQUIRE(ack);
    CHECK(ack->has_payload);
    SlashCommand normal;
    normal.text = "still alive";
    auto ok = f.server.send_slash_command(normal);
    REQUIRE(f.server.wait_for_ack(ok.envelope_id, 5s));
    CHECK(f.brag_count("still alive") == 1);
    CHECK(f.bot->running());
    CHECK(f.log_contains("malformed"));
    CHECK(f.log_contains("unknown type 'mystery_type'"));
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("an envelope delivered three times is stored once; deep nesting is refused",
          "[e2e][slack][reliability]") {
    Fixture f;
    f.start_connected();
    const std::string dup =
        R"({"envelope_id":"E0DUPLICATE","type":"slash_commands","accepts_response_payload":true,)"
        R"("payload":{"token":"x","team_id":"T0TEST","user_id":"U0ALICE","user_name":"alice",)"
        R"("command":"/brag","text":"delivered thrice","channel_id":"C0GENERAL",)"
        R"("channel_name":"general","response_url":")" +
        f.server.issue_response_url() + R"(","trigger_id":"1.2.3"}})";
    for (int i = 0; i < 3; ++i) CHECK(f.server.send_raw(dup));
    // 70,000 nested arrays inside an event used to crash the bot (and Slack redelivers it).
    std::string deep(70000, '[');
    deep += std::string(70000, ']');
    CHECK(f.server.send_raw(R"({"envelope_id":"E0DEEP","type":"events_api","payload":{)"
                            R"("event_id":"Ev0DEEP","event":{"type":"reaction_added",)"
                            R"("user":"U0ALICE","x":)" +
                            deep + "}}}"));
    auto acked = [&](const std::string& id) {
        int n = 0;
        for (const auto& a : f.server.acks()) n += a.envelope_id == id ? 1 : 0;
        return n;
    };
    CHECK(wait_until([&] { return acked("E0DUPLICATE") >= 1 && acked("E0DEEP") == 1; }, 5s));
    SlashCommand normal;
    normal.text = "still alive after the repeats";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(normal).envelope_id, 5s));
    CHECK(f.brag_count("delivered thrice") == 1);
    CHECK(f.bot->running());
    CHECK(f.log_contains("nested deeper than 64 levels"));
    CHECK(f.log_contains("E0DUPLICATE delivered again"));
    CHECK(f.stop_bot() == 0);
}

namespace {

json message_action(SlackTestServer& server, const json& message) {
    return {{"type", "message_action"},
            {"callback_id", "save_as_feedback"},
            {"trigger_id", server.issue_trigger_id()},
            {"response_url", server.issue_response_url()},
            {"team", {{"id", "T0TEST"}, {"domain", "test"}}},
            {"user", {{"id", "U0BOB"}, {"name", "bob"}}},
            {"channel", {{"id", "C0GENERAL"}, {"name", "general"}}},
            {"message", message}};
}

}  // namespace

TEST_CASE("Save as feedback: shortcut, modal, submission, stored with names and permalink",
          "[e2e][slack][feedback]") {
    Fixture f;
    f.start_connected();
    std::string ts = "1763460000.000100";
    f.server.send_interactive(
        message_action(f.server, {{"type", "message"},
                                  {"user", "U0ALICE"},
                                  {"ts", ts},
                                  {"text", "Huge thanks to <@U0CAROL> for the calm rollback!"}}));
    // The modal opens with the trigger id (within Slack's 3 seconds), preselecting Carol.
    auto open = f.server.wait_for_call("views.open", 3s);
    REQUIRE(open);
    CHECK(open->response.value("ok", false));
    json view = open->args["view"].is_string() ? json::parse(open->args["view"].get<std::string>())
                                               : open->args["view"];
    CHECK(view["callback_id"] == "feedback_save");
    CHECK(view.dump().find("U0CAROL") != std::string::npos);

    json submission = {
        {"type", "view_submission"},
        {"user", {{"id", "U0BOB"}, {"name", "bob"}}},
        {"view",
         {{"id", "V0TEST"},
          {"callback_id", "feedback_save"},
          {"private_metadata", view["private_metadata"]},
          {"state",
           {{"values",
             {{"who",
               {{"value",
                 {{"type", "multi_users_select"}, {"selected_users", {"U0CAROL"}}}}}}}}}}}}};
    auto id = f.server.send_interactive(submission);
    auto ack = f.server.wait_for_ack(id, 5s);
    REQUIRE(ack);
    CHECK_FALSE(ack->payload.contains("response_action"));  // accepted: the modal closes
    CHECK(wait_until([&] { return feedback_count(f.db_path(), "U0CAROL") == 1; }, 5s));
    CHECK(feedback_count(f.db_path(), "U0CAROL", "Huge thanks to @carol for the calm rollback!") ==
          1);
    {
        SQLite::Database d(f.db_path().string(), SQLite::OPEN_READONLY);
        SQLite::Statement st(d, "SELECT author_id, saved_by, permalink, message_ts FROM feedback");
        REQUIRE(st.executeStep());
        CHECK(st.getColumn(0).getString() == "U0ALICE");
        CHECK(st.getColumn(1).getString() == "U0BOB");
        CHECK_FALSE(st.getColumn(2).getString().empty());
        CHECK(st.getColumn(3).getString() == ts);
    }
    CHECK(f.server.call_count("chat.getPermalink") >= 1);
    // The saver is told by DM.
    CHECK(f.server.wait_for_call("chat.postMessage", 5s, [](const ApiCall& c) {
        return c.args.dump().find("Saved") != std::string::npos;
    }));
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("the shortcut on a bot message is refused with an explanation, nothing stored",
          "[e2e][slack][feedback]") {
    Fixture f;
    f.start_connected();
    auto id = f.server.send_interactive(message_action(f.server, {{"type", "message"},
                                                                  {"subtype", "bot_message"},
                                                                  {"bot_id", "B0DEPLOY"},
                                                                  {"ts", "1763460000.000200"},
                                                                  {"text", "deploy finished"}}));
    REQUIRE(f.server.wait_for_ack(id, 5s));
    CHECK(f.server.wait_for_call("response_url", 5s, [](const ApiCall& c) {
        return c.args.dump().find("app or a bot") != std::string::npos;
    }));
    CHECK(f.server.call_count("views.open") == 0);
    CHECK(feedback_count(f.db_path(), "U0BOB") + feedback_count(f.db_path(), "U0ALICE") == 0);
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("the feedback reaction saves the message for the person who reacted, once",
          "[e2e][slack][feedback]") {
    Fixture f;
    const std::string ts = "1763460000.000300";
    f.server.set_handler("conversations.history", [&](const ApiCall& call) {
        CHECK(call.content_type.find("application/x-www-form-urlencoded") != std::string::npos);
        return json{
            {"ok", true},
            {"messages", json::array({{{"type", "message"},
                                       {"user", "U0BOB"},
                                       {"ts", ts},
                                       {"text", "Shout-out to <@U0ALICE> for mentoring!"}}})},
            {"has_more", false}};
    });
    f.start_connected();
    json event = {{"type", "reaction_added"},
                  {"user", "U0ALICE"},
                  {"reaction", "star-struck"},
                  {"item_user", "U0BOB"},
                  {"item", {{"type", "message"}, {"channel", "C0GENERAL"}, {"ts", ts}}},
                  {"event_ts", "1763460100.000100"}};
    auto first = f.server.send_event(event, "Ev0REACT1");
    REQUIRE(f.server.wait_for_ack(first, 5s));
    CHECK(wait_until([&] { return feedback_count(f.db_path(), "U0ALICE") == 1; }, 5s));
    CHECK(feedback_count(f.db_path(), "U0ALICE", "Shout-out to @alice for mentoring!") == 1);
    // Reacting again (a new event for the same message) keeps one record.
    auto again = f.server.send_event(event, "Ev0REACT2");
    REQUIRE(f.server.wait_for_ack(again, 5s));
    CHECK(f.stop_bot() == 0);
    CHECK(feedback_count(f.db_path(), "U0ALICE") == 1);
    f.check_logs_clean();
}

TEST_CASE("reading someone else's brags is refused in the ack without revealing anything",
          "[e2e][slack][visibility]") {
    Fixture f;
    f.start_connected();
    SlashCommand mine;
    mine.user_id = "U0BOB";
    mine.user_name = "bob";
    mine.text = "secret win";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(mine).envelope_id, 5s));
    SlashCommand peek;
    peek.user_id = "U0CAROL";
    peek.user_name = "carol";
    peek.text = "list <@U0BOB|bob>";
    auto ack = f.server.wait_for_ack(f.server.send_slash_command(peek).envelope_id, 5s);
    REQUIRE(ack);
    std::string shown = ack->payload.dump();
    CHECK(shown.find(":lock:") != std::string::npos);
    CHECK(shown.find("secret") == std::string::npos);
    peek.text = "list <@U0NOBODY|ghost>";
    auto ghost = f.server.wait_for_ack(f.server.send_slash_command(peek).envelope_id, 5s);
    REQUIRE(ghost);
    CHECK(ghost->payload.value("text", "") == ack->payload.value("text", ""));
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("a 1:1 a few seconds ahead: the manager gets the prep DM once, also across a restart",
          "[e2e][slack][reminders]") {
    Fixture f;
    // Tuesday 2026-11-24, 07:59:55 in New York: a 10:00 1:1 with the default 2-hour lead is
    // due five seconds after the bot starts.
    const std::vector<std::string> clock = {"--now", "2026-11-24T12:59:55Z"};
    auto is_reminder = [](const ApiCall& c) {
        return c.args.dump().find("careerbot_reminder") != std::string::npos;
    };
    f.start_bot({}, clock);
    REQUIRE(f.server.wait_for_hello_count(1, 10s));
    SlashCommand c;  // U0ALICE, whose Slack time zone is America/New_York
    c.command = "/team";
    c.text = "add <@U0BOB|bob>";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s));
    // Reporting to alice lets her read bob's records: bob is asked, and accepts by button.
    auto asked = f.server.wait_for_call("chat.postMessage", 5s, [](const ApiCall& call) {
        return call.args.dump().find("org_request_accept") != std::string::npos;
    });
    REQUIRE(asked);
    CHECK(asked->args.dump().find("D0BOB") != std::string::npos);
    json accept = {
        {"type", "block_actions"},
        {"user", {{"id", "U0BOB"}, {"name", "bob"}}},
        {"container", {{"type", "message"}, {"channel_id", "D0BOB"}}},
        {"response_url", f.server.issue_response_url()},
        {"actions",
         json::array({{{"action_id", "org_request_accept"}, {"value", "1"}, {"type", "button"}}})}};
    REQUIRE(f.server.wait_for_ack(f.server.send_interactive(accept), 5s));
    c.command = "/1on1";
    c.text = "schedule <@U0BOB|bob> tuesday 10:00";
    auto ack = f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s);
    REQUIRE(ack);
    INFO(ack->payload.dump());
    CHECK(ack->payload.dump().find("<!date^") != std::string::npos);

    auto dm = f.server.wait_for_call("chat.postMessage", 20s, is_reminder);
    REQUIRE(dm);
    CHECK(dm->response.value("ok", false));
    CHECK(dm->args.dump().find("D0ALICE") != std::string::npos);  // the manager's DM
    CHECK(dm->args.dump().find("U0BOB") != std::string::npos);
    CHECK(f.stop_bot() == 0);
    {
        SQLite::Database d(f.db_path().string(), SQLite::OPEN_READONLY);
        CHECK(d.execAndGet("SELECT count(*) FROM reminders WHERE key LIKE '1on1:%' AND state = "
                           "'sent'")
                  .getInt() == 1);
    }

    // The same moment again after a restart: nothing is sent twice.
    f.start_bot({}, clock);
    REQUIRE(f.server.wait_for_hello_count(2, 10s));
    std::this_thread::sleep_for(3s);  // a window in which a duplicate would have gone out
    std::size_t reminders = 0;
    for (const auto& call : f.server.calls("chat.postMessage")) reminders += is_reminder(call);
    CHECK(reminders == 1);
    CHECK(f.stop_bot() == 0);
    f.check_logs_clean();
}

TEST_CASE("/healthz and /metrics on the ops port follow what the bot does", "[e2e][slack][ops]") {
    Fixture f;
    const unsigned short port = free_port();
    f.run_args = {"--ops-port", std::to_string(port)};
    f.start_connected();
    REQUIRE(wait_until([&] { return http_get(port, "/healthz").status == 200; }, 5s));
    auto health = json::parse(http_get(port, "/healthz").body);
    CHECK(health["status"] == "ok");
    CHECK(health["slack_connected"] == true);
    CHECK(health["storage"] == "ok");

    SlashCommand c;
    for (int i = 0; i < 3; ++i) {
        c.text = "metrics brag " + std::to_string(i);
        REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s));
    }
    f.server.send_raw("{not json");
    c.text = "list";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s));

    auto m = http_get(port, "/metrics");
    REQUIRE(m.status == 200);
    CHECK(m.content_type.find("text/plain; version=0.0.4") == 0);
    CHECK(metric(m.body, "careerbot_envelopes_received_total{type=\"slash_commands\"}") == 4);
    CHECK(metric(m.body, "careerbot_envelopes_malformed_total") == 1);
    CHECK(metric(m.body, "careerbot_envelopes_acked_total") == 4);
    CHECK(metric(m.body, "careerbot_ack_latency_seconds_count") == 4);
    CHECK(metric(m.body, "careerbot_ack_latency_seconds_bucket{le=\"+Inf\"}") == 4);
    CHECK(metric(m.body, "careerbot_socket_connects_total") == 1);
    CHECK(metric(m.body, "careerbot_connected") == 1);
    CHECK(metric(m.body, "careerbot_web_api_calls_total") >= 1);  // auth.test at least
    CHECK(m.body.find("# TYPE careerbot_ack_latency_seconds histogram") != std::string::npos);

    // A dropped socket counts as a reconnect.
    REQUIRE(f.server.drop_connection());
    REQUIRE(f.server.wait_for_hello_count(2, 10s));
    CHECK(wait_until(
        [&] {
            return metric(http_get(port, "/metrics").body, "careerbot_socket_reconnects_total") ==
                   1;
        },
        5s));

    CHECK(http_get(port, "/nope").status == 404);
    CHECK(f.stop_bot() == 0);
    CHECK(http_get(port, "/healthz").status == 0);  // gone with the bot
    f.check_logs_clean();
}

TEST_CASE("/healthz answers 503 while the bot cannot reach Slack", "[e2e][slack][ops]") {
    Fixture f;
    const unsigned short port = free_port();
    f.run_args = {"--ops-port", std::to_string(port)};
    f.server.set_connections_open_error("internal_error");
    f.start_bot();
    REQUIRE(wait_until([&] { return http_get(port, "/healthz").status != 0; }, 5s));
    auto h = http_get(port, "/healthz");
    CHECK(h.status == 503);
    CHECK(json::parse(h.body)["slack_connected"] == false);
    CHECK(f.stop_bot() == 0);
}

// ---- Reliability: acked means stored or the user is told ------------------------------------

namespace {

/// Holds SQLite's write lock on the bot's database from another process's point of view (a
/// second connection with an open write transaction), as a backup tool or a stuck admin might.
class WriteLock {
  public:
    explicit WriteLock(const fs::path& db) : db_(db.string(), SQLite::OPEN_READWRITE) {
        db_.setBusyTimeout(10000);  // the bot may be committing just then
        db_.exec("BEGIN IMMEDIATE");
    }
    ~WriteLock() { release(); }
    void release() {
        if (held_) db_.exec("ROLLBACK");
        held_ = false;
    }

  private:
    SQLite::Database db_;
    bool held_ = true;
};

void answer_history_with(SlackTestServer& server, const std::string& ts, const std::string& text) {
    server.set_handler("conversations.history", [ts, text](const ApiCall&) {
        return json{
            {"ok", true},
            {"messages",
             json::array({{{"type", "message"}, {"user", "U0BOB"}, {"ts", ts}, {"text", text}}})},
            {"has_more", false}};
    });
}

}  // namespace

TEST_CASE("a slow Web API never delays an ack: the reaction is saved once Slack answers",
          "[e2e][slack][reliability]") {
    Fixture f;
    const std::string ts = "1763460000.000400";
    answer_history_with(f.server, ts, "Thanks <@U0ALICE> for the review!");
    f.server.set_response_delay("conversations.history", 2s);
    f.server.set_response_delay("chat.getPermalink", 1500ms);
    f.start_connected();
    auto event = f.server.send_event(star_reaction(ts), "Ev0SLOW1");
    auto ack = f.server.wait_for_ack(event, 5s);
    REQUIRE(ack);
    CHECK(ack->latency < 1s);
    // Commands keep being stored and answered in the ack meanwhile.
    auto brags = f.send_brags(20, "while slack is slow");
    for (const auto& id : brags) {
        auto a = f.server.wait_for_ack(id, 5s);
        REQUIRE(a);
        CHECK(a->latency < 1s);
        CHECK(a->payload.value("text", "").find("Logged") != std::string::npos);
    }
    CHECK(f.brag_count("while slack is slow%") == 20);
    // The feedback lands after Slack's answers, and its DM goes out once.
    CHECK(wait_until([&] { return feedback_count(f.db_path(), "U0ALICE") == 1; }, 15s));
    CHECK(f.server.wait_for_call("chat.postMessage", 5s, [](const ApiCall& c) {
        return c.args.value("text", "").find("Saved") != std::string::npos;
    }));
    // A burst of reactions while Slack stays slow: every ack is still immediate, and shutdown
    // leaves what waits for Slack in the inbox instead of waiting for it.
    std::vector<std::string> burst;
    for (int i = 0; i < 50; ++i)
        burst.push_back(
            f.server.send_event(star_reaction("1763460001." + std::to_string(100000 + i)),
                                "Ev0BURST" + std::to_string(i)));
    for (const auto& id : burst) {
        auto a = f.server.wait_for_ack(id, 5s);
        REQUIRE(a);
        CHECK(a->latency < 1s);
    }
    if (std::getenv("CAREERBOT_E2E_FIGURES")) {  // for the figures in the README
        auto lat = f.server.ack_latencies();
        std::sort(lat.begin(), lat.end());
        auto ms = [](std::chrono::nanoseconds d) { return d.count() / 1e6; };
        std::fprintf(
            stderr, "acks under a slow Web API: n=%zu p50=%.2f ms p99=%.2f ms max=%.2f ms\n",
            lat.size(), ms(lat[lat.size() / 2]), ms(lat[lat.size() * 99 / 100]), ms(lat.back()));
    }
    const auto stopping = std::chrono::steady_clock::now();
    CHECK(f.stop_bot() == 0);
    CHECK(std::chrono::steady_clock::now() - stopping < 6s);
    std::size_t saved_dms = 0;
    for (const auto& c : f.server.calls("chat.postMessage"))
        if (c.args.value("text", "").find("Saved") != std::string::npos) ++saved_dms;
    CHECK(saved_dms == 1);
    f.check_logs_clean();
}

TEST_CASE("killed while a reaction waits for Slack: the next run finishes it",
          "[e2e][slack][reliability]") {
    Fixture f;
    const std::string ts = "1763460000.000500";
    answer_history_with(f.server, ts, "Great demo <@U0ALICE>");
    f.server.set_response_delay("conversations.history", 20s);
    f.start_connected();
    auto event = f.server.send_event(star_reaction(ts), "Ev0KILL1");
    REQUIRE(f.server.wait_for_ack(event, 5s));
    REQUIRE(f.server.wait_for_call("conversations.history", 5s));
    f.bot->signal(SIGKILL);
    REQUIRE(f.bot->wait(5s));
    CHECK(feedback_count(f.db_path(), "U0ALICE") == 0);
    f.server.set_response_delay("conversations.history", 0ms);
    f.start_connected(2);
    CHECK(wait_until([&] { return feedback_count(f.db_path(), "U0ALICE") == 1; }, 10s));
    CHECK(f.log_contains("resuming event envelope"));
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("a write lock held elsewhere: the early-acked /brag's user is told it was not stored",
          "[e2e][slack][reliability]") {
    Fixture f;
    f.start_connected();
    SlashCommand c;
    c.text = "first brag";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s));
    {
        WriteLock lock(f.db_path());
        c.text = "blocked brag";
        auto sent = f.server.send_slash_command(c);
        auto ack = f.server.wait_for_ack(sent.envelope_id, 5s);
        REQUIRE(ack);
        CHECK(ack->latency < 3s);  // Slack's deadline holds even though nothing committed
        // The busy timeout gives up; the apology reaches the user through response_url.
        auto told = f.server.wait_for_call("response_url", 10s, [&](const ApiCall& call) {
            return call.args.dump().find("could not save") != std::string::npos;
        });
        REQUIRE(told);
    }
    CHECK(f.brag_count("blocked brag%") == 0);
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("killed after an early ack: the next run tells each user whether it was stored",
          "[e2e][slack][reliability]") {
    Fixture f;
    f.start_connected();
    SlashCommand c;
    c.text = "warm up";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s));
    std::vector<SentEnvelope> stalled;
    {
        WriteLock lock(f.db_path());
        for (int i = 0; i < 10; ++i) {
            c.text = "stalled brag " + std::to_string(i);
            stalled.push_back(f.server.send_slash_command(c));
        }
        for (const auto& sent : stalled) {
            auto ack = f.server.wait_for_ack(sent.envelope_id, 5s);
            REQUIRE(ack);
            CHECK(ack->latency < 3s);
            CHECK_FALSE(ack->has_payload);  // acked empty: "the answer follows"
        }
        f.bot->signal(SIGKILL);
        REQUIRE(f.bot->wait(5s));
    }
    CHECK(f.brag_count("stalled brag%") == 0);
    f.start_connected(2);
    // Every acked brag is accounted for: stored, or its user told it was not — exactly once.
    for (int i = 0; i < 10; ++i) {
        const std::string text = "stalled brag " + std::to_string(i) + "`";
        INFO(text);
        REQUIRE(f.server.wait_for_call("response_url", 10s, [&](const ApiCall& call) {
            return call.args.dump().find(text) != std::string::npos;
        }));
    }
    std::this_thread::sleep_for(500ms);
    std::size_t told = 0;
    for (const auto& call : f.server.calls("response_url"))
        if (call.args.dump().find("restarted before it could store") != std::string::npos) ++told;
    CHECK(told == 10);
    CHECK(f.brag_count("stalled brag%") == 0);
    CHECK(f.stop_bot() == 0);
}

TEST_CASE(
    "commands arriving during shutdown are answered, not left for a redelivery that never "
    "comes",
    "[e2e][slack][reliability]") {
    Fixture f;
    f.start_connected();
    SlashCommand c;
    c.text = "before";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s));
    auto lock = std::make_unique<WriteLock>(f.db_path());
    c.text = "in flight at shutdown";
    f.server.send_slash_command(c);
    std::this_thread::sleep_for(200ms);
    f.bot->signal(SIGTERM);
    REQUIRE(f.log_contains("shutting down", 3s));
    c.text = "after sigterm";
    auto late = f.server.send_slash_command(c);
    auto ack = f.server.wait_for_ack(late.envelope_id, 3s);
    REQUIRE(ack);
    CHECK(ack->payload.value("text", "").find("restarting") != std::string::npos);
    lock.reset();
    auto code = f.bot->wait(8s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(f.brag_count("after sigterm%") == 0);
}

TEST_CASE("the database file replaced while running: writes refused, /healthz fails",
          "[e2e][slack][reliability][ops]") {
    Fixture f;
    const unsigned short port = free_port();
    f.run_args = {"--ops-port", std::to_string(port)};
    f.start_connected();
    SlashCommand c;
    c.text = "stored fine";
    REQUIRE(f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s));
    REQUIRE(wait_until([&] { return http_get(port, "/healthz").status == 200; }, 5s));
    fs::rename(f.db_path(), f.db_path().string() + ".moved");
    c.text = "into the void";
    auto ack = f.server.wait_for_ack(f.server.send_slash_command(c).envelope_id, 5s);
    REQUIRE(ack);
    CHECK(ack->payload.value("text", "").find("deleted or replaced") != std::string::npos);
    auto h = http_get(port, "/healthz");
    CHECK(h.status == 503);
    CHECK(json::parse(h.body)["storage"] == "database file replaced");
    CHECK(f.stop_bot() == 0);
    fs::rename(f.db_path().string() + ".moved", f.db_path());
    CHECK(f.brag_count("into the void%") == 0);
}

// ---- Reliability under Web API faults (the test server's per-method fault injection) -------

namespace {

/// Messages in Bob's DM with the bot (as Slack stores them) whose content has `needle`.
std::size_t dms_posted(const SlackTestServer& server, const std::string& needle) {
    std::size_t n = 0;
    for (const auto& m : server.messages("D0BOB"))
        if (m.dump().find(needle) != std::string::npos) ++n;
    return n;
}

/// Sends `/feedback @bob <text>` as Alice; Bob gets a DM with the text.
std::string send_feedback(Fixture& f, const std::string& text) {
    SlashCommand c;
    c.command = "/feedback";
    c.text = "<@U0BOB|bob> " + text;
    auto sent = f.server.send_slash_command(c);
    auto ack = f.server.wait_for_ack(sent.envelope_id, 5s);
    REQUIRE(ack);
    return sent.envelope_id;
}

}  // namespace

TEST_CASE("a DM reaches Slack exactly once whatever fails around chat.postMessage",
          "[e2e][slack][reliability]") {
    Fixture f;
    f.start_connected();
    struct Case {
        const char* name;
        std::function<void(SlackTestServer&)> arm;
    };
    const auto inject = [](Fault fault, When when) {
        return [=](SlackTestServer& s) { s.inject("chat.postMessage", fault, when); };
    };
    const std::vector<Case> cases = {
        {"500 after Slack posted it", inject(Fault::http_500, When::after_effect)},
        {"503 after Slack posted it", inject(Fault::http_503, When::after_effect)},
        {"connection dropped after Slack posted it", inject(Fault::drop, When::after_effect)},
        {"connection dropped before Slack took it", inject(Fault::drop, When::before_effect)},
        {"500 before Slack took it", inject(Fault::http_500, When::before_effect)},
        {"internal_error",
         [](SlackTestServer& s) { s.fail_next("chat.postMessage", "internal_error"); }},
        {"service_unavailable twice",
         [](SlackTestServer& s) { s.fail_next("chat.postMessage", "service_unavailable", 2); }},
        {"429 with Retry-After",
         [](SlackTestServer& s) { s.rate_limit_next("chat.postMessage", 1); }},
    };
    int i = 0;
    for (const auto& c : cases) {
        INFO(c.name);
        const std::string text = "fault case " + std::to_string(i++) + " thank you";
        c.arm(f.server);
        send_feedback(f, text);
        CHECK(wait_until([&] { return dms_posted(f.server, text) >= 1; }, 10s));
        std::this_thread::sleep_for(300ms);  // a duplicate would have been posted by now
        CHECK(dms_posted(f.server, text) == 1);
    }
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("SIGTERM during a 429 wait: the DM is sent after the restart, once",
          "[e2e][slack][reliability]") {
    Fixture f;
    f.start_connected();
    f.server.rate_limit_next("chat.postMessage", 60);
    send_feedback(f, "waited out across a restart");
    REQUIRE(f.server.wait_for_call("chat.postMessage", 5s));
    const auto started = std::chrono::steady_clock::now();
    f.bot->signal(SIGTERM);
    auto code = f.bot->wait(8s);
    REQUIRE(code);
    CHECK(*code == 0);
    CHECK(std::chrono::steady_clock::now() - started < 6s);
    CHECK(dms_posted(f.server, "waited out across a restart") == 0);
    f.server.clear_injections("chat.postMessage");
    f.start_connected(2);
    CHECK(
        wait_until([&] { return dms_posted(f.server, "waited out across a restart") == 1; }, 10s));
    CHECK(f.stop_bot() == 0);
    CHECK(dms_posted(f.server, "waited out across a restart") == 1);
}

TEST_CASE("killed after Slack posted a DM but before it was marked sent: not sent again",
          "[e2e][slack][reliability]") {
    Fixture f;
    f.start_connected();
    // Slack posts it, then the answer is slow: the bot is killed while it waits.
    f.server.set_response_delay("chat.postMessage", 5s);
    send_feedback(f, "posted before the crash");
    REQUIRE(wait_until([&] { return dms_posted(f.server, "posted before the crash") == 1; }, 5s));
    f.bot->signal(SIGKILL);
    REQUIRE(f.bot->wait(5s));
    f.server.set_response_delay("chat.postMessage", 0ms);
    f.start_connected(2);
    // The restart finds it in Bob's DM (its metadata key) and does not post it again.
    CHECK(f.server.wait_for_call("conversations.history", 10s));
    std::this_thread::sleep_for(1s);
    CHECK(dms_posted(f.server, "posted before the crash") == 1);
    CHECK(f.stop_bot() == 0);
}

TEST_CASE("a DM channel is opened once and remembered across a restart",
          "[e2e][slack][real_slack]") {
    Fixture f;
    f.start_connected();
    send_feedback(f, "first thanks");
    REQUIRE(wait_until([&] { return dms_posted(f.server, "first thanks") == 1; }, 10s));
    CHECK(wait_until([&] { return !f.person_field("U0BOB", "dm_channel").empty(); }, 5s));
    CHECK(f.stop_bot() == 0);
    const auto opens = [&] {
        std::size_t n = 0;
        for (const auto& c : f.server.calls("conversations.open"))
            if (c.args.dump().find("U0BOB") != std::string::npos) ++n;
        return n;
    };
    CHECK(opens() == 1);
    f.start_connected(2);
    send_feedback(f, "second thanks");
    REQUIRE(wait_until([&] { return dms_posted(f.server, "second thanks") == 1; }, 10s));
    CHECK(opens() == 1);  // the stored channel, not another conversations.open
    CHECK(f.stop_bot() == 0);
}
