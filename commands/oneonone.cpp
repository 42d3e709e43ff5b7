// /1on1: the 1:1 cadence that drives the preparation DMs — schedule, next, skip, cancel, and a
// preview of the preparation; plus the buttons on reminders (mark a task done, snooze).
#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "src/scheduler/messages.hpp"
#include "src/scheduler/occurrence.hpp"
#include "src/scheduler/planning.hpp"
#include "storage/people.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/schedules.hpp"
#include "storage/tasks.hpp"

namespace careerbot::commands {
namespace {
using nlohmann::json;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/1on1 schedule @report <weekday> <HH:MM> [every N weeks]",
     "set (or replace) the 1:1 cadence with someone below you, in your time zone; e.g. "
     "`/1on1 schedule @dana tuesday 10:00 every 2 weeks`"},
    {"/1on1 next", "your upcoming 1:1s, as manager or as report"},
    {"/1on1 skip [@report]", "skip the next 1:1 (and its preparation DM)"},
    {"/1on1 cancel @report", "stop the cadence and its reminders"},
    {"/1on1 prep [@report]", "show the preparation DM for the next 1:1 now"},
    {"/1on1 help", "this help"},
};

const std::array<const char*, 7> kWeekdays{"sunday",   "monday", "tuesday", "wednesday",
                                           "thursday", "friday", "saturday"};

std::optional<int> weekday_named(const std::string& word) {
    auto w = text::lower(word);
    if (!w.empty() && w.back() == 's') w.pop_back();  // "tuesdays"
    for (std::size_t i = 0; i < kWeekdays.size(); ++i) {
        std::string full = kWeekdays[i];
        if (w.size() >= 3 && full.compare(0, w.size(), w) == 0) return static_cast<int>(i);
    }
    return std::nullopt;
}

std::string capitalised(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
}

std::string cadence_text(const storage::OneOnOne& s) {
    std::string every =
        s.every_weeks == 1 ? "every " : "every " + std::to_string(s.every_weeks) + " weeks on ";
    return every + capitalised(kWeekdays[static_cast<std::size_t>(s.weekday)]) + " at " +
           scheduler::format_minutes(s.minute_of_day) + " (" + blocks::escape(s.tz) + ")";
}

