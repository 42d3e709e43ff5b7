#include <catch2/catch.hpp>

#include "src/core/csv.hpp"

using namespace careerbot;

TEST_CASE("csv cells that a spreadsheet would run as a formula are neutralised", "[csv]") {
    // OWASP's rule: a leading = + - @ tab or CR gets a single quote in front, and the cell is
    // quoted.
    CHECK(csv::field("=HYPERLINK(\"http://evil\",\"x\")") ==
          "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
    CHECK(csv::field("+1+cmd|' /C calc'!A0") == "\"'+1+cmd|' /C calc'!A0\"");
    CHECK(csv::field("-2+3") == "\"'-2+3\"");
    CHECK(csv::field("@SUM(A1)") == "\"'@SUM(A1)\"");
    CHECK(csv::field("\t=1") == "\"'\t=1\"");
    CHECK(csv::field("\r=1") == "\"'\r=1\"");
    // Anything else is left alone, and quoted only when RFC 4180 needs it.
    CHECK(csv::field("fixed the bug") == "fixed the bug");
    CHECK(csv::field("a = b, c") == "\"a = b, c\"");
    CHECK(csv::field("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csv::field("two\nlines") == "\"two\nlines\"");
    CHECK(csv::field("") == "");
    // What a reader gets back is the neutralised text.
    auto rows = csv::parse(csv::field("=1+1") + "," + csv::field("ok") + "\r\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].fields == std::vector<std::string>{"'=1+1", "ok"});
}
