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
    st->bind(1, row.envelope_id);
    st->bind(2, row.kind);
    st->bind(3, row.item);
    st->bind(4, row.answers);
    st->bind(5, row.question);
    st->bind(6, row.rounds);
    st->bind(7, static_cast<int64_t>(to_unix(now)));
    st->exec();
}

void EnvelopeInboxRepo::remove(const std::string& envelope_id) {
    auto st = db_.prepare("DELETE FROM envelope_inbox WHERE envelope_id = ?");
    st->bind(1, envelope_id);
    st->exec();
}

std::vector<InboxRow> EnvelopeInboxRepo::all() {
    auto st = db_.prepare(
        "SELECT envelope_id, kind, item, answers, question, rounds FROM envelope_inbox "
        "ORDER BY created_at, envelope_id");
    std::vector<InboxRow> out;
    while (st->executeStep()) {
        out.push_back(InboxRow{st->getColumn(0).getString(), st->getColumn(1).getString(),
                               st->getColumn(2).getString(), st->getColumn(3).getString(),
                               st->getColumn(4).getString(), st->getColumn(5).getInt()});
    }
    return out;
}

void EnvelopeInboxRepo::record_committed(const std::vector<std::string>& envelope_ids,
                                         TimePoint now) {
    if (envelope_ids.empty()) return;
    // One row per batch, not per envelope: this runs in every group commit.
    auto st = db_.prepare("INSERT INTO committed_envelopes(committed_at, ids) VALUES (?, ?)");
    st->bind(1, static_cast<int64_t>(to_unix(now)));
    st->bind(2, nlohmann::json(envelope_ids).dump());
    st->exec();
}

bool EnvelopeInboxRepo::was_committed(const std::string& envelope_id) {
    // Rare (after a crash, per unconfirmed envelope): a scan of an hour of batches is fine.
    auto st = db_.prepare(
        "SELECT 1 FROM committed_envelopes, json_each(committed_envelopes.ids) "
        "WHERE json_each.value = ? LIMIT 1");
    st->bind(1, envelope_id);
    return st->executeStep();
}

int EnvelopeInboxRepo::prune_committed(TimePoint cutoff) {
    auto st = db_.prepare("DELETE FROM committed_envelopes WHERE committed_at < ?");
    st->bind(1, static_cast<int64_t>(to_unix(cutoff)));
    return st->exec();
}

OutboxRow OutboxRepo::add(const std::string& user_id, const std::string& message, TimePoint now) {
    thread_local std::mt19937_64 rng{std::random_device{}()};
    char key[40];
    std::snprintf(key, sizeof key, "outbox-%016llx", static_cast<unsigned long long>(rng()));
    auto st =
        db_.prepare("INSERT INTO outbox(key, user_id, message, created_at) VALUES (?, ?, ?, ?)");
    st->bind(1, key);
    st->bind(2, user_id);
    st->bind(3, message);
    st->bind(4, static_cast<int64_t>(to_unix(now)));
    st->exec();
    return OutboxRow{db_.sql().getLastInsertRowid(), key, user_id, message, now};
}

void OutboxRepo::remove(int64_t id) {
    auto st = db_.prepare("DELETE FROM outbox WHERE id = ?");
    st->bind(1, id);
    st->exec();
}

std::vector<OutboxRow> OutboxRepo::all() {
    auto st = db_.prepare("SELECT id, key, user_id, message, created_at FROM outbox ORDER BY id");
    std::vector<OutboxRow> out;
    while (st->executeStep()) {
        out.push_back(OutboxRow{st->getColumn(0).getInt64(), st->getColumn(1).getString(),
                                st->getColumn(2).getString(), st->getColumn(3).getString(),
                                TimePoint(std::chrono::seconds(st->getColumn(4).getInt64()))});
    }
    return out;
}

}  // namespace careerbot::storage
