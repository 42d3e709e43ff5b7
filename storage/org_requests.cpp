#include "storage/org_requests.hpp"

#include <SQLiteCpp/Statement.h>

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

OrgRequest read_request(SQLite::Statement& q) {
    OrgRequest r;
    r.id = q.getColumn(0).getInt64();
    r.requester_id = q.getColumn(1).getString();
    r.subject_id = q.getColumn(2).getString();
    r.manager_id = q.getColumn(3).getString();
    if (!q.getColumn(4).isNull()) r.from_manager = q.getColumn(4).getString();
    r.needs_admin = q.getColumn(5).getInt() != 0;
    r.status = q.getColumn(6).getString();
    r.created_at = q.getColumn(7).getInt64();
    if (!q.getColumn(8).isNull()) r.decided_by = q.getColumn(8).getString();
    if (!q.getColumn(9).isNull()) r.decided_at = q.getColumn(9).getInt64();
    return r;
}

}  // namespace

int64_t OrgRequestRepo::create(OrgRequest r, TimePoint now) {
    // One open question per person: a newer request replaces an older one, so an accept can
    // never draw a line its requester has since changed their mind about.
    SQLite::Statement old(db_.sql(),
                          "UPDATE org_requests SET status = 'superseded', decided_at = ? "
                          "WHERE subject_id = ? AND status = 'pending'");
    old.bind(1, to_unix(now));
    old.bind(2, r.subject_id);
    old.exec();
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO org_requests (requester_id, subject_id, manager_id, "
                        "from_manager, needs_admin, created_at) VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, r.requester_id);
    q.bind(2, r.subject_id);
    q.bind(3, r.manager_id);
    if (r.from_manager)
        q.bind(4, *r.from_manager);
    else
        q.bind(4);
    q.bind(5, r.needs_admin ? 1 : 0);
    q.bind(6, to_unix(now));
    q.exec();
    return db_.sql().getLastInsertRowid();
}

std::optional<OrgRequest> OrgRequestRepo::find(int64_t id) {
    SQLite::Statement q(db_.sql(), kById);
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_request(q);
}

std::vector<OrgRequest> OrgRequestRepo::select(const char* sql, const std::string& arg) {
    SQLite::Statement q(db_.sql(), sql);
    if (!arg.empty()) q.bind(1, arg);
    std::vector<OrgRequest> out;
    while (q.executeStep()) out.push_back(read_request(q));
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
    SQLite::Statement q(db_.sql(),
                        "UPDATE org_requests SET status = ?, decided_by = ?, decided_at = ? "
                        "WHERE id = ? AND status = 'pending'");
    q.bind(1, status);
    q.bind(2, by);
    q.bind(3, to_unix(now));
    q.bind(4, id);
    return q.exec() > 0;
}

}  // namespace careerbot::storage
