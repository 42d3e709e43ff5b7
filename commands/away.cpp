// /away: absences that pause a person's nudges and their 1:1 reminders.
#include <algorithm>

#include <date/tz.h>

#include "commands/following_slack.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/directory.hpp"
#include "src/core/error.hpp"
#include "src/core/roles.hpp"
#include "src/core/text.hpp"
#include "src/scheduler/messages.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/people.hpp"
#include "storage/reminder_away.hpp"

namespace careerbot::commands {
namespace {

/// Longer absences are almost certainly a typo in the year.
constexpr int kMaxAwayDays = 366;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/away <from> to <to>",
     "pause your nudges and 1:1 reminders between two days (inclusive); the days take the same "
     "forms as `/task`: `2026-12-21`, `today`, `tomorrow`, `friday`, `next monday`, `dec 21`, "
     "`in 2 weeks`, e.g. `/away dec 21 to jan 2`"},
    {"/away <day>", "away for one day, e.g. `/away friday`"},
    {"/away list", "your current and upcoming absences, numbered"},
    {"/away cancel N",
     "cancel absence #N of `/away list` (or `/away cancel dec 21`: the one "
     "covering that day; `/away cancel all`: every one)"},
    {"/away back", "back early: the current absence ends yesterday"},
    {"Slack status",
     "a Slack status that says you are away (`:palm_tree:` Vacationing, "
     "`:face_with_thermometer:` Out sick, \"out of office\", \"OOO\", \"on leave\", "
     "\"holiday\"…; the list is configurable) pauses your nudges the same way, until the "
     "status expires or you clear it; `/away list` marks those absences"},
    {"/away status [@person] <emoji> [text] [until <day>]",
     "console only, to try the above without Slack: e.g. `/away status :palm_tree: Vacationing "
     "until dec 20`; `/away status clear` clears it, `/away status tz America/New_York` "
     "changes the time zone (planned reminders keep their local time); another person's: "
     "admins only"},
    {"/away help", "this help"},
};

const std::vector<std::string> kSubcommands = {"list", "cancel", "back", "status", "help"};

/// Words between the two days of an absence.
bool is_separator(const std::string& lw) {
    return lw == "to" || lw == "until" || lw == "till" || lw == "through" || lw == "thru" ||
           lw == "-" || lw == "–" || lw == "—";
}

std::string join(const std::vector<std::string>& w, std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to && i < w.size(); ++i) s += (i > from ? " " : "") + w[i];
    return s;
}

