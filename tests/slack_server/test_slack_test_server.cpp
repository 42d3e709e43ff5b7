// Tests of the Slack test server itself, through a small Beast HTTP and websocket client.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include "slack_test_server.hpp"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using json = nlohmann::json;
using boost::system::error_code;
using careerbot::testing::Fault;
using careerbot::testing::SlackTestServer;
using careerbot::testing::When;
using namespace std::chrono_literals;

constexpr auto io_timeout = 3s;
constexpr auto wait_timeout = 3000ms;

/// Runs one asynchronous operation on `ioc` for at most `timeout`; on timeout `cancel` is
/// called and the operation drained, so a broken server fails the test instead of hanging it.
template <class Start, class Cancel>
error_code run_bounded(net::io_context& ioc, Start start, Cancel cancel,
                       std::chrono::steady_clock::duration timeout = io_timeout) {
    std::optional<error_code> result;
    start([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    ioc.run_for(timeout);
    if (!result) {
        cancel();
        ioc.restart();
        ioc.run();
        return net::error::timed_out;
    }
    return *result;
}

struct HttpResult {
    int status = 0;
    std::string retry_after;
    std::string raw;
    json body;
};

/// A keep-alive HTTP/1.1 client on one connection.
class HttpClient {
  public:
    explicit HttpClient(std::uint16_t port) : stream_(ioc_) {
        tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
        auto ec = run_bounded(
            ioc_, [&](auto handler) { stream_.async_connect(endpoint, handler); },
            [&] { stream_.close(); });
        REQUIRE_FALSE(ec);
    }

    HttpResult post(const std::string& target, const std::string& body,
                    const std::string& content_type = "application/json; charset=utf-8",
                    const std::string& token = "xoxb-test-bot-token") {
        auto out = try_post(target, body, content_type, token);
        REQUIRE(out);
        return *out;
    }

    /// The response, or nullopt when the server closed the connection without one.
    std::optional<HttpResult> try_post(
        const std::string& target, const std::string& body,
        const std::string& content_type = "application/json; charset=utf-8",
        const std::string& token = "xoxb-test-bot-token") {
        http::request<http::string_body> req{http::verb::post, target, 11};
        req.set(http::field::host, "127.0.0.1");
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
        req.set(http::field::content_type, content_type);
        req.body() = body;
        req.keep_alive(true);
        req.prepare_payload();
        auto ec = run_bounded(
            ioc_, [&](auto handler) { http::async_write(stream_, req, handler); },
            [&] { stream_.close(); });
        REQUIRE_FALSE(ec);
        http::response<http::string_body> res;
        ec = run_bounded(
            ioc_, [&](auto handler) { http::async_read(stream_, buffer_, res, handler); },
            [&] { stream_.close(); });
        if (ec) return std::nullopt;
        HttpResult out;
        out.status = static_cast<int>(res.result_int());
        out.retry_after = std::string(res[http::field::retry_after]);
        out.raw = res.body();
        out.body = json::parse(res.body(), nullptr, false);
        return out;
    }

    json api(const std::string& method, const json& args,
             const std::string& token = "xoxb-test-bot-token") {
        return post("/api/" + method, args.dump(), "application/json; charset=utf-8", token).body;
    }

  private:
    net::io_context ioc_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
};

/// A Socket Mode client: connects to a ws:// URL from apps.connections.open.
class WsClient {
  public:
    WsClient() : ws_(ioc_) {}

    error_code connect(const std::string& url) {
        // ws://127.0.0.1:PORT/link/?ticket=...
        auto host_start = url.find("://") + 3;
        auto path_start = url.find('/', host_start);
        std::string host = url.substr(host_start, path_start - host_start);
        auto port = static_cast<std::uint16_t>(std::stoi(host.substr(host.find(':') + 1)));
        tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), port);
        auto cancel = [&] { beast::get_lowest_layer(ws_).close(); };
        auto ec = run_bounded(
            ioc_,
            [&](auto handler) { beast::get_lowest_layer(ws_).async_connect(endpoint, handler); },
            cancel);
        if (ec) return ec;
        return run_bounded(
            ioc_, [&](auto handler) { ws_.async_handshake(host, url.substr(path_start), handler); },
            cancel);
    }

    /// Next text message, or nullopt (with last_error set) on error or timeout.
    std::optional<std::string> read(std::chrono::steady_clock::duration timeout = io_timeout) {
        buffer_.consume(buffer_.size());
        last_error = run_bounded(
            ioc_, [&](auto handler) { ws_.async_read(buffer_, handler); },
            [&] { beast::get_lowest_layer(ws_).close(); }, timeout);
        if (last_error) return std::nullopt;
        return beast::buffers_to_string(buffer_.data());
    }

    json read_json() {
        auto text = read();
        REQUIRE(text);
        return json::parse(*text);
    }

    void send(const std::string& text) {
        auto ec = run_bounded(
            ioc_, [&](auto handler) { ws_.async_write(net::buffer(text), handler); },
            [&] { beast::get_lowest_layer(ws_).close(); });
        REQUIRE_FALSE(ec);
    }

    void ack(const std::string& envelope_id, const json& payload = nullptr) {
        json message{{"envelope_id", envelope_id}};
        if (!payload.is_null()) message["payload"] = payload;
        send(message.dump());
    }

    error_code close() {
        return run_bounded(
            ioc_, [&](auto handler) { ws_.async_close(websocket::close_code::normal, handler); },
            [&] { beast::get_lowest_layer(ws_).close(); });
    }

    error_code last_error;

  private:
    net::io_context ioc_;
    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
};

/// Opens a socket URL with the app token and connects to it, reading the hello.
json connect_socket(SlackTestServer& server, WsClient& client) {
    HttpClient http(server.port());
    json open = http.api("apps.connections.open", json::object(), "xapp-test-app-token");
    REQUIRE(open["ok"] == true);
    REQUIRE_FALSE(client.connect(open["url"].get<std::string>()));
    json hello = client.read_json();
    REQUIRE(hello["type"] == "hello");
    return hello;
}

