#include "storage/mentors.hpp"

#include "src/core/dates.hpp"

namespace careerbot::storage {
namespace {

constexpr const char* kNoteColumns =
    "id, mentee_id, quarter, author_id, note, noted_on, created_at";

std::vector<MentorNote> read_notes(Database::Statement& q) {
    std::vector<MentorNote> out;
    while (q.step()) {
        auto& n = out.emplace_back();
        q.read(n.id, n.mentee_id, n.quarter, n.author_id, n.note, n.noted_on, n.created_at);
    }
    return out;
}

}  // namespace

std::optional<Mentorship> MentorRepo::current(const std::string& mentee_id) {
    auto q = db_.prepare(
        "SELECT id, mentee_id, mentor_id, set_by, started_at FROM mentorships "
        "WHERE mentee_id = ? AND ended_at IS NULL");
    if (!q.bind(mentee_id).step()) return std::nullopt;
    Mentorship m;
    q.read(m.id, m.mentee_id, m.mentor_id, m.set_by, m.started_at);
    return m;
}

Mentorship MentorRepo::start(const std::string& mentee_id, const std::string& mentor_id,
                             const std::string& set_by, TimePoint now) {
    end(mentee_id, set_by, now);
    auto q = db_.prepare(
        "INSERT INTO mentorships (mentee_id, mentor_id, set_by, started_at) "
        "VALUES (?, ?, ?, ?) RETURNING id");
    q.bind(mentee_id, mentor_id, set_by, now).step();
    Mentorship m;
    q.read(m.id);
    m.mentee_id = mentee_id;
    m.mentor_id = mentor_id;
    m.set_by = set_by;
    m.started_at = to_unix(now);
    return m;
}

bool MentorRepo::end(const std::string& mentee_id, const std::string& ended_by, TimePoint now) {
    return db_.prepare(
                  "UPDATE mentorships SET ended_at = ?, ended_by = ? "
                  "WHERE mentee_id = ? AND ended_at IS NULL")
               .bind(now, ended_by, mentee_id)
               .exec() > 0;
}

std::vector<Mentorship> MentorRepo::mentees_of(const std::string& mentor_id) {
    auto q = db_.prepare(
        "SELECT id, mentee_id, mentor_id, set_by, started_at FROM mentorships "
        "WHERE mentor_id = ? AND ended_at IS NULL ORDER BY mentee_id");
    q.bind(mentor_id);
    std::vector<Mentorship> out;
    while (q.step()) {
        auto& m = out.emplace_back();
        q.read(m.id, m.mentee_id, m.mentor_id, m.set_by, m.started_at);
    }
    return out;
}

std::map<std::string, std::string> MentorRepo::all_current() {
    auto q = db_.prepare("SELECT mentee_id, mentor_id FROM mentorships WHERE ended_at IS NULL");
    std::map<std::string, std::string> out;
    while (q.step()) out[q.get<std::string>(0)] = q.get<std::string>(1);
    return out;
}

bool MentorRepo::is_mentor(const std::string& mentor_id, const std::string& mentee_id) {
    auto m = current(mentee_id);
    return m && m->mentor_id == mentor_id;
}

MentorNote MentorRepo::add_note(const std::string& mentee_id, const std::string& quarter,
                                const std::string& author_id, const std::string& note,
                                const std::string& noted_on, TimePoint now) {
    auto q = db_.prepare(
        "INSERT INTO mentor_notes (mentee_id, quarter, author_id, note, noted_on, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
    q.bind(mentee_id, quarter, author_id, note, noted_on, now).step();
    MentorNote n;
    q.read(n.id);
    n.mentee_id = mentee_id;
    n.quarter = quarter;
    n.author_id = author_id;
    n.note = note;
    n.noted_on = noted_on;
    n.created_at = to_unix(now);
    return n;
}

std::vector<MentorNote> MentorRepo::notes(const std::string& mentee_id,
                                          const std::string& quarter) {
    auto q = db_.prepare(std::string("SELECT ") + kNoteColumns +
                         " FROM mentor_notes WHERE mentee_id = ? AND quarter = ? "
                         "ORDER BY created_at DESC, id DESC");
    q.bind(mentee_id, quarter);
    return read_notes(q);
}

std::vector<MentorNote> MentorRepo::notes_since(const std::string& mentee_id, int64_t since) {
    auto q = db_.prepare(std::string("SELECT ") + kNoteColumns +
                         " FROM mentor_notes WHERE mentee_id = ? AND created_at >= ? "
                         "ORDER BY created_at DESC, id DESC");
    q.bind(mentee_id, since);
    return read_notes(q);
}

}  // namespace careerbot::storage
