// Replays every input the fuzzers found a bug with (fuzz/regressions/<target>/), the known
// issues (fuzz/known-issues/<target>/) and the committed seed corpora (fuzz/corpus/<target>/)
// through the same checks the libFuzzer targets run (fuzz/harness/*.hpp), so the normal GCC build
// guards the fixes on every run. See fuzz/README.md.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "fuzz/harness/command_text.hpp"
#include "fuzz/harness/csv_import.hpp"
#include "fuzz/harness/envelope.hpp"
// Named here (not only through the harness) so tests/CMakeLists.txt leaves this file out of a
// console-only build, which has no Slack transport to link.
#include "src/slack/envelope.hpp"

namespace fs = std::filesystem;

namespace {

using Check = void (*)(std::string_view);

std::vector<fs::path> inputs_in(const fs::path& dir) {
    std::vector<fs::path> out;
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.is_regular_file() && e.path().filename().string().front() != '.')
            out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string read_bytes(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Runs each file of `kind` (regressions or corpus) for `target` through `check`.
std::size_t replay(const std::string& kind, const std::string& target, Check check) {
    const fs::path dir = fs::path(CAREERBOT_SOURCE_DIR) / "fuzz" / kind / target;
    auto files = inputs_in(dir);
    for (const auto& f : files) {
        INFO(f.string());
        const std::string data = read_bytes(f);
        try {
            check(data);
            SUCCEED();
        } catch (const careerbot::fuzz::Failure& e) {
            FAIL_CHECK(e.what());
        } catch (const std::exception& e) {
            FAIL_CHECK(std::string("uncaught exception: ") + e.what());
        }
    }
    return files.size();
}

void replay_target(const std::string& target, Check check) {
    replay("regressions", target, check);
    // Inputs the harness tolerates for now (fuzz/README.md, "Known issues"): still no crash.
    replay("known-issues", target, check);
    // The seeds must be there: an empty replay would pass without testing anything.
    CHECK(replay("corpus", target, check) > 0);
}

}  // namespace

TEST_CASE("fuzz regressions and seeds: Socket Mode envelopes", "[fuzz][envelope]") {
    replay_target("envelope", &careerbot::fuzz::check_envelope);
}

TEST_CASE("fuzz regressions and seeds: command texts", "[fuzz][commands]") {
    replay_target("command_text", &careerbot::fuzz::check_command_text);
}

TEST_CASE("fuzz regressions and seeds: org chart CSV import", "[fuzz][csv]") {
    replay_target("csv_import", &careerbot::fuzz::check_csv_import);
}