std::string many_blocks(std::size_t n) {
    json blocks = json::array();
    for (std::size_t i = 0; i < n; ++i) {
        blocks.push_back({{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", "x"}}}});
    }
    return blocks.dump();
}

}  // namespace

TEST_CASE("server binds 127.0.0.1 on an ephemeral port and reports its API URL") {
    SlackTestServer server;
    server.start();
    REQUIRE(server.port() != 0);
    CHECK(server.api_url() == "http://127.0.0.1:" + std::to_string(server.port()) + "/api/");
}

TEST_CASE("apps.connections.open hands out a single-use URL and hello is Slack's") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    json open = http.api("apps.connections.open", json::object(), "xapp-test-app-token");
    REQUIRE(open["ok"] == true);
    std::string url = open["url"];
    CHECK(url.rfind("ws://127.0.0.1:" + std::to_string(server.port()) + "/link/?ticket=", 0) == 0);
    CHECK(url.find("&app_id=A0TEST") != std::string::npos);

    WsClient client;
    REQUIRE_FALSE(client.connect(url));
    auto text = client.read();
    REQUIRE(text);
    CHECK(text->rfind("{\"type\":\"hello\"", 0) == 0);
    json hello = json::parse(*text);
    CHECK(hello == json{{"type", "hello"},
                        {"num_connections", 1},
                        {"debug_info",
                         {{"host", "applink-test"},
                          {"build_number", 1},
                          {"approximate_connection_time", 18060}}},
                        {"connection_info", {{"app_id", "A0TEST"}}}});
    CHECK(server.wait_for_hello_count(1, wait_timeout));

    WsClient reuse;
    CHECK(reuse.connect(url));  // the ticket was used
    WsClient unknown;
    CHECK(
        unknown.connect("ws://127.0.0.1:" + std::to_string(server.port()) + "/link/?ticket=nope"));
    CHECK(server.stats().refused_upgrades == 2);
    CHECK(server.stats().connections_opened == 1);
}

TEST_CASE("apps.connections.open refuses bot tokens and reports injected errors") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    CHECK(http.api("apps.connections.open", json::object(), "xoxb-test-bot-token")["error"] ==
          "not_allowed_token_type");
    CHECK(http.api("apps.connections.open", json::object(), "xapp-wrong")["error"] ==
          "invalid_auth");
    CHECK(http.api("apps.connections.open", json::object(), "")["error"] == "not_authed");
    server.set_connections_open_error("invalid_auth");
    CHECK(http.api("apps.connections.open", json::object(), "xapp-test-app-token")["error"] ==
          "invalid_auth");
    server.set_connections_open_error("");
    CHECK(http.api("apps.connections.open", json::object(), "xapp-test-app-token")["ok"] == true);
}

TEST_CASE("slash command envelope round trip records the ack payload and its latency") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);

    careerbot::testing::SlashCommand command;
    command.user_id = "U0BOB";
    command.user_name = "bob";
    command.text = "shipped the importer #infra";
    auto sent = server.send_slash_command(command);

    json envelope = client.read_json();
    CHECK(envelope["envelope_id"] == sent.envelope_id);
    CHECK(envelope["type"] == "slash_commands");
    CHECK(envelope["accepts_response_payload"] == true);
    const json& payload = envelope["payload"];
    for (const char* key :
         {"token", "team_id", "team_domain", "channel_id", "channel_name", "user_id", "user_name",
          "command", "text", "api_app_id", "is_enterprise_install", "response_url", "trigger_id"}) {
        INFO(key);
        CHECK(payload.contains(key));
    }
    CHECK(payload["user_id"] == "U0BOB");
    CHECK(payload["command"] == "/brag");
    CHECK(payload["text"] == "shipped the importer #infra");
    CHECK(payload["response_url"] == sent.response_url);

    client.ack(sent.envelope_id, {{"text", "Logged!"}});
    auto ack = server.wait_for_ack(sent.envelope_id, wait_timeout);
    REQUIRE(ack);
    CHECK(ack->has_payload);
    CHECK(ack->payload == json{{"text", "Logged!"}});
    CHECK(ack->latency > 0ns);
    CHECK(ack->latency < 3s);
    CHECK_FALSE(ack->duplicate);

    client.ack(sent.envelope_id);
    client.ack("not-an-envelope");
    CHECK(server.wait_for_stats(
        [](const auto& s) { return s.duplicate_acks == 1 && s.unknown_acks == 1; }, wait_timeout));
    CHECK(server.stats().acks == 1);
    CHECK(server.stats().outstanding == 0);
}

TEST_CASE("events_api envelope carries an event_callback payload and retry fields") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    json event{{"type", "reaction_added"}, {"user", "U0ALICE"}, {"reaction", "tada"}};
    std::string id = server.send_event(event, "Ev0RETRY1", 2, "timeout");
    json envelope = client.read_json();
    CHECK(envelope["envelope_id"] == id);
    CHECK(envelope["type"] == "events_api");
    CHECK(envelope["accepts_response_payload"] == false);
    CHECK(envelope["retry_attempt"] == 2);
    CHECK(envelope["retry_reason"] == "timeout");
    CHECK(envelope["payload"]["type"] == "event_callback");
    CHECK(envelope["payload"]["event_id"] == "Ev0RETRY1");
    CHECK(envelope["payload"]["event"] == event);
    CHECK(envelope["payload"]["authorizations"][0]["user_id"] == "U0BOT");
    CHECK(envelope["payload"]["event_time"].is_number());

    std::string interactive = server.send_interactive({{"type", "view_submission"}});
    json inter = client.read_json();
    CHECK(inter["envelope_id"] == interactive);
    CHECK(inter["type"] == "interactive");
    CHECK(inter["payload"].contains("trigger_id"));
}

TEST_CASE("web API calls are recorded with token and arguments from JSON and form bodies") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());  // one keep-alive connection for every call below
    json posted = http.api("chat.postMessage", {{"channel", "C0GENERAL"}, {"text", "hi"}});
    CHECK(posted["ok"] == true);
    CHECK(posted["channel"] == "C0GENERAL");
    CHECK(posted["message"]["text"] == "hi");

    auto form = http.post("/api/users.info", "user=U0BOB&include_locale=true",
                          "application/x-www-form-urlencoded");
    CHECK(form.body["ok"] == true);
    CHECK(form.body["user"]["tz"] == "Europe/Berlin");
    CHECK(form.body["user"]["tz_offset"] == 3600);

    auto call = server.wait_for_call("chat.postMessage", wait_timeout);
    REQUIRE(call);
    CHECK(call->token == "xoxb-test-bot-token");
    CHECK(call->args == json{{"channel", "C0GENERAL"}, {"text", "hi"}});
    CHECK(call->http_status == 200);
    auto users = server.calls("users.info");
    REQUIRE(users.size() == 1);
    CHECK(users[0].args == json{{"user", "U0BOB"}, {"include_locale", "true"}});

    // Waiting for a call that has not happened yet.
    std::size_t before = server.call_count();
    std::thread later([&server] {
        HttpClient other(server.port());
        other.api("conversations.open", {{"users", "U0CAROL"}});
    });
    auto opened = server.wait_for_call("conversations.open", wait_timeout,
                                       [before](const auto& c) { return c.sequence >= before; });
    later.join();
    REQUIRE(opened);
    CHECK(opened->response["channel"]["id"] == "D0CAROL");

    CHECK(http.api("users.info", {{"user", "U0NOBODY"}})["error"] == "user_not_found");
    CHECK(http.api("auth.test", json::object())["user_id"] == "U0BOT");
    CHECK_FALSE(server.wait_for_call("views.open", 10ms));
}

