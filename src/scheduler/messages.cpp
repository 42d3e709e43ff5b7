#include "src/scheduler/messages.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/scheduler/kinds.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/brags.hpp"
#include "storage/checkins.hpp"
#include "storage/feedback.hpp"
#include "storage/idos.hpp"
#include "storage/mentors.hpp"
#include "storage/people.hpp"
#include "storage/reminder_away.hpp"

namespace careerbot::scheduler {
namespace {
using nlohmann::json;

/// Lines longer than this are cut in lists, so one long brag cannot crowd out the rest.
constexpr std::size_t kMaxLineChars = 300;

std::string cut(const std::string& text) {
    auto lines = blocks::split_text(blocks::escape(text), kMaxLineChars);
    if (lines.empty()) return "";
    std::string first = lines.front();
    for (char& c : first) {
        if (c == '\n') c = ' ';
    }
    if (lines.size() == 1) return first;
    while (!first.empty() && first.back() == ' ') first.pop_back();  // cut after a space
    return first + "…";
}

std::string plural(int n, const std::string& one, const std::string& many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

json done_button(const storage::Task& t, const json& extra = json::object()) {
    json value = {{"u", t.assignee_id}, {"n", t.number}};
    value.update(extra);
    return blocks::button("Mark #" + std::to_string(t.number) + " done", kTaskDoneAction,
                          value.dump());
}

std::string task_due_text(const storage::Task& t, date::local_days today) {
    auto due = parse_iso_local_day(t.due_on);
    if (!due) return "due " + t.due_on;
    int days = days_between(today, *due);
    if (days < 0) return "due " + t.due_on + ", *overdue by " + plural(-days, "day", "days") + "*";
    if (days == 0) return "due " + t.due_on + " (today)";
    return "due " + t.due_on + " (in " + plural(days, "day", "days") + ")";
}

std::string missed_line(const MissedOneOnOne& m) {
    std::string who = "<@" + m.reason.substr(m.reason.find(':') + 1) + ">";
    std::string why = m.reason.rfind("away:", 0) == 0 ? who + " away" : "skipped by " + who;
    return "• the 1:1 on " + slack_day(m.at, m.tz) + " did not take place (" + why + ")";
}

}  // namespace

std::optional<storage::Task> ask_first(const std::vector<storage::Task>& tasks) {
    // Due dates are ISO strings, so the earliest one is both "most overdue" (when any is
    // overdue) and "due soonest" (when none is).
    auto best = std::min_element(tasks.begin(), tasks.end(), [](const auto& a, const auto& b) {
        return std::tie(a.due_on, a.number) < std::tie(b.due_on, b.number);
    });
    if (best == tasks.end()) return std::nullopt;
    return *best;
}

OneOnOneHistory one_on_one_history(storage::Database& db, const storage::OneOnOne& s,
                                   TimePoint before, TimePoint now) {
    storage::ScheduleRepo schedules(db);
    storage::AwayRepo away(db);
    struct Occurrence {
        TimePoint at;
        const storage::OneOnOne* cadence;
    };
    // Every occurrence of every cadence the pair has had (a rescheduled 1:1 replaces the
    // cadence, not the history), while it ran, newest first.
    auto cadences = schedules.for_pair(s.manager_id, s.report_id);
    if (cadences.empty()) cadences.push_back(s);
    std::vector<Occurrence> all;
    TimePoint since = from_unix(s.created_at);
    TimePoint end = std::min(before, now + std::chrono::seconds{1});
    for (const auto& c : cadences) {
        since = std::min(since, from_unix(c.created_at));
        TimePoint until = c.cancelled_at ? std::min(end, from_unix(*c.cancelled_at)) : end;
        for (auto t = previous_occurrence(c, until); t && *t >= from_unix(c.created_at);
             t = previous_occurrence(c, *t)) {
            all.push_back({*t, &c});
        }
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.at > b.at; });

