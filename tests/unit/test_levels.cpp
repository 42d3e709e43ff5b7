#include <catch2/catch.hpp>

#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "src/core/config.hpp"
#include "src/core/error.hpp"
#include "src/core/levels.hpp"

using namespace careerbot;

namespace {
const char* kLadder = R"(
[[level]]
id = "L1"
title = "Engineer"
training = ["Onboarding"]

[[level]]
id = "L2"
title = "Senior"
training = ["Incident commander"]
certifications = ["AWS SAA"]
  [[level.dimension]]
  name = "Scope"
  expectation = "Leads projects"
  tags = ["#design", "RFC"]
  [[level.dimension]]
  name = "Mentoring"
  tags = ["mentoring"]
  min_brags = 2
)";
}  // namespace

TEST_CASE("levels parse in order with dimensions, tags and requirements", "[levels]") {
    auto levels = Levels::parse(kLadder);
    REQUIRE(levels.all().size() == 2);
    CHECK(levels.all()[0].id == "L1");
    const Level* l2 = levels.find("l2");
    REQUIRE(l2 != nullptr);
    CHECK(l2->title == "Senior");
    REQUIRE(l2->dimensions.size() == 2);
    CHECK(l2->dimensions[0].tags == std::vector<std::string>{"design", "rfc"});
    CHECK(l2->dimensions[1].min_brags == 2);
    CHECK(levels.next_after(std::nullopt)->id == "L1");
    CHECK(levels.next_after(std::string("L1"))->id == "L2");
    CHECK(levels.next_after(std::string("L2")) == nullptr);
    CHECK(levels.evidence_tags() == std::vector<std::string>{"design", "mentoring", "rfc"});
}

TEST_CASE("readiness names the missing training, certifications and evidence", "[levels]") {
    auto levels = Levels::parse(kLadder);
    Evidence ev;
    ev.certs = {normalise_cert("  aws   saa ")};
    ev.add_brag({"rfc"});
    ev.add_brag({"mentoring"});
    auto r = levels.readiness("L2", ev);
    CHECK_FALSE(r.ready());
    // Training of every level up to the target counts, the lower one included.
    CHECK(r.missing_certs == std::vector<std::string>{"Onboarding", "Incident commander"});
    CHECK(r.missing_evidence == std::vector<std::string>{"Mentoring"});
    CHECK(r.describe() == "for L2 missing: Onboarding, Incident commander, evidence for Mentoring");

    ev.certs.insert("onboarding");
    ev.certs.insert("incident commander");
    ev.add_brag({"mentoring"});
    CHECK(levels.readiness("L2", ev).ready());
    CHECK_THROWS_AS(levels.readiness("L9", ev), UserError);
}

TEST_CASE("bad levels files are refused with the reason", "[levels]") {
    CHECK_THROWS_WITH(Levels::parse("[[level]]\ntitle = \"x\"\n", "lv"),
                      Catch::Contains("needs a non-empty `id`"));
    CHECK_THROWS_WITH(Levels::parse("[[level]]\nid = \"L1\"\nbogus = 1\n", "lv"),
                      Catch::Contains("unknown key 'bogus'"));
    CHECK_THROWS_WITH(Levels::parse("[[level]]\nid = \"L1\"\n[[level]]\nid = \"l1\"\n", "lv"),
                      Catch::Contains("duplicate id"));
    CHECK_THROWS_AS(Levels::parse("[[level]\n"), Error);
}

TEST_CASE("the example levels file loads", "[levels]") {
    auto levels = Levels::load(std::string(CAREERBOT_SOURCE_DIR) + "/config/levels.example.toml");
    CHECK(levels.all().size() >= 3);
    for (const auto& l : levels.all()) CHECK_FALSE(l.dimensions.empty());
}

TEST_CASE("a brag with several of a dimension's tags is one brag of evidence", "[levels]") {
    auto levels = Levels::parse(kLadder);
    Evidence ev;
    ev.certs = {"aws saa", "onboarding", "incident commander"};
    ev.add_brag({"rfc", "design"});
    ev.add_brag({"mentoring", "design"});
    CHECK(ev.brags_tagged({"design", "rfc"}) == 2);
    CHECK(ev.brags_tagged({"mentoring"}) == 1);
    // Mentoring needs two brags: one brag tagged twice over is not two.
    ev.add_brag({"mentoring", "rfc"});
    CHECK(ev.brags_tagged({"mentoring"}) == 2);
    CHECK(levels.readiness("L2", ev).ready());
    Evidence one;
    one.certs = ev.certs;
    one.add_brag({"mentoring", "rfc", "design"});
    CHECK(one.brags_tagged({"design", "rfc"}) == 1);
    CHECK(levels.readiness("L2", one).missing_evidence == std::vector<std::string>{"Mentoring"});
}

namespace {
/// A directory of its own under the system temp directory, removed afterwards.
struct TempDir {
    std::filesystem::path path;
    explicit TempDir(const std::string& name)
        : path(std::filesystem::temp_directory_path() /
               ("careerbot-levels-" + name + "-" + std::to_string(::getpid()))) {
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
    void write(const std::string& file, const std::string& text) const {
        std::filesystem::create_directories((path / file).parent_path());
        std::ofstream(path / file, std::ios::binary) << text;
    }
};
}  // namespace

TEST_CASE("a relative levels_file is read beside the config file, not the working directory",
          "[levels][config]") {
    TempDir etc("etc");
    etc.write("careerbot/careerbot.toml", "[org]\nlevels_file = \"ladder/levels.toml\"\n");
    etc.write("careerbot/ladder/levels.toml", kLadder);
    auto config = Config::load(etc.path / "careerbot/careerbot.toml");
    CHECK(Levels::path_for(config) == etc.path / "careerbot/ladder/levels.toml");
    CHECK(Levels::load_required(config).all().size() == 2);

    // Nothing named: levels.toml beside the config, as deploy/ installs it.
    etc.write("beside/careerbot.toml", "[org]\ndefault_timezone = \"UTC\"\n");
    etc.write("beside/levels.toml", kLadder);
    CHECK(Levels::load_required(Config::load(etc.path / "beside/careerbot.toml")).all().size() ==
          2);

    // An absolute path stays as it is.
    etc.write(
        "abs/careerbot.toml",
        "[org]\nlevels_file = \"" + (etc.path / "careerbot/ladder/levels.toml").string() + "\"\n");
    CHECK(Levels::path_for(Config::load(etc.path / "abs/careerbot.toml")) ==
          etc.path / "careerbot/ladder/levels.toml");
}

TEST_CASE("a missing, broken or empty levels file is refused at start-up with what to fix",
          "[levels][config]") {
    TempDir etc("bad");
    etc.write("careerbot.toml", "[org]\nlevels_file = \"levels.toml\"\n");
    auto config = Config::load(etc.path / "careerbot.toml");
    CHECK_THROWS_WITH(Levels::load_required(config),
                      Catch::Contains((etc.path / "levels.toml").string() + " does not exist") &&
                          Catch::Contains("relative to the config file"));
    etc.write("levels.toml", "[[level]]\ntitle = \"no id\"\n");
    CHECK_THROWS_WITH(Levels::load_required(config), Catch::Contains("needs a non-empty `id`"));
    etc.write("levels.toml", "# nothing yet\n");
    CHECK_THROWS_WITH(Levels::load_required(config), Catch::Contains("no levels in it"));
}
