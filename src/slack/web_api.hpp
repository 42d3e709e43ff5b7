#pragma once
// Slack Web API client: JSON POSTs over libcurl with keep-alive, proxies (HTTPS_PROXY) and
// verified TLS; 429 answered by waiting Retry-After and retrying, so nothing is dropped.
// This header is the contract between the Socket Mode side and the Web API side; it pulls in
// no curl or Beast headers.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/core/metrics.hpp"
#include "src/core/reply.hpp"

namespace careerbot::slack {

/// One HTTP response as the Web API client needs it.
struct HttpResponse {
    long status = 0;  ///< 0 when the request never got an answer
    std::string body;
    std::map<std::string, std::string> headers;  ///< lower-case names
    std::string error;                           ///< transport error (DNS, TLS, timeout), if any
};

/// The HTTP edge, injected so unit tests can fake it. Implementations are used from one
/// thread at a time.
class HttpClient {
  public:
    virtual ~HttpClient() = default;
    /// POSTs `body` to `url` with the given extra headers ("Name: value").
    virtual HttpResponse post(const std::string& url, const std::string& content_type,
                              const std::string& body, const std::vector<std::string>& headers) = 0;
    /// Like post(), for a request that must not reach the server twice: sent on a connection
    /// of its own, so the transport never re-sends it by itself (libcurl silently repeats a
    /// request whose reused keep-alive connection died before any answer — after the server
    /// may have acted on it).
    virtual HttpResponse post_once(const std::string& url, const std::string& content_type,
                                   const std::string& body,
                                   const std::vector<std::string>& headers) {
        return post(url, content_type, body, headers);
    }
};

/// The libcurl implementation: one easy handle reused for keep-alive, TLS peer and host
/// verification on, proxy from the environment, timeouts.
std::unique_ptr<HttpClient> make_curl_http_client();

/// What the caller learns about a finished call.
struct ApiResult {
    bool ok = false;      ///< Slack's "ok"
    std::string error;    ///< Slack's "error", or a transport error
    nlohmann::json body;  ///< the parsed response (null when unparseable)
};

using ApiCallback = std::function<void(const ApiResult&)>;

/// Slack errors after which sending the same message again cannot work (a deactivated user,
/// a refused message, a missing scope): the sender gives it up with a log line.
bool refused_for_good(const std::string& slack_error);

/// Settings for the Web API client.
struct WebApiOptions {
    std::string base_url = "https://slack.com/api/";  ///< from SLACK_API_URL
    std::string bot_token;                            ///< xoxb-…, from SLACK_BOT_TOKEN
    int max_attempts_on_error = 5;                    ///< transport errors/5xx; 429s retry forever
    /// First backoff after a transport error or 5xx; doubles per failure (capped at 30 s).
    std::chrono::milliseconds retry_base_delay{500};
    Metrics* metrics = nullptr;  ///< counts calls, errors and 429s; null: not counted
};

/// Calls Slack's Web API. Calls are queued and performed on worker threads, so the Socket Mode
/// thread never blocks; a 429 pauses that method for Retry-After seconds and the call is
/// retried, never dropped. `ok:false` is logged with the method and error.
class WebApi {
  public:
    /// `http_factory` makes one HttpClient per worker thread.
    WebApi(WebApiOptions options, std::function<std::unique_ptr<HttpClient>()> http_factory,
           int workers = 2);
    ~WebApi();
    WebApi(const WebApi&) = delete;
    WebApi& operator=(const WebApi&) = delete;

    /// Queues `method` with JSON `args`; `done` (optional) runs on a worker thread afterwards.
    void call_async(const std::string& method, const nlohmann::json& args, ApiCallback done = {});
    /// Performs a call on the calling thread (never call this from the Socket Mode thread).
    /// `token` overrides the bot token (apps.connections.open uses the app token).
    ApiResult call(const std::string& method, const nlohmann::json& args,
                   const std::string& token = "");
    /// Performs a call with form-encoded `args` (application/x-www-form-urlencoded) on the
    /// calling thread, with the same 429 and retry handling as call(). Slack's read methods
    /// (users.info, conversations.history/replies, chat.getPermalink) take only this form.
    ApiResult call_form(const std::string& method, const std::map<std::string, std::string>& args,
                        const std::string& token = "");
    /// Queues a form-encoded call; `done` (optional) runs on a worker thread afterwards.
    void call_form_async(const std::string& method, const std::map<std::string, std::string>& args,
                         ApiCallback done = {});
    /// Queues a chat.postMessage whose `args` carry metadata with a key of the caller's; with
    /// `check_first`, the channel's history since `since_unix` is searched for that key first
    /// (an earlier run may have posted it), and it is posted only when absent.
    void post_message_once(const nlohmann::json& args, int64_t since_unix, bool check_first,
                           ApiCallback done = {});
    /// Queues a JSON POST to a response_url (no token).
    void post_response_url_async(std::string url, const nlohmann::json& message,
                                 ApiCallback done = {});
    /// Uploads a file to a channel: files.getUploadURLExternal, the upload, then
    /// files.completeUploadExternal. Blocking; worker threads only.
    ApiResult upload_file(const FileOut& file, const std::string& channel_id,
                          const std::string& initial_comment = "");
    /// Waits until every queued call has finished or `deadline` passes; false on timeout.
    bool drain(std::chrono::milliseconds deadline);
    /// Shutdown: blocking calls (call, call_form) waiting out a 429 or a backoff give up at once
    /// with "shutting_down". Queued asynchronous calls are unaffected (see drain).
    void stop_waiting();
    /// How many calls are queued or running.
    std::size_t pending() const;

