#include "src/core/directory.hpp"

#include "src/core/dates.hpp"
#include "src/core/logging.hpp"
#include "src/scheduler/planning.hpp"

namespace careerbot {

bool learn_person(Services& s, const std::string& user_id) {
    storage::PeopleRepo people(s.db);
    auto known = people.find(user_id);
    // A name equal to the id means nobody has told us the person's name yet.
    if (known && known->name != known->id) return true;
    if (auto u = s.lookup().user(user_id)) {
        if (u->is_bot) return false;
        store_profile(
            s.db, s.config,
            storage::Person{user_id, u->name.empty() ? user_id : u->name, u->real_name, u->tz, {}},
            s.clock.now());
        return true;
    }
    people.ensure(user_id, user_id, s.clock.now());
    return true;
}

bool store_profile(storage::Database& db, const Config& config, const storage::Person& profile,
                   TimePoint now) {
    bool moved = false;
    db.write([&] {
        storage::PeopleRepo people(db);
        auto known = people.find(profile.id);
        std::string before = known ? time_zone_of(db, config, profile.id) : std::string();
        people.upsert_profile(profile, now);
        if (!known) return;
        std::string after = time_zone_of(db, config, profile.id);
        if (after != before) {
            logger("directory")
                ->info("time zone of {} changed from {} to {}", profile.id, before, after);
            moved = scheduler::rezone_reminders(db, config, profile.id, before, after, now) > 0;
        }
    });
    return moved;
}

bool needs_profile(storage::Database& db, const std::string& user_id) {
    auto p = storage::PeopleRepo(db).find(user_id);
    return !p || (p->real_name.empty() && p->tz.empty());
}

std::string time_zone_of(storage::Database& db, const Config& config, const std::string& person) {
    auto p = storage::PeopleRepo(db).find(person);
    return p && !p->tz.empty() ? p->tz : config.org.default_timezone;
}

std::string time_zone_of(Services& s, const std::string& person) {
    return time_zone_of(s.db, s.config, person);
}

date::year_month_day today_for(Services& s, const std::string& person) {
    return local_date(s.clock.now(), time_zone_of(s, person));
}

}  // namespace careerbot
