#pragma once
// Slack waits 3 s for an ack. A slash command or button whose batch has not committed by then
// (a slow disk, another process holding the write lock) is acked empty and answered later
// through its response_url. If careerbot dies in between, that later answer would never come:
// the user was acked and told nothing. The journal keeps, in a small append-only file beside the
// database, each envelope acked before it committed until its answer is on its way. At the next
// start every one left is looked up (storage::EnvelopeInboxRepo::was_committed) and its user
// told, through the response_url Slack honours for 30 minutes, whether it was stored.
// Lines are written with write(2), without fsync: they survive the process being killed, which
// is the failure this guards against, not a power cut.
#include <set>
#include <string>
#include <vector>

#include "src/core/clock.hpp"

namespace careerbot::slack {

class AckJournal {
  public:
    /// One envelope acked before it committed, not yet answered.
    struct Entry {
        std::string envelope_id;
        std::string response_url;
        std::string what;  ///< e.g. "`/brag shipped the …`", for the user's message
        TimePoint acked_at{};
    };

    /// Appends to `path` (created 0600); an empty path keeps nothing (an in-memory database).
    explicit AckJournal(std::string path);
    ~AckJournal();
    AckJournal(const AckJournal&) = delete;
    AckJournal& operator=(const AckJournal&) = delete;

    /// Records an envelope acked before its batch committed.
    void acked_early(const Entry& entry);
    /// Records that the answer of `envelope_id` is on its way (no-op when it was not journaled).
    void resolved(const std::string& envelope_id);
    /// Entries of earlier runs never resolved; empties the file. Call once, at start.
    std::vector<Entry> take_unresolved();
    /// Envelopes journaled and not yet resolved in this run.
    std::size_t open_entries() const { return open_.size(); }

  private:
    void append(const std::string& line);
    std::string path_;
    int fd_ = -1;
    std::set<std::string> open_;
};

}  // namespace careerbot::slack
