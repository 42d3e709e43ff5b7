// WebApi against a scripted fake HttpClient (no network), and CurlHttpClient against a tiny
// HTTP server on 127.0.0.1.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include <spdlog/sinks/ringbuffer_sink.h>
#include <catch2/catch.hpp>

#include "fake_slack_http.hpp"
#include "src/core/logging.hpp"
#include "src/slack/slack_lookup.hpp"
#include "src/slack/web_api.hpp"

using namespace careerbot;
using namespace careerbot::slack;
using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

// Not shaped like a Slack token, so the logging redaction filter would not hide it: the test
// checks that the client never logs it at all.
const std::string test_token = "test-bot-secret-4711";
const std::string api_base = "https://slack.test/api/";

/// The scripted Slack of fake_slack_http.hpp, answering {"ok":true} when not scripted.
using FakeSlack = careerbot::testing::FakeSlackHttp;

HttpResponse slack_json(json body, long status = 200) { return {status, body.dump(), {}, ""}; }

HttpResponse rate_limited(const std::string& seconds) {
    return {429, R"({"ok":false,"error":"ratelimited"})", {{"retry-after", seconds}}, ""};
}

WebApiOptions options(int max_attempts = 5) {
    WebApiOptions o;
    o.base_url = api_base;
    o.bot_token = test_token;
    o.max_attempts_on_error = max_attempts;
    o.retry_base_delay = 10ms;
    return o;
}

/// Captures every log line written while it lives.
class LogCapture {
  public:
    LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(200)) {
        add_sink(sink_);
    }
    ~LogCapture() { remove_sink(sink_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;
    std::vector<std::string> lines() { return sink_->last_formatted(); }
    bool any_contains(const std::string& a, const std::string& b = "") {
        for (const auto& l : lines()) {
            if (l.find(a) != std::string::npos && l.find(b) != std::string::npos) return true;
        }
        return false;
    }

  private:
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

double seconds_since(SteadyClock::time_point t) {
    return std::chrono::duration<double>(SteadyClock::now() - t).count();
}

}  // namespace

TEST_CASE("call posts JSON with the bearer token to base_url + method", "[web_api]") {
    FakeSlack slack;
    slack.script("chat.postMessage", slack_json({{"ok", true}, {"ts", "1.2"}}));
    WebApi api(options(), slack.factory(), 1);

    ApiResult r = api.call("chat.postMessage", {{"channel", "C1"}, {"text", "héllo"}});
    CHECK(r.ok);
    CHECK(r.body["ts"] == "1.2");
    auto sent = slack.requests("chat.postMessage");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].url == "https://slack.test/api/chat.postMessage");
    CHECK(sent[0].content_type == "application/json; charset=utf-8");
    CHECK(sent[0].has_header_with("Authorization: Bearer " + test_token));
    // Every message carries a key of its own (see "looked for before it is sent again").
    json args = sent[0].args();
    CHECK(args["metadata"]["event_type"] == "careerbot_message");
    args.erase("metadata");
    CHECK(args == json{{"channel", "C1"}, {"text", "héllo"}});

    SECTION("a token argument overrides the bot token") {
        api.call("apps.connections.open", json::object(), "xapp-1-app");
        auto open = slack.requests("apps.connections.open");
        REQUIRE(open.size() == 1);
        CHECK(open[0].has_header_with("Authorization: Bearer xapp-1-app"));
        CHECK_FALSE(open[0].has_header_with(test_token));
    }
}

