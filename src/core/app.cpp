#include "src/core/app.hpp"

#include <random>

#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/core/prefetched_lookup.hpp"
#include "storage/people.hpp"

namespace careerbot {

Reply Reply::text(const std::string& mrkdwn) {
    // One line usually, but it may echo a long text (a feedback, an IDO): split, never cut.
    blocks::MessageBuilder b(mrkdwn);
    b.add_text(mrkdwn);
    return std::move(b).reply();
}

void App::command(CommandInfo info, CommandHandler handler) {
    auto name = info.name;
    commands_[name] = CommandEntry{std::move(info), std::move(handler)};
}
void App::event(std::string type, EventHandler h, bool plans_reminders) {
    if (plans_reminders) events_planning_.insert(type);
    events_[std::move(type)] = std::move(h);
}
void App::action(std::string id, InteractionHandler h, bool plans_reminders) {
    actions_[std::move(id)] = InteractionEntry{std::move(h), plans_reminders};
}
void App::shortcut(std::string id, InteractionHandler h, bool plans_reminders) {
    shortcuts_[std::move(id)] = InteractionEntry{std::move(h), plans_reminders};
}
void App::view(std::string id, InteractionHandler h, bool plans_reminders) {
    views_[std::move(id)] = InteractionEntry{std::move(h), plans_reminders};
}

std::vector<CommandInfo> App::commands() const {
    std::vector<CommandInfo> out;
    for (const auto& [name, entry] : commands_) out.push_back(entry.info);
    return out;
}

Reply App::run_guarded(Services& s, const std::string& what, const std::string& user_id,
                       const std::function<Reply()>& fn, bool write) {
    const int64_t changes_before = s.db.total_changes();
    try {
        Reply reply;
        if (!write) return fn();
        // Each request is one unit of work: all its writes commit together or not at all.
        s.db.write([&] {
            if (!user_id.empty()) storage::PeopleRepo(s.db).ensure(user_id, user_id, s.clock.now());
            reply = fn();
        });
        return reply;
    } catch (const LookupNeeded&) {
        throw;  // rolled back; the bot asks Slack outside the write and runs this again
    } catch (const UserError& e) {
        // In an optimistic group commit (Database::write_optimistic) the batch is redone with
        // savepoints, and that second run answers and logs; this one only steps aside.
        if (s.db.tainted()) throw;
        return Reply::text(e.what());
    } catch (const storage::StorageError& e) {
        if (s.db.tainted()) throw;
        logger("app")->error("{} failed on storage: {}", what, e.what());
        // A command that had changed nothing and failed on something other than a write (a
        // corrupted file, an unreadable page) was reading: say so, not "nothing was saved".
        const std::string why = e.what();
        const bool write_failure =
            why.find("locked") != std::string::npos || why.find("busy") != std::string::npos ||
            why.find("full") != std::string::npos || why.find("readonly") != std::string::npos;
        return Reply::text(
            storage_failure_text(write_failure || s.db.total_changes() != changes_before));
    } catch (const std::exception& e) {
        if (s.db.tainted()) throw;
        std::random_device rd;
        auto incident = std::to_string(rd() % 1000000);
        logger("app")->error("{} failed (incident {}): {}", what, incident, e.what());
        if (s.metrics != nullptr) ++s.metrics->handler_errors;
        return Reply::text(":warning: Something went wrong on careerbot's side (incident " +
                           incident + "); nothing was saved. The admins can find it in the logs.");
    }
}

Reply App::handle(Services& s, const Request& request) const {
    auto it = commands_.find(request.command);
    if (it == commands_.end()) {
        std::string list;
        for (const auto& [name, entry] : commands_)
            list += "• `" + name + "` — " + entry.info.summary + "\n";
        return Reply::text("I don't know the command `" + blocks::escape(request.command) +
                           "`. These are the ones I know:\n" + list);
    }
    return run_guarded(s, request.command, request.user_id,
                       [&] { return it->second.handler(s, request); });
}

Reply App::handle_read(Services& s, const Request& request) const {
    auto it = commands_.find(request.command);
    if (it == commands_.end() || !it->second.info.deferred) return handle(s, request);
    return run_guarded(
        s, request.command, request.user_id, [&] { return it->second.handler(s, request); }, false);
}

bool App::plans_reminders(const Request& request) const {
    auto it = commands_.find(request.command);
    return it != commands_.end() && it->second.info.plans_reminders;
}

bool App::plans_reminders(const Event& event) const {
    return events_planning_.contains(event.type);
}

const App::InteractionTable& App::table_of(const Interaction& interaction) const {
    if (interaction.type == "view_submission" || interaction.type == "view_closed") return views_;
    if (interaction.type == "shortcut" || interaction.type == "message_action") return shortcuts_;
    return actions_;
}

bool App::plans_reminders(const Interaction& interaction) const {
    const auto& table = table_of(interaction);
    auto it = table.find(interaction.key);
    // An interaction nobody handles changes nothing; any other counts unless it said not.
    return it != table.end() && it->second.plans_reminders;
}

Reply App::handle(Services& s, const Event& event) const {
    auto it = events_.find(event.type);
    if (it == events_.end()) {
        logger("app")->debug("no handler for event type {}", event.type);
        return Reply::none();
    }
    return run_guarded(s, "event " + event.type, event.user_id,
                       [&] { return it->second(s, event); });
}

Reply App::handle(Services& s, const Interaction& interaction) const {
    const auto& table = table_of(interaction);
    auto it = table.find(interaction.key);
    if (it == table.end()) {
        logger("app")->warn("no handler for {} '{}'", interaction.type, interaction.key);
        return Reply::text(
            "That button or shortcut is not something I know how to handle any more.");
    }
    return run_guarded(s, interaction.type + " " + interaction.key, interaction.user_id,
                       [&] { return it->second.handler(s, interaction); });
}

std::string storage_failure_text(bool was_writing) {
    if (was_writing)
        return ":warning: careerbot could not save that just now; nothing was stored. Please try "
               "again in a minute.";
    return ":warning: careerbot could not read its records just now. Please try again in a "
           "minute; if it keeps happening, tell the admins.";
}

Reply help_reply(const std::string& title,
                 const std::vector<std::pair<std::string, std::string>>& usages) {
    std::string body;
    for (const auto& [usage, what] : usages)
        body += "`" + blocks::escape(usage) + "` — " + what + "\n";
    blocks::MessageBuilder b(title);
    b.add(blocks::section("*" + title + "*"));
    b.add_text(body);
    return b.reply();
}

}  // namespace careerbot
