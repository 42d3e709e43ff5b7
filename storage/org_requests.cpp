#include "storage/org_requests.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

// Whole statements as literals: no SQL is ever assembled (tests/unit/test_security.cpp).
#define CAREERBOT_ORG_REQUEST_SELECT                                                       \
    "SELECT id, requester_id, subject_id, manager_id, from_manager, needs_admin, status, " \
    "created_at, decided_by, decided_at FROM org_requests "
constexpr const char* kById = CAREERBOT_ORG_REQUEST_SELECT "WHERE id = ?";
constexpr const char* kPendingForSubject =
    CAREERBOT_ORG_REQUEST_SELECT "WHERE status = 'pending' AND subject_id = ? ORDER BY id";
constexpr const char* kPendingForAdmins =
    CAREERBOT_ORG_REQUEST_SELECT "WHERE status = 'pending' AND needs_admin = 1 ORDER BY id";
constexpr const char* kPendingBy =
    CAREERBOT_ORG_REQUEST_SELECT "WHERE status = 'pending' AND requester_id = ? ORDER BY id";
#undef CAREERBOT_ORG_REQUEST_SELECT

OrgRequest read_request(const Database::Statement& q) {
    OrgRequest r;
    q.read(r.id, r.requester_id, r.subject_id, r.manager_id, r.from_manager, r.needs_admin,
           r.status, r.created_at, r.decided_by, r.decided_at);
    return r;
}

}  // namespace

int64_t OrgRequestRepo::create(const OrgRequest& r, TimePoint now) {
    // One open question per person: a newer request replaces an older one, so an accept can
    // never draw a line its requester has since changed their mind about.
    db_.prepare(
           "UPDATE org_requests SET status = 'superseded', decided_at = ? "
           "WHERE subject_id = ? AND status = 'pending'")
        .bind(now, r.subject_id)
        .exec();
    db_.prepare(
           "INSERT INTO org_requests (requester_id, subject_id, manager_id, "
           "from_manager, needs_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(r.requester_id, r.subject_id, r.manager_id, r.from_manager, r.needs_admin, now)
        .exec();
    return db_.last_insert_id();
}

std::optional<OrgRequest> OrgRequestRepo::find(int64_t id) {
    auto q = db_.prepare(kById);
    if (!q.bind(id).step()) return std::nullopt;
    return read_request(q);
}

std::vector<OrgRequest> OrgRequestRepo::select(const char* sql, const std::string& arg) {
    auto q = db_.prepare(sql);
    if (!arg.empty()) q.bind(arg);
    std::vector<OrgRequest> out;
    while (q.step()) out.push_back(read_request(q));
    return out;
}

std::vector<OrgRequest> OrgRequestRepo::pending_for_subject(const std::string& subject) {
    return select(kPendingForSubject, subject);
}

std::vector<OrgRequest> OrgRequestRepo::pending_for_admins() {
    return select(kPendingForAdmins, "");
}

std::vector<OrgRequest> OrgRequestRepo::pending_by(const std::string& requester) {
    return select(kPendingBy, requester);
}

bool OrgRequestRepo::decide(int64_t id, const std::string& status, const std::string& by,
                            TimePoint now) {
    return db_.prepare(
                  "UPDATE org_requests SET status = ?, decided_by = ?, decided_at = ? "
                  "WHERE id = ? AND status = 'pending'")
               .bind(status, by, now, id)
               .exec() > 0;
}

}  // namespace careerbot::storage
