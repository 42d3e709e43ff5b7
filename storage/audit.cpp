#include "storage/audit.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {

void AuditRepo::record(AuditEntry e, TimePoint now) {
    if (e.at == 0) e.at = to_unix(now);
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO audit_log (at, actor, action, subject, scope, detail) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
    q.bind(1, e.at);
    q.bind(2, e.actor);
    q.bind(3, e.action);
    q.bind(4, e.subject);
    q.bind(5, e.scope);
    q.bind(6, e.detail);
    q.exec();
}

namespace {

// One fixed statement per leading filter, so each reads through its own index; the other
// filters are bound parameters that may be NULL. No SQL is ever assembled from values.
constexpr const char* kBySubject =
    "WITH RECURSIVE chain(id) AS ("
    "  SELECT manager_id FROM people WHERE id = :subject AND manager_id IS NOT NULL"
    "  UNION SELECT p.manager_id FROM people p JOIN chain c ON p.id = c.id"
    "  WHERE p.manager_id IS NOT NULL) "
    "SELECT id, at, actor, action, subject, scope, detail FROM audit_log "
    "WHERE (subject = :subject OR (subject = 'all' AND scope IN "
    "       (SELECT 'org:' || id FROM chain))) "
    "  AND (:actor IS NULL OR actor = :actor) AND at >= :since "
    "ORDER BY at DESC, id DESC LIMIT :limit";
constexpr const char* kByActor =
    "SELECT id, at, actor, action, subject, scope, detail FROM audit_log "
    "WHERE actor = :actor AND at >= :since ORDER BY at DESC, id DESC LIMIT :limit";
constexpr const char* kByTime =
    "SELECT id, at, actor, action, subject, scope, detail FROM audit_log "
    "WHERE at >= :since ORDER BY at DESC, id DESC LIMIT :limit";

}  // namespace

std::vector<AuditEntry> AuditRepo::list(const AuditQuery& query) {
    const char* sql = query.subject ? kBySubject : query.actor ? kByActor : kByTime;
    SQLite::Statement q(db_.sql(), sql);
    if (query.subject) q.bind(":subject", *query.subject);
    if (query.actor) {
        q.bind(":actor", *query.actor);
    } else if (query.subject) {
        q.bind(":actor");  // NULL: any actor
    }
    q.bind(":since", query.since);
    q.bind(":limit", query.limit);
    std::vector<AuditEntry> out;
    while (q.executeStep()) {
        out.push_back(AuditEntry{q.getColumn(0).getInt64(), q.getColumn(1).getInt64(),
                                 q.getColumn(2).getString(), q.getColumn(3).getString(),
                                 q.getColumn(4).getString(), q.getColumn(5).getString(),
                                 q.getColumn(6).getString()});
    }
    return out;
}

}  // namespace careerbot::storage
