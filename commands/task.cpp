// /task: SMART tasks from career check-ins — add (for yourself or a report), list, done,
// reopen, and a due-date status that puts overdue work first.
#include <algorithm>
#include <array>
#include <regex>

#include "commands/brag_text.hpp"
#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/audit.hpp"
#include "storage/idos.hpp"
#include "storage/people.hpp"
#include "storage/tasks.hpp"

namespace careerbot::commands {
namespace {

/// Tasks are one-liners; the same limit as a brag keeps a pasted document out.
constexpr std::size_t kMaxTaskBytes = 4000;
/// "Due soon" in `/task status`: the next two weeks, the usual gap between 1:1s.
constexpr int kSoonDays = 14;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/task add <text> due <date> [for @person] [ido]",
     "add a task; the date may be `2026-12-01`, `tomorrow`, `friday`, `next friday`, `in 2 weeks` "
     "or `dec 3`; `for @person` assigns it to someone in your reporting line; `ido` links it to "
     "their IDO for this quarter"},
    {"/task list [@person]", "open tasks (soonest due first) and recently done ones"},
    {"/task status [@person]", "open tasks by urgency: overdue, due in the next 14 days, later"},
    {"/task done [@person] N", "mark task #N done"},
    {"/task reopen [@person] N", "open a done (or cancelled) task #N again"},
    {"/task edit [@person] N <new text>", "replace the text of task #N"},
    {"/task due [@person] N <date>", "move the due date of task #N (same date forms as `add`)"},
    {"/task cancel [@person] N [N…]",
     "cancel tasks that will not be done: kept in `/task list` as cancelled, never overdue, no "
     "more reminders"},
    {"/task delete [@person] N [N…]",
     "delete tasks added by mistake (a duplicate, a typo): gone for good"},
    {"/task help", "this help"},
};

/// Every /task subcommand, for "did you mean" answers.
const std::vector<std::string> kSubcommands = {"add",  "list", "status", "done",   "reopen",
                                               "edit", "due",  "cancel", "delete", "help"};

/// What a change to someone's task is called in replies, DMs and the audit log.
enum class Change { Edit, Due, Cancel, Delete, Restore };

}  // namespace

namespace {

/// "in 3 days", "due today", "2 days overdue".
std::string relative_due(int days) {
    if (days < -1) return std::to_string(-days) + " days overdue";
    if (days == -1) return "1 day overdue";
    if (days == 0) return "due today";
    if (days == 1) return "due tomorrow";
    return "in " + std::to_string(days) + " days";
}

std::string join(const std::vector<std::string>& w, std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to && i < w.size(); ++i) s += (i > from ? " " : "") + w[i];
    return s;
}

/// The pieces of `/task add …` once the keywords are taken out.
struct AddArgs {
    std::string text;                     ///< Slack-formatted task text
    std::string due_phrase;               ///< the words after `due`
    std::optional<std::string> assignee;  ///< from `for @person`
    bool link_ido = false;
};

/// Finds the last `due <date>` whose date reads; `for @person` and `ido` may sit before or
/// after it. "fix the due diligence doc due friday" keeps its first "due" as text.
AddArgs split_add(const std::vector<std::string>& w, date::year_month_day today) {
    AddArgs best;
    bool found_due = false;
    for (std::size_t i = w.size(); i-- > 0;) {
        if (text::lower(w[i]) != "due") continue;
        AddArgs a;
        std::vector<std::string> date_words;
        for (std::size_t k = i + 1; k < w.size(); ++k) {
            auto lw = text::lower(w[k]);
            if (lw == "for" && k + 1 < w.size() && text::mention_id(w[k + 1])) {
                a.assignee = text::mention_id(w[++k]);
            } else if (lw == "ido" || lw == "#ido") {
                a.link_ido = true;
            } else {
                date_words.push_back(w[k]);
            }
        }
        std::size_t head_end = i;
        if (head_end >= 1 && text::lower(w[head_end - 1]) == "ido") {
            a.link_ido = true;
            --head_end;
        }
        if (head_end >= 2 && text::lower(w[head_end - 2]) == "for" &&
            text::mention_id(w[head_end - 1]) && !a.assignee) {
            a.assignee = text::mention_id(w[head_end - 1]);
            head_end -= 2;
        }
        a.text = join(w, 0, head_end);
        a.due_phrase = join(date_words, 0, date_words.size());
        if (!found_due) best = a;  // the last `due` is the one to complain about
        found_due = true;
        if (parse_due_date(a.due_phrase, today)) return a;
    }
    if (!found_due) {
        throw UserError(
            "Every task needs a due date: `/task add draft the migration plan due "
            "friday` (or `due 2026-12-01`, `due in 2 weeks`).");
    }
    return best;
}

