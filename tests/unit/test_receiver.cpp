// The receiver (io thread) without a websocket: envelopes in, acks out, the early-ack deadline,
// repeated deliveries and the shutdown sequence.
#include <deque>
#include <filesystem>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "src/slack/receiver.hpp"

using namespace careerbot;
using namespace careerbot::slack;
using nlohmann::json;
using std::chrono::milliseconds;

namespace {

class FakeSocket final : public AckSocket {
  public:
    struct Ack {
        ConnectionId connection;
        json frame;
    };
    void ack(ConnectionId connection, std::string text) override {
        acks.push_back({connection, json::parse(text)});
    }
    void post(std::function<void()> fn) override { posted.push_back(std::move(fn)); }
    void post_after(milliseconds delay, std::function<void()> fn) override {
        timers.emplace_back(delay, std::move(fn));
    }
    void shutdown(std::function<void()> closed) override {
        ++shutdowns;
        closed();
    }
    void stop() override { ++stops; }

    /// Runs what was posted to the io thread so far.
    void run_posted() {
        while (!posted.empty()) {
            auto fn = std::move(posted.front());
            posted.pop_front();
            fn();
        }
    }

    std::vector<Ack> acks;
    std::deque<std::function<void()>> posted;
    std::vector<std::pair<milliseconds, std::function<void()>>> timers;
    int shutdowns = 0;
    int stops = 0;
};

/// A journal file of this process's own (an empty path would keep nothing).
std::string journal_path() {
    auto path = std::filesystem::temp_directory_path() /
                ("careerbot-receiver-" + std::to_string(::getpid()) + "-acks");
    std::filesystem::remove(path);
    return path.string();
}

struct ReceiverTest {
    FakeSocket socket;
    std::string journal_file = journal_path();
    AckJournal journal{journal_file};
    ManualClock clock{TimePoint{} + std::chrono::hours(1000)};
    Receiver::SteadyTime now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
    std::vector<Job> submitted;
    std::vector<Request> deferred;
    std::vector<std::tuple<Reply, ReplyTarget, bool>> follow_ups;
    std::vector<std::function<void()>> flushes;
    std::vector<std::string> told;
    Receiver receiver{socket, journal, clock, options(), hooks(), [this] { return now; }};

    static ReceiverOptions options() {
        ReceiverOptions o;
        o.ack_deadline = milliseconds(2000);
        return o;
    }

    ReceiverHooks hooks() {
        ReceiverHooks h;
        h.is_deferred = [](const Request& r) { return r.command == "/quarter-summary"; };
        h.run_deferred = [this](Request r) { deferred.push_back(std::move(r)); };
        h.submit = [this](Job job) { submitted.push_back(std::move(job)); };
        h.flush = [this](std::function<void()> done) { flushes.push_back(std::move(done)); };
        h.follow_up = [this](Reply r, ReplyTarget t, bool in_ack) {
            follow_ups.emplace_back(std::move(r), std::move(t), in_ack);
        };
        h.tell = [this](const std::string& url, const std::string& text) {
            told.push_back(url + " " + text);
        };
        return h;
    }

    static Envelope slash(const std::string& id, const std::string& command = "/brag") {
        Envelope env;
        env.kind = EnvelopeKind::slash_command;
        env.type = "slash_commands";
        env.envelope_id = id;
        Request r;
        r.user_id = "U1";
        r.command = command;
        r.text = "shipped it";
        r.response_url = "https://hooks.example/1";
        env.request = r;
        return env;
    }

    static Envelope event(const std::string& id) {
        Envelope env;
        env.kind = EnvelopeKind::event;
        env.type = "events_api";
        env.envelope_id = id;
        Event e;
        e.type = "reaction_added";
        e.event_id = "Ev-" + id;
        env.event = e;
        return env;
    }

