// careerbot's command line: run, console, migrate, backup, and --help on each.
#include <fcntl.h>
#include <pwd.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <sstream>

#include <date/date.h>
#include <CLI/CLI.hpp>

#include "commands/brag_export.hpp"
#include "commands/registry.hpp"
#include "src/console/console.hpp"
#include "src/core/app.hpp"
#include "src/core/blocks.hpp"
#include "src/core/config.hpp"
#include "src/core/error.hpp"
#include "src/core/levels.hpp"
#include "src/core/logging.hpp"
#include "src/core/org_import.hpp"
#include "src/core/private_files.hpp"
#include "src/core/text.hpp"
#include "storage/audit.hpp"
#include "storage/database.hpp"
#include "storage/migrate_to.hpp"
#include "storage/migrations.hpp"
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

// The exit codes README.md documents ("Exit codes"); nothing else leaves main().
constexpr int kExitOk = 0;
/// The command ran and failed: import-org refused the file, Slack refused the tokens.
constexpr int kExitFailed = 1;
/// It could not run: the command line, the config, the levels file, an input file or the
/// database is wrong; the message says which.
constexpr int kExitUsage = 2;
/// A bug or an error careerbot did not expect.
constexpr int kExitUnexpected = 3;

struct GlobalOptions {
    std::string config_path;
    std::string db_path;
    std::string log_level;
    std::string log_format;
    std::string now;              // console/testing: pretend the clock starts here
    std::optional<int> ops_port;  // run: overrides ops.port
};

