#include "src/core/org_authority.hpp"

#include <algorithm>

#include "src/core/blocks.hpp"
#include "src/core/roles.hpp"
#include "storage/audit.hpp"
#include "storage/people.hpp"
#include "storage/reminder_outbox.hpp"
#include "storage/schedules.hpp"

namespace careerbot::org {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::string mention(const std::string& id) { return "<@" + id + ">"; }

/// Their manager now (one lookup), or nullopt for nobody or someone unknown.
std::optional<std::string> manager_of(storage::PeopleRepo& people, const std::string& id) {
    auto p = people.find(id);
    return p ? p->manager_id : std::nullopt;
}

}  // namespace

bool is_root(Services& s, const std::string& person) {
    storage::PeopleRepo people(s.db);
    auto p = people.find(person);
    return p && !p->manager_id && !people.direct_reports(person).empty();
}

std::vector<std::string> new_viewers(Services& s, const std::string& subject,
                                     const std::string& manager) {
    storage::PeopleRepo people(s.db);
    auto above_now = people.manager_chain(subject);
    std::vector<std::string> above_after{manager};
    for (auto& m : people.manager_chain(manager)) above_after.push_back(std::move(m));
    std::vector<std::string> out;
    for (const auto& v : above_after) {
        if (v != subject && !contains(above_now, v)) out.push_back(v);
    }
    return out;
}

Decision decide_move(Services& s, const std::string& actor, const std::string& subject,
                     const std::string& manager) {
    storage::PeopleRepo people(s.db);
    Decision d;
    if (subject == manager) {
        d.reason = "Nobody can be their own manager.";
        return d;
    }
    if (people.manages(subject, manager)) {
        d.reason = "That would make a loop in the org chart: " + mention(manager) +
                   " already reports (directly or not) to " + mention(subject) + ".";
        return d;
    }
    auto current = manager_of(people, subject);
    if (current == manager) {
        d.verdict = Verdict::Unchanged;
        return d;
    }
    // Whoever would end up above the subject: placing someone beneath yourself is the move
    // that would hand you their records, so it is refused outright for the people whose
    // records nobody may take: your own chain, an admin, the top of a tree. Admins included.
    std::vector<std::string> above_after{manager};
    for (auto& m : people.manager_chain(manager)) above_after.push_back(std::move(m));
    if (contains(above_after, actor)) {
        if (contains(people.manager_chain(actor), subject)) {
            d.reason = mention(subject) +
                       " is above you in the org chart; nobody can place "
                       "their own manager chain beneath themselves.";
            return d;
        }
        if (is_admin(s, subject)) {
            d.reason = mention(subject) +
                       " is a careerbot admin; nobody can place an admin "
                       "beneath themselves.";
            return d;
        }
        if (is_root(s, subject)) {
            d.reason = mention(subject) +
                       " is at the top of the org chart; nobody can place "
                       "themselves above the top. The operator's org import (`careerbot "
                       "import-org`) draws the top of the tree.";
            return d;
        }
    }
    bool admin = is_admin(s, actor);
    if (!admin) {
        if (manager != actor && !people.manages(actor, manager)) {
            d.reason =
                "You can only add people under yourself or under managers in your org. "
                "An admin can set up any part of the chart.";
            return d;
        }
        if (current && *current != actor && !people.manages(actor, subject)) {
            d.reason = mention(subject) + " already reports to " + mention(*current) +
                       ". Someone above them, or an admin, can move them.";
            return d;
        }
    }
    d.new_viewers = new_viewers(s, subject, manager);
    if (admin || d.new_viewers.empty()) {
        d.verdict = Verdict::Apply;
    } else if (!people.subtree(subject).empty()) {
        // Their reports' records would become visible too, and those people are not asked.
        d.verdict = Verdict::NeedsAdmin;
    } else {
        d.verdict = Verdict::NeedsConsent;
    }
    return d;
}

bool may_remove(Services& s, const std::string& actor, const std::string& subject) {
    storage::PeopleRepo people(s.db);
    auto p = people.find(subject);
    if (!p || !p->manager_id) return false;
    return is_admin(s, actor) || people.manages(actor, subject);
}

std::vector<DirectMessage> record_manager_change(Services& s, const ChangeOrigin& origin,
                                                 const std::string& subject,
                                                 const std::optional<std::string>& before) {
    storage::PeopleRepo people(s.db);
    auto now = s.clock.now();
    auto after = manager_of(people, subject);
    std::vector<DirectMessage> dms;
    if (after == before) return dms;

    std::string detail = "manager: " + before.value_or("none") + " -> " + after.value_or("none");
    if (origin.request_id) detail += "; request " + std::to_string(*origin.request_id);
    if (origin.consent_by) {
        detail += (is_admin(s, *origin.consent_by) && *origin.consent_by != subject
                       ? "; approved by admin "
                       : "; accepted by ") +
                  *origin.consent_by;
    }
    storage::AuditRepo(s.db).record(
        storage::AuditEntry{0, 0, origin.actor, origin.action, subject, "org", detail}, now);

    // A 1:1 only makes sense with someone above you: cadences with people who no longer are
    // end, and both sides hear why instead of the preparation DMs silently stopping.
    storage::ScheduleRepo schedules(s.db);
    storage::ReminderOutbox outbox(s.db);
    auto chain = people.manager_chain(subject);
    for (const auto& c : schedules.active_for(subject)) {
        if (c.report_id != subject || contains(chain, c.manager_id)) continue;
        schedules.cancel(c.id, now);
        outbox.skip_pending("one_on_one", c.id, "reorg", now);
        std::string moved = mention(subject) + (after ? " now reports to " + mention(*after)
                                                      : std::string(" no longer reports to "
                                                                    "anyone in careerbot"));
        Message to_manager;
        to_manager.text = ":arrows_counterclockwise: Your 1:1s with " + mention(subject) +
                          " have ended: " + moved + ". Their preparation DMs stop too.";
        dms.push_back({c.manager_id, to_manager});
        Message to_report;
        to_report.text = ":arrows_counterclockwise: Your 1:1s with " + mention(c.manager_id) +
                         " have ended: you " +
                         (after ? "now report to " + mention(*after)
                                : std::string("no longer report to anyone in careerbot")) +
                         ".";
        dms.push_back({subject, to_report});
    }
    // A first placement by the operator's import is the chart being set up, not a move: the
    // new manager hears about it when someone is moved to them, or accepts to report to them.
    bool first_import = !before && origin.action == "org_import";
    if (after && !first_import && !schedules.active(*after, subject)) {
        Message prompt;
        prompt.text = ":busts_in_silhouette: " + mention(subject) +
                      " now reports to you. Set up your 1:1s so careerbot can prepare each one: "
                      "`/1on1 schedule @" +
                      people.display_name(subject) +
                      blocks::escape(" <weekday> <HH:MM> [every N weeks]`.");
        dms.push_back({*after, prompt});
    }
    return dms;
}

std::vector<DirectMessage> change_manager(Services& s, const ChangeOrigin& origin,
                                          const std::string& subject,
                                          const std::optional<std::string>& manager) {
    storage::PeopleRepo people(s.db);
    auto before = manager_of(people, subject);
    people.set_manager(subject, manager, s.clock.now());
    return record_manager_change(s, origin, subject, before);
}

}  // namespace careerbot::org
