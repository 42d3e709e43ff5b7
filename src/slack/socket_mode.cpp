// Socket Mode over Beast: the only translation unit that includes Beast, so the templates are
// compiled once and the rest of careerbot builds fast.
#include "src/slack/socket_mode.hpp"

#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <map>
#include <type_traits>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/slack/trust_store.hpp"

namespace careerbot::slack {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using beast::error_code;
using std::chrono::milliseconds;

std::optional<WsUrl> parse_ws_url(std::string_view url) {
    WsUrl u;
    if (url.starts_with("wss://")) {
        u.tls = true;
        url.remove_prefix(6);
    } else if (url.starts_with("ws://")) {
        u.tls = false;
        url.remove_prefix(5);
    } else {
        return std::nullopt;
    }
    const auto end = url.find_first_of("/?#");
    std::string_view authority = url.substr(0, end);
    std::string_view rest = end == std::string_view::npos ? std::string_view() : url.substr(end);
    if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
    u.target =
        rest.empty() ? "/" : (rest.front() == '?' ? "/" + std::string(rest) : std::string(rest));
    if (authority.find('@') != std::string_view::npos) return std::nullopt;  // no userinfo
    std::string_view port;
    if (authority.starts_with('[')) {  // IPv6 literal
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        u.host = std::string(authority.substr(1, close - 1));
        std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return std::nullopt;
            port = after.substr(1);
        }
    } else {
        const auto colon = authority.rfind(':');
        u.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
    }
    if (u.host.empty()) return std::nullopt;
    if (port.empty()) {
        u.port = u.tls ? "443" : "80";
    } else {
        unsigned value = 0;
        auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || ptr != port.data() + port.size() || value == 0 || value > 65535)
            return std::nullopt;
        u.port = std::string(port);
    }
    return u;
}

namespace {

/// What a connection tells the client it belongs to. Called on the io thread.
class ConnectionOwner {
  public:
    virtual ~ConnectionOwner() = default;
    virtual void on_open(ConnectionId id) = 0;
    virtual void on_text(ConnectionId id, std::string&& text) = 0;
    virtual void on_closed(ConnectionId id, const std::string& why) = 0;
};

/// One websocket, plain or TLS. Used only on the io thread.
class Connection {
  public:
    virtual ~Connection() = default;
    /// Resolves, connects, handshakes and starts reading.
    virtual void start() = 0;
    /// Queues a text frame.
    virtual void send(std::string text) = 0;
    /// Sends a close frame once queued frames are written.
    virtual void close() = 0;
    /// Drops the socket at once.
    virtual void abort() = 0;
    /// False once a close was requested or the socket is gone.
    virtual bool can_send() const = 0;

