// /team: the org chart — who reports to whom, which drives who may see what. Who may change it
// is decided in src/core/org_authority (README "Who may change the org chart"); this file turns
// those decisions into requests, answers and DMs.
#include <charconv>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/org_authority.hpp"
#include "src/core/roles.hpp"
#include "src/core/text.hpp"
#include "storage/audit.hpp"
#include "storage/mentors.hpp"
#include "storage/org_requests.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {
using nlohmann::json;

constexpr const char* kAcceptAction = "org_request_accept";
constexpr const char* kDeclineAction = "org_request_decline";

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/team add @report [@report…] [to @manager]",
     "put people under you (or under a manager in your org). Someone who would gain sight of "
     "their records for the first time is *asked*: it takes effect when they accept (or, for "
     "someone with reports of their own, when an admin approves). Admins add directly."},
    {"/team remove @report", "take someone out of your org (they keep their records)"},
    {"/team list [@manager]", "the org below you (or below someone else)"},
    {"/team requests",
     "requests waiting for you: to accept, to approve (admins), or that you made"},
    {"/team accept [N]", "accept request N (the same as its Accept button)"},
    {"/team decline [N]", "decline request N, or withdraw one you made"},
    {"/team approve N", "admins: approve a request about someone with reports"},
    {"/team role @person manager|director|none", "admins: set a role the tree doesn't show"},
    {"/team mentor @mentor @mentee",
     "a standing mentor for someone in your reporting line (admins: anyone), not tied to a "
     "quarter's IDO; one at a time, a new one replaces the old. Both are told by DM. The mentor "
     "can add notes to the mentee's IDO (`/ido note @mentee …`) but does not see their records."},
    {"/team mentor @mentee none",
     "end someone's standing mentorship (also `/team unmentor @mentee`)"},
    {"/team mentors [@person]",
     "who mentors you (or them) and whom you (or they) mentor; with no one named, also the "
     "standing mentors in your org"},
    {"/team help", "this help"},
    {"careerbot import-org file.csv", "the operator: bulk import on the command line"},
};

using text::mention;

std::string joined(const std::vector<std::string>& ids) {
    std::string out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        out += (i == 0 ? "" : i + 1 == ids.size() ? " and " : ", ") + mention(ids[i]);
    }
    return out;
}

