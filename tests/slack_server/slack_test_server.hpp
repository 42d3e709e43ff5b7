// An in-process fake of Slack (Web API over HTTP/1.1 and Socket Mode over websocket) bound to
// 127.0.0.1, for end-to-end tests and benchmarks of careerbot. Beast and Asio stay in the .cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace careerbot::testing {

/// A user known to `users.info` and `conversations.open`.
struct SlackUser {
    std::string id;                                  ///< Slack user id, e.g. "U0ALICE".
    std::string name;                                ///< Handle, e.g. "alice".
    std::string real_name;                           ///< Full name shown in Slack.
    std::string tz = "America/New_York";             ///< IANA time zone as Slack reports it.
    std::string tz_label = "Eastern Standard Time";  ///< Human label of the time zone.
    int tz_offset = -18000;                          ///< Offset from UTC in seconds.
    bool is_bot = false;                             ///< Whether the user is a bot user.
};

/// A user's custom status (https://api.slack.com/apis/presence-and-status).
struct SlackStatus {
    std::string text;             ///< profile.status_text, e.g. "Vacationing"
    std::string emoji;            ///< profile.status_emoji, e.g. ":palm_tree:"
    std::int64_t expiration = 0;  ///< profile.status_expiration (unix s; 0 = never)
};

/// The `user` object Slack sends for `user` (users.info's answer and the user_change event
/// carry the same shape).
nlohmann::json slack_user_json(const SlackUser& user, const SlackStatus& status,
                               const std::string& team_id);

/// Alice, Bob (Alice's manager, in Europe/Berlin) and Carol (a director, in Asia/Tokyo).
std::vector<SlackUser> default_slack_users();

/// Configuration of a SlackTestServer; every field has a usable default.
struct SlackTestServerOptions {
    /// Port to bind on 127.0.0.1; 0 (the default) picks an ephemeral port.
    std::uint16_t port = 0;
    /// Bot token the Web API accepts; empty accepts any `xoxb-` token.
    std::string bot_token = "xoxb-test-bot-token";
    /// App-level token `apps.connections.open` accepts; empty accepts any `xapp-` token.
    std::string app_token = "xapp-test-app-token";
    /// Workspace id put in payloads.
    std::string team_id = "T0TEST";
    /// Workspace domain put in payloads.
    std::string team_domain = "careerbot-test";
    /// App id put in payloads and the socket URL.
    std::string app_id = "A0TEST";
    /// The bot's user id, returned by `auth.test`.
    std::string bot_user_id = "U0BOT";
    /// The bot id, returned by `auth.test`.
    std::string bot_id = "B0BOT";
    /// The deprecated verification token Slack still puts in payloads.
    std::string verification_token = "verification-token-test";
    /// Directory served by `users.info`.
    std::vector<SlackUser> users = default_slack_users();
    /// Interval between websocket pings to each connection; zero disables them.
    std::chrono::milliseconds ping_interval{0};
    /// How long a trigger_id stays valid for views.open (Slack: 3 s); zero means forever.
    std::chrono::milliseconds trigger_ttl{3000};
    /// How long a response_url accepts posts (Slack: 30 minutes); zero means forever.
    std::chrono::milliseconds response_url_ttl{std::chrono::minutes(30)};
    /// How many posts a response_url accepts (Slack: 5); 0 means any number.
    int response_url_max_uses = 5;
    /// Keep every ack (with its payload); off keeps only counts and latencies.
    bool record_acks = true;
    /// Keep ack latencies for `ack_latencies()` (8 bytes per ack).
    bool record_latencies = true;
    /// Keep every Web API call for `calls()`; off keeps only counts.
    bool record_calls = true;
    /// Hold envelopes sent while no connection is live and deliver them after the next hello.
    bool queue_when_disconnected = true;
};

/// A transport fault injected into a call: an HTTP 5xx, or the TCP connection closed without
/// any HTTP response (as a proxy or a crashing Slack front end does).
enum class Fault { http_500, http_503, drop };

/// Whether an injected fault hits before the call takes effect (nothing stored or posted) or
/// after it (the message is stored, then the fault is what the client sees).
enum class When { before_effect, after_effect };

