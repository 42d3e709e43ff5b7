// The libcurl edge of the Web API client. Nothing here logs: headers carry the bot token, and
// bodies carry people's career data.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <curl/curl.h>

#include "src/core/error.hpp"
#include "src/slack/trust_store.hpp"
#include "src/slack/web_api.hpp"

namespace careerbot::slack {
namespace {

constexpr long connect_timeout_ms = 10'000;
// Generous enough for an export upload on a slow link, short enough that a hung Slack edge
// does not hold a worker (and shutdown) for minutes.
constexpr long total_timeout_ms = 60'000;

// curl_global_init is not thread-safe and must run before any other curl call; call_once
// makes the first client pay for it, whichever thread makes it. Never cleaned up: other
// handles may still be alive while static destructors run.
void global_init_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw Error("curl_global_init failed");
        }
    });
}

/// Whether to leave out libcurl's built-in CA bundle and rely on its CA path alone. With the
/// bundle, every new TLS connection parses all ~140 roots into an X509 store (~0.7 MB of heap
/// per worker, kept while the connection is cached); with a hashed CA path OpenSSL reads only
/// the issuer it needs. Only when the bundle lives in that same directory (Debian and Ubuntu:
/// /etc/ssl/certs/ca-certificates.crt next to the hashed links update-ca-certificates makes
/// for the same roots), so the set of trusted roots does not change.
bool ca_path_only() {
    static const bool yes = [] {
        const curl_version_info_data* v = curl_version_info(CURLVERSION_NOW);
        if (v == nullptr || v->age < CURLVERSION_SEVENTH || v->capath == nullptr ||
            v->cainfo == nullptr || v->ssl_version == nullptr ||
            !std::string_view(v->ssl_version).starts_with("OpenSSL"))
            return false;
        std::error_code e1, e2;
        const auto bundle = std::filesystem::canonical(v->cainfo, e1);
        const auto dir = std::filesystem::canonical(v->capath, e2);
        return !e1 && !e2 && bundle.parent_path() == dir && has_hashed_certs(v->capath);
    }();
    return yes;
}

struct EasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

size_t on_body(char* data, size_t size, size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
    auto& headers = *static_cast<std::map<std::string, std::string>*>(user);
    std::string_view line(data, size * count);
    // A new status line starts a new header block (after a 100 Continue, or a proxy's
    // CONNECT answer): only the final response's headers matter.
    if (line.starts_with("HTTP/")) {
        headers.clear();
        return size * count;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos) return size * count;
    std::string name(trim(line.substr(0, colon)));
    std::ranges::transform(name, name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    headers[name] = std::string(trim(line.substr(colon + 1)));
    return size * count;
}

class CurlHttpClient final : public HttpClient {
  public:
    CurlHttpClient() {
        global_init_once();
        (void)ca_path_only();  // decided once, before any worker thread asks
        handle_.reset(curl_easy_init());
        if (!handle_) throw Error("curl_easy_init failed");
    }

    HttpResponse post(const std::string& url, const std::string& content_type,
                      const std::string& body, const std::vector<std::string>& headers) override {
        return perform(url, content_type, body, headers, false);
    }

    HttpResponse post_once(const std::string& url, const std::string& content_type,
                           const std::string& body,
                           const std::vector<std::string>& headers) override {
        return perform(url, content_type, body, headers, true);
    }

  private:
    HttpResponse perform(const std::string& url, const std::string& content_type,
                         const std::string& body, const std::vector<std::string>& headers,
                         bool fresh_connection) {
        HttpResponse response;
        CURL* h = handle_.get();
        // Reset clears the previous request's options but keeps the connection cache, so
        // keep-alive connections to slack.com are reused.
        curl_easy_reset(h);

        Slist list;
        auto append = [&list](const std::string& header) {
            curl_slist* grown = curl_slist_append(list.get(), header.c_str());
            if (grown == nullptr) throw Error("curl_slist_append failed");
            // The head only changes when the list was empty.
            if (!list) list.reset(grown);
        };
        append("Content-Type: " + content_type);
        // Without this curl waits up to a second for "100 Continue" on larger bodies.
        append("Expect:");
        for (const auto& header : headers) append(header);

        char error_buffer[CURL_ERROR_SIZE] = {};
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
        curl_easy_setopt(h, CURLOPT_URL, url.c_str());
        curl_easy_setopt(h, CURLOPT_POST, 1L);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, list.get());
        curl_easy_setopt(h, CURLOPT_USERAGENT, "careerbot/0.1 libcurl");
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
        // Only web protocols: a response_url or upload_url from a payload must never make
        // curl open file:// or other schemes. Plain http stays for the local test server.
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
        if (ca_path_only()) curl_easy_setopt(h, CURLOPT_CAINFO, nullptr);
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_timeout_ms);
        // Timeouts must not use signals: workers are threads.
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
        // A reused connection that dies before the answer makes libcurl send the request again
        // on its own; on a fresh one it reports the error and WebApi decides (find_posted).
        if (fresh_connection) {
            curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
            curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
        }
        curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
        // CURLOPT_PROXY is deliberately left unset: libcurl then takes the proxy from
        // https_proxy/HTTPS_PROXY, http_proxy (lower case only), ALL_PROXY and NO_PROXY, as
        // corporate networks expect. Setting it, even to "", would disable that.

        CURLcode code = curl_easy_perform(h);
        if (code != CURLE_OK) {
            response.status = 0;
            response.error = curl_easy_strerror(code);
            if (error_buffer[0] != '\0') response.error += std::string(": ") + error_buffer;
            return response;
        }
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
        return response;
    }

  private:
    EasyHandle handle_;
};

}  // namespace

std::unique_ptr<HttpClient> make_curl_http_client() { return std::make_unique<CurlHttpClient>(); }

}  // namespace careerbot::slack
