// B5: the scheduler with 10,000 recurring 1:1s and 50,000 task due dates in a SQLite file.
// Prints one JSON line per measurement: next_due latency (target <= 1 ms) and the cost of a
// wake-up with k due items, on the full data set and on one a tenth its size, so the reader
// can see the cost follows the due items, not the rows in the table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <sqlite3.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include "src/core/config.hpp"
#include "src/scheduler/occurrence.hpp"
#include "src/scheduler/planning.hpp"
#include "src/scheduler/scheduler.hpp"
#include "storage/database.hpp"
#include "storage/people.hpp"
#include "storage/schedules.hpp"
#include "storage/tasks.hpp"

using namespace careerbot;
using Steady = std::chrono::steady_clock;
using nlohmann::json;

namespace {

/// Sends nothing and answers at once, so the benchmark measures the scheduler and SQLite.
class NullSender final : public scheduler::ReminderSender {
  public:
    std::optional<std::string> send_dm(const std::string&, const Message&,
                                       const std::string&) override {
        ++sent;
        return "1.000001";
    }
    std::optional<std::string> find_sent(const std::string&, const std::string&,
                                         TimePoint) override {
        return std::nullopt;
    }
    long sent = 0;
};

double ms_since(Steady::time_point start) {
    return std::chrono::duration<double, std::milli>(Steady::now() - start).count();
}

TimePoint start_time() {
    return date::sys_days{date::year{2026} / 11 / 20} + std::chrono::hours{10};
}

long reminder_rows(storage::Database& db) {
    auto q = db.prepare("SELECT count(*) FROM reminders");
    q.step();
    return q.get<long>(0);
}

struct Dataset {
    std::filesystem::path path;
    int one_on_ones = 0;
    int tasks = 0;
};

/// Seeds people, 1:1 cadences (with their first reminder planned) and open tasks, then runs
/// the first sync that plans the task nudges.
void seed(const Dataset& d, const Config& config, ManualClock& clock) {
    std::filesystem::remove(d.path);
    storage::Database db(d.path.string());
    db.migrate();
    storage::PeopleRepo people(db);
    storage::ScheduleRepo schedules(db);
    storage::TaskRepo tasks(db);
    const char* zones[] = {"America/New_York", "Europe/Berlin", "Asia/Tokyo", "UTC",
                           "America/Los_Angeles"};
    auto t0 = Steady::now();
    db.write([&] {
        int managers = std::max(1, d.one_on_ones / 10);
        for (int m = 0; m < managers; ++m) {
            auto id = "M" + std::to_string(m);
            people.upsert_profile({id, id, id, zones[m % 5], {}}, clock.now());
        }
        for (int r = 0; r < d.one_on_ones; ++r) {
            auto id = "R" + std::to_string(r);
            auto mgr = "M" + std::to_string(r % managers);
            people.upsert_profile({id, id, id, zones[r % 5], {}}, clock.now());
            people.set_manager(id, mgr, clock.now());
            storage::OneOnOne o;
            o.manager_id = mgr;
            o.report_id = id;
            o.weekday = 1 + r % 5;
            o.minute_of_day = 9 * 60 + (r % 16) * 30;
            o.tz = zones[(r % managers) % 5];
            o.every_weeks = 1 + r % 2;
            o.created_by = mgr;
            o.anchor_on =
                iso_day(scheduler::first_anchor(o.weekday, o.minute_of_day, o.tz, clock.now()));
            o = schedules.create(o, clock.now());
            scheduler::plan_one_on_one(db, config, o, clock.now());
        }
        auto today = date::sys_days{date::year{2026} / 11 / 20};
        for (int i = 0; i < d.tasks; ++i) {
            auto who = "R" + std::to_string(i % d.one_on_ones);
            auto due = date::year_month_day{today + date::days{2 + i % 180}};
            tasks.add(
                {who, who, "task " + std::to_string(i), date::format("%F", due), std::nullopt},
                "bench", clock.now());
        }
    });
    double seed_ms = ms_since(t0);
    NullSender sender;
    scheduler::Scheduler s(db, config, clock, sender);
    t0 = Steady::now();
    int looked = s.sync();
    double sync_ms = ms_since(t0);
    long rows = reminder_rows(db);
    std::printf("%s\n", json{{"bench", "B5"},
                             {"what", "seed"},
                             {"one_on_ones", d.one_on_ones},
                             {"tasks", d.tasks},
                             {"reminder_rows", rows},
                             {"seed_ms", seed_ms},
                             {"first_sync_ms", sync_ms},
                             {"first_sync_rows", looked}}
                            .dump()
                            .c_str());
}

void measure(const Dataset& d, const Config& config) {
    ManualClock clock(start_time());
    seed(d, config, clock);
    storage::Database db(d.path.string());
    NullSender sender;
    scheduler::Scheduler s(db, config, clock, sender);
    long rows = reminder_rows(db);

    // next_due: one MIN over the partial index.
    std::vector<double> us;
    for (int i = 0; i < 2000; ++i) {
        auto t0 = Steady::now();
        auto due = s.next_due();
        us.push_back(std::chrono::duration<double, std::micro>(Steady::now() - t0).count());
        if (!due) std::abort();
    }
    std::sort(us.begin(), us.end());
    std::printf("%s\n", json{{"bench", "B5"},
                             {"what", "next_due"},
                             {"reminder_rows", rows},
                             {"p50_us", us[us.size() / 2]},
                             {"p99_us", us[us.size() * 99 / 100]},
                             {"max_us", us.back()},
                             {"target_ms", 1.0},
                             {"ok", us[us.size() * 99 / 100] <= 1000.0}}
                            .dump()
                            .c_str());

    // An idle wake-up (sync with nothing changed + nothing due).
    {
        auto t0 = Steady::now();
        s.sync();
        auto stats = s.run_due(clock.now() - std::chrono::hours{24});
        std::printf("%s\n", json{{"bench", "B5"},
                                 {"what", "wake"},
                                 {"reminder_rows", rows},
                                 {"due_items", stats.total()},
                                 {"ms", ms_since(t0)}}
                                .dump()
                                .c_str());
    }

    // Wake-ups with k due items: `now` is set to the k-th pending due time.
    for (int k : {10, 100, 1000}) {
        auto q = db.prepare(
            "SELECT due_at FROM reminders WHERE state = 'pending' "
            "ORDER BY due_at LIMIT 1 OFFSET ?");
        if (!q.bind(k - 1).step()) break;
        TimePoint now = from_unix(q.get<int64_t>(0));
        if (now > clock.now()) clock.set(now);
        auto t0 = Steady::now();
        s.sync();
        auto stats = s.run_due(clock.now());
        double ms = ms_since(t0);
        std::printf("%s\n", json{{"bench", "B5"},
                                 {"what", "wake"},
                                 {"reminder_rows", rows},
                                 {"due_items", stats.total()},
                                 {"sent", stats.sent},
                                 {"ms", ms},
                                 {"ms_per_item", stats.total() ? ms / stats.total() : 0.0}}
                                .dump()
                                .c_str());
    }
    std::filesystem::remove(d.path);
    std::filesystem::remove(d.path.string() + "-wal");
    std::filesystem::remove(d.path.string() + "-shm");
}

}  // namespace

int main(int argc, char** argv) {
    // Optional argument: a directory for the database files (default: the temp directory).
    std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path();
    Config config;
    std::printf("%s\n", json{{"bench", "B5"},
                             {"what", "environment"},
                             {"compiler", __VERSION__},
                             {"sqlite", SQLITE_VERSION},
                             {"synchronous", "FULL"},
                             {"journal_mode", "WAL"},
                             {"dir", dir.string()}}
                            .dump()
                            .c_str());
    auto pid = std::to_string(::getpid());
    measure({dir / ("b5-small-" + pid + ".db"), 1000, 5000}, config);
    measure({dir / ("b5-full-" + pid + ".db"), 10000, 50000}, config);
    return 0;
}