/// One HTTP request the server received: a Web API call, a response_url post or an upload.
struct ApiCall {
    std::uint64_t sequence = 0;  ///< 0-based order of arrival over all calls.
    std::string method;          ///< e.g. "chat.postMessage", "response_url", "file_upload".
    std::string token;           ///< Bearer token (or `token` argument); empty when absent.
    nlohmann::json args;         ///< Arguments as sent: JSON body, or form/query fields as strings.
    std::string content_type;    ///< The request's Content-Type header.
    std::string response_id;     ///< Id of the response_url or uploaded file, else empty.
    std::chrono::steady_clock::time_point received;  ///< When the request was read.
    int http_status = 200;                           ///< HTTP status the server answered with.
    nlohmann::json response;     ///< Body the server answered with (null for non-JSON bodies).
    std::optional<Fault> fault;  ///< The fault injected into this call, if any.
    bool took_effect = true;     ///< False when an injected fault hit before the effect.
};

/// One acknowledgement (any client message carrying an `envelope_id`).
struct Ack {
    std::string envelope_id;                         ///< The envelope it acknowledges.
    bool has_payload = false;                        ///< Whether the ack carried a `payload`.
    nlohmann::json payload;                          ///< The ack's `payload` (null without one).
    std::chrono::steady_clock::time_point received;  ///< When the ack was read.
    std::chrono::nanoseconds latency{0};  ///< From writing the envelope to reading this ack.
    std::size_t connection = 0;           ///< Index of the connection the ack came on.
    bool duplicate = false;               ///< The envelope had already been acknowledged.
    bool unknown = false;                 ///< The envelope id was never sent.
};

/// What the server knows about one websocket connection (indices count from 0 in open order).
struct ConnectionInfo {
    std::size_t index = 0;             ///< Open order, stable for the server's lifetime.
    bool live = false;                 ///< Open and eligible to receive envelopes.
    bool client_sent_close = false;    ///< The client sent a close frame.
    int close_code = 0;                ///< Close code of the client's close frame.
    std::string close_reason;          ///< Reason text of the client's close frame.
    bool server_closed = false;        ///< Closed by `close_connection()` with a close frame.
    bool server_dropped = false;       ///< Dropped by `drop_connection()` (no close frame).
    std::uint64_t envelopes_sent = 0;  ///< Envelopes written to this connection.
    std::chrono::steady_clock::time_point opened;  ///< When the handshake completed.
};

/// Counters that stay exact even when recording is off.
struct ServerStats {
    std::uint64_t api_calls = 0;              ///< HTTP requests answered.
    std::uint64_t envelopes_sent = 0;         ///< Envelopes written to a socket.
    std::uint64_t envelopes_queued = 0;       ///< Envelopes waiting for a connection.
    std::uint64_t envelopes_undelivered = 0;  ///< Envelopes for a connection that was gone.
    std::uint64_t acks = 0;                   ///< First acks of known envelopes.
    std::uint64_t duplicate_acks = 0;         ///< Second and later acks of an envelope.
    std::uint64_t unknown_acks = 0;           ///< Acks of envelope ids never sent.
    std::uint64_t outstanding = 0;            ///< Envelopes sent or queued and not yet acked.
    std::uint64_t other_client_messages = 0;  ///< Client messages without an envelope_id.
    std::uint64_t connections_opened = 0;     ///< Websocket handshakes completed.
    std::uint64_t live_connections = 0;       ///< Connections currently live.
    std::uint64_t hellos_sent = 0;            ///< `hello` messages written.
    std::uint64_t pings_sent = 0;             ///< Websocket ping frames sent.
    std::uint64_t pongs_received = 0;         ///< Websocket pong frames received.
    std::uint64_t refused_upgrades = 0;       ///< Websocket upgrades refused (bad ticket).
};

/// A slash command to deliver; empty team_id means the server's team.
struct SlashCommand {
    std::string user_id = "U0ALICE";       ///< Who ran the command.
    std::string user_name = "alice";       ///< Their handle.
    std::string channel_id = "C0GENERAL";  ///< Where it was run.
    std::string channel_name = "general";  ///< That channel's name.
    std::string command = "/brag";         ///< The command, with its slash.
    std::string text;                      ///< Everything after the command.
    std::string team_id;                   ///< Workspace; empty uses the server's.
};

/// Envelope ids with the response_url and trigger_id handed out with them.
struct SentEnvelope {
    std::string envelope_id;   ///< The envelope's id, to wait for its ack.
    std::string response_url;  ///< response_url in the payload (empty if none).
    std::string trigger_id;    ///< trigger_id in the payload (empty if none).
};

/// A fake Slack on 127.0.0.1. Every public member is thread-safe; the server runs its own
/// io_context thread between `start()` and `stop()`.
class SlackTestServer {
  public:
    /// Alias so callers can write `SlackTestServer::Options`.
    using Options = SlackTestServerOptions;
    /// Optional connection index; empty means the newest live connection.
    using ConnectionIndex = std::optional<std::size_t>;
    /// Receives one JSON object per notable event (call, ack, connection); called on the
    /// server thread, without locks held.
    using LogSink = std::function<void(const nlohmann::json&)>;
    /// Builds a custom Web API response for a call (replaces the default handler).
    using Handler = std::function<nlohmann::json(const ApiCall&)>;
    /// Called on the server thread, without locks held, after each first ack of an envelope,
    /// with the number of first acks so far.
    using AckListener = std::function<void(std::uint64_t acks)>;

