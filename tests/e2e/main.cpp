// careerbot refuses to start `run` or `console` without a levels file (README "Levels"), and
// the tests run it in scratch directories: every child process gets the example ladder unless
// a test says otherwise.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char* argv[]) {
    ::setenv("CAREERBOT_LEVELS", CAREERBOT_SOURCE_DIR "/config/levels.example.toml", 0);
    return Catch::Session().run(argc, argv);
}
