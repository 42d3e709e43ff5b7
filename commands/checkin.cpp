// /checkin: career check-ins every 6–8 weeks — Goals over three horizons, Reality, Planning —
// recorded when held, with the next due date and whether the cadence held.
#include <algorithm>
#include <regex>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/audit.hpp"
#include "storage/checkins.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {

namespace {

constexpr std::size_t kMaxCheckinBytes = 4000;
/// The handbook's cadence: every 6–8 weeks, and at least once a quarter.
constexpr int kMinWeeks = 6;
constexpr int kMaxWeeks = 8;
constexpr int kMaxGapDays = kMaxWeeks * 7;
/// How far back `/checkin status` judges the cadence.
constexpr int kCadenceWindowDays = 365;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/checkin goals 6m|1y|3y <text>",
     "your goals for the next 6 months, 1 year, or 3+ years (for your next check-in)"},
    {"/checkin reality <text>", "your self-assessment: where you are today"},
    {"/checkin plan <text>", "your plan: the 6-month projects (break them into `/task`s)"},
    {"/checkin done [@report] [on <date>] [next <date>|next 6w|7w|8w]",
     "record a check-in held today, or `on` an earlier day (`on monday`, `on nov 3`, `on "
     "2026-11-03`, `on 3 days ago`), yours or as their manager a report's, and when the next "
     "one is due (default: `reminders.checkin_interval_weeks`, 6 weeks after it was held)"},
    {"/checkin undo [@report] [<date>]",
     "undo a check-in recorded by mistake (the latest, or the one held on that day); what was "
     "written for it goes back to the draft"},
    {"/checkin status [@person]",
     "last check-in, next due date, goals, reality, plan, and whether the cadence held"},
    {"/checkin help", "this help"},
};

/// "today", "yesterday", "12 days ago", "6 weeks ago".
std::string ago(int days) {
    if (days <= 0) return "today";
    if (days == 1) return "yesterday";
    if (days < 21) return std::to_string(days) + " days ago";
    return std::to_string(days / 7) + " weeks ago";
}

/// "due today", "in 12 days", "3 days overdue".
std::string relative_due(int days) {
    if (days < -1) return std::to_string(-days) + " days overdue";
    if (days == -1) return "1 day overdue";
    if (days == 0) return "due today";
    if (days == 1) return "due tomorrow";
    return "in " + std::to_string(days) + " days";
}

std::optional<storage::CheckinField> horizon_named(const std::string& h) {
    static const std::regex six(R"(6\s*(m|mo|mos|month|months))");
    static const std::regex one(R"(1\s*(y|yr|year)|12\s*(m|mo|months))");
    static const std::regex three(R"((3|3\+)\s*(y|yr|yrs|year|years)\+?|long|longer)");
    if (std::regex_match(h, six)) return storage::CheckinField::Goals6m;
    if (std::regex_match(h, one)) return storage::CheckinField::Goals1y;
    if (std::regex_match(h, three)) return storage::CheckinField::Goals3y;
    return std::nullopt;
}

/// Weeks in "6w", "7wk", "8 weeks" (the words already joined); nothing otherwise.
std::optional<int> weeks_in(const std::string& phrase) {
    static const std::regex weeks(R"((?:in\s+)?(\d{1,3})\s*(?:w|wk|wks|week|weeks))");
    std::smatch m;
    if (!std::regex_match(phrase, m, weeks)) return std::nullopt;
    return std::stoi(m[1]);
}

