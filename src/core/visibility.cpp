#include "src/core/visibility.hpp"

#include "src/core/error.hpp"
#include "storage/people.hpp"

namespace careerbot {

bool Visibility::can_read(const std::string& viewer, const std::string& subject, RecordKind kind,
                          const RecordParties& parties) {
    if (viewer.empty()) return false;
    if (viewer == subject) return true;
    if ((kind == RecordKind::Feedback || kind == RecordKind::MentorNote) && parties.author_id &&
        *parties.author_id == viewer)
        return true;
    if ((kind == RecordKind::Ido || kind == RecordKind::IdoProgress) && parties.mentor_id &&
        *parties.mentor_id == viewer)
        return true;
    return storage::PeopleRepo(db_).manages(viewer, subject);
}

void Visibility::require_read(const std::string& viewer, const std::string& subject,
                              RecordKind kind, const RecordParties& parties) {
    if (!can_read(viewer, subject, kind, parties)) throw UserError(refusal(kind));
}

std::string Visibility::refusal(RecordKind kind) {
    std::string what;
    std::string also;  // who else may read this kind, as can_read() says
    switch (kind) {
        case RecordKind::Brag:
            what = "brags";
            break;
        case RecordKind::BragDocument:
            what = "brag documents";
            break;
        case RecordKind::Feedback:
            what = "feedback";
            also = ", and feedback you wrote yourself";
            break;
        case RecordKind::Task:
            what = "tasks";
            break;
        case RecordKind::Checkin:
            what = "check-ins";
            break;
        case RecordKind::Ido:
        case RecordKind::IdoProgress:
            what = "IDOs (development objectives) and their progress notes";
            also = ", and the IDOs you mentor";
            break;
        case RecordKind::Cert:
            what = "training and certifications";
            break;
        case RecordKind::Promotion:
            what = "promotion status and petitions";
            break;
        case RecordKind::OneOnOnePrep:
            what = "1:1 preparation";
            break;
        case RecordKind::MentorNote:
            what = "mentor notes";
            also = ", and the notes you wrote yourself";
            break;
        case RecordKind::PerformanceFactor:
            what = "performance factors";
            break;
    }
    return ":lock: You can see " + what +
           " only for yourself and for people in your reporting line (your reports, their "
           "reports, and so on)" +
           also + ".";
}

}  // namespace careerbot