TEST_CASE("call_form posts form-encoded arguments with the bearer token", "[web_api]") {
    FakeSlack slack;
    slack.script("conversations.history", slack_json({{"ok", true}, {"messages", json::array()}}));
    WebApi api(options(), slack.factory(), 1);

    ApiResult r = api.call_form("conversations.history", {{"channel", "C1"},
                                                          {"latest", "1700000000.000100"},
                                                          {"inclusive", "true"},
                                                          {"query", "a b&c=d/é"}});
    CHECK(r.ok);
    CHECK(r.body["messages"] == json::array());
    auto sent = slack.requests("conversations.history");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].url == "https://slack.test/api/conversations.history");
    CHECK(sent[0].content_type == "application/x-www-form-urlencoded");
    CHECK(sent[0].has_header_with("Authorization: Bearer " + test_token));
    // Keys in sorted order; everything outside [A-Za-z0-9-_.~] percent-encoded as UTF-8.
    CHECK(sent[0].body ==
          "channel=C1&inclusive=true&latest=1700000000.000100"
          "&query=a%20b%26c%3Dd%2F%C3%A9");

    SECTION("a 429 is waited out and retried like a JSON call") {
        slack.script("users.info", rate_limited("0.2"));
        auto start = SteadyClock::now();
        ApiResult u = api.call_form("users.info", {{"user", "U1"}});
        CHECK(u.ok);
        CHECK(seconds_since(start) >= 0.19);
        auto info = slack.requests("users.info");
        REQUIRE(info.size() == 2);
        CHECK(info[1].body == "user=U1");
    }

    SECTION("call_form_async queues the same request and runs the callback") {
        std::atomic<bool> ok{false};
        api.call_form_async("users.info", {{"user", "U2"}},
                            [&](const ApiResult& res) { ok = res.ok; });
        REQUIRE(api.drain(3s));
        CHECK(ok);
        auto info = slack.requests("users.info");
        REQUIRE(info.size() == 1);
        CHECK(info[0].content_type == "application/x-www-form-urlencoded");
        CHECK(info[0].body == "user=U2");
    }
}

TEST_CASE("SlackLookup reads permalinks, messages and users with form-encoded calls", "[web_api]") {
    FakeSlack slack;
    WebApi api(options(), slack.factory(), 1);
    SlackLookup lookup(api);

    SECTION("permalink") {
        slack.script("chat.getPermalink",
                     slack_json({{"ok", true}, {"permalink", "https://x.slack.com/p1"}}));
        CHECK(lookup.permalink("C1", "1.5") ==
              std::optional<std::string>("https://x.slack.com/p1"));
        auto sent = slack.requests("chat.getPermalink");
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].content_type == "application/x-www-form-urlencoded");
        CHECK(sent[0].body == "channel=C1&message_ts=1.5");
        slack.script("chat.getPermalink",
                     slack_json({{"ok", false}, {"error", "channel_not_found"}}));
        CHECK_FALSE(lookup.permalink("C1", "1.5"));
    }

    SECTION("a channel message comes from conversations.history") {
        slack.script("conversations.history", slack_json({{"ok", true},
                                                          {"messages",
                                                           {{{"ts", "1.5"},
                                                             {"text", "great job <@U2>"},
                                                             {"user", "U1"},
                                                             {"files", {{{"id", "F1"}}}}}}}}));
        auto m = lookup.message("C1", "1.5");
        REQUIRE(m);
        CHECK(m->text == "great job <@U2>");
        CHECK(m->user_id == "U1");
        CHECK(m->bot_id.empty());
        CHECK(m->ts == "1.5");
        CHECK(m->has_files);
        auto sent = slack.requests("conversations.history");
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].body == "channel=C1&inclusive=true&latest=1.5&limit=1&oldest=1.5");
        CHECK(slack.requests("conversations.replies").empty());
    }

    SECTION("a threaded reply falls back to conversations.replies") {
        slack.script("conversations.history",
                     slack_json({{"ok", true}, {"messages", json::array()}}));
        slack.script("conversations.replies",
                     slack_json({{"ok", true},
                                 {"messages",
                                  {{{"ts", "1.7"},
                                    {"text", "deploy done"},
                                    {"bot_id", "B9"},
                                    {"subtype", "bot_message"},
                                    {"attachments", {{{"text", "x"}}}}}}}}));
        auto m = lookup.message("C1", "1.7");
        REQUIRE(m);
        CHECK(m->bot_id == "B9");
        CHECK(m->subtype == "bot_message");
        CHECK(m->user_id.empty());
        CHECK(m->has_files);
        auto sent = slack.requests("conversations.replies");
        REQUIRE(sent.size() == 1);
        CHECK(sent[0].content_type == "application/x-www-form-urlencoded");
        CHECK(sent[0].body == "channel=C1&inclusive=true&latest=1.7&limit=2&oldest=1.7&ts=1.7");
    }

    SECTION("a threaded reply is found after the parent Slack puts first") {
        slack.script("conversations.history",
                     slack_json({{"ok", true}, {"messages", json::array()}}));
        slack.script("conversations.replies",
                     slack_json({{"ok", true},
                                 {"messages",
                                  {{{"ts", "1.1"}, {"text", "parent"}, {"user", "U1"}},
                                   {{"ts", "1.7"}, {"text", "the reply"}, {"user", "U2"}}}}}));
        auto m = lookup.message("C1", "1.7");
        REQUIRE(m);
        CHECK(m->text == "the reply");
        CHECK(m->user_id == "U2");
    }

    SECTION("a message found nowhere is nothing") {
        slack.script(
            "conversations.history",
            slack_json({{"ok", true}, {"messages", {{{"ts", "1.4"}, {"text", "other"}}}}}));
        slack.script("conversations.replies",
                     slack_json({{"ok", false}, {"error", "thread_not_found"}}));
        CHECK_FALSE(lookup.message("C1", "1.5"));
    }

    SECTION("user prefers the display name and keeps tz and is_bot") {
        slack.script("users.info", slack_json({{"ok", true},
                                               {"user",
                                                {{"id", "U1"},
                                                 {"name", "alice"},
                                                 {"real_name", "Alice Liddell"},
                                                 {"tz", "Europe/Paris"},
                                                 {"is_bot", false},
                                                 {"profile", {{"display_name", "Ali"}}}}}}));
        auto u = lookup.user("U1");
        REQUIRE(u);
        CHECK(u->id == "U1");
        CHECK(u->name == "Ali");
        CHECK(u->real_name == "Alice Liddell");
        CHECK(u->tz == "Europe/Paris");
        CHECK_FALSE(u->is_bot);
        CHECK(slack.requests("users.info")[0].body == "user=U1");

        slack.script(
            "users.info",
            slack_json({{"ok", true},
                        {"user",
                         {{"id", "U2"},
                          {"name", "deploybot"},
                          {"is_bot", true},
                          {"profile", {{"display_name", ""}, {"real_name", "Deploy"}}}}}}));
        auto b = lookup.user("U2");
        REQUIRE(b);
        CHECK(b->name == "deploybot");
        CHECK(b->real_name == "Deploy");
        CHECK(b->is_bot);

        slack.script("users.info", slack_json({{"ok", false}, {"error", "user_not_found"}}));
        CHECK_FALSE(lookup.user("U3"));
    }
}

