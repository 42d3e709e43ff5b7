#pragma once
// What several careerbot instances on one PostgreSQL share beyond the tables: which of them
// runs the reminder scheduler (a session advisory lock), and the announcements that tell it a
// command somewhere planned a reminder (LISTEN/NOTIFY). On SQLite, one process per file, this
// instance always leads and the in-process poke is all there is. See docs/scaling.md.
#include <chrono>

#include "storage/database.hpp"

namespace careerbot::storage {

/// Leadership of the reminder scheduler: on PostgreSQL, held by the instance whose session
/// holds advisory lock kSchedulerLock. The lock belongs to the session, so it is freed when the
/// leader stops, crashes or loses its connection (the server's TCP keepalives notice a vanished
/// machine within about 15 s), and another instance's next hold() takes it. Leadership saves
/// work; it is not what keeps sends exactly-once (the claims in ReminderOutbox do that).
class SchedulerLeadership {
  public:
    /// Uses `db`'s connection (the scheduler's own), from one thread.
    explicit SchedulerLeadership(Database& db) : db_(db) {}

    /// True while this instance leads: takes the lock when it is free, and when it already
    /// held it, checks that the session which took it is still the connection's. A database
    /// error means "not leading" (and the next call tries again); it never throws.
    bool hold();
    /// Gives leadership up (at shutdown), so another instance takes over at its next try.
    void release();

  private:
    Database& db_;
    long session_ = -1;  ///< the session that holds the lock; -1: not held
};

/// Tells the instances that reminders were planned (NOTIFY careerbot_reminders): delivered
/// when the current transaction commits, or at once outside one. Does nothing on SQLite.
void announce_reminders_planned(Database& db);

/// Waits for announce_reminders_planned() from any instance, on a connection of its own.
class ReminderAnnouncements {
  public:
    /// LISTENs on `db`, which then serves only this.
    explicit ReminderAnnouncements(Database& db);
    /// Waits up to `timeout`: true when an announcement came, or when the connection was
    /// opened again (announcements may have been missed meanwhile). Throws StorageError when
    /// the server cannot be reached; the next call tries again.
    bool wait(std::chrono::milliseconds timeout);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
