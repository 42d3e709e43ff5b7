// /ido: the quarter's Individual Development Objective — set it (with a mentor), add weekly
// progress notes tagged 70-20-10, see its status, and mark it achieved.
#include <algorithm>
#include <regex>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/growth.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/brags.hpp"
#include "storage/idos.hpp"
#include "storage/mentors.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {

constexpr std::size_t kMaxIdoBytes = 4000;
/// Progress notes are meant to be weekly; past this the status asks for one.
constexpr int kNoteDueDays = 7;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/ido set [@person] <objective> mentor @mentor",
     "set this quarter's IDO for yourself (or, as their manager, for someone in your reporting "
     "line) with its mentor; one per person per quarter"},
    {"/ido set [@person] <objective> mentor @mentor replace",
     "replace this quarter's IDO and mentor (progress notes are kept)"},
    {"/ido progress <note>",
     "add this week's progress note; tag it `#70` on the job, `#20` "
     "from others or `#10` training"},
    {"/ido status [@person] [2026Q3]",
     "objective, mentor, notes (newest first), time since the last note and the 70-20-10 mix"},
    {"/ido done [@person]", "mark this quarter's IDO achieved"},
    {"/ido note @mentee <note>",
     "mentors: a note on your mentee's IDO for this quarter, as the IDO's mentor or their "
     "standing mentor (`/team mentor`). The mentee and their managers read it (and you); the "
     "mentee is told by DM. Peers do not see it."},
    {"/ido help", "this help"},
};

std::string join(const std::vector<std::string>& w, std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to && i < w.size(); ++i) s += (i > from ? " " : "") + w[i];
    return s;
}

std::string ago(int days) {
    if (days <= 0) return "today";
    if (days == 1) return "yesterday";
    return std::to_string(days) + " days ago";
}