TEST_CASE("web API rejects missing or wrong tokens and unknown methods like Slack") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    CHECK(http.api("chat.postMessage", {{"channel", "C1"}, {"text", "x"}}, "")["error"] ==
          "not_authed");
    CHECK(http.api("chat.postMessage", {{"channel", "C1"}, {"text", "x"}}, "xoxb-nope")["error"] ==
          "invalid_auth");
    CHECK(http.api("chat.postMessage", {{"channel", "C1"}, {"text", "x"}},
                   "xapp-test-app-token")["error"] == "not_allowed_token_type");
    CHECK(http.api("chat.fly", json::object())["error"] == "unknown_method");
    CHECK(http.post("/api/chat.postMessage", "{not json").body["error"] == "invalid_json");
}

TEST_CASE("rate_limit_next answers 429 with Retry-After, then the method recovers") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    server.rate_limit_next("chat.postMessage", 7, 2);
    json args{{"channel", "C1"}, {"text", "x"}};
    for (int i = 0; i < 2; ++i) {
        auto limited = http.post("/api/chat.postMessage", args.dump());
        CHECK(limited.status == 429);
        CHECK(limited.retry_after == "7");
        CHECK(limited.body == json{{"ok", false}, {"error", "ratelimited"}});
    }
    auto ok = http.post("/api/chat.postMessage", args.dump());
    CHECK(ok.status == 200);
    CHECK(ok.body["ok"] == true);
    auto calls = server.calls("chat.postMessage");
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].http_status == 429);
    CHECK(calls[2].http_status == 200);

    server.fail_next("chat.postMessage", "channel_not_found");
    CHECK(http.api("chat.postMessage", args)["error"] == "channel_not_found");
    CHECK(http.api("chat.postMessage", args)["ok"] == true);
}

TEST_CASE("inject answers 5xx or drops the connection, before or after the call takes effect") {
    SlackTestServer server;
    server.start();
    json args{{"channel", "C1"}, {"text", "x"}};
    server.inject("chat.postMessage", Fault::http_500, When::before_effect);
    server.inject("chat.postMessage", Fault::http_503, When::after_effect, 2);
    server.inject("chat.postMessage", Fault::drop, When::before_effect);
    server.inject("chat.postMessage", Fault::drop, When::after_effect);
    {
        HttpClient http(server.port());
        auto r500 = http.post("/api/chat.postMessage", args.dump());
        CHECK(r500.status == 500);
        CHECK(r500.body.is_discarded());  // an HTML page, as Slack's front ends send
        CHECK(http.post("/api/chat.postMessage", args.dump()).status == 503);
        CHECK(http.post("/api/chat.postMessage", args.dump()).status == 503);
        CHECK_FALSE(http.try_post("/api/chat.postMessage", args.dump()));
    }
    {
        HttpClient http(server.port());
        CHECK_FALSE(http.try_post("/api/chat.postMessage", args.dump()));
    }
    HttpClient http(server.port());
    CHECK(http.api("chat.postMessage", args)["ok"] == true);

    auto calls = server.calls("chat.postMessage");
    REQUIRE(calls.size() == 6);
    CHECK(calls[0].http_status == 500);
    CHECK(calls[0].fault == Fault::http_500);
    CHECK_FALSE(calls[0].took_effect);
    CHECK(calls[1].http_status == 503);
    CHECK(calls[1].took_effect);
    CHECK(calls[2].took_effect);
    CHECK(calls[3].http_status == 0);
    CHECK(calls[3].fault == Fault::drop);
    CHECK_FALSE(calls[3].took_effect);
    CHECK(calls[4].http_status == 0);
    CHECK(calls[4].took_effect);
    CHECK_FALSE(calls[5].fault);
    CHECK(calls[5].http_status == 200);

    // clear_injections forgets what is still queued.
    server.inject("chat.postMessage", Fault::http_500, When::before_effect, 5);
    server.fail_next("chat.postMessage", "internal_error", 5);
    server.clear_injections("chat.postMessage");
    CHECK(http.api("chat.postMessage", args)["ok"] == true);
}

TEST_CASE("a 5xx after the effect leaves the message posted; before it, nothing is stored") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    server.inject("chat.postMessage", Fault::http_503, When::after_effect);
    server.inject("chat.postMessage", Fault::http_500, When::before_effect);
    json args{{"channel", "D0ALICE"}, {"text", "once"}};
    CHECK(http.post("/api/chat.postMessage", args.dump()).status == 503);
    CHECK(http.post("/api/chat.postMessage", args.dump()).status == 500);
    auto stored = server.messages("D0ALICE");
    REQUIRE(stored.size() == 1);
    CHECK(stored[0]["text"] == "once");
}

