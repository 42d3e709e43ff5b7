// The real careerbot binary in console mode, driven through stdin.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <SQLiteCpp/Database.h>

namespace fs = std::filesystem;

namespace {

struct Scratch {
    fs::path dir;
    Scratch() {
        dir = fs::temp_directory_path() / ("careerbot-e2e-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(next()++));
        fs::create_directories(dir);
    }
    ~Scratch() { fs::remove_all(dir); }
    static int& next() {
        static int n = 0;
        return n;
    }
};

struct RunResult {
    int status;
    std::string out;
    std::string err;
};

/// Runs `careerbot <args>` with `input` on stdin; arguments are fixed strings from the tests.
RunResult run_careerbot(const Scratch& s, const std::string& args, const std::string& input) {
    auto in = s.dir / "stdin.txt";
    auto out = s.dir / "stdout.txt";
    auto err = s.dir / "stderr.txt";
    std::ofstream(in, std::ios::binary) << input;
    std::string cmd = std::string("cd '") + s.dir.string() + "' && '" CAREERBOT_BINARY "' " + args +
                      " < '" + in.string() + "' > '" + out.string() + "' 2> '" + err.string() + "'";
    int status = std::system(cmd.c_str());
    auto slurp = [](const fs::path& p) {
        std::ifstream f(p, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        return ss.str();
    };
    return {WEXITSTATUS(status), slurp(out), slurp(err)};
}

}  // namespace

TEST_CASE("console logs and lists brags with no Slack at all", "[console]") {
    Scratch s;
    auto r = run_careerbot(s, "--db bot.db --now 2026-11-20T10:00:00Z console --as alice",
                           "/brag shipped X #infra\n/brag yesterday fixed the <flaky> test & more\n"
                           "/brag list\n");
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Logged brag *#1*"));
    CHECK_THAT(r.out, Catch::Contains("Your brags — 2 brags"));
    CHECK_THAT(r.out, Catch::Contains("*#1* · 2026-11-20 — shipped X #infra"));
    CHECK_THAT(r.out, Catch::Contains("*#2* · 2026-11-19 — fixed the <flaky> test & more"));

    SQLite::Database db((s.dir / "bot.db").string());
    SQLite::Statement q(db, "SELECT text, happened_on, source FROM brags ORDER BY number");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "shipped X #infra");
    CHECK(q.getColumn(2).getString() == "console");
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getString() == "fixed the <flaky> test & more");
    CHECK(q.getColumn(1).getString() == "2026-11-19");
    CHECK(db.execAndGet("SELECT tag FROM brag_tags").getString() == "infra");
}

TEST_CASE("console sessions share the database and the visibility rules", "[console]") {
    Scratch s;
    REQUIRE(run_careerbot(s, "--db bot.db console --as bob", "/brag wrote the design doc\n").status == 0);
    auto peek = run_careerbot(s, "--db bot.db console --as carol", "/brag list @bob\n/brag export @bob\n");
    CHECK_THAT(peek.out, Catch::Contains(":lock:"));
    CHECK_THAT(peek.out, !Catch::Contains("design doc"));
    auto mine = run_careerbot(s, "--db bot.db console --as bob", "/brag list\n");
    CHECK_THAT(mine.out, Catch::Contains("wrote the design doc"));
}

TEST_CASE("console explains bad lines and keeps going", "[console]") {
    Scratch s;
    std::string input = "hello\n/unknown thing\n/brag\n/brag delete 7\n/brag " +
                        std::string(40 * 1024, 'y') + "\n/brag still works\nquit\n/brag never runs\n";
    auto r = run_careerbot(s, "--db bot.db console --as dana", input);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Commands start with a slash"));
    CHECK_THAT(r.out, Catch::Contains("I don't know the command `/unknown`"));
    CHECK_THAT(r.out, Catch::Contains("You have no brag #7"));
    CHECK_THAT(r.out, Catch::Contains("a brag is at most 4,000 bytes"));
    CHECK_THAT(r.out, Catch::Contains("Logged brag *#1*"));
    CHECK_THAT(r.out, !Catch::Contains("never runs"));
}

TEST_CASE("console commands that read or are refused create nobody", "[console]") {
    Scratch s;
    REQUIRE(run_careerbot(s, "--db bot.db console --as alice", "/brag shipped X\n").status == 0);
    auto r = run_careerbot(s, "--db bot.db console --as alice",
                           "/brag list @nosuch\n/task list @nosuch\n/ido status @nosuch\n"
                           "/team list @nosuch\n/brag export @nosuch\n/promo status @nosuch\n"
                           "/brag lsit\n/brag shipped Y with @nosuch2 #team\n");
    INFO(r.out);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("Did you mean `/brag list`?"));
    SQLite::Database db((s.dir / "bot.db").string());
    CHECK(db.execAndGet("SELECT count(*) FROM people WHERE id LIKE 'nosuch%'").getInt() == 1);
    CHECK(db.execAndGet("SELECT count(*) FROM people WHERE id = 'nosuch'").getInt() == 0);
    CHECK(db.execAndGet("SELECT count(*) FROM brags").getInt() == 2);
}

TEST_CASE("careerbot export writes a CSV no spreadsheet runs as a formula", "[cli]") {
    Scratch s;
    REQUIRE(run_careerbot(s, "--db bot.db console --as alice",
                          "/brag =HYPERLINK(\"http://evil.example\") #ops impact: +1 for all\n")
                .status == 0);
    auto r = run_careerbot(s, "--db bot.db export --person alice --format csv", "");
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains(
                          ",\"'=HYPERLINK(\"\"http://evil.example\"\") #ops\",\"'+1 for all\","));
    CHECK_THAT(r.out, !Catch::Contains(",=HYPERLINK"));
}

TEST_CASE("migrate, backup and --help work from the command line", "[cli]") {
    Scratch s;
    auto m = run_careerbot(s, "--db bot.db migrate", "");
    CHECK(m.status == 0);
    CHECK_THAT(m.out, Catch::Contains("schema version"));
    run_careerbot(s, "--db bot.db console --as erin", "/brag backed up #ops\n");
    auto b = run_careerbot(s, "--db bot.db backup copy.db", "");
    CHECK(b.status == 0);
    SQLite::Database copy((s.dir / "copy.db").string());
    CHECK(copy.execAndGet("SELECT count(*) FROM brags").getInt() == 1);
    for (const char* sub : {"", "run ", "console ", "migrate ", "backup "}) {
        auto h = run_careerbot(s, std::string(sub) + "--help", "");
        CHECK(h.status == 0);
        CHECK_THAT(h.out, Catch::Contains("Usage") || Catch::Contains("usage"));
    }
}

TEST_CASE("an unreadable database and a bad config fail with a clear message", "[cli]") {
    Scratch s;
    std::ofstream(s.dir / "junk.db") << std::string(8192, 'j');
    auto r = run_careerbot(s, "--db junk.db console --as x", "/brag hi\n");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("cannot open database"));
    std::ofstream(s.dir / "bad.toml") << "[org]\nfiscal_year_start_month = 0\n";
    auto c = run_careerbot(s, "--config bad.toml console --as x", "");
    CHECK(c.status == 2);
    CHECK_THAT(c.err, Catch::Contains("fiscal_year_start_month"));
}