    /// Creates a stopped server.
    explicit SlackTestServer(Options options = {});
    /// Stops the server if running.
    ~SlackTestServer();
    SlackTestServer(const SlackTestServer&) = delete;
    SlackTestServer& operator=(const SlackTestServer&) = delete;

    /// Binds 127.0.0.1 and starts the server thread; throws std::runtime_error on failure.
    void start();
    /// Closes every socket and joins the server thread; idempotent. Not restartable.
    void stop();
    /// The bound port (0 before start()).
    std::uint16_t port() const;
    /// "http://127.0.0.1:PORT/api/", the value for SLACK_API_URL.
    std::string api_url() const;
    /// "http://127.0.0.1:PORT".
    std::string base_url() const;
    /// Installs a sink for JSON log lines (replaces any previous one).
    void set_log_sink(LogSink sink);

    // ---- Web API -------------------------------------------------------------------------

    /// Every recorded call, in arrival order.
    std::vector<ApiCall> calls() const;
    /// Recorded calls of one method, in arrival order.
    std::vector<ApiCall> calls(const std::string& method) const;
    /// Number of calls of one method received (exact even with recording off).
    std::size_t call_count(const std::string& method) const;
    /// Number of calls of any method received.
    std::size_t call_count() const;
    /// First recorded call of `method` (past or future) matching `predicate`, or nullopt on
    /// timeout. Filter on `ApiCall::sequence >= call_count()` to wait only for new calls.
    std::optional<ApiCall> wait_for_call(const std::string& method,
                                         std::chrono::milliseconds timeout,
                                         std::function<bool(const ApiCall&)> predicate = {});
    /// Forgets recorded calls (counts and sequence numbers keep running).
    void clear_calls();
    /// Makes the next `count` calls of `method` answer `{ok:false,error}`.
    void fail_next(const std::string& method, const std::string& error, int count = 1);
    /// Makes the next `count` calls of `method` answer HTTP 429 with Retry-After.
    void rate_limit_next(const std::string& method, int retry_after_seconds, int count = 1);
    /// Makes the next `count` calls of `method` fail with `fault`, `when` the call takes
    /// effect. `method` is a Web API method, "response_url" or "file_upload". A dropped call is
    /// recorded with http_status 0. Faults queue in order, ahead of fail_next/rate_limit_next.
    void inject(const std::string& method, Fault fault, When when, int count = 1);
    /// Forgets every pending injected fault, ok:false and rate limit of `method`.
    void clear_injections(const std::string& method);
    /// Makes apps.connections.open fail with `error` until cleared with an empty string.
    void set_connections_open_error(const std::string& error);
    /// Delays every response to `method` by `delay` (zero removes the delay).
    void set_response_delay(const std::string& method, std::chrono::milliseconds delay);
    /// Replaces the default response of `method` (an empty handler restores it).
    void set_handler(const std::string& method, Handler handler);
    /// Stores a message from `user` in `channel` (in the thread of `thread_ts` when given), as
    /// if they had posted it; returns its ts. conversations.history/replies then answer it.
    std::string add_message(const std::string& channel, const std::string& user,
                            const std::string& text, const std::string& thread_ts = "");
    /// Every message stored in `channel` (posted, updated or added), oldest first, thread
    /// replies included, with metadata.
    std::vector<nlohmann::json> messages(const std::string& channel) const;
    /// Adds or replaces a user in the `users.info` directory.
    void add_user(const SlackUser& user);
    /// Issues a trigger_id valid for views.open, as Slack does with interactions.
    std::string issue_trigger_id();
    /// Issues a response_url accepting posts, as Slack does with interactions.
    std::string issue_response_url();

    // ---- Socket Mode ---------------------------------------------------------------------

