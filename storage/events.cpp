#include "storage/events.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {

bool ProcessedEventsRepo::remember(const std::string& event_id, TimePoint now) {
    // INSERT OR IGNORE keeps this one statement: the primary key decides, even when two
    // deliveries of the same event end up in one group commit.
    auto st = db_.prepare(
        "INSERT OR IGNORE INTO processed_events(event_id, received_at) "
        "VALUES (?, ?)");
    st->bind(1, event_id);
    st->bind(2, static_cast<int64_t>(to_unix(now)));
    return st->exec() == 1;
}

bool ProcessedEventsRepo::seen(const std::string& event_id) {
    SQLite::Statement st(db_.sql(), "SELECT 1 FROM processed_events WHERE event_id = ?");
    st.bind(1, event_id);
    return st.executeStep();
}

int ProcessedEventsRepo::prune(TimePoint cutoff) {
    auto st = db_.prepare("DELETE FROM processed_events WHERE received_at < ?");
    st->bind(1, static_cast<int64_t>(to_unix(cutoff)));
    return st->exec();
}

int ProcessedEventsRepo::count() {
    return db_.sql().execAndGet("SELECT count(*) FROM processed_events").getInt();
}

}  // namespace careerbot::storage