class TaskCommand {
  public:
    explicit TaskCommand(Services& s)
        : s_(s), people_(s.db), tasks_(s.db), idos_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "help") return help_reply("/task — check-in tasks", kUsage);
        if (cmd == "add") return add(r, rest);
        if (cmd == "list") return list(r.user_id, rest);
        if (cmd == "status") return status(r.user_id, rest);
        if (cmd == "done") return set_done(r.user_id, rest, true);
        if (cmd == "reopen" || cmd == "undo") return set_done(r.user_id, rest, false);
        if (cmd == "edit" || cmd == "rename") return edit(r.user_id, rest);
        if (cmd == "due" || cmd == "move" || cmd == "reschedule") return move(r.user_id, rest);
        if (cmd == "cancel" || cmd == "drop") return close(r.user_id, rest, Change::Cancel);
        if (cmd == "delete" || cmd == "remove") return close(r.user_id, rest, Change::Delete);
        if (auto meant = text::near_miss(cmd, kSubcommands)) {
            throw UserError("Did you mean `/task " + *meant + "`? `/task help` lists them all.");
        }
        throw UserError("I don't know `/task " + blocks::escape(sub) +
                        "`. Try `/task add <text> due <date>`, `/task list` or `/task help`.");
    }

  private:
    Reply add(const Request& r, const std::string& args) {
        check_raw(args);
        const std::string& creator = r.user_id;
        auto today_creator = today(creator);
        auto a = split_add(text::words(args), today_creator);
        std::string assignee = a.assignee.value_or(creator);
        if (assignee != creator) {
            // A typo must not become a record: nobody is created for a name careerbot does not
            // know, and the manager hears why nothing was added.
            if (auto why = unknown_assignee(assignee)) throw UserError(*why);
        }
        if (assignee != creator && !people_.manages(creator, assignee)) {
            // Same words for a stranger, a peer and an unknown id: nothing about them leaks.
            throw UserError(
                ":lock: You can add tasks for yourself and for people in your "
                "reporting line (your reports, their reports, and so on).");
        }
        if (a.due_phrase.empty()) {
            throw UserError(
                "When is it due? Put a date after `due`, e.g. `due friday` or "
                "`due 2026-12-01`.");
        }
        auto due = due_date(a.due_phrase, assignee, creator);
        std::string task_text = clean(a.text);

        std::optional<int64_t> ido_id;
        if (a.link_ido) {
            auto q = quarter_of(today(assignee), s_.config.org.fiscal_year_start_month);
            auto ido = idos_.for_quarter(assignee, q.label());
            if (!ido) {
                throw UserError(
                    std::string(assignee == creator ? "You have" : "<@" + assignee + "> has") +
                    " no IDO for " + q.label() +
                    " to link this task to. Set one "
                    "with `/ido set`, or leave out `ido`.");
            }
            ido_id = ido->id;
        }
        auto t = tasks_.add({assignee, creator, task_text, iso_day(due), ido_id}, r.source,
                            s_.clock.now());

        std::string line = task_line(t, creator);
        std::string whose = assignee == creator ? "" : " for <@" + assignee + ">";
        blocks::MessageBuilder m("Added task #" + std::to_string(t.number));
        m.add(blocks::section(":ballot_box_with_check: Added task *#" + std::to_string(t.number) +
                              "*" + whose + "\n" + line));
        m.add(blocks::context(assignee == creator
                                  ? "`/task status` shows what is due next; `/task done " +
                                        std::to_string(t.number) + "` when it is finished."
                                  : "I let <@" + assignee + "> know. Their number for it is #" +
                                        std::to_string(t.number) + "."));
        Reply reply = m.reply();
        if (assignee != creator) {
            blocks::MessageBuilder dm("New task from <@" + creator + ">");
            dm.add(blocks::section(":ballot_box_with_check: <@" + creator +
                                   "> added a task for you:\n" + task_line(t, assignee)));
            dm.add(blocks::context("`/task done " + std::to_string(t.number) +
                                   "` when it is finished · `/task status` for all"));
            std::move(dm).send_to(assignee, reply);
        }
        return reply;
    }

    /// Reads a due date for `assignee`'s task typed by `viewer`; refuses the unreadable and
    /// the past by name.
    date::year_month_day due_date(const std::string& phrase, const std::string& assignee,
                                  const std::string& viewer) {
        // A due date is a day of the assignee's calendar: "due today" from a manager in Los
        // Angeles means today where the report in Tokyo does the work, already tomorrow there.
        auto today_assignee = today(assignee);
        auto due = parse_due_date(phrase, today_assignee);
        if (!due) {
            if (auto past = parse_date(phrase, today_assignee)) due = past;
        }
        if (!due) {
            throw UserError("I couldn't read `" + blocks::escape(phrase) +
                            "` as a due date. Try `2026-12-01`, `tomorrow`, `friday`, "
                            "`next friday`, `in 2 weeks` or `dec 3`.");
        }
        if (date::sys_days(*due) < date::sys_days(today_assignee)) {
            throw UserError("That due date (" + iso_day(*due) + ") is in the past" +
                            zone_note(assignee, viewer) +
                            ". Pick today or a later day, e.g. `due friday` or `due in 2 weeks`.");
        }
        return *due;
    }

    /// `[@person] N rest…` of edit/due: whose task, its number, and the words after it.
    struct Target {
        std::string person;
        int number = 0;
        std::string rest;
    };

    Target target_number(const std::string& viewer, const std::string& args,
                         const std::string& verb, const std::string& example) {
        Target t{viewer, 0, ""};
        auto [first, after] = text::first_word(args);
        if (auto id = text::mention_id(first)) {
            t.person = *id;
            std::tie(first, after) = text::first_word(after);
        }
        auto n = text::parse_number(first);
        if (!n || *n <= 0) {
            throw UserError("Which task? Give its number first, e.g. `/task " + verb + " 3 " +
                            example + "` (numbers are in `/task list`).");
        }
        t.number = *n;
        t.rest = text::trim(after);
        return t;
    }

    /// Only the assignee and their manager chain may change a task; the refusal is the same
    /// whether or not the person or the task exists.
    void require_change(const std::string& viewer, const std::string& assignee) {
        if (!vis_.can_read(viewer, assignee, RecordKind::Task)) {
            throw UserError(
                ":lock: You can change tasks only for yourself and for people in your reporting "
                "line (your reports, their reports, and so on).");
        }
    }

    std::string no_such_task(const std::string& viewer, const std::string& target, int n) {
        std::string who = target == viewer ? "You have" : "<@" + target + "> has";
        return who + " no task #" + std::to_string(n) + ". `/task list" +
               (target == viewer ? "" : " <@" + target + ">") +
               "` shows the tasks and their numbers.";
    }

    Reply edit(const std::string& viewer, const std::string& args) {
        check_raw(args);
        auto t = target_number(viewer, args, "edit", "draft the rollout plan");
        require_change(viewer, t.person);
        auto before = tasks_.find(t.person, t.number);
        if (!before) {
            if (tasks_.find_cancelled(t.person, t.number)) {
                throw UserError("Task #" + std::to_string(t.number) +
                                " is cancelled. `/task reopen " + std::to_string(t.number) +
                                "` brings it back first.");
            }
            throw UserError(no_such_task(viewer, t.person, t.number));
        }
        if (t.rest.empty()) {
            throw UserError("What should task #" + std::to_string(t.number) +
                            " say? e.g. `/task edit " + std::to_string(t.number) + " " +
                            blocks::escape(before->text) + "`");
        }
        std::string new_text = clean(t.rest);
        if (new_text == before->text) {
            throw UserError("Task #" + std::to_string(t.number) + " already says that.");
        }
        tasks_.set_text(t.person, t.number, new_text, s_.clock.now());
        auto after = tasks_.find(t.person, t.number);
        return changed_reply(viewer, *after, Change::Edit, "was: " + blocks::escape(before->text));
    }

    Reply move(const std::string& viewer, const std::string& args) {
        check_raw(args);
        auto t = target_number(viewer, args, "due", "next friday");
        require_change(viewer, t.person);
        auto before = tasks_.find(t.person, t.number);
        if (!before) throw UserError(no_such_task(viewer, t.person, t.number));
        if (before->done()) {
            throw UserError("Task #" + std::to_string(t.number) +
                            " is done, so it is due no more. `/task reopen " +
                            std::to_string(t.number) + "` first if it is not finished after all.");
        }
        std::string phrase = t.rest;
        if (auto [w, after] = text::first_word(phrase); text::lower(w) == "to") phrase = after;
        if (text::trim(phrase).empty()) {
            throw UserError("When is task #" + std::to_string(t.number) +
                            " due now? e.g. `/task due " + std::to_string(t.number) +
                            " next friday` or `/task due " + std::to_string(t.number) +
                            " 2027-01-15`.");
        }
        auto due = iso_day(due_date(phrase, t.person, viewer));
        if (due == before->due_on) {
            throw UserError("Task #" + std::to_string(t.number) + " is already due " + due + ".");
        }
        tasks_.set_due(t.person, t.number, due, s_.clock.now());
        auto after = tasks_.find(t.person, t.number);
        return changed_reply(viewer, *after, Change::Due, "was due " + before->due_on);
    }

    /// `/task cancel|delete [@person] N [N…]`: every number is checked before any is changed,
    /// so a typo in the list changes nothing.
    Reply close(const std::string& viewer, const std::string& args, Change how) {
        std::string verb = how == Change::Cancel ? "cancel" : "delete";
        std::string target = viewer;
        std::vector<int> numbers;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) {
                if (!numbers.empty() || target != viewer) {
                    throw UserError("One person at a time: `/task " + verb + " @alex 3 4`.");
                }
                target = *id;
            } else if (auto n = text::parse_number(w.starts_with("#") ? w.substr(1) : w);
                       n && *n > 0) {
                if (std::find(numbers.begin(), numbers.end(), *n) == numbers.end())
                    numbers.push_back(*n);
            } else {
                throw UserError("`/task " + verb + "` takes task numbers, e.g. `/task " + verb +
                                " 3` or `/task " + verb +
                                " 4 5 6` (numbers are in `/task list`); I couldn't read `" +
                                blocks::escape(w) + "`.");
            }
        }
        if (numbers.empty()) {
            throw UserError("Which task? Give its number, e.g. `/task " + verb +
                            " 3` (numbers are in `/task list`).");
        }
        if (numbers.size() > 50) throw UserError("At most 50 tasks at a time, please.");
        require_change(viewer, target);
        std::vector<storage::Task> found;
        for (int n : numbers) {
            auto t = tasks_.find(target, n);
            if (!t && how == Change::Delete) t = tasks_.find_cancelled(target, n);
            if (!t) {
                if (how == Change::Cancel && tasks_.find_cancelled(target, n))
                    throw UserError("Task #" + std::to_string(n) + " is already cancelled.");
                throw UserError(no_such_task(viewer, target, n) +
                                (numbers.size() > 1 ? " Nothing was changed." : ""));
            }
            if (how == Change::Cancel && t->done()) {
                throw UserError(
                    "Task #" + std::to_string(n) + " is done, so there is nothing to cancel" +
                    (numbers.size() > 1 ? " (nothing was changed)" : "") + ". `/task delete " +
                    std::to_string(n) + "` removes it if it was a mistake.");
            }
            found.push_back(std::move(*t));
        }
        auto now = s_.clock.now();
        for (const auto& t : found) {
            bool ok = how == Change::Cancel ? tasks_.cancel(target, t.number, viewer, now)
                                            : tasks_.remove(target, t.number, viewer, now);
            if (!ok) throw UserError(no_such_task(viewer, target, t.number));
        }
        return changed_many(viewer, target, found, how);
    }

    static std::string numbers_text(const std::vector<storage::Task>& ts) {
        std::string s;
        for (std::size_t i = 0; i < ts.size(); ++i) {
            s += (i == 0               ? ""
                  : i + 1 == ts.size() ? " and "
                                       : ", ") +
                 std::string("#") + std::to_string(ts[i].number);
        }
        return s;
    }

    static std::string change_name(Change how) {
        switch (how) {
            case Change::Edit:
                return "edit";
            case Change::Due:
                return "due";
            case Change::Cancel:
                return "cancel";
            case Change::Delete:
                return "delete";
            case Change::Restore:
                return "restore";
        }
        return "edit";
    }

    /// The people told about a change to `t` by `viewer`: the assignee and whoever added it
    /// for them, except the one who made the change.
    static std::vector<std::string> other_side(const std::string& viewer, const storage::Task& t) {
        std::vector<std::string> out;
        for (const auto& p : {t.assignee_id, t.creator_id}) {
            if (p != viewer && std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
        }
        return out;
    }

    /// A change by someone other than the assignee is audited, like reading their records.
    void audit(const std::string& viewer, const std::string& assignee, Change how,
               const std::string& detail) {
        if (viewer == assignee) return;
        storage::AuditRepo(s_.db).record(
            {0, 0, viewer, "task_" + change_name(how), assignee, "tasks", detail}, s_.clock.now());
    }

    Reply changed_reply(const std::string& viewer, const storage::Task& t, Change how,
                        const std::string& was) {
        std::string n = "#" + std::to_string(t.number);
        std::string head = how == Change::Edit  ? ":pencil2: Changed task *" + n + "*"
                           : how == Change::Due ? ":calendar: Moved task *" + n + "*"
                                                : ":arrows_counterclockwise: Brought back "
                                                  "cancelled task *" +
                                                      n + "*";
        std::string whose = t.assignee_id == viewer ? "" : " of <@" + t.assignee_id + ">";
        audit(viewer, t.assignee_id, how, n + (how == Change::Due ? " due " + t.due_on : ""));
        blocks::MessageBuilder m((how == Change::Edit  ? "Changed task "
                                  : how == Change::Due ? "Moved task "
                                                       : "Brought back task ") +
                                 n);
        m.add(blocks::section(head + whose + "\n" + task_line(t, viewer)));
        if (!was.empty()) m.add(blocks::context("_(" + was + ")_"));
        Reply reply = m.reply();
        for (const auto& to : other_side(viewer, t)) {
            Message dm;
            std::string what = how == Change::Edit  ? "changed the text of"
                               : how == Change::Due ? "moved the due date of"
                                                    : "brought back the cancelled";
            std::string yours = to == t.assignee_id       ? "your task"
                                : viewer == t.assignee_id ? "their task"
                                                          : "<@" + t.assignee_id + ">'s task";
            dm.text = "<@" + viewer + "> " + what + " " + yours + " " + n;
            dm.blocks.push_back(blocks::section(":pencil2: <@" + viewer + "> " + what + " " +
                                                yours + " *" + n + "*:\n" + task_line(t, to)));
            if (!was.empty()) dm.blocks.push_back(blocks::context("_(" + was + ")_"));
            reply.dms.push_back({to, std::move(dm)});
        }
        return reply;
    }

    Reply changed_many(const std::string& viewer, const std::string& target,
                       const std::vector<storage::Task>& ts, Change how) {
        bool cancel = how == Change::Cancel;
        std::string list = numbers_text(ts);
        std::string word = ts.size() == 1 ? "task" : "tasks";
        audit(viewer, target, how, list);
        std::string whose = target == viewer ? "" : " of <@" + target + ">";
        std::string title = (cancel ? "Cancelled " : "Deleted ") + word + " " + list;
        blocks::MessageBuilder m(title);
        std::string body = (cancel ? ":no_entry_sign: Cancelled " : ":wastebasket: Deleted ") +
                           word + " *" + list + "*" + whose + "\n";
        for (const auto& t : ts) body += "~" + blocks::escape(t.text) + "~\n";
        m.add_text(body);
        m.add(blocks::context(
            cancel ? "Kept in `/task list` as cancelled; never overdue, no more reminders. "
                     "Cancelled by mistake? `/task reopen " +
                         (target == viewer ? "" : "<@" + target + "> ") +
                         std::to_string(ts.front().number) + "`"
                   : "Gone for good; the numbers are not reused."));
        Reply reply = m.reply();
        // One DM per person, however many tasks: assignees and whoever added them.
        std::vector<std::string> told;
        for (const auto& t : ts) {
            for (const auto& to : other_side(viewer, t)) {
                if (std::find(told.begin(), told.end(), to) != told.end()) continue;
                told.push_back(to);
                std::vector<storage::Task> theirs;
                for (const auto& u : ts) {
                    auto side = other_side(viewer, u);
                    if (std::find(side.begin(), side.end(), to) != side.end()) theirs.push_back(u);
                }
                std::string yours = to == target       ? "your"
                                    : viewer == target ? "their"
                                                       : "<@" + target + ">'s";
                std::string w = theirs.size() == 1 ? "task" : "tasks";
                Message dm;
                dm.text = "<@" + viewer + "> " + (cancel ? "cancelled " : "deleted ") + yours +
                          " " + w + " " + numbers_text(theirs);
                std::string b = (cancel ? ":no_entry_sign: <@" : ":wastebasket: <@") + viewer +
                                "> " + (cancel ? "cancelled " : "deleted ") + yours + " " + w +
                                " *" + numbers_text(theirs) + "*:\n";
                for (const auto& u : theirs) b += "~" + blocks::escape(u.text) + "~\n";
                dm.blocks.push_back(blocks::section(b));
                reply.dms.push_back({to, std::move(dm)});
            }
        }
        return reply;
    }

    Reply list(const std::string& viewer, const std::string& args) {
        std::string target = target_of(viewer, args, "list");
        vis_.require_read(viewer, target, RecordKind::Task);
        auto open = tasks_.open_for(target);
        auto done = tasks_.done_for(target, 10);
        std::string whose = target == viewer ? "Your tasks" : "Tasks of <@" + target + ">";
        std::string title = whose + " — " + std::to_string(open.size()) + " open";
        blocks::MessageBuilder m(title);
        m.add(blocks::section("*" + title + "*"));
        if (open.empty()) {
            m.add(blocks::section(target == viewer
                                      ? "Nothing open. Add one: `/task add draft the design doc "
                                        "due friday`."
                                      : "Nothing open."));
        } else {
            std::string body;
            for (const auto& t : open) body += task_line(t, viewer) + "\n";
            m.add_text(body);
        }
        if (!done.empty()) {
            std::string body = "*Recently done*\n";
            for (const auto& t : done) body += task_line(t, viewer) + "\n";
            m.add_text(body);
        }
        if (auto cancelled = tasks_.cancelled_for(target, 10); !cancelled.empty()) {
            std::string body = "*Cancelled*\n";
            for (const auto& t : cancelled) body += task_line(t, viewer) + "\n";
            m.add_text(body);
        }
        return m.reply();
    }

    Reply status(const std::string& viewer, const std::string& args) {
        std::string target = target_of(viewer, args, "status");
        vis_.require_read(viewer, target, RecordKind::Task);
        // Overdue or not is judged on the assignee's calendar, whoever looks.
        auto today_assignee = today(target);
        std::vector<storage::Task> overdue, soon, later;
        for (auto& t : tasks_.open_for(target)) {
            int days = days_between(today_assignee, stored_day(t.due_on));
            (days < 0 ? overdue : days <= kSoonDays ? soon : later).push_back(std::move(t));
        }
        std::string whose = target == viewer ? "Your tasks" : "Tasks of <@" + target + ">";
        std::string title = whose + ": " + std::to_string(overdue.size()) + " overdue, " +
                            std::to_string(soon.size()) + " due in the next " +
                            std::to_string(kSoonDays) + " days, " + std::to_string(later.size()) +
                            " later";
        blocks::MessageBuilder m(title);
        m.add(blocks::section("*" + title + "*"));
        auto group = [&](const std::string& heading, const std::vector<storage::Task>& items) {
            if (items.empty()) return;
            std::string body = heading + "\n";
            for (const auto& t : items) body += task_line(t, viewer) + "\n";
            m.add_text(body);
        };
        group(":rotating_light: *Overdue*", overdue);
        group(":hourglass_flowing_sand: *Due in the next " + std::to_string(kSoonDays) + " days*",
              soon);
        group(":calendar: *Later*", later);
        if (overdue.empty() && soon.empty() && later.empty()) {
            m.add(blocks::section("No open tasks. :tada:"));
        }
        return m.reply();
    }

    Reply set_done(const std::string& viewer, const std::string& args, bool done) {
        std::string verb = done ? "done" : "reopen";
        std::string target = viewer;
        int number = 0;  // task numbers start at 1; 0 = none given (or extra words)
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) {
                target = *id;
            } else if (auto n = text::parse_number(w); n && number == 0) {
                number = *n;
            } else {
                number = 0;
                break;
            }
        }
        if (number == 0) {
            throw UserError("Which task? Give its number, e.g. `/task " + verb +
                            " 3` (numbers are in `/task list`).");
        }
        const int num = number;
        // Only the assignee and their managers may change a task; the refusal is the same
        // as for reading, so it says nothing about whether the task exists.
        vis_.require_read(viewer, target, RecordKind::Task);
        std::string who = target == viewer ? "You have" : "<@" + target + "> has";
        if (!done && tasks_.uncancel(target, num, s_.clock.now())) {
            return changed_reply(viewer, *tasks_.find(target, num), Change::Restore, "");
        }
        bool changed = done ? tasks_.mark_done(target, num, viewer, s_.clock.now())
                            : tasks_.reopen(target, num, s_.clock.now());
        auto t = tasks_.find(target, num);
        if (!t && done && tasks_.find_cancelled(target, num)) {
            throw UserError("Task #" + std::to_string(num) + " is cancelled. `/task reopen " +
                            std::to_string(num) + "` brings it back first.");
        }
        if (!t) {
            throw UserError(who + " no task #" + std::to_string(num) + ". `/task list" +
                            (target == viewer ? "" : " <@" + target + ">") +
                            "` shows the tasks and their numbers.");
        }
        if (!changed) {
            throw UserError(done ? "Task #" + std::to_string(num) + " is already done."
                                 : "Task #" + std::to_string(num) +
                                       " is not done, so there "
                                       "is nothing to reopen.");
        }
        std::string head = done ? ":white_check_mark: Marked task *#"
                                : ":arrows_counterclockwise: "
                                  "Reopened task *#";
        blocks::MessageBuilder m((done ? "Done: task #" : "Reopened task #") + std::to_string(num));
        m.add(blocks::section(head + std::to_string(num) + "*" + (done ? " done" : "") + "\n" +
                              task_line(*t, viewer)));
        if (done)
            m.add(blocks::context("Changed your mind? `/task reopen " +
                                  (target == viewer ? "" : "<@" + target + "> ") +
                                  std::to_string(num) + "`"));
        return m.reply();
    }

    /// The person a list/status is about: a mention, or the viewer.
    std::string target_of(const std::string& viewer, const std::string& args,
                          const std::string& verb) {
        std::string target = viewer;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id) {
                throw UserError("`/task " + verb + "` takes at most a person, e.g. `/task " + verb +
                                " @alex`.");
            }
            target = *id;
        }
        return target;
    }

    /// Why a task cannot be assigned to `id` because careerbot does not know them as a person
    /// (not in `people`; in Slack, an app or a bot); nothing when they are known.
    std::optional<std::string> unknown_assignee(const std::string& id) {
        if (people_.find(id)) return std::nullopt;
        std::string who = "<@" + id + ">";
        if (auto u = s_.lookup().user(id); u && u->is_bot) {
            return ":warning: " + who + " is an app or a bot, not a person, so I did not add it.";
        }
        std::string place = "`/team add " + who + "`";
        return ":warning: I don't know " + who +
               ": they are not in careerbot's org chart, so I did not add the task. Check the "
               "name, or place them with " +
               place + " first.";
    }

    /// ", Tokyo time, @kiyoshi's day" when `viewer`'s clock shows another time than
    /// `assignee`'s (so their "today" may be another day); empty otherwise.
    std::string zone_note(const std::string& assignee, const std::string& viewer) {
        if (assignee == viewer) return "";
        auto tz = time_zone_of(s_, assignee);
        if (same_clock(tz, time_zone_of(s_, viewer), s_.clock.now())) return "";
        return ", " + blocks::escape(zone_place(tz)) + " time, <@" + assignee + ">'s day";
    }

    /// One task as mrkdwn: number, due date and how far off, text, who asked, IDO, done.
    /// How far off is counted on the assignee's calendar (their day is the one the task is
    /// due on), and says so when `viewer` lives in another zone; done dates are the viewer's.
    std::string task_line(const storage::Task& t, const std::string& viewer) {
        std::string line;
        if (t.cancelled()) {
            auto on = local_date(from_unix(*t.cancelled_at), time_zone_of(s_, viewer));
            line = ":no_entry_sign: *#" + std::to_string(t.number) + "* · cancelled " +
                   iso_day(on) +
                   (t.cancelled_by == t.assignee_id ? "" : " by <@" + t.cancelled_by + ">") +
                   " (was due " + t.due_on + ") — ~" + blocks::escape(t.text) + "~";
        } else if (t.done()) {
            auto done_on = local_date(from_unix(*t.done_at), time_zone_of(s_, viewer));
            line = ":white_check_mark: *#" + std::to_string(t.number) + "* · done " +
                   iso_day(done_on) + " — " + blocks::escape(t.text);
        } else {
            int days = days_between(today(t.assignee_id), stored_day(t.due_on));
            line = "*#" + std::to_string(t.number) + "* · due " + t.due_on + " (" +
                   relative_due(days) + zone_note(t.assignee_id, viewer) + ")" +
                   (days < 0 ? " :warning:" : "") + " — " + blocks::escape(t.text);
        }
        std::vector<std::string> notes;
        if (t.creator_id != t.assignee_id) notes.push_back("from <@" + t.creator_id + ">");
        if (t.ido_id) notes.emplace_back("IDO");
        if (!notes.empty()) {
            std::string joined;
            for (const auto& n : notes) joined += (joined.empty() ? "" : " · ") + n;
            line += "  _(" + joined + ")_";
        }
        return line;
    }

    void check_raw(const std::string& args) {
        if (!text::valid_utf8(args)) {
            throw UserError(
                "That task has bytes that are not valid UTF-8 text, so I did not "
                "save it. Please retype it or paste it as plain text.");
        }
        // Checked before any parsing so a huge paste is refused cheaply and clearly.
        if (args.size() > 4 * kMaxTaskBytes) {
            throw UserError(text::too_long("task", args.size(), kMaxTaskBytes));
        }
    }

    std::string clean(const std::string& slack_text) {
        if (text::trim(slack_text).empty()) {
            throw UserError(
                "What is the task? e.g. `/task add draft the migration plan due "
                "friday`.");
        }
        auto names = [this](const std::string& id) { return people_.display_name(id); };
        return text::clean_user_text(to_plain(slack_text, names), kMaxTaskBytes, "task");
    }

    date::year_month_day today(const std::string& user) { return today_for(s_, user); }

    Services& s_;
    storage::PeopleRepo people_;
    storage::TaskRepo tasks_;
    storage::IdoRepo idos_;
    Visibility vis_;
};

}  // namespace

void register_task(App& app) {
    CommandInfo info{
        "/task", "SMART check-in tasks with due dates",
        "add <text> due <date> [for @person] | list | status | done N | edit N | due N "
        "<date> | cancel N | delete N | help"};
    info.plans_reminders = true;  // a due date is a reminder
    app.command(std::move(info),
                [](Services& s, const Request& r) { return TaskCommand(s).run(r); });
}

}  // namespace careerbot::commands
