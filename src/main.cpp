// careerbot's command line: run, console, migrate, backup, and --help on each.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <memory>
#include <optional>
#include <pwd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <date/date.h>
#include <sqlite3.h>

#include "commands/brag_export.hpp"
#include "commands/registry.hpp"
#include "src/console/console.hpp"
#include "src/core/app.hpp"
#include "src/core/config.hpp"
#include "src/core/error.hpp"
#include "src/core/logging.hpp"
#include "src/core/org_import.hpp"
#include "src/core/blocks.hpp"
#include "storage/audit.hpp"
#include "storage/database.hpp"
#include "storage/people.hpp"
#ifdef CAREERBOT_HAVE_SLACK
#include "src/slack/bot.hpp"
#include "src/slack/manifest.hpp"
#endif

// Debian's libcurl links GnuTLS (through librtmp and OpenLDAP), and GnuTLS initialises itself
// in a library constructor as soon as it is loaded: ASN.1 trees, crypto back-ends, ~0.8 MB of
// memory for a library careerbot never uses (its TLS is OpenSSL's, and curl may only speak
// http and https here). This is GnuTLS's own opt-out, GNUTLS_SKIP_GLOBAL_INIT in
// <gnutls/gnutls.h>: the constructor asks this function first. Code that does use GnuTLS
// calls gnutls_global_init() itself, as librtmp and OpenLDAP do.
extern "C" int _gnutls_global_init_skip(void);
extern "C" int _gnutls_global_init_skip(void) { return 1; }

