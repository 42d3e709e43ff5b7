// The Web API client: a queue drained by a few worker threads, each with its own keep-alive
// HTTP connection. Rate limits are per method at Slack, so a 429 pauses only its method: the
// call goes back to the front of the queue and workers take other methods meanwhile.
#include "src/slack/web_api.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"

namespace careerbot::slack {
namespace {

using json = nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr auto max_backoff = std::chrono::seconds(30);
// Slack always sends Retry-After with a 429; this covers a proxy that does not.
constexpr auto default_retry_after = std::chrono::seconds(1);
// A bogus header must not park a method for hours.
constexpr double max_retry_after_seconds = 15 * 60;

/// What kind of answer a request gets, which decides how its body is read.
enum class Answer {
    api,           ///< a Web API method: JSON with "ok"
    response_url,  ///< JSON with "ok", or the plain text "ok"
    upload,        ///< the upload_url: any 2xx is success
};

/// One HTTP request as the retry machinery sees it.
struct HttpRequest {
    std::string bucket;  ///< rate-limit bucket and log name: the method, "response_url", …
    std::string url;
    std::string content_type;
    std::string body;
    std::vector<std::string> headers;
    Answer answer = Answer::api;
    // A chat.postMessage carries message metadata with a unique key, so that after an
    // ambiguous failure (5xx, a dropped connection, internal_error: Slack may have posted it)
    // the channel's history tells whether to send it again. Empty for other calls.
    std::string idem_event_type;
    std::string idem_key;
    std::string channel;
    int64_t first_sent = 0;    ///< unix s of the first attempt
    bool check_first = false;  ///< look in history before the first attempt too
};

/// Methods that must not be sent twice and have no way to check whether they took effect: after
/// an ambiguous failure they are given up (logged) rather than repeated.
bool never_repeat(const HttpRequest& r) { return r.bucket == "files.completeUploadExternal"; }

/// Slack errors that say "try again" (https://api.slack.com/web#responses and each method's
/// errors table): internal_error, fatal_error and request_timeout may come after the call took
/// effect; service_unavailable before it.
bool transient_error(const std::string& e) {
    return e == "internal_error" || e == "fatal_error" || e == "request_timeout" ||
           e == "service_unavailable";
}

/// A key nobody else uses, for message metadata.
std::string unique_key() {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "m";
    for (int i = 0; i < 20; ++i) out += hex[rng() & 0xF];
    return out;
}

enum class Verdict { finished, rate_limited, retryable };

struct Outcome {
    Verdict verdict = Verdict::finished;
    ApiResult result;
    SteadyClock::duration wait{};  ///< Retry-After, for rate_limited
};

// The worker thread's own client, so blocking calls made on a worker (a task, a callback)
// reuse its connection instead of opening another. Tagged with its owner because tests run
// several WebApi instances in one process.
thread_local const void* tl_owner = nullptr;
thread_local HttpClient* tl_client = nullptr;

std::string dump(const json& j) {
    // Invalid UTF-8 in user text must not throw here; Slack gets U+FFFD instead.
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string url_encode(const std::string& s) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
    }
    return out;
}

/// `key=value&…` with both sides percent-encoded, in the map's (sorted) order.
std::string form_encode(const std::map<std::string, std::string>& args) {
    std::string out;
    for (const auto& [key, value] : args) {
        if (!out.empty()) out += '&';
        out += url_encode(key);
        out += '=';
        out += url_encode(value);
    }
    return out;
}

std::string string_field(const json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

SteadyClock::duration retry_after(const std::map<std::string, std::string>& headers) {
    auto it = headers.find("retry-after");
    if (it == headers.end()) return default_retry_after;
    char* end = nullptr;
    double seconds = std::strtod(it->second.c_str(), &end);
    // Slack sends whole seconds; fractions are accepted so tests need not sleep long.
    if (end == it->second.c_str() || !std::isfinite(seconds) || seconds < 0) {
        return default_retry_after;
    }
    seconds = std::min(seconds, max_retry_after_seconds);
    return std::chrono::duration_cast<SteadyClock::duration>(
        std::chrono::duration<double>(seconds));
}

/// A short machine-readable word from a plain-text answer ("expired_url"), never arbitrary text.
std::string error_word(const std::string& body, long status) {
    std::string word;
    for (char c : body) {
        if (std::isspace(static_cast<unsigned char>(c)) != 0) {
            if (!word.empty()) break;
            continue;
        }
        if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_')
            return "http_" + std::to_string(status);
        word += c;
        if (word.size() > 64) return "http_" + std::to_string(status);
    }
    return word.empty() ? "http_" + std::to_string(status) : word;
}

/// Slack's own explanation of an ok:false answer, for the log: the strings of `errors` and
/// `response_metadata.messages` ("[ERROR] must be less than 3001 characters
/// [json-pointer:/blocks/3/text/text]"), which say which block or field was refused. These are
/// Slack's words and JSON pointers, not our arguments; still bounded in count and length.
/// Empty when the answer carries neither.
std::string slack_error_details(const json& body) {
    constexpr std::size_t max_items = 10;
    constexpr std::size_t max_item_length = 300;
    std::string out;
    std::size_t items = 0;
    auto add_all = [&](const json& list) {
        if (!list.is_array()) return;
        for (const auto& item : list) {
            if (!item.is_string()) continue;
            if (items++ == max_items) {
                out += "; ...";
                return;
            }
            std::string text = item.get<std::string>();
            if (text.size() > max_item_length) text = text.substr(0, max_item_length) + "...";
            // One log line per failure: Slack's text never needs a line break.
            std::replace(text.begin(), text.end(), '\n', ' ');
            if (!out.empty()) out += "; ";
            out += text;
        }
    };
    if (!body.is_object()) return out;
    if (auto errors = body.find("errors"); errors != body.end()) add_all(*errors);
    if (auto meta = body.find("response_metadata"); meta != body.end() && meta->is_object()) {
        if (auto messages = meta->find("messages"); messages != meta->end()) add_all(*messages);
    }
    return out;
}

Outcome interpret(const HttpRequest& request, const HttpResponse& response) {
    Outcome out;
    if (response.status == 0) {
        out.verdict = Verdict::retryable;
        out.result.error = response.error.empty() ? "transport_error" : response.error;
        return out;
    }
    if (response.status == 429) {
        out.verdict = Verdict::rate_limited;
        out.wait = retry_after(response.headers);
        out.result.error = "ratelimited";
        return out;
    }
    if (response.status >= 500) {
        out.verdict = Verdict::retryable;
        out.result.error = "http_" + std::to_string(response.status);
        return out;
    }
    bool success_status = response.status >= 200 && response.status < 300;
    json body = json::parse(response.body, nullptr, false);
    if (body.is_discarded()) body = nullptr;
    out.result.body = body;

    bool has_ok = body.is_object() && body.contains("ok") && body["ok"].is_boolean();
    if (request.answer != Answer::upload && has_ok) {
        out.result.ok = body["ok"].get<bool>();
        if (!out.result.ok) {
            out.result.error = string_field(body, "error");
            if (out.result.error.empty()) out.result.error = "unknown_error";
            if (transient_error(out.result.error)) out.verdict = Verdict::retryable;
            if (out.result.error == "ratelimited") {
                out.verdict = Verdict::rate_limited;
                out.wait = retry_after(response.headers);
            }
        }
        return out;
    }
    switch (request.answer) {
        case Answer::api:
            out.result.ok = false;
            out.result.error =
                success_status ? "invalid_response" : "http_" + std::to_string(response.status);
            break;
        case Answer::response_url:
            // response_url answers the plain text "ok" on success and a plain error word otherwise.
            out.result.ok = success_status;
            if (!success_status) out.result.error = error_word(response.body, response.status);
            break;
        case Answer::upload:
            out.result.ok = success_status;
            if (!success_status) out.result.error = "http_" + std::to_string(response.status);
            break;
    }
    return out;
}

}  // namespace

struct WebApi::Impl {
    /// A queued unit of work: one HTTP request with its retries, or a task.
    struct Job {
        HttpRequest request;
        std::function<void()> task;  ///< set for run_async jobs
        ApiCallback done;
        int failures = 0;
        SteadyClock::time_point not_before{};
    };

