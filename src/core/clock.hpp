#pragma once
#include <atomic>
#include <chrono>

namespace careerbot {

using TimePoint = std::chrono::system_clock::time_point;

/// Source of the current time; injected so time-dependent logic is tested without sleeping.
class Clock {
  public:
    virtual ~Clock() = default;
    /// The current wall-clock time (UTC).
    virtual TimePoint now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
  public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

/// A clock that only moves when told to; for tests and for `--now` in console mode.
class ManualClock final : public Clock {
  public:
    explicit ManualClock(TimePoint start) : now_(start.time_since_epoch().count()) {}
    TimePoint now() const override { return TimePoint(TimePoint::duration(now_.load())); }
    /// Moves the clock to `t`.
    void set(TimePoint t) { now_ = t.time_since_epoch().count(); }
    /// Moves the clock forward by `d`.
    void advance(std::chrono::system_clock::duration d) { now_ += d.count(); }

  private:
    std::atomic<TimePoint::rep> now_;
};

/// A clock that starts at a given time and then runs at real speed (console `--now`).
class OffsetClock final : public Clock {
  public:
    explicit OffsetClock(TimePoint start) : offset_(start - std::chrono::system_clock::now()) {}
    TimePoint now() const override { return std::chrono::system_clock::now() + offset_; }

  private:
    std::chrono::system_clock::duration offset_;
};

}  // namespace careerbot
