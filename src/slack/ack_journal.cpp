#include "src/slack/ack_journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "src/core/dates.hpp"
#include "src/core/logging.hpp"

namespace careerbot::slack {

using nlohmann::json;

AckJournal::AckJournal(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ < 0) logger("slack")->warn("cannot open the ack journal {}; running without it", path_);
}

AckJournal::~AckJournal() {
    if (fd_ >= 0) ::close(fd_);
}

void AckJournal::append(const std::string& line) {
    if (fd_ < 0) return;
    std::string out = line + "\n";
    // One write per line with O_APPEND: a line is never interleaved or half there after a kill
    // (a torn last line after a power cut is skipped when read).
    if (::write(fd_, out.data(), out.size()) != static_cast<ssize_t>(out.size()))
        logger("slack")->warn("could not write to the ack journal {}", path_);
}

void AckJournal::acked_early(const Entry& e) {
    if (fd_ < 0) return;
    open_.insert(e.envelope_id);
    append(json{
        {"id", e.envelope_id},
        {"url", e.response_url},
        {"what", e.what},
        {"at",
         std::chrono::duration_cast<std::chrono::seconds>(e.acked_at.time_since_epoch()).count()}}
               .dump(-1, ' ', false, json::error_handler_t::replace));
}

void AckJournal::resolved(const std::string& envelope_id) {
    if (open_.erase(envelope_id) == 0) return;
    append(json{{"done", envelope_id}}.dump());
    // Nothing open: start the file afresh so it never grows without bound.
    if (open_.empty() && fd_ >= 0 && ::ftruncate(fd_, 0) != 0)
        logger("slack")->warn("could not empty the ack journal {}", path_);
}

std::vector<AckJournal::Entry> AckJournal::take_unresolved() {
    std::vector<Entry> out;
    if (path_.empty()) return out;
    std::map<std::string, Entry> open;
    std::vector<std::string> order;
    {
        std::ifstream in(path_);
        std::string line;
        while (std::getline(in, line)) {
            json j = json::parse(line, nullptr, false);
            if (!j.is_object()) continue;  // a torn line
            if (j.contains("done") && j["done"].is_string()) {
                open.erase(j["done"].get<std::string>());
                continue;
            }
            Entry e;
            e.envelope_id = j.value("id", "");
            e.response_url = j.value("url", "");
            e.what = j.value("what", "");
            e.acked_at = from_unix(j.value("at", int64_t{0}));
            if (e.envelope_id.empty()) continue;
            if (!open.contains(e.envelope_id)) order.push_back(e.envelope_id);
            open[e.envelope_id] = e;
        }
    }
    for (const auto& id : order)
        if (auto it = open.find(id); it != open.end()) out.push_back(it->second);
    if (fd_ >= 0 && ::ftruncate(fd_, 0) != 0)
        logger("slack")->warn("could not empty the ack journal {}", path_);
    return out;
}

}  // namespace careerbot::slack