class CheckinCommand {
  public:
    explicit CheckinCommand(Services& s) : s_(s), people_(s.db), checkins_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "help") return help_reply("/checkin — career check-ins", kUsage);
        if (cmd == "goals" || cmd == "goal") return goals(r.user_id, rest);
        if (cmd == "reality") return write(r.user_id, storage::CheckinField::Reality, rest);
        if (cmd == "plan" || cmd == "planning") {
            return write(r.user_id, storage::CheckinField::Plan, rest);
        }
        if (cmd == "done" || cmd == "held") return done(r.user_id, rest);
        if (cmd == "undo" || cmd == "undone") return undo(r.user_id, rest);
        if (cmd == "status") return status(r.user_id, rest);
        static const std::vector<std::string> kSubcommands = {"goals", "reality", "plan", "done",
                                                              "undo",  "status",  "help"};
        if (auto meant = text::near_miss(cmd, kSubcommands)) {
            throw UserError("Did you mean `/checkin " + *meant +
                            "`? `/checkin help` lists them all.");
        }
        throw UserError("I don't know `/checkin " + blocks::escape(sub) +
                        "`. Try `/checkin goals 6m …`, `/checkin status` or `/checkin help`.");
    }

  private:
    Reply goals(const std::string& viewer, const std::string& args) {
        auto [h, rest] = text::first_word(args);
        auto field = horizon_named(text::lower(h));
        // "goals 6 months …" splits the horizon over two words.
        if (!field) {
            auto [h2, rest2] = text::first_word(rest);
            if (field = horizon_named(text::lower(h + " " + h2)); field) rest = rest2;
        }
        if (!field) {
            throw UserError(
                "Which horizon? `/checkin goals 6m …`, `/checkin goals 1y …` or "
                "`/checkin goals 3y …` (3 years and beyond).");
        }
        return write(viewer, *field, rest);
    }

    Reply write(const std::string& viewer, storage::CheckinField field, const std::string& args) {
        std::string what = label(field);
        if (!text::valid_utf8(args)) {
            throw UserError(
                "That text has bytes that are not valid UTF-8, so I did not save "
                "it. Please retype it or paste it as plain text.");
        }
        // Checked before any parsing so a huge paste is refused cheaply and clearly.
        if (args.size() > 4 * kMaxCheckinBytes) {
            throw UserError(text::too_long("check-in entry", args.size(), kMaxCheckinBytes));
        }
        if (text::trim(args).empty()) {
            throw UserError("Add the text after the command, e.g. `" + example(field) + "`.");
        }
        std::string t =
            text::clean_user_text(plain_with_names(s_, args), kMaxCheckinBytes, "check-in entry");
        bool replaced = false;
        if (auto d = checkins_.draft(viewer)) replaced = !field_of(*d, field).empty();
        checkins_.set_draft_field(viewer, field, t, s_.clock.now());
        blocks::MessageBuilder m("Saved " + what);
        m.add(blocks::section(":memo: Saved your *" + what + "* for your next check-in" +
                              (replaced ? " (replacing what you had)" : "") + ":\n" +
                              blocks::escape(t)));
        m.add(
            blocks::context("`/checkin status` shows it all; `/checkin done` once the check-in "
                            "is held."));
        return m.reply();
    }

    /// The day a check-in was held, as typed after `on`: every past form `/brag` and `/task`
    /// read (`monday`, `last friday`, `nov 3`, `3 days ago`, `2026-11-03`); the future is
    /// refused by name.
    date::year_month_day held_day(const std::string& phrase, date::year_month_day today_d) {
        if (auto d = parse_date(phrase, today_d)) {
            if (date::sys_days(*d) <= date::sys_days(today_d)) return *d;
        }
        if (auto d = parse_due_date(phrase, today_d)) {
            if (date::sys_days(*d) > date::sys_days(today_d)) {
                throw UserError("That day (" + iso_day(*d) +
                                ") is still to come; record a check-in once it was held. To "
                                "plan the next one, use `/checkin done next " +
                                blocks::escape(phrase) + "`.");
            }
            return *d;
        }
        throw UserError("I couldn't read `" + blocks::escape(phrase) +
                        "` as the day it was held. Try `on monday`, `on nov 3`, `on 3 days ago` "
                        "or `on 2026-11-03`.");
    }

    Reply done(const std::string& viewer, const std::string& args) {
        std::string subject = viewer;
        std::string next_phrase;
        std::string on_phrase;
        auto w = text::words(args);
        auto phrase_after = [&](std::size_t& i, std::string& into) {
            for (++i; i < w.size() && !text::mention_id(w[i]) && text::lower(w[i]) != "on" &&
                      text::lower(w[i]) != "next";
                 ++i)
                into += (into.empty() ? "" : " ") + text::lower(w[i]);
            --i;
        };
        for (std::size_t i = 0; i < w.size(); ++i) {
            auto lw = text::lower(w[i]);
            if (auto id = text::mention_id(w[i])) {
                subject = *id;
            } else if (lw == "next" && next_phrase.empty()) {
                phrase_after(i, next_phrase);
            } else if (lw == "on" && on_phrase.empty()) {
                phrase_after(i, on_phrase);
                if (on_phrase.empty()) {
                    throw UserError(
                        "Held on which day? e.g. `/checkin done on monday` or "
                        "`/checkin done on 2026-11-03`.");
                }
            } else {
                throw UserError(
                    "`/checkin done` takes a person, the day it was held and the next date, "
                    "e.g. `/checkin done @alex on monday next 7w` or `next 2027-01-15`.");
            }
        }
        if (subject != viewer && !people_.manages(viewer, subject)) {
            throw UserError(
                ":lock: You can record check-ins for yourself and for people in your "
                "reporting line (your reports, their reports, and so on).");
        }
        // Held on, and due on, the subject's calendar: the check-in is about their days.
        auto subject_today = today(subject);
        auto held_on = on_phrase.empty() ? subject_today : held_day(on_phrase, subject_today);
        bool earlier = date::sys_days(held_on) < date::sys_days(subject_today);
        std::string held_words = earlier ? "held " + iso_day(held_on) : "held today";
        std::string warning;
        date::year_month_day next =
            plus_days(held_on, 7 * s_.config.reminders.checkin_interval_weeks);
        if (!next_phrase.empty()) {
            if (auto weeks = weeks_in(next_phrase)) {
                if (*weeks < kMinWeeks || *weeks > kMaxWeeks) {
                    throw UserError("Check-ins are every " + std::to_string(kMinWeeks) + "–" +
                                    std::to_string(kMaxWeeks) +
                                    " weeks: use `next 6w`, `next "
                                    "7w` or `next 8w`, or give a date such as `next 2027-01-15`.");
                }
                next = plus_days(held_on, 7 * *weeks);
            } else if (auto d = parse_due_date(next_phrase, subject_today)) {
                if (date::sys_days(*d) <= date::sys_days(held_on)) {
                    throw UserError(
                        "The next check-in (" + iso_day(*d) + ") has to be after " +
                        (earlier ? "the one held on " + iso_day(held_on) : std::string("today")) +
                        ". Try `next 6w` or a later date.");
                }
                next = *d;
                if (days_between(held_on, next) > kMaxGapDays) {
                    warning = ":warning: That is more than " + std::to_string(kMaxWeeks) +
                              " weeks away; the practice is a check-in every " +
                              std::to_string(kMinWeeks) + "–" + std::to_string(kMaxWeeks) +
                              " weeks.";
                }
            } else {
                throw UserError("I couldn't read `" + blocks::escape(next_phrase) +
                                "` as the "
                                "next date. Try `next 7w`, `next 2027-01-15` or `next jan 8`.");
            }
        }
        std::string whose = subject == viewer ? "your" : "<@" + subject + ">'s";
        auto last = checkins_.last_held(subject);
        bool older = last && *last->held_on > iso_day(held_on);
        if (date::sys_days(next) < date::sys_days(subject_today) && warning.empty() && !older) {
            warning = ":warning: Counted from " + iso_day(held_on) +
                      ", the next one is already overdue; `/checkin done on " + iso_day(held_on) +
                      " next 2027-01-15` (or another day) sets another date.";
        }
        std::string dm_next = "Next one due " + iso_day(next) + ".";
        auto same_day = checkins_.held_on(subject, iso_day(held_on));
        std::string headline;
        if (same_day) {
            // A second `done` for the same day is a correction of the next date, not a new
            // check-in.
            checkins_.set_next_due(same_day->id, iso_day(next), s_.clock.now());
            headline = ":handshake: " + capitalised(whose) + " check-in " + held_words +
                       " was already recorded; the next one is now due *" + iso_day(next) + "* (" +
                       relative_due(days_between(subject_today, next)) + ").";
            if (last && *last->held_on > *same_day->held_on) {
                headline += " (The latest check-in, " + *last->held_on +
                            ", still sets when the next one is due.)";
            }
        } else if (older) {
            // An older one written down late: history only; the draft is for the next one.
            checkins_.record_earlier(subject, iso_day(held_on), viewer, iso_day(next),
                                     s_.clock.now());
            headline = ":handshake: Recorded " + whose + " check-in " + held_words +
                       ". The latest one (" + *last->held_on + ") still sets the next due date, *" +
                       *last->next_due_on + "*.";
            dm_next = "The latest one, " + *last->held_on + ", still sets the next due date.";
        } else {
            bool had_draft = checkins_.draft(subject).has_value();
            checkins_.record_held(subject, iso_day(held_on), viewer, iso_day(next), s_.clock.now());
            headline =
                ":handshake: Recorded " + whose + " check-in " + held_words +
                (earlier ? "" : " (" + iso_day(held_on) + ")") + ". Next one due *" +
                iso_day(next) + "* (" + relative_due(days_between(subject_today, next)) + ")." +
                (had_draft ? " The goals, reality and plan written for it are kept with it." : "");
        }
        blocks::MessageBuilder m("Check-in recorded");
        m.add(blocks::section(headline));
        if (!warning.empty()) m.add(blocks::context(warning));
        m.add(blocks::context("Recorded by mistake? `/checkin undo" +
                              (subject == viewer ? "" : " <@" + subject + ">") +
                              (earlier ? " " + iso_day(held_on) : "") + "`"));
        Reply reply = m.reply();
        // The other side of the conversation hears about it, so nobody records it twice.
        std::string other = other_side(viewer, subject);
        if (!other.empty()) {
            Message dm;
            dm.text = "Check-in recorded";
            dm.blocks.push_back(blocks::section(
                ":handshake: <@" + viewer + "> recorded " + (other == subject ? "your" : "their") +
                " check-in held " + iso_day(held_on) + ". " + dm_next));
            reply.dms.push_back({other, std::move(dm)});
        }
        return reply;
    }

    /// Who hears about a check-in `viewer` recorded or undid for `subject`: the subject when a
    /// manager did it, else the subject's manager (empty if none).
    std::string other_side(const std::string& viewer, const std::string& subject) {
        if (viewer != subject) return subject;
        return people_.find(subject).value_or(storage::Person{}).manager_id.value_or("");
    }

    Reply undo(const std::string& viewer, const std::string& args) {
        std::string subject = viewer;
        std::string day_phrase;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) {
                subject = *id;
            } else {
                day_phrase += (day_phrase.empty() ? "" : " ") + text::lower(w);
            }
        }
        // The same refusal as for reading: it says nothing about whether a check-in exists.
        vis_.require_read(viewer, subject, RecordKind::Checkin);
        auto subject_today = today(subject);
        std::optional<storage::Checkin> target;
        std::string whose = subject == viewer ? "You have" : "<@" + subject + "> has";
        if (day_phrase.empty()) {
            target = checkins_.last_held(subject);
            if (!target)
                throw UserError(whose + " no check-in recorded, so there is nothing to undo.");
        } else {
            if (day_phrase.starts_with("on ")) day_phrase = day_phrase.substr(3);
            auto d = parse_date(day_phrase, subject_today);
            if (!d) {
                throw UserError("I couldn't read `" + blocks::escape(day_phrase) +
                                "` as the day it was held. Try `/checkin undo` (the latest) or "
                                "`/checkin undo 2026-11-03`.");
            }
            target = checkins_.held_on(subject, iso_day(*d));
            if (!target) {
                throw UserError(
                    whose + " no check-in held on " + iso_day(*d) + ". `/checkin status" +
                    (subject == viewer ? "" : " <@" + subject + ">") + "` shows the last one.");
            }
        }
        checkins_.undo_held(target->id, s_.clock.now());
        if (viewer != subject) {
            storage::AuditRepo(s_.db).record(
                {0, 0, viewer, "checkin_undo", subject, "checkins", "held " + *target->held_on},
                s_.clock.now());
        }
        auto last = checkins_.last_held(subject);
        std::string now_text = last ? " The last one is now " + *last->held_on +
                                          "; the next is due *" + *last->next_due_on + "*."
                                    : " No check-in is recorded now.";
        bool had_text =
            !(target->goals_6m.empty() && target->goals_1y.empty() && target->goals_3y.empty() &&
              target->reality.empty() && target->plan.empty());
        std::string s = subject == viewer ? "your" : "<@" + subject + ">'s";
        blocks::MessageBuilder m("Check-in undone");
        m.add(blocks::section(":leftwards_arrow_with_hook: Undid " + s + " check-in held " +
                              *target->held_on + "." + now_text +
                              (had_text ? " What was written for it is back in the draft." : "")));
        Reply reply = m.reply();
        std::string other = other_side(viewer, subject);
        if (!other.empty()) {
            Message dm;
            dm.text = "Check-in undone";
            dm.blocks.push_back(blocks::section(":leftwards_arrow_with_hook: <@" + viewer +
                                                "> undid " + (other == subject ? "your" : "their") +
                                                " check-in held " + *target->held_on +
                                                " (recorded by mistake)." + now_text));
            reply.dms.push_back({other, std::move(dm)});
        }
        return reply;
    }

    Reply status(const std::string& viewer, const std::string& args) {
        std::string subject = viewer;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id) {
                throw UserError(
                    "`/checkin status` takes at most a person, e.g. `/checkin "
                    "status @alex`.");
            }
            subject = *id;
        }
        vis_.require_read(viewer, subject, RecordKind::Checkin);
        // Overdue or not on the subject's calendar, whoever looks.
        auto subject_today = today(subject);
        auto last = checkins_.last_held(subject);
        auto draft = checkins_.draft(subject);
        std::string whose = subject == viewer ? "Your" : "<@" + subject + ">'s";
        std::string title = whose + " career check-ins";
        blocks::MessageBuilder m(title);
        m.add(blocks::section("*" + title + "*"));

        std::string when;
        if (!last) {
            when = "*Last check-in:* none recorded yet — `/checkin done` after the first one.";
        } else {
            auto held = stored_day(*last->held_on);
            auto next = stored_day(*last->next_due_on);
            int to_next = days_between(subject_today, next);
            when = "*Last check-in:* " + *last->held_on + " (" +
                   ago(days_between(held, subject_today)) + ")\n*Next due:* " + *last->next_due_on +
                   " (" + relative_due(to_next) + ")" +
                   (to_next < 0 ? " :warning: overdue — time to book it" : "");
        }
        m.add(blocks::section(when));

        std::string body;
        auto part = [&](storage::CheckinField f) {
            std::string value = draft ? field_of(*draft, f) : "";
            std::string from;
            if (value.empty() && last) {
                value = field_of(*last, f);
                if (!value.empty()) from = "  _(from the " + *last->held_on + " check-in)_";
            }
            body += "*" + capitalised(label(f)) + ":* ";
            if (value.empty()) {
                body += subject == viewer ? "_not written yet — `" + example(f) + "`_"
                                          : "_not written yet_";
            } else {
                body += blocks::escape(value) + from;
            }
            body += "\n";
        };
        for (auto f : {storage::CheckinField::Goals6m, storage::CheckinField::Goals1y,
                       storage::CheckinField::Goals3y, storage::CheckinField::Reality,
                       storage::CheckinField::Plan}) {
            part(f);
        }
        m.add_text(body);
        m.add(blocks::context(cadence(subject, subject_today)));
        return m.reply();
    }

    /// Whether the cadence held over the last year: every gap within 8 weeks, and a check-in
    /// in every completed quarter since the first one.
    std::string cadence(const std::string& subject, date::year_month_day today_d) {
        auto since = plus_days(today_d, -(kCadenceWindowDays + kMaxGapDays));
        auto held = checkins_.held_since(subject, iso_day(since));
        if (held.empty()) return "Cadence: no check-ins recorded in the last year.";
        std::vector<date::year_month_day> dates;
        dates.reserve(held.size());
        for (const auto& c : held) dates.push_back(stored_day(*c.held_on));
        std::sort(dates.begin(), dates.end());
        auto window_start = plus_days(today_d, -kCadenceWindowDays);

        std::vector<std::string> slips;
        for (std::size_t i = 1; i < dates.size(); ++i) {
            int gap = days_between(dates[i - 1], dates[i]);
            if (gap > kMaxGapDays && date::sys_days(dates[i]) >= date::sys_days(window_start)) {
                slips.push_back(std::to_string(gap / 7) + " weeks between " +
                                iso_day(dates[i - 1]) + " and " + iso_day(dates[i]));
            }
        }
        int open_gap = days_between(dates.back(), today_d);
        if (open_gap > kMaxGapDays) {
            slips.push_back(std::to_string(open_gap / 7) + " weeks since the last one");
        }
        int start_month = s_.config.org.fiscal_year_start_month;
        auto current = quarter_of(today_d, start_month);
        auto first_in_window = std::find_if(dates.begin(), dates.end(), [&](auto d) {
            return date::sys_days(d) >= date::sys_days(window_start);
        });
        auto from = first_in_window != dates.end() ? *first_in_window : dates.back();
        for (auto q = quarter_of(from, start_month);
             date::sys_days(q.last) < date::sys_days(current.first);
             q = quarter_of(plus_days(q.last, 1), start_month)) {
            bool covered = std::any_of(dates.begin(), dates.end(), [&](auto d) {
                return date::sys_days(d) >= date::sys_days(q.first) &&
                       date::sys_days(d) <= date::sys_days(q.last);
            });
            if (!covered) slips.push_back("no check-in in " + q.label());
        }
        if (slips.empty()) {
            return ":white_check_mark: Cadence held: every check-in within " +
                   std::to_string(kMaxWeeks) +
                   " weeks of the last, and at least one each "
                   "quarter.";
        }
        std::string s = ":warning: Cadence slipped: ";
        for (std::size_t i = 0; i < slips.size(); ++i) s += (i ? "; " : "") + slips[i];
        return s + ". The practice is every " + std::to_string(kMinWeeks) + "–" +
               std::to_string(kMaxWeeks) + " weeks, at least once a quarter.";
    }

    static const std::string& field_of(const storage::Checkin& c, storage::CheckinField f) {
        switch (f) {
            case storage::CheckinField::Goals6m:
                return c.goals_6m;
            case storage::CheckinField::Goals1y:
                return c.goals_1y;
            case storage::CheckinField::Goals3y:
                return c.goals_3y;
            case storage::CheckinField::Reality:
                return c.reality;
            case storage::CheckinField::Plan:
                return c.plan;
        }
        return c.plan;
    }
    static std::string label(storage::CheckinField f) {
        switch (f) {
            case storage::CheckinField::Goals6m:
                return "6-month goals";
            case storage::CheckinField::Goals1y:
                return "1-year goals";
            case storage::CheckinField::Goals3y:
                return "3+ year goals";
            case storage::CheckinField::Reality:
                return "reality";
            case storage::CheckinField::Plan:
                return "plan";
        }
        return "plan";
    }
    static std::string example(storage::CheckinField f) {
        switch (f) {
            case storage::CheckinField::Goals6m:
                return "/checkin goals 6m lead a project end to end";
            case storage::CheckinField::Goals1y:
                return "/checkin goals 1y become a senior engineer";
            case storage::CheckinField::Goals3y:
                return "/checkin goals 3y run a team";
            case storage::CheckinField::Reality:
                return "/checkin reality strong on delivery, new to design reviews";
            case storage::CheckinField::Plan:
                return "/checkin plan Q1: own the billing migration";
        }
        return "/checkin help";
    }
    static std::string capitalised(std::string s) {
        if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
        return s;
    }

    date::year_month_day today(const std::string& user) { return today_for(s_, user); }

    Services& s_;
    storage::PeopleRepo people_;
    storage::CheckinRepo checkins_;
    Visibility vis_;
};

}  // namespace

void register_checkin(App& app) {
    CommandInfo info{"/checkin", "career check-ins: goals, reality, plan and their cadence",
                     "goals 6m|1y|3y <text> | reality <text> | plan <text> | done [on <date>] | "
                     "undo | status | help"};
    info.plans_reminders = true;  // the check-in cadence drives nudges
    app.command(std::move(info),
                [](Services& s, const Request& r) { return CheckinCommand(s).run(r); });
}

}  // namespace careerbot::commands
