#pragma once
// Slack Socket Mode transport: apps.connections.open, the websocket (Beast over Asio, verified
// TLS), hello/disconnect handling, reconnects with backoff, ping/pong, acks and SIGTERM.
// Beast and Asio stay in socket_mode.cpp; this header pulls in neither.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "src/core/metrics.hpp"
#include "src/slack/envelope.hpp"
#include "src/slack/reconnect_policy.hpp"

namespace careerbot::slack {

/// Identifies one websocket connection for the lifetime of a SocketModeClient.
using ConnectionId = std::uint64_t;

/// A websocket URL split into what the connector needs.
struct WsUrl {
    bool tls = true;     ///< wss:// (true) or ws:// (the local test server)
    std::string host;    ///< host name, for DNS, SNI, certificate check and the Host header
    std::string port;    ///< "443" unless given
    std::string target;  ///< path and query, e.g. "/link/?ticket=…"
};

/// Splits a ws:// or wss:// URL; nullopt for anything else.
std::optional<WsUrl> parse_ws_url(std::string_view url);

/// The answer of apps.connections.open.
struct OpenResult {
    bool ok = false;
    std::string url;    ///< the single-use socket URL (secret-ish: never log it whole)
    std::string error;  ///< Slack's error or a transport error
};

/// Settings for SocketModeClient.
struct SocketModeOptions {
    /// Calls apps.connections.open with the app token. Blocking; run on a helper thread.
    std::function<OpenResult()> open;
    /// Without traffic for this long a ping is sent; without an answer by twice this, the
    /// socket is considered dead and replaced.
    std::chrono::milliseconds ping_interval{10000};
    /// How long an old connection may stay open after `warning` while its acks finish.
    std::chrono::milliseconds retire_grace{2500};
    /// How long shutdown() waits for close frames before dropping the sockets.
    std::chrono::milliseconds close_deadline{2000};
    /// Backoff between failed attempts.
    ReconnectOptions reconnect;
    /// Watch SIGTERM/SIGINT and report them through Callbacks::on_stop.
    /// (From construction on: a signal before run() is reported once run() starts.)
    bool handle_signals = true;
    /// Counts envelopes and connections, and says whether Slack is connected; null: not counted.
    Metrics* metrics = nullptr;
};

/// What the client reports; every callback runs on the io thread.
struct SocketModeCallbacks {
    /// An envelope other than hello/disconnect arrived on `connection`. Answer it with ack().
    std::function<void(Envelope&&, ConnectionId)> on_envelope;
    /// The bot should stop: a signal (exit code 0) or an error retrying cannot fix (non-zero).
    std::function<void(int exit_code, const std::string& why)> on_stop;
};

/// The Socket Mode connection manager. One io thread (the one calling run()) owns all state;
/// post(), post_after() and ack() may be called from any thread.
class SocketModeClient {
  public:
    SocketModeClient(SocketModeOptions options, SocketModeCallbacks callbacks);
    ~SocketModeClient();
    SocketModeClient(const SocketModeClient&) = delete;
    SocketModeClient& operator=(const SocketModeClient&) = delete;

    /// Connects and serves until stop(); runs the io loop on the calling thread.
    void run();
    /// Runs `fn` on the io thread.
    void post(std::function<void()> fn);
    /// Runs `fn` on the io thread after `delay` (dropped if the loop stops first).
    void post_after(std::chrono::milliseconds delay, std::function<void()> fn);
    /// Sends `text` (an ack) on `connection`, or on the live one if that connection is gone.
    void ack(ConnectionId connection, std::string text);
    /// Stops reconnecting, sends a close frame on every socket (after queued acks) and calls
    /// `closed` on the io thread once they are gone or the close deadline passed.
    void shutdown(std::function<void()> closed);
    /// Ends run() (thread-safe).
    void stop();
    /// Connections opened so far, for logs and tests.
    std::uint64_t connections_opened() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace careerbot::slack
