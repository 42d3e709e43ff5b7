// The real careerbot binary in console mode, driven through stdin.
#include <catch2/catch.hpp>

#include <unistd.h>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <SQLiteCpp/Database.h>

namespace fs = std::filesystem;

namespace {

struct Scratch {
    fs::path dir;
    Scratch() {
        dir = fs::temp_directory_path() /
              ("careerbot-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(next()++));
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
    REQUIRE(
        run_careerbot(s, "--db bot.db console --as bob", "/brag wrote the design doc\n").status ==
        0);
    auto peek =
        run_careerbot(s, "--db bot.db console --as carol", "/brag list @bob\n/brag export @bob\n");
    CHECK_THAT(peek.out, Catch::Contains(":lock:"));
    CHECK_THAT(peek.out, !Catch::Contains("design doc"));
    auto mine = run_careerbot(s, "--db bot.db console --as bob", "/brag list\n");
    CHECK_THAT(mine.out, Catch::Contains("wrote the design doc"));
}

TEST_CASE("console explains bad lines and keeps going", "[console]") {
    Scratch s;
    std::string input = "hello\n/unknown thing\n/brag\n/brag delete 7\n/brag " +
                        std::string(40 * 1024, 'y') +
                        "\n/brag still works\nquit\n/brag never runs\n";
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

TEST_CASE("the command line exits only with the documented codes", "[cli]") {
    Scratch s;
    REQUIRE(run_careerbot(s, "--db bot.db migrate", "").status == 0);
    auto unknown = run_careerbot(s, "--db bot.db frobnicate", "");
    CHECK(unknown.status == 2);
    CHECK_THAT(unknown.err, Catch::Contains("unknown command 'frobnicate'"));
    CHECK(run_careerbot(s, "--db bot.db", "").status == 2);  // no subcommand
    CHECK(run_careerbot(s, "--db bot.db --no-such-option migrate", "").status == 2);
    CHECK(run_careerbot(s, "--db bot.db export", "").status == 2);  // --person is required
    auto missing = run_careerbot(s, "--db bot.db import-org nowhere.csv", "");
    CHECK(missing.status == 2);
    CHECK_THAT(missing.err, Catch::Contains("nowhere.csv"));
    std::ofstream(s.dir / "org.csv") << "user_id,name,manager_id\nU1,Dana Scully,\n";
    auto refused = run_careerbot(s, "--db bot.db import-org org.csv", "");
    CHECK(refused.status == 1);
    CHECK_THAT(refused.err, Catch::Contains("line 2: name 'Dana Scully' cannot be typed"));
    CHECK(run_careerbot(s, "--help", "").status == 0);
    CHECK(run_careerbot(s, "import-org --help", "").status == 0);
}

TEST_CASE("only run, console and migrate create a database; the others refuse a missing one",
          "[cli]") {
    Scratch s;
    std::ofstream(s.dir / "org.csv") << "user_id,name,manager_id\nU1,dana,\n";
    for (const char* cmd :
         {"audit", "export --person dana", "backup copy.db", "import-org org.csv"}) {
        auto r = run_careerbot(s, std::string("--db typo.db ") + cmd, "");
        INFO(cmd << ": " << r.err);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("there is no database at typo.db"));
        CHECK_FALSE(fs::exists(s.dir / "typo.db"));
        CHECK_FALSE(fs::exists(s.dir / "copy.db"));
    }
    auto m = run_careerbot(s, "--db new.db migrate", "");
    CHECK(m.status == 0);
    CHECK_THAT(m.err, Catch::Contains("created new database at new.db"));
    auto again = run_careerbot(s, "--db new.db migrate", "");
    CHECK_THAT(again.err, !Catch::Contains("created new database"));
    auto c = run_careerbot(s, "--db other.db console --as alice", "/brag hello\n");
    CHECK(c.status == 0);
    CHECK_THAT(c.err, Catch::Contains("created new database at other.db"));
    CHECK(run_careerbot(s, "--db new.db import-org org.csv", "").status == 0);
}

TEST_CASE("backup never overwrites an existing file", "[cli]") {
    Scratch s;
    REQUIRE(run_careerbot(s, "--db bot.db console --as erin", "/brag backed up #ops\n").status ==
            0);
    REQUIRE(run_careerbot(s, "--db bot.db backup first.db", "").status == 0);
    std::ofstream(s.dir / "keep.txt") << "precious";
    auto r = run_careerbot(s, "--db bot.db backup keep.txt", "");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Catch::Contains("keep.txt already exists"));
    std::ifstream keep(s.dir / "keep.txt");
    std::string kept((std::istreambuf_iterator<char>(keep)), {});
    CHECK(kept == "precious");
    // An older backup (a real database) is not replaced either, nor the database itself.
    CHECK(run_careerbot(s, "--db bot.db backup first.db", "").status == 2);
    CHECK(run_careerbot(s, "--db bot.db backup bot.db", "").status == 2);
    CHECK((fs::status(s.dir / "first.db").permissions() & fs::perms::others_read) ==
          fs::perms::none);
}

TEST_CASE("migration log lines stay out of the console and the manifest", "[cli]") {
    Scratch s;
    auto c = run_careerbot(s, "--db bot.db console --as alice", "/brag hello\n");
    CHECK(c.status == 0);
    CHECK_THAT(c.out + c.err, !Catch::Contains("applied migration"));
    auto m = run_careerbot(s, "--db fresh.db migrate", "");
    CHECK_THAT(m.err, Catch::Contains("applied migration"));  // the operator asked for it
    auto verbose = run_careerbot(s, "--db more.db --log-level debug console --as bob", "");
    CHECK_THAT(verbose.err, Catch::Contains("applied migration"));
    auto manifest = run_careerbot(s, "manifest", "");
    if (manifest.err.find("without the Slack transport") == std::string::npos) {
        CHECK(manifest.status == 0);
        CHECK(manifest.err.empty());
        CHECK(manifest.out.starts_with("{"));
    }
}

TEST_CASE("audit --subject and --actor take a handle like export --person", "[cli]") {
    Scratch s;
    std::ofstream(s.dir / "org.csv")
        << "user_id,name,manager_id\nU01DIR,dana,\nU03ENG,eve,U01DIR\n";
    REQUIRE(run_careerbot(s, "--db bot.db migrate", "").status == 0);
    REQUIRE(run_careerbot(s, "--db bot.db import-org org.csv", "").status == 0);
    REQUIRE(run_careerbot(s, "--db bot.db export --person eve", "").status == 0);
    auto by_id = run_careerbot(s, "--db bot.db audit --subject U03ENG", "");
    REQUIRE(by_id.status == 0);
    CHECK_THAT(by_id.out, Catch::Contains("\tcli_export\tU03ENG\t"));
    CHECK(run_careerbot(s, "--db bot.db audit --subject eve", "").out == by_id.out);
    CHECK(run_careerbot(s, "--db bot.db audit --subject @Eve", "").out == by_id.out);
    CHECK(run_careerbot(s, "--db bot.db audit --subject dana", "").out.empty());
    auto typo = run_careerbot(s, "--db bot.db audit --subject evee", "");
    CHECK(typo.status == 2);
    CHECK_THAT(typo.err, Catch::Contains("nobody called evee"));
    CHECK(run_careerbot(s, "--db bot.db audit --actor dana", "").status == 0);
}

TEST_CASE("console --as refuses an empty name", "[cli][console]") {
    Scratch s;
    for (const char* as : {"''", "'   '", "@"}) {
        auto r = run_careerbot(s, std::string("--db bot.db console --as ") + as, "/brag hi\n");
        INFO(as);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("--as needs a name"));
        CHECK_THAT(r.out, !Catch::Contains("Logged brag"));
    }
    CHECK_FALSE(fs::exists(s.dir / "bot.db"));
}

TEST_CASE("the levels file is found beside the config, and a missing one stops start-up",
          "[cli][levels]") {
    Scratch s;
    fs::create_directories(s.dir / "etc" / "careerbot");
    fs::create_directories(s.dir / "var");
    std::ofstream(s.dir / "etc/careerbot/careerbot.toml")
        << "[org]\nlevels_file = \"levels.toml\"\n";
    fs::copy_file(CAREERBOT_SOURCE_DIR "/config/levels.example.toml",
                  s.dir / "etc/careerbot/levels.toml");
    // From another directory, as systemd and the container run it.
    auto ok = run_careerbot(s,
                            "--config etc/careerbot/careerbot.toml --db var/bot.db "
                            "console --as alice",
                            "/promo status\n");
    CHECK(ok.status == 0);
    CHECK_THAT(ok.out, !Catch::Contains("not configured"));
    CHECK_THAT(ok.out, Catch::Contains("Promotion status"));

    fs::remove(s.dir / "etc/careerbot/levels.toml");
    for (const char* cmd : {"console --as alice", "run"}) {
        auto r = run_careerbot(s,
                               std::string("--config etc/careerbot/careerbot.toml "
                                           "--db var/bot.db ") +
                                   cmd,
                               "/brag hi\n");
        INFO(cmd);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Catch::Contains("etc/careerbot/levels.toml does not exist"));
        CHECK(r.out.empty());
    }
    std::ofstream(s.dir / "etc/careerbot/levels.toml") << "[[level]]\ntitle = \"no id\"\n";
    auto bad = run_careerbot(s,
                             "--config etc/careerbot/careerbot.toml --db var/bot.db "
                             "console --as alice",
                             "");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Catch::Contains("needs a non-empty `id`"));
}