    /// Delivers a `slash_commands` envelope; returns its ids and response_url/trigger_id.
    SentEnvelope send_slash_command(const SlashCommand& command,
                                    ConnectionIndex connection = std::nullopt);
    /// Delivers one `slash_commands` envelope per command, in order, each its own message;
    /// cheaper than one call per command (one lock and one hand-over to the server thread).
    std::vector<SentEnvelope> send_slash_commands(const std::vector<SlashCommand>& commands,
                                                  ConnectionIndex connection = std::nullopt);
    /// Delivers an `events_api` envelope wrapping `event`; an empty event_id is generated.
    /// Returns the envelope id.
    std::string send_event(const nlohmann::json& event, const std::string& event_id = "",
                           int retry_attempt = 0, const std::string& retry_reason = "",
                           ConnectionIndex connection = std::nullopt);
    /// Stores `user` (as add_user) with `status` (users.info answers with it from now on) and
    /// delivers the `user_change` event Slack sends when a
    /// member's profile, status or time zone changes, shaped as
    /// https://docs.slack.dev/reference/events/user_change/ shows. Returns the envelope id.
    std::string send_user_change(const SlackUser& user, const SlackStatus& status = {},
                                 const std::string& event_id = "", int retry_attempt = 0,
                                 const std::string& retry_reason = "",
                                 ConnectionIndex connection = std::nullopt);
    /// Delivers an `interactive` envelope; trigger_id is added if missing. Returns the id.
    std::string send_interactive(const nlohmann::json& payload,
                                 ConnectionIndex connection = std::nullopt);
    /// Writes `text` as one websocket text frame, unchecked; false if no live connection.
    bool send_raw(const std::string& text, ConnectionIndex connection = std::nullopt);
    /// Sends Slack's `disconnect` message with `reason`; false if no live connection.
    bool send_disconnect(const std::string& reason, ConnectionIndex connection = std::nullopt);
    /// Closes the TCP socket without a close frame; false if no live connection.
    bool drop_connection(ConnectionIndex connection = std::nullopt);
    /// Starts a clean websocket close (close frame, code 1000); false if no live connection.
    bool close_connection(ConnectionIndex connection = std::nullopt);
    /// Sends a websocket ping on every live connection now.
    void ping_now();

    /// Ack of `envelope_id` once it arrives, or nullopt on timeout; with record_acks off, an
    /// Ack holding only the id once the envelope is no longer outstanding.
    std::optional<Ack> wait_for_ack(const std::string& envelope_id,
                                    std::chrono::milliseconds timeout);
    /// Every recorded ack, in arrival order (empty with record_acks off).
    std::vector<Ack> acks() const;
    /// Latency of every first ack, in arrival order (needs record_latencies).
    std::vector<std::chrono::nanoseconds> ack_latencies() const;
    /// True once `count` first acks have arrived; false on timeout.
    bool wait_for_ack_count(std::uint64_t count, std::chrono::milliseconds timeout);
    /// True once no sent envelope is waiting for its ack; false on timeout.
    bool wait_for_no_outstanding(std::chrono::milliseconds timeout);
    /// Installs `listener` (an empty one removes it). It may send envelopes, so a closed loop
    /// can refill its window as each ack is read instead of waking a thread of its own. A call
    /// under way may finish after this returns, so the listener should own what it uses.
    void set_ack_listener(AckListener listener);
    /// Client messages that were not acks (raw text, in arrival order).
    std::vector<std::string> other_client_messages() const;

    /// True once `count` websocket connections have been opened in total; false on timeout.
    bool wait_for_connections(std::uint64_t count, std::chrono::milliseconds timeout);
    /// True once `count` hello messages have been sent in total; false on timeout.
    bool wait_for_hello_count(std::uint64_t count, std::chrono::milliseconds timeout);
    /// True once the server has seen connection `index` end; false on timeout.
    bool wait_for_connection_closed(std::size_t index, std::chrono::milliseconds timeout);
    /// Every connection ever opened, by index.
    std::vector<ConnectionInfo> connections() const;
    /// Exact counters.
    ServerStats stats() const;
    /// True once `predicate(stats())` holds; false on timeout. The predicate runs under the
    /// server's lock, so it must not call the server.
    bool wait_for_stats(const std::function<bool(const ServerStats&)>& predicate,
                        std::chrono::milliseconds timeout);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Decodes an application/x-www-form-urlencoded string into a JSON object of strings.
nlohmann::json decode_form(const std::string& body);

/// Slack's Block Kit and length rules for a message (chat.* or response_url arguments): the
/// whole answer Slack would refuse it with (invalid_blocks with `errors` and
/// `response_metadata.messages`, or msg_too_long), or nullopt.
std::optional<nlohmann::json> check_message(const nlohmann::json& args);

/// check_message's error word, or nullopt.
std::optional<std::string> check_message_limits(const nlohmann::json& args);

/// Slack's rules for a view object (modal or home): the invalid_arguments answer with its
/// `response_metadata.messages`, or nullopt.
std::optional<nlohmann::json> check_view(const nlohmann::json& view);

}  // namespace careerbot::testing
