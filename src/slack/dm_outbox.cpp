#include "src/slack/dm_outbox.hpp"

#include "src/core/logging.hpp"
#include "src/slack/commit_queue.hpp"

namespace careerbot::slack {

namespace {

/// How long a DM stays worth sending.
constexpr auto kOutboxUseful = std::chrono::hours(24);
/// How often DMs Slack could not take yet are tried again.
constexpr auto kOutboxRetryEvery = std::chrono::minutes(1);

}  // namespace

DmOutbox::DmOutbox(SendOnce send, std::function<void(int64_t)> finished)
    : send_once_(std::move(send)), finished_(std::move(finished)) {}

void DmOutbox::send_new(std::vector<std::pair<storage::OutboxRow, DirectMessage>> dms) {
    std::vector<Item> items;
    for (auto& entry : dms)
        items.push_back({entry.first.id, entry.first.key, entry.second.user_id,
                         std::move(entry.second.message), 0, false});
    send(std::move(items));
}

void DmOutbox::send(std::vector<Item> items) {
    {
        std::lock_guard lock(mutex_);
        std::erase_if(items, [&](const Item& it) { return !in_flight_.insert(it.id).second; });
    }
    if (!items.empty()) send_from(std::make_shared<std::vector<Item>>(std::move(items)), 0);
}

void DmOutbox::send_from(const std::shared_ptr<std::vector<Item>>& items, std::size_t i) {
    if (i >= items->size()) return;
    const Item& it = (*items)[i];
    send_once_(it.user, it.message, it.key, it.since_unix, it.check_first,
               [this, items, i](bool finished) {
                   const int64_t id = (*items)[i].id;
                   {
                       std::lock_guard lock(mutex_);
                       in_flight_.erase(id);
                   }
                   if (finished) finished_(id);
                   send_from(items, i + 1);
               });
}

void DmOutbox::resend(storage::Database& db, TimePoint now, std::chrono::seconds min_age) {
    auto log = logger("slack");
    std::vector<storage::OutboxRow> rows;
    try {
        rows = storage::OutboxRepo(db).all();
        std::vector<int64_t> expired;
        for (const auto& r : rows)
            if (now - r.created_at > kOutboxUseful) expired.push_back(r.id);
        if (!expired.empty()) {
            db.write([&] {
                for (auto id : expired) storage::OutboxRepo(db).remove(id);
            });
            log->warn("dropped {} DMs Slack did not take within {} h", expired.size(),
                      std::chrono::duration_cast<std::chrono::hours>(kOutboxUseful).count());
        }
    } catch (const std::exception& e) {
        log->error("could not read the outbox: {}", e.what());
        return;
    }
    std::vector<Item> items;
    for (const auto& r : rows) {
        if (now - r.created_at > kOutboxUseful || now - r.created_at < min_age) continue;
        const int64_t created =
            std::chrono::duration_cast<std::chrono::seconds>(r.created_at.time_since_epoch())
                .count();
        items.push_back({r.id, r.key, r.user_id, outbox_message(r.message), created - 5, true});
    }
    send(std::move(items));
}

void DmOutbox::maybe_resend(storage::Database& db, TimePoint now,
                            std::chrono::steady_clock::time_point steady_now,
                            std::chrono::seconds min_age) {
    if (steady_now - last_retry_ < kOutboxRetryEvery) return;
    last_retry_ = steady_now;
    resend(db, now, min_age);
}

}  // namespace careerbot::slack