TEST_CASE("conversations.history answers newest first within latest/oldest, without replies") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    std::string a = server.add_message("C1", "U0ALICE", "a");
    std::string b = server.add_message("C1", "U0BOB", "b");
    std::string reply = server.add_message("C1", "U0BOB", "in thread", a);
    json posted = http.api("chat.postMessage",
                           {{"channel", "C1"},
                            {"text", "c"},
                            {"metadata", {{"event_type", "k"}, {"event_payload", {{"key", 1}}}}}});
    REQUIRE(posted["ok"] == true);
    std::string c = posted["ts"];
    json broadcast = http.api("chat.postMessage", {{"channel", "C1"},
                                                   {"text", "also in channel"},
                                                   {"thread_ts", a},
                                                   {"reply_broadcast", true}});
    std::string d = broadcast["ts"];

    auto texts = [](const json& answer) {
        std::vector<std::string> out;
        for (const auto& m : answer["messages"]) out.push_back(m["text"]);
        return out;
    };
    auto history = [&](const std::string& form) {
        return http
            .post("/api/conversations.history", "channel=C1&" + form,
                  "application/x-www-form-urlencoded")
            .body;
    };
    json all = history("");
    CHECK(texts(all) == std::vector<std::string>{"also in channel", "c", "b", "a"});
    CHECK_FALSE(all["messages"][1].contains("metadata"));
    CHECK(all["messages"][3]["reply_count"] == 2);
    CHECK(history("include_all_metadata=true")["messages"][1]["metadata"]["event_type"] == "k");
    CHECK(texts(history("latest=" + c + "&oldest=" + b)).empty());
    CHECK(texts(history("latest=" + c + "&oldest=" + b + "&inclusive=true")) ==
          std::vector<std::string>{"c", "b"});
    CHECK(texts(history("oldest=" + b)) == std::vector<std::string>{"also in channel", "c"});

    json page1 = history("limit=2");
    CHECK(texts(page1) == std::vector<std::string>{"also in channel", "c"});
    CHECK(page1["has_more"] == true);
    std::string cursor = page1["response_metadata"]["next_cursor"];
    json page2 = history("limit=2&cursor=" + cursor);
    CHECK(texts(page2) == std::vector<std::string>{"b", "a"});
    CHECK(page2["has_more"] == false);
    (void)reply;
    (void)d;
}

TEST_CASE("conversations.replies answers the parent first, counted in limit, for any ts") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    std::string parent = server.add_message("C1", "U0ALICE", "parent");
    std::string r1 = server.add_message("C1", "U0BOB", "r1", parent);
    std::string r2 = server.add_message("C1", "U0CAROL", "r2", parent);
    server.add_message("C1", "U0BOB", "unrelated");
    auto replies = [&](const std::string& form) {
        return http
            .post("/api/conversations.replies", "channel=C1&" + form,
                  "application/x-www-form-urlencoded")
            .body;
    };
    auto texts = [](const json& answer) {
        std::vector<std::string> out;
        for (const auto& m : answer["messages"]) out.push_back(m["text"]);
        return out;
    };
    const std::vector<std::string> whole{"parent", "r1", "r2"};
    CHECK(texts(replies("ts=" + parent)) == whole);
    CHECK(texts(replies("ts=" + r2)) == whole);
    // A reply's own ts with limit=1 finds only the parent: the bug of issue 13 item 2.
    CHECK(texts(replies("ts=" + r2 + "&limit=1")) == std::vector<std::string>{"parent"});
    CHECK(texts(replies("ts=" + r2 + "&oldest=" + r2 + "&latest=" + r2 +
                        "&inclusive=true&limit=2")) == std::vector<std::string>{"parent", "r2"});
    json page1 = replies("ts=" + parent + "&limit=2");
    CHECK(texts(page1) == std::vector<std::string>{"parent", "r1"});
    CHECK(page1["has_more"] == true);
    json page2 = replies("ts=" + parent + "&limit=2&cursor=" +
                         page1["response_metadata"]["next_cursor"].get<std::string>());
    CHECK(texts(page2) == std::vector<std::string>{"parent", "r2"});
    CHECK(replies("ts=1.000001")["error"] == "thread_not_found");
    (void)r1;
}

TEST_CASE("chat.update changes a stored message and refuses an unknown one") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    json posted = http.api("chat.postMessage", {{"channel", "U0ALICE"}, {"text", "v1"}});
    CHECK(posted["channel"] == "D0ALICE");
    std::string ts = posted["ts"];
    CHECK(http.api("chat.update", {{"channel", "D0ALICE"}, {"ts", ts}, {"text", "v2"}})["ok"] ==
          true);
    CHECK(server.messages("D0ALICE").at(0)["text"] == "v2");
    CHECK(
        http.api("chat.update", {{"channel", "D0ALICE"}, {"ts", "1.2"}, {"text", "x"}})["error"] ==
        "message_not_found");
}

TEST_CASE("faults are injected into response_url posts and file uploads too") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    std::string url = server.issue_response_url();
    std::string path = url.substr(url.find("/response/"));
    server.inject("response_url", Fault::http_503, When::after_effect);
    server.inject("response_url", Fault::drop, When::before_effect);
    CHECK(http.post(path, json{{"text", "a"}}.dump()).status == 503);
    CHECK_FALSE(http.try_post(path, json{{"text", "b"}}.dump()));
    HttpClient again(server.port());
    CHECK(again.post(path, json{{"text", "c"}}.dump()).body["ok"] == true);
    auto posts = server.calls("response_url");
    REQUIRE(posts.size() == 3);
    CHECK(posts[0].took_effect);
    CHECK_FALSE(posts[1].took_effect);
    CHECK(posts[1].http_status == 0);

    auto got = again.post("/api/files.getUploadURLExternal", "filename=a.md&length=5",
                          "application/x-www-form-urlencoded");
    std::string upload_url = got.body["upload_url"];
    std::string upload_path = upload_url.substr(upload_url.find("/upload/"));
    server.inject("file_upload", Fault::http_500, When::before_effect);
    CHECK(again.post(upload_path, "hello", "application/octet-stream", "").status == 500);
    CHECK(again.post(upload_path, "hello", "application/octet-stream", "").status == 200);
}

TEST_CASE("Slack's message limits are enforced on chat methods, response_url and views") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    json base{{"channel", "C1"}, {"text", "fallback"}};

    json fifty = base;
    fifty["blocks"] = json::parse(many_blocks(50));
    CHECK(http.api("chat.postMessage", fifty)["ok"] == true);
    json fifty_one = base;
    fifty_one["blocks"] = json::parse(many_blocks(51));
    CHECK(http.api("chat.postMessage", fifty_one)["error"] == "invalid_blocks");
    // Form-encoded calls carry blocks as a JSON string.
    CHECK(http.post("/api/chat.postEphemeral", "channel=C1&user=U0ALICE&blocks=" + many_blocks(51),
                    "application/x-www-form-urlencoded")
              .body["error"] == "invalid_blocks");

    json long_section = base;
    long_section["blocks"] = json::array(
        {{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::string(3001, 'a')}}}}});
    CHECK(
        http.api("chat.update",
                 {{"channel", "C1"}, {"ts", "1.2"}, {"blocks", long_section["blocks"]}})["error"] ==
        "invalid_blocks");
    json at_limit = base;
    at_limit["blocks"] = json::array(
        {{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::string(3000, 'a')}}}}});
    CHECK(http.api("chat.postMessage", at_limit)["ok"] == true);

    CHECK(http.api("chat.postMessage",
                   {{"channel", "C1"}, {"text", std::string(40001, 'b')}})["error"] ==
          "msg_too_long");
    CHECK(http.api("chat.postMessage",
                   {{"channel", "C1"}, {"text", std::string(40000, 'b')}})["ok"] == true);

    json view{{"type", "home"}, {"blocks", json::parse(many_blocks(101))}};
    CHECK(http.api("views.publish", {{"user_id", "U0ALICE"}, {"view", view}})["error"] ==
          "invalid_arguments");
    view["blocks"] = json::parse(many_blocks(100));
    CHECK(http.api("views.publish", {{"user_id", "U0ALICE"}, {"view", view}})["ok"] == true);

    std::string url = server.issue_response_url();
    std::string path = url.substr(url.find("/response/"));
    auto too_many = http.post(path, json{{"blocks", json::parse(many_blocks(51))}}.dump());
    CHECK(too_many.body["error"] == "invalid_blocks");
}

