// App Home: each person's dashboard (recent brags, open tasks, IDO, feedback, next check-in,
// next 1:1) and, for managers, a table of every direct report's open tasks and IDO.
#include <map>

#include <nlohmann/json.hpp>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/text.hpp"
#include "src/scheduler/messages.hpp"
#include "src/scheduler/occurrence.hpp"
#include "storage/brags.hpp"
#include "storage/checkins.hpp"
#include "storage/feedback.hpp"
#include "storage/idos.hpp"
#include "storage/internships.hpp"
#include "storage/mentors.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/tasks.hpp"

namespace careerbot::commands {
namespace {
using nlohmann::json;

using text::clip;

/// HOOK for the 1:1 schedule (/1on1): returns the mrkdwn line about the person's next 1:1.
/// Until 1:1 storage exists this says none is scheduled; replace the body, keep the name.
std::string next_one_on_one_line(Services& s, const std::string& user_id) {
    auto now = s.clock.now();
    std::optional<std::pair<TimePoint, storage::OneOnOne>> soonest;
    for (const auto& sch : storage::ScheduleRepo(s.db).active_for(user_id)) {
        TimePoint when = scheduler::next_live_occurrence(sch, now);
        if (!soonest || when < soonest->first) soonest.emplace(when, sch);
    }
    if (!soonest) {
        return ":handshake: *Next 1:1:* none scheduled — managers use `/1on1 schedule @report "
               "<weekday> <time>`";
    }
    const auto& sch = soonest->second;
    std::string other = sch.manager_id == user_id ? sch.report_id : sch.manager_id;
    return ":handshake: *Next 1:1:* with <@" + other + "> " +
           scheduler::slack_time(soonest->first, sch.tz);
}

class HomeView {
  public:
    HomeView(Services& s, std::string user) : s_(s), user_(std::move(user)), people_(s.db) {}

    json build() {
        auto day = today();
        Quarter q = quarter_of(day, s_.config.org.fiscal_year_start_month);
        const std::string iso_today = iso_day(day);
        add(blocks::header("Your careerbot"));
        add(blocks::section(next_one_on_one_line(s_, user_)));

        storage::BragRepo brags(s_.db);
        storage::BragQuery recent{user_, "", "", 5, 0};
        int total = brags.count(recent);
        std::string b = ":trophy: *Recent brags* (" + std::to_string(total) + " in all)\n";
        for (const auto& br : brags.list(recent)) {
            b += "• " + br.happened_on + " — " + blocks::escape(clip(br.text, 200)) + "\n";
        }
        if (total == 0) b += "Nothing yet — `/brag <what you did>`.";
        add(blocks::section(b));

        storage::TaskRepo tasks(s_.db);
        auto open = tasks.open_for(user_);
        std::string t =
            ":ballot_box_with_check: *Open tasks* (" + std::to_string(open.size()) + ")\n";
        for (std::size_t i = 0; i < open.size() && i < 8; ++i) {
            t += task_line(open[i], iso_today) + "\n";
        }
        if (open.size() > 8) t += "… `/task list` shows all.";
        if (open.empty()) t += "None open.";
        add(blocks::section(t));

        add(blocks::section(":dart: *IDO " + q.label() + ":* " + ido_text(user_, q)));
        if (auto intern = storage::InternshipRepo(s_.db).live_for(user_)) {
            add(blocks::section(":mortar_board: *Internship for learning:* " +
                                scheduler::internship_line(*intern, iso_today)));
        }

        storage::FeedbackRepo feedback(s_.db);
        auto since = std::chrono::duration_cast<std::chrono::seconds>(
                         date::sys_days{q.first}.time_since_epoch())
                         .count();
        std::string f = ":speech_balloon: *Feedback:* " +
                        std::to_string(feedback.count_received(user_, since)) + " this quarter, " +
                        std::to_string(feedback.count_received(user_)) + " in all";
        auto next = storage::CheckinRepo(s_.db).next_due(user_);
        f += "\n:calendar: *Next check-in:* " +
             (next ? *next + (*next < iso_today ? " (overdue)" : "")
                   : std::string("not planned — `/checkin`"));
        add(blocks::section(f));

        auto reports = people_.direct_reports(user_);
        if (!reports.empty()) manager_table(reports, q);
        return json{{"type", "home"}, {"blocks", blocks_}};
    }