class IdoCommand {
  public:
    explicit IdoCommand(Services& s) : s_(s), people_(s.db), idos_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "help") {
            return help_reply("/ido — your Individual Development Objective", kUsage);
        }
        if (cmd == "set") return set(r.user_id, rest);
        if (cmd == "note" && !text::words(rest).empty() &&
            text::mention_id(text::words(rest).front())) {
            return mentor_note(r.user_id, rest);
        }
        if (cmd == "progress" || cmd == "note") return progress(r.user_id, rest);
        if (cmd == "status" || cmd == "show") return status(r.user_id, rest);
        if (cmd == "done" || cmd == "achieved") return done(r.user_id, rest);
        throw UserError("I don't know `/ido " + blocks::escape(sub) +
                        "`. Try `/ido set <objective> mentor @someone`, `/ido status` or "
                        "`/ido help`.");
    }

  private:
    /// True when careerbot knows `id` well enough to trust a mentor choice: an admin, in the
    /// org chart (a manager, reports or a role) or the author of a brag. A row alone does not
    /// count: the console adds one for every @handle typed, and Slack for every mention.
    bool known(const std::string& id) {
        auto p = people_.find(id);
        if (!p) return false;
        const auto& admins = s_.config.org.admins;
        if (p->manager_id || people_.role(id) || !people_.direct_reports(id).empty() ||
            std::find(admins.begin(), admins.end(), id) != admins.end())
            return true;
        return storage::BragRepo(s_.db).has_any(id);
    }

    Reply set(const std::string& viewer, const std::string& args) {
        check_raw(args, "objective");
        auto w = text::words(args);
        std::string subject = viewer;
        std::size_t begin = 0;
        if (!w.empty()) {
            if (auto id = text::mention_id(w[0])) subject = *id, begin = 1;
        }
        bool replace = false;
        std::size_t end = w.size();
        if (end > begin && text::lower(w[end - 1]) == "replace") replace = true, --end;
        if (end < begin + 2 || text::lower(w[end - 2]) != "mentor" ||
            !text::mention_id(w[end - 1])) {
            throw UserError(
                "Name the quarter's mentor at the end: `/ido set get the AWS "
                "Solutions Architect certification mentor @dana`.");
        }
        std::string mentor = *text::mention_id(w[end - 1]);
        std::string objective_text = join(w, begin, end - 2);
        if (text::trim(objective_text).empty()) {
            throw UserError(
                "What is the objective? e.g. `/ido set lead a design review "
                "end to end mentor @dana`.");
        }
        if (subject != viewer && !people_.manages(viewer, subject)) {
            // The same words whoever the person is (or isn't), so nothing leaks.
            throw UserError(
                ":lock: You can set an IDO for yourself and for people in your "
                "reporting line (your reports, their reports, and so on).");
        }
        if (mentor == subject) {
            throw UserError(
                "A mentor has to be someone other than the mentee. Ask your manager, "
                "your director or a colleague whose skills you want to learn.");
        }
        std::string objective =
            text::clean_user_text(plain_with_names(s_, objective_text), kMaxIdoBytes, "objective");
        // A mentor careerbot does not know may be a slip (the wrong Alex, a typo in the
        // console): say so, since the IDO, its notes and a DM now go to them.
        const bool new_mentor = !known(mentor);
        if (!learn_person(s_, mentor)) {
            throw UserError("<@" + mentor + "> is a bot; a mentor has to be a person.");
        }
        auto q = current_quarter(subject);
        std::string whose =
            subject == viewer ? "You already have" : "<@" + subject + "> already has";
        auto existing = idos_.for_quarter(subject, q.label());
        if (existing && !replace) {
            throw UserError(whose + " an IDO for " + q.label() + ": “" +
                            blocks::escape(existing->objective) + "” (mentor <@" +
                            existing->mentor_id +
                            ">). One per quarter: to replace it, repeat "
                            "the command with `replace` at the end.");
        }
        storage::Ido ido;
        if (existing) {
            idos_.replace(existing->id, objective, mentor, viewer, s_.clock.now());
            ido = *idos_.for_quarter(subject, q.label());
        } else {
            ido = idos_.create(subject, q.label(), objective, mentor, viewer, s_.clock.now());
        }

        std::string verb = existing ? "Replaced" : "Set";
        std::string for_whom = subject == viewer ? "your" : "<@" + subject + ">'s";
        blocks::MessageBuilder m(verb + " IDO for " + q.label());
        m.add(blocks::section(":dart: " + verb + " " + for_whom + " IDO for *" + q.label() + "* (" +
                              iso_day(q.first) + " – " + iso_day(q.last) + ")\n*" +
                              blocks::escape(ido.objective) + "*\nMentor: <@" + mentor + ">"));
        m.add(blocks::context(existing ? "Its progress notes are kept. Weekly "
                                         "`/ido progress …` notes keep it on track."
                                       : "Add a progress note each week: `/ido progress "
                                         "finished module 2 #10`."));
        if (new_mentor) {
            m.add(blocks::context(
                ":warning: careerbot does not know <@" + mentor +
                ">: they are not in the org chart and have not logged a brag. If that is not "
                "the mentor you meant, run the command again with the right one and "
                "`replace`."));
        }
        Reply reply = m.reply();
        if (existing && existing->mentor_id != mentor && existing->mentor_id != viewer) {
            // The old mentor loses sight of the IDO with this; they should not find out by
            // being refused. The new objective is not theirs to read.
            Message to_old;
            to_old.text = "You no longer mentor " + blocks::escape(people_.display_name(subject)) +
                          " in " + q.label();
            to_old.blocks.push_back(blocks::section(
                ":arrows_counterclockwise: <@" + viewer + "> replaced " +
                (subject == viewer ? "their" : "<@" + subject + ">'s") + " IDO for " + q.label() +
                " with another mentor, so you no longer mentor it; its objective and progress "
                "notes are no longer shared with you. Thank you for your help."));
            reply.dms.push_back({existing->mentor_id, std::move(to_old)});
        }
        blocks::MessageBuilder to_mentor("You are mentoring " +
                                         blocks::escape(people_.display_name(subject)) + " in " +
                                         q.label());
        to_mentor.add(blocks::section(":handshake: <@" + viewer + "> named you " +
                                      (subject == viewer ? "their" : "<@" + subject + ">'s") +
                                      " mentor for " + q.label() + ":\n*" +
                                      blocks::escape(ido.objective) + "*"));
        to_mentor.add(blocks::context("`/ido status <@" + subject +
                                      ">` shows the objective and its progress."));
        if (mentor != viewer) std::move(to_mentor).send_to(mentor, reply);
        if (subject != viewer) {
            blocks::MessageBuilder to_subject("Your IDO for " + q.label());
            to_subject.add(blocks::section(":dart: <@" + viewer + "> set your IDO for " +
                                           q.label() + ":\n*" + blocks::escape(ido.objective) +
                                           "*\nMentor: <@" + mentor + ">"));
            std::move(to_subject).send_to(subject, reply);
        }
        return reply;
    }

    Reply progress(const std::string& viewer, const std::string& args) {
        check_raw(args, "progress note");
        if (text::trim(args).empty()) {
            throw UserError(
                "What progress did you make? e.g. `/ido progress passed the practice "
                "exam #10`.");
        }
        std::string note =
            text::clean_user_text(plain_with_names(s_, args), kMaxIdoBytes, "progress note");
        auto q = current_quarter(viewer);
        auto ido = idos_.for_quarter(viewer, q.label());
        if (!ido) {
            throw UserError("You have no IDO for " + q.label() +
                            " yet. Set one first: "
                            "`/ido set <objective> mentor @someone`.");
        }
        auto growth = growth_of(note);
        idos_.add_progress(ido->id, viewer, note, growth, iso_day(today(viewer)), s_.clock.now());
        auto notes = idos_.progress(ido->id);
        blocks::MessageBuilder m("Progress noted on your " + q.label() + " IDO");
        m.add(blocks::section(":seedling: Progress noted on your " + q.label() + " IDO (" +
                              std::to_string(notes.size()) +
                              (notes.size() == 1 ? " note" : " notes") + " so far)\n" +
                              blocks::escape(note)));
        GrowthMix mix;
        for (const auto& n : notes) mix.add(n.growth);
        m.add(blocks::context((growth ? "Tagged " + growth_label(*growth) + " · " : "") +
                              mix.summary()));
        return m.reply();
    }

    Reply status(const std::string& viewer, const std::string& args) {
        std::string subject = viewer;
        std::optional<Quarter> quarter;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) {
                subject = *id;
            } else if (auto q = parse_quarter(w, s_.config.org.fiscal_year_start_month)) {
                quarter = q;
            } else {
                throw UserError(
                    "`/ido status` takes a person and a quarter, e.g. `/ido status "
                    "@alex 2026Q3`.");
            }
        }
        auto q = quarter ? *quarter : current_quarter(subject);
        auto ido = idos_.for_quarter(subject, q.label());
        RecordParties parties;
        if (ido) parties.mentor_id = ido->mentor_id;
        // Checked whether or not an IDO exists, so a refusal never hints at one.
        vis_.require_read(viewer, subject, RecordKind::Ido, parties);
        std::string whose = subject == viewer ? "Your" : "<@" + subject + ">'s";
        storage::MentorRepo mentor_repo(s_.db);
        auto standing = mentor_repo.current(subject);
        // Mentor notes each as their own record: the IDO's mentor reads the ones they wrote.
        std::string mentor_notes;
        int shown_notes = 0;
        for (const auto& n : mentor_repo.notes(subject, q.label())) {
            RecordParties by{.author_id = n.author_id, .mentor_id = std::nullopt};
            if (!vis_.can_read(viewer, subject, RecordKind::MentorNote, by)) continue;
            ++shown_notes;
            mentor_notes +=
                "• " + n.noted_on + " — <@" + n.author_id + ">: " + blocks::escape(n.note) + "\n";
        }
        if (!mentor_notes.empty()) {
            mentor_notes = "*Mentor notes* (" + std::to_string(shown_notes) + ", newest first)\n" +
                           mentor_notes;
        }
        const std::string standing_text =
            standing ? "*Standing mentor:* <@" + standing->mentor_id + ">" : std::string();
        if (!ido) {
            blocks::MessageBuilder none(whose + " IDO for " + q.label());
            none.add(blocks::section(
                whose + " IDO for " + q.label() + ": none set yet." +
                (subject == viewer ? " Set one with `/ido set <objective> mentor @someone`." : "") +
                (standing ? "\n" + standing_text : std::string())));
            if (!mentor_notes.empty()) none.add_text(mentor_notes);
            return none.reply();
        }
        auto notes = idos_.progress(ido->id);
        auto viewer_today = today(viewer);
        std::string title = whose + " IDO for " + q.label();
        blocks::MessageBuilder m(title);
        m.add(blocks::section("*" + title + "* (" + iso_day(q.first) + " – " + iso_day(q.last) +
                              ")\n:dart: *" + blocks::escape(ido->objective) + "*"));
        std::string state =
            ido->achieved_at
                ? ":tada: achieved " +
                      iso_day(local_date(from_unix(*ido->achieved_at), time_zone_of(s_, viewer)))
                : "in progress";
        m.add(blocks::section("*Mentor:* <@" + ido->mentor_id + "> · *Quarter:* " + q.label() +
                              " · *Status:* " + state +
                              (standing && standing->mentor_id != ido->mentor_id
                                   ? "\n" + standing_text
                                   : std::string())));
        std::string cadence;
        if (notes.empty()) {
            cadence =
                ":memo: No progress notes yet — weekly notes keep it on track (`/ido "
                "progress …`).";
        } else {
            auto last = parse_date(notes.front().noted_on, viewer_today);
            int days = last ? static_cast<int>(
                                  (date::sys_days(viewer_today) - date::sys_days(*last)).count())
                            : 0;
            cadence = ":memo: Last note " + ago(days) +
                      (days > kNoteDueDays ? " — weekly notes keep it on track."
                                           : " — on track with weekly notes.");
        }
        GrowthMix mix;
        for (const auto& n : notes) mix.add(n.growth);
        m.add(blocks::context(cadence + "\n" + mix.summary()));
        if (!notes.empty()) {
            std::string body =
                "*Progress notes* (" + std::to_string(notes.size()) + ", newest first)\n";
            for (const auto& n : notes) {
                body += "• " + n.noted_on + " — " + blocks::escape(n.note);
                if (n.growth) body += "  _(" + growth_label(*n.growth) + ")_";
                body += "\n";
            }
            m.add_text(body);
        }
        if (!mentor_notes.empty()) m.add_text(mentor_notes);
        return m.reply();
    }

    /// `/ido note @mentee <note>`: a note by the mentee's IDO mentor or standing mentor, kept
    /// for the mentee's current quarter whether or not they have an IDO, so a refusal or a
    /// confirmation never says whether one exists.
    Reply mentor_note(const std::string& viewer, const std::string& args) {
        check_raw(args, "mentor note");
        auto [first, rest] = text::first_word(args);
        std::string mentee = *text::mention_id(first);
        if (mentee == viewer) {
            throw UserError(
                "Mentor notes are for the people you mentor. For your own IDO, add a progress "
                "note: `/ido progress <note>`.");
        }
        auto q = current_quarter(mentee);
        auto ido = idos_.for_quarter(mentee, q.label());
        bool mentors = (ido && ido->mentor_id == viewer) ||
                       storage::MentorRepo(s_.db).is_mentor(viewer, mentee);
        if (!mentors) {
            // The same words whoever the person is, whether or not they have an IDO.
            throw UserError(
                ":lock: You can add mentor notes only for someone you mentor: as the mentor of "
                "their IDO this quarter, or as their standing mentor (`/team mentor`). For your "
                "own IDO, use `/ido progress <note>`.");
        }
        if (text::trim(rest).empty()) {
            throw UserError("What is the note? e.g. `/ido note <@" + mentee +
                            "> good progress on the design review; next, present it`.");
        }
        std::string note =
            text::clean_user_text(plain_with_names(s_, rest), kMaxIdoBytes, "mentor note");
        storage::MentorRepo(s_.db).add_note(mentee, q.label(), viewer, note, iso_day(today(mentee)),
                                            s_.clock.now());
        Reply reply =
            Reply::text(":memo: Added your mentor note for <@" + mentee + ">'s " + q.label() +
                        " IDO. They and their managers can read it (`/ido status`); "
                        "I told them.\n> " +
                        blocks::escape(note));
        blocks::MessageBuilder dm("A mentor note on your " + q.label() + " IDO");
        dm.add(blocks::section(":memo: <@" + viewer + ">, your mentor, added a note on your " +
                               q.label() + " IDO:\n" + blocks::escape(note)));
        dm.add(blocks::context(ido ? "`/ido status` shows it with your progress notes."
                                   : "You have no IDO for " + q.label() +
                                         " yet: `/ido set <objective> mentor @someone`."));
        std::move(dm).send_to(mentee, reply);
        return reply;
    }

    Reply done(const std::string& viewer, const std::string& args) {
        std::string subject = viewer;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id) throw UserError("`/ido done` takes at most a person, e.g. `/ido done @alex`.");
            subject = *id;
        }
        if (subject != viewer && !people_.manages(viewer, subject)) {
            // The same words whoever the person is (or isn't), so nothing leaks.
            throw UserError(
                ":lock: You can mark an IDO achieved for yourself and for people in your "
                "reporting line (your reports, their reports, and so on).");
        }
        auto q = current_quarter(subject);
        auto ido = idos_.for_quarter(subject, q.label());
        std::string who = subject == viewer ? "You have" : "<@" + subject + "> has";
        if (!ido) throw UserError(who + " no IDO for " + q.label() + " to mark achieved.");
        if (!idos_.mark_achieved(ido->id, s_.clock.now())) {
            throw UserError("The " + q.label() + " IDO is already marked achieved. :tada:");
        }
        std::string whose = subject == viewer ? "your" : "<@" + subject + ">'s";
        Reply reply = Reply::text(":tada: Marked " + whose + " " + q.label() + " IDO achieved: *" +
                                  blocks::escape(ido->objective) + "*. Log it as a brag too!");
        blocks::MessageBuilder to_mentor(blocks::escape(people_.display_name(subject)) +
                                         " achieved their IDO");
        to_mentor.add(blocks::section(":tada: <@" + subject + ">'s " + q.label() +
                                      " IDO you mentored is achieved: *" +
                                      blocks::escape(ido->objective) + "*"));
        if (ido->mentor_id != viewer) std::move(to_mentor).send_to(ido->mentor_id, reply);
        return reply;
    }

    /// The first 70-20-10 tag (`#70`, `#job`, `#20`, `#others`, `#10`, `#training`) in a note.
    static std::optional<Growth> growth_of(const std::string& note) {
        static const std::regex tag_re(R"((^|\s)#([A-Za-z0-9_\-]+))");
        std::vector<std::string> tags;
        for (auto it = std::sregex_iterator(note.begin(), note.end(), tag_re);
             it != std::sregex_iterator(); ++it) {
            tags.push_back(text::lower((*it)[2].str()));
        }
        return growth_from_tags(tags);
    }

    void check_raw(const std::string& args, const std::string& what) {
        if (!text::valid_utf8(args)) {
            throw UserError("That " + what +
                            " has bytes that are not valid UTF-8 text, so I "
                            "did not save it. Please retype it or paste it as plain text.");
        }
        // Checked before any parsing so a huge paste is refused cheaply and clearly.
        if (args.size() > 4 * kMaxIdoBytes) {
            throw UserError(text::too_long(what, args.size(), kMaxIdoBytes));
        }
    }

    Quarter current_quarter(const std::string& person) {
        return quarter_of(today(person), s_.config.org.fiscal_year_start_month);
    }
    date::year_month_day today(const std::string& user) { return today_for(s_, user); }

    Services& s_;
    storage::PeopleRepo people_;
    storage::IdoRepo idos_;
    Visibility vis_;
};

}  // namespace

void register_ido(App& app) {
    CommandInfo info{
        "/ido", "this quarter's development objective, mentor and progress",
        "set [@person] <objective> mentor @m | progress <note> | note @mentee <note> | status | "
        "done | help"};
    info.plans_reminders = true;  // an objective plans its nudges
    app.command(std::move(info),
                [](Services& s, const Request& r) { return IdoCommand(s).run(r); });
}

}  // namespace careerbot::commands
