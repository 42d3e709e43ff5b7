#include "storage/feedback.hpp"

#include <SQLiteCpp/Statement.h>

#include "storage/people.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kColumns =
    "id, subject_id, number, author_id, saved_by, text, source, channel_id, channel_name, "
    "message_ts, permalink, posted_at, created_at, edited_at, hidden_at";

Feedback read_feedback(SQLite::Statement& q) {
    Feedback f;
    f.id = q.getColumn(0).getInt64();
    f.subject_id = q.getColumn(1).getString();
    f.number = q.getColumn(2).getInt();
    f.author_id = q.getColumn(3).getString();
    f.saved_by = q.getColumn(4).getString();
    f.text = q.getColumn(5).getString();
    f.source = q.getColumn(6).getString();
    f.channel_id = q.getColumn(7).getString();
    f.channel_name = q.getColumn(8).getString();
    if (!q.getColumn(9).isNull()) f.message_ts = q.getColumn(9).getString();
    f.permalink = q.getColumn(10).getString();
    f.posted_at = q.getColumn(11).getInt64();
    f.created_at = q.getColumn(12).getInt64();
    if (!q.getColumn(13).isNull()) f.edited_at = q.getColumn(13).getInt64();
    if (!q.getColumn(14).isNull()) f.hidden_at = q.getColumn(14).getInt64();
    return f;
}

std::vector<Feedback> read_all(SQLite::Statement& q) {
    std::vector<Feedback> out;
    while (q.executeStep()) out.push_back(read_feedback(q));
    return out;
}

}  // namespace

std::pair<Feedback, bool> FeedbackRepo::add(Feedback f, TimePoint now) {
    bool inserted = false;
    db_.write([&] {
        if (f.message_ts) {
            SQLite::Statement existing(db_.sql(), std::string("SELECT ") + kColumns +
                                                      " FROM feedback WHERE subject_id = ? AND "
                                                      "channel_id = ? AND message_ts = ?");
            existing.bind(1, f.subject_id);
            existing.bind(2, f.channel_id);
            existing.bind(3, *f.message_ts);
            if (existing.executeStep()) {
                f = read_feedback(existing);
                return;
            }
        }
        SQLite::Statement q(db_.sql(),
                            "INSERT INTO feedback (subject_id, number, author_id, saved_by, text, "
                            "source, channel_id, channel_name, message_ts, permalink, posted_at, "
                            "created_at) VALUES (?, (SELECT COALESCE(MAX(number), 0) + 1 FROM "
                            "(SELECT number FROM feedback WHERE subject_id = ?2 UNION ALL "
                            "SELECT number FROM feedback_retired WHERE subject_id = ?2)), "
                            "?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            "RETURNING id, number");
        q.bind(1, f.subject_id);
        q.bind(2, f.subject_id);
        q.bind(3, f.author_id);
        q.bind(4, f.saved_by);
        q.bind(5, f.text);
        q.bind(6, f.source);
        q.bind(7, f.channel_id);
        q.bind(8, f.channel_name);
        if (f.message_ts)
            q.bind(9, *f.message_ts);
        else
            q.bind(9);
        q.bind(10, f.permalink);
        q.bind(11, f.posted_at);
        q.bind(12, to_unix(now));
        q.executeStep();
        f.id = q.getColumn(0).getInt64();
        f.number = q.getColumn(1).getInt();
        f.created_at = to_unix(now);
        inserted = true;
    });
    return {f, inserted};
}

std::vector<Feedback> FeedbackRepo::received(const std::string& subject_id, int64_t since,
                                             int limit) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM feedback WHERE subject_id = ? AND posted_at >= ? "
                                       "ORDER BY posted_at DESC, number DESC LIMIT ?");
    q.bind(1, subject_id);
    q.bind(2, since);
    q.bind(3, limit);
    return read_all(q);
}

std::vector<Feedback> FeedbackRepo::for_document(const std::string& subject_id, int64_t since,
                                                 int limit) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM feedback WHERE subject_id = ? AND posted_at >= ? "
                                       "AND hidden_at IS NULL "
                                       "ORDER BY posted_at DESC, number DESC LIMIT ?");
    q.bind(1, subject_id);
    q.bind(2, since);
    q.bind(3, limit);
    return read_all(q);
}

