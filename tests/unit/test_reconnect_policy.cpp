#include <catch2/catch.hpp>

#include <chrono>

#include "src/slack/reconnect_policy.hpp"

using namespace careerbot::slack;
using std::chrono::milliseconds;

namespace {
ReconnectPolicy fixed(double r, ReconnectOptions o = {}) {
    return ReconnectPolicy(o, [r] { return r; });
}
}  // namespace

TEST_CASE("reconnect delay grows with consecutive failures", "[reconnect]") {
    auto p = fixed(0.0);  // no jitter taken off
    CHECK(p.next_delay() == milliseconds(250));
    CHECK(p.next_delay() == milliseconds(500));
    CHECK(p.next_delay() == milliseconds(1000));
    CHECK(p.next_delay() == milliseconds(2000));
    CHECK(p.failures() == 4);
}

TEST_CASE("reconnect delay is capped", "[reconnect]") {
    auto p = fixed(0.0);
    milliseconds last{0};
    for (int i = 0; i < 200; ++i) last = p.next_delay();
    CHECK(last == milliseconds(30000));
}

TEST_CASE("jitter takes off at most the configured fraction", "[reconnect]") {
    auto low = fixed(0.999999);
    CHECK(low.next_delay() == milliseconds(125));
    auto mid = fixed(0.5);
    CHECK(mid.next_delay() == milliseconds(188));  // 250 * 0.75, rounded
    ReconnectOptions o;
    o.jitter = 0.0;
    auto none = fixed(0.9, o);
    CHECK(none.next_delay() == milliseconds(250));
}

TEST_CASE("jittered delays vary with the random source", "[reconnect]") {
    double values[] = {0.1, 0.9};
    int i = 0;
    ReconnectPolicy p({}, [&] { return values[i++ % 2]; });
    auto a = p.next_delay();
    p.on_hello();
    auto b = p.next_delay();
    CHECK(a != b);
    CHECK(a <= milliseconds(250));
    CHECK(b >= milliseconds(125));
}

TEST_CASE("hello resets the backoff", "[reconnect]") {
    auto p = fixed(0.0);
    p.next_delay();
    p.next_delay();
    p.next_delay();
    p.on_hello();
    CHECK(p.failures() == 0);
    CHECK(p.next_delay() == milliseconds(250));
}

TEST_CASE("the default random source stays within bounds", "[reconnect]") {
    ReconnectPolicy p;
    for (int n = 0; n < 20; ++n) {
        auto d = p.next_delay();
        CHECK(d >= milliseconds(0));
        CHECK(d <= milliseconds(30000));
    }
}

TEST_CASE("auth and configuration errors stop reconnecting", "[reconnect]") {
    CHECK(ReconnectPolicy::should_stop("invalid_auth"));
    CHECK(ReconnectPolicy::should_stop("account_inactive"));
    CHECK(ReconnectPolicy::should_stop("link_disabled"));
    CHECK_FALSE(ReconnectPolicy::should_stop("warning"));
    CHECK_FALSE(ReconnectPolicy::should_stop("refresh_requested"));
    CHECK_FALSE(ReconnectPolicy::should_stop("too_many_websockets"));
    CHECK_FALSE(ReconnectPolicy::should_stop("ratelimited"));
    CHECK_FALSE(ReconnectPolicy::should_stop("internal_error"));
    CHECK_FALSE(ReconnectPolicy::should_stop(""));
}
