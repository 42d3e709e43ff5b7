#include "storage/instances.hpp"

#include <cstdint>
#include <exception>

namespace careerbot::storage {
namespace {
/// Advisory lock key of the scheduler's leadership (next to the write and migration locks of
/// storage/pg_connection.cpp).
constexpr int64_t kSchedulerLock = 7227581360518299651;
constexpr const char* kChannel = "careerbot_reminders";
}  // namespace

bool SchedulerLeadership::hold() {
    if (db_.backend() == Backend::sqlite) return true;
    try {
        if (session_ != -1) {
            // A round trip notices a dropped connection (and opens it again, in a new session
            // that holds nothing).
            auto ping = db_.prepare("SELECT 1");
            (void)ping.step();
            if (db_.session() == session_) return true;
            session_ = -1;
        }
        auto q = db_.prepare("SELECT pg_try_advisory_lock(CAST(? AS BIGINT))");
        q.bind(kSchedulerLock);
        if (q.step() && q.get<bool>(0)) session_ = db_.session();
        return session_ != -1;
    } catch (const std::exception&) {
        session_ = -1;
        return false;
    }
}

void SchedulerLeadership::release() {
    if (session_ == -1) return;
    try {
        if (db_.session() == session_) {
            auto q = db_.prepare("SELECT pg_advisory_unlock(CAST(? AS BIGINT))");
            q.bind(kSchedulerLock);
            (void)q.step();
        }
    } catch (const std::exception&) {  // the session ending frees it too
    }
    session_ = -1;
}

void announce_reminders_planned(Database& db) {
    if (db.backend() == Backend::sqlite) return;
    db.exec("NOTIFY careerbot_reminders");  // kChannel
}

ReminderAnnouncements::ReminderAnnouncements(Database& db) : db_(db) { db_.listen(kChannel); }

bool ReminderAnnouncements::wait(std::chrono::milliseconds timeout) {
    return db_.wait_for_notification(timeout);
}

}  // namespace careerbot::storage
