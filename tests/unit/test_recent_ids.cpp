#include <catch2/catch.hpp>

#include "src/slack/recent_ids.hpp"

using careerbot::slack::RecentIds;

TEST_CASE("a repeated envelope id is recognised until it is forgotten", "[envelope][reliability]") {
    RecentIds ids(3);
    CHECK(ids.remember("E1"));
    CHECK_FALSE(ids.remember("E1"));
    CHECK(ids.remember("E2"));
    CHECK(ids.remember("E3"));
    CHECK_FALSE(ids.remember("E2"));
    CHECK(ids.remember("E4"));  // E1, the oldest, is forgotten
    CHECK(ids.size() == 3);
    CHECK(ids.remember("E1"));
    CHECK_FALSE(ids.remember("E4"));
}
