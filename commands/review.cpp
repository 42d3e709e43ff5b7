// /review: the performance factor of the quarterly review (GitLab handbook) — developing,
// performing or exceeding in role, with a note, recorded by the person's manager chain once per
// quarter (re-recording replaces it, audited), private to the person and their chain.
#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/audit.hpp"
#include "storage/people.hpp"
#include "storage/performance.hpp"

namespace careerbot::commands {
namespace {

constexpr std::size_t kMaxNoteBytes = 2000;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/review factor @person developing|performing|exceeding [2026Q3] <note>",
     "managers: record the quarterly review's performance factor (in role) for someone in your "
     "reporting line, with a note; once per person per quarter (this quarter unless named). "
     "Recording it again replaces it; every change is in the audit log. The person is told by "
     "DM."},
    {"/review [@person] [2026Q3]",
     "the performance factor of a quarter: yours, or of someone in your reporting line"},
    {"/review help", "this help"},
};

constexpr const char* kFactors[] = {"developing", "performing", "exceeding"};

/// The emoji each factor is shown with.
std::string badge(const std::string& factor) {
    if (factor == "exceeding") return ":rocket:";
    if (factor == "performing") return ":white_check_mark:";
    return ":seedling:";
}

using text::mention;

class ReviewCommand {
  public:
    explicit ReviewCommand(Services& s) : s_(s), people_(s.db), repo_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd == "help") {
            return help_reply("/review — the performance factor of the quarterly review", kUsage);
        }
        if (cmd == "factor" || cmd == "record" || cmd == "set") return record(r.user_id, rest);
        if (cmd == "show" || cmd == "status") return show(r.user_id, rest);
        return show(r.user_id, r.text);
    }

  private:
    Reply record(const std::string& actor, const std::string& args) {
        if (!text::valid_utf8(args)) {
            throw UserError(
                "That note has bytes that are not valid UTF-8 text, so I did not save it. "
                "Please retype it or paste it as plain text.");
        }
        if (args.size() > 4 * kMaxNoteBytes) {
            throw UserError(text::too_long("note", args.size(), kMaxNoteBytes));
        }
        auto [who, after_who] = text::first_word(args);
        auto [factor_word, after_factor] = text::first_word(after_who);
        auto subject = text::mention_id(who);
        std::string factor = text::lower(factor_word);
        if (!subject ||
            std::find(std::begin(kFactors), std::end(kFactors), factor) == std::end(kFactors)) {
            throw UserError(
                "Use `/review factor @person developing|performing|exceeding <note>`, e.g. "
                "`/review factor @alex exceeding led the migration and mentored two people`.");
        }
        if (!people_.manages(actor, *subject)) {
            // The same words whoever the person is (or isn't), so nothing leaks.
            throw UserError(
                ":lock: You can record a performance factor only for people in your reporting "
                "line (your reports, their reports, and so on).");
        }
        std::string rest = after_factor;
        auto q = current_quarter(*subject);
        auto [maybe_quarter, after_quarter] = text::first_word(rest);
        if (auto named = parse_quarter(maybe_quarter, s_.config.org.fiscal_year_start_month)) {
            if (date::sys_days{named->first} > date::sys_days{today(*subject)}) {
                throw UserError(named->label() +
                                " has not started yet; record its factor at its review.");
            }
            q = *named;
            rest = after_quarter;
        }
        if (text::trim(rest).empty()) {
            throw UserError("Add a note on why, e.g. `/review factor <@" + *subject + "> " +
                            factor + " shipped the billing rewrite ahead of plan`.");
        }
        std::string note = text::clean_user_text(plain_with_names(s_, rest), kMaxNoteBytes, "note");
        auto now = s_.clock.now();
        storage::PerformanceFactor f{*subject, q.label(), factor, note, actor, to_unix(now)};
        auto before = repo_.record(f);
        storage::AuditRepo(s_.db).record(
            {0, 0, actor, "performance_factor", *subject, "review",
             q.label() + ": " +
                 (before ? before->factor + " (by " + before->recorded_by + ") -> " : "") + factor},
            now);

        std::string line = badge(factor) + " *" + factor + "* in role for " + q.label();
        Reply reply = Reply::text(
            (before ? ":pencil2: Replaced " + mention(*subject) + "'s performance factor (was " +
                          before->factor + "): "
                    : ":memo: Recorded " + mention(*subject) + "'s performance factor: ") +
            line + "\n> " + blocks::escape(note) +
            "\nOnly they and their manager chain can see it; I told them.");
        blocks::MessageBuilder dm("Your performance factor for " + q.label());
        dm.add(blocks::section(mention(actor) + " recorded your performance factor at the " +
                               "quarterly review: " + line + "\n> " + blocks::escape(note)));
        dm.add(blocks::context("Only you and your manager chain can see it. `/review` shows it."));
        std::move(dm).send_to(*subject, reply);
        if (before && before->recorded_by != actor && before->recorded_by != *subject) {
            blocks::MessageBuilder told("A performance factor you recorded was replaced");
            told.add(blocks::section(":pencil2: " + mention(actor) + " replaced the " + q.label() +
                                     " performance factor you recorded for " + mention(*subject) +
                                     " (" + before->factor + ") with *" + factor + "*."));
            std::move(told).send_to(before->recorded_by, reply);
        }
        return reply;
    }

    Reply show(const std::string& viewer, const std::string& args) {
        std::string subject = viewer;
        std::optional<Quarter> quarter;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) {
                subject = *id;
            } else if (auto q = parse_quarter(w, s_.config.org.fiscal_year_start_month)) {
                quarter = q;
            } else {
                throw UserError("I don't know `/review " + blocks::escape(w) +
                                "`. Try `/review @person`, `/review factor @person performing "
                                "<note>` or `/review help`.");
            }
        }
        // Checked whether or not a factor exists, so a refusal never hints at one.
        vis_.require_read(viewer, subject, RecordKind::PerformanceFactor);
        auto q = quarter ? *quarter : current_quarter(subject);
        std::string whose = subject == viewer ? "Your" : mention(subject) + "'s";
        auto f = repo_.find(subject, q.label());
        if (!f) {
            return Reply::text(
                whose + " performance factor for " + q.label() + ": not recorded yet." +
                (subject == viewer ? " Your manager records it at the quarterly review."
                                   : " `/review factor " + mention(subject) +
                                         " developing|performing|exceeding <note>` records it."));
        }
        auto day = local_date(from_unix(f->recorded_at), time_zone_of(s_, viewer));
        blocks::MessageBuilder m(whose + " performance factor for " + q.label());
        m.add(blocks::section("*" + whose + " performance factor for " + q.label() +
                              "*: " + badge(f->factor) + " *" + f->factor + "* in role\n> " +
                              blocks::escape(f->note)));
        m.add(blocks::context("Recorded by " + mention(f->recorded_by) + " on " + iso_day(day) +
                              " · private to " + (subject == viewer ? "you" : "them") +
                              " and the manager chain"));
        return m.reply();
    }

    Quarter current_quarter(const std::string& person) {
        return quarter_of(today(person), s_.config.org.fiscal_year_start_month);
    }
    date::year_month_day today(const std::string& user) { return today_for(s_, user); }

    Services& s_;
    storage::PeopleRepo people_;
    storage::PerformanceRepo repo_;
    Visibility vis_;
};

}  // namespace

void register_review(App& app) {
    app.command({"/review", "the quarterly review's performance factor, private to the chain",
                 "factor @person developing|performing|exceeding <note> | [@person] | help"},
                [](Services& s, const Request& r) { return ReviewCommand(s).run(r); });
}

}  // namespace careerbot::commands
