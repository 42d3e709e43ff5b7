// /internship: internships for learning (GitLab handbook) — a person spends a share of their time
// with a host team for 6 weeks to 3 months, with goals. It takes effect only when both the
// person's manager and the host manager approve (buttons on their DMs, or the text commands);
// a refusal by either ends it. At the end the host manager is reminded to give feedback.
#include <charconv>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "src/scheduler/messages.hpp"
#include "src/scheduler/planning.hpp"
#include "storage/audit.hpp"
#include "storage/internships.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {

using nlohmann::json;

constexpr const char* kApproveAction = "internship_approve";
constexpr const char* kDeclineAction = "internship_decline";
constexpr int kMinShare = 5;
constexpr int kMaxShare = 50;
constexpr int kMinDays = 42;  // six weeks
constexpr int kMaxMonths = 3;
constexpr std::size_t kMaxGoalsBytes = 2000;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/internship propose @host-manager 20% 8w <goals>",
     "propose spending a share of your time (5–50%) with @host-manager's team for 6 weeks to 3 "
     "months (`8w`, `2m`, `10 weeks`, `until 2027-02-26`), with what you want to learn; your "
     "manager and the host manager each get Approve / Decline buttons, and it starts once both "
     "approve"},
    {"/internship status [@person]",
     "your internships (or a report's, or an intern's you host), proposals waiting for your "
     "answer, and the interns your team hosts"},
    {"/internship approve N", "approve proposal N (its person's manager or the host manager)"},
    {"/internship decline N", "decline proposal N; that ends it and the person is told"},
    {"/internship cancel [@person]",
     "end your internship (or, as their manager or host manager, someone's) before its end"},
    {"/internship help", "this help"},
};

using text::mention;

/// A whole non-negative number, or nothing.
std::optional<int> number(std::string_view s) {
    int n = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return n;
}

/// `d` plus `n` months, on the month's last day when the day does not exist there (Nov 30 +
/// 3 months is Feb 28).
date::year_month_day plus_months(date::year_month_day d, int n) {
    auto r = d + date::months{n};
    if (!r.ok()) r = date::year_month_day_last{r.year(), date::month_day_last{r.month()}};
    return r;
}

/// How long an internship lasts, as typed.
struct Length {
    std::optional<int> weeks;
    std::optional<int> months;
    std::optional<date::year_month_day> until;

    date::year_month_day end_from(date::year_month_day start) const {
        if (weeks) return plus_days(start, *weeks * 7);
        if (months) return plus_months(start, *months);
        return *until;
    }
};