namespace {
using namespace careerbot;

/// Process-wide SQLite settings; before anything opens a database.
void configure_sqlite() {
    // No up-front bulk allocation of 20 page slots per connection (~90 KB each, written
    // through, so resident): the bot keeps three connections open (storage, deferred reader,
    // reminders) and the last two read only a few pages. Pages are allocated as a cache
    // grows, and kept, so the hot path allocates nothing more.
    sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
}

struct GlobalOptions {
    std::string config_path;
    std::string db_path;
    std::string log_level;
    std::string log_format;
    std::string now;  // console/testing: pretend the clock starts here
    std::optional<int> ops_port;  // run: overrides ops.port
};

/// --config, else $CAREERBOT_CONFIG, else config/careerbot.toml when present, else defaults.
Config load_config(const GlobalOptions& g) {
    std::string path = g.config_path;
    if (path.empty()) {
        if (const char* env = std::getenv("CAREERBOT_CONFIG")) path = env;
    }
    if (path.empty() && std::filesystem::exists("config/careerbot.toml")) path = "config/careerbot.toml";
    Config c = path.empty() ? Config{} : Config::load(path);
    if (!g.db_path.empty()) c.database.path = g.db_path;
    if (!g.log_level.empty()) c.log.level = g.log_level;
    if (!g.log_format.empty()) c.log.format = g.log_format;
    if (g.ops_port) c.ops.port = *g.ops_port;
    init_logging(c.log.level, c.log.format);
    return c;
}

std::unique_ptr<Clock> make_clock(const GlobalOptions& g) {
    if (g.now.empty()) return std::make_unique<SystemClock>();
    std::istringstream in(g.now);
    date::sys_seconds t;
    in >> date::parse("%FT%TZ", t);
    if (in.fail()) {
        std::istringstream in2(g.now);
        date::sys_days d;
        in2 >> date::parse("%F", d);
        if (in2.fail()) throw Error("--now must look like 2026-11-20 or 2026-11-20T09:30:00Z");
        t = d;
    }
    return std::make_unique<OffsetClock>(t);
}

/// Who ran this command line, for the audit log: "cli:" and the OS user name.
std::string cli_actor() {
    const passwd* pw = ::getpwuid(::geteuid());
    return "cli:" + (pw != nullptr && pw->pw_name != nullptr ? std::string(pw->pw_name)
                                                            : std::to_string(::geteuid()));
}

/// YYYY-MM-DD as unix seconds at 00:00 UTC.
int64_t day_start(const std::string& iso) {
    std::istringstream in(iso);
    date::sys_days d;
    in >> date::parse("%F", d);
    if (in.fail() || in.peek() != std::char_traits<char>::eof())
        throw Error("audit: --since must look like 2026-11-01");
    return std::chrono::duration_cast<std::chrono::seconds>(d.time_since_epoch()).count();
}

/// One audit entry per line, tab-separated: time (UTC), actor, action, subject, scope, detail.
std::string audit_line(const storage::AuditEntry& e) {
    auto t = date::sys_seconds{std::chrono::seconds{e.at}};
    return date::format("%FT%TZ", t) + "\t" + e.actor + "\t" + e.action + "\t" + e.subject +
           "\t" + e.scope + "\t" + e.detail;
}

std::unique_ptr<storage::Database> open_db(const Config& c) {
    auto db = std::make_unique<storage::Database>(c.database.path, c.database.busy_timeout_ms);
    db->migrate();
    return db;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"careerbot — career development as a daily habit, in Slack"};
    cli.require_subcommand(1);
    cli.set_help_all_flag("--help-all", "Show help for every subcommand");
    GlobalOptions g;
    cli.add_option("-c,--config", g.config_path, "TOML config file (default: $CAREERBOT_CONFIG, "
                                                   "then config/careerbot.toml if present)");
    cli.add_option("--db", g.db_path, "SQLite database file (overrides database.path)");
    cli.add_option("--log-level", g.log_level, "trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
    cli.add_option("--log-format", g.log_format, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cli.add_option("--now", g.now, "Pretend the clock starts at this UTC time (for trying "
                                    "reminders and for tests), e.g. 2026-11-20T09:00:00Z")
        ->group("");

    auto* run = cli.add_subcommand("run", "Connect to Slack over Socket Mode and serve commands "
                                          "(needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)");
    run->add_option("--ops-port", g.ops_port,
                    "Serve /healthz and /metrics on this port of ops.address (overrides "
                    "ops.port; 0 turns them off)")
        ->check(CLI::Range(0, 65535));
    std::string as;
    auto* console = cli.add_subcommand("console", "Type careerbot's slash commands in a terminal "
                                                  "(or pipe them in), on the same database");
    console->add_option("--as", as, "Who you are: a handle such as alice (created on first use) "
                                    "or a Slack user id")->required();
    auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations and exit");
    std::string backup_file;
    auto* backup = cli.add_subcommand("backup", "Copy the database to a file with SQLite's online "
                                                "backup (safe while the bot runs)");
    backup->add_option("file", backup_file, "Destination file")->required();

    std::string org_file;
    auto* import_org = cli.add_subcommand(
        "import-org", "Import the org chart from CSV: columns user_id,name,manager_id and optional "
                      "real_name,tz,role. All or nothing; safe to re-run");
    import_org->add_option("file", org_file, "CSV file")->required()->check(CLI::ExistingFile);

    // export: a person's brag document (optionally one quarter) as md, csv or json.
    struct ExportOptions {
        std::string person, quarter, format = "md", out;
    } ex;
    auto* export_cmd = cli.add_subcommand(
        "export", "Write a person's brag document (brags and feedback) as md, csv or json");
    export_cmd->add_option("--person", ex.person, "Slack user id or handle")->required();
    export_cmd->add_option("--quarter", ex.quarter, "Only this fiscal quarter, e.g. 2026Q3");
    export_cmd->add_option("--format", ex.format, "md (default), csv or json")
        ->check(CLI::IsMember({"md", "csv", "json"}));
    export_cmd->add_option("--out", ex.out, "Write to this file instead of standard output");

    // audit: who read whose summaries and exports (issue #7), newest first.
    struct AuditOptions {
        std::string subject, actor, since;
        int limit = 100;
    } au;
    auto* audit_cmd = cli.add_subcommand(
        "audit", "Print the audit log of who read whose summaries and exports, newest first, "
                 "one tab-separated line per entry: time, actor, action, subject, scope, detail");
    audit_cmd->add_option("--subject", au.subject,
                          "Only reads of this person's data (a Slack user id), including "
                          "org-wide summaries of an org they are in");
    audit_cmd->add_option("--actor", au.actor,
                          "Only reads by this Slack user id (or cli:<os user>)");
    audit_cmd->add_option("--since", au.since, "Only entries on or after this day, YYYY-MM-DD");
    audit_cmd->add_option("--limit", au.limit, "At most this many entries (default 100)")
        ->check(CLI::Range(1, 1000000));

    auto* manifest = cli.add_subcommand(
        "manifest", "Print the Slack app manifest (JSON) for these commands, to paste into "
                    "api.slack.com/apps > Create New App > From a manifest");

    CLI11_PARSE(cli, argc, argv);

    try {
        configure_sqlite();
        Config config = load_config(g);
        auto clock = make_clock(g);
        // The manifest only needs the command list; don't create a database file for it.
        if (*manifest) config.database.path = ":memory:";
        auto db = open_db(config);
        App app(Services{*db, *clock, config});
        commands::register_all(app);

        if (*manifest) {
#ifdef CAREERBOT_HAVE_SLACK
            std::cout << slack::slack_manifest(app).dump(2) << "\n";
            return 0;
#else
            throw Error("this careerbot was built without the Slack transport");
#endif
        }
        if (*migrate) {
            std::cout << "database " << config.database.path << " is at schema version "
                      << db->schema_version() << "\n";
            return 0;
        }
        if (*backup) {
            db->backup_to(backup_file);
            std::cout << "backed up " << config.database.path << " to " << backup_file << "\n";
            return 0;
        }
        if (*import_org) {
            std::ifstream in(org_file, std::ios::binary);
            std::stringstream text;
            text << in.rdbuf();
            try {
                auto r = import_org_csv(app.services(), text.str(), cli_actor());
                std::cout << org_file << ": " << r.added << " added, " << r.updated << " updated, "
                          << r.unchanged << " unchanged\n";
                // The CLI has no Slack connection: the operator passes these on.
                storage::PeopleRepo people(*db);
                auto names = [&](const std::string& id) { return people.display_name(id); };
                for (const auto& n : r.notices) {
                    std::cout << "tell @" << people.display_name(n.user_id) << ": "
                              << blocks::render_text(n.message, names);
                }
                return 0;
            } catch (const UserError& e) {
                std::cerr << org_file << ": " << e.what() << "\n";
                return 1;
            }
        }
        if (*export_cmd) {
            storage::PeopleRepo people(*db);
            auto who = people.find(ex.person);
            if (!who) who = people.find_by_name(ex.person.starts_with("@") ? ex.person.substr(1)
                                                                         : ex.person);
            if (!who) throw Error("export: nobody called " + ex.person + " in " + config.database.path);
            std::optional<Quarter> quarter;
            if (!ex.quarter.empty()) {
                quarter = parse_quarter(ex.quarter, config.org.fiscal_year_start_month);
                if (!quarter) throw Error("export: --quarter must look like 2026Q3");
            }
            auto today = iso_date(local_date(clock->now(), config.org.default_timezone));
            auto file = commands::make_brag_export(app.services(), who->id, ex.format, quarter, today);
            // Audited before anything is written out: an export that cannot be logged fails.
            storage::AuditRepo(*db).record({0, 0, cli_actor(), "cli_export", who->id,
                                            "brags+feedback",
                                            ex.format + (quarter ? " " + quarter->label() : "")},
                                           clock->now());
            if (ex.out.empty()) {
                std::cout << file.content;
            } else {
                std::ofstream out(ex.out, std::ios::binary);
                out << file.content;
                if (!out) throw Error("export: cannot write " + ex.out);
                std::cerr << "wrote " << file.filename << " to " << ex.out << "\n";
            }
            return 0;
        }
        if (*audit_cmd) {
            storage::AuditQuery q;
            if (!au.subject.empty()) q.subject = au.subject;
            if (!au.actor.empty()) q.actor = au.actor;
            if (!au.since.empty()) q.since = day_start(au.since);
            q.limit = au.limit;
            for (const auto& e : storage::AuditRepo(*db).list(q)) std::cout << audit_line(e) << "\n";
            return 0;
        }
        if (*console) {
            Console c(app, as);
            return c.run(std::cin, std::cout, isatty(STDIN_FILENO) != 0);
        }
        if (*run) {
#ifdef CAREERBOT_HAVE_SLACK
            return slack::run_bot(app, config);
#else
            throw Error("this careerbot was built without the Slack transport");
#endif
        }
    } catch (const careerbot::Error& e) {
        std::cerr << "careerbot: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "careerbot: unexpected error: " << e.what() << "\n";
        return 3;
    }
    return 0;
}