    /// The HTTP client a synchronous call uses: the worker's own, or a spare one.
    class Lease {
      public:
        explicit Lease(Impl& impl) : impl_(impl) {
            if (tl_owner == &impl && tl_client != nullptr) {
                client_ = tl_client;
                return;
            }
            {
                std::lock_guard lock(impl.mutex);
                if (!impl.spare_clients.empty()) {
                    owned_ = std::move(impl.spare_clients.back());
                    impl.spare_clients.pop_back();
                }
            }
            if (!owned_) owned_ = impl.factory();
            client_ = owned_.get();
        }
        ~Lease() {
            if (!owned_) return;
            std::lock_guard lock(impl_.mutex);
            impl_.spare_clients.push_back(std::move(owned_));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        HttpClient& operator*() const { return *client_; }

      private:
        Impl& impl_;
        HttpClient* client_ = nullptr;
        std::unique_ptr<HttpClient> owned_;
    };

    Impl(WebApiOptions opts, std::function<std::unique_ptr<HttpClient>()> make_client)
        : options(std::move(opts)), factory(std::move(make_client)) {
        if (options.max_attempts_on_error < 1) options.max_attempts_on_error = 1;
    }

    HttpRequest api_request(const std::string& method, std::string content_type, std::string body,
                            const std::string& token) const {
        HttpRequest r;
        r.bucket = method;
        r.url = options.base_url + method;
        r.content_type = std::move(content_type);
        r.body = std::move(body);
        const std::string& bearer = token.empty() ? options.bot_token : token;
        if (!bearer.empty()) r.headers.push_back("Authorization: Bearer " + bearer);
        r.answer = Answer::api;
        return r;
    }