TEST_CASE("response_url posts are recorded with their id") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    auto sent = server.send_slash_command({});
    json envelope = client.read_json();
    std::string url = envelope["payload"]["response_url"];
    CHECK(url == sent.response_url);
    std::string path = url.substr(url.find("/response/"));

    HttpClient http(server.port());
    auto res = http.post(path, json{{"text", "done"}, {"response_type", "ephemeral"}}.dump(),
                         "application/json", "");
    CHECK(res.status == 200);
    CHECK(res.body["ok"] == true);
    auto call = server.wait_for_call("response_url", wait_timeout);
    REQUIRE(call);
    CHECK(call->response_id == path.substr(std::string("/response/").size()));
    CHECK(call->args["text"] == "done");
    CHECK(http.post("/response/T0TEST/1/unknown", json{{"text", "x"}}.dump()).status == 404);
}

TEST_CASE("views.open needs a live trigger_id") {
    SlackTestServer::Options options;
    options.trigger_ttl = 3000ms;
    SlackTestServer server(options);
    server.start();
    HttpClient http(server.port());
    json view{{"type", "modal"},
              {"title", {{"type", "plain_text"}, {"text", "Brag"}}},
              {"blocks", json::array()}};
    CHECK(http.api("views.open", {{"trigger_id", "123.456.abc"}, {"view", view}})["error"] ==
          "invalid_trigger_id");
    json opened =
        http.api("views.open", {{"trigger_id", server.issue_trigger_id()}, {"view", view}});
    CHECK(opened["ok"] == true);
    std::string view_id = opened["view"]["id"];
    CHECK(http.api("views.update", {{"view_id", view_id}, {"view", view}})["view"]["id"] ==
          view_id);
}

TEST_CASE("file upload flow: get URL, POST bytes, complete") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    auto got = http.post("/api/files.getUploadURLExternal", "filename=brags.md&length=5",
                         "application/x-www-form-urlencoded");
    REQUIRE(got.body["ok"] == true);
    std::string upload_url = got.body["upload_url"];
    std::string file_id = got.body["file_id"];
    std::string path = upload_url.substr(upload_url.find("/upload/"));
    auto uploaded = http.post(path, "hello", "application/octet-stream", "");
    CHECK(uploaded.status == 200);
    auto upload_call = server.wait_for_call("file_upload", wait_timeout);
    REQUIRE(upload_call);
    CHECK(upload_call->args["content"] == "hello");
    CHECK(upload_call->response_id == file_id);
    json done = http.api("files.completeUploadExternal",
                         {{"files", json::array({{{"id", file_id}, {"title", "Brags"}}})},
                          {"channel_id", "D0ALICE"}});
    CHECK(done["ok"] == true);
    CHECK(done["files"][0]["id"] == file_id);
}

TEST_CASE("disconnect message is delivered as Slack sends it") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    REQUIRE(server.send_disconnect("refresh_requested"));
    auto text = client.read();
    REQUIRE(text);
    CHECK(*text == std::string(R"({"type":"disconnect","reason":"refresh_requested",)") +
                       R"("debug_info":{"host":"applink-test"}})");
    REQUIRE(server.send_raw("{not json"));
    CHECK(client.read() == "{not json");
}

TEST_CASE("drop_connection ends the TCP connection without a close frame") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    REQUIRE(server.drop_connection());
    CHECK_FALSE(client.read());
    CHECK(client.last_error != websocket::error::closed);
    CHECK(client.last_error != net::error::timed_out);
    REQUIRE(server.wait_for_connection_closed(0, wait_timeout));
    auto info = server.connections().at(0);
    CHECK(info.server_dropped);
    CHECK_FALSE(info.client_sent_close);
    CHECK_FALSE(server.drop_connection());  // nothing live any more
}

TEST_CASE("close frames are observed in both directions") {
    SlackTestServer server;
    server.start();
    WsClient first;
    connect_socket(server, first);
    CHECK_FALSE(first.close());
    REQUIRE(server.wait_for_connection_closed(0, wait_timeout));
    CHECK(server.connections().at(0).client_sent_close);
    CHECK(server.connections().at(0).close_code == 1000);

    WsClient second;
    connect_socket(server, second);
    REQUIRE(server.close_connection());
    CHECK_FALSE(second.read());
    CHECK(second.last_error == websocket::error::closed);
    REQUIRE(server.wait_for_connection_closed(1, wait_timeout));
    CHECK(server.connections().at(1).server_closed);
}

TEST_CASE("envelopes go to the newest live connection unless an index is given") {
    SlackTestServer server;
    server.start();
    WsClient old_socket;
    WsClient new_socket;
    connect_socket(server, old_socket);
    json hello = connect_socket(server, new_socket);
    CHECK(hello["num_connections"] == 2);

    std::string to_newest = server.send_event({{"type", "app_home_opened"}});
    CHECK(new_socket.read_json()["envelope_id"] == to_newest);
    std::string to_oldest = server.send_event({{"type", "app_home_opened"}}, "", 0, "", 0);
    CHECK(old_socket.read_json()["envelope_id"] == to_oldest);

    // Sent while nobody is connected: held, then delivered after the next hello.
    REQUIRE(server.drop_connection(1));
    REQUIRE(server.drop_connection(0));
    std::string held = server.send_event({{"type", "app_home_opened"}});
    WsClient third;
    connect_socket(server, third);
    CHECK(third.read_json()["envelope_id"] == held);
}