class TeamCommand {
  public:
    explicit TeamCommand(Services& s) : s_(s), people_(s.db), requests_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "help") return help_reply("/team — the org chart", kUsage);
        if (cmd == "add") return add(r.user_id, rest);
        if (cmd == "remove") return remove(r.user_id, rest);
        if (cmd == "list") return list(r.user_id, rest);
        if (cmd == "role") return role(r.user_id, rest);
        if (cmd == "mentor") return mentor(r.user_id, rest);
        if (cmd == "unmentor") return mentor(r.user_id, rest + " none");
        if (cmd == "mentors") return mentors(r.user_id, rest);
        if (cmd == "requests") return pending(r.user_id);
        if (cmd == "accept" || cmd == "approve") return answer(r.user_id, rest, true);
        if (cmd == "decline" || cmd == "withdraw") return answer(r.user_id, rest, false);
        throw UserError("I don't know `/team " + blocks::escape(sub) + "`. Try `/team help`.");
    }

    /// The Accept / Decline buttons on a request DM.
    Reply button(const Interaction& in, bool accept) {
        return answer(in.user_id, in.value, accept);
    }

  private:
    Reply add(const std::string& actor, const std::string& args) {
        std::vector<std::string> reports;
        std::string manager = actor;
        auto w = text::words(args);
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (text::lower(w[i]) == "to" && i + 1 < w.size()) {
                auto m = text::mention_id(w[++i]);
                if (!m) throw UserError("After `to`, mention the manager, e.g. `to @dana`.");
                manager = *m;
            } else if (auto id = text::mention_id(w[i])) {
                reports.push_back(*id);
            } else {
                throw UserError("Mention the people to add, e.g. `/team add @alex @sam`.");
            }
        }
        if (reports.empty()) throw UserError("Whom should I add? e.g. `/team add @alex`.");
        if (!learn_person(s_, manager)) throw UserError("That's an app or a bot, not a person.");
        Reply reply;
        std::vector<std::string> done, asked, unchanged;
        for (const auto& report : reports) {
            if (!learn_person(s_, report)) throw UserError("That's an app or a bot, not a person.");
            auto d = org::decide_move(s_, actor, report, manager);
            switch (d.verdict) {
                case org::Verdict::Refuse:
                    throw UserError(d.reason);
                case org::Verdict::Unchanged:
                    unchanged.push_back(report);
                    break;
                case org::Verdict::Apply: {
                    auto dms =
                        org::change_manager(s_, {actor, "org_team_add", {}, {}}, report, manager);
                    for (auto& dm : dms) reply.dms.push_back(std::move(dm));
                    done.push_back(report);
                    break;
                }
                case org::Verdict::NeedsConsent:
                case org::Verdict::NeedsAdmin:
                    ask(actor, report, manager, d, reply);
                    asked.push_back(report);
                    break;
            }
        }
        std::string text;
        if (!done.empty()) {
            text += ":busts_in_silhouette: " + joined(done) +
                    (done.size() == 1 ? " now reports" : " now report") + " to " +
                    mention(manager) + ".";
        }
        if (!asked.empty()) {
            text +=
                std::string(text.empty() ? "" : "\n") + ":envelope: I asked " +
                (asked.size() == 1 ? "about " : "about each of ") + joined(asked) +
                ": reporting to " + mention(manager) + " lets " +
                (manager == actor ? std::string("you") : mention(manager) + " and their chain") +
                " read their career records, so it takes effect once it is accepted. "
                "`/team requests` shows where it stands.";
        }
        if (!unchanged.empty()) {
            text += std::string(text.empty() ? "" : "\n") + joined(unchanged) +
                    (unchanged.size() == 1 ? " already reports" : " already report") + " to " +
                    mention(manager) + ".";
        }
        reply.message = Reply::text(text).message;
        return reply;
    }

    /// Stores a request and DMs whoever must answer it: the subject, or every admin.
    void ask(const std::string& actor, const std::string& subject, const std::string& manager,
             const org::Decision& d, Reply& reply) {
        bool needs_admin = d.verdict == org::Verdict::NeedsAdmin;
        const auto& admins = s_.config.org.admins;
        if (needs_admin && admins.empty()) {
            throw UserError(mention(subject) +
                            " has reports of their own, whose records would "
                            "become visible too, so only an admin can approve this move — and no "
                            "admin is configured (`org.admins`). Ask the operator.");
        }
        storage::OrgRequest req;
        req.requester_id = actor;
        req.subject_id = subject;
        req.manager_id = manager;
        req.from_manager = people_.find(subject)->manager_id;
        req.needs_admin = needs_admin;
        auto now = s_.clock.now();
        int64_t id = requests_.create(req, now);
        std::string n = std::to_string(id);
        storage::AuditRepo(s_.db).record(
            {0, 0, actor, "org_request", subject, "org",
             "request " + n + ": report to " + manager + (needs_admin ? "; needs an admin" : "")},
            now);

        std::string what = mention(actor) + " asks that " +
                           (needs_admin ? mention(subject) : std::string("you")) + " report to " +
                           (manager == actor ? std::string("them") : mention(manager)) + ".";
        std::string sees = "If accepted, " + joined(d.new_viewers) + " will be able to read " +
                           (needs_admin ? "their" : "your") +
                           " brags, feedback, tasks, check-ins and IDO" +
                           (needs_admin ? ", and those of everyone who reports to them." : ".");
        auto message = [&](const std::string& verb) {
            blocks::MessageBuilder b("Org chart request " + n);
            b.add(blocks::section(":busts_in_silhouette: *Request " + n + "* — " + what + "\n" +
                                  sees));
            b.add(blocks::actions(
                json::array({blocks::button(verb, kAcceptAction, n, "primary"),
                             blocks::button("Decline", kDeclineAction, n, "danger")})));
            b.add(blocks::context("Or type `/team " + text::lower(verb) + " " + n +
                                  "` / `/team decline " + n + "`."));
            return std::move(b).build().front();
        };
        if (needs_admin) {
            for (const auto& a : admins) reply.dms.push_back({a, message("Approve")});
        } else {
            reply.dms.push_back({subject, message("Accept")});
        }
    }

    std::optional<int64_t> request_number(const std::string& word) {
        std::string w = word.starts_with("#") ? word.substr(1) : word;
        int64_t n = 0;
        auto [p, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
        if (ec != std::errc() || p != w.data() + w.size() || n <= 0) return std::nullopt;
        return n;
    }

    /// Accept (or approve) or decline a request, by its number or the only one waiting.
    Reply answer(const std::string& user, const std::string& args, bool accept) {
        auto w = text::words(args);
        std::optional<storage::OrgRequest> req;
        if (!w.empty()) {
            auto n = request_number(w[0]);
            if (!n) throw UserError("Give the request's number, e.g. `/team accept 3`.");
            req = requests_.find(*n);
        } else {
            auto mine = requests_.pending_for_subject(user);
            std::erase_if(mine, [](const auto& r) { return r.needs_admin; });
            if (mine.size() != 1) {
                throw UserError(mine.empty() ? "No request is waiting for your answer. "
                                               "`/team requests` lists them."
                                             : "Several requests are waiting; give the number, "
                                               "e.g. `/team accept " +
                                                   std::to_string(mine.front().id) + "`.");
            }
            req = mine.front();
        }
        bool admin = is_admin(s_, user);
        // The requester may withdraw; only the subject (or an admin) may say yes.
        bool may_answer = req && (req->needs_admin ? admin : (user == req->subject_id || admin));
        bool withdraw = req && !accept && user == req->requester_id;
        if (!req || !(may_answer || withdraw)) {
            throw UserError(
                "No such request is waiting for your answer. `/team requests` lists "
                "the ones that are.");
        }
        std::string n = std::to_string(req->id);
        if (req->status != "pending") {
            throw UserError("Request " + n + " is no longer open (" + req->status + ").");
        }
        auto now = s_.clock.now();
        Reply reply;
        auto tell = [&](const std::string& to, const std::string& text) {
            if (to != user) reply.dms.push_back({to, Reply::text(text).message.value()});
        };
        if (!accept) {
            requests_.decide(req->id, withdraw && !may_answer ? "withdrawn" : "declined", user,
                             now);
            storage::AuditRepo(s_.db).record({0, 0, user, "org_request_declined", req->subject_id,
                                              "org", "request " + n + " by " + req->requester_id},
                                             now);
            tell(req->requester_id, ":no_entry_sign: " + mention(user) + " declined request " + n +
                                        " (" + mention(req->subject_id) + " to report to " +
                                        mention(req->manager_id) + ").");
            reply.message = Reply::text("Request " + n + " declined; nothing changed.").message;
            return reply;
        }
        // The chart may have moved since it was asked: the request stands only as it was made.
        auto current = people_.find(req->subject_id)->manager_id;
        auto d = org::decide_move(s_, req->requester_id, req->subject_id, req->manager_id);
        bool stale = current != req->from_manager || d.verdict == org::Verdict::Refuse ||
                     d.verdict == org::Verdict::Unchanged ||
                     (d.verdict == org::Verdict::NeedsAdmin && !admin);
        if (stale) {
            requests_.decide(req->id, "superseded", user, now);
            throw UserError("Request " + n +
                            " no longer fits the org chart (it changed since it was "
                            "asked), so nothing changed. " +
                            mention(req->requester_id) + " can ask again.");
        }
        requests_.decide(req->id, admin && user != req->subject_id ? "approved" : "accepted", user,
                         now);
        auto dms =
            org::change_manager(s_, {req->requester_id, "org_request_accepted", user, req->id},
                                req->subject_id, req->manager_id);
        for (auto& dm : dms) reply.dms.push_back(std::move(dm));
        std::string line = mention(req->subject_id) + " now reports to " +
                           mention(req->manager_id) + " (request " + n + ", " +
                           (user == req->subject_id ? "accepted" : "approved") + " by " +
                           mention(user) + ").";
        tell(req->requester_id, ":white_check_mark: " + line);
        tell(req->subject_id, ":white_check_mark: " + line);
        reply.message = Reply::text(":white_check_mark: " + line).message;
        return reply;
    }

    Reply pending(const std::string& user) {
        std::vector<storage::OrgRequest> to_answer = requests_.pending_for_subject(user);
        std::erase_if(to_answer, [](const auto& r) { return r.needs_admin; });
        std::vector<storage::OrgRequest> to_approve;
        if (is_admin(s_, user)) to_approve = requests_.pending_for_admins();
        auto made = requests_.pending_by(user);
        auto line = [](const storage::OrgRequest& r) {
            return "• *" + std::to_string(r.id) + "* — " + mention(r.subject_id) +
                   " to report to " + mention(r.manager_id) + ", asked by " +
                   mention(r.requester_id) + "\n";
        };
        std::string out;
        if (!to_answer.empty()) {
            out += "*Waiting for your answer* (`/team accept N` or `/team decline N`)\n";
            for (const auto& r : to_answer) out += line(r);
        }
        if (!to_approve.empty()) {
            out += "*Waiting for an admin* (`/team approve N` or `/team decline N`)\n";
            for (const auto& r : to_approve) out += line(r);
        }
        if (!made.empty()) {
            out += "*You asked* (`/team decline N` withdraws)\n";
            for (const auto& r : made) out += line(r);
        }
        if (out.empty()) out = "No org-chart requests are open for you.";
        blocks::MessageBuilder b("Org chart requests");
        b.add_text(out);
        return b.reply();
    }

    Reply remove(const std::string& actor, const std::string& args) {
        auto w = text::words(args);
        if (w.empty()) throw UserError("Whom should I remove? e.g. `/team remove @alex`.");
        Reply reply;
        std::vector<std::string> done;
        for (const auto& word : w) {
            auto id = text::mention_id(word);
            if (!id) throw UserError("Mention the people to remove, e.g. `/team remove @alex`.");
            if (!org::may_remove(s_, actor, *id)) {
                throw UserError(mention(*id) +
                                " is not in your org, so there is nothing to remove.");
            }
            for (auto& dm :
                 org::change_manager(s_, {actor, "org_team_remove", {}, {}}, *id, std::nullopt))
                reply.dms.push_back(std::move(dm));
            done.push_back(*id);
        }
        reply.message = Reply::text(":wave: " + joined(done) + (done.size() == 1 ? " is" : " are") +
                                    " no longer in the org chart under anyone. Their own records "
                                    "stay theirs.")
                            .message;
        return reply;
    }

    void tree(const std::string& id, int depth, std::string& out, int& count,
              const std::map<std::string, std::string>& mentors) {
        if (depth > 12) return;
        for (const auto& r : people_.direct_reports(id)) {
            ++count;
            out += std::string(static_cast<std::size_t>(depth) * 4, ' ') + "• <@" + r.id + ">";
            if (auto role = people_.role(r.id)) out += " _(" + *role + ")_";
            if (auto m = mentors.find(r.id); m != mentors.end())
                out += " · mentor " + mention(m->second);
            out += "\n";
            tree(r.id, depth + 1, out, count, mentors);
        }
    }

    Reply list(const std::string& actor, const std::string& args) {
        std::string root = actor;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) root = *id;
        }
        if (root != actor && !people_.find(root)) {
            throw UserError("I don't know " + mention(root) +
                            ": they are not in careerbot's org "
                            "chart. `/team list` shows yours.");
        }
        std::string body;
        int count = 0;
        tree(root, 0, body, count, storage::MentorRepo(s_.db).all_current());
        std::string chain;
        for (const auto& m : people_.manager_chain(root)) chain += " → <@" + m + ">";
        bool self = root == actor;
        std::string who = self ? "You report" : mention(root) + " reports";
        blocks::MessageBuilder b("Org chart");
        b.add(blocks::section("*Org below " + (self ? std::string("you") : mention(root)) + "* — " +
                              std::to_string(count) + (count == 1 ? " person" : " people")));
        if (count == 0) {
            b.add(blocks::section(self ? "Nobody reports to you yet. `/team add @person` "
                                         "puts someone under you."
                                       : "Nobody reports to them."));
        } else {
            b.add_text(body);
        }
        b.add(blocks::context(chain.empty() ? who + " to nobody in careerbot." : who + chain));
        return b.reply();
    }

    Reply role(const std::string& actor, const std::string& args) {
        if (!is_admin(s_, actor)) {
            throw UserError(
                "Only careerbot admins (listed in the config under `org.admins`) can set roles.");
        }
        auto w = text::words(args);
        if (w.size() != 2 || !text::mention_id(w[0]))
            throw UserError("Use `/team role @person manager|director|none`.");
        std::string id = *text::mention_id(w[0]);
        std::string r = text::lower(w[1]);
        if (r != "manager" && r != "director" && r != "none")
            throw UserError("A role is `manager`, `director` or `none`.");
        if (!learn_person(s_, id)) throw UserError("That's an app or a bot, not a person.");
        auto before = people_.role(id);
        auto after = r == "none" ? std::nullopt : std::optional<std::string>(r);
        if (before != after) {
            people_.set_role(id, after, s_.clock.now());
            storage::AuditRepo(s_.db).record(
                {0, 0, actor, "org_role", id, "org",
                 "role: " + before.value_or("none") + " -> " + after.value_or("none")},
                s_.clock.now());
        }
        return Reply::text(mention(id) + "'s role is now " +
                           (r == "none" ? "whatever the org chart says" : r) + ".");
    }

    /// `/team mentor @mentor @mentee` starts a standing mentorship; `/team mentor @mentee none`
    /// ends one. The mentee's chain or an admin may; the mentor gains no sight of records.
    Reply mentor(const std::string& actor, const std::string& args) {
        auto w = text::words(args);
        std::vector<std::string> ids;
        bool none = false;
        for (const auto& word : w) {
            if (auto id = text::mention_id(word)) {
                ids.push_back(*id);
            } else if (text::lower(word) == "none") {
                none = true;
            } else {
                ids.clear();
                break;
            }
        }
        if (!(ids.size() == 2 && !none) && !(ids.size() == 1 && none)) {
            throw UserError(
                "Use `/team mentor @mentor @mentee` to name someone's standing mentor, or "
                "`/team mentor @mentee none` to end it.");
        }
        const std::string mentee = none ? ids[0] : ids[1];
        if (!is_admin(s_, actor) && !people_.manages(actor, mentee)) {
            // The same words whoever the person is (or isn't), so nothing leaks.
            throw UserError(
                ":lock: You can name a standing mentor for people in your reporting line (your "
                "reports, their reports, and so on); admins for anyone.");
        }
        storage::MentorRepo mentors(s_.db);
        auto before = mentors.current(mentee);
        auto now = s_.clock.now();
        Reply reply;
        auto tell = [&](const std::string& to, const std::string& title, const std::string& body) {
            if (to == actor) return;
            blocks::MessageBuilder b(title);
            b.add(blocks::section(body));
            std::move(b).send_to(to, reply);
        };
        const std::string mentee_name = blocks::escape(people_.display_name(mentee));
        if (none) {
            if (!before) {
                return Reply::text(mention(mentee) + " has no standing mentor; nothing changed.");
            }
            mentors.end(mentee, actor, now);
            storage::AuditRepo(s_.db).record(
                {0, 0, actor, "mentor_end", mentee, "org", "mentor " + before->mentor_id}, now);
            tell(before->mentor_id, "You no longer mentor " + mentee_name,
                 ":wave: " + mention(actor) + " ended your standing mentorship of " +
                     mention(mentee) + ". Thank you for your help.");
            tell(mentee, "Your standing mentorship ended",
                 ":wave: " + mention(actor) + " ended " + mention(before->mentor_id) +
                     "'s standing mentorship of you.");
            reply.message = Reply::text(":wave: " + mention(before->mentor_id) +
                                        " no longer mentors " + mention(mentee) + ".")
                                .message;
            return reply;
        }
        const std::string mentor_id = ids[0];
        if (mentor_id == mentee) {
            throw UserError(
                "A mentor has to be someone other than the mentee: name a colleague whose "
                "skills they want to learn.");
        }
        if (!learn_person(s_, mentee)) throw UserError("That's an app or a bot, not a person.");
        if (!learn_person(s_, mentor_id)) {
            throw UserError(mention(mentor_id) + " is a bot; a mentor has to be a person.");
        }
        if (before && before->mentor_id == mentor_id) {
            return Reply::text(mention(mentor_id) + " already mentors " + mention(mentee) + ".");
        }
        mentors.start(mentee, mentor_id, actor, now);
        storage::AuditRepo(s_.db).record(
            {0, 0, actor, "mentor_set", mentee, "org",
             "mentor " + (before ? before->mentor_id + " -> " : std::string()) + mentor_id},
            now);
        if (before) {
            tell(before->mentor_id, "You no longer mentor " + mentee_name,
                 ":arrows_counterclockwise: " + mention(actor) + " named " + mention(mentor_id) +
                     " as " + mention(mentee) +
                     "'s standing mentor in your place. Thank you for your help.");
        }
        tell(mentor_id, "You are now mentoring " + mentee_name,
             ":handshake: " + mention(actor) + " named you " + mention(mentee) +
                 "'s standing mentor (not tied to a quarter's IDO).\n`/ido note " +
                 mention(mentee) +
                 " <text>` adds a note to their IDO that they and their managers read. Being "
                 "their standing mentor does not share their brags, feedback, tasks, check-ins "
                 "or IDO with you; they can tell you themselves, or name you their IDO's mentor.");
        tell(mentee, "Your standing mentor",
             ":handshake: " + mention(actor) + " named " + mention(mentor_id) +
                 " your standing mentor" +
                 (before ? " (in place of " + mention(before->mentor_id) + ")" : std::string()) +
                 ". They can add notes to your IDO; they do not see your records unless you "
                 "name them your IDO's mentor (`/ido set … mentor " +
                 mention(mentor_id) + "`).");
        reply.message = Reply::text(":handshake: " + mention(mentor_id) + " is now " +
                                    mention(mentee) + "'s standing mentor" +
                                    (before ? " (in place of " + mention(before->mentor_id) + ")"
                                            : std::string()) +
                                    ". Both are told.")
                            .message;
        return reply;
    }

    /// `/team mentors [@person]`: standing mentorships, an org fact like the chart itself.
    Reply mentors(const std::string& actor, const std::string& args) {
        std::string who = actor;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id)
                throw UserError(
                    "`/team mentors` takes at most a person, e.g. `/team mentors @alex`.");
            who = *id;
        }
        storage::MentorRepo repo(s_.db);
        bool self = who == actor;
        std::string out;
        if (auto m = repo.current(who)) {
            out += (self ? "Your standing mentor is " : mention(who) + "'s standing mentor is ") +
                   mention(m->mentor_id) + ".\n";
        } else {
            out +=
                (self ? "You have" : mention(who) + " has") + std::string(" no standing mentor.\n");
        }
        auto mentees = repo.mentees_of(who);
        if (!mentees.empty()) {
            std::vector<std::string> ids;
            for (const auto& m : mentees) ids.push_back(m.mentee_id);
            out += (self ? "You mentor " : mention(who) + " mentors ") + joined(ids) + ".\n";
        }
        if (self) {
            auto below = people_.subtree(actor);
            auto all = repo.all_current();
            std::string org;
            for (const auto& id : below) {
                if (auto it = all.find(id); it != all.end())
                    org += "• " + mention(id) + " — mentor " + mention(it->second) + "\n";
            }
            if (!org.empty()) out += "*Standing mentors in your org*\n" + org;
        }
        out +=
            "_A standing mentor adds notes to the mentee's IDO (`/ido note`); only the IDO's "
            "own mentor sees the IDO._";
        blocks::MessageBuilder b("Mentors");
        b.add_text(out);
        return b.reply();
    }

    Services& s_;
    storage::PeopleRepo people_;
    storage::OrgRequestRepo requests_;
};

}  // namespace

void register_team(App& app) {
    app.command(
        {"/team", "the org chart: add and list reports, answer requests",
         "add @report | list | mentor @m @mentee | mentors | requests | accept N | decline N | "
         "role | help"},
        [](Services& s, const Request& r) { return TeamCommand(s).run(r); });
    app.action(kAcceptAction,
               [](Services& s, const Interaction& in) { return TeamCommand(s).button(in, true); });
    app.action(kDeclineAction,
               [](Services& s, const Interaction& in) { return TeamCommand(s).button(in, false); });
}

}  // namespace careerbot::commands