/// What one /1on1 invocation needs, built once per request.
class OneOnOneCommand {
  public:
    explicit OneOnOneCommand(Services& s) : s_(s), people_(s.db), schedules_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "next" || cmd == "list") return next(r.user_id);
        if (cmd == "help") return help_reply("/1on1 — the 1:1 cadence and its reminders", kUsage);
        if (cmd == "schedule" || cmd == "set") return schedule(r.user_id, rest);
        if (cmd == "skip") return skip(r.user_id, rest);
        if (cmd == "cancel" || cmd == "stop") return cancel(r.user_id, rest);
        if (cmd == "prep" || cmd == "preview") return prep(r.user_id, rest);
        throw UserError("I don't know `/1on1 " + blocks::escape(sub) +
                        "`. Try `/1on1 schedule @report tuesday 10:00`, `/1on1 next` or "
                        "`/1on1 help`.");
    }

  private:
    Reply schedule(const std::string& manager, const std::string& args) {
        auto w = text::words(args);
        std::optional<std::string> report;
        std::optional<int> weekday;
        std::optional<int> minute;
        int every = 1;
        for (std::size_t i = 0; i < w.size(); ++i) {
            auto word = text::lower(w[i]);
            if (auto id = text::mention_id(w[i])) {
                report = *id;
            } else if (word == "every" || word == "at" || word == "on") {
                if (word != "every") continue;
                if (i + 1 < w.size() && text::lower(w[i + 1]).rfind("week", 0) == 0) {
                    ++i;
                    continue;
                }
                if (i + 1 < w.size() && text::lower(w[i + 1]) == "other") {
                    every = 2;
                    i += (i + 2 < w.size() && text::lower(w[i + 2]).rfind("week", 0) == 0) ? 2 : 1;
                    continue;
                }
                auto n = i + 1 < w.size() ? text::parse_number(w[i + 1]) : std::nullopt;
                if (!n || *n > 12) throw UserError(cadence_help("`every` needs 1 to 12 weeks"));
                every = *n;
                ++i;
                if (i + 1 < w.size() && text::lower(w[i + 1]).rfind("week", 0) == 0) ++i;
            } else if (word == "weekly") {
                every = 1;
            } else if (word == "biweekly" || word == "fortnightly") {
                every = 2;
            } else if (auto d = weekday_named(word); d && !weekday) {
                weekday = d;
            } else if (auto t = scheduler::parse_time_of_day(word); t && !minute) {
                minute = t;
            } else {
                throw UserError(cadence_help("I couldn't read `" + blocks::escape(w[i]) + "`"));
            }
        }
        if (!report) throw UserError(cadence_help("Whom with? Mention your report"));
        if (!weekday) throw UserError(cadence_help("Which day? Give a weekday"));
        if (!minute) throw UserError(cadence_help("What time? Give it as HH:MM"));
        learn_person(s_, manager);
        learn_person(s_, *report);
        if (*report == manager || !people_.manages(manager, *report)) {
            throw UserError(
                ":lock: You can schedule 1:1s only with people below you in the org "
                "chart (`/team list` shows it).");
        }
        storage::OneOnOne sched;
        sched.manager_id = manager;
        sched.report_id = *report;
        sched.weekday = *weekday;
        sched.minute_of_day = *minute;
        sched.tz = time_zone_of(s_.db, s_.config, manager);
        sched.every_weeks = every;
        sched.created_by = manager;
        TimePoint now = s_.clock.now();
        sched.anchor_on = iso_day(scheduler::first_anchor(*weekday, *minute, sched.tz, now));
        TimePoint next{};
        s_.db.write([&] {
            // Replacing a cadence: its pending reminders go with it.
            if (auto old = schedules_.active(manager, *report)) {
                scheduler::cancel_one_on_one(s_.db, old->id, now);
            }
            sched = schedules_.create(sched, now);
            next = scheduler::plan_one_on_one(s_.db, s_.config, sched, now);
        });
        auto lead = s_.config.reminders.one_on_one_lead;
        blocks::MessageBuilder m("1:1 with " + blocks::escape(people_.display_name(*report)) +
                                 " scheduled");
        m.add(blocks::section(
            ":spiral_calendar_pad: 1:1 with <@" + *report + "> " + cadence_text(sched) +
            ".\nNext: " + scheduler::slack_time(next, sched.tz) + "." + across_zones(sched, next)));
        for (const auto& warning : schedule_warnings(sched, next, now))
            m.add(blocks::section(warning));
        m.add(blocks::context(
            "I'll DM you a preparation " + lead_text(lead) + " before each one. `/1on1 prep <@" +
            *report + ">` shows it now; `/1on1 skip <@" + *report + ">` skips the next one."));
        return m.reply();
    }

    /// " That is 10:00 in Europe/Berlin for you and 04:00 in America/New_York for @eve." when
    /// the two live in different zones; empty otherwise.
    std::string across_zones(const storage::OneOnOne& sched, TimePoint next) {
        const std::string report_tz = time_zone_of(s_.db, s_.config, sched.report_id);
        if (report_tz == sched.tz) return "";
        return "\nThat is " + local_clock(next, sched.tz) + " for you and " +
               local_clock(next, report_tz) + " for <@" + sched.report_id + ">.";
    }

    /// "Tue 04:00 in America/New_York"
    static std::string local_clock(TimePoint t, const std::string& tz) {
        const auto day = scheduler::local_day(t, tz);
        const auto minute = local_minute(t, tz);
        return capitalised(kWeekdays[date::weekday(day).c_encoding()]).substr(0, 3) + " " +
               scheduler::format_minutes(minute) + " in " + blocks::escape(tz);
    }

    /// Minutes after local midnight of `t` in `tz`.
    static int local_minute(TimePoint t, const std::string& tz) {
        const auto day = scheduler::local_day(t, tz);
        const auto midnight = scheduler::at_local(day, 0, tz);
        return static_cast<int>(
            std::chrono::duration_cast<std::chrono::minutes>(t - midnight).count());
    }

    /// Warnings for a new cadence: outside the report's working hours (in their zone), or at
    /// the same time as another of the manager's 1:1s within the next eight weeks.
    std::vector<std::string> schedule_warnings(const storage::OneOnOne& sched, TimePoint next,
                                               TimePoint now) {
        std::vector<std::string> out;
        const std::string& hours = s_.config.reminders.working_hours;
        const auto from = scheduler::parse_time_of_day(hours.substr(0, 5));
        const auto to = scheduler::parse_time_of_day(hours.substr(6, 5));
        const std::string report_tz = time_zone_of(s_.db, s_.config, sched.report_id);
        const int at = local_minute(next, report_tz);
        if (from && to && (at < *from || at >= *to)) {
            out.push_back(":warning: That is " + local_clock(next, report_tz) + " for <@" +
                          sched.report_id + ">, outside their working hours (" + hours +
                          "). `/1on1 schedule` again with another time to move it.");
        }
        // Two 1:1s of the same manager closer than half an hour clash.
        constexpr auto kMeeting = std::chrono::minutes(30);
        const auto horizon = now + std::chrono::weeks(8);
        for (const auto& other : schedules_.active_for(sched.manager_id)) {
            if (other.id == sched.id || other.manager_id != sched.manager_id) continue;
            std::optional<TimePoint> clash;
            for (TimePoint a = next; a < horizon && !clash;
                 a = scheduler::next_occurrence(sched, a)) {
                for (TimePoint b = scheduler::next_occurrence(other, now); b < horizon;
                     b = scheduler::next_occurrence(other, b)) {
                    if (b > a - kMeeting && b < a + kMeeting) {
                        clash = a;
                        break;
                    }
                }
            }
            if (clash) {
                out.push_back(":warning: It clashes with your 1:1 with <@" + other.report_id +
                              "> on " + scheduler::slack_time(*clash, sched.tz) + ".");
            }
        }
        return out;
    }

    static std::string lead_text(std::chrono::minutes lead) {
        if (lead.count() % 60 == 0) {
            auto h = lead.count() / 60;
            return std::to_string(h) + (h == 1 ? " hour" : " hours");
        }
        return std::to_string(lead.count()) + " minutes";
    }

    static std::string cadence_help(const std::string& problem) {
        return problem +
               ". For example: `/1on1 schedule @dana tuesday 10:00` or "
               "`/1on1 schedule @dana thu 15:30 every 2 weeks`.";
    }

    Reply next(const std::string& viewer) {
        TimePoint now = s_.clock.now();
        struct Upcoming {
            TimePoint when;
            std::string line;
        };
        std::vector<Upcoming> items;
        for (const auto& sch : schedules_.active_for(viewer)) {
            TimePoint when = scheduler::next_live_occurrence(sch, now);
            bool as_manager = sch.manager_id == viewer;
            std::string other = as_manager ? sch.report_id : sch.manager_id;
            std::string line = "• " + scheduler::slack_time(when, sch.tz) + " with <@" + other +
                               ">" + (as_manager ? "" : " (your manager)") + " — " +
                               cadence_text(sch);
            if (sch.skip_until && from_unix(*sch.skip_until) > now) {
                line += "; the one on " + scheduler::slack_day(from_unix(*sch.skip_until), sch.tz) +
                        " is skipped";
            }
            items.push_back({when, line});
        }
        std::sort(items.begin(), items.end(),
                  [](const auto& a, const auto& b) { return a.when < b.when; });
        blocks::MessageBuilder m("Your next 1:1s");
        if (items.empty()) {
            m.add(
                blocks::section("You have no 1:1s scheduled. Managers set them with "
                                "`/1on1 schedule @report tuesday 10:00`."));
            return m.reply();
        }
        std::string body = "*Your next 1:1s*\n";
        for (const auto& i : items) body += i.line + "\n";
        m.add_text(body);
        return m.reply();
    }

    /// The cadence `args` names for a manager (`@report`), or their only one.
    storage::OneOnOne pick(const std::string& manager, const std::string& args,
                           const std::string& verb) {
        std::optional<std::string> report;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) report = *id;
        }
        if (report) {
            auto sch = schedules_.active(manager, *report);
            if (!sch) {
                throw UserError("You have no 1:1s scheduled with <@" + *report +
                                ">. `/1on1 next` lists yours.");
            }
            return *sch;
        }
        std::vector<storage::OneOnOne> mine;
        for (auto& sch : schedules_.active_for(manager)) {
            if (sch.manager_id == manager) mine.push_back(sch);
        }
        if (mine.size() == 1) return mine.front();
        throw UserError(mine.empty() ? "You have no 1:1s scheduled as a manager."
                                     : "With whom? `/1on1 " + verb + " @report`.");
    }

    Reply skip(const std::string& manager, const std::string& args) {
        auto sch = pick(manager, args, "skip");
        TimePoint now = s_.clock.now();
        TimePoint skipped = scheduler::skip_next_one_on_one(s_.db, s_.config, sch, manager, now);
        sch.skip_until = to_unix(skipped);
        TimePoint after = scheduler::next_live_occurrence(sch, now);
        return Reply::text(":fast_forward: Skipped the 1:1 with <@" + sch.report_id + "> on " +
                           scheduler::slack_time(skipped, sch.tz) + ". The next one is " +
                           scheduler::slack_time(after, sch.tz) + ".");
    }

    Reply cancel(const std::string& manager, const std::string& args) {
        bool named = false;
        for (const auto& w : text::words(args)) named = named || text::mention_id(w).has_value();
        if (!named) throw UserError("Whose 1:1s? `/1on1 cancel @report`.");
        auto sch = pick(manager, args, "cancel");
        scheduler::cancel_one_on_one(s_.db, sch.id, s_.clock.now());
        return Reply::text(":wastebasket: Stopped the 1:1s with <@" + sch.report_id +
                           "> and their reminders. `/1on1 schedule` sets them up again.");
    }

    Reply prep(const std::string& manager, const std::string& args) {
        auto sch = pick(manager, args, "prep");
        // The org chart may have changed since the cadence was set: check again.
        Visibility(s_.db).require_read(manager, sch.report_id, RecordKind::OneOnOnePrep);
        TimePoint now = s_.clock.now();
        TimePoint when = scheduler::next_live_occurrence(sch, now);
        auto pages = scheduler::prep_message(s_.db, s_.config, sch, when, now, std::nullopt);
        Reply reply = Reply::ephemeral(pages.front());
        reply.more.assign(pages.begin() + 1, pages.end());
        return reply;
    }

    Services& s_;
    storage::PeopleRepo people_;
    storage::ScheduleRepo schedules_;
};