    HttpRequest json_request(const std::string& method, const json& args,
                             const std::string& token) const {
        if (method != "chat.postMessage" || !args.is_object())
            return api_request(method, "application/json; charset=utf-8", dump(args), token);
        json with_key = args;
        if (!with_key.contains("metadata"))
            with_key["metadata"] = {{"event_type", "careerbot_message"},
                                    {"event_payload", {{"key", unique_key()}}}};
        HttpRequest r =
            api_request(method, "application/json; charset=utf-8", dump(with_key), token);
        r.idem_event_type = with_key.value("/metadata/event_type"_json_pointer, std::string());
        r.idem_key = with_key.value("/metadata/event_payload/key"_json_pointer, std::string());
        r.channel = with_key.value("channel", std::string());
        return r;
    }

    /// After an ambiguous failure of a keyed chat.postMessage: was it posted after all? The
    /// answer (finished, ok) when found in the channel's history; nothing when it was not, so it
    /// is sent again; a retryable outcome when the history could not be read.
    std::optional<Outcome> find_posted(HttpClient& http, const HttpRequest& sent) {
        HttpRequest history = form_request("conversations.history",
                                           {{"channel", sent.channel},
                                            {"oldest", std::to_string(sent.first_sent - 60)},
                                            {"inclusive", "true"},
                                            {"include_all_metadata", "true"},
                                            {"limit", "100"}},
                                           "");
        Outcome out = attempt(http, history);
        if (!out.result.ok) {
            if (out.verdict == Verdict::finished) out.verdict = Verdict::retryable;
            return out;
        }
        for (const auto& m : out.result.body.value("messages", json::array())) {
            const json meta = m.value("metadata", json::object());
            if (meta.value("event_type", "") == sent.idem_event_type &&
                meta.value("/event_payload/key"_json_pointer, std::string()) == sent.idem_key) {
                log->info("{} had reached Slack before it failed; not sent again", sent.bucket);
                Outcome found;
                found.result.ok = true;
                found.result.body = json{{"ok", true},
                                         {"channel", sent.channel},
                                         {"ts", m.value("ts", "")},
                                         {"message", m}};
                return found;
            }
        }
        return std::nullopt;
    }

    /// One attempt of `request`, which failed `failures` times before: a keyed message is
    /// first looked for in the channel (so it is never posted twice), then sent.
    Outcome attempt_once(HttpClient& http, HttpRequest& request, int failures) {
        if ((failures > 0 || request.check_first) && !request.idem_key.empty() &&
            !request.channel.empty()) {
            if (auto checked = find_posted(http, request)) return *checked;
            request.check_first = false;
        }
        if (request.first_sent == 0)
            request.first_sent = std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
        return attempt(http, request);
    }

    HttpRequest form_request(const std::string& method,
                             const std::map<std::string, std::string>& args,
                             const std::string& token) const {
        return api_request(method, "application/x-www-form-urlencoded", form_encode(args), token);
    }