TEST_CASE("ping_now sends a websocket ping and the pong is counted") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    server.ping_now();
    // Beast answers pings while a read is pending; the raw frame after the ping ends the read.
    REQUIRE(server.wait_for_stats([](const auto& s) { return s.pings_sent >= 1; }, wait_timeout));
    REQUIRE(server.send_raw("after-ping"));
    CHECK(client.read() == "after-ping");
    CHECK(server.wait_for_stats([](const auto& s) { return s.pongs_received >= 1; }, wait_timeout));
}

TEST_CASE("with recording off, acks keep exact counts and latencies under load") {
    SlackTestServer::Options options;
    options.record_acks = false;
    options.record_calls = false;
    SlackTestServer server(options);
    server.start();
    WsClient client;
    connect_socket(server, client);

    constexpr int total = 2000;
    constexpr int window = 64;
    int sent = 0;
    int acked = 0;
    std::string last;
    while (acked < total) {
        while (sent < total && sent - acked < window) {
            last = server.send_event({{"type", "message"}, {"text", std::to_string(sent)}});
            ++sent;
        }
        json envelope = client.read_json();
        client.ack(envelope["envelope_id"]);
        ++acked;
    }
    REQUIRE(server.wait_for_ack_count(total, wait_timeout));
    CHECK(server.wait_for_no_outstanding(wait_timeout));
    CHECK(server.acks().empty());
    CHECK(server.ack_latencies().size() == total);
    CHECK(server.stats().envelopes_sent == total);
    CHECK(server.wait_for_ack(last, wait_timeout).has_value());
}

TEST_CASE("set_handler replaces a response and set_response_delay holds it back") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    server.set_handler("reactions.add", [](const careerbot::testing::ApiCall& call) {
        return json{{"ok", true}, {"echo", call.args["name"]}};
    });
    CHECK(http.api("reactions.add", {{"name", "tada"}})["echo"] == "tada");
    CHECK(http.api("reactions.add", {{"name", "tada"}}, "xoxb-wrong")["error"] == "invalid_auth");

    server.set_response_delay("auth.test", 50ms);
    auto start = std::chrono::steady_clock::now();
    CHECK(http.api("auth.test", json::object())["ok"] == true);
    CHECK(std::chrono::steady_clock::now() - start >= 50ms);
}

TEST_CASE("slash command envelopes are byte for byte the DOM's compact dump") {
    SlackTestServer::Options options;
    options.team_domain = "quote\"team";
    SlackTestServer server(options);
    server.start();
    WsClient client;
    connect_socket(server, client);

    careerbot::testing::SlashCommand command;
    command.channel_name = "back\\slash";
    command.team_id = "T0OTHER";
    for (std::string text :
         {std::string("shipped \"v2\"\n\ttab \x01 ctl \x7f del"),
          std::string("caf\xc3\xa9 \xf0\x9f\x9a\x80 and a bad byte \xff"), std::string()}) {
        command.text = text;
        auto sent = server.send_slash_command(command);
        auto wire = client.read();
        REQUIRE(wire);
        // The envelope as Slack's format is built with nlohmann (keys sorted, as dump() does).
        json expected{{"envelope_id", sent.envelope_id},
                      {"payload",
                       {{"token", "verification-token-test"},
                        {"team_id", "T0OTHER"},
                        {"team_domain", "quote\"team"},
                        {"channel_id", command.channel_id},
                        {"channel_name", command.channel_name},
                        {"user_id", command.user_id},
                        {"user_name", command.user_name},
                        {"command", command.command},
                        {"text", text},
                        {"api_app_id", "A0TEST"},
                        {"is_enterprise_install", "false"},
                        {"response_url", sent.response_url},
                        {"trigger_id", sent.trigger_id}}},
                      {"type", "slash_commands"},
                      {"accepts_response_payload", true}};
        CHECK(*wire == expected.dump(-1, ' ', false, json::error_handler_t::replace));
    }
}

TEST_CASE("send_slash_commands delivers each command as its own envelope, in order") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    std::vector<careerbot::testing::SlashCommand> commands(3);
    for (std::size_t i = 0; i < commands.size(); ++i) commands[i].text = std::to_string(i);
    auto sent = server.send_slash_commands(commands);
    REQUIRE(sent.size() == 3);
    for (std::size_t i = 0; i < sent.size(); ++i) {
        json envelope = client.read_json();
        CHECK(envelope["envelope_id"] == sent[i].envelope_id);
        CHECK(envelope["payload"]["text"] == std::to_string(i));
        CHECK(envelope["payload"]["trigger_id"] == sent[i].trigger_id);
        CHECK(envelope["payload"]["response_url"] == sent[i].response_url);
    }
    CHECK(sent[0].trigger_id != sent[1].trigger_id);
    CHECK(sent[0].response_url != sent[1].response_url);
    CHECK(server.stats().outstanding == 3);
}

TEST_CASE("acks are told from other messages the same way whether kept or only counted") {
    SlackTestServer::Options options;
    options.record_acks = GENERATE(true, false);
    INFO("record_acks " << options.record_acks);
    SlackTestServer server(options);
    server.start();
    WsClient client;
    connect_socket(server, client);
    std::string first = server.send_event({{"type", "app_home_opened"}});
    std::string second = server.send_event({{"type", "app_home_opened"}});
    client.read_json();
    client.read_json();

    // Only a top-level string envelope_id makes an ack; the last of repeated keys counts.
    json nested{{"payload", {{"envelope_id", "nested"}, {"blocks", json::array({1, 2})}}},
                {"envelope_id", first}};
    client.send(nested.dump());
    client.send(R"({"envelope_id":"not-this-one","envelope_id":")" + second + R"("})");
    client.send(R"({"envelope_id":42})");
    client.send(R"([{"envelope_id":")" + first + R"("}])");
    client.send(R"({"envelope_id":")" + first + R"(")");  // cut short
    client.send(R"({"payload":{"envelope_id":")" + first + R"("}})");
    client.send(json{{"envelope_id", first}}.dump());  // again
    std::string upper = first;
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    client.send(json{{"envelope_id", upper}}.dump());
    client.send(json{{"envelope_id", "nope"}}.dump());

    REQUIRE(server.wait_for_stats(
        [](const auto& s) {
            return s.acks + s.duplicate_acks + s.unknown_acks + s.other_client_messages == 9;
        },
        wait_timeout));
    auto stats = server.stats();
    CHECK(stats.acks == 2);
    CHECK(stats.duplicate_acks == 1);
    CHECK(stats.unknown_acks == 2);
    CHECK(stats.other_client_messages == 4);
    CHECK(stats.outstanding == 0);
    if (options.record_acks) {
        auto acks = server.acks();
        REQUIRE(acks.size() == 5);
        CHECK(acks[0].has_payload);
        CHECK(acks[0].payload["envelope_id"] == "nested");
        CHECK_FALSE(acks[1].has_payload);
    }
}