/// The preparation a "Mark #N done" button was on, drawn again now, if the button says which
/// (`s` cadence, `o` occurrence, `t` when it was sent, `r` reminder) and it can still be drawn:
/// the cadence still runs, `user` is its manager and may still read the report's preparation.
/// Only the message that holds task #`number` (a long preparation has several).
std::optional<Message> prep_again(Services& s, const json& v, const std::string& user, int number) {
    auto int_at = [&](const char* key) -> std::optional<int64_t> {
        if (!v.contains(key) || !v[key].is_number_integer()) return std::nullopt;
        return v[key].get<int64_t>();
    };
    auto cadence = int_at("s"), occurrence = int_at("o"), sent = int_at("t");
    if (!cadence || !occurrence || !sent) return std::nullopt;
    auto sch = storage::ScheduleRepo(s.db).find(*cadence);
    if (!sch || sch->cancelled_at || sch->manager_id != user ||
        !Visibility(s.db).can_read(user, sch->report_id, RecordKind::OneOnOnePrep))
        return std::nullopt;
    auto pages = scheduler::prep_message(s.db, s.config, *sch, from_unix(*occurrence),
                                         s.clock.now(), int_at("r"), from_unix(*sent));
    const std::string block_id = scheduler::prep_task_block_id(number);
    for (auto& page : pages) {
        for (const auto& b : page.blocks) {
            if (b.value("block_id", "") == block_id) return std::move(page);
        }
    }
    return std::nullopt;
}