TEST_CASE("console /home shows the App Home tab as text, the manager's view too", "[console]") {
    Scratch s;
    std::ofstream(s.dir / "org.csv") << "user_id,name,manager_id,real_name,tz,role\n"
                                        "mo,mo,,Mo Manager,Europe/Berlin,manager\n"
                                        "eve,eve,mo,Eve Eng,Europe/Berlin,\n";
    REQUIRE(run_careerbot(s, "--db bot.db migrate", "").status == 0);
    REQUIRE(run_careerbot(s, "--db bot.db import-org org.csv", "").status == 0);
    REQUIRE(run_careerbot(s, "--db bot.db --now 2026-11-20T10:00:00Z console --as eve",
                          "/brag shipped the search page\n")
                .status == 0);
    auto eve = run_careerbot(s, "--db bot.db --now 2026-11-20T10:00:00Z console --as eve",
                             "/home\nhelp\n");
    INFO(eve.err);
    CHECK_THAT(eve.out, Catch::Contains("--- App Home of @eve ---"));
    CHECK_THAT(eve.out, Catch::Contains("shipped the search page"));
    CHECK_THAT(eve.out, !Catch::Contains("Your reports"));
    CHECK_THAT(eve.out, Catch::Contains("`/home` shows your App Home tab"));
    auto mo = run_careerbot(s, "--db bot.db --now 2026-11-20T10:00:00Z console --as mo", "home\n");
    CHECK_THAT(mo.out, Catch::Contains("--- App Home of @mo ---"));
    CHECK_THAT(mo.out, Catch::Contains("Your reports"));
    CHECK_THAT(mo.out, Catch::Contains("@eve"));
}