TEST_CASE("ok:false is logged with the method and error, never the token or the args",
          "[web_api]") {
    LogCapture logs;
    FakeSlack slack;
    slack.script("chat.postMessage", slack_json({{"ok", false}, {"error", "channel_not_found"}}));
    WebApi api(options(), slack.factory(), 1);

    std::atomic<bool> called{false};
    std::string error;
    api.call_async("chat.postMessage", {{"channel", "C404"}, {"text", "private brag text"}},
                   [&](const ApiResult& r) {
                       error = r.error;
                       called = true;
                   });
    REQUIRE(api.drain(2s));
    CHECK(called);
    CHECK(error == "channel_not_found");
    CHECK(logs.any_contains("chat.postMessage", "channel_not_found"));
    for (const auto& line : logs.lines()) {
        CHECK(line.find(test_token) == std::string::npos);
        CHECK(line.find("private brag text") == std::string::npos);
        CHECK(line.find("Authorization") == std::string::npos);
    }
}

TEST_CASE("ok:false logs Slack's errors and response_metadata messages with the method",
          "[web_api]") {
    LogCapture logs;
    FakeSlack slack;
    // The shape Slack answers an invalid block with.
    slack.script(
        "chat.postMessage",
        slack_json(
            {{"ok", false},
             {"error", "invalid_blocks"},
             {"errors", {"must be less than 3001 characters [json-pointer:/blocks/2/text/text]"}},
             {"response_metadata",
              {{"messages",
                {"[ERROR] must be less than 3001 characters "
                 "[json-pointer:/blocks/2/text/text]"}}}}}));
    slack.script("views.open", slack_json({{"ok", false},
                                           {"error", "invalid_arguments"},
                                           {"response_metadata",
                                            {{"messages",
                                              {"[ERROR] must be less than 25 characters "
                                               "[json-pointer:/view/title/text]"}}}}}));
    WebApi api(options(), slack.factory(), 1);
    auto posted = api.call("chat.postMessage", {{"channel", "C1"}, {"text", "secret brag"}});
    CHECK(posted.error == "invalid_blocks");
    auto opened = api.call("views.open", {{"trigger_id", "1.2.x"}, {"view", {{"type", "modal"}}}});
    CHECK(opened.error == "invalid_arguments");
    CHECK(logs.any_contains("chat.postMessage failed: invalid_blocks",
                            "[json-pointer:/blocks/2/text/text]"));
    CHECK(logs.any_contains("chat.postMessage", "[ERROR] must be less than 3001 characters"));
    CHECK(logs.any_contains(
        "views.open failed: invalid_arguments",
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"));
    for (const auto& line : logs.lines()) CHECK(line.find("secret brag") == std::string::npos);
}

TEST_CASE("a 429 pauses only its method; the call is retried once after Retry-After", "[web_api]") {
    FakeSlack slack;
    slack.script("chat.postMessage", rate_limited("1"));
    // One worker: the other method must still get through while chat.postMessage waits.
    WebApi api(options(), slack.factory(), 1);

    auto start = SteadyClock::now();
    std::atomic<int> post_done{0};
    std::atomic<bool> post_ok{false};
    std::atomic<double> post_at{0};
    std::atomic<double> users_at{0};
    api.call_async("chat.postMessage", {{"channel", "C1"}, {"text", "hi"}},
                   [&](const ApiResult& r) {
                       post_ok = r.ok;
                       post_at = seconds_since(start);
                       ++post_done;
                   });
    // Give the first attempt time to be answered 429 before the other method is queued.
    while (slack.requests("chat.postMessage").empty()) std::this_thread::sleep_for(1ms);
    api.call_async("users.info", {{"user", "U1"}},
                   [&](const ApiResult&) { users_at = seconds_since(start); });

    REQUIRE(api.drain(3s));
    CHECK(post_done == 1);
    CHECK(post_ok);
    CHECK(slack.requests("chat.postMessage").size() == 2);  // the 429, then exactly one retry
    CHECK(slack.requests("users.info").size() == 1);
    CHECK(users_at.load() < 0.5);
    CHECK(post_at.load() >= 0.95);
    CHECK(post_at.load() > users_at.load());
}

TEST_CASE("a 429 also pauses synchronous calls of that method", "[web_api]") {
    FakeSlack slack;
    slack.script("views.publish", rate_limited("0.2"));
    WebApi api(options(), slack.factory(), 1);
    auto start = SteadyClock::now();
    ApiResult r = api.call("views.publish", {{"user_id", "U1"}});
    CHECK(r.ok);
    CHECK(seconds_since(start) >= 0.19);
    CHECK(slack.requests("views.publish").size() == 2);
}

TEST_CASE("transport errors and 5xx are retried with backoff, then given up with a log",
          "[web_api]") {
    LogCapture logs;
    FakeSlack slack;
    WebApi api(options(3), slack.factory(), 1);

    SECTION("a 503 then success delivers the call") {
        slack.script("chat.postMessage", HttpResponse{503, "busy", {}, ""});
        CHECK(api.call("chat.postMessage", {{"channel", "C1"}}).ok);
        CHECK(slack.requests("chat.postMessage").size() == 2);
    }
    SECTION("an endless transport error is given up after max_attempts_on_error") {
        for (int i = 0; i < 3; ++i) {
            slack.script("chat.postMessage", HttpResponse{0, "", {}, "Could not resolve host"});
        }
        std::string error;
        api.call_async("chat.postMessage", {{"channel", "C1"}},
                       [&](const ApiResult& r) { error = r.error; });
        REQUIRE(api.drain(2s));
        CHECK(error == "Could not resolve host");
        CHECK(slack.requests("chat.postMessage").size() == 3);
        CHECK(logs.any_contains("chat.postMessage failed after 3 attempts",
                                "Could not resolve host"));
    }
}

TEST_CASE("drain waits for queued calls and pending counts them", "[web_api]") {
    FakeSlack slack;
    slack.latency = 30ms;
    WebApi api(options(), slack.factory(), 2);
    std::atomic<int> done{0};
    for (int i = 0; i < 6; ++i) {
        api.call_async("chat.postMessage", {{"n", i}}, [&](const ApiResult&) { ++done; });
    }
    CHECK(api.pending() > 0);
    CHECK(api.drain(2s));
    CHECK(done == 6);
    CHECK(api.pending() == 0);
}

TEST_CASE("drain gives up at its deadline and shutdown does not wait out a Retry-After",
          "[web_api]") {
    FakeSlack slack;
    slack.script("chat.postMessage", rate_limited("30"));
    slack.script("views.open", rate_limited("30"));
    auto api = std::make_unique<WebApi>(options(), slack.factory(), 2);
    api->call_async("chat.postMessage", {{"channel", "C1"}});
    // A blocking call made from a worker (as uploads are) sleeps on its Retry-After.
    WebApi* raw = api.get();
    std::string sync_error;
    api->call_async("users.info", {}, [raw, &sync_error](const ApiResult&) {
        sync_error = raw->call("views.open", {{"trigger_id", "t"}}).error;
    });

    auto start = SteadyClock::now();
    CHECK_FALSE(api->drain(300ms));
    CHECK(api->pending() >= 1);
    api.reset();
    CHECK(seconds_since(start) < 1.5);
    CHECK(sync_error == "shutting_down");
    CHECK(slack.requests("chat.postMessage").size() == 1);
}

TEST_CASE("response_url posts carry no token and accept plain-text and JSON answers", "[web_api]") {
    FakeSlack slack;
    WebApi api(options(), slack.factory(), 1);
    std::vector<ApiResult> results(3);
    slack.script("response_url", HttpResponse{200, "ok", {{"content-type", "text/plain"}}, ""});
    slack.script("response_url", HttpResponse{404, "expired_url", {}, ""});
    slack.script("response_url", slack_json({{"ok", false}, {"error", "no_text"}}));
    // One worker and a chain, so the scripted answers meet the posts in order.
    api.post_response_url_async("https://hooks.test/r/1", {{"text", "a"}}, [&](const ApiResult& a) {
        results[0] = a;
        api.post_response_url_async(
            "https://hooks.test/r/1", {{"text", "b"}}, [&](const ApiResult& b) {
                results[1] = b;
                api.post_response_url_async("https://hooks.test/r/1", json::object(),
                                            [&](const ApiResult& c) { results[2] = c; });
            });
    });
    REQUIRE(api.drain(2s));
    CHECK(results[0].ok);
    CHECK_FALSE(results[1].ok);
    CHECK(results[1].error == "expired_url");
    CHECK_FALSE(results[2].ok);
    CHECK(results[2].error == "no_text");
    auto posts = slack.requests("response_url");
    REQUIRE(posts.size() == 3);
    CHECK(posts[0].content_type == "application/json; charset=utf-8");
    CHECK(posts[0].args() == json{{"text", "a"}});
    CHECK_FALSE(posts[0].has_header_with("Authorization"));
}

TEST_CASE("upload_file reserves form-encoded, uploads the bytes, then completes into the channel",
          "[web_api]") {
    FakeSlack slack;
    slack.script(
        "files.getUploadURLExternal",
        slack_json(
            {{"ok", true}, {"upload_url", "https://files.test/upload/v1/F1"}, {"file_id", "F1"}}));
    WebApi api(options(), slack.factory(), 1);
    FileOut file{"brags 2026.md", "Brag document", "# Brags\n"};

    ApiResult r = api.upload_file(file, "D1", "Your export");
    CHECK(r.ok);
    auto all = slack.requests();
    REQUIRE(all.size() == 3);
    CHECK(all[0].method == "files.getUploadURLExternal");
    CHECK(all[0].content_type == "application/x-www-form-urlencoded");
    CHECK(all[0].body == "filename=brags%202026.md&length=8");
    CHECK(all[0].has_header_with("Authorization: Bearer " + test_token));
    CHECK(all[1].url == "https://files.test/upload/v1/F1");
    CHECK(all[1].body == "# Brags\n");
    CHECK_FALSE(all[1].has_header_with(test_token));
    CHECK(all[2].method == "files.completeUploadExternal");
    CHECK(all[2].args() == json{{"files", {{{"id", "F1"}, {"title", "Brag document"}}}},
                                {"channel_id", "D1"},
                                {"initial_comment", "Your export"}});

    SECTION("a failed reservation stops the flow") {
        slack.script("files.getUploadURLExternal",
                     slack_json({{"ok", false}, {"error", "invalid_arguments"}}));
        ApiResult failed = api.upload_file(file, "D1");
        CHECK(failed.error == "invalid_arguments");
        CHECK(slack.requests().size() == 4);
    }
}

// ---- CurlHttpClient against a real socket ---------------------------------------------------

namespace {

/// Sets or unsets environment variables for one test and restores them afterwards.
class EnvGuard {
  public:
    void set(const std::string& name, const std::optional<std::string>& value) {
        if (!saved_.contains(name)) {
            const char* old = std::getenv(name.c_str());
            saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
        }
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
    void clear_proxies() {
        for (const char* n : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                              "ALL_PROXY", "no_proxy", "NO_PROXY"}) {
            set(n, std::nullopt);
        }
    }
    ~EnvGuard() {
        for (const auto& [name, value] : saved_) {
            if (value) {
                ::setenv(name.c_str(), value->c_str(), 1);
            } else {
                ::unsetenv(name.c_str());
            }
        }
    }

  private:
    std::map<std::string, std::optional<std::string>> saved_;
};

/// An HTTP/1.1 server on 127.0.0.1 answering every request with one canned response; it
/// records request heads and bodies and counts connections (to see keep-alive).
class TinyHttpServer {
  public:
    explicit TinyHttpServer(std::string response) : response_(std::move(response)) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
        REQUIRE(::listen(fd_, 4) == 0);
        socklen_t len = sizeof addr;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
        port_ = ntohs(addr.sin_port);
        thread_ = std::thread([this] { serve(); });
    }
    ~TinyHttpServer() {
        ::shutdown(fd_, SHUT_RDWR);
        thread_.join();
        ::close(fd_);
    }
    TinyHttpServer(const TinyHttpServer&) = delete;
    TinyHttpServer& operator=(const TinyHttpServer&) = delete;

    std::string url(const std::string& path) const {
        return "http://127.0.0.1:" + std::to_string(port_) + path;
    }
    int port() const { return port_; }
    std::vector<std::string> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }
    int connections() const { return connections_; }

  private:
    void serve() {
        while (true) {
            int client = ::accept(fd_, nullptr, nullptr);
            if (client < 0) return;
            ++connections_;
            std::string buffer;
            while (read_request(client, buffer)) {
                ::send(client, response_.data(), response_.size(), MSG_NOSIGNAL);
            }
            ::close(client);
        }
    }
    bool read_request(int client, std::string& buffer) {
        auto fill = [&] {
            char chunk[4096];
            auto n = ::recv(client, chunk, sizeof chunk, 0);
            if (n <= 0) return false;
            buffer.append(chunk, static_cast<std::size_t>(n));
            return true;
        };
        std::size_t end;
        while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
            if (!fill()) return false;
        }
        std::string head = buffer.substr(0, end + 4);
        std::size_t length = 0;
        auto cl = head.find("Content-Length: ");
        if (cl != std::string::npos) length = std::stoul(head.substr(cl + 16));
        while (buffer.size() < end + 4 + length) {
            if (!fill()) return false;
        }
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(buffer.substr(0, end + 4 + length));
        }
        buffer.erase(0, end + 4 + length);
        return true;
    }

    std::string response_;
    int fd_ = -1;
    int port_ = 0;
    std::thread thread_;
    std::mutex mutex_;
    std::vector<std::string> requests_;
    std::atomic<int> connections_{0};
};

}  // namespace

