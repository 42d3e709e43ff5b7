// /team: the org chart — who reports to whom, which drives who may see what.
#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/roles.hpp"
#include "src/core/text.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/team add @report [@report…] [to @manager]", "put people under you (or, as an admin or "
                                                   "their chain, under someone in your org)"},
    {"/team remove @report", "take someone out of your org (they keep their records)"},
    {"/team list [@manager]", "the org below you (or below someone else)"},
    {"/team role @person manager|director|none", "admins: set a role the tree doesn't show"},
    {"/team help", "this help"},
    {"careerbot import-org file.csv", "admins: bulk import on the command line"},
};

class TeamCommand {
public:
    explicit TeamCommand(Services& s) : s_(s), people_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "help") return help_reply("/team — the org chart", kUsage);
        if (cmd == "add") return add(r.user_id, rest);
        if (cmd == "remove") return remove(r.user_id, rest);
        if (cmd == "list") return list(r.user_id, rest);
        if (cmd == "role") return role(r.user_id, rest);
        throw UserError("I don't know `/team " + blocks::escape(sub) + "`. Try `/team help`.");
    }

private:
    /// Someone may place people under `manager` when they are an admin, or `manager` is
    /// themselves or in their org.
    bool may_manage_under(const std::string& actor, const std::string& manager) {
        return is_admin(s_, actor) || actor == manager || people_.manages(actor, manager);
    }

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
        if (!may_manage_under(actor, manager)) {
            throw UserError("You can only add people under yourself or under managers in your org. "
                            "An admin can set up any part of the chart.");
        }
        learn_person(s_, manager);
        std::string done;
        for (const auto& report : reports) {
            if (!learn_person(s_, report)) throw UserError("That's an app or a bot, not a person.");
            auto current = people_.find(report)->manager_id;
            bool may_move = !current || is_admin(s_, actor) || *current == actor ||
                            people_.manages(actor, report);
            if (!may_move) {
                throw UserError("<@" + report + "> already reports to <@" + *current +
                                ">. They, someone above them, or an admin can move them.");
            }
            people_.set_manager(report, manager, s_.clock.now());
            done += (done.empty() ? "" : ", ") + ("<@" + report + ">");
        }
        return Reply::text(":busts_in_silhouette: " + done + (reports.size() == 1 ? " now reports" : " now report") +
                           " to <@" + manager + ">.");
    }

    Reply remove(const std::string& actor, const std::string& args) {
        auto w = text::words(args);
        if (w.empty()) throw UserError("Whom should I remove? e.g. `/team remove @alex`.");
        std::string done;
        for (const auto& word : w) {
            auto id = text::mention_id(word);
            if (!id) throw UserError("Mention the people to remove, e.g. `/team remove @alex`.");
            auto p = people_.find(*id);
            if (!p || !p->manager_id || !(is_admin(s_, actor) || people_.manages(actor, *id))) {
                throw UserError("<@" + *id + "> is not in your org, so there is nothing to remove.");
            }
            people_.set_manager(*id, std::nullopt, s_.clock.now());
            done += (done.empty() ? "" : ", ") + ("<@" + *id + ">");
        }
        return Reply::text(":wave: " + done + " no longer in the org chart under anyone. Their own "
                           "records stay theirs.");
    }

    void tree(const std::string& id, int depth, std::string& out, int& count) {
        if (depth > 12) return;
        for (const auto& r : people_.direct_reports(id)) {
            ++count;
            out += std::string(static_cast<std::size_t>(depth) * 4, ' ') + "• <@" + r.id + ">";
            if (auto role = people_.role(r.id)) out += " _(" + *role + ")_";
            out += "\n";
            tree(r.id, depth + 1, out, count);
        }
    }

    Reply list(const std::string& actor, const std::string& args) {
        std::string root = actor;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) root = *id;
        }
        std::string body;
        int count = 0;
        tree(root, 0, body, count);
        std::string chain;
        for (const auto& m : people_.manager_chain(root)) chain += " → <@" + m + ">";
        std::string who = root == actor ? "You" : "<@" + root + ">";
        blocks::MessageBuilder b("Org chart");
        b.add(blocks::section("*Org below " + (root == actor ? std::string("you") : "<@" + root + ">") +
                              "* — " + std::to_string(count) + (count == 1 ? " person" : " people")));
        if (count == 0) {
            b.add(blocks::section(root == actor ? "Nobody reports to you yet. `/team add @person` "
                                                  "puts someone under you."
                                                : "Nobody reports to them."));
        } else {
            b.add_text(body);
        }
        b.add(blocks::context(chain.empty() ? who + " report to nobody in careerbot."
                                            : who + " report" + (root == actor ? "" : "s") + chain));
        return b.reply();
    }

    Reply role(const std::string& actor, const std::string& args) {
        if (!is_admin(s_, actor)) {
            throw UserError("Only careerbot admins (listed in the config under `org.admins`) can set roles.");
        }
        auto w = text::words(args);
        if (w.size() != 2 || !text::mention_id(w[0]))
            throw UserError("Use `/team role @person manager|director|none`.");
        std::string id = *text::mention_id(w[0]);
        std::string r = text::lower(w[1]);
        if (r != "manager" && r != "director" && r != "none")
            throw UserError("A role is `manager`, `director` or `none`.");
        learn_person(s_, id);
        people_.set_role(id, r == "none" ? std::nullopt : std::optional<std::string>(r), s_.clock.now());
        return Reply::text("<@" + id + ">'s role is now " + (r == "none" ? "whatever the org chart says" : r) + ".");
    }

    Services& s_;
    storage::PeopleRepo people_;
};

}  // namespace

void register_team(App& app) {
    Services& s = app.services();
    app.command({"/team", "the org chart: add and list reports", "add @report | list | role | help"},
                [&s](const Request& r) { return TeamCommand(s).run(r); });
}

}  // namespace careerbot::commands
