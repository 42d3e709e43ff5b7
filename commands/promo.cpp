// /promo: career levels, promotion readiness and the promotion petition with its evidence.
#include <algorithm>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "commands/summary_data.hpp"
#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/roles.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/audit.hpp"
#include "storage/brags.hpp"
#include "storage/certs.hpp"
#include "storage/checkins.hpp"
#include "storage/feedback.hpp"
#include "storage/people.hpp"
#include "storage/petitions.hpp"

namespace careerbot::commands {
namespace {

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/promo status [@person]", "your level, readiness for the next one and your petitions"},
    {"/promo petition <level> <why now>",
     "petition your director for promotion to <level> with your statement of why now; the "
     "statement and the evidence (brags, feedback, finished IDOs, certifications, check-ins) "
     "are compiled and sent to them"},
    {"/promo withdraw", "withdraw your open petition"},
    {"/promo level @person <level>", "set someone's current level (their managers, and admins)"},
    {"/promo outcome @person approved|not-yet <note>",
     "record the outcome of the quarterly discussion of someone's open petition (their director "
     "and managers); approved sets the level; the person is told, with the note (required for "
     "not-yet)"},
    {"/promo close @person approved|declined", "the same as `outcome`, kept as an alias"},
    {"/promo help", "this help"},
};

/// The longest statement or outcome note careerbot keeps (bytes).
constexpr std::size_t kMaxStatementBytes = 2000;

/// How a petition's status reads: "declined" is the outcome "not yet".
std::string status_label(const std::string& status) {
    return status == "declined" ? "not yet" : status;
}

using text::clip;

/// The evidence behind a petition, gathered once and rendered twice (DM and stored packet).
struct Packet {
    std::string person_id;
    std::string person_name;
    std::optional<std::string> from_level;
    std::string target;
    std::string statement;  ///< the person's "why now"
    Readiness readiness;
    std::string window;  ///< "2026Q3–2026Q4"
    int brag_count = 0;
    std::vector<storage::Brag> top_brags;  ///< impact first, then most recent
    std::vector<storage::Feedback> feedback;
    std::vector<std::string> feedback_authors;  ///< display names, one per feedback item
    std::vector<AchievedIdo> idos;
    std::vector<storage::Cert> certs;
    int checkins_last_year = 0;
    std::optional<std::string> last_checkin;
};

class PromoCommand {
  public:
    explicit PromoCommand(Services& s)
        : s_(s), people_(s.db), certs_(s.db), petitions_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "status") return status(r.user_id, rest);
        if (cmd == "help") return help_reply("/promo — levels and promotion petitions", kUsage);
        if (cmd == "petition") return petition(r.user_id, rest);
        if (cmd == "withdraw") return withdraw(r.user_id);
        if (cmd == "level") return set_level(r.user_id, rest);
        if (cmd == "outcome" || cmd == "close") return outcome(r.user_id, rest, cmd);
        throw UserError(
            "`/promo` takes `status`, `petition <level> <why now>`, `withdraw`, `level` or "
            "`outcome`; `/promo help` shows how.");
    }

  private:
    Levels levels() {
        try {
            Levels l = Levels::load_for(s_.config);
            if (l.empty()) throw Error("no levels file");
            return l;
        } catch (const Error& e) {
            throw UserError(":warning: Career levels are not configured properly (" +
                            blocks::escape(e.what()) +
                            "). An admin can fix config/levels.toml "
                            "(see config/levels.example.toml).");
        }
    }

    date::year_month_day today(const std::string& id) { return today_for(s_, id); }

    /// Evidence for `person` over the current and the previous quarter.
    PersonSummary evidence_of(const std::string& person, const Levels& levels) {
        auto day = today(person);
        Quarter q = quarter_of(day, s_.config.org.fiscal_year_start_month);
        auto s = build_summary(s_.db, {person, false}, q, iso_day(day), levels,
                               s_.config.org.fiscal_year_start_month);
        return s.people.empty() ? PersonSummary{} : s.people.front();
    }

    Reply status(const std::string& viewer, const std::string& args) {
        std::string target = viewer;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id) throw UserError("`/promo status` takes a person, e.g. `/promo status @alex`.");
            target = *id;
        }
        vis_.require_read(viewer, target, RecordKind::Promotion);
        auto ladder = levels();
        auto level = certs_.level_of(target);
        auto ev = evidence_of(target, ladder);
        bool self = target == viewer;
        std::string who = self ? "You" : "<@" + target + ">";
        blocks::MessageBuilder m("Promotion status");
        std::string head = "*Promotion status — " + (self ? std::string("you") : who) + "*\n";
        if (level && ladder.find(*level)) {
            head += "Current level: *" + blocks::escape(ladder.find(*level)->id) + "* (" +
                    blocks::escape(ladder.find(*level)->title) + ")";
        } else {
            head += "Current level: not set — " + std::string(self ? "ask your manager" : "use") +
                    " `/promo level @" +
                    (self ? std::string("you") : blocks::escape(people_.display_name(target))) +
                    " L2`";
        }
        m.add(blocks::section(head));
        const Level* next = ladder.next_after(level);
        if (next) {
            auto r = ladder.readiness(next->id, ev.evidence);
            std::string body = "*Next: " + blocks::escape(next->id) + " (" +
                               blocks::escape(next->title) + ")* — " +
                               (r.ready() ? ":white_check_mark: ready" : "not ready yet") + "\n";
            body += readiness_lines(*next, r, ev.evidence);
            m.add_text(body);
        } else {
            m.add(blocks::section(who + (self ? " are" : " is") + " at the top of the ladder."));
        }
        auto mine = petitions_.list_for(target);
        std::string list;
        bool open = false;
        for (const auto& p : mine) {
            list += "• " + blocks::escape(p.target_level) + " · " + status_label(p.status) +
                    " · sent to <@" + p.director_id + "> on " + day_of(p.created_at);
            if (p.status != "open" && p.status != "withdrawn") {
                list += " · decided " + day_of(p.updated_at);
                if (!p.closed_by.empty()) list += " by <@" + p.closed_by + ">";
            }
            list += "\n";
            if (!p.statement.empty())
                list += "    _Statement:_ " + blocks::escape(clip(p.statement, 600)) + "\n";
            if (!p.outcome_note.empty())
                list += "    _Outcome note:_ " + blocks::escape(clip(p.outcome_note, 600)) + "\n";
            open = open || p.status == "open";
        }
        m.add_text("*Petitions*\n" + (list.empty() ? std::string("None yet.") : list));
        if (self) {
            // Only ever the next level: the current one (or a lower one) would be refused.
            std::string hint = "Record training with `/cert add`.";
            if (open) {
                hint =
                    "Your open petition is discussed at the next review; `/promo withdraw` "
                    "takes it back. " +
                    hint;
            } else if (next) {
                hint = "When you are ready, petition with `/promo petition " +
                       blocks::escape(next->id) + " &lt;why now&gt;`. " + hint;
            }
            m.add(blocks::context(hint));
        }
        return m.reply();
    }

    std::string readiness_lines(const Level& next, const Readiness& r, const Evidence& ev) {
        std::string out;
        for (const auto& c : r.missing_certs)
            out += ":x: training/certification: " + blocks::escape(c) + "\n";
        for (const auto& d : next.dimensions) {
            int have = ev.brags_tagged(d.tags);
            bool ok = have >= d.min_brags;
            std::string tags;
            for (const auto& t : d.tags) tags += (tags.empty() ? "#" : " #") + t;
            out += std::string(ok ? ":white_check_mark: " : ":x: ") + blocks::escape(d.name) +
                   ": " + std::to_string(have) + " of " + std::to_string(d.min_brags) +
                   " tagged brags (" + blocks::escape(tags) + ") — " +
                   blocks::escape(d.expectation) + "\n";
        }
        if (r.missing_certs.empty()) out += ":white_check_mark: training and certifications\n";
        return out;
    }

    std::string day_of(int64_t unix) {
        return iso_day(date::year_month_day{date::floor<date::days>(from_unix(unix))});
    }

    /// The nearest manager up the chain who is a director; else the top of the chain.
    std::optional<std::string> director_of(const std::string& person) {
        auto chain = people_.manager_chain(person);
        for (const auto& m : chain) {
            if (is_director(s_, m)) return m;
        }
        if (chain.empty()) return std::nullopt;
        return chain.back();
    }

    Reply petition(const std::string& user, const std::string& args) {
        auto ladder = levels();
        auto [wanted, statement] = text::first_word(text::trim(args));
        statement = text::trim(statement);
        if (wanted.empty()) {
            const Level* next = ladder.next_after(certs_.level_of(user));
            if (!next)
                throw UserError(
                    "You are at the top of the ladder; there is no level to petition for.");
            throw UserError("Which level? Yours to aim for is the next one: `/promo petition " +
                            blocks::escape(next->id) + " &lt;why now&gt;`.");
        }
        const Level* target = ladder.find(wanted);
        if (target == nullptr) {
            std::string ids;
            for (const auto& l : ladder.all()) ids += (ids.empty() ? "`" : ", `") + l.id + "`";
            throw UserError("There is no level `" + blocks::escape(wanted) + "`. Levels: " + ids +
                            ".");
        }
        auto level = certs_.level_of(user);
        if (level) {
            auto cur = ladder.index_of(*level);
            if (cur && *ladder.index_of(target->id) <= *cur) {
                throw UserError("You are already at " + blocks::escape(*level) +
                                "; petition for a level above it.");
            }
        }
        if (auto open = petitions_.open_for(user)) {
            throw UserError("You already have an open petition for " +
                            blocks::escape(open->target_level) + " (sent to <@" +
                            open->director_id +
                            ">). `/promo withdraw` it first to send a new one.");
        }
        auto director = director_of(user);
        if (!director) {
            throw UserError(
                "You have no manager in careerbot's org chart, so there is nobody to "
                "petition. Ask your manager to `/team add` you.");
        }
        if (statement.empty()) {
            throw UserError(
                "Add your statement after the level: *why now?* In a few sentences, say how you "
                "already work at " +
                blocks::escape(target->id) +
                " — the scope and impact of your recent work, what others rely on you for, and "
                "how you grew since your last level. Your director reads it first, above the "
                "evidence careerbot compiles. For example: `/promo petition " +
                blocks::escape(target->id) +
                " I have led the billing migration end to end since June and mentor two "
                "engineers`.");
        }
        if (statement.size() > kMaxStatementBytes) {
            throw UserError("Your statement is " + std::to_string(statement.size()) +
                            " bytes; keep it under " + std::to_string(kMaxStatementBytes) +
                            " — the evidence is compiled for you.");
        }
        Packet p = compile(user, level, *target, ladder);
        p.statement = statement;
        std::string markdown = packet_markdown(p);
        petitions_.create(user, level, target->id, *director, markdown, s_.clock.now(), statement);
        // The compiled evidence goes to the director: audited like an export (issue #7).
        storage::AuditRepo(s_.db).record(
            {0, 0, user, "promo_packet", user, "petition", target->id + " sent to " + *director},
            s_.clock.now());

        Reply reply = Reply::text(
            ":scroll: Your petition for *" + blocks::escape(target->id) + "* went to <@" +
            *director + "> with your evidence. " +
            (p.readiness.ready()
                 ? "By the levels file you are ready."
                 : "By the levels file, " + blocks::escape(p.readiness.describe()) + ".") +
            " It will be discussed at the next quarterly review; `/promo status` tracks it.");
        reply.dms.push_back({*director, packet_message(p)});
        return reply;
    }

    Packet compile(const std::string& user, const std::optional<std::string>& level,
                   const Level& target, const Levels& ladder) {
        Packet p;
        p.person_id = user;
        p.person_name = people_.display_name(user);
        p.from_level = level;
        p.target = target.id;
        auto ev = evidence_of(user, ladder);
        p.readiness = ladder.readiness(target.id, ev.evidence);
        auto day = today(user);
        Quarter q = quarter_of(day, s_.config.org.fiscal_year_start_month);
        Quarter prev = previous_quarter(q, s_.config.org.fiscal_year_start_month);
        p.window = prev.label() + "–" + q.label();
        storage::BragRepo brags(s_.db);
        storage::BragQuery bq{user, iso_day(prev.first), iso_day(day), -1, 0};
        auto all = brags.list(bq);
        p.brag_count = static_cast<int>(all.size());
        // Impact first, then most recent: list() is already newest first.
        std::stable_partition(all.begin(), all.end(),
                              [](const storage::Brag& b) { return !b.impact.empty(); });
        all.resize(std::min<std::size_t>(all.size(), 8));
        p.top_brags = std::move(all);
        auto since = std::chrono::duration_cast<std::chrono::seconds>(
                         date::sys_days{prev.first}.time_since_epoch())
                         .count();
        p.feedback = storage::FeedbackRepo(s_.db).for_document(user, since, 5);
        for (const auto& f : p.feedback)
            p.feedback_authors.push_back(people_.display_name(f.author_id));
        p.idos = achieved_idos(s_.db, user);
        p.certs = certs_.list(user);
        storage::CheckinRepo checkins(s_.db);
        auto year_ago = date::year_month_day{date::sys_days{day} - date::days{365}};
        p.checkins_last_year =
            static_cast<int>(checkins.held_since(user, iso_day(year_ago)).size());
        if (auto last = checkins.last_held(user)) p.last_checkin = last->held_on;
        return p;
    }

    /// The stored packet: Markdown, readable on its own after the Slack messages are gone.
    static std::string packet_markdown(const Packet& p) {
        std::string out = "# Promotion petition — " + p.person_name + " → " + p.target + "\n\n";
        out += "Current level: " + p.from_level.value_or("not set") + "\n\n";
        out += "## Statement: why now\n\n" + p.statement + "\n\n";
        out += "Readiness: " + p.readiness.describe() + "\n\n";
        out += "## Brags " + p.window + " (" + std::to_string(p.brag_count) + ")\n\n";
        for (const auto& b : p.top_brags) {
            out += "- " + b.happened_on + " — " + b.text;
            if (!b.impact.empty()) out += " (impact: " + b.impact + ")";
            out += "\n";
        }
        out += "\n## Feedback (most recent)\n\n";
        for (std::size_t i = 0; i < p.feedback.size(); ++i)
            out += "- from " + p.feedback_authors[i] + ": " + p.feedback[i].text + "\n";
        out += "\n## Finished IDOs\n\n";
        for (const auto& i : p.idos) out += "- " + i.quarter + ": " + i.objective + "\n";
        out += "\n## Training and certifications\n\n";
        for (const auto& c : p.certs) out += "- " + c.earned_on + " " + c.name + "\n";
        out += "\n## Check-ins\n\n" + std::to_string(p.checkins_last_year) +
               " in the last year; last " + p.last_checkin.value_or("never") + "\n";
        return out;
    }

    /// The DM to the director: the same evidence in Block Kit, escaped.
    Message packet_message(const Packet& p) {
        blocks::MessageBuilder m("Promotion petition from " + blocks::escape(p.person_name));
        m.add(blocks::header("Promotion petition → " + p.target));
        m.add(blocks::section("<@" + p.person_id + "> petitions for *" + blocks::escape(p.target) +
                              "* (now " + blocks::escape(p.from_level.value_or("level not set")) +
                              ").\n*Readiness:* " + blocks::escape(p.readiness.describe())));
        m.add_text("*Why now — their statement:*\n>" + quote(p.statement));
        std::string brags = "*Brags " + p.window + ":* " + std::to_string(p.brag_count) + "\n";
        for (const auto& b : p.top_brags) {
            brags += "• " + b.happened_on + " — " + blocks::escape(clip(b.text, 300));
            if (!b.impact.empty()) brags += " — _impact:_ " + blocks::escape(clip(b.impact, 160));
            brags += "\n";
        }
        m.add_text(brags);
        std::string fb = "*Feedback (most recent):* ";
        fb += p.feedback.empty() ? "none saved\n" : "\n";
        for (const auto& f : p.feedback) {
            fb += "• from <@" + f.author_id + ">: " + blocks::escape(clip(f.text, 300)) + "\n";
        }
        m.add_text(fb);
        std::string rest = "*Finished IDOs:* ";
        if (p.idos.empty()) rest += "none";
        for (std::size_t i = 0; i < p.idos.size(); ++i) {
            rest += (i ? "; " : "") + p.idos[i].quarter + " " +
                    blocks::escape(clip(p.idos[i].objective, 150));
        }
        rest += "\n*Training and certifications:* ";
        if (p.certs.empty()) rest += "none recorded";
        for (std::size_t i = 0; i < p.certs.size(); ++i) {
            rest += (i ? ", " : "") + blocks::escape(p.certs[i].name) + " (" +
                    p.certs[i].earned_on + ")";
        }
        rest += "\n*Check-ins:* " + std::to_string(p.checkins_last_year) +
                " in the last year, last " + p.last_checkin.value_or("never");
        m.add_text(rest);
        m.add(blocks::context(
            "It appears in your next `/quarter-summary`. After the quarterly discussion, record "
            "the outcome: `/promo outcome @" +
            blocks::escape(p.person_name) + " approved &lt;note&gt;` or `/promo outcome @" +
            blocks::escape(p.person_name) + " not-yet &lt;what is still missing&gt;`."));
        return m.build().front();
    }

    Reply withdraw(const std::string& user) {
        auto open = petitions_.open_for(user);
        if (!open) throw UserError("You have no open petition to withdraw.");
        petitions_.close(open->id, "withdrawn", user, s_.clock.now());
        Reply r =
            Reply::text("Withdrew your petition for " + blocks::escape(open->target_level) + ".");
        r.dms.push_back(
            {open->director_id, *Reply::text("<@" + user + "> withdrew their petition for " +
                                             blocks::escape(open->target_level) + ".")
                                     .message});
        return r;
    }

    std::pair<std::string, std::string> person_and_word(const std::string& args,
                                                        const std::string& usage) {
        auto w = text::words(args);
        if (w.size() != 2 || !text::mention_id(w[0])) throw UserError("Usage: `" + usage + "`.");
        return {*text::mention_id(w[0]), w[1]};
    }

    Reply set_level(const std::string& user, const std::string& args) {
        auto [person, id] = person_and_word(args, "/promo level @person L3");
        if (!is_admin(s_, user) && !people_.manages(user, person)) {
            throw UserError(":lock: Only someone's managers (or an admin) can set their level.");
        }
        auto ladder = levels();
        const Level* l = ladder.find(id);
        if (l == nullptr) throw UserError("There is no level `" + blocks::escape(id) + "`.");
        // An admin may set the level of someone careerbot has not met yet.
        learn_person(s_, person);
        certs_.set_level(person, l->id, s_.clock.now());
        std::string said = "<@" + person + "> is now at *" + blocks::escape(l->id) + "* (" +
                           blocks::escape(l->title) + ").";
        auto closed = close_reached_petition(user, person, *l, ladder);
        if (!closed) return Reply::text(said);
        const std::string what = "petition for " + blocks::escape(closed->target_level);
        const std::string why = "<@" + user + "> set ";
        Reply r = Reply::text(said + " That closed their open " + what + " as approved.");
        r.dms.push_back({person, *Reply::text("Your " + what + " is closed as approved: " + why +
                                              "your level to *" + blocks::escape(l->id) + "*.")
                                      .message});
        if (closed->director_id != user) {
            r.dms.push_back(
                {closed->director_id,
                 *Reply::text("<@" + person + ">'s " + what + " is closed as approved: " + why +
                              "their level to *" + blocks::escape(l->id) + "*.")
                      .message});
        }
        return r;
    }

    /// A petition for `level` or a lower one is settled once someone is set to `level`: it is
    /// closed as approved (returned), so it does not wait for a review with nothing to decide.
    std::optional<storage::Petition> close_reached_petition(const std::string& user,
                                                            const std::string& person,
                                                            const Level& level,
                                                            const Levels& ladder) {
        auto open = petitions_.open_for(person);
        if (!open) return std::nullopt;
        auto wanted = ladder.index_of(open->target_level);
        auto reached = ladder.index_of(level.id);
        if (!wanted || !reached || *wanted > *reached) return std::nullopt;
        petitions_.close(open->id, "approved", user, s_.clock.now());
        return open;
    }

    /// "approved" or "declined" from what was typed; nothing for anything else.
    static std::optional<std::string> outcome_status(const std::string& word) {
        std::string w = text::lower(word);
        if (w == "approved" || w == "approve") return "approved";
        if (w == "not-yet" || w == "notyet" || w == "not_yet" || w == "declined" || w == "decline")
            return "declined";
        return std::nullopt;
    }

    /// `/promo outcome @person approved|not-yet <note>` (and its alias `close`): the director
    /// (who received the petition) or a manager of the person records the quarterly
    /// discussion's outcome; approved sets the level; the person is told with the note.
    Reply outcome(const std::string& user, const std::string& args, const std::string& verb) {
        const std::string usage = "/promo " + verb + " @person approved|not-yet <note>";
        auto [who, rest] = text::first_word(args);
        auto [word, note] = text::first_word(rest);
        note = text::trim(note);
        auto person = text::mention_id(who);
        if (!person || word.empty()) throw UserError("Usage: `" + blocks::escape(usage) + "`.");
        auto status = outcome_status(word);
        if (!status) {
            throw UserError("The outcome is `approved` or `not-yet` (followed by your note).");
        }
        auto open = petitions_.open_for(*person);
        // The same answer whether or not there is a petition the user may not see.
        if (!open || !(people_.manages(user, *person) || open->director_id == user)) {
            throw UserError(
                ":lock: I can record outcomes only for open petitions of people in your org.");
        }
        if (*status == "declined" && note.empty()) {
            throw UserError(
                "Add a note for <@" + *person +
                ">: what is still missing, and what would make the next petition succeed, "
                "e.g. `/promo outcome <@" +
                *person + "> not-yet lead one more cross-team project`.");
        }
        if (note.size() > kMaxStatementBytes) {
            throw UserError("Keep the note under " + std::to_string(kMaxStatementBytes) +
                            " bytes.");
        }
        auto now = s_.clock.now();
        petitions_.close(open->id, *status, user, now, note);
        if (*status == "approved") {
            learn_person(s_, *person);
            certs_.set_level(*person, open->target_level, now);
        }
        storage::AuditRepo(s_.db).record({0, 0, user, "promo_outcome", *person, "petition",
                                          open->target_level + " " + status_label(*status)},
                                         now);
        const std::string label = status_label(*status);
        const std::string quoted = note.empty() ? "" : "\n>" + quote(note);
        Reply r = Reply::text("Recorded the outcome of <@" + *person + ">'s petition for " +
                              blocks::escape(open->target_level) + ": *" + label + "*" +
                              (*status == "approved"
                                   ? " — their level is now " + blocks::escape(open->target_level)
                                   : std::string()) +
                              ". They are told by DM." + quoted);
        std::string to_person =
            *status == "approved"
                ? ":tada: Your petition for *" + blocks::escape(open->target_level) +
                      "* was approved by <@" + user + ">; your level is now *" +
                      blocks::escape(open->target_level) + "*."
                : "Your petition for *" + blocks::escape(open->target_level) +
                      "* was discussed: *not yet*, says <@" + user +
                      ". `/promo status` shows where you stand; petition again when ready.";
        r.dms.push_back({*person, *Reply::text(to_person + quoted).message});
        if (open->director_id != user && open->director_id != *person) {
            r.dms.push_back({open->director_id,
                             *Reply::text("<@" + user + "> recorded the outcome of <@" + *person +
                                          ">'s petition for " + blocks::escape(open->target_level) +
                                          ": *" + label + "*." + quoted)
                                  .message});
        }
        return r;
    }

    /// `note` escaped for a mrkdwn block quote (every line quoted).
    static std::string quote(const std::string& note) {
        std::string out;
        for (char c : blocks::escape(clip(note, kMaxStatementBytes))) {
            out += c;
            if (c == '\n') out += '>';
        }
        return out;
    }

    Services& s_;
    storage::PeopleRepo people_;
    storage::CertRepo certs_;
    storage::PetitionRepo petitions_;
    Visibility vis_;
};

}  // namespace

void register_promo(App& app) {
    app.command({"/promo", "career levels, promotion readiness and petitions",
                 "status [@person] | petition <level> <why now> | withdraw | level @person L | "
                 "outcome @person "
                 "approved|not-yet <note> | help"},
                [](Services& s, const Request& r) { return PromoCommand(s).run(r); });
}

}  // namespace careerbot::commands
