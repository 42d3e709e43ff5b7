#pragma once
// Handlers ask Slack things (a reacted message, a profile) through Lookup. Those calls block for
// as long as Slack takes, so they must never run inside a write transaction: every other
// envelope's commit, and its ack, would wait behind them. In the bot, handlers run with a
// PrefetchedLookup: it answers from what was fetched before, and a question not fetched yet
// throws LookupNeeded. The storage thread then rolls that handler back, stores the envelope with
// its question (storage/envelope_inbox), acks it, asks Slack outside the write, and runs the
// handler again with the answer, as many rounds as the handler has questions.
#include <exception>
#include <string>

#include <nlohmann/json.hpp>

#include "src/core/lookup.hpp"
#include "src/core/request.hpp"

namespace careerbot {

/// One question to Slack: kind "user" (a = user id), "message" or "permalink" (a = channel,
/// b = message ts).
struct LookupQuestion {
    std::string kind;
    std::string a;
    std::string b;

    /// The key its answer is stored under, e.g. "user:U123".
    std::string key() const;
    nlohmann::json to_json() const;
    static LookupQuestion from_json(const nlohmann::json& j);
};

/// Thrown by PrefetchedLookup for a question it has no answer to yet.
class LookupNeeded : public std::exception {
  public:
    explicit LookupNeeded(LookupQuestion q) : question(std::move(q)) {}
    const char* what() const noexcept override { return "a Slack lookup is needed first"; }
    LookupQuestion question;
};

/// Answers from `answers` (key → answer JSON; null means Slack had none). A missing key throws
/// LookupNeeded, or answers "none" once `final_round` is set (the handler then carries on
/// without it, as when Slack is unreachable).
class PrefetchedLookup final : public Lookup {
  public:
    explicit PrefetchedLookup(nlohmann::json answers = nlohmann::json::object(),
                              bool final_round = false)
        : answers_(std::move(answers)), final_round_(final_round) {}

    std::optional<std::string> permalink(const std::string& channel,
                                         const std::string& ts) override;
    std::optional<SlackMessage> message(const std::string& channel, const std::string& ts) override;
    std::optional<SlackUser> user(const std::string& id) override;

    const nlohmann::json& answers() const { return answers_; }

    /// The answer JSON of `q` from a live Lookup (blocking): what the storage thread must not do.
    static nlohmann::json fetch(Lookup& live, const LookupQuestion& q);

  private:
    const nlohmann::json* find(const LookupQuestion& q);
    nlohmann::json answers_;
    bool final_round_;
};

// The envelope items as JSON, so one waiting for Slack can be stored and resumed after a restart.
nlohmann::json to_json(const Request& r);
nlohmann::json to_json(const Event& e);
nlohmann::json to_json(const Interaction& in);
Request request_from_json(const nlohmann::json& j);
Event event_from_json(const nlohmann::json& j);
Interaction interaction_from_json(const nlohmann::json& j);

}  // namespace careerbot
