#include <catch2/catch.hpp>

#include "commands/brag_text.hpp"
#include "src/core/error.hpp"

using namespace careerbot;
using namespace date::literals;

namespace {
const date::year_month_day kToday = 2026_y / 11 / 20;
}

TEST_CASE("tags, link, impact and date are recognised in a brag", "[brag]") {
    auto f = commands::parse_brag(
        "yesterday shipped the #Billing migration #infra https://git.example/pr/42. "
        "impact: cut p99 latency by 40%",
        kToday);
    CHECK(f.text == "shipped the #Billing migration #infra https://git.example/pr/42.");
    CHECK(f.tags == std::vector<std::string>{"billing", "infra"});
    CHECK(f.link == "https://git.example/pr/42");
    CHECK(f.impact == "cut p99 latency by 40%");
    CHECK(f.happened_on == "2026-11-19");
}

TEST_CASE("a brag without a date happened today", "[brag]") {
    auto f = commands::parse_brag("mentored a new hire", kToday);
    CHECK(f.happened_on == "2026-11-20");
    CHECK(f.tags.empty());
    CHECK(f.link.empty());
}

TEST_CASE("URL fragments and channel names are not tags", "[brag]") {
    auto f = commands::parse_brag("read https://x.io/page#section in a#b and #ops-oncall", kToday);
    CHECK(f.tags == std::vector<std::string>{"ops-oncall"});
}

TEST_CASE("a brag with only a date or only an impact is refused", "[brag]") {
    CHECK_THROWS_AS(commands::parse_brag("yesterday", kToday), UserError);
    CHECK_THROWS_AS(commands::parse_brag("impact: huge", kToday), UserError);
}

TEST_CASE("a brag dated in the future is refused", "[brag]") {
    CHECK_THROWS_WITH(commands::parse_brag("2026-12-01 will ship", kToday),
                      Catch::Contains("future"));
}

TEST_CASE("Slack text is stored as plain text with names resolved", "[brag]") {
    auto names = [](const std::string& id) { return id == "U1" ? std::string("bob") : id; };
    CHECK(commands::to_plain("paired with <@U1|bob> &amp; <!here> on <https://a.b/c|the fix>", names) ==
          "paired with @bob & @here on the fix (https://a.b/c)");
}

TEST_CASE("echoed brag lines escape what the user typed", "[brag]") {
    storage::Brag b;
    b.number = 3;
    b.happened_on = "2026-11-19";
    b.text = "<!channel> ping <@U1> & <http://evil|bank>";
    b.link = "https://x.io/?a=1&b=2";
    auto line = commands::brag_line(b);
    CHECK(line.find("<!channel>") == std::string::npos);
    CHECK(line.find("<@U1>") == std::string::npos);
    CHECK(line.find("&lt;!channel&gt;") != std::string::npos);
    CHECK(line.find("<https://x.io/?a=1&amp;b=2|link>") != std::string::npos);
}
