// The libFuzzer entry point of every target in fuzz/CMakeLists.txt, compiled once per target
// with FUZZ_HARNESS (the harness header) and FUZZ_CHECK (its check function) defined:
//   fuzz_envelope      one Socket Mode websocket message: parse_envelope, the ack, the handler
//   fuzz_command_text  command text through the whole router, as 17 commands on a seeded org
//   fuzz_csv_import    an org-chart CSV file: csv::parse and import_org_csv
// The checks live in fuzz/harness/, shared with tests/unit/test_fuzz_regressions.cpp.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include FUZZ_HARNESS

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    // stderr only when something is wrong: error lines are what the harness looks for.
    careerbot::init_logging("error", "text");
    // Build and seed the world before the first input, so its cost is not charged to it.
    (void)careerbot::fuzz::world();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        careerbot::fuzz::FUZZ_CHECK({reinterpret_cast<const char*>(data), size});
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