TEST_CASE("the ack listener sees every first ack and may send envelopes") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    auto counts = std::make_shared<std::vector<std::uint64_t>>();
    server.set_ack_listener([&server, counts](std::uint64_t acks) {
        counts->push_back(acks);  // the server thread is the only caller
        if (acks < 3) server.send_event({{"type", "app_home_opened"}});
    });
    server.send_event({{"type", "app_home_opened"}});
    for (int i = 0; i < 3; ++i) {
        std::string id = client.read_json()["envelope_id"];
        client.ack(id);
        if (i == 0) client.ack(id);  // a duplicate is not a first ack
    }
    client.ack("not-an-envelope");
    REQUIRE(server.wait_for_ack_count(3, wait_timeout));
    REQUIRE(server.wait_for_stats([](const auto& s) { return s.unknown_acks == 1; }, wait_timeout));
    server.set_ack_listener({});
    CHECK(*counts == std::vector<std::uint64_t>{1, 2, 3});
    CHECK(server.stats().duplicate_acks == 1);
    CHECK(server.stats().outstanding == 0);
}

TEST_CASE("ack count waiters each return once their own count is reached") {
    SlackTestServer server;
    server.start();
    WsClient client;
    connect_socket(server, client);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(server.send_event({{"type", "app_home_opened"}}));
    for (int i = 0; i < 3; ++i) client.read_json();

    // Catch2 assertions stay on this thread.
    std::atomic<bool> far_done{false};
    std::atomic<bool> near_done{false};
    std::thread far([&] { far_done = server.wait_for_ack_count(3, wait_timeout); });
    std::thread near([&] { near_done = server.wait_for_ack_count(1, wait_timeout); });
    client.ack(ids[0]);
    near.join();
    CHECK(near_done);
    CHECK_FALSE(far_done);
    client.ack(ids[1]);
    client.ack(ids[2]);
    far.join();
    CHECK(far_done);
    CHECK_FALSE(server.wait_for_ack_count(4, 10ms));
}

TEST_CASE("trigger ids and response URLs only work as issued") {
    SlackTestServer::Options options;
    options.trigger_ttl = 500ms;
    SlackTestServer server(options);
    server.start();
    HttpClient http(server.port());
    json view{{"type", "modal"},
              {"title", {{"type", "plain_text"}, {"text", "Brag"}}},
              {"blocks", json::array()}};

    std::string trigger = server.issue_trigger_id();
    std::string tampered = trigger;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    CHECK(http.api("views.open", {{"trigger_id", tampered}, {"view", view}})["error"] ==
          "invalid_trigger_id");
    CHECK(http.api("views.open", {{"trigger_id", trigger}, {"view", view}})["ok"] == true);
    std::this_thread::sleep_for(550ms);
    CHECK(http.api("views.open", {{"trigger_id", trigger}, {"view", view}})["error"] ==
          "expired_trigger_id");

    std::string url = server.issue_response_url();
    std::string path = url.substr(url.find("/response/"));
    std::string body = json{{"text", "done"}}.dump();
    CHECK(http.post(path, body, "application/json", "").status == 200);
    std::string bad = path;
    bad.back() = bad.back() == '0' ? '1' : '0';
    CHECK(http.post(bad, body, "application/json", "").status == 404);
    std::string next_number = path.substr(0, path.rfind('/'));
    next_number =
        next_number.substr(0, next_number.rfind('/') + 1) + "999" + path.substr(path.rfind('/'));
    CHECK(http.post(next_number, body, "application/json", "").status == 404);
}

namespace {

json section(const std::string& text) {
    return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", text}}}};
}

json button(const std::string& text, const std::string& action_id, const std::string& value = "v") {
    return {{"type", "button"},
            {"text", {{"type", "plain_text"}, {"text", text}}},
            {"action_id", action_id},
            {"value", value}};
}

/// The pointers Slack names in an invalid_blocks / invalid_arguments answer.
std::vector<std::string> pointers(const json& answer) {
    std::vector<std::string> out;
    for (const auto& m : answer["response_metadata"]["messages"]) {
        std::string line = m;
        auto at = line.find("[json-pointer:");
        if (at != std::string::npos) out.push_back(line.substr(at + 14, line.size() - at - 15));
    }
    return out;
}

}  // namespace

