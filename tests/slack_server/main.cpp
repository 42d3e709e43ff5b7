// slack-test-server: the Slack test server as a program, for driving careerbot by hand.
// Prints {"port":N} first, then one JSON object per line for every Web API call, envelope, ack
// and connection event; reads commands from stdin (type "help").
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>

#include <pthread.h>

#include "slack_test_server.hpp"

namespace {

using careerbot::testing::SlackTestServer;
using nlohmann::json;

std::mutex out_mutex;

void print(const json& line) {
    std::lock_guard lock(out_mutex);
    std::cout << line.dump(-1, ' ', false, json::error_handler_t::replace) << '\n' << std::flush;
}

void print_error(const std::string& message) {
    print(json{{"event", "error"}, {"message", message}});
}

constexpr const char* usage = R"(usage: slack-test-server [--bot-token T] [--app-token T] [--port N]
                         [--ping-ms N] [--no-record]
Runs a fake Slack (Web API + Socket Mode) on 127.0.0.1. Point careerbot at it with
SLACK_API_URL=http://127.0.0.1:PORT/api/ SLACK_BOT_TOKEN=<bot token> SLACK_APP_TOKEN=<app token>.
)";

constexpr const char* commands_help = R"(commands (one per line on stdin):
  slash <user_id> <command> [text...]   deliver a slash command, e.g. slash U0ALICE /brag shipped it
  event <json>                          deliver an events_api envelope wrapping <json>
  interactive <json>                    deliver an interactive envelope with payload <json>
  raw <text>                            write <text> as a websocket frame, unchecked
  disconnect [reason]                   send Slack's disconnect message (default refresh_requested)
  drop [index] | close [index]          drop the TCP connection / close it with a close frame
  ping                                  send a websocket ping on every connection
  fail <method> <error> [count]         make the next calls of <method> fail with <error>
  ratelimit <method> <seconds> [count]  make the next calls of <method> answer HTTP 429
  connopen-error <error|clear>          make apps.connections.open fail until cleared
  delay <method> <ms>                   delay every response to <method>
  stats | connections | help | quit
)";

std::optional<std::size_t> parse_index(std::istringstream& in) {
    std::size_t index = 0;
    if (in >> index) return index;
    return std::nullopt;
}

std::string rest_of(std::istringstream& in) {
    std::string rest;
    std::getline(in, rest);
    auto start = rest.find_first_not_of(' ');
    return start == std::string::npos ? std::string{} : rest.substr(start);
}

