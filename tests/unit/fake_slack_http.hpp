#pragma once
// The unit tests' fake Slack behind slack::HttpClient (no network): records every request and
// answers from per-method scripts, then with a default answer. Shared by test_web_api.cpp and
// test_reply_sender.cpp.
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/slack/web_api.hpp"

namespace careerbot::testing {

/// Where the fake's Web API lives (WebApiOptions::base_url); response_urls are under
/// kFakeHooksBase, anything else counts as a file upload.
inline const std::string kFakeApiBase = "https://slack.test/api/";
inline const std::string kFakeHooksBase = "https://hooks.test/";

class FakeSlackHttp {
  public:
    /// What an unscripted call gets.
    enum class Answers {
        Ok,         ///< {"ok":true}, whatever the method
        SlackLike,  ///< what Slack would answer the methods ReplySender uses (a DM channel
                    ///< from conversations.open, an upload URL and file id, "ok" on a
                    ///< response_url, "OK - <size>" on an upload); {"ok":true} otherwise
    };

    struct Request {
        std::string url;
        std::string method;  ///< API method, "response_url" or "file_upload"
        std::string content_type;
        std::string body;
        std::vector<std::string> headers;
        std::chrono::steady_clock::time_point at;
        nlohmann::json args() const { return nlohmann::json::parse(body, nullptr, false); }
        bool has_header_with(const std::string& needle) const {
            for (const auto& h : headers) {
                if (h.find(needle) != std::string::npos) return true;
            }
            return false;
        }
    };

    explicit FakeSlackHttp(Answers answers = Answers::Ok) : answers_(answers) {}

    /// The next call of `method` gets `response` (scripts are consumed in order).
    void script(const std::string& method, slack::HttpResponse response) {
        std::lock_guard lock(mutex_);
        scripts_[method].push_back(std::move(response));
    }
    /// The next call of `method` gets HTTP 200 with `body`.
    void script(const std::string& method, const nlohmann::json& body) {
        script(method, slack::HttpResponse{200, body.dump(), {}, ""});
    }
    /// Every request of `method` (all when empty), in arrival order.
    std::vector<Request> requests(const std::string& method = "") const {
        std::lock_guard lock(mutex_);
        std::vector<Request> out;
        for (const auto& r : requests_) {
            if (method.empty() || r.method == method) out.push_back(r);
        }
        return out;
    }
    /// A factory for WebApi: every client it makes posts to this fake.
    std::function<std::unique_ptr<slack::HttpClient>()> factory();

    /// Records `request` and answers it (after `latency`).
    slack::HttpResponse answer(Request request) {
        std::optional<slack::HttpResponse> reply;
        {
            std::lock_guard lock(mutex_);
            auto& queue = scripts_[request.method];
            if (!queue.empty()) {
                reply = std::move(queue.front());
                queue.pop_front();
            } else {
                reply = unscripted(request);
            }
            requests_.push_back(std::move(request));
        }
        if (latency.count() > 0) std::this_thread::sleep_for(latency);
        return *reply;
    }

    /// How long every answer takes.
    std::chrono::milliseconds latency{0};

  private:
    slack::HttpResponse unscripted(const Request& r) {
        using nlohmann::json;
        if (answers_ == Answers::SlackLike) {
            if (r.method == "response_url") return {200, "ok", {}, ""};
            if (r.method == "file_upload") return {200, "OK - 1", {}, ""};
            if (r.method == "conversations.open") {
                return {200,
                        json{{"ok", true},
                             {"channel", {{"id", "D-" + r.args()["users"].get<std::string>()}}}}
                            .dump(),
                        {},
                        ""};
            }
            if (r.method == "files.getUploadURLExternal") {
                std::string id = "F" + std::to_string(++files_);
                return {
                    200,
                    json{{"ok", true}, {"upload_url", "https://files.test/" + id}, {"file_id", id}}
                        .dump(),
                    {},
                    ""};
            }
        }
        return {200, R"({"ok":true})", {}, ""};
    }

    Answers answers_;
    mutable std::mutex mutex_;
    std::vector<Request> requests_;
    std::map<std::string, std::deque<slack::HttpResponse>> scripts_;
    int files_ = 0;
};

/// The HttpClient side of FakeSlackHttp: names the method from the URL.
class FakeSlackHttpClient final : public slack::HttpClient {
  public:
    explicit FakeSlackHttpClient(FakeSlackHttp& slack) : slack_(slack) {}
    slack::HttpResponse post(const std::string& url, const std::string& content_type,
                             const std::string& body,
                             const std::vector<std::string>& headers) override {
        FakeSlackHttp::Request r{url,  "",      content_type,
                                 body, headers, std::chrono::steady_clock::now()};
        if (url.starts_with(kFakeApiBase)) {
            r.method = url.substr(kFakeApiBase.size());
        } else if (url.starts_with(kFakeHooksBase)) {
            r.method = "response_url";
        } else {
            r.method = "file_upload";
        }
        return slack_.answer(std::move(r));
    }

  private:
    FakeSlackHttp& slack_;
};

inline std::function<std::unique_ptr<slack::HttpClient>()> FakeSlackHttp::factory() {
    return [this] { return std::make_unique<FakeSlackHttpClient>(*this); };
}

}  // namespace careerbot::testing