    Outcome attempt(HttpClient& http, const HttpRequest& request) {
        HttpResponse response;
        try {
            // What must not happen twice goes on a connection of its own (see post_once).
            response =
                request.idem_key.empty() && !never_repeat(request)
                    ? http.post(request.url, request.content_type, request.body, request.headers)
                    : http.post_once(request.url, request.content_type, request.body,
                                     request.headers);
        } catch (const std::exception& e) {
            response = HttpResponse{};
            response.error = e.what();
        }
        Outcome out = interpret(request, response);
        if (Metrics* m = options.metrics) {
            m->api_calls.fetch_add(1, std::memory_order_relaxed);
            if (out.verdict == Verdict::rate_limited)
                m->api_rate_limited.fetch_add(1, std::memory_order_relaxed);
        }
        return out;
    }

    SteadyClock::duration backoff(int failures) const {
        thread_local std::mt19937 rng{std::random_device{}()};
        std::uniform_real_distribution<double> jitter(0.8, 1.2);
        double base = std::chrono::duration<double>(options.retry_base_delay).count();
        double delay = base * std::pow(2.0, std::min(failures - 1, 16)) * jitter(rng);
        delay = std::min(delay, std::chrono::duration<double>(max_backoff).count());
        return std::chrono::duration_cast<SteadyClock::duration>(
            std::chrono::duration<double>(delay));
    }

    // Requires the lock.
    void pause(const std::string& bucket, SteadyClock::duration wait) {
        auto until = SteadyClock::now() + wait;
        auto& current = paused_until[bucket];
        if (until > current) current = until;
        log->info("{} rate-limited by Slack; retrying in {:.1f} s", bucket,
                  std::chrono::duration<double>(wait).count());
    }

    // Requires the lock.
    SteadyClock::time_point ready_at(const Job& job) const {
        if (job.task) return job.not_before;
        auto it = paused_until.find(job.request.bucket);
        return it == paused_until.end() ? job.not_before : std::max(job.not_before, it->second);
    }

    /// Sleeps until `t` unless shutdown starts first; false on shutdown.
    bool sleep_until(std::unique_lock<std::mutex>& lock, SteadyClock::time_point t) {
        return !wake.wait_until(lock, t, [this] { return stopping || stop_sync_waits; });
    }

    void report(const HttpRequest& request, const Outcome& out, int attempts) const {
        if (out.result.ok) return;
        if (options.metrics != nullptr)
            options.metrics->api_errors.fetch_add(1, std::memory_order_relaxed);
        // Only the bucket (method name) and Slack's error word: never args, never headers.
        if (out.verdict == Verdict::retryable) {
            log->error("{} failed after {} attempts: {}", request.bucket, attempts,
                       out.result.error);
        } else if (auto details = slack_error_details(out.result.body); !details.empty()) {
            log->warn("{} failed: {} ({})", request.bucket, out.result.error, details);
        } else {
            log->warn("{} failed: {}", request.bucket, out.result.error);
        }
    }

    ApiResult perform_sync(HttpRequest request) {
        Lease http(*this);
        int failures = 0;
        ApiResult shutting_down{false, "shutting_down", nullptr};
        while (true) {
            {
                std::unique_lock lock(mutex);
                auto it = paused_until.find(request.bucket);
                if (it != paused_until.end() && !sleep_until(lock, it->second)) {
                    return shutting_down;
                }
            }
            Outcome out = attempt_once(*http, request, failures);
            if (out.verdict == Verdict::rate_limited) {
                std::lock_guard lock(mutex);
                pause(request.bucket, out.wait);
                continue;
            }
            if (out.verdict == Verdict::retryable && never_repeat(request)) {
                log->error("{} failed ({}) and is not repeated: it may have taken effect",
                           request.bucket, out.result.error);
            } else if (out.verdict == Verdict::retryable &&
                       ++failures < options.max_attempts_on_error) {
                std::unique_lock lock(mutex);
                if (!sleep_until(lock, SteadyClock::now() + backoff(failures))) {
                    return shutting_down;
                }
                continue;
            }
            report(request, out, failures);
            return out.result;
        }
    }

    void enqueue(Job job, bool front = false) {
        {
            std::lock_guard lock(mutex);
            if (stopping) {
                log->warn("{} dropped: the Web API client is shutting down",
                          job.task ? std::string("task") : job.request.bucket);
                return;
            }
            if (front) {
                queue.push_front(std::move(job));
            } else {
                queue.push_back(std::move(job));
            }
        }
        wake.notify_all();
    }