TEST_CASE("Block Kit rules are Slack's, refused with invalid_blocks and JSON pointers") {
    using careerbot::testing::check_message;
    auto refused = [](json blocks) {
        auto answer = check_message(json{{"text", "x"}, {"blocks", std::move(blocks)}});
        return answer ? *answer : json();
    };
    // Accepted at every limit.
    json ok_blocks =
        json::array({section(std::string(3000, 'a')),
                     {{"type", "header"},
                      {"text", {{"type", "plain_text"}, {"text", std::string(150, 'h')}}}}});
    json buttons = json::array();
    for (int i = 0; i < 25; ++i) {
        buttons.push_back(
            button(std::string(75, 'b'), "b" + std::to_string(i), std::string(2000, 'v')));
    }
    ok_blocks.push_back({{"type", "actions"}, {"elements", buttons}});
    CHECK_FALSE(check_message(json{{"blocks", ok_blocks}}));

    json answer = refused(json::array({section(std::string(3001, 'a'))}));
    CHECK(answer["error"] == "invalid_blocks");
    CHECK(answer["errors"][0] ==
          "must be less than 3001 characters [json-pointer:/blocks/0/text/text]");
    CHECK(answer["response_metadata"]["messages"][0] ==
          "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]");
    CHECK(pointers(refused(json::array({section("")}))) ==
          std::vector<std::string>{"/blocks/0/text/text"});

    json fields = json::array();
    for (int i = 0; i < 11; ++i) fields.push_back({{"type", "mrkdwn"}, {"text", "f"}});
    fields[3]["text"] = std::string(2001, 'f');
    CHECK(pointers(refused(json::array({{{"type", "section"}, {"fields", fields}}}))) ==
          std::vector<std::string>{"/blocks/0/fields", "/blocks/0/fields/3/text"});

    CHECK(pointers(refused(json::array(
              {{{"type", "header"}, {"text", {{"type", "mrkdwn"}, {"text", "x"}}}}}))) ==
          std::vector<std::string>{"/blocks/0/text/type"});

    // Duplicate action_ids in one block (issue 13 item 1) and duplicate block_ids.
    json dup =
        json::array({{{"type", "actions"},
                      {"elements", {button("◀ Newer", "page"), button("Older ▶", "page")}}}});
    CHECK(pointers(refused(dup)) == std::vector<std::string>{"/blocks/0/elements/1/action_id"});
    json same_id_other_blocks =
        json::array({{{"type", "actions"}, {"elements", {button("a", "go")}}},
                     {{"type", "actions"}, {"elements", {button("b", "go")}}}});
    CHECK_FALSE(check_message(json{{"blocks", same_id_other_blocks}}));
    json dup_blocks = json::array({section("a"), section("b")});
    dup_blocks[0]["block_id"] = "x";
    dup_blocks[1]["block_id"] = "x";
    CHECK(pointers(refused(dup_blocks)) == std::vector<std::string>{"/blocks/1/block_id"});

    json long_button =
        json::array({{{"type", "actions"},
                      {"elements", {button(std::string(76, 'b'), "a", std::string(2001, 'v'))}}}});
    long_button[0]["elements"][0]["url"] = "https://x/" + std::string(2991, 'u');
    CHECK(pointers(refused(long_button)) ==
          std::vector<std::string>{"/blocks/0/elements/0/text/text", "/blocks/0/elements/0/value",
                                   "/blocks/0/elements/0/url"});
    buttons.push_back(button("b", "b25"));
    CHECK(pointers(refused(json::array({{{"type", "actions"}, {"elements", buttons}}}))) ==
          std::vector<std::string>{"/blocks/0/elements"});

    json context = json::array();
    for (int i = 0; i < 11; ++i) context.push_back({{"type", "mrkdwn"}, {"text", "c"}});
    CHECK(pointers(refused(json::array({{{"type", "context"}, {"elements", context}}}))) ==
          std::vector<std::string>{"/blocks/0/elements"});

    json options = json::array();
    for (int i = 0; i < 101; ++i) {
        options.push_back(
            {{"text", {{"type", "plain_text"}, {"text", "o"}}}, {"value", std::to_string(i)}});
    }
    options[7]["text"]["text"] = std::string(76, 'o');
    json select{{"type", "static_select"}, {"action_id", "s"}, {"options", options}};
    CHECK(pointers(refused(json::array({{{"type", "actions"}, {"elements", {select}}}}))) ==
          std::vector<std::string>{"/blocks/0/elements/0/options",
                                   "/blocks/0/elements/0/options/7/text/text"});

    json fifty_one = json::array();
    for (int i = 0; i < 51; ++i) fifty_one.push_back(section("x"));
    CHECK(pointers(refused(fifty_one)) == std::vector<std::string>{"/blocks"});
}

TEST_CASE("view rules: title, submit and close 24, private_metadata 3000, callback_id 255") {
    using careerbot::testing::check_view;
    json input{{"type", "input"},
               {"label", {{"type", "plain_text"}, {"text", "What"}}},
               {"element", {{"type", "plain_text_input"}, {"action_id", "t"}}}};
    json view{{"type", "modal"},
              {"title", {{"type", "plain_text"}, {"text", std::string(24, 't')}}},
              {"submit", {{"type", "plain_text"}, {"text", std::string(24, 's')}}},
              {"close", {{"type", "plain_text"}, {"text", std::string(24, 'c')}}},
              {"private_metadata", std::string(3000, 'p')},
              {"callback_id", std::string(255, 'c')},
              {"blocks", {input}}};
    CHECK_FALSE(check_view(view));
    json bad = view;
    bad["title"]["text"] = std::string(25, 't');
    bad["submit"]["text"] = std::string(25, 's');
    bad["close"]["text"] = std::string(25, 'c');
    bad["private_metadata"] = std::string(3001, 'p');
    bad["callback_id"] = std::string(256, 'c');
    auto answer = check_view(bad);
    REQUIRE(answer);
    CHECK((*answer)["error"] == "invalid_arguments");
    CHECK(pointers(*answer) ==
          std::vector<std::string>{"/view/title/text", "/view/submit/text", "/view/close/text",
                                   "/view/private_metadata", "/view/callback_id"});
    json no_submit = view;
    no_submit.erase("submit");
    CHECK(check_view(no_submit));
    json home{{"type", "home"}, {"blocks", json::array()}};
    for (int i = 0; i < 100; ++i) home["blocks"].push_back(section("x"));
    CHECK_FALSE(check_view(home));
    home["blocks"].push_back(section("x"));
    CHECK(pointers(*check_view(home)) == std::vector<std::string>{"/view/blocks"});
}

TEST_CASE("a response_url takes 5 posts within its lifetime, then used_url or expired_url") {
    SlackTestServer::Options options;
    options.response_url_ttl = 300ms;
    SlackTestServer server(options);
    server.start();
    HttpClient http(server.port());
    std::string url = server.issue_response_url();
    std::string path = url.substr(url.find("/response/"));
    std::string body = json{{"text", "page"}}.dump();
    for (int i = 0; i < 5; ++i) CHECK(http.post(path, body).body["ok"] == true);
    auto sixth = http.post(path, body);
    CHECK(sixth.status == 404);
    CHECK(sixth.body["error"] == "used_url");
    // A refused post does not use the URL up.
    std::string other = server.issue_response_url();
    std::string other_path = other.substr(other.find("/response/"));
    CHECK(http.post(other_path, json{{"blocks", {section("")}}}.dump()).body["error"] ==
          "invalid_blocks");
    std::this_thread::sleep_for(350ms);
    CHECK(http.post(other_path, body).body["error"] == "expired_url");
}

TEST_CASE("a trigger_id opens one view") {
    SlackTestServer server;
    server.start();
    HttpClient http(server.port());
    json view{{"type", "modal"},
              {"title", {{"type", "plain_text"}, {"text", "Brag"}}},
              {"blocks", json::array()}};
    std::string trigger = server.issue_trigger_id();
    json too_long = view;
    too_long["title"]["text"] = std::string(25, 'x');
    // A refused view leaves the trigger usable.
    CHECK(http.api("views.open", {{"trigger_id", trigger}, {"view", too_long}})["error"] ==
          "invalid_arguments");
    CHECK(http.api("views.open", {{"trigger_id", trigger}, {"view", view}})["ok"] == true);
    CHECK(http.api("views.open", {{"trigger_id", trigger}, {"view", view}})["error"] ==
          "exchanged_trigger_id");
}