class InternshipCommand {
  public:
    explicit InternshipCommand(Services& s) : s_(s), people_(s.db), repo_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "status") return status(r.user_id, rest);
        if (cmd == "help") return help_reply("/internship — internships for learning", kUsage);
        if (cmd == "propose") return propose(r.user_id, rest);
        if (cmd == "approve") return answer(r.user_id, rest, true);
        if (cmd == "decline") return answer(r.user_id, rest, false);
        if (cmd == "cancel") return cancel(r.user_id, rest);
        throw UserError(
            "`/internship` takes `propose`, `status`, `approve N`, `decline N` or `cancel`; "
            "`/internship help` shows how.");
    }

    Reply button(const Interaction& in, bool approve) {
        return answer(in.user_id, in.value, approve);
    }

  private:
    std::string today(const std::string& id) { return iso_day(today_for(s_, id)); }

    /// Reads `20%`, the length and the goals after the host's mention.
    Reply propose(const std::string& user, const std::string& args) {
        const std::string usage =
            "`/internship propose @host-manager 20% 8w what you want to learn`";
        auto words = text::words(args);
        if (words.empty() || !text::mention_id(words[0])) {
            throw UserError("Mention the manager of the team you want to join, e.g. " + usage +
                            ".");
        }
        const std::string host = *text::mention_id(words[0]);
        std::optional<int> share;
        Length length;
        bool have_length = false;
        auto start = today_for(s_, user);
        std::size_t i = 1;
        for (; i < words.size(); ++i) {
            std::string w = text::lower(words[i]);
            if (!share && w.size() > 1 && w.back() == '%') {
                share = number(std::string_view(w).substr(0, w.size() - 1));
                if (!share) throw UserError("The share is a whole percentage, e.g. `20%`.");
                continue;
            }
            if (have_length) break;
            if (w.size() > 1 && (w.back() == 'w' || w.back() == 'm') &&
                number(std::string_view(w).substr(0, w.size() - 1))) {
                int n = *number(std::string_view(w).substr(0, w.size() - 1));
                (w.back() == 'w' ? length.weeks : length.months) = n;
                have_length = true;
                continue;
            }
            if (number(w) && i + 1 < words.size()) {
                std::string unit = text::lower(words[i + 1]);
                if (unit == "week" || unit == "weeks" || unit == "month" || unit == "months") {
                    (unit.starts_with("week") ? length.weeks : length.months) = *number(w);
                    have_length = true;
                    ++i;
                    continue;
                }
            }
            if (w == "until" || w == "till") {
                // The longest date phrase /task would take (`2027-02-26`, `feb 26`, `next
                // friday`, `in 8 weeks`), up to four words.
                std::size_t best = 0;
                for (std::size_t n = 1; n <= 4 && i + n < words.size(); ++n) {
                    std::string phrase;
                    for (std::size_t k = 1; k <= n; ++k)
                        phrase += (k > 1 ? " " : "") + words[i + k];
                    if (auto d = parse_due_date(phrase, start)) {
                        length.until = *d;
                        best = n;
                    }
                }
                if (best == 0) {
                    throw UserError(
                        "I couldn't read the end date after `until`; try `until 2027-02-26`, "
                        "`until feb 26` or `until next friday`.");
                }
                i += best;
                have_length = true;
                continue;
            }
            break;
        }
        std::string goals;
        for (; i < words.size(); ++i) goals += (goals.empty() ? "" : " ") + words[i];
        if (!share) throw UserError("What share of your time? e.g. " + usage + ".");
        if (*share < kMinShare || *share > kMaxShare) {
            throw UserError("The share of your time is between " + std::to_string(kMinShare) +
                            "% and " + std::to_string(kMaxShare) + "%; " + std::to_string(*share) +
                            "% is outside it.");
        }
        if (!have_length) {
            throw UserError(
                "For how long? Between 6 weeks and 3 months: `6w`, `8w`, `2m`, "
                "`3 months` or `until 2027-02-26`, e.g. " +
                usage + ".");
        }
        auto end = length.end_from(start);
        auto latest = plus_months(start, kMaxMonths);
        if (days_between(start, end) < kMinDays || days_between(latest, end) > 0) {
            throw UserError("An internship lasts between 6 weeks and 3 months (from today, " +
                            iso_day(start) + ", it ends between " +
                            iso_day(plus_days(start, kMinDays)) + " and " + iso_day(latest) +
                            "); yours would end " + iso_day(end) + ".");
        }
        goals = text::trim(goals);
        if (goals.empty()) {
            throw UserError(
                "What do you want to learn? Add your goals at the end, e.g. " + usage +
                " — they go to both managers and come back to the host manager at the end.");
        }
        if (goals.size() > kMaxGoalsBytes) {
            throw UserError("Keep the goals under " + std::to_string(kMaxGoalsBytes) + " bytes.");
        }

        auto me = people_.find(user);
        if (!me || !me->manager_id) {
            throw UserError(
                "You have no manager in careerbot's org chart, and an internship needs their "
                "approval. Ask your manager to `/team add` you.");
        }
        const std::string manager = *me->manager_id;
        if (host == user) throw UserError("The host is another team's manager, not you.");
        if (host == manager) {
            throw UserError(mention(host) +
                            " is your own manager: an internship is time with another team. "
                            "Mention the manager of the team you want to learn with.");
        }
        if (!learn_person(s_, host)) throw UserError("That's an app or a bot, not a person.");
        if (people_.manages(user, host)) {
            throw UserError(mention(host) + " reports to you; an internship is with another team.");
        }
        if (people_.direct_reports(host).empty()) {
            throw UserError(mention(host) +
                            " has no team in careerbot's org chart (nobody reports to them), so "
                            "there is no team to host you. Mention the manager of the team.");
        }
        if (auto live = repo_.live_for(user);
            live && live->status == "active" && live->ends_on < iso_day(start)) {
            // The last one is over: it no longer stands in the way of the next.
            repo_.close(live->id, "finished", user, s_.clock.now());
        }
        if (auto live = repo_.live_for(user)) {
            throw UserError("You already have an internship " +
                            std::string(live->status == "proposed" ? "proposal" : "") + " (" +
                            scheduler::internship_line(*live, iso_day(start)) +
                            "). `/internship cancel` it first.");
        }
        check_host_room(host, std::nullopt);

        storage::Internship p;
        p.person_id = user;
        p.manager_id = manager;
        p.host_manager_id = host;
        p.share_percent = *share;
        p.starts_on = iso_day(start);
        p.ends_on = iso_day(end);
        p.goals = goals;
        auto now = s_.clock.now();
        auto made = repo_.create(p, now);
        storage::AuditRepo(s_.db).record({0, 0, user, "internship_proposed", user, "internship",
                                          std::to_string(made.id) + ": " + std::to_string(*share) +
                                              "% with " + host + " until " + made.ends_on},
                                         now);
        Reply reply = Reply::text(
            ":mortar_board: Proposed *internship " + std::to_string(made.id) +
            "*: " + scheduler::internship_line(made, made.starts_on) + ".\nI asked " +
            mention(manager) + " and " + mention(host) +
            " to approve it; it starts once both have. `/internship status` tracks it.");
        reply.dms.push_back({manager, ask(made, false)});
        reply.dms.push_back({host, ask(made, true)});
        return reply;
    }

    /// The DM asking the manager (`as_host` false) or the host manager to approve.
    Message ask(const storage::Internship& i, bool as_host) {
        const std::string n = std::to_string(i.id);
        blocks::MessageBuilder b("Internship proposal " + n + " from " +
                                 blocks::escape(people_.display_name(i.person_id)));
        std::string what =
            as_host
                ? mention(i.person_id) + " (who reports to " + mention(i.manager_id) +
                      ") proposes to spend *" + std::to_string(i.share_percent) +
                      "%* of their time with your team"
                : mention(i.person_id) + " proposes to spend *" + std::to_string(i.share_percent) +
                      "%* of their time with " + mention(i.host_manager_id) + "'s team";
        b.add(blocks::section(":mortar_board: *Internship proposal " + n + "* — " + what +
                              ", from " + i.starts_on + " to " + i.ends_on + ".\n*Goals:* " +
                              blocks::escape(i.goals)));
        b.add(
            blocks::actions(json::array({blocks::button("Approve", kApproveAction, n, "primary"),
                                         blocks::button("Decline", kDeclineAction, n, "danger")})));
        b.add(blocks::context("It starts only when both " + mention(i.manager_id) + " and " +
                              mention(i.host_manager_id) +
                              " approve; a decline by either ends it. Or type `/internship "
                              "approve " +
                              n + "` / `/internship decline " + n + "`."));
        return std::move(b).build().front();
    }

    /// Refuses when `host`'s team already has as many running interns as the config allows.
    void check_host_room(const std::string& host, std::optional<int64_t> except) {
        int max = s_.config.internship.max_interns_per_host;
        if (max <= 0) return;
        auto running = repo_.hosted_by(host, today(host));
        std::erase_if(running, [&](const storage::Internship& i) { return i.id == except; });
        if (static_cast<int>(running.size()) < max) return;
        throw UserError(mention(host) + "'s team already hosts " +
                        (max == 1 ? std::string("an intern") : std::to_string(max) + " interns") +
                        " (until " + running.front().ends_on +
                        "); one at a time per team, as the handbook recommends. Try again after "
                        "that, or with another team.");
    }

    std::optional<int64_t> proposal_number(const std::string& word) {
        std::string w = word.starts_with("#") ? word.substr(1) : word;
        auto n = number(w);
        if (!n || *n <= 0) return std::nullopt;
        return *n;
    }

    /// Approve or decline a proposal, by number or the only one waiting for `user`.
    Reply answer(const std::string& user, const std::string& args, bool approve) {
        auto w = text::words(args);
        std::optional<storage::Internship> found;
        if (!w.empty()) {
            auto n = proposal_number(w[0]);
            if (!n) throw UserError("Give the proposal's number, e.g. `/internship approve 3`.");
            found = repo_.find(*n);
        } else {
            auto mine = repo_.waiting_for(user);
            if (mine.size() != 1) {
                throw UserError(mine.empty() ? "No internship proposal is waiting for your answer."
                                             : "Several proposals are waiting; give the number, "
                                               "e.g. `/internship approve " +
                                                   std::to_string(mine.front().id) + "`.");
            }
            found = mine.front();
        }
        // Only the person's manager and the host manager answer; the person never approves
        // their own, and the answer is the same whether or not the proposal exists.
        if (!found || (user != found->manager_id && user != found->host_manager_id)) {
            throw UserError(
                "No such internship proposal is waiting for your answer. `/internship status` "
                "lists the ones that are.");
        }
        const auto& i = *found;
        const std::string n = std::to_string(i.id);
        if (i.status != "proposed") {
            throw UserError("Internship proposal " + n + " is no longer open (" + i.status + ").");
        }
        const bool as_host = user == i.host_manager_id;
        if (!as_host && !people_.manages(user, i.person_id)) {
            throw UserError(mention(i.person_id) +
                            " no longer reports to you, so this proposal is not yours to answer.");
        }
        auto now = s_.clock.now();
        Reply reply;
        auto tell = [&](const std::string& to, const std::string& text) {
            if (to != user) reply.dms.push_back({to, Reply::text(text).message.value()});
        };
        const std::string other = as_host ? i.manager_id : i.host_manager_id;
        const std::string what = "internship " + n + " (" + std::to_string(i.share_percent) +
                                 "% with " + mention(i.host_manager_id) + "'s team until " +
                                 i.ends_on + ")";
        if (!approve) {
            repo_.close(i.id, "declined", user, now);
            storage::AuditRepo(s_.db).record(
                {0, 0, user, "internship_declined", i.person_id, "internship", n}, now);
            tell(i.person_id, ":no_entry_sign: " + mention(user) + " declined your proposed " +
                                  what + ", so it will not take place.");
            tell(other, mention(user) + " declined " + mention(i.person_id) + "'s proposed " +
                            what + "; nothing more to do.");
            reply.message =
                Reply::text("Declined " + what + "; " + mention(i.person_id) + " is told.").message;
            return reply;
        }
        if ((as_host ? i.host_ok_at : i.manager_ok_at).has_value()) {
            throw UserError("You already approved internship " + n + "; it waits for " +
                            mention(other) + ".");
        }
        const bool completes = (as_host ? i.manager_ok_at : i.host_ok_at).has_value();
        if (completes) check_host_room(i.host_manager_id, i.id);
        auto now_state = repo_.approve(i.id, as_host, now);
        if (!now_state) throw UserError("Internship proposal " + n + " is no longer open.");
        storage::AuditRepo(s_.db).record({0, 0, user, "internship_approved", i.person_id,
                                          "internship", n + (as_host ? " as host" : " as manager")},
                                         now);
        if (now_state->status == "active") {
            scheduler::plan_internship_feedback(s_.db, s_.config, *now_state, now);
            tell(i.person_id, ":tada: Both " + mention(i.manager_id) + " and " +
                                  mention(i.host_manager_id) + " approved your " + what +
                                  ". It is on: " + std::to_string(i.share_percent) +
                                  "% of your time until " + i.ends_on + ".");
            tell(other, mention(user) + " approved " + mention(i.person_id) + "'s " + what +
                            " too, so it is on.");
            reply.message =
                Reply::text(
                    ":white_check_mark: Approved " + what + ". Both managers agree, so it is on; " +
                    mention(i.person_id) + " is told." +
                    (as_host ? " I'll remind you on " + i.ends_on + " to give them feedback."
                             : std::string()))
                    .message;
        } else {
            tell(i.person_id, mention(user) + " approved your proposed " + what +
                                  "; it waits for " + mention(other) + ".");
            reply.message = Reply::text(":white_check_mark: Approved " + what +
                                        "; it starts once " + mention(other) + " approves too.")
                                .message;
        }
        return reply;
    }

    Reply cancel(const std::string& user, const std::string& args) {
        std::string person = user;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id) throw UserError("`/internship cancel` takes a person, or nothing for yours.");
            person = *id;
        }
        auto live = repo_.live_for(person);
        bool may = live && (person == user || user == live->host_manager_id ||
                            people_.manages(user, person));
        if (!may) {
            throw UserError(person == user ? "You have no internship to cancel."
                                           : "No internship of theirs is yours to cancel.");
        }
        auto now = s_.clock.now();
        repo_.close(live->id, "cancelled", user, now);
        scheduler::skip_internship_feedback(s_.db, live->id, "cancelled", now);
        storage::AuditRepo(s_.db).record(
            {0, 0, user, "internship_cancelled", person, "internship", std::to_string(live->id)},
            now);
        const std::string what = "internship " + std::to_string(live->id) + " (" +
                                 std::to_string(live->share_percent) + "% with " +
                                 mention(live->host_manager_id) + "'s team)";
        Reply reply = Reply::text(
            "Cancelled " + (person == user ? "your " : mention(person) + "'s ") + what + ".");
        for (const auto& to : {live->person_id, live->manager_id, live->host_manager_id}) {
            if (to == user) continue;
            reply.dms.push_back(
                {to, *Reply::text(mention(user) + " cancelled " +
                                  (to == person ? std::string("your ") : mention(person) + "'s ") +
                                  what + ".")
                          .message});
        }
        return reply;
    }

    Reply status(const std::string& viewer, const std::string& args) {
        std::string target = viewer;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id) {
                throw UserError(
                    "`/internship status` takes a person, e.g. `/internship status @alex`.");
            }
            target = *id;
        }
        auto all = repo_.list_for(target);
        if (target != viewer && !Visibility(s_.db).can_read(viewer, target, RecordKind::Task)) {
            // A host manager sees the internships with their own team, nothing else.
            std::erase_if(
                all, [&](const storage::Internship& i) { return i.host_manager_id != viewer; });
            if (all.empty()) throw UserError(Visibility::refusal(RecordKind::Task));
        }
        const std::string day = today(viewer);
        const bool self = target == viewer;
        blocks::MessageBuilder m("Internships");
        std::string head =
            "*Internships for learning — " + (self ? std::string("you") : mention(target)) + "*\n";
        if (all.empty()) {
            head += self ? "None yet. Spend 5–50% of your time with another team for 6 weeks to 3 "
                           "months: `/internship propose @host-manager 20% 8w &lt;goals&gt;`."
                         : "None.";
        }
        for (const auto& i : all) {
            head += "• *" + std::to_string(i.id) + "* " + scheduler::internship_line(i, day) + "\n";
        }
        m.add_text(head);
        if (self) {
            std::string extra;
            for (const auto& i : repo_.waiting_for(viewer)) {
                extra += "• *" + std::to_string(i.id) + "* " + mention(i.person_id) + ": " +
                         scheduler::internship_line(i, day) + " — `/internship approve " +
                         std::to_string(i.id) + "` or `decline " + std::to_string(i.id) + "`\n";
            }
            if (!extra.empty()) m.add_text("*Waiting for your answer*\n" + extra);
            std::string hosted;
            for (const auto& i : repo_.hosted_by(viewer, day)) {
                hosted +=
                    "• " + mention(i.person_id) + ": " + scheduler::internship_line(i, day) + "\n";
            }
            if (!hosted.empty()) m.add_text("*Interns with your team*\n" + hosted);
        }
        return m.reply();
    }

    Services& s_;
    storage::PeopleRepo people_;
    storage::InternshipRepo repo_;
};

}  // namespace

void register_internship(App& app) {
    app.command({"/internship",
                 "internships for learning: time with another team, approved by both managers",
                 "propose @host 20% 8w <goals> | status [@person] | approve N | decline N | "
                 "cancel | help",
                 false, true},
                [](Services& s, const Request& r) { return InternshipCommand(s).run(r); });
    app.action(kApproveAction, [](Services& s, const Interaction& in) {
        return InternshipCommand(s).button(in, true);
    });
    app.action(kDeclineAction, [](Services& s, const Interaction& in) {
        return InternshipCommand(s).button(in, false);
    });
}

}  // namespace careerbot::commands