std::optional<Feedback> FeedbackRepo::find(const std::string& subject_id, int number) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM feedback WHERE subject_id = ? AND number = ?");
    q.bind(1, subject_id);
    q.bind(2, number);
    if (!q.executeStep()) return std::nullopt;
    return read_feedback(q);
}

bool FeedbackRepo::set_text(const std::string& subject_id, int number, const std::string& text,
                            TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE feedback SET text = ?, edited_at = ? WHERE subject_id = ? AND "
                        "number = ?");
    q.bind(1, text);
    q.bind(2, to_unix(now));
    q.bind(3, subject_id);
    q.bind(4, number);
    return q.exec() > 0;
}

bool FeedbackRepo::remove(const std::string& subject_id, int number) {
    bool removed = false;
    db_.write([&] {
        SQLite::Statement del(db_.sql(),
                              "DELETE FROM feedback WHERE subject_id = ? AND number = ?");
        del.bind(1, subject_id);
        del.bind(2, number);
        if (del.exec() == 0) return;
        SQLite::Statement keep(db_.sql(),
                               "INSERT OR IGNORE INTO feedback_retired (subject_id, number) "
                               "VALUES (?, ?)");
        keep.bind(1, subject_id);
        keep.bind(2, number);
        keep.exec();
        removed = true;
    });
    return removed;
}

bool FeedbackRepo::set_hidden(const std::string& subject_id, int number, bool hidden,
                              TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "UPDATE feedback SET hidden_at = CASE WHEN ? THEN ? ELSE NULL END "
                        "WHERE subject_id = ? AND number = ? AND (hidden_at IS NULL) = ?");
    q.bind(1, hidden ? 1 : 0);
    q.bind(2, to_unix(now));
    q.bind(3, subject_id);
    q.bind(4, number);
    q.bind(5, hidden ? 1 : 0);
    return q.exec() > 0;
}

std::vector<Feedback> FeedbackRepo::given(const std::string& author_id, int limit) {
    SQLite::Statement q(db_.sql(), std::string("SELECT ") + kColumns +
                                       " FROM feedback WHERE author_id = ? "
                                       "ORDER BY posted_at DESC, id DESC LIMIT ?");
    q.bind(1, author_id);
    q.bind(2, limit);
    return read_all(q);
}

int FeedbackRepo::count_received(const std::string& subject_id, int64_t since) {
    SQLite::Statement q(db_.sql(),
                        "SELECT count(*) FROM feedback WHERE subject_id = ? AND posted_at >= ?");
    q.bind(1, subject_id);
    q.bind(2, since);
    q.executeStep();
    return q.getColumn(0).getInt();
}

int64_t FeedbackRepo::hold(const PendingFeedback& p, TimePoint now) {
    SQLite::Statement q(db_.sql(),
                        "INSERT INTO pending_feedback (saved_by, author_id, text, channel_id, "
                        "channel_name, message_ts, permalink, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    q.bind(1, p.saved_by);
    q.bind(2, p.author_id);
    q.bind(3, p.text);
    q.bind(4, p.channel_id);
    q.bind(5, p.channel_name);
    q.bind(6, p.message_ts);
    q.bind(7, p.permalink);
    q.bind(8, to_unix(now));
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::optional<PendingFeedback> FeedbackRepo::take(int64_t id, const std::string& saved_by) {
    SQLite::Statement q(
        db_.sql(),
        "DELETE FROM pending_feedback WHERE id = ? AND saved_by = ? RETURNING "
        "id, saved_by, author_id, text, channel_id, channel_name, message_ts, permalink");
    q.bind(1, id);
    q.bind(2, saved_by);
    if (!q.executeStep()) return std::nullopt;
    PendingFeedback p;
    p.id = q.getColumn(0).getInt64();
    p.saved_by = q.getColumn(1).getString();
    p.author_id = q.getColumn(2).getString();
    p.text = q.getColumn(3).getString();
    p.channel_id = q.getColumn(4).getString();
    p.channel_name = q.getColumn(5).getString();
    p.message_ts = q.getColumn(6).getString();
    p.permalink = q.getColumn(7).getString();
    while (q.executeStep()) {
    }
    return p;
}

void FeedbackRepo::prune_pending(TimePoint cutoff) {
    SQLite::Statement q(db_.sql(), "DELETE FROM pending_feedback WHERE created_at < ?");
    q.bind(1, to_unix(cutoff));
    q.exec();
}

}  // namespace careerbot::storage