  private:
    void manager_table(const std::vector<storage::Person>& reports, const Quarter& q) {
        add(blocks::divider());
        add(blocks::header("Your reports"));
        std::vector<std::string> ids;
        for (const auto& r : reports) ids.push_back(r.id);
        // One query for every report's open tasks, already soonest due first per person.
        std::map<std::string, std::vector<storage::Task>> by_person;
        for (auto& task : storage::TaskRepo(s_.db).open_for_people(ids))
            by_person[task.assignee_id].push_back(std::move(task));
        // Keep room for the closing context: the view holds at most 100 blocks.
        const std::size_t budget = blocks::kMaxHomeBlocks - 1;
        std::size_t shown = 0;
        for (const auto& r : reports) {
            if (blocks_.size() >= budget) break;
            const auto& open = by_person[r.id];
            std::string s = "*<@" + r.id + ">* — " + std::to_string(open.size()) + " open";
            // A due date is a day of the report's calendar, which may not be the viewer's.
            const std::string their_today = iso_day(today_for(s_, r.id));
            int overdue = 0;
            for (const auto& task : open) overdue += task.due_on < their_today ? 1 : 0;
            if (overdue > 0) s += ", :warning: " + std::to_string(overdue) + " overdue";
            for (std::size_t i = 0; i < open.size() && i < 3; ++i)
                s += "\n" + task_line(open[i], their_today);
            s += "\n:dart: " + ido_text(r.id, q);
            add(blocks::section(s));
            ++shown;
        }
        if (shown < reports.size()) {
            add(blocks::context("+" + std::to_string(reports.size() - shown) +
                                " more reports — `/task list @person` for each."));
        }
    }

    std::string task_line(const storage::Task& t, const std::string& iso_today) {
        return "• #" + std::to_string(t.number) + " " + blocks::escape(clip(t.text, 150)) +
               " — due " + t.due_on + (t.due_on < iso_today ? " :warning:" : "");
    }

    std::string ido_text(const std::string& person, const Quarter& q) {
        storage::IdoRepo idos(s_.db);
        auto ido = idos.for_quarter(person, q.label());
        auto standing = storage::MentorRepo(s_.db).current(person);
        std::string standing_text;
        if (standing && (!ido || ido->mentor_id != standing->mentor_id))
            standing_text = " · standing mentor <@" + standing->mentor_id + ">";
        if (!ido) {
            return standing ? "none yet — `/ido set`" + standing_text
                            : "none yet (so no mentor) — `/ido set`";
        }
        auto notes = idos.progress(ido->id).size();
        return "“" + blocks::escape(clip(ido->objective, 150)) + "” · mentor <@" + ido->mentor_id +
               ">" + standing_text + " · " + std::to_string(notes) +
               (notes == 1 ? " note" : " notes") + (ido->achieved_at ? " · achieved :tada:" : "");
    }

    void add(json block) {
        // Lines are clipped, but escaping can make a clipped line five times longer.
        for (auto& b : blocks::fit_block(std::move(block))) {
            if (blocks_.size() < blocks::kMaxHomeBlocks) blocks_.push_back(std::move(b));
        }
    }

    date::year_month_day today() { return today_for(s_, user_); }

    Services& s_;
    std::string user_;
    storage::PeopleRepo people_;
    json blocks_ = json::array();
};

}  // namespace

void register_home(App& app) {
    app.event("app_home_opened", [](Services& s, const Event& e) {
        // Slack sends app_home_opened for the Messages tab too; only the Home tab has a view.
        if (!e.body.is_object() || e.body.value("tab", "") != "home" || e.user_id.empty())
            return Reply::none();
        Reply r;
        r.home_view = HomeView(s, e.user_id).build();
        return r;
    });
}

}  // namespace careerbot::commands
