// /quarter-summary: a director's (or any manager's) quarterly review of their org — per person
// and for the org as a whole — with the channel shown aggregates only.
#include <nlohmann/json.hpp>

#include "commands/chart.hpp"
#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "commands/summary_data.hpp"
#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/logging.hpp"
#include "src/core/text.hpp"
#include "storage/audit.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/quarter-summary", "this quarter's review of everyone in your org"},
    {"/quarter-summary 2026Q3", "a past quarter"},
    {"/quarter-summary @person [2026Q3]", "one person in your org"},
    {"/quarter-summary help", "this help"},
};

/// One answer for unknown people and people outside the org, so nothing leaks about either.
constexpr const char* kRefusal =
    ":lock: I can summarise only people in your own org (your reports, their reports, and so "
    "on).";

using text::clip;

using text::mention;

/// "1 task", "2 tasks".
std::string count_of(int n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

/// Names as lines of at most ten, so a long list splits between names, never inside one.
std::string name_lines(const std::string& title, const std::vector<std::string>& items) {
    std::string out = "*" + title + "* (" + std::to_string(items.size()) + ")\n";
    for (std::size_t i = 0; i < items.size(); ++i) {
        out += items[i] + (i + 1 == items.size() ? "\n" : (i % 10 == 9 ? ",\n" : ", "));
    }
    return out;
}

std::string person_text(const PersonSummary& p, bool past) {
    std::string out = "*" + mention(p.id) + "*";
    out += p.level ? " · " + blocks::escape(*p.level) : " · level not set";
    if (p.manager_id) out += " · manager " + mention(*p.manager_id);
    out += "\n:trophy: " + count_of(p.brags, "brag", "brags");
    if (p.top_brag) {
        out += " · top: “" + blocks::escape(clip(p.top_brag->text, 280)) + "”";
        if (!p.top_brag->impact.empty())
            out += " — _impact:_ " + blocks::escape(clip(p.top_brag->impact, 160));
        out += " (" + p.top_brag->happened_on + ")";
    }
    out += "\n:speech_balloon: " + std::to_string(p.feedback) +
           " feedback · :white_check_mark: " + count_of(p.tasks_done, "task", "tasks") +
           " done · " + count_of(p.tasks_due, "task", "tasks") + " due in the quarter";
    if (p.tasks_overdue > 0) {
        out += " · :warning: " + std::to_string(p.tasks_overdue) +
               (past ? " overdue at the quarter's end" : " overdue");
    }
    if (p.ido) {
        out += "\n:dart: IDO “" + blocks::escape(clip(p.ido->objective, 200)) + "” · mentor " +
               mention(p.ido->mentor_id) + " · " + count_of(p.ido->notes, "note", "notes");
        if (!p.ido->last_note_on.empty()) out += ", last " + p.ido->last_note_on;
        out += p.ido->achieved ? " · achieved :tada:" : " · in progress";
    } else {
        out += "\n:dart: no IDO this quarter";
    }
    if (p.standing_mentor) {
        out += " · standing mentor " + mention(*p.standing_mentor);
    } else if (!p.ido) {
        out += " · no mentor";
    }
    if (p.last_checkin) {
        out += "\n:calendar: last check-in " + *p.last_checkin;
        if (p.next_checkin_due) out += " (next due " + *p.next_checkin_due + ")";
        if (p.checkin_overdue_days > 0) {
            out += " · :warning: *check-in overdue by " +
                   count_of(p.checkin_overdue_days, "day", "days") +
                   (past ? " at the quarter's end*" : "*");
        }
    } else {
        out += "\n:calendar: no check-in yet";
    }
    out += " · " + std::to_string(p.checkins_in_quarter) + " this quarter · cadence " +
           (p.cadence_held ? "held" : "*not held*");
    if (p.readiness) {
        out += "\n:chart_with_upwards_trend: " + (p.readiness->ready()
                                                      ? "*" + p.readiness->describe() + "*"
                                                      : blocks::escape(p.readiness->describe()));
    } else if (p.level) {
        out += "\n:chart_with_upwards_trend: no next level";
    }
    if (p.petition && p.petition->open_at_end) {
        out += "\n:scroll: open promotion petition for " +
               blocks::escape(p.petition->target_level) + " since " + p.petition->opened_on +
               " (to " + mention(p.petition->director_id) + ")";
    } else if (p.petition) {
        out += "\n:scroll: promotion petition for " + blocks::escape(p.petition->target_level) +
               " opened " + p.petition->opened_on + " (to " + mention(p.petition->director_id) +
               "), " +
               (p.petition->status == "declined" ? std::string("not yet")
                                                 : blocks::escape(p.petition->status)) +
               " " + p.petition->closed_on;
    }
    if (p.internship) {
        out += "\n:mortar_board: internship for learning: " +
               std::to_string(p.internship->share_percent) + "% with " +
               mention(p.internship->host_manager_id) + "'s team, " + p.internship->starts_on +
               " → " + p.internship->ends_on;
    }
    if (p.factor) {
        out += "\n:bar_chart: performance factor *" + p.factor->factor + "* (by " +
               mention(p.factor->recorded_by) + "): " + blocks::escape(clip(p.factor->note, 280));
    } else {
        out += "\n:bar_chart: performance factor not recorded";
    }
    return out;
}

/// Counts only, for a channel: no names, no texts.
std::string aggregates_text(const OrgSummary& s) {
    auto of = [&](int n) { return std::to_string(n) + " of " + std::to_string(s.people.size()); };
    return "• with an IDO: " + of(s.with_ido) +
           " · with a mentor (an IDO's or a standing one): " + of(s.with_mentor) +
           "\n• held a check-in this quarter: " + of(s.with_checkin) +
           " · cadence held: " + of(s.cadence_held) +
           " · check-in overdue: " + of(s.checkins_overdue) +
           "\n• brags: " + std::to_string(s.total_brags) +
           " · feedback received: " + std::to_string(s.total_feedback) +
           "\n• overdue tasks: " + std::to_string(s.total_overdue) +
           "\n• ready for their next level: " + of(s.ready) +
           " · open promotion petitions: " + std::to_string(s.open_petitions) +
           "\n• Performance factors: " + std::to_string(s.exceeding) + " exceeding · " +
           std::to_string(s.performing) + " performing · " + std::to_string(s.developing) +
           " developing · " + std::to_string(s.factor_missing) + " not recorded" +
           "\n• on an internship for learning: " + of(s.internships);
}

class QuarterSummary {
  public:
    explicit QuarterSummary(Services& s) : s_(s), people_(s.db) {}

    Reply run(const Request& r) {
        std::optional<std::string> target;
        std::optional<Quarter> quarter;
        for (const auto& w : text::words(r.text)) {
            std::string lw = text::lower(w);
            if (lw == "help") return help_reply("/quarter-summary — the quarterly review", kUsage);
            if (auto id = text::mention_id(w)) {
                target = *id;
            } else if (auto q = parse_quarter(w, s_.config.org.fiscal_year_start_month)) {
                quarter = q;
            } else if (lw != "all") {
                throw UserError("I didn't understand `" + blocks::escape(w) +
                                "`. Try `/quarter-summary`, `/quarter-summary 2026Q3` or "
                                "`/quarter-summary @person`.");
            }
        }
        if (people_.direct_reports(r.user_id).empty()) {
            throw UserError(
                "You have no reports in careerbot's org chart, so there is nobody to "
                "summarise. Managers add their reports with `/team add @person`.");
        }
        if (target && !people_.manages(r.user_id, *target)) throw UserError(kRefusal);

        auto today = today_for(s_, r.user_id);
        Quarter q = quarter ? *quarter : quarter_of(today, s_.config.org.fiscal_year_start_month);
        if (date::sys_days{q.first} > date::sys_days{today}) {
            throw UserError(q.label() + " has not started yet (it runs " + iso_day(q.first) +
                            " – " + iso_day(q.last) +
                            "), so there is nothing to summarise. `/quarter-summary` shows "
                            "this quarter so far.");
        }
        std::string problem;
        Levels levels;
        try {
            levels = Levels::load_for(s_.config);
        } catch (const Error& e) {
            // A broken levels file should not cost the director their summary.
            logger("app")->warn("levels not loaded: {}", e.what());
            problem = e.what();
        }
        SummaryScope scope{target ? *target : r.user_id, !target.has_value()};
        auto summary = build_summary(s_.db, scope, q, iso_day(today), levels,
                                     s_.config.org.fiscal_year_start_month, s_.clock.now(),
                                     s_.config.org.default_timezone);
        audit(r.user_id, target, q, summary.people.size());
        std::string whose = target ? mention(*target) : mention(r.user_id) + "'s org";
        auto pages = detail(summary, whose, problem);

        Reply reply;
        ChartData chart{q.label() + " — " +
                            (target ? people_.display_name(*target)
                                    : people_.display_name(r.user_id) + "'s org"),
                        summary.brags_by_month, summary.mix};
        if (auto png = render_chart_png(chart); !png.empty()) {
            reply.files.push_back(FileOut{"quarter-summary-" + q.label() + ".png",
                                          "Brags per month and 70-20-10 mix, " + q.label(), png});
        }
        if (is_shared_channel(r) && target) {
            // One person's "aggregates" are that person's data: the detail stays private
            // (ephemeral), and the chart, which Slack would upload to the channel, is withheld.
            reply.files.clear();
        } else if (is_shared_channel(r)) {
            // The channel sees counts only; names and details go to the requester privately.
            blocks::MessageBuilder m("Quarter summary " + q.label());
            m.add(blocks::header("Quarter summary " + q.label()));
            m.add(blocks::section("*" + std::to_string(summary.people.size()) +
                                  (summary.people.size() == 1 ? " person" : " people") + "* · " +
                                  iso_day(q.first) + " – " + iso_day(q.last) + "\n" +
                                  aggregates_text(summary)));
            m.add(blocks::context("Per-person detail was sent privately to whoever asked."));
            Reply channel = m.reply(true);
            channel.files = std::move(reply.files);
            for (auto& page : pages) channel.dms.push_back({r.user_id, std::move(page)});
            return channel;
        }
        reply.message = std::move(pages.front());
        reply.more.assign(std::make_move_iterator(pages.begin() + 1),
                          std::make_move_iterator(pages.end()));
        return reply;
    }

  private:
    /// One audit row per request (issue #7). In Slack this runs on the reader connection with
    /// no transaction open, so it is its own short autocommit write; failing to write it is
    /// logged and never costs the director their summary.
    void audit(const std::string& actor, const std::optional<std::string>& target, const Quarter& q,
               std::size_t people) {
        try {
            storage::AuditRepo(s_.db).record(
                {0, 0, actor, "quarter_summary", target ? *target : "all",
                 target ? "person" : "org:" + actor,
                 q.label() + " (" + std::to_string(people) +
                     (people == 1 ? " person)" : " people)")},
                s_.clock.now());
        } catch (const std::exception& e) {
            logger("app")->warn("could not write the audit log entry for {}'s quarter summary: {}",
                                actor, e.what());
        }
    }

    static bool is_shared_channel(const Request& r) {
        if (r.source == "console" || r.channel_id.empty()) return false;
        return r.channel_id.front() == 'C' || r.channel_id.front() == 'G';
    }

    std::vector<Message> detail(const OrgSummary& s, const std::string& whose,
                                const std::string& problem) {
        const auto& q = s.quarter;
        blocks::MessageBuilder m("Quarter summary " + q.label());
        m.add(blocks::header("Quarter summary " + q.label()));
        m.add(blocks::section("*" + whose + "* · " + std::to_string(s.people.size()) +
                              (s.people.size() == 1 ? " person" : " people") + " · " +
                              iso_day(q.first) + " – " + iso_day(q.last) + " · as of " + s.today +
                              (s.past ? " (the quarter's end)" : "") + "\n" + aggregates_text(s) +
                              "\n• " + s.mix.summary()));
        std::vector<std::string> no_ido, no_mentor, no_checkin, overdue, late_checkin, petitions,
            ready;
        for (const auto& p : s.people) {
            if (!p.ido) no_ido.push_back(mention(p.id));
            if (!p.has_mentor()) no_mentor.push_back(mention(p.id));
            if (p.checkins_in_quarter == 0) no_checkin.push_back(mention(p.id));
            if (p.tasks_overdue > 0)
                overdue.push_back(mention(p.id) + " (" + std::to_string(p.tasks_overdue) + ")");
            if (p.checkin_overdue_days > 0) {
                late_checkin.push_back(mention(p.id) + " (" +
                                       count_of(p.checkin_overdue_days, "day", "days") + ")");
            }
            if (p.petition && p.petition->open_at_end) {
                std::string line = mention(p.id) + " → " + blocks::escape(p.petition->target_level);
                const auto& st = p.petition->statement;
                if (!st.empty())
                    line += ": “" + blocks::escape(clip(st.substr(0, st.find('\n')), 200)) + "”";
                petitions.push_back(line);
            }
            if (p.readiness && p.readiness->ready())
                ready.push_back(mention(p.id) + " → " + blocks::escape(p.readiness->target));
        }
        if (!no_ido.empty()) m.add_text(name_lines("No IDO this quarter", no_ido));
        if (!no_mentor.empty())
            m.add_text(name_lines("No mentor (neither an IDO's nor a standing one)", no_mentor));
        if (!no_checkin.empty()) m.add_text(name_lines("No check-in this quarter", no_checkin));
        if (!overdue.empty()) m.add_text(name_lines("Overdue tasks", overdue));
        if (!late_checkin.empty()) m.add_text(name_lines("Check-in overdue", late_checkin));
        if (!petitions.empty()) m.add_text(name_lines("Open promotion petitions", petitions));
        if (!ready.empty()) m.add_text(name_lines("Ready for their next level", ready));
        if (!problem.empty()) {
            m.add(blocks::context(":warning: promotion readiness is missing: " +
                                  blocks::escape(problem)));
        }
        m.add(blocks::divider());
        // Several people to a section, each section filled up to Slack's 3,000 characters: a
        // section per person made a 300-person org 7 messages, more than a response_url takes
        // (5); packed it is 2. Nobody is split across sections unless they alone fill one.
        std::vector<std::string> people;
        people.reserve(s.people.size());
        for (const auto& p : s.people) people.push_back(person_text(p, s.past));
        m.add_packed(people);
        m.add(blocks::context(std::string("Rules: ") + top_brag_rule() + "; " + cadence_rule() +
                              "; readiness needs every training/certification up to the next "
                              "level (`/cert`) and tagged brags for each of its dimensions in "
                              "this and the previous quarter."));
        return m.build();
    }

    Services& s_;
    storage::PeopleRepo people_;
};

}  // namespace

void register_quarter_summary(App& app) {
    CommandInfo info{"/quarter-summary", "the quarterly review of everyone in your org",
                     "[@person|all] [2026Q3] | help"};
    info.deferred = true;  // read-only and slow for a large org: ack first, answer later
    app.command(std::move(info),
                [](Services& s, const Request& r) { return QuarterSummary(s).run(r); });
}

}  // namespace careerbot::commands
