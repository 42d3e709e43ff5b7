#include "storage/envelope_inbox.hpp"

#include <cstdio>
#include <random>

#include <nlohmann/json.hpp>

#include "storage/people.hpp"

namespace careerbot::storage {

void EnvelopeInboxRepo::put(const InboxRow& row, TimePoint now) {
    auto st = db_.prepare(
        "INSERT INTO envelope_inbox(envelope_id, kind, item, answers, question, rounds, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(envelope_id) DO UPDATE SET "
        "answers = excluded.answers, question = excluded.question, rounds = excluded.rounds");
    st.bind(row.envelope_id, row.kind, row.item, row.answers, row.question, row.rounds, now).exec();
}

bool EnvelopeInboxRepo::remove(const std::string& envelope_id) {
    auto st = db_.prepare("DELETE FROM envelope_inbox WHERE envelope_id = ?");
    return st.bind(envelope_id).exec() > 0;
}

std::vector<InboxRow> EnvelopeInboxRepo::all() {
    auto st = db_.prepare(
        "SELECT envelope_id, kind, item, answers, question, rounds FROM envelope_inbox "
        "ORDER BY created_at, envelope_id");
    std::vector<InboxRow> out;
    while (st.step()) {
        auto& r = out.emplace_back();
        st.read(r.envelope_id, r.kind, r.item, r.answers, r.question, r.rounds);
    }
    return out;
}

void EnvelopeInboxRepo::record_committed(const std::vector<std::string>& envelope_ids,
                                         TimePoint now) {
    if (envelope_ids.empty()) return;
    // One row per batch, not per envelope: this runs in every group commit.
    auto st = db_.prepare("INSERT INTO committed_envelopes(committed_at, ids) VALUES (?, ?)");
    st.bind(now, nlohmann::json(envelope_ids).dump()).exec();
}

bool EnvelopeInboxRepo::was_committed(const std::string& envelope_id) {
    // Rare (after a crash, per unconfirmed envelope): a scan of an hour of batches is fine.
    auto st = db_.prepare(
        db_.backend() == Backend::sqlite
            ? "SELECT 1 FROM committed_envelopes, json_each(committed_envelopes.ids) "
              "WHERE json_each.value = ? LIMIT 1"
            : "SELECT 1 FROM committed_envelopes, "
              "json_array_elements_text(CAST(committed_envelopes.ids AS json)) AS e(value) "
              "WHERE e.value = ? LIMIT 1");
    return st.bind(envelope_id).step();
}

int EnvelopeInboxRepo::prune_committed(TimePoint cutoff) {
    auto st = db_.prepare("DELETE FROM committed_envelopes WHERE committed_at < ?");
    return st.bind(cutoff).exec();
}

OutboxRow OutboxRepo::add(const std::string& user_id, const std::string& message, TimePoint now) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    char key[40];
    std::snprintf(key, sizeof key, "outbox-%016llx", static_cast<unsigned long long>(rng()));
    auto st =
        db_.prepare("INSERT INTO outbox(key, user_id, message, created_at) VALUES (?, ?, ?, ?)");
    st.bind(key, user_id, message, now).exec();
    return OutboxRow{db_.last_insert_id(), key, user_id, message, now};
}

void OutboxRepo::remove(int64_t id) {
    auto st = db_.prepare("DELETE FROM outbox WHERE id = ?");
    st.bind(id).exec();
}

std::vector<OutboxRow> OutboxRepo::all() {
    auto st = db_.prepare("SELECT id, key, user_id, message, created_at FROM outbox ORDER BY id");
    std::vector<OutboxRow> out;
    while (st.step()) {
        auto& r = out.emplace_back();
        st.read(r.id, r.key, r.user_id, r.message, r.created_at);
    }
    return out;
}

}  // namespace careerbot::storage
