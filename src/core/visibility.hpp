#pragma once
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace careerbot {

/// The kinds of career record the visibility rules distinguish.
enum class RecordKind { Brag, Feedback, Task, Checkin, Ido, IdoProgress };

/// Who else is attached to a particular record, when it matters to the rules.
struct RecordParties {
    std::optional<std::string> author_id;  ///< feedback: whoever wrote it
    std::optional<std::string> mentor_id;  ///< IDO: the quarter's mentor
};

/// The one place that decides who may read whose career data (SPEC "Who may see what"):
/// the person, their manager chain, the IDO's mentor (IDO and its progress only), and the
/// author of a piece of feedback. Admins get no exception.
class Visibility {
public:
    explicit Visibility(storage::Database& db) : db_(db) {}

    /// True when `viewer` may read the `kind` record about `subject`.
    bool can_read(const std::string& viewer, const std::string& subject, RecordKind kind,
                  const RecordParties& parties = {});

    /// Throws UserError with a message that never reveals whether a record exists.
    void require_read(const std::string& viewer, const std::string& subject, RecordKind kind,
                      const RecordParties& parties = {});

    /// The refusal shown when someone asks for records they may not see.
    static std::string refusal(RecordKind kind);

private:
    storage::Database& db_;
};

}  // namespace careerbot
