#include "src/scheduler/reminder_host.hpp"

#include <condition_variable>
#include <exception>

#include "src/core/logging.hpp"

namespace careerbot::scheduler {

ReminderHost::ReminderHost(const Config& config, const Clock& clock, ReminderSender& sender,
                           Metrics* metrics, std::shared_ptr<std::mutex> write_gate)
    : config_(config),
      clock_(clock),
      sender_(sender),
      metrics_(metrics),
      write_gate_(std::move(write_gate)) {}

ReminderHost::~ReminderHost() { stop(); }

bool ReminderHost::start() {
    auto log = logger("scheduler");
    if (config_.database.where() == ":memory:") {
        log->info("reminders are off: the database is in memory");
        return false;
    }
    try {
        db_ = std::make_unique<storage::Database>(config_.database.where(),
                                                  config_.database.timeout_ms());
        db_->set_write_gate(write_gate_);
        SchedulerOptions options;
        options.metrics = metrics_;
        if (db_->backend() == storage::Backend::postgresql) {
            // Several instances may share the database: one leads (a session advisory lock),
            // and a claim another instance may still be sending is left alone.
            leadership_ = std::make_unique<storage::SchedulerLeadership>(*db_);
            options.leading = [this] {
                const bool leading = leadership_->hold();
                leading_ = leading;
                return leading;
            };
            options.leader_retry = std::chrono::seconds(config_.reminders.leader_retry_seconds);
            options.claim_timeout = std::chrono::seconds(config_.reminders.claim_timeout_seconds);
        } else {
            leading_ = true;
        }
        service_ = std::make_unique<ReminderService>(*db_, config_, clock_, sender_, options);
    } catch (const std::exception& e) {
        // Commands keep working; only the scheduled DMs wait for the next start.
        log->error("reminders are off: could not open the database for them: {}", e.what());
        return false;
    }
    log->info("reminder scheduler started");
    live_ = service_.get();
    loop_ = std::jthread([this](const std::stop_token& stop) { service_->run(stop); });
    if (leadership_)
        listener_ = std::jthread([this](const std::stop_token& stop) { listen(stop); });
    return true;
}

void ReminderHost::poke() {
    if (auto* service = live_.load()) service->poke();
}

void ReminderHost::planned(storage::Database& writer) {
    poke();
    if (writer.backend() != storage::Backend::postgresql) return;
    try {
        storage::announce_reminders_planned(writer);
    } catch (const std::exception& e) {  // the leader's one-minute wake-up covers it
        logger("scheduler")
            ->warn("could not tell the other instances about planned reminders: {}", e.what());
    }
}

// A command on another instance planned a reminder (NOTIFY), so the loop looks again now if
// it leads. Its own connection; when the database is out of reach it tries again every few
// seconds, and the loop's one-minute wake-up covers what was missed meanwhile.
void ReminderHost::listen(const std::stop_token& stop) {
    std::unique_ptr<storage::Database> db;
    std::unique_ptr<storage::ReminderAnnouncements> announcements;
    bool failing = false;
    while (!stop.stop_requested()) {
        try {
            if (!announcements) {
                db = std::make_unique<storage::Database>(config_.database.where(),
                                                         config_.database.timeout_ms());
                announcements = std::make_unique<storage::ReminderAnnouncements>(*db);
            }
            if (announcements->wait(std::chrono::milliseconds(500))) poke();
            failing = false;
        } catch (const std::exception& e) {
            if (!failing)
                logger("scheduler")->warn("listening for other instances' reminders: {}", e.what());
            failing = true;
            std::mutex m;
            std::unique_lock lock(m);
            std::condition_variable_any().wait_for(lock, stop, std::chrono::seconds(2),
                                                   [] { return false; });
        }
    }
}

void ReminderHost::stop() {
    listener_.request_stop();
    if (listener_.joinable()) listener_.join();
    loop_.request_stop();
    if (loop_.joinable()) loop_.join();
    live_ = nullptr;
    // Another instance takes the reminders over at its next try, not after a timeout.
    if (leadership_) leadership_->release();
    leading_ = false;
}

}  // namespace careerbot::scheduler
