#pragma once
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace careerbot {

/// Everything careerbot reads from its TOML file; every key has a default.
/// Secrets are never here: tokens come from the environment only.
struct Config {
    struct Database {
        std::string path = "careerbot.db";  ///< SQLite file; ":memory:" for tests
        int busy_timeout_ms = 5000;         ///< wait this long on a locked database
        /// A PostgreSQL server (`postgresql://user@host:5432/db?sslmode=require`) instead of
        /// the SQLite file; $CAREERBOT_DATABASE_URL overrides it. May hold a password: log
        /// storage::Database::path(), which hides it, never this.
        std::string url;
        int statement_timeout_ms = 10000;  ///< PostgreSQL: a stuck statement fails after this
        /// What storage::Database opens: the URL when set, else the file.
        const std::string& where() const { return url.empty() ? path : url; }
        /// The timeout that goes with where(): SQLite's busy timeout or PostgreSQL's
        /// statement_timeout.
        int timeout_ms() const { return url.empty() ? busy_timeout_ms : statement_timeout_ms; }
    } database;
    struct Log {
        std::string level = "info";   ///< trace, debug, info, warn, error
        std::string format = "text";  ///< text or json
    } log;
    struct Org {
        std::string default_timezone = "UTC";  ///< IANA zone used until Slack's `tz` is known
        int fiscal_year_start_month = 1;       ///< 1..12; quarters count from here
        std::vector<std::string> admins;       ///< Slack user ids allowed to manage the org chart
        std::string levels_file;               ///< career levels TOML; relative to the config
                                               ///< file; see Levels::path_for() when empty
    } org;
    struct Brag {
        int page_size = 10;                 ///< brags per page in `/brag list`
        std::size_t max_text_bytes = 4000;  ///< longer brags are refused with a message
    } brag;
    struct Reminders {
        std::chrono::minutes one_on_one_lead{120};  ///< DM the manager this long before a 1:1
        int task_due_lead_days = 1;                 ///< nudge the assignee this many days before
        std::string task_nudge_time = "09:00";      ///< local time of the due-date nudge
        int checkin_interval_weeks = 6;             ///< 6..8 weeks between check-ins
        /// A report's working day in their own zone: `/1on1 schedule` warns outside it.
        std::string working_hours = "08:00-18:00";
        /// Several instances on PostgreSQL: how often one that does not run the reminders asks
        /// to take over (a leader that vanished is replaced within this plus ~20 s).
        int leader_retry_seconds = 10;
        /// Several instances: a reminder left in `sending` this long is taken to belong to an
        /// instance that vanished mid-send and is settled by the leader (asking Slack first).
        int claim_timeout_seconds = 300;
    } reminders;
    struct Internship {
        /// Active interns one host team (a host manager's reports) takes at a time; 0: no limit.
        int max_interns_per_host = 1;
    } internship;
    struct Slack {
        std::string feedback_reaction = "star-struck";  ///< reacting with it saves feedback
        std::chrono::milliseconds ack_deadline{2000};   ///< answer in the ack if ready by then
    } slack;
    /// Following Slack: a status that says "away" pauses nudges like `/away`; profiles are
    /// refreshed from users.info periodically.
    struct SlackStatus {
        /// Status emoji (with colons, compared case-insensitively) that mean away. The defaults
        /// cover Slack's preset statuses "Vacationing" and "Out sick" and common travel ones.
        std::vector<std::string> away_emoji = {
            ":palm_tree:", ":face_with_thermometer:", ":airplane:", ":desert_island:",
            ":beach_with_umbrella:"};
        /// Case-insensitive substrings of the status text that mean away.
        std::vector<std::string> away_text = {
            "vacationing", "vacation", "out sick",       "out of office", "ooo",
            "on leave",    "holiday",  "parental leave", "sick leave"};
        /// Ask users.info again about people whose profile is older than this (0: never).
        int profile_refresh_days = 7;
        /// At most this many users.info calls per minute for the refresh.
        int profile_refresh_per_minute = 20;
    } slack_status;
    struct Ops {
        std::string address = "127.0.0.1";  ///< where `careerbot run` serves /healthz, /metrics
        int port = 9187;                    ///< 0 turns the endpoint off
    } ops;

    /// Reads a TOML file; missing keys keep their defaults, unknown keys and bad values throw
    /// careerbot::Error naming the key. A relative `org.levels_file` is resolved against the
    /// file's directory; an empty one becomes `levels.toml` there when that file exists.
    static Config load(const std::filesystem::path& file);
    /// Parses TOML text (for tests).
    static Config parse(const std::string& toml_text, const std::string& source = "config");
};

}  // namespace careerbot
