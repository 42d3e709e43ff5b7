#include "src/core/logging.hpp"

#include <iostream>
#include <mutex>
#include <regex>
#include <vector>

#include <spdlog/details/os.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

namespace careerbot {
namespace {

std::mutex secrets_mutex;
std::vector<std::string>& secrets() {
    static std::vector<std::string> all;
    return all;
}

/// Formats each record (text or JSON) after redacting its message, then fans out to sinks.
class RedactingSink final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    explicit RedactingSink(bool json)
        : json_(json),
          text_(std::make_unique<spdlog::pattern_formatter>(
              "%Y-%m-%dT%H:%M:%S.%e%z %^%-5l%$ [%n] %v")) {}

    void set_json(bool json) {
        std::lock_guard lock(mutex_);
        json_ = json;
    }
    void add(std::shared_ptr<spdlog::sinks::sink> s) {
        std::lock_guard lock(mutex_);
        extra_.push_back(std::move(s));
    }
    void remove(const std::shared_ptr<spdlog::sinks::sink>& s) {
        std::lock_guard lock(mutex_);
        std::erase(extra_, s);
    }

  protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        std::string clean = redact(std::string_view(msg.payload.data(), msg.payload.size()));
        spdlog::details::log_msg copy(msg.time, msg.source, msg.logger_name, msg.level, clean);
        std::string line;
        if (json_) {
            nlohmann::json j;
            j["ts"] =
                std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch())
                    .count();
            j["level"] = std::string(spdlog::level::to_string_view(msg.level).data(),
                                     spdlog::level::to_string_view(msg.level).size());
            j["logger"] = std::string(msg.logger_name.data(), msg.logger_name.size());
            j["msg"] = clean;
            line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        } else {
            spdlog::memory_buf_t buf;
            text_->format(copy, buf);
            line.assign(buf.data(), buf.size());
        }
        std::cerr << line;
        for (auto& s : extra_) {
            if (s->should_log(msg.level)) s->log(copy);
        }
    }
    void flush_() override {
        std::cerr.flush();
        for (auto& s : extra_) s->flush();
    }

  private:
    bool json_;
    std::unique_ptr<spdlog::formatter> text_;
    std::vector<std::shared_ptr<spdlog::sinks::sink>> extra_;
};

std::shared_ptr<RedactingSink>& shared_sink() {
    static auto sink = std::make_shared<RedactingSink>(false);
    return sink;
}

spdlog::level::level_enum& current_level() {
    static spdlog::level::level_enum level = spdlog::level::info;
    return level;
}

}  // namespace

std::string redact(std::string_view text) {
    // Slack tokens: bot (xoxb-), user (xoxp-), app-level (xapp-), legacy and config tokens.
    static const std::regex token_re(R"((xox[abeoprs]|xapp)-[A-Za-z0-9-]+)");
    std::string out = std::regex_replace(std::string(text), token_re, "[redacted]");
    std::lock_guard lock(secrets_mutex);
    for (const auto& s : secrets()) {
        if (s.size() < 6) continue;
        for (auto pos = out.find(s); pos != std::string::npos; pos = out.find(s, pos))
            out.replace(pos, s.size(), "[redacted]");
    }
    return out;
}

void add_secret(std::string secret) {
    std::lock_guard lock(secrets_mutex);
    if (!secret.empty()) secrets().push_back(std::move(secret));
}

void init_logging(const std::string& level, const std::string& format) {
    shared_sink()->set_json(format == "json");
    current_level() = spdlog::level::from_str(level);
    spdlog::apply_all(
        [&](const std::shared_ptr<spdlog::logger>& l) { l->set_level(current_level()); });
}

std::shared_ptr<spdlog::logger> logger(const std::string& area) {
    static std::mutex m;
    std::lock_guard lock(m);
    if (auto existing = spdlog::get(area)) return existing;
    auto l = std::make_shared<spdlog::logger>(area, shared_sink());
    l->set_level(current_level());
    l->flush_on(spdlog::level::warn);
    spdlog::register_logger(l);
    return l;
}

void add_sink(std::shared_ptr<spdlog::sinks::sink> sink) { shared_sink()->add(std::move(sink)); }

void remove_sink(const std::shared_ptr<spdlog::sinks::sink>& sink) { shared_sink()->remove(sink); }

}  // namespace careerbot
