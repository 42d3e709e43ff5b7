#include <catch2/catch.hpp>

#include <fstream>

#include "src/core/config.hpp"
#include "src/core/error.hpp"
#include "src/core/logging.hpp"

using namespace careerbot;

TEST_CASE("an empty config gives every default", "[config]") {
    auto c = Config::parse("");
    CHECK(c.database.path == "careerbot.db");
    CHECK(c.log.format == "text");
    CHECK(c.org.fiscal_year_start_month == 1);
    CHECK(c.reminders.one_on_one_lead == std::chrono::minutes(120));
    CHECK(c.reminders.checkin_interval_weeks == 6);
}

TEST_CASE("config values are read and checked", "[config]") {
    auto c = Config::parse(R"(
[database]
path = "/var/lib/careerbot/db.sqlite"
[org]
default_timezone = "Europe/Paris"
fiscal_year_start_month = 2
admins = ["U1", "U2"]
[reminders]
one_on_one_lead_minutes = 90
)");
    CHECK(c.database.path == "/var/lib/careerbot/db.sqlite");
    CHECK(c.org.default_timezone == "Europe/Paris");
    CHECK(c.org.admins == std::vector<std::string>{"U1", "U2"});
    CHECK(c.reminders.one_on_one_lead == std::chrono::minutes(90));
    CHECK_THROWS_WITH(Config::parse("[org]\nfiscal_year_start_month = 13"),
                      Catch::Contains("fiscal_year_start_month"));
    CHECK_THROWS_WITH(Config::parse("[org]\ndefault_timezone = \"Mars/Olympus\""),
                      Catch::Contains("IANA"));
    CHECK_THROWS_WITH(Config::parse("[databse]\npath = \"x\""),
                      Catch::Contains("unknown key 'databse.path'"));
    CHECK_THROWS_WITH(Config::parse("[log]\nformat = 3"), Catch::Contains("log.format"));
    CHECK_THROWS_WITH(Config::parse("[log\n"), Catch::Contains("config:1"));
}

TEST_CASE("the example config in config/ parses and documents every key", "[config]") {
    std::ifstream in(std::string(CAREERBOT_SOURCE_DIR) + "/config/careerbot.example.toml");
    REQUIRE(in);
    std::stringstream ss;
    ss << in.rdbuf();
    CHECK_NOTHROW(Config::parse(ss.str(), "careerbot.example.toml"));
}

TEST_CASE("tokens are redacted from log text", "[logging][security]") {
    add_secret("s3cr3t-value-from-env");
    auto out = redact(
        "bot xoxb-123-456-abcDEF app xapp-1-A0-123-abc user xoxp-9 and s3cr3t-value-from-env");
    CHECK(out == "bot [redacted] app [redacted] user [redacted] and [redacted]");
}

TEST_CASE("working hours are a range of two clock times", "[config]") {
    CHECK(Config::parse("").reminders.working_hours == "08:00-18:00");
    CHECK(Config::parse("[reminders]\nworking_hours = \"07:30-16:00\"").reminders.working_hours ==
          "07:30-16:00");
    for (const char* bad : {"18:00-08:00", "8-18", "08:00-24:00", "08:00 18:00", "09:00-09:00"}) {
        INFO(bad);
        CHECK_THROWS_WITH(
            Config::parse(std::string("[reminders]\nworking_hours = \"") + bad + "\""),
            Catch::Contains("working_hours"));
    }
}
