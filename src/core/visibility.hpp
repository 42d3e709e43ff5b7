#pragma once
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace careerbot {

/// The kinds of career record the visibility rules distinguish. Each names what was asked
/// for in a refusal, so a read of tasks is never refused with words about brags.
enum class RecordKind {
    Brag,
    Feedback,
    Task,
    Checkin,
    Ido,
    IdoProgress,
    BragDocument,       ///< `/brag export`: brags and feedback together; read like brags
    Cert,               ///< training and certifications; read like brags
    Promotion,          ///< level, readiness and petitions (`/promo status`); read like brags
    OneOnOnePrep,       ///< a 1:1's preparation (brags, feedback, tasks); read like tasks
    MentorNote,         ///< a mentor's note on an IDO: the person, their chain and its author
    PerformanceFactor,  ///< a quarterly review's performance factor: the person and chain only
};

/// Who else is attached to a particular record, when it matters to the rules.
struct RecordParties {
    std::optional<std::string> author_id;  ///< feedback, a mentor note: whoever wrote it
    std::optional<std::string> mentor_id;  ///< IDO: the quarter's mentor
};

/// The one place that decides who may read whose career data (SPEC "Who may see what"):
/// the person, their manager chain, the IDO's mentor (IDO and its progress only), and the
/// author of a piece of feedback or of a mentor note. A standing mentor (`/team mentor`) gets
/// no exception, and neither do admins.
class Visibility {
  public:
    explicit Visibility(storage::Database& db) : db_(db) {}

    /// True when `viewer` may read the `kind` record about `subject`.
    bool can_read(const std::string& viewer, const std::string& subject, RecordKind kind,
                  const RecordParties& parties = {});

    /// Throws UserError with a message that never reveals whether a record exists.
    void require_read(const std::string& viewer, const std::string& subject, RecordKind kind,
                      const RecordParties& parties = {});

    /// The refusal shown when someone asks for records they may not see: it names `kind` and
    /// who may see it, and is the same whether or not the person or the record exists.
    static std::string refusal(RecordKind kind);

  private:
    storage::Database& db_;
};

}  // namespace careerbot