    ConnectionId id = 0;
    bool hello = false;     ///< Slack said hello on it
    bool retiring = false;  ///< Slack asked us to move to a new socket
    int inflight = 0;       ///< envelopes received on it and not yet acked
};

template <bool Tls>
class WsConnection final : public Connection,
                           public std::enable_shared_from_this<WsConnection<Tls>> {
    using Next = std::conditional_t<Tls, beast::ssl_stream<beast::tcp_stream>, beast::tcp_stream>;

  public:
    WsConnection(net::io_context& io, ssl::context& tls, ConnectionOwner& owner, WsUrl url,
                 ConnectionId connection_id, milliseconds ping_interval)
        : owner_(owner), url_(std::move(url)), ping_interval_(ping_interval), resolver_(io) {
        id = connection_id;
        if constexpr (Tls) {
            ws_.emplace(io, tls);
        } else {
            (void)tls;
            ws_.emplace(io);
        }
    }

    void start() override {
        resolver_.async_resolve(
            url_.host, url_.port,
            [self = this->shared_from_this()](error_code ec, tcp::resolver::results_type r) {
                self->on_resolve(ec, std::move(r));
            });
    }

    void send(std::string text) override {
        if (!can_send()) return;
        queue_.push_back(std::move(text));
        if (!writing_) do_write();
    }

    void close() override {
        if (close_requested_ || finished_) return;
        close_requested_ = true;
        if (!opened_) {
            abort();
        } else if (!writing_) {
            do_close();
        }
    }

    void abort() override {
        error_code ignored;
        resolver_.cancel();
        beast::get_lowest_layer(*ws_).socket().close(ignored);
    }

    bool can_send() const override { return opened_ && !close_requested_ && !finished_; }

  private:
    /// The one place network errors are logged and turned into "this connection is gone".
    void fail(error_code ec, const char* stage) {
        if (finished_) return;
        finished_ = true;
        auto log = logger("slack");
        // After our own abort() or close every pending operation reports operation_aborted;
        // that is expected and not worth a warning.
        if (ec == net::error::operation_aborted || close_requested_)
            log->debug("connection {}: {} ended: {}", id, stage, ec.message());
        else
            log->warn("connection {}: {} failed: {}", id, stage, ec.message());
        owner_.on_closed(id, std::string(stage) + ": " + ec.message());
    }

    void on_resolve(error_code ec, tcp::resolver::results_type results) {
        if (ec) return fail(ec, "resolve");
        beast::get_lowest_layer(*ws_).expires_after(std::chrono::seconds(10));
        beast::get_lowest_layer(*ws_).async_connect(
            results, [self = this->shared_from_this()](error_code e, const tcp::endpoint&) {
                self->on_connect(e);
            });
    }

    void on_connect(error_code ec) {
        if (ec) return fail(ec, "connect");
        // Acks are small frames that must leave at once: with Nagle's algorithm an ack written
        // while the previous one is unacknowledged waits for the peer's delayed ACK (40 ms).
        error_code ignored;
        beast::get_lowest_layer(*ws_).socket().set_option(tcp::no_delay(true), ignored);
        if constexpr (Tls) {
            auto& tls_stream = ws_->next_layer();
            // SNI: Slack's edge serves many names from one address.
            if (!SSL_set_tlsext_host_name(tls_stream.native_handle(), url_.host.c_str())) {
                return fail(
                    error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()),
                    "tls_sni");
            }
            // verify_peer alone accepts any trusted certificate; this checks it names the host.
            tls_stream.set_verify_callback(ssl::host_name_verification(url_.host));
            tls_stream.async_handshake(
                ssl::stream_base::client,
                [self = this->shared_from_this()](error_code e) { self->on_tls_handshake(e); });
        } else {
            on_tls_handshake(ec);
        }
    }

    void on_tls_handshake(error_code ec) {
        if (ec) return fail(ec, "tls_handshake");
        // From here Beast's websocket timeouts own the deadlines (handshake, idle, pings).
        beast::get_lowest_layer(*ws_).expires_never();
        websocket::stream_base::timeout t{};
        t.handshake_timeout = std::chrono::seconds(10);
        t.idle_timeout = ping_interval_ * 2;
        t.keep_alive_pings = true;
        ws_->set_option(t);
        ws_->set_option(websocket::stream_base::decorator([](websocket::request_type& req) {
            req.set(beast::http::field::user_agent, "careerbot/0.1 (Boost.Beast)");
        }));
        ws_->read_message_max(8 * 1024 * 1024);
        ws_->text(true);
        const bool default_port = url_.port == (Tls ? "443" : "80");
        std::string host_header =
            url_.host.find(':') != std::string::npos ? "[" + url_.host + "]" : url_.host;
        if (!default_port) host_header += ":" + url_.port;
        ws_->async_handshake(
            host_header, url_.target,
            [self = this->shared_from_this()](error_code e) { self->on_handshake(e); });
    }

    void on_handshake(error_code ec) {
        if (ec) return fail(ec, "websocket_handshake");
        opened_ = true;
        owner_.on_open(id);
        if (close_requested_) return do_close();
        do_read();
    }