/// The "Mark #N done" button on a reminder: the same permission as `/task done`. On a 1:1
/// preparation the answer is the preparation again with the task struck through, which
/// replaces it; when it can no longer be drawn, the preparation stays and a DM confirms.
/// On a task nudge, a line that replaces the nudge.
Reply task_done_from_reminder(Services& s, const Interaction& in) {
    auto v = json::parse(in.value, nullptr, false);
    if (!v.is_object() || !v.contains("u") || !v.contains("n") || !v["u"].is_string() ||
        !v["n"].is_number_integer()) {
        throw UserError("That button is out of date. `/task list` shows your tasks.");
    }
    std::string assignee = v["u"].get<std::string>();
    int number = v["n"].get<int>();
    // Re-checked at press time: the org chart may have changed since the DM went out.
    Visibility(s.db).require_read(in.user_id, assignee, RecordKind::Task);
    storage::TaskRepo tasks(s.db);
    bool changed = false;
    s.db.write([&] { changed = tasks.mark_done(assignee, number, in.user_id, s.clock.now()); });
    auto t = tasks.find(assignee, number);
    if (!t) throw UserError("There is no such task any more. `/task list` shows the tasks.");
    std::string whose = assignee == in.user_id ? "" : " of <@" + assignee + ">";
    const std::string said =
        changed ? ":white_check_mark: Marked task *#" + std::to_string(number) + "*" + whose +
                      " done: " + blocks::escape(t->text)
                : "Task *#" + std::to_string(number) + "*" + whose + " was already done.";
    if (!v.contains("s")) return Reply::text(said);  // a nudge, or a preparation from before
    Reply reply;
    if (auto prep = prep_again(s, v, in.user_id, number)) {
        reply.message = std::move(*prep);
        return reply;
    }
    // No message, so the preparation is not replaced; the line comes as a DM below it.
    blocks::MessageBuilder dm(said);
    dm.add_text(said);
    std::move(dm).send_to(in.user_id, reply);
    return reply;
}