/// Runs one stdin command; false means quit.
bool run_command(SlackTestServer& server, const SlackTestServer::Options& options,
                 const std::string& line) {
    std::istringstream in(line);
    std::string verb;
    if (!(in >> verb)) return true;
    if (verb == "quit" || verb == "exit") return false;
    if (verb == "help") {
        std::lock_guard lock(out_mutex);
        std::cerr << commands_help;
    } else if (verb == "slash") {
        careerbot::testing::SlashCommand command;
        if (!(in >> command.user_id >> command.command)) {
            print_error("usage: slash <user_id> <command> [text...]");
            return true;
        }
        command.user_name = command.user_id;
        for (const auto& user : options.users) {
            if (user.id == command.user_id) command.user_name = user.name;
        }
        command.text = rest_of(in);
        auto sent = server.send_slash_command(command);
        print(json{{"event", "sent"},
                   {"envelope_id", sent.envelope_id},
                   {"response_url", sent.response_url}});
    } else if (verb == "event" || verb == "interactive") {
        json payload = json::parse(rest_of(in), nullptr, false);
        if (payload.is_discarded()) {
            print_error("not valid JSON");
            return true;
        }
        std::string id =
            verb == "event" ? server.send_event(payload) : server.send_interactive(payload);
        print(json{{"event", "sent"}, {"envelope_id", id}});
    } else if (verb == "raw") {
        if (!server.send_raw(rest_of(in))) print_error("no live connection");
    } else if (verb == "disconnect") {
        std::string reason = rest_of(in);
        if (!server.send_disconnect(reason.empty() ? "refresh_requested" : reason)) {
            print_error("no live connection");
        }
    } else if (verb == "drop" || verb == "close") {
        auto index = parse_index(in);
        bool ok = verb == "drop" ? server.drop_connection(index) : server.close_connection(index);
        if (!ok) print_error("no such live connection");
    } else if (verb == "ping") {
        server.ping_now();
    } else if (verb == "fail" || verb == "ratelimit") {
        std::string method;
        std::string what;
        int count = 1;
        if (!(in >> method >> what)) {
            print_error("usage: " + verb + " <method> <error|seconds> [count]");
            return true;
        }
        in >> count;
        if (verb == "fail") {
            server.fail_next(method, what, count);
        } else {
            server.rate_limit_next(method, std::atoi(what.c_str()), count);
        }
    } else if (verb == "connopen-error") {
        std::string error = rest_of(in);
        server.set_connections_open_error(error == "clear" ? std::string{} : error);
    } else if (verb == "delay") {
        std::string method;
        long ms = 0;
        if (!(in >> method >> ms)) {
            print_error("usage: delay <method> <ms>");
            return true;
        }
        server.set_response_delay(method, std::chrono::milliseconds(ms));
    } else if (verb == "stats") {
        auto s = server.stats();
        print(json{{"event", "stats"},
                   {"api_calls", s.api_calls},
                   {"envelopes_sent", s.envelopes_sent},
                   {"acks", s.acks},
                   {"duplicate_acks", s.duplicate_acks},
                   {"unknown_acks", s.unknown_acks},
                   {"outstanding", s.outstanding},
                   {"connections_opened", s.connections_opened},
                   {"live_connections", s.live_connections},
                   {"pongs_received", s.pongs_received}});
    } else if (verb == "connections") {
        for (const auto& c : server.connections()) {
            print(json{{"event", "connection"},
                       {"index", c.index},
                       {"live", c.live},
                       {"client_sent_close", c.client_sent_close},
                       {"envelopes_sent", c.envelopes_sent}});
        }
    } else {
        print_error("unknown command '" + verb + "' (try help)");
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    SlackTestServer::Options options;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << usage;
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--bot-token") {
            options.bot_token = value();
        } else if (arg == "--app-token") {
            options.app_token = value();
        } else if (arg == "--port") {
            options.port = static_cast<std::uint16_t>(std::stoi(value()));
        } else if (arg == "--ping-ms") {
            options.ping_interval = std::chrono::milliseconds(std::stol(value()));
        } else if (arg == "--no-record") {
            options.record_acks = false;
            options.record_calls = false;
        } else {
            std::cerr << usage;
            return arg == "--help" || arg == "-h" ? 0 : 2;
        }
    }

    // SIGINT/SIGTERM are taken by one thread with sigwait, so they must be blocked everywhere
    // before any other thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    SlackTestServer server(options);
    server.set_log_sink([](const json& line) { print(line); });
    try {
        server.start();
    } catch (const std::exception& e) {
        std::cerr << e.what() << '\n';
        return 1;
    }
    print(json{{"port", server.port()}});

    std::thread([&server, signals] {
        int received = 0;
        sigwait(&signals, &received);
        server.stop();
        print(json{{"event", "stopped"}, {"signal", received}});
        std::_Exit(0);
    }).detach();

    std::string line;
    bool stdin_open = true;
    while ((stdin_open = static_cast<bool>(std::getline(std::cin, line)))) {
        if (!run_command(server, options, line)) break;
    }
    if (!stdin_open) {
        // Without a terminal (e.g. started in the background) keep serving until a signal.
        // The signal thread ends the process.
        std::promise<void> never;
        never.get_future().wait();
    }
    server.stop();
    print(json{{"event", "stopped"}});
    return 0;
}