    void run_job(HttpClient& http, Job& job) {
        if (job.task) {
            try {
                job.task();
            } catch (const std::exception& e) {
                log->error("Web API task failed: {}", e.what());
            }
            return;
        }
        Outcome out = attempt_once(http, job.request, job.failures);
        if (out.verdict == Verdict::rate_limited) {
            {
                std::lock_guard lock(mutex);
                pause(job.request.bucket, out.wait);
            }
            // Back at the front: it keeps its place among calls of the same method.
            enqueue(std::move(job), true);
            return;
        }
        if (out.verdict == Verdict::retryable && never_repeat(job.request)) {
            log->error("{} failed ({}) and is not repeated: it may have taken effect",
                       job.request.bucket, out.result.error);
        } else if (out.verdict == Verdict::retryable &&
                   ++job.failures < options.max_attempts_on_error) {
            job.not_before = SteadyClock::now() + backoff(job.failures);
            enqueue(std::move(job), true);
            return;
        }
        report(job.request, out, job.failures);
        if (!job.done) return;
        try {
            job.done(out.result);
        } catch (const std::exception& e) {
            log->error("callback of {} threw: {}", job.request.bucket, e.what());
        }
    }

    void worker_main(std::unique_ptr<HttpClient> http) {
        tl_owner = this;
        tl_client = http.get();
        std::unique_lock lock(mutex);
        while (!stopping) {
            auto now = SteadyClock::now();
            auto next = SteadyClock::time_point::max();
            auto chosen = queue.end();
            for (auto it = queue.begin(); it != queue.end(); ++it) {
                auto at = ready_at(*it);
                if (at <= now) {
                    chosen = it;
                    break;
                }
                next = std::min(next, at);
            }
            if (chosen == queue.end()) {
                if (next == SteadyClock::time_point::max()) {
                    wake.wait(lock);
                } else {
                    wake.wait_until(lock, next);
                }
                continue;
            }
            Job job = std::move(*chosen);
            queue.erase(chosen);
            ++running;
            lock.unlock();
            run_job(*http, job);
            // Destroy the job (and what its callback captured) before reporting idle.
            job = Job{};
            lock.lock();
            --running;
            if (queue.empty() && running == 0) idle.notify_all();
        }
        tl_owner = nullptr;
        tl_client = nullptr;
    }

    WebApiOptions options;
    std::function<std::unique_ptr<HttpClient>()> factory;
    std::shared_ptr<spdlog::logger> log = logger("slack");

    mutable std::mutex mutex;
    std::condition_variable wake;  ///< workers and sleeping synchronous callers
    std::condition_variable idle;  ///< drain()
    std::deque<Job> queue;
    std::size_t running = 0;
    bool stopping = false;
    bool stop_sync_waits = false;  ///< stop_waiting(): blocking calls stop sleeping
    std::map<std::string, SteadyClock::time_point> paused_until;
    std::vector<std::unique_ptr<HttpClient>> spare_clients;
    std::vector<std::thread> workers;
};

WebApi::WebApi(WebApiOptions options, std::function<std::unique_ptr<HttpClient>()> http_factory,
               int workers)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(http_factory))) {
    // Clients are made here, not on the threads, so a failing factory throws to the caller.
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < std::max(workers, 1); ++i) clients.push_back(impl_->factory());
    for (auto& client : clients) {
        impl_->workers.emplace_back([impl = impl_.get(), c = std::move(client)]() mutable {
            impl->worker_main(std::move(c));
        });
    }
}

WebApi::~WebApi() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
    }
    impl_->wake.notify_all();
    for (auto& t : impl_->workers) t.join();
    // Whatever drain() did not finish in time is lost; say so rather than vanish quietly.
    // Callbacks are not run: what they captured may already be gone.
    if (!impl_->queue.empty()) {
        impl_->log->warn("{} queued Slack calls dropped at shutdown (first: {})",
                         impl_->queue.size(),
                         impl_->queue.front().task ? "task" : impl_->queue.front().request.bucket);
    }
}