    void do_read() {
        ws_->async_read(buffer_, [self = this->shared_from_this()](error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

    void on_read(error_code ec) {
        if (ec == websocket::error::closed) {
            if (finished_) return;
            finished_ = true;
            const auto& reason = ws_->reason();
            logger("slack")->debug("connection {}: closed (code {})", id,
                                   static_cast<int>(reason.code));
            owner_.on_closed(id, "closed with code " + std::to_string(reason.code));
            return;
        }
        if (ec) return fail(ec, "read");
        std::string text = beast::buffers_to_string(buffer_.data());
        buffer_.consume(buffer_.size());
        owner_.on_text(id, std::move(text));
        if (!finished_) do_read();
    }

    void do_write() {
        writing_ = true;
        ws_->async_write(
            net::buffer(queue_.front()),
            [self = this->shared_from_this()](error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(error_code ec) {
        writing_ = false;
        if (ec) return fail(ec, "write");
        queue_.pop_front();
        if (!queue_.empty()) return do_write();
        if (close_requested_) do_close();
    }

    void do_close() {
        if (close_sent_ || finished_) return;
        close_sent_ = true;
        ws_->async_close(websocket::close_code::normal,
                         [self = this->shared_from_this()](error_code ec) {
                             // The pending read reports the end of the connection; a failed
                             // close only needs the socket dropped.
                             if (ec) self->abort();
                         });
    }

    ConnectionOwner& owner_;
    WsUrl url_;
    milliseconds ping_interval_;
    tcp::resolver resolver_;
    std::optional<websocket::stream<Next>> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    bool opened_ = false;
    bool writing_ = false;
    bool close_requested_ = false;
    bool close_sent_ = false;
    bool finished_ = false;
};

/// Whether the environment variable `name` is unset or names the same file or directory as
/// `fallback` (images often set SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt, which is what
/// OpenSSL uses anyway).
bool env_is_default(const char* name, const char* fallback) {
    const char* value = std::getenv(name);
    if (value == nullptr) return true;
    if (fallback == nullptr) return false;
    std::error_code e1, e2;
    const auto a = std::filesystem::canonical(value, e1);
    const auto b = std::filesystem::canonical(fallback, e2);
    return !e1 && !e2 && a == b;
}

/// The system's trust store, as set_default_verify_paths() would use it, but without parsing
/// the whole CA bundle up front: that turns ~140 roots into X509 objects (~0.7 MB of heap)
/// although a connection to Slack only ever needs one or two of them. When the default
/// certificate directory is hashed (Debian, Ubuntu, Alpine: update-ca-certificates fills it
/// with the same roots as the bundle), OpenSSL loads the issuer it needs from there when it
/// verifies a chain. Otherwise (no hashed directory, or SSL_CERT_FILE / SSL_CERT_DIR name
/// something else than the defaults) set_default_verify_paths() does as before.
void use_system_trust_store(ssl::context& tls) {
    const char* dir = X509_get_default_cert_dir();
    if (env_is_default(X509_get_default_cert_file_env(), X509_get_default_cert_file()) &&
        env_is_default(X509_get_default_cert_dir_env(), dir) && dir != nullptr &&
        has_hashed_certs(dir) &&
        SSL_CTX_load_verify_locations(tls.native_handle(), nullptr, dir) == 1)
        return;
    ERR_clear_error();
    tls.set_default_verify_paths();
}

/// Why Slack refused us, in words an operator can act on.
std::string explain_fatal(const std::string& reason) {
    if (reason == "invalid_auth" || reason == "not_authed" || reason == "token_revoked" ||
        reason == "token_expired")
        return "the app-level token was rejected; check SLACK_APP_TOKEN (xapp-…, scope "
               "connections:write)";
    if (reason == "not_allowed_token_type")
        return "SLACK_APP_TOKEN is not an app-level token (it must start with xapp-)";
    if (reason == "missing_scope") return "the app-level token lacks the connections:write scope";
    if (reason == "account_inactive") return "the workspace or the app has been deactivated";
    if (reason == "link_disabled") return "Socket Mode has been turned off for this app";
    return "Slack refused the connection";
}

}  // namespace

struct SocketModeClient::Impl final : ConnectionOwner {
    Impl(SocketModeOptions o, SocketModeCallbacks c)
        : options(std::move(o)), callbacks(std::move(c)), policy(options.reconnect) {
        use_system_trust_store(tls);
        tls.set_verify_mode(ssl::verify_peer);
        SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
    }

    // ---- connecting -------------------------------------------------------------------

    void begin_connect(milliseconds delay) {
        if (stopping || connecting) return;
        connecting = true;
        if (ever_connecting && metrics != nullptr)
            metrics->reconnects.fetch_add(1, std::memory_order_relaxed);
        ever_connecting = true;
        if (delay.count() <= 0) return request_url();
        retry_timer.expires_after(delay);
        retry_timer.async_wait([this](error_code ec) {
            if (!ec) request_url();
        });
    }

    void request_url() {
        // apps.connections.open is a blocking HTTPS call: never on the io thread.
        net::post(opener, [this] {
            OpenResult r;
            try {
                r = options.open();
            } catch (const std::exception& e) {
                r.ok = false;
                r.error = e.what();
            }
            net::post(io, [this, r = std::move(r)] { on_url(r); });
        });
    }

    void on_url(const OpenResult& r) {
        if (stopping) {
            connecting = false;
            return;
        }
        std::optional<WsUrl> url;
        if (r.ok) url = parse_ws_url(r.url);
        if (!r.ok || !url) {
            const std::string error = r.ok ? "unusable socket URL" : r.error;
            connecting = false;
            if (ReconnectPolicy::should_stop(error)) return fatal("apps.connections.open", error);
            auto d = policy.next_delay();
            log->warn("apps.connections.open failed ({}); retrying in {} ms", error, d.count());
            return begin_connect(d);
        }
        const ConnectionId id = next_id++;
        // The URL carries a single-use ticket: log the host only.
        log->info("opening Socket Mode connection {} to {}", id, url->host);
        std::shared_ptr<Connection> c;
        if (url->tls)
            c = std::make_shared<WsConnection<true>>(io, tls, *this, *url, id,
                                                     options.ping_interval);
        else
            c = std::make_shared<WsConnection<false>>(io, tls, *this, *url, id,
                                                      options.ping_interval);
        conns[id] = c;
        attempt = id;
        c->start();
    }

    // ---- connection events ------------------------------------------------------------

    void on_open(ConnectionId id) override {
        ++opened;
        log->debug("connection {}: websocket open, waiting for hello", id);
    }

    void on_text(ConnectionId id, std::string&& text) override {
        auto it = conns.find(id);
        if (it == conns.end()) return;
        Envelope env = parse_envelope(text, std::chrono::system_clock::now());
        count(env.kind);
        switch (env.kind) {
            case EnvelopeKind::hello:
                return on_hello(*it->second, env);
            case EnvelopeKind::disconnect:
                return on_disconnect(*it->second, env.reason);
            default:
                break;
        }
        if (!env.envelope_id.empty()) ++it->second->inflight;
        if (callbacks.on_envelope) callbacks.on_envelope(std::move(env), id);
    }

    void count(EnvelopeKind kind) {
        if (metrics == nullptr) return;
        auto& m = *metrics;
        switch (kind) {
            case EnvelopeKind::slash_command:
                ++m.envelopes_slash;
                break;
            case EnvelopeKind::event:
                ++m.envelopes_events;
                break;
            case EnvelopeKind::interactive:
                ++m.envelopes_interactive;
                break;
            case EnvelopeKind::malformed:
                ++m.envelopes_malformed;
                [[fallthrough]];
            default:
                ++m.envelopes_other;
                break;
        }
    }

    void on_hello(Connection& c, const Envelope& env) {
        c.hello = true;
        if (metrics != nullptr) {
            ++metrics->connects;
            metrics->connected = true;
        }
        policy.on_hello();
        if (attempt == c.id) {
            attempt = 0;
            connecting = false;
        }
        active = c.id;
        log->info("connected to Slack over Socket Mode (connection {}, {} open for this app)", c.id,
                  env.num_connections);
        // The new socket is live: the ones it replaces go once their acks are out.
        for (auto& [other_id, other] : conns) {
            if (other_id == c.id) continue;
            other->retiring = true;
            retire(other_id);
        }
        if (stopping) c.close();
    }

    void on_disconnect(Connection& c, const std::string& reason) {
        if (ReconnectPolicy::should_stop(reason)) return fatal("disconnect", reason);
        log->info("Slack asked connection {} to disconnect ({}); opening a new one", c.id,
                  reason.empty() ? "no reason" : reason);
        // Keep reading the old socket until the new one said hello, so nothing is lost in
        // between; Slack closes it by itself otherwise.
        c.retiring = true;
        begin_connect(milliseconds(0));
    }

    void retire(ConnectionId id) {
        auto it = conns.find(id);
        if (it == conns.end()) return;
        if (it->second->inflight <= 0) return it->second->close();
        // Acks may still be on their way from the storage thread; give them a moment.
        schedule(options.retire_grace, [this, id] {
            auto again = conns.find(id);
            if (again != conns.end()) again->second->close();
        });
    }

    void on_closed(ConnectionId id, const std::string& why) override {
        auto it = conns.find(id);
        if (it == conns.end()) return;
        const bool had_hello = it->second->hello;
        const bool was_retiring = it->second->retiring;
        conns.erase(it);
        if (stopping) {
            if (conns.empty()) finish_shutdown();
            return;
        }
        if (id == attempt) {
            attempt = 0;
            connecting = false;
            auto d = policy.next_delay();
            log->warn("could not connect to Slack ({}); retrying in {} ms", why, d.count());
            return begin_connect(d);
        }
        if (id != active) {
            log->debug("connection {} closed ({})", id, why);
            return;
        }
        active = 0;
        for (auto& [other_id, other] : conns) {
            if (other->hello && !other->retiring) active = other_id;
        }
        if (metrics != nullptr) metrics->connected = active != 0;
        if (active != 0 || connecting) {
            log->info("connection {} closed ({})", id, why);
            return;
        }
        auto d = was_retiring || !had_hello ? milliseconds(0) : policy.next_delay();
        log->warn("lost connection {} to Slack ({}); reconnecting in {} ms", id, why, d.count());
        begin_connect(d);
    }

    void fatal(const std::string& stage, const std::string& reason) {
        log->error("stopping: {} answered {}: {}", stage, reason, explain_fatal(reason));
        if (callbacks.on_stop) callbacks.on_stop(1, reason);
    }

    // ---- acks, timers, shutdown -------------------------------------------------------

    void do_ack(ConnectionId id, std::string&& text) {
        Connection* target = nullptr;
        auto it = conns.find(id);
        if (it != conns.end()) {
            --it->second->inflight;
            if (it->second->can_send()) target = it->second.get();
        }
        // Slack matches acks by envelope_id, so a replaced socket's acks can go on the new one.
        if (!target) {
            auto a = conns.find(active);
            if (a != conns.end() && a->second->can_send()) target = a->second.get();
        }
        if (!target) {
            log->warn("no open connection for an ack; Slack will deliver the envelope again");
            return;
        }
        target->send(std::move(text));
        if (it != conns.end() && it->second->retiring && it->second->inflight <= 0 && active != id)
            it->second->close();
    }

    void schedule(milliseconds delay, std::function<void()> fn) {
        auto timer = std::make_shared<net::steady_timer>(io, delay);
        timer->async_wait([timer, fn = std::move(fn)](error_code ec) {
            if (!ec) fn();
        });
    }

    void wait_for_signal() {
        signals.async_wait([this](error_code ec, int sig) {
            if (ec) return;
            if (!signalled) {
                signalled = true;
                log->info("received {}; finishing in-flight work and shutting down",
                          sig == SIGTERM ? "SIGTERM" : "SIGINT");
                if (callbacks.on_stop) callbacks.on_stop(0, "signal");
                wait_for_signal();
            } else {
                log->warn("second signal; stopping at once");
                io.stop();
            }
        });
    }

    void shutdown(std::function<void()> closed) {
        stopping = true;
        on_all_closed = std::move(closed);
        retry_timer.cancel();
        if (conns.empty()) return finish_shutdown();
        for (auto& [id, c] : conns) c->close();
        close_timer.expires_after(options.close_deadline);
        close_timer.async_wait([this](error_code ec) {
            if (ec) return;
            log->warn("Slack did not answer the close frame in time; dropping the socket");
            for (auto& [id, c] : conns) c->abort();
            finish_shutdown();
        });
    }

    void finish_shutdown() {
        if (metrics != nullptr) metrics->connected = false;
        close_timer.cancel();
        if (auto done = std::exchange(on_all_closed, nullptr)) net::post(io, std::move(done));
    }

    SocketModeOptions options;
    Metrics* const metrics = options.metrics;  ///< null: not counted
    SocketModeCallbacks callbacks;
    std::shared_ptr<spdlog::logger> log = logger("slack");
    net::io_context io{1};
    ssl::context tls{ssl::context::tls_client};
    net::signal_set signals{io};
    net::steady_timer retry_timer{io};
    net::steady_timer close_timer{io};
    ReconnectPolicy policy;
    std::map<ConnectionId, std::shared_ptr<Connection>> conns;
    ConnectionId active = 0;
    ConnectionId attempt = 0;
    ConnectionId next_id = 1;
    bool connecting = false;
    bool ever_connecting = false;  ///< the first connect is not a reconnect
    bool stopping = false;
    bool signalled = false;
    std::function<void()> on_all_closed;
    std::atomic<std::uint64_t> opened{0};
    // Last member: destroyed (joined) first, while the io_context it posts to still exists.
    net::thread_pool opener{1};
};

SocketModeClient::SocketModeClient(SocketModeOptions options, SocketModeCallbacks callbacks)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(callbacks))) {
    // Watched from construction, not from run(): `careerbot run` serves /healthz before the
    // io thread runs, and a SIGTERM in between must not kill the process with the default
    // action. asio queues a signal that arrives before run()'s async_wait.
    if (impl_->options.handle_signals) {
        impl_->signals.add(SIGINT);
        impl_->signals.add(SIGTERM);
    }
}

SocketModeClient::~SocketModeClient() { impl_->opener.join(); }

void SocketModeClient::run() {
    if (impl_->options.handle_signals) impl_->wait_for_signal();
    net::post(impl_->io, [this] { impl_->begin_connect(milliseconds(0)); });
    impl_->io.run();
}

void SocketModeClient::post(std::function<void()> fn) { net::post(impl_->io, std::move(fn)); }

void SocketModeClient::post_after(std::chrono::milliseconds delay, std::function<void()> fn) {
    net::post(impl_->io, [this, delay, fn = std::move(fn)]() mutable {
        impl_->schedule(delay, std::move(fn));
    });
}

void SocketModeClient::ack(ConnectionId connection, std::string text) {
    net::dispatch(impl_->io, [this, connection, text = std::move(text)]() mutable {
        impl_->do_ack(connection, std::move(text));
    });
}

void SocketModeClient::shutdown(std::function<void()> closed) {
    net::dispatch(impl_->io, [this, closed = std::move(closed)]() mutable {
        impl_->shutdown(std::move(closed));
    });
}

void SocketModeClient::stop() { impl_->io.stop(); }

std::uint64_t SocketModeClient::connections_opened() const { return impl_->opened.load(); }

}  // namespace careerbot::slack