class AwayCommand {
  public:
    explicit AwayCommand(Services& s) : s_(s), away_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd == "help") return help_reply("/away — pause reminders while you are away", kUsage);
        if (cmd.empty() || cmd == "list") return list(r.user_id);
        if (cmd == "cancel" || cmd == "delete" || cmd == "remove") return cancel(r.user_id, rest);
        if (cmd == "back") return back(r.user_id);
        if (cmd == "status") return status(r, rest);
        if (text::trim(rest).empty() && !parse_phrase(sub, today(r.user_id))) {
            if (auto meant = text::near_miss(cmd, kSubcommands)) {
                throw UserError("Did you mean `/away " + *meant +
                                "`? `/away help` lists them all.");
            }
        }
        return add(r.user_id, r.text);
    }

  private:
    date::local_days today(const std::string& person) {
        return scheduler::local_day(s_.clock.now(), time_zone_of(s_.db, s_.config, person));
    }

    static date::year_month_day ymd(date::local_days d) {
        return date::year_month_day{date::sys_days{d.time_since_epoch()}};
    }
    static date::local_days local(date::year_month_day d) {
        return date::local_days{date::sys_days{d}.time_since_epoch()};
    }

    /// One day as `/task` reads a due date, looking forward from `after` (the day before the
    /// first day it may be; a past ISO date is returned as read, to be refused by name).
    std::optional<date::local_days> parse_phrase(const std::string& phrase, date::local_days t) {
        if (text::trim(phrase).empty()) return std::nullopt;
        if (auto d = parse_due_date(phrase, ymd(t))) return local(*d);
        return std::nullopt;
    }

    /// The end day: read from today, or, when that falls before the start (`friday to
    /// monday`), from the start.
    std::optional<date::local_days> parse_end(const std::string& phrase, date::local_days t,
                                              date::local_days from) {
        auto d = parse_phrase(phrase, t);
        if (d && *d < from) {
            if (auto again = parse_due_date(phrase, ymd(from - date::days{1}));
                again && local(*again) >= from)
                return local(*again);
        }
        return d;
    }

    [[noreturn]] void unreadable(const std::string& phrase) {
        throw UserError("I couldn't read `" + blocks::escape(phrase) +
                        "` as a date. Try `/away dec 21 to jan 2`, `/away 2026-12-21 "
                        "2027-01-02`, `/away friday` or `/away tomorrow to next monday`.");
    }

    Reply add(const std::string& person, const std::string& args) {
        auto t = today(person);
        auto w = text::words(args);
        if (!w.empty() && text::lower(w.front()) == "from") w.erase(w.begin());
        if (w.empty()) {
            throw UserError(
                "When? `/away &lt;from&gt; to &lt;to&gt;`, e.g. `/away dec 21 to jan 2`.");
        }
        std::optional<date::local_days> from, to;
        auto sep = std::find_if(w.begin(), w.end(),
                                [](const std::string& x) { return is_separator(text::lower(x)); });
        if (sep != w.end()) {
            auto i = static_cast<std::size_t>(sep - w.begin());
            std::string a = join(w, 0, i);
            std::string b = join(w, i + 1, w.size());
            if (a.empty() || b.empty()) {
                throw UserError("From when to when? e.g. `/away dec 21 to jan 2`.");
            }
            from = parse_phrase(a, t);
            if (!from) unreadable(a);
            to = parse_end(b, t, *from);
            if (!to) unreadable(b);
        } else if (auto one = parse_phrase(join(w, 0, w.size()), t)) {
            from = to = one;
        } else {
            // Two days without "to" between them: the first split where both halves read.
            for (std::size_t i = 1; i < w.size() && !to; ++i) {
                from = parse_phrase(join(w, 0, i), t);
                if (from) to = parse_end(join(w, i, w.size()), t, *from);
            }
            if (!to) {
                // Name the first word that is not part of any date, as before.
                for (const auto& x : w) {
                    if (!parse_phrase(x, t)) unreadable(x);
                }
                unreadable(join(w, 0, w.size()));
            }
        }
        if (*to < *from) throw UserError("The end date is before the start date.");
        if (*to < t) throw UserError("That absence is already over.");
        if ((*to - *from).count() >= kMaxAwayDays) {
            throw UserError("That is more than a year — check the dates.");
        }
        storage::PeopleRepo(s_.db).ensure(person, person, s_.clock.now());
        auto a = away_.add(person, iso_day(*from), iso_day(*to), s_.clock.now());
        return Reply::text(":palm_tree: Away from *" + a.from_on + "* to *" + a.to_on +
                           "*. I won't send you nudges then, and your 1:1 reminders (as manager "
                           "or report) are skipped; the first 1:1 afterwards says what was "
                           "missed. `/away list` shows it; `/away cancel` if plans change.");
    }

    static std::string span(const storage::AwayPeriod& a) {
        if (a.to_on == storage::kUntilCleared) return a.from_on + " → until the status is cleared";
        return a.from_on + (a.to_on == a.from_on ? "" : " → " + a.to_on);
    }

    static std::string line(std::size_t n, const storage::AwayPeriod& a) {
        std::string from_status;
        if (a.source == "slack_status") {
            from_status = " · from your Slack status" +
                          (a.status.empty() ? std::string() : " " + blocks::escape(a.status));
        }
        return "*#" + std::to_string(n) + "* · " + span(a) + from_status;
    }

    /// Console only: stands in for Slack's user_change event, through the same code.
    Reply status(const Request& r, const std::string& args) {
        if (r.source != "console") {
            throw UserError(
                "careerbot follows your Slack status by itself: set one that says you are away "
                "(e.g. :palm_tree: Vacationing or :face_with_thermometer: Out sick) and your "
                "nudges pause until it expires or you clear it. `/away status` only stands in "
                "for that in the console.");
        }
        auto w = text::words(args);
        std::string who = r.user_id;
        std::size_t i = 0;
        if (!w.empty()) {
            if (auto id = text::mention_id(w[0])) {
                who = *id;
                i = 1;
            }
        }
        storage::PeopleRepo people(s_.db);
        if (who != r.user_id && !is_admin(s_, r.user_id)) {
            throw UserError("Only admins (`org.admins`) may set someone else's status.");
        }
        people.ensure(r.user_id, r.user_id, s_.clock.now());
        auto known = people.find(who);
        if (!known) throw UserError("I don't know <@" + who + "> yet.");
        if (i >= w.size()) {
            throw UserError(
                "Which status? e.g. `/away status :palm_tree: Vacationing until dec 20`, "
                "`/away status clear` or `/away status tz America/New_York`.");
        }
        nlohmann::json user{{"id", who}, {"name", known->name}, {"real_name", known->real_name}};
        if (!known->tz.empty()) user["tz"] = known->tz;
        std::string first = text::lower(w[i]);
        std::string tz = time_zone_of(s_.db, s_.config, who);
        if (first == "tz") {
            if (i + 1 >= w.size())
                throw UserError("Which zone? e.g. `/away status tz Europe/Berlin`.");
            try {
                (void)date::locate_zone(w[i + 1]);
            } catch (const std::exception&) {
                throw UserError("`" + blocks::escape(w[i + 1]) +
                                "` is not an IANA time zone such as `Europe/Berlin`.");
            }
            user["tz"] = w[i + 1];
            apply_slack_user(s_, user);
            return Reply::text(":globe_with_meridians: <@" + who + ">'s time zone is now " +
                               w[i + 1] + " (was " + tz +
                               "); reminders already planned keep their local time.");
        }
        nlohmann::json profile{{"status_emoji", ""}, {"status_text", ""}, {"status_expiration", 0}};
        if (first != "clear") {
            if (w[i].size() > 2 && w[i].starts_with(":") && w[i].ends_with(":")) {
                profile["status_emoji"] = w[i];
                ++i;
            }
            auto until = std::find_if(w.begin() + static_cast<std::ptrdiff_t>(i), w.end(),
                                      [](const std::string& x) {
                                          auto l = text::lower(x);
                                          return l == "until" || l == "till";
                                      });
            auto at = static_cast<std::size_t>(until - w.begin());
            profile["status_text"] = join(w, i, at);
            if (until != w.end()) {
                std::string phrase = join(w, at + 1, w.size());
                auto last = parse_phrase(phrase, scheduler::local_day(s_.clock.now(), tz));
                if (!last) unreadable(phrase);
                // Slack clears the status at the expiration: the start of the next day.
                profile["status_expiration"] =
                    to_unix(scheduler::at_local(*last + date::days{1}, 0, tz));
            }
        }
        user["profile"] = profile;
        auto change = apply_slack_user(s_, user);
        const std::string whose = who == r.user_id ? "Your" : "<@" + who + ">'s";
        if (change.away == "started" || change.away == "updated") {
            return Reply::text(":palm_tree: " + whose + " Slack status says away: nudges pause " +
                               span(*change.absence) + ". `/away list` shows it.");
        }
        if (change.away == "ended") {
            return Reply::text(":wave: " + whose +
                               " Slack status no longer says away: the absence it made ended; "
                               "reminders resume today. Absences typed with `/away` stay.");
        }
        return Reply::text(
            whose + " Slack status changed; it " +
            (status_says_away(s_.config, profile["status_emoji"], profile["status_text"])
                 ? "still says away, as before."
                 : "does not say away, so nothing pauses."));
    }

    Reply list(const std::string& person) {
        auto items = away_.upcoming(person, iso_day(today(person)));
        if (items.empty()) {
            return Reply::text(
                "You have no absences planned. `/away &lt;from&gt; to &lt;to&gt;` adds one, e.g. "
                "`/away dec 21 to jan 2`.");
        }
        std::string body = "*Your absences*\n";
        for (std::size_t i = 0; i < items.size(); ++i) body += line(i + 1, items[i]) + "\n";
        blocks::MessageBuilder m("Your absences");
        m.add_text(body);
        m.add(
            blocks::context("`/away cancel N` cancels one; `/away cancel all` cancels them all."));
        return m.reply();
    }

    Reply cancel(const std::string& person, const std::string& args) {
        auto t = today(person);
        auto items = away_.upcoming(person, iso_day(t));
        if (items.empty()) return Reply::text("You have no current or upcoming absence to cancel.");
        std::string what = text::lower(text::trim(args));
        if (what == "all" || what == "everything") {
            int n = away_.cancel_upcoming(person, iso_day(t), s_.clock.now());
            return Reply::text(":wave: Cancelled " + std::to_string(n) +
                               (n == 1 ? " absence" : " absences") + "; reminders resume.");
        }
        std::optional<std::size_t> index;
        if (what.empty()) {
            if (items.size() > 1) {
                std::string body = "You have " + std::to_string(items.size()) +
                                   " absences; which one should I cancel?\n";
                for (std::size_t i = 0; i < items.size(); ++i) {
                    body += line(i + 1, items[i]) + "\n";
                }
                throw UserError(body + "`/away cancel 1`, `/away cancel " + items[0].from_on +
                                "` or `/away cancel all`.");
            }
            index = 0;
        } else if (auto n = text::parse_number(what.starts_with("#") ? what.substr(1) : what)) {
            if (*n < 1 || static_cast<std::size_t>(*n) > items.size()) {
                throw UserError("You have no absence #" + std::to_string(*n) + "; `/away list` " +
                                "numbers them (1 to " + std::to_string(items.size()) + ").");
            }
            index = static_cast<std::size_t>(*n - 1);
        } else {
            auto day = parse_phrase(what, t);
            if (!day)
                day = [&]() -> std::optional<date::local_days> {
                    if (auto d = parse_date(what, ymd(t))) return local(*d);
                    return std::nullopt;
                }();
            if (!day) {
                throw UserError(
                    "Which absence? `/away cancel 1` (the number in `/away list`), "
                    "`/away cancel dec 21` (the one covering that day) or `/away "
                    "cancel all`; I couldn't read `" +
                    blocks::escape(args) + "`.");
            }
            std::string iso = iso_day(*day);
            for (std::size_t i = 0; i < items.size() && !index; ++i) {
                if (items[i].from_on <= iso && iso <= items[i].to_on) index = i;
            }
            if (!index) {
                throw UserError("None of your absences covers " + iso +
                                ". `/away list` shows them.");
            }
        }
        const auto& a = items[*index];
        away_.cancel(a.id, s_.clock.now());
        std::size_t left = items.size() - 1;
        return Reply::text(
            ":wave: Cancelled your absence " + span(a) + "; reminders for those days resume." +
            (left == 0 ? std::string()
                       : " You have " + std::to_string(left) + " more (`/away list`)."));
    }

    Reply back(const std::string& person) {
        auto t = today(person);
        auto current = away_.covering(person, iso_day(t));
        if (!current) {
            return Reply::text(
                "You are not away today, so there is nothing to end. `/away list` "
                "shows what is planned.");
        }
        std::string yesterday = iso_day(t - date::days{1});
        std::string what = span(*current);
        if (current->from_on > yesterday) {
            // It began today: nothing of it is left to keep.
            away_.cancel(current->id, s_.clock.now());
            return Reply::text(":wave: Welcome back — cancelled your absence " + what +
                               "; reminders resume today.");
        }
        away_.end_on(current->id, yesterday);
        return Reply::text(":wave: Welcome back — your absence " + what + " now ends on " +
                           yesterday + "; reminders resume today.");
    }

    Services& s_;
    storage::AwayRepo away_;
};

}  // namespace

void register_away(App& app) {
    CommandInfo info{"/away", "pause your nudges and 1:1 reminders while you are away",
                     "<from> to <to> | list | cancel N | back | status (console) | help"};
    info.plans_reminders = true;  // an absence pauses (and its end resumes) reminders
    app.command(std::move(info),
                [](Services& s, const Request& r) { return AwayCommand(s).run(r); });
}

}  // namespace careerbot::commands
