#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "src/core/logging.hpp"

int main(int argc, char* argv[]) {
    // Tests assert on behaviour, not on log noise; captured sinks still see warnings.
    careerbot::init_logging("warn", "text");
    return Catch::Session().run(argc, argv);
}