    static Outcome answered(const std::string& id, EnvelopeKind kind, Reply reply) {
        Outcome o;
        o.envelope_id = id;
        o.connection = 3;
        o.kind = kind;
        o.reply = std::move(reply);
        return o;
    }

    void outcomes(std::vector<Outcome> o) { receiver.on_outcomes(o); }

    ~ReceiverTest() { std::filesystem::remove(journal_file); }
};

}  // namespace

TEST_CASE("an envelope is acked only once its outcome arrives, with the shaped payload",
          "[receiver]") {
    ReceiverTest t;
    t.receiver.on_envelope(ReceiverTest::slash("E1"), 3);
    REQUIRE(t.submitted.size() == 1);
    CHECK(t.submitted[0].envelope_id == "E1");
    CHECK(t.socket.acks.empty());
    CHECK(t.receiver.pending() == 1);

    t.outcomes({ReceiverTest::answered("E1", EnvelopeKind::slash_command, Reply::text("Saved"))});
    REQUIRE(t.socket.acks.size() == 1);
    CHECK(t.socket.acks[0].connection == 3);
    CHECK(t.socket.acks[0].frame["envelope_id"] == "E1");
    CHECK(t.socket.acks[0].frame["payload"]["response_type"] == "ephemeral");
    CHECK(t.follow_ups.empty());  // the message went in the ack
    CHECK(t.receiver.pending() == 0);
}

TEST_CASE("a slash command not committed by the deadline is acked empty; its answer follows",
          "[receiver]") {
    ReceiverTest t;
    t.receiver.on_envelope(ReceiverTest::slash("E1"), 3);
    t.receiver.on_envelope(ReceiverTest::event("E2"), 3);
    t.now += milliseconds(1999);
    t.receiver.sweep();
    CHECK(t.socket.acks.empty());
    t.now += milliseconds(1);
    t.receiver.sweep();
    REQUIRE(t.socket.acks.size() == 1);  // events are never acked early
    CHECK(t.socket.acks[0].frame == json{{"envelope_id", "E1"}});
    CHECK(t.journal.open_entries() == 1);
    CHECK(t.receiver.pending() == 1);

    t.outcomes({ReceiverTest::answered("E1", EnvelopeKind::slash_command, Reply::text("Saved"))});
    CHECK(t.socket.acks.size() == 1);  // not acked twice
    REQUIRE(t.follow_ups.size() == 1);
    CHECK_FALSE(std::get<2>(t.follow_ups[0]));  // the message goes through response_url
    CHECK(t.journal.open_entries() == 0);
    // The sweep goes on every 200 ms.
    REQUIRE_FALSE(t.socket.timers.empty());
    CHECK(t.socket.timers.back().first == milliseconds(200));
}

TEST_CASE("a repeated delivery runs once and is acked empty once the first is", "[receiver]") {
    ReceiverTest t;
    t.receiver.on_envelope(ReceiverTest::event("E1"), 3);
    t.receiver.on_envelope(ReceiverTest::event("E1"), 3);  // still pending: no ack yet
    CHECK(t.submitted.size() == 1);
    CHECK(t.socket.acks.empty());
    t.outcomes({ReceiverTest::answered("E1", EnvelopeKind::event, Reply::none())});
    CHECK(t.socket.acks.size() == 1);
    t.receiver.on_envelope(ReceiverTest::event("E1"), 4);
    CHECK(t.submitted.size() == 1);
    REQUIRE(t.socket.acks.size() == 2);
    CHECK(t.socket.acks[1].connection == 4);
}

TEST_CASE("an event whose batch failed stays unacked for Slack to retry", "[receiver]") {
    ReceiverTest t;
    t.receiver.on_envelope(ReceiverTest::event("E1"), 3);
    auto failed = ReceiverTest::answered("E1", EnvelopeKind::event, Reply::none());
    failed.failed = true;
    t.outcomes({failed});
    CHECK(t.socket.acks.empty());
    CHECK(t.receiver.pending() == 0);
}