void WebApi::call_async(const std::string& method, const nlohmann::json& args, ApiCallback done) {
    Impl::Job job;
    job.request = impl_->json_request(method, args, "");
    job.done = std::move(done);
    impl_->enqueue(std::move(job));
}

ApiResult WebApi::call(const std::string& method, const nlohmann::json& args,
                       const std::string& token) {
    return impl_->perform_sync(impl_->json_request(method, args, token));
}

ApiResult WebApi::call_form(const std::string& method,
                            const std::map<std::string, std::string>& args,
                            const std::string& token) {
    return impl_->perform_sync(impl_->form_request(method, args, token));
}

void WebApi::call_form_async(const std::string& method,
                             const std::map<std::string, std::string>& args, ApiCallback done) {
    Impl::Job job;
    job.request = impl_->form_request(method, args, "");
    job.done = std::move(done);
    impl_->enqueue(std::move(job));
}

void WebApi::post_message_once(const nlohmann::json& args, int64_t since_unix, bool check_first,
                               ApiCallback done) {
    Impl::Job job;
    job.request = impl_->json_request("chat.postMessage", args, "");
    if (check_first) {
        job.request.check_first = true;
        job.request.first_sent = since_unix;
    }
    job.done = std::move(done);
    impl_->enqueue(std::move(job));
}

void WebApi::post_response_url_async(std::string url, const nlohmann::json& message,
                                     ApiCallback done) {
    Impl::Job job;
    job.request.bucket = "response_url";
    job.request.url = std::move(url);
    job.request.content_type = "application/json; charset=utf-8";
    job.request.body = dump(message);
    job.request.answer = Answer::response_url;
    job.done = std::move(done);
    impl_->enqueue(std::move(job));
}

ApiResult WebApi::upload_file(const FileOut& file, const std::string& channel_id,
                              const std::string& initial_comment) {
    // Slack rejects a JSON body for this one method ("invalid_arguments" although filename
    // and length are there), so it goes form-encoded.
    ApiResult reserved = impl_->perform_sync(impl_->form_request(
        "files.getUploadURLExternal",
        {{"filename", file.filename}, {"length", std::to_string(file.content.size())}}, ""));
    if (!reserved.ok) return reserved;
    std::string upload_url = string_field(reserved.body, "upload_url");
    std::string file_id = string_field(reserved.body, "file_id");
    if (upload_url.empty() || file_id.empty()) {
        impl_->log->warn("files.getUploadURLExternal answered without upload_url or file_id");
        return ApiResult{false, "invalid_response", reserved.body};
    }

    // The upload URL is pre-signed: the bot token is not sent to it.
    HttpRequest bytes;
    bytes.bucket = "file_upload";
    bytes.url = upload_url;
    bytes.content_type = "application/octet-stream";
    bytes.body = file.content;
    bytes.answer = Answer::upload;
    ApiResult uploaded = impl_->perform_sync(bytes);
    if (!uploaded.ok) return uploaded;

    json args{
        {"files", json::array({json{{"id", file_id},
                                    {"title", file.title.empty() ? file.filename : file.title}}})},
        {"channel_id", channel_id}};
    if (!initial_comment.empty()) args["initial_comment"] = initial_comment;
    return impl_->perform_sync(impl_->json_request("files.completeUploadExternal", args, ""));
}

bool WebApi::drain(std::chrono::milliseconds deadline) {
    std::unique_lock lock(impl_->mutex);
    return impl_->idle.wait_for(lock, deadline,
                                [this] { return impl_->queue.empty() && impl_->running == 0; });
}

bool refused_for_good(const std::string& slack_error) {
    static const char* const kPermanent[] = {
        "channel_not_found", "user_not_found",      "user_disabled",  "account_inactive",
        "is_archived",       "cannot_dm_bot",       "invalid_blocks", "msg_too_long",
        "no_text",           "not_in_channel",      "invalid_auth",   "missing_scope",
        "invalid_arguments", "too_many_attachments"};
    for (const char* p : kPermanent)
        if (slack_error == p) return true;
    return false;
}

void WebApi::stop_waiting() {
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stop_sync_waits = true;
    }
    impl_->wake.notify_all();
}

std::size_t WebApi::pending() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->queue.size() + impl_->running;
}

void WebApi::run_async(std::function<void()> task) {
    Impl::Job job;
    job.task = std::move(task);
    impl_->enqueue(std::move(job));
}

}  // namespace careerbot::slack