/// The "Snooze" button on a 1:1 preparation.
Reply snooze(Services& s, const Interaction& in) {
    auto id = text::parse_number(in.value);
    auto when =
        id ? scheduler::snooze_reminder(s.db, *id, in.user_id, s.clock.now()) : std::nullopt;
    if (!when) {
        throw UserError(
            "I can't snooze that one: it is not yours, or the 1:1 starts before "
            "then.");
    }
    return Reply::text(":zzz: I'll send the preparation again " +
                       scheduler::slack_time(*when, time_zone_of(s.db, s.config, in.user_id)) +
                       ".");
}

/// The "Skip this 1:1" button on a preparation: `/1on1 skip` for that very 1:1, by the manager
/// it was sent to, while it is still ahead and not skipped yet.
Reply skip_from_reminder(Services& s, const Interaction& in) {
    auto id = text::parse_number(in.value);
    auto row = id ? storage::ReminderOutbox(s.db).find(*id) : std::nullopt;
    std::optional<storage::OneOnOne> sch;
    if (row && row->kind == "one_on_one" && row->recipient_id == in.user_id && row->occurs_at)
        sch = storage::ScheduleRepo(s.db).find(row->ref_id.value_or(0));
    TimePoint now = s.clock.now();
    if (!sch || sch->cancelled_at ||
        to_unix(scheduler::next_live_occurrence(*sch, now)) != *row->occurs_at) {
        throw UserError(
            "I can't skip that 1:1: it is not yours, it was already skipped or cancelled, or "
            "it has started. `/1on1 next` shows what is coming.");
    }
    TimePoint skipped = scheduler::skip_next_one_on_one(s.db, s.config, *sch, in.user_id, now);
    sch->skip_until = to_unix(skipped);
    TimePoint after = scheduler::next_live_occurrence(*sch, now);
    return Reply::text(":fast_forward: Skipped the 1:1 with <@" + sch->report_id + "> on " +
                       scheduler::slack_time(skipped, sch->tz) + ". The next one is " +
                       scheduler::slack_time(after, sch->tz) +
                       "; its preparation counts from the last 1:1 that took place.");
}

}  // namespace

void register_oneonone(App& app) {
    CommandInfo info{"/1on1", "the 1:1 cadence that drives the preparation reminders",
                     "schedule @report <weekday> <HH:MM> [every N weeks] | next | skip | cancel | "
                     "prep | help"};
    info.plans_reminders = true;  // a new or moved 1:1 moves its preparation reminders
    app.command(std::move(info),
                [](Services& s, const Request& r) { return OneOnOneCommand(s).run(r); });
    app.action(scheduler::kTaskDoneAction,
               [](Services& s, const Interaction& in) { return task_done_from_reminder(s, in); });
    app.action(scheduler::kSnoozeAction,
               [](Services& s, const Interaction& in) { return snooze(s, in); });
    app.action(scheduler::kSkipAction,
               [](Services& s, const Interaction& in) { return skip_from_reminder(s, in); });
}

}  // namespace careerbot::commands