/// --config, else $CAREERBOT_CONFIG, else config/careerbot.toml when present, else defaults.
Config load_config(const GlobalOptions& g) {
    std::string path = g.config_path;
    if (path.empty()) {
        if (const char* env = std::getenv("CAREERBOT_CONFIG")) path = env;
    }
    if (path.empty() && std::filesystem::exists("config/careerbot.toml"))
        path = "config/careerbot.toml";
    Config c = path.empty() ? Config{} : Config::load(path);
    if (const char* url = std::getenv("CAREERBOT_DATABASE_URL"); url != nullptr && *url != '\0')
        c.database.url = url;
    if (!g.db_path.empty()) {  // --db: a file, or a PostgreSQL URL
        if (storage::Database::is_postgresql_url(g.db_path)) {
            c.database.url = g.db_path;
        } else {
            c.database.path = g.db_path;
            c.database.url.clear();
        }
    }
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

/// `--since` (YYYY-MM-DD) as unix seconds at 00:00 UTC.
int64_t since_day_start(const std::string& iso) {
    auto d = parse_iso_day(iso);
    if (!d) throw Error("audit: --since must look like 2026-11-01");
    return unix_day_start(*d);
}

/// One audit entry per line, tab-separated: time (UTC), actor, action, subject, scope, detail.
std::string audit_line(const storage::AuditEntry& e) {
    auto t = date::sys_seconds{std::chrono::seconds{e.at}};
    return date::format("%FT%TZ", t) + "\t" + e.actor + "\t" + e.action + "\t" + e.subject + "\t" +
           e.scope + "\t" + e.detail;
}

/// True when `path` names a database file that is not there yet (SQLite would create it).
bool would_create(const std::string& path) {
    return path != ":memory:" && !path.empty() && !storage::Database::is_postgresql_url(path) &&
           !std::filesystem::exists(path);
}

/// Opens and migrates the database. `quiet` logs each migration at debug level: the console's
/// and the manifest's output is for a person or a pipe, not for the schema's history.
std::unique_ptr<storage::Database> open_db(const Config& c, bool quiet) {
    auto db = std::make_unique<storage::Database>(c.database.where(), c.database.timeout_ms());
    db->migrate(quiet);
    return db;
}

/// The person `given` names — a Slack user id, or a handle with or without `@` — for
/// `option`; throws careerbot::Error when there is nobody of that name, so a typo is never
/// answered as if the person had no data.
std::string person_id(storage::Database& db, const std::string& given, const std::string& option,
                      const std::string& db_path) {
    storage::PeopleRepo people(db);
    auto who = people.find(given);
    if (!who) who = people.find_by_name(given.starts_with("@") ? given.substr(1) : given);
    if (!who) throw Error(option + ": nobody called " + given + " in " + db_path);
    return who->id;
}

/// Creates `file` for a backup, refusing one that exists: a backup never replaces another
/// one (or the database itself). Readable by its owner only: it holds everyone's career data.
void create_backup_file(const std::string& file) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST) {
        throw Error("backup: " + file +
                    " already exists; careerbot does not overwrite it "
                    "(choose another name, or remove it first)");
    }
    if (fd < 0) throw Error("backup: cannot create " + file + ": " + std::strerror(errno));
    ::close(fd);
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"careerbot — career development as a daily habit, in Slack"};
    cli.require_subcommand(1);
    cli.set_help_all_flag("--help-all", "Show help for every subcommand");
    GlobalOptions g;
    cli.add_option("-c,--config", g.config_path,
                   "TOML config file (default: $CAREERBOT_CONFIG, "
                   "then config/careerbot.toml if present)");
    cli.add_option("--db", g.db_path,
                   "SQLite database file, or a postgresql:// URL (overrides database.path, "
                   "database.url and $CAREERBOT_DATABASE_URL)");
    cli.add_option("--log-level", g.log_level, "trace, debug, info, warn or error")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
    cli.add_option("--log-format", g.log_format, "text (default) or json")
        ->check(CLI::IsMember({"text", "json"}));
    cli.add_option("--now", g.now,
                   "Pretend the clock starts at this UTC time (for trying "
                   "reminders and for tests), e.g. 2026-11-20T09:00:00Z")
        ->group("");

    auto* run = cli.add_subcommand("run",
                                   "Connect to Slack over Socket Mode and serve commands "
                                   "(needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN)");
    run->add_option("--ops-port", g.ops_port,
                    "Serve /healthz and /metrics on this port of ops.address (overrides "
                    "ops.port; 0 turns them off)")
        ->check(CLI::Range(0, 65535));
    std::string as;
    auto* console = cli.add_subcommand("console",
                                       "Type careerbot's slash commands in a terminal "
                                       "(or pipe them in), on the same database");
    console
        ->add_option("--as", as,
                     "Who you are: a handle such as alice (created on first use) "
                     "or a Slack user id")
        ->required()
        ->check([](const std::string& v) {
            std::string who = text::trim(v);
            if (who.starts_with("@")) who = text::trim(who.substr(1));
            return who.empty() ? std::string("--as needs a name, e.g. --as alice") : std::string();
        });
    auto* migrate = cli.add_subcommand("migrate", "Apply pending schema migrations and exit");
    std::string target_url;
    auto* migrate_to = cli.add_subcommand(
        "migrate-to",
        "Copy the SQLite database (--db or database.path) into an empty PostgreSQL database, "
        "in one transaction, and print each table's rows (stop the bot first)");
    migrate_to
        ->add_option("url", target_url,
                     "The PostgreSQL database, a postgresql:// URL (its password is better in "
                     "~/.pgpass or PGPASSWORD)")
        ->required()
        ->check([](const std::string& v) {
            return storage::Database::is_postgresql_url(v)
                       ? std::string()
                       : std::string("migrate-to needs a postgresql:// URL");
        });
    std::string backup_file;
    auto* backup = cli.add_subcommand("backup",
                                      "Copy the database to a file with SQLite's online "
                                      "backup (safe while the bot runs)");
    backup->add_option("file", backup_file, "Destination file")->required();

    std::string org_file;
    auto* import_org = cli.add_subcommand(
        "import-org",
        "Import the org chart from CSV: columns user_id,name,manager_id and optional "
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
        "audit",
        "Print the audit log of who read whose summaries and exports, newest first, "
        "one tab-separated line per entry: time, actor, action, subject, scope, detail");
    audit_cmd->add_option("--subject", au.subject,
                          "Only reads of this person's data (Slack user id or handle), including "
                          "org-wide summaries of an org they are in");
    audit_cmd->add_option("--actor", au.actor,
                          "Only reads by this person (Slack user id or handle), or cli:<os user>");
    audit_cmd->add_option("--since", au.since, "Only entries on or after this day, YYYY-MM-DD");
    audit_cmd->add_option("--limit", au.limit, "At most this many entries (default 100)")
        ->check(CLI::Range(1, 1000000));

    auto* manifest =
        cli.add_subcommand("manifest",
                           "Print the Slack app manifest (JSON) for these commands, to paste into "
                           "api.slack.com/apps > Create New App > From a manifest");

    auto* schema = cli.add_subcommand(
        "schema", "Print the database schema the migrations produce (storage/schema.sql)");

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        // CLI11's own codes (105, 106, 109, …) are not ours: any mistake on the command line
        // is a usage error; --help is a success.
        auto left = cli.remaining();
        if (e.get_exit_code() != 0 && cli.get_subcommands().empty() && !left.empty()) {
            // CLI11 would only say "A subcommand is required".
            if (left.front().starts_with("-")) {
                std::cerr << "careerbot: unknown option '" << left.front()
                          << "' (careerbot --help lists them)\n";
            } else {
                std::cerr << "careerbot: unknown command '" << left.front()
                          << "'; the commands are run, console, migrate, migrate-to, backup, "
                             "import-org, export, audit, manifest and schema (careerbot "
                             "--help)\n";
            }
            return kExitUsage;
        }
        return cli.exit(e) == 0 ? kExitOk : kExitUsage;
    }

    try {
        storage::Database::configure_process();
        Config config = load_config(g);
        auto clock = make_clock(g);
        // The manifest only needs the command list; don't create a database file for it.
        if (*manifest || *schema) {
            config.database.path = ":memory:";
            config.database.url.clear();
        }
        // Only the commands that set careerbot up may start a new database; the others would
        // answer a mistyped --db from an empty one (no people, no audit entries, an empty
        // backup) as if that were the truth.
        const bool creates = *run || *console || *migrate;
        const bool fresh = would_create(config.database.where());
        if (fresh && !creates) {
            throw Error("there is no database at " + config.database.path +
                        " (check --db or database.path; `careerbot migrate` creates a new one)");
        }
        // A levels file that is missing or broken shows now, not at somebody's first /promo.
        std::optional<Levels> levels;
        if (*run || *console) levels = Levels::load_required(config);
        if (*migrate_to) {
            // The source is copied as it is: migrating it here would change the file the
            // admin may want to keep (migrate-to refuses another schema version instead).
            if (!config.database.url.empty()) {
                throw Error("migrate-to copies a SQLite database, and the configured one is " +
                            storage::Database::describe(config.database.url) +
                            " (name the file with --db)");
            }
            storage::Database source(config.database.path, config.database.busy_timeout_ms);
            // No statement timeout: one INSERT of a large table's batch or its count may
            // take longer than a command's statement should.
            storage::Database target(target_url, 0);
            auto tables = storage::migrate_to(source, target);
            int64_t total = 0;
            std::size_t width = 0;
            for (const auto& t : tables) width = std::max(width, t.table.size());
            for (const auto& t : tables) {
                std::cout << "  " << t.table << std::string(width - t.table.size() + 1, ' ')
                          << t.rows << "\n";
                total += t.rows;
            }
            std::cout << "copied " << source.path() << " (schema version "
                      << source.schema_version() << ") to " << target.path() << ": "
                      << tables.size() << " tables, " << total << " rows\n";
            return kExitOk;
        }
        auto db = open_db(config, !*run && !*migrate);
        if (fresh) logger("storage")->info("created new database at {}", config.database.path);
        if (levels && *run) {
            logger("app")->info("career levels: {} levels from {}", levels->all().size(),
                                Levels::path_for(config).string());
        }
        Services services{*db, *clock, config};
        App app;
        commands::register_all(app);

        if (*manifest) {
#ifdef CAREERBOT_HAVE_SLACK
            std::cout << slack::slack_manifest(app).dump(2) << "\n";
            return kExitOk;
#else
            throw Error("this careerbot was built without the Slack transport");
#endif
        }
        if (*schema) {
            std::cout << storage::schema_snapshot(*db);
            return kExitOk;
        }
        if (*migrate) {
            std::cout << "database " << db->path() << " is at schema version "
                      << db->schema_version() << "\n";
            return kExitOk;
        }
        if (*backup) {
            create_backup_file(backup_file);
            try {
                db->backup_to(backup_file);
            } catch (...) {
                std::error_code ignored;
                std::filesystem::remove(backup_file, ignored);  // no half-written backup
                throw;
            }
            std::cout << "backed up " << db->path() << " to " << backup_file << "\n";
            return kExitOk;
        }
        if (*import_org) {
            std::ifstream in(org_file, std::ios::binary);
            if (!in) throw Error("import-org: cannot read " + org_file);
            std::stringstream text;
            text << in.rdbuf();
            try {
                auto r = import_org_csv(services, text.str(), cli_actor());
                std::cout << org_file << ": " << r.added << " added, " << r.updated << " updated, "
                          << r.unchanged << " unchanged\n";
                // The CLI has no Slack connection: the operator passes these on.
                storage::PeopleRepo people(*db);
                auto names = [&](const std::string& id) { return people.display_name(id); };
                for (const auto& n : r.notices) {
                    std::cout << "tell @" << people.display_name(n.user_id) << ": "
                              << blocks::render_text(n.message, names);
                }
                return kExitOk;
            } catch (const UserError& e) {
                std::cerr << org_file << ": " << e.what() << "\n";
                return kExitFailed;
            }
        }
        if (*export_cmd) {
            const std::string who = person_id(*db, ex.person, "export", db->path());
            std::optional<Quarter> quarter;
            if (!ex.quarter.empty()) {
                quarter = parse_quarter(ex.quarter, config.org.fiscal_year_start_month);
                if (!quarter) throw Error("export: --quarter must look like 2026Q3");
            }
            auto today = iso_day(local_date(clock->now(), config.org.default_timezone));
            auto file = commands::make_brag_export(services, who, ex.format, quarter, today);
            // Audited before anything is written out: an export that cannot be logged fails.
            storage::AuditRepo(*db).record({0, 0, cli_actor(), "cli_export", who, "brags+feedback",
                                            ex.format + (quarter ? " " + quarter->label() : "")},
                                           clock->now());
            if (ex.out.empty()) {
                std::cout << file.content;
            } else {
                try {
                    write_private_file(ex.out, file.content);
                } catch (const Error& e) {
                    throw Error(std::string("export: ") + e.what());
                }
                std::cerr << "wrote " << file.filename << " to " << ex.out << "\n";
            }
            return kExitOk;
        }
        if (*audit_cmd) {
            storage::AuditQuery q;
            if (!au.subject.empty())
                q.subject = person_id(*db, au.subject, "audit --subject", db->path());
            // cli:<os user> is an actor with no person behind it.
            if (!au.actor.empty()) {
                q.actor = au.actor.starts_with("cli:")
                              ? au.actor
                              : person_id(*db, au.actor, "audit --actor", db->path());
            }
            if (!au.since.empty()) q.since = since_day_start(au.since);
            q.limit = au.limit;
            for (const auto& e : storage::AuditRepo(*db).list(q))
                std::cout << audit_line(e) << "\n";
            return kExitOk;
        }
        if (*console) {
            Console c(app, services, text::trim(as));
            return c.run(std::cin, std::cout, isatty(STDIN_FILENO) != 0);
        }
        if (*run) {
#ifdef CAREERBOT_HAVE_SLACK
            return slack::run_bot(app, services);
#else
            throw Error("this careerbot was built without the Slack transport");
#endif
        }
    } catch (const careerbot::Error& e) {
        std::cerr << "careerbot: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        std::cerr << "careerbot: unexpected error: " << e.what() << "\n";
        return kExitUnexpected;
    }
    return kExitOk;
}
