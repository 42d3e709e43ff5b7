#pragma once
// DMs to people leave only through the outbox (storage::OutboxRepo), written with the
// handler's writes. This sends its rows after COMMIT: each exactly once, one after the other
// (so DMs to a person arrive in the order they were decided, whichever Web API worker takes
// each); a row goes once Slack has it or refused it for good. Rows left by a previous run, or
// that Slack could not take yet, are sent again (looked for in the DM first), at most once a
// minute; those older than a day are dropped with a log line.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "src/core/clock.hpp"
#include "src/core/reply.hpp"
#include "storage/database.hpp"
#include "storage/envelope_inbox.hpp"

namespace careerbot::slack {

class DmOutbox {
  public:
    /// Sends one DM (ReplySender::send_dm_once): `done(true)` once the row may go,
    /// `done(false)` when it is to be tried again later.
    using SendOnce =
        std::function<void(const std::string& user, const Message& message, const std::string& key,
                           int64_t since_unix, bool check_first, std::function<void(bool)> done)>;

    /// `finished(id)` is called when row `id` may be removed (Slack has it or refused it).
    DmOutbox(SendOnce send, std::function<void(int64_t)> finished);

    /// The DMs a batch just committed: sent at once.
    void send_new(std::vector<std::pair<storage::OutboxRow, DirectMessage>> dms);
    /// Sends every row in the outbox at least `min_age` old again, each looked for in its DM
    /// first; rows older than a day are removed. On the thread that owns `db` (the storage
    /// thread, or before it runs). With several instances, only the scheduler's leader resends,
    /// and only rows older than any send in progress elsewhere (the claim timeout).
    void resend(storage::Database& db, TimePoint now,
                std::chrono::seconds min_age = std::chrono::seconds(0));
    /// resend(), at most once a minute (measured at `steady_now`).
    void maybe_resend(storage::Database& db, TimePoint now,
                      std::chrono::steady_clock::time_point steady_now,
                      std::chrono::seconds min_age = std::chrono::seconds(0));

  private:
    /// One DM of the outbox on its way.
    struct Item {
        int64_t id = 0;
        std::string key;  ///< in the message metadata
        std::string user;
        Message message;
        int64_t since_unix = 0;  ///< with check_first: where its DM's history is searched from
        bool check_first = false;
    };
    void send(std::vector<Item> items);
    void send_from(const std::shared_ptr<std::vector<Item>>& items, std::size_t i);

    SendOnce send_once_;
    std::function<void(int64_t)> finished_;
    std::mutex mutex_;
    std::set<int64_t> in_flight_;  ///< rows handed to the sender
    std::chrono::steady_clock::time_point last_retry_ = std::chrono::steady_clock::now();
};

}  // namespace careerbot::slack
