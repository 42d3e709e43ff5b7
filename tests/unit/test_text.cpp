#include <catch2/catch.hpp>

#include "src/core/error.hpp"
#include "src/core/text.hpp"

using namespace careerbot;

TEST_CASE("valid UTF-8 is accepted and malformed sequences are refused", "[text]") {
    CHECK(text::valid_utf8("plain ascii"));
    CHECK(text::valid_utf8("caf\xC3\xA9 \xE2\x80\x94 \xF0\x9F\x9A\x80"));  // café — 🚀
    CHECK_FALSE(text::valid_utf8("\xC3"));                                 // truncated
    CHECK_FALSE(text::valid_utf8("\xC0\xAF"));                             // overlong '/'
    CHECK_FALSE(text::valid_utf8("\xED\xA0\x80"));                         // UTF-16 surrogate
    CHECK_FALSE(text::valid_utf8("\xFF\xFE"));
    CHECK_FALSE(text::valid_utf8("ok\x80"));
}

TEST_CASE("control characters are stripped but newlines and tabs kept", "[text]") {
    CHECK(text::strip_controls(std::string("a\x01"
                                           "b\x1b[31mc\r\nd\te\x7f",
                                           15)) == "ab[31mc\nd\te");
}

TEST_CASE("mentions are read from Slack's <@U…> tokens only", "[text]") {
    CHECK(text::mention_id("<@U123ABC>") == std::optional<std::string>("U123ABC"));
    CHECK(text::mention_id("<@U123|alice>") == std::optional<std::string>("U123"));
    CHECK_FALSE(text::mention_id("@alice"));
    CHECK_FALSE(text::mention_id("<!channel>"));
    CHECK_FALSE(text::mention_id("<@U1 2>"));
    CHECK(text::mentions("thanks <@U1> and <@U2|bob>, <@U1> again") ==
          std::vector<std::string>{"U1", "U2"});
}

TEST_CASE("numbers accept 3 and #3 but nothing else", "[text]") {
    CHECK(text::parse_number("3") == 3);
    CHECK(text::parse_number("#12") == 12);
    CHECK_FALSE(text::parse_number("0"));
    CHECK_FALSE(text::parse_number("-1"));
    CHECK_FALSE(text::parse_number("3a"));
    CHECK_FALSE(text::parse_number("99999999999999"));
}

TEST_CASE("user text is refused when empty, too long or not UTF-8", "[text]") {
    CHECK(text::clean_user_text("  hi\x01 there ", 100, "brag") == "hi there");
    CHECK_THROWS_AS(text::clean_user_text("   ", 100, "brag"), UserError);
    CHECK_THROWS_WITH(text::clean_user_text(std::string(40 * 1024, 'x'), 4000, "brag"),
                      Catch::Contains("That brag is 40,960 bytes long; a brag is at most "
                                      "4,000 bytes."));
    CHECK_THROWS_WITH(text::clean_user_text("bad \xFF", 100, "brag"), Catch::Contains("UTF-8"));
}

TEST_CASE("first_word splits a subcommand from its arguments", "[text]") {
    CHECK(text::first_word("  edit 3  new text ") ==
          std::pair<std::string, std::string>{"edit", "3  new text"});
    CHECK(text::first_word("") == std::pair<std::string, std::string>{"", ""});
    CHECK(text::first_word("list") == std::pair<std::string, std::string>{"list", ""});
}
