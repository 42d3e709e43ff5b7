#include "storage/feedback.hpp"

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, subject_id, number, author_id, saved_by, text, source, channel_id, channel_name, "
    "message_ts, permalink, posted_at, created_at, edited_at, hidden_at";

Feedback read_feedback(const Database::Statement& q) {
    Feedback f;
    q.read(f.id, f.subject_id, f.number, f.author_id, f.saved_by, f.text, f.source, f.channel_id,
           f.channel_name, f.message_ts, f.permalink, f.posted_at, f.created_at, f.edited_at,
           f.hidden_at);
    return f;
}

std::vector<Feedback> read_all(Database::Statement& q) {
    std::vector<Feedback> out;
    while (q.step()) out.push_back(read_feedback(q));
    return out;
}

}  // namespace

std::pair<Feedback, bool> FeedbackRepo::add(Feedback f, TimePoint now) {
    bool inserted = false;
    db_.write([&] {
        if (f.message_ts) {
            auto existing = db_.prepare(std::string("SELECT ") + kColumns +
                                        " FROM feedback WHERE subject_id = ? AND "
                                        "channel_id = ? AND message_ts = ?");
            existing.bind(f.subject_id, f.channel_id, *f.message_ts);
            if (existing.step()) {
                f = read_feedback(existing);
                return;
            }
        }
        auto q = db_.prepare(
            "INSERT INTO feedback (subject_id, number, author_id, saved_by, text, "
            "source, channel_id, channel_name, message_ts, permalink, posted_at, "
            "created_at) VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM "
            "(SELECT number FROM feedback WHERE subject_id = ?2 UNION ALL "
            "SELECT number FROM feedback_retired WHERE subject_id = ?2) AS used), "
            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id, number");
        q.bind(f.subject_id, f.subject_id, f.author_id, f.saved_by, f.text, f.source, f.channel_id,
               f.channel_name, f.message_ts, f.permalink, f.posted_at, now)
            .step();
        q.read(f.id, f.number);
        f.created_at = to_unix(now);
        inserted = true;
    });
    return {f, inserted};
}

std::vector<Feedback> FeedbackRepo::received(const std::string& subject_id, int64_t since,
                                             int limit) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM feedback WHERE subject_id = ? AND posted_at >= ? "
                         "ORDER BY posted_at DESC, number DESC LIMIT ?");
    q.bind(subject_id, since, Database::limit(limit));
    return read_all(q);
}

std::vector<Feedback> FeedbackRepo::for_document(const std::string& subject_id, int64_t since,
                                                 int limit) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM feedback WHERE subject_id = ? AND posted_at >= ? "
                         "AND hidden_at IS NULL "
                         "ORDER BY posted_at DESC, number DESC LIMIT ?");
    q.bind(subject_id, since, Database::limit(limit));
    return read_all(q);
}

std::optional<Feedback> FeedbackRepo::find(const std::string& subject_id, int number) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM feedback WHERE subject_id = ? AND number = ?");
    q.bind(subject_id, number);
    if (!q.step()) return std::nullopt;
    return read_feedback(q);
}

bool FeedbackRepo::set_text(const std::string& subject_id, int number, const std::string& text,
                            TimePoint now) {
    auto q = db_.prepare(
        "UPDATE feedback SET text = ?, edited_at = ? WHERE subject_id = ? AND "
        "number = ?");
    q.bind(text, now, subject_id, number);
    return q.exec() > 0;
}

bool FeedbackRepo::remove(const std::string& subject_id, int number) {
    bool removed = false;
    db_.write([&] {
        auto del = db_.prepare("DELETE FROM feedback WHERE subject_id = ? AND number = ?");
        del.bind(subject_id, number);
        if (del.exec() == 0) return;
        auto keep = db_.prepare(
            "INSERT INTO feedback_retired (subject_id, number) "
            "VALUES (?, ?) ON CONFLICT DO NOTHING");
        keep.bind(subject_id, number);
        keep.exec();
        removed = true;
    });
    return removed;
}

bool FeedbackRepo::set_hidden(const std::string& subject_id, int number, bool hidden,
                              TimePoint now) {
    auto q = db_.prepare(
        "UPDATE feedback SET hidden_at = CASE WHEN ? THEN CAST(? AS BIGINT) ELSE NULL END "
        "WHERE subject_id = ? AND number = ? AND (hidden_at IS NULL) = ?");
    q.bind(hidden ? 1 : 0, now, subject_id, number, hidden ? 1 : 0);
    return q.exec() > 0;
}

std::vector<Feedback> FeedbackRepo::given(const std::string& author_id, int limit) {
    auto q = db_.prepare(std::string("SELECT ") + kColumns +
                         " FROM feedback WHERE author_id = ? "
                         "ORDER BY posted_at DESC, id DESC LIMIT ?");
    q.bind(author_id, Database::limit(limit));
    return read_all(q);
}

int FeedbackRepo::count_received(const std::string& subject_id, int64_t since) {
    auto q = db_.prepare("SELECT count(*) FROM feedback WHERE subject_id = ? AND posted_at >= ?");
    q.bind(subject_id, since);
    q.step();
    return q.get<int>(0);
}

int64_t FeedbackRepo::hold(const PendingFeedback& p, TimePoint now) {
    auto q = db_.prepare(
        "INSERT INTO pending_feedback (saved_by, author_id, text, channel_id, "
        "channel_name, message_ts, permalink, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    q.bind(p.saved_by, p.author_id, p.text, p.channel_id, p.channel_name, p.message_ts, p.permalink,
           now);
    q.step();
    return q.get<int64_t>(0);
}

std::optional<PendingFeedback> FeedbackRepo::take(int64_t id, const std::string& saved_by) {
    auto q = db_.prepare(
        "DELETE FROM pending_feedback WHERE id = ? AND saved_by = ? RETURNING "
        "id, saved_by, author_id, text, channel_id, channel_name, message_ts, permalink");
    q.bind(id, saved_by);
    if (!q.step()) return std::nullopt;
    PendingFeedback p;
    q.read(p.id, p.saved_by, p.author_id, p.text, p.channel_id, p.channel_name, p.message_ts,
           p.permalink);
    while (q.step()) {
    }
    return p;
}

void FeedbackRepo::prune_pending(TimePoint cutoff) {
    auto q = db_.prepare("DELETE FROM pending_feedback WHERE created_at < ?");
    q.bind(cutoff);
    q.exec();
}

}  // namespace careerbot::storage