TEST_CASE("the curl client posts over plain http, keeps the connection and lower-cases headers",
          "[web_api]") {
    EnvGuard env;
    env.clear_proxies();
    const std::string body = R"({"ok":false,"error":"ratelimited"})";
    TinyHttpServer server(
        "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 7\r\nX-Slack-Req-Id: abc\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    {
        auto http = make_curl_http_client();
        HttpResponse r =
            http->post(server.url("/api/chat.postMessage"), "application/json; charset=utf-8",
                       R"({"text":"hi"})", {"Authorization: Bearer " + test_token});
        CHECK(r.error.empty());
        CHECK(r.status == 429);
        CHECK(r.headers["retry-after"] == "7");
        CHECK(r.headers["x-slack-req-id"] == "abc");
        CHECK(json::parse(r.body)["error"] == "ratelimited");
        HttpResponse again = http->post(server.url("/api/users.info"), "text/plain", "x", {});
        CHECK(again.status == 429);
    }
    auto seen = server.requests();
    REQUIRE(seen.size() == 2);
    CHECK(seen[0].starts_with("POST /api/chat.postMessage HTTP/1.1\r\n"));
    CHECK(seen[0].find("Authorization: Bearer " + test_token) != std::string::npos);
    CHECK(seen[0].find("Content-Type: application/json; charset=utf-8") != std::string::npos);
    CHECK(seen[0].ends_with("\r\n\r\n{\"text\":\"hi\"}"));
    CHECK(server.connections() == 1);  // keep-alive: both requests on one connection
}

