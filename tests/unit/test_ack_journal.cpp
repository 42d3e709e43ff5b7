// The ack journal: envelopes acked before they committed are told their fate after a crash.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>

#include "src/slack/ack_journal.hpp"
#include "tests/unit/fixture.hpp"

using namespace careerbot;

TEST_CASE("the ack journal hands the next run what was acked early and never answered",
          "[slack][reliability]") {
    auto path = std::filesystem::temp_directory_path() /
                ("careerbot-journal-" + std::to_string(::getpid()));
    std::filesystem::remove(path);
    const auto at = testing::test_now();
    {
        slack::AckJournal j(path.string());
        j.acked_early({"E1", "https://hooks/1", "`/brag one`", at});
        j.acked_early({"E2", "https://hooks/2", "`/brag two`", at});
        j.resolved("E1");
        j.resolved("E9");  // never journaled: nothing written
        CHECK(j.open_entries() == 1);
    }  // killed here, as far as the file knows
    CHECK((std::filesystem::status(path).permissions() & std::filesystem::perms::others_read) ==
          std::filesystem::perms::none);
    {
        slack::AckJournal j(path.string());
        auto left = j.take_unresolved();
        REQUIRE(left.size() == 1);
        CHECK(left[0].envelope_id == "E2");
        CHECK(left[0].response_url == "https://hooks/2");
        CHECK(left[0].what == "`/brag two`");
        CHECK(left[0].acked_at == at);
        CHECK(j.take_unresolved().empty());  // told once
        // Everything answered: the file starts afresh.
        j.acked_early({"E3", "u", "w", at});
        j.resolved("E3");
    }
    CHECK(std::filesystem::file_size(path) == 0);
    std::filesystem::remove(path);
}