    OneOnOneHistory out;
    out.since = since;
    for (const auto& o : all) {
        // Kept on the 1:1's date where the manager keeps it, like the reminder's away rule.
        auto day = iso_day(local_day(o.at, o.cadence->tz));
        std::string reason;
        if (schedules.was_skipped(o.cadence->id, to_unix(o.at))) {
            reason = "skip:" + o.cadence->manager_id;
        } else if (away.covering(s.report_id, day)) {
            reason = "away:" + s.report_id;
        } else if (away.covering(s.manager_id, day)) {
            reason = "away:" + s.manager_id;
        }
        if (reason.empty()) {
            out.last_held = o.at;
            out.since = o.at;
            break;
        }
        out.missed.push_back({o.at, o.cadence->tz, reason});
    }
    std::reverse(out.missed.begin(), out.missed.end());
    return out;
}

std::optional<storage::Task> task_by_id(storage::Database& db, int64_t id) {
    return storage::TaskRepo(db).find_by_id(id);
}

std::string task_gone_reason(storage::Database& db, int64_t id) {
    return storage::TaskRepo(db).history_state(id).value_or("gone");
}

std::string prep_task_block_id(int number) { return "prep_task_" + std::to_string(number); }

std::vector<Message> prep_message(storage::Database& db, const Config& config,
                                  const storage::OneOnOne& s, TimePoint occurrence, TimePoint now,
                                  std::optional<int64_t> reminder_id,
                                  std::optional<TimePoint> sent_at) {
    storage::PeopleRepo people(db);
    const std::string& report = s.report_id;
    std::string report_tz = time_zone_of(db, config, report);
    std::string report_name = people.display_name(report);
    auto today = local_day(now, report_tz);

    // "Since the last 1:1": the last one that took place — a skipped 1:1, or one during an
    // absence, discussed nothing, so what came since must still be talked about now.
    auto history = one_on_one_history(db, s, occurrence, now);
    TimePoint since = history.since;
    TimePoint following = next_occurrence(s, occurrence);
    // Tasks due before the 1:1 after this one must be discussed now: there is no later chance.
    auto window_end = local_day(following, s.tz) - date::days{1};

    storage::TaskRepo tasks_repo(db);
    auto tasks = tasks_repo.open_due_between(report, "", iso_day(window_end));
    // Re-drawn after "Mark #N done": the tasks of the window done since it was sent stay in
    // the list, struck through, so the manager still sees what it was.
    std::vector<storage::Task> done_since_sent;
    if (sent_at) {
        for (auto& t : tasks_repo.done_for(report, kMaxTasksDoneSinceSent)) {
            if (*t.done_at < to_unix(*sent_at)) break;  // most recently done first
            if (t.due_on <= iso_day(window_end)) done_since_sent.push_back(std::move(t));
        }
    }
    // What the buttons carry so that pressing one can draw this preparation again.
    const json prep_ref = [&] {
        json ref = {{"s", s.id}, {"o", to_unix(occurrence)}, {"t", to_unix(sent_at.value_or(now))}};
        if (reminder_id) ref["r"] = *reminder_id;
        return ref;
    }();

    blocks::MessageBuilder m("1:1 with " + blocks::escape(report_name) + " — your preparation");
    m.add(blocks::section(":spiral_calendar_pad: *Your 1:1 with <@" + report + ">* is " +
                          slack_time(occurrence, s.tz) + ". Here is what to talk about."));

    auto first = ask_first(tasks);
    if (first) {
        auto due = parse_iso_local_day(first->due_on);
        bool overdue = due && *due < today;
        m.add(blocks::section(":point_right: *Ask first about task #" +
                              std::to_string(first->number) + "*: " + cut(first->text) + " — " +
                              (overdue ? "the most overdue" : "the one due soonest") + ", " +
                              task_due_text(*first, today) + "."));
    } else {
        m.add(blocks::section(":point_right: *Ask first:* nothing is due before " +
                              slack_day(following, s.tz) +
                              " — ask what they would like to take on next."));
    }

    // Due dates are days of the report's calendar; say so when the manager's clock differs.
    std::string whose_days = same_clock(report_tz, time_zone_of(db, config, s.manager_id), now)
                                 ? ""
                                 : " · days counted on <@" + report + ">'s calendar (" +
                                       blocks::escape(zone_place(report_tz)) + " time)";
    m.add(blocks::section(
        "*Tasks due before " + slack_day(following, s.tz) + " or overdue* (" +
        std::to_string(tasks.size()) + ")" +
        (done_since_sent.empty()
             ? ""
             : " · " + std::to_string(done_since_sent.size()) + " marked done since") +
        whose_days + (tasks.empty() && done_since_sent.empty() ? "\nNone." : "")));
    std::vector<const storage::Task*> listed;
    for (const auto& t : tasks) listed.push_back(&t);
    for (const auto& t : done_since_sent) listed.push_back(&t);
    std::sort(listed.begin(), listed.end(), [](const auto* a, const auto* b) {
        return std::tie(a->due_on, a->number) < std::tie(b->due_on, b->number);
    });
    for (const auto* t : listed) {
        json block;
        if (t->done()) {
            block = blocks::section(":white_check_mark: ~*#" + std::to_string(t->number) + "* " +
                                    cut(t->text) + "~ — done" +
                                    (t->done_by.empty() ? "" : " by <@" + t->done_by + ">"));
        } else {
            block = blocks::section("*#" + std::to_string(t->number) + "* " + cut(t->text) + " — " +
                                    task_due_text(*t, today));
            block["accessory"] = done_button(*t, prep_ref);
        }
        block["block_id"] = prep_task_block_id(t->number);
        m.add(block);
    }

    std::string since_day = iso_day(local_day(since, report_tz));
    auto brags = storage::BragRepo(db).list({report, since_day, "", -1, 0});
    std::string brag_text =
        "*Brags since " + since_day + "* (" + std::to_string(brags.size()) + ")\n";
    if (brags.empty()) brag_text += "None logged — a good moment to ask what went well.\n";
    for (const auto& b : brags) {
        brag_text += "• " + b.happened_on + " · " + cut(b.text) + "\n";
    }
    brag_text.pop_back();
    m.add_text(brag_text);

    auto feedback = storage::FeedbackRepo(db).received(report, to_unix(since));
    std::string fb_text =
        "*Feedback saved since " + since_day + "* (" + std::to_string(feedback.size()) + ")\n";
    if (feedback.empty()) fb_text += "None.\n";
    for (const auto& f : feedback) {
        fb_text += "• from <@" + f.author_id + ">: " + cut(f.text) + "\n";
    }
    fb_text.pop_back();
    m.add_text(fb_text);

    auto quarter = quarter_of(date::year_month_day{today}, config.org.fiscal_year_start_month);
    storage::IdoRepo idos(db);
    std::string ido_text = "*IDO " + quarter.label() + "*: ";
    if (auto ido = idos.for_quarter(report, quarter.label())) {
        auto notes = idos.progress(ido->id);
        ido_text += cut(ido->objective) + " (mentor <@" + ido->mentor_id + ">)" +
                    (ido->achieved_at ? " — achieved :tada:" : "") + "\n" +
                    plural(static_cast<int>(notes.size()), "progress note", "progress notes");
        if (!notes.empty()) {
            auto last = parse_iso_local_day(notes.front().noted_on);
            int ago = last ? days_between(*last, today) : 0;
            ido_text += ", the last " +
                        (ago == 0 ? std::string("today") : plural(ago, "day", "days") + " ago") +
                        ": " + cut(notes.front().note);
        } else {
            ido_text += " yet";
        }
    } else {
        ido_text += "none set for this quarter — `/ido set <@" + report + "> …` with a mentor.";
    }
    // Mentor notes are the report's records, and the manager is in their chain (`/1on1`
    // schedules only down the line): all of them since the last 1:1 that took place.
    storage::MentorRepo mentors(db);
    if (auto standing = mentors.current(report)) {
        ido_text += "\nStanding mentor: <@" + standing->mentor_id + ">";
    }
    m.add(blocks::section(ido_text));
    auto mentor_notes = mentors.notes_since(report, to_unix(since));
    if (!mentor_notes.empty()) {
        std::string notes_text =
            "*Mentor notes since " + since_day + "* (" + std::to_string(mentor_notes.size()) + ")";
        for (const auto& n : mentor_notes) {
            notes_text += "\n• " + n.noted_on + " from <@" + n.author_id + ">: " + cut(n.note);
        }
        m.add_text(notes_text);
    }

    if (auto intern = storage::InternshipRepo(db).live_for(report)) {
        m.add(blocks::section("*Internship for learning*: " +
                              internship_line(*intern, iso_day(today))));
    }

    std::string checkin_text = "*Next check-in*: ";
    auto next_checkin = storage::CheckinRepo(db).next_due(report);
    auto next_day = next_checkin ? parse_iso_local_day(*next_checkin) : std::nullopt;
    if (!next_day) {
        checkin_text += "none recorded yet — `/checkin` starts one.";
    } else {
        int days = days_between(today, *next_day);
        checkin_text +=
            days < 0    ? "overdue by " + plural(-days, "day", "days") + " (" + *next_checkin + ")"
            : days == 0 ? "due today"
                        : "in " + plural(days, "day", "days") + " (" + *next_checkin + ")";
    }
    m.add(blocks::section(checkin_text));

    // What was missed since the last 1:1 that took place: said in the first preparation after
    // it, and again until a 1:1 takes place (none did in between, so nobody has heard it yet).
    std::vector<std::string> missed;
    for (const auto& o : history.missed) missed.push_back(missed_line(o));
    for (const auto& r :
         storage::ReminderOutbox(db).skipped_for_away(report, to_unix(since), to_unix(now))) {
        const ReminderKind* kind = reminder_kind(r.kind);
        if (kind && kind->missed_line) missed.push_back(kind->missed_line(db, r, s.tz));
    }
    if (!missed.empty()) {
        std::string text = "*Missed since the last 1:1* (" + std::to_string(missed.size()) + ")";
        for (const auto& line : missed) text += "\n" + line;
        if (!history.missed.empty()) {
            text += history.last_held
                        ? "\nThe last 1:1 that took place was " +
                              slack_day(*history.last_held, s.tz) +
                              ": brags and feedback are counted from then."
                        : "\nNo 1:1 has taken place yet: brags and feedback are counted from "
                          "when the 1:1s were set up.";
        }
        m.add_text(text);
    }

    if (reminder_id) {
        m.add(blocks::actions(json::array(
            {blocks::button("Snooze " + std::to_string(kSnooze.count()) + " min", kSnoozeAction,
                            std::to_string(*reminder_id)),
             blocks::button("Skip this 1:1", kSkipAction, std::to_string(*reminder_id))})));
    }
    m.add(
        blocks::context("Ask-first rule: the most overdue open task, else the one due "
                        "soonest. `/1on1 skip <@" +
                        report + ">` skips the next 1:1."));
    return m.build();
}

Message task_nudge(storage::Database& db, const Config& config, const storage::Task& t,
                   bool overdue, TimePoint now) {
    auto tz = time_zone_of(db, config, t.assignee_id);
    auto today = local_day(now, tz);
    std::string head = overdue ? ":warning: Task *#" + std::to_string(t.number) +
                                     "* is still open and " + task_due_text(t, today) + "."
                               : ":alarm_clock: Task *#" + std::to_string(t.number) + "* is " +
                                     task_due_text(t, today) + ".";
    blocks::MessageBuilder m(std::string(overdue ? "Overdue" : "Due soon") + ": task #" +
                             std::to_string(t.number));
    m.add(blocks::section(head + "\n" + cut(t.text)));
    m.add(blocks::actions(json::array({done_button(t)})));
    m.add(blocks::context("`/task list` shows all your tasks; `/away` pauses these nudges."));
    return m.build().front();
}

Message checkin_nudge(storage::Database& db, const Config& config, const std::string& person,
                      const std::string& due_on, bool to_manager, TimePoint now) {
    auto tz = time_zone_of(db, config, person);
    auto due = parse_iso_local_day(due_on);
    int days = due ? days_between(local_day(now, tz), *due) : 0;
    std::string when = days < 0    ? "was due on " + due_on
                       : days == 0 ? "is due today"
                                   : "is due on " + due_on;
    std::string head = to_manager
                           ? ":spiral_note_pad: <@" + person + ">'s career check-in " + when + "."
                           : ":spiral_note_pad: Your career check-in " + when + ".";
    blocks::MessageBuilder m(to_manager ? "A report's check-in is due" : "Your check-in is due");
    m.add(blocks::section(head +
                          " Goals (6 months, a year, longer), reality, and the plan's "
                          "tasks: `/checkin` to prepare, `/checkin done` once it was held."));
    return m.build().front();
}

std::string internship_line(const storage::Internship& i, const std::string& today) {
    std::string state;
    if (i.status == "proposed") {
        state = "proposed, waiting for " +
                std::string(!i.manager_ok_at && !i.host_ok_at ? "both managers"
                            : !i.manager_ok_at                ? "<@" + i.manager_id + ">"
                                                              : "<@" + i.host_manager_id + ">");
    } else if (i.status == "active") {
        state = today > i.ends_on     ? "ended " + i.ends_on
                : today < i.starts_on ? "starts " + i.starts_on
                                      : "running";
    } else {
        state = i.status;
    }
    return std::to_string(i.share_percent) + "% with <@" + i.host_manager_id + ">'s team, " +
           i.starts_on + " → " + i.ends_on + " (" + state + ") — goals: " + cut(i.goals);
}

Message internship_feedback_nudge(const storage::Internship& i) {
    blocks::MessageBuilder m("An internship with your team ends: give feedback");
    m.add(blocks::section(":mortar_board: <@" + i.person_id +
                          ">'s internship for learning with "
                          "your team (" +
                          std::to_string(i.share_percent) + "% of their time, " + i.starts_on +
                          " → " + i.ends_on + ") ends today. Their goals were: " + cut(i.goals) +
                          "\nPlease give them feedback on what they learned and contributed: "
                          "`/feedback <@" +
                          i.person_id + "> …` (their manager <@" + i.manager_id +
                          "> sees it too)."));
    return m.build().front();
}

}  // namespace careerbot::scheduler
