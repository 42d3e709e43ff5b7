// libFuzzer entry point. An org-chart CSV file: csv::parse and import_org_csv into the seeded
// database. The checks live in fuzz/harness/csv_import.hpp, shared with
// tests/unit/test_fuzz_regressions.cpp.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "fuzz/harness/csv_import.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // stderr only when something is wrong: error lines are what the harness looks for.
    careerbot::init_logging("error", "text");
    // Build and seed the world before the first input, so its cost is not charged to it.
    (void)careerbot::fuzz::world();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        careerbot::fuzz::check_csv_import({reinterpret_cast<const char*>(data), size});
    } catch (const careerbot::fuzz::Failure& f) {
        // abort() is what libFuzzer saves a crash file for.
        std::fprintf(stderr, "==careerbot-fuzz== FAILURE: %s\n", f.what());
        std::abort();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "==careerbot-fuzz== uncaught exception: %s\n", e.what());
        std::abort();
    }
    return 0;
}
