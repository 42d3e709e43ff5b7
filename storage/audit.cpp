#include "storage/audit.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {

void AuditRepo::record(AuditEntry e, TimePoint now) {
    if (e.at == 0) e.at = to_unix(now);
    db_.prepare(
           "INSERT INTO audit_log (at, actor, action, subject, scope, detail) "
           "VALUES (?, ?, ?, ?, ?, ?)")
        .bind(e.at, e.actor, e.action, e.subject, e.scope, e.detail)
        .exec();
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
    "  AND (CAST(:actor AS TEXT) IS NULL OR actor = :actor) AND at >= :since "
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
    auto q = db_.prepare(sql);
    if (query.subject) q.bind_named(":subject", *query.subject);
    // With a subject and no actor, NULL: any actor.
    if (query.actor || query.subject) q.bind_named(":actor", query.actor);
    q.bind_named(":since", query.since).bind_named(":limit", query.limit);
    std::vector<AuditEntry> out;
    while (q.step()) {
        auto& e = out.emplace_back();
        q.read(e.id, e.at, e.actor, e.action, e.subject, e.scope, e.detail);
    }
    return out;
}

}  // namespace careerbot::storage