TEST_CASE("deferred, unknown and malformed envelopes are acked at once", "[receiver]") {
    ReceiverTest t;
    t.receiver.on_envelope(ReceiverTest::slash("E1", "/quarter-summary"), 3);
    REQUIRE(t.deferred.size() == 1);
    CHECK(t.submitted.empty());
    Envelope unknown;
    unknown.kind = EnvelopeKind::unknown;
    unknown.type = "something_new";
    unknown.envelope_id = "E2";
    t.receiver.on_envelope(std::move(unknown), 3);
    Envelope broken;
    broken.kind = EnvelopeKind::malformed;
    broken.envelope_id = "E3";
    broken.reason = "no payload";
    t.receiver.on_envelope(std::move(broken), 3);
    REQUIRE(t.socket.acks.size() == 3);
    for (const auto& a : t.socket.acks) CHECK_FALSE(a.frame.contains("payload"));
    CHECK(t.receiver.pending() == 0);
}

TEST_CASE("on stop: flush, then close; newcomers are told to try again", "[receiver]") {
    ReceiverTest t;
    t.receiver.on_envelope(ReceiverTest::slash("E1"), 3);
    t.receiver.on_stop(0, "SIGTERM");
    REQUIRE(t.flushes.size() == 1);
    REQUIRE(t.receiver.stop_started());
    CHECK(t.socket.shutdowns == 0);  // not before the queue is flushed
    // The budget's last resort.
    REQUIRE(t.socket.timers.size() == 1);
    CHECK(t.socket.timers[0].first == milliseconds(4000));

    // Arriving now: a slash command hears why, an event is left for Slack to redeliver.
    t.receiver.on_envelope(ReceiverTest::slash("E2"), 3);
    t.receiver.on_envelope(ReceiverTest::event("E3"), 3);
    REQUIRE(t.socket.acks.size() == 1);
    CHECK_THAT(t.socket.acks[0].frame["payload"]["text"].get<std::string>(),
               Catch::Contains("restarting"));
    CHECK(t.submitted.size() == 1);

    t.flushes[0]();
    t.socket.run_posted();
    CHECK(t.socket.shutdowns == 1);
    CHECK(t.socket.stops == 1);
    t.receiver.on_stop(3, "again");  // only the exit code changes
    CHECK(t.flushes.size() == 1);
    CHECK(t.receiver.exit_code() == 3);
}

TEST_CASE("a form submitted while stopping stays open with the reason on its first input",
          "[receiver]") {
    ReceiverTest t;
    t.receiver.on_stop(0, "SIGTERM");
    Envelope env;
    env.kind = EnvelopeKind::interactive;
    env.type = "interactive";
    env.envelope_id = "E1";
    Interaction in;
    in.type = "view_submission";
    in.key = "brag_new";
    in.user_id = "U1";
    in.payload = json{{"view",
                       {{"blocks", json::array({{{"type", "section"}, {"block_id", "intro"}},
                                                {{"type", "input"}, {"block_id", "text"}}})}}}};
    env.interaction = in;
    t.receiver.on_envelope(std::move(env), 3);
    REQUIRE(t.socket.acks.size() == 1);
    CHECK(t.socket.acks[0].frame["payload"]["response_action"] == "errors");
    CHECK(t.socket.acks[0].frame["payload"]["errors"].contains("text"));

    Envelope click;
    click.kind = EnvelopeKind::interactive;
    click.envelope_id = "E2";
    Interaction button;
    button.type = "block_actions";
    button.key = "brag_undo";
    button.response_url = "https://hooks.example/2";
    click.interaction = button;
    t.receiver.on_envelope(std::move(click), 3);
    REQUIRE(t.socket.acks.size() == 2);
    CHECK_FALSE(t.socket.acks[1].frame.contains("payload"));
    REQUIRE(t.told.size() == 1);
    CHECK_THAT(t.told[0], Catch::StartsWith("https://hooks.example/2 "));
}
