#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "storage/database.hpp"

namespace careerbot::storage {

/// A piece of feedback kept beyond Slack's retention window.
struct Feedback {
    int64_t id = 0;
    std::string subject_id;  ///< whom it is for
    int number = 0;          ///< per subject
    std::string author_id;
    std::string saved_by;
    std::string text;    ///< plain text, mentions resolved to @names
    std::string source;  ///< command, shortcut, reaction, console
    std::string channel_id;
    std::string channel_name;
    std::optional<std::string> message_ts;
    std::string permalink;
    int64_t posted_at = 0;  ///< unix seconds of the original message
    int64_t created_at = 0;
    std::optional<int64_t> edited_at;  ///< when its author last changed the text
    std::optional<int64_t> hidden_at;  ///< when its recipient left it out of their brag document
};

/// A message held while its saver picks whom it is for.
struct PendingFeedback {
    int64_t id = 0;
    std::string saved_by;
    std::string author_id;
    std::string text;
    std::string channel_id;
    std::string channel_name;
    std::string message_ts;
    std::string permalink;
};

/// Reads and writes feedback. Callers check visibility first; this class does not.
class FeedbackRepo {
  public:
    explicit FeedbackRepo(Database& db) : db_(db) {}

    /// Stores `f` (number assigned). When the same Slack message was already saved for the same
    /// person, keeps the existing record and returns it with `inserted` false.
    std::pair<Feedback, bool> add(Feedback f, TimePoint now);
    /// Feedback received by `subject_id`, newest first; `since` (unix seconds) bounds it below.
    std::vector<Feedback> received(const std::string& subject_id, int64_t since = 0,
                                   int limit = -1);
    /// received() without what the recipient hid: what their brag document and promotion
    /// evidence include.
    std::vector<Feedback> for_document(const std::string& subject_id, int64_t since = 0,
                                       int limit = -1);
    /// The recipient's item with this number.
    std::optional<Feedback> find(const std::string& subject_id, int number);
    /// Replaces the text (the author's edit); false if there is no such item.
    bool set_text(const std::string& subject_id, int number, const std::string& text,
                  TimePoint now);
    /// Deletes an item; its number is never given to another item of the same recipient.
    bool remove(const std::string& subject_id, int number);
    /// Hides an item from (or shows it again in) the recipient's brag document; false if there
    /// is no such item or it already was so.
    bool set_hidden(const std::string& subject_id, int number, bool hidden, TimePoint now);
    /// Feedback written by `author_id`, newest first.
    std::vector<Feedback> given(const std::string& author_id, int limit = -1);
    /// How many items `subject_id` received since `since`.
    int count_received(const std::string& subject_id, int64_t since = 0);

    /// Holds a message for the save-as-feedback modal; returns its id.
    int64_t hold(const PendingFeedback& p, TimePoint now);
    /// Takes a held message back if `saved_by` holds it (and forgets it).
    std::optional<PendingFeedback> take(int64_t id, const std::string& saved_by);
    /// Forgets held messages older than `cutoff`.
    void prune_pending(TimePoint cutoff);

  private:
    Database& db_;
};

}  // namespace careerbot::storage