  private:
    // ReplySender chains blocking steps (the file upload after the DM is open) onto a worker.
    friend class ReplySender;
    /// Queues `task` to run on a worker thread, where the blocking calls (call, upload_file)
    /// reuse that worker's HTTP connection.
    void run_async(std::function<void()> task);

    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Where a reply goes: the context of the request it answers.
struct ReplyTarget {
    std::string user_id;
    std::string channel_id;
    std::string response_url;
    std::string trigger_id;
    bool replace_original = false;  ///< for block_actions: update the message with the button
};

/// The DM channel of each person, shared by everything that writes to people (replies, DMs,
/// reminders) and stored with the person, so a restart does not cost one conversations.open
/// per person (Tier 3, ~50 a minute) before the morning's reminders go out. Thread-safe.
class DmChannels {
  public:
    /// Called with each channel learnt from Slack, to store it (the bot queues a write).
    using Persist = std::function<void(const std::string& user, const std::string& channel)>;
    void set_persist(Persist persist);
    /// Channels known from the database, at start.
    void preload(const std::map<std::string, std::string>& known);
    /// The channel of `user`, when known.
    std::optional<std::string> find(const std::string& user);
    /// Remembers (and persists, when new) the channel of `user`.
    void learn(const std::string& user, const std::string& channel);
    /// Forgets the channel of `user` (Slack said channel_not_found).
    void forget(const std::string& user);

  private:
    friend class ReplySender;
    std::mutex mutex_;
    std::map<std::string, std::string> channels_;
    /// Callers waiting for a conversations.open already in flight for that user.
    std::map<std::string, std::vector<std::function<void(const std::string&)>>> waiting_;
    Persist persist_;
};

/// Turns a core Reply into Web API calls (everything except what travels in the ack):
/// follow-up pages through response_url, modals through views.open, DMs through
/// conversations.open (cached per user) + chat.postMessage, files through the external upload
/// flow, and App Home through views.publish. Thread-safe.
class ReplySender {
  public:
    explicit ReplySender(WebApi& api,
                         std::shared_ptr<DmChannels> dms = std::make_shared<DmChannels>())
        : api_(api), dms_(std::move(dms)) {}
    /// Sends `reply` except `reply.message` when `message_in_ack` is true (it went in the ack).
    void send(const Reply& reply, const ReplyTarget& target, bool message_in_ack);
    /// Sends a message to a person privately (opens the DM once, then reuses the channel id).
    void send_dm(const std::string& user_id, const Message& message);
    /// Sends a DM from the outbox exactly once: its metadata carries `key`, looked for in the
    /// DM's history since `since_unix` first when `check_first` (a resend). `done(true)` once
    /// Slack has it or refused it for good (the row may go), `done(false)` when it may be
    /// tried again later. Not called when the process stops first (the row stays).
    void send_dm_once(const std::string& user_id, const Message& message, const std::string& key,
                      int64_t since_unix, bool check_first, std::function<void(bool)> done);

  private:
    using DmCache = DmChannels;
    // Static, taking what they need by value: they run in callbacks on WebApi's workers,
    // which may outlive this sender.
    /// Runs `then` with the DM channel of `user_id` (empty when it could not be opened): at
    /// once when cached, else after one conversations.open shared by concurrent callers.
    static void with_dm_channel(WebApi& api, const std::shared_ptr<DmCache>& dms,
                                const std::string& user_id,
                                std::function<void(const std::string&)> then);
    /// Posts `pages` in order where `target` can see them (response_url, else the channel,
    /// else a DM).
    static void deliver(WebApi& api, const std::shared_ptr<DmCache>& dms,
                        std::vector<Message> pages, const ReplyTarget& target, bool in_channel);
    static void send_dm_via(WebApi& api, const std::shared_ptr<DmCache>& dms,
                            const std::string& user_id, const Message& message);

    WebApi& api_;
    // Shared with the callbacks queued on WebApi, which may outlive this sender.
    std::shared_ptr<DmCache> dms_;
};

}  // namespace careerbot::slack
