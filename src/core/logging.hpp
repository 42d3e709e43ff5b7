#pragma once
#include <memory>
#include <string>
#include <string_view>

#include <spdlog/logger.h>
#include <spdlog/sinks/sink.h>

namespace careerbot {

/// Sets up logging for the process: a stderr sink, text or JSON, behind a filter that redacts
/// Slack tokens (xoxb-, xoxp-, xapp-, …) and any secret registered with add_secret().
void init_logging(const std::string& level, const std::string& format);

/// The named logger for an area ("slack", "storage", "scheduler", "app", "console").
std::shared_ptr<spdlog::logger> logger(const std::string& area);

/// Registers a secret value (a token read from the environment) so it is never logged.
void add_secret(std::string secret);

/// Replaces every token-looking substring and registered secret in `text` with "[redacted]".
std::string redact(std::string_view text);

/// Adds a sink (after redaction) to every logger; tests use it to capture log lines.
void add_sink(std::shared_ptr<spdlog::sinks::sink> sink);
/// Removes a sink added with add_sink().
void remove_sink(const std::shared_ptr<spdlog::sinks::sink>& sink);

}  // namespace careerbot
