// /away: absences that pause a person's nudges and their 1:1 reminders.
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
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
    {"/away <from> <to>",
     "pause your nudges and 1:1 reminders between two dates (inclusive), e.g. "
     "`/away 2026-12-21 2027-01-02`; `today` and `tomorrow` work too"},
    {"/away <date>", "away for one day"},
    {"/away list", "your current and upcoming absences"},
    {"/away cancel", "cancel your current and upcoming absences"},
    {"/away help", "this help"},
};

class AwayCommand {
  public:
    explicit AwayCommand(Services& s) : s_(s), away_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd == "help") return help_reply("/away — pause reminders while you are away", kUsage);
        if (cmd.empty() || cmd == "list") return list(r.user_id);
        if (cmd == "cancel" || cmd == "back") return cancel(r.user_id);
        return add(r.user_id, r.text);
    }

  private:
    date::local_days today(const std::string& person) {
        return scheduler::local_day(s_.clock.now(), scheduler::tz_of(s_.db, s_.config, person));
    }

    std::optional<date::local_days> parse_day(const std::string& word, date::local_days t) {
        auto w = text::lower(word);
        if (w == "today") return t;
        if (w == "tomorrow") return t + date::days{1};
        return scheduler::parse_iso_day(w);
    }

    Reply add(const std::string& person, const std::string& args) {
        auto t = today(person);
        std::vector<date::local_days> days;
        for (const auto& w : text::words(args)) {
            auto lw = text::lower(w);
            if (lw == "to" || lw == "until" || lw == "from" || lw == "-") continue;
            auto d = parse_day(w, t);
            if (!d) {
                throw UserError("I couldn't read `" + blocks::escape(w) +
                                "` as a date. Use YYYY-MM-DD, e.g. `/away 2026-12-21 "
                                "2027-01-02`, or `today` / `tomorrow`.");
            }
            days.push_back(*d);
        }
        if (days.empty() || days.size() > 2) {
            throw UserError("When? `/away <from> <to>`, e.g. `/away 2026-12-21 2027-01-02`.");
        }
        auto from = days.front();
        auto to = days.back();
        if (to < from) throw UserError("The end date is before the start date.");
        if (to < t) throw UserError("That absence is already over.");
        if ((to - from).count() >= kMaxAwayDays) {
            throw UserError("That is more than a year — check the dates.");
        }
        storage::PeopleRepo(s_.db).ensure(person, person, s_.clock.now());
        auto a =
            away_.add(person, scheduler::iso_day(from), scheduler::iso_day(to), s_.clock.now());
        return Reply::text(":palm_tree: Away from *" + a.from_on + "* to *" + a.to_on +
                           "*. I won't send you nudges then, and your 1:1 reminders (as manager "
                           "or report) are skipped; the first 1:1 afterwards says what was "
                           "missed. `/away cancel` if plans change.");
    }

    Reply list(const std::string& person) {
        auto items = away_.upcoming(person, scheduler::iso_day(today(person)));
        if (items.empty()) {
            return Reply::text("You have no absences planned. `/away <from> <to>` adds one.");
        }
        std::string body = "*Your absences*\n";
        for (const auto& a : items) body += "• " + a.from_on + " → " + a.to_on + "\n";
        blocks::MessageBuilder m("Your absences");
        m.add_text(body);
        m.add(blocks::context("`/away cancel` cancels them."));
        return m.reply();
    }

    Reply cancel(const std::string& person) {
        int n = away_.cancel_upcoming(person, scheduler::iso_day(today(person)), s_.clock.now());
        if (n == 0) return Reply::text("You have no current or upcoming absence to cancel.");
        return Reply::text(":wave: Welcome back — cancelled " + std::to_string(n) +
                           (n == 1 ? " absence" : " absences") + "; reminders resume.");
    }

    Services& s_;
    storage::AwayRepo away_;
};

}  // namespace

void register_away(App& app) {
    Services& s = app.services();
    app.command({"/away", "pause your nudges and 1:1 reminders while you are away",
                 "<from> <to> | list | cancel | help"},
                [&s](const Request& r) { return AwayCommand(s).run(r); });
}

}  // namespace careerbot::commands