TEST_CASE("the curl client reports transport errors without a status", "[web_api]") {
    EnvGuard env;
    env.clear_proxies();
    int port = 0;
    {
        TinyHttpServer closed("");
        port = closed.port();
    }
    auto http = make_curl_http_client();
    HttpResponse r = http->post("http://127.0.0.1:" + std::to_string(port) + "/api/x",
                                "application/json", "{}", {});
    CHECK(r.status == 0);
    CHECK_FALSE(r.error.empty());
}

TEST_CASE("the curl client takes its proxy from HTTPS_PROXY", "[web_api]") {
    // The "proxy" refuses the CONNECT; what matters is that curl asked it instead of resolving
    // slack.invalid itself.
    EnvGuard env;
    env.clear_proxies();
    TinyHttpServer proxy("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
    env.set("HTTPS_PROXY", "http://127.0.0.1:" + std::to_string(proxy.port()));
    auto http = make_curl_http_client();
    HttpResponse r = http->post("https://slack.invalid/api/auth.test", "application/json", "{}",
                                {"Authorization: Bearer " + test_token});
    CHECK(r.status == 0);
    auto seen = proxy.requests();
    REQUIRE_FALSE(seen.empty());
    CHECK(seen[0].starts_with("CONNECT slack.invalid:443 HTTP/1.1"));
    // TLS is tunnelled: the proxy never sees the token.
    CHECK(seen[0].find(test_token) == std::string::npos);
}

TEST_CASE("a message that failed ambiguously is looked for before it is sent again",
          "[web_api][reliability]") {
    LogCapture logs;
    FakeSlack slack;
    WebApi api(options(5), slack.factory(), 1);
    const json args{
        {"channel", "D1"},
        {"text", "hello"},
        {"metadata", {{"event_type", "careerbot_message"}, {"event_payload", {{"key", "k-1"}}}}}};

    SECTION("Slack posted it before the 500: found in history, not posted twice") {
        slack.script("chat.postMessage", HttpResponse{500, "oops", {}, ""});
        slack.script(
            "conversations.history",
            slack_json({{"ok", true},
                        {"messages", json::array({{{"ts", "17.000100"},
                                                   {"text", "hello"},
                                                   {"metadata",
                                                    {{"event_type", "careerbot_message"},
                                                     {"event_payload", {{"key", "k-1"}}}}}}})}}));
        auto r = api.call("chat.postMessage", args);
        CHECK(r.ok);
        CHECK(r.body.value("ts", "") == "17.000100");
        CHECK(slack.requests("chat.postMessage").size() == 1);
        auto history = slack.requests("conversations.history");
        REQUIRE(history.size() == 1);
        CHECK(history[0].body.find("include_all_metadata=true") != std::string::npos);
        CHECK(history[0].body.find("channel=D1") != std::string::npos);
    }
    SECTION("the connection dropped before Slack took it: not in history, sent again once") {
        slack.script("chat.postMessage", HttpResponse{0, "", {}, "Connection reset by peer"});
        slack.script("conversations.history",
                     slack_json({{"ok", true}, {"messages", json::array()}}));
        bool ok = false;
        api.call_async("chat.postMessage", args, [&](const ApiResult& r) { ok = r.ok; });
        REQUIRE(api.drain(2s));
        CHECK(ok);
        CHECK(slack.requests("chat.postMessage").size() == 2);
        CHECK(slack.requests("conversations.history").size() == 1);
    }
    SECTION("internal_error is such a failure too") {
        slack.script("chat.postMessage", slack_json({{"ok", false}, {"error", "internal_error"}}));
        slack.script("conversations.history",
                     slack_json({{"ok", true}, {"messages", json::array()}}));
        CHECK(api.call("chat.postMessage", args).ok);
        CHECK(slack.requests("chat.postMessage").size() == 2);
    }
    SECTION("every chat.postMessage gets a key of its own") {
        CHECK(api.call("chat.postMessage", {{"channel", "D1"}, {"text", "a"}}).ok);
        CHECK(api.call("chat.postMessage", {{"channel", "D1"}, {"text", "b"}}).ok);
        auto sent = slack.requests("chat.postMessage");
        REQUIRE(sent.size() == 2);
        auto k1 = sent[0].args().value("/metadata/event_payload/key"_json_pointer, std::string());
        auto k2 = sent[1].args().value("/metadata/event_payload/key"_json_pointer, std::string());
        CHECK_FALSE(k1.empty());
        CHECK(k1 != k2);
    }
}

TEST_CASE("transient ok:false errors are retried; a file share is never repeated blindly",
          "[web_api][reliability]") {
    LogCapture logs;
    FakeSlack slack;
    WebApi api(options(5), slack.factory(), 1);
    SECTION("service_unavailable, then fine") {
        slack.script("users.info", slack_json({{"ok", false}, {"error", "service_unavailable"}}));
        slack.script("users.info", slack_json({{"ok", false}, {"error", "fatal_error"}}));
        CHECK(api.call_form("users.info", {{"user", "U1"}}).ok);
        CHECK(slack.requests("users.info").size() == 3);
    }
    SECTION("ratelimited in an ok:false body waits and retries like a 429") {
        slack.script(
            "users.info",
            HttpResponse{
                200, R"({"ok":false,"error":"ratelimited"})", {{"retry-after", "0.05"}}, ""});
        CHECK(api.call_form("users.info", {{"user", "U1"}}).ok);
        CHECK(slack.requests("users.info").size() == 2);
    }
    SECTION("files.completeUploadExternal after a 502 is given up, not shared twice") {
        slack.script("files.completeUploadExternal", HttpResponse{502, "bad gateway", {}, ""});
        auto r = api.call("files.completeUploadExternal", {{"files", json::array()}});
        CHECK_FALSE(r.ok);
        CHECK(slack.requests("files.completeUploadExternal").size() == 1);
        CHECK(logs.any_contains("files.completeUploadExternal", "not repeated"));
    }
}

TEST_CASE("post_once goes on a connection of its own, so curl never repeats it by itself",
          "[web_api][reliability]") {
    EnvGuard env;
    env.clear_proxies();
    const std::string body = R"({"ok":true})";
    TinyHttpServer server("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body);
    {
        // (The server takes one connection at a time, so the one-off goes first.)
        auto http = make_curl_http_client();
        CHECK(http->post_once(server.url("/api/chat.postMessage"), "text/plain", "b", {}).status ==
              200);
        CHECK(http->post(server.url("/api/users.info"), "text/plain", "a", {}).status == 200);
        CHECK(http->post(server.url("/api/users.info"), "text/plain", "c", {}).status == 200);
    }
    CHECK(server.requests().size() == 3);
    CHECK(server.connections() == 2);  // its own connection, closed after it; then keep-alive
}
