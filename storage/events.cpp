#include "storage/events.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {

bool ProcessedEventsRepo::remember(const std::string& event_id, TimePoint now) {
    // ON CONFLICT DO NOTHING keeps this one statement: the primary key decides, even when two
    // deliveries of the same event end up in one group commit.
    return db_.prepare(
                  "INSERT INTO processed_events(event_id, received_at) "
                  "VALUES (?, ?) ON CONFLICT DO NOTHING")
               .bind(event_id, now)
               .exec() == 1;
}

bool ProcessedEventsRepo::seen(const std::string& event_id) {
    return db_.prepare("SELECT 1 FROM processed_events WHERE event_id = ?").bind(event_id).step();
}

int ProcessedEventsRepo::prune(TimePoint cutoff) {
    return db_.prepare("DELETE FROM processed_events WHERE received_at < ?").bind(cutoff).exec();
}

int ProcessedEventsRepo::count() {
    auto q = db_.prepare("SELECT count(*) FROM processed_events");
    q.step();
    return q.get<int>(0);
}

}  // namespace careerbot::storage
