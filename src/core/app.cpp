#include "src/core/app.hpp"

#include <random>

#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/logging.hpp"
#include "src/core/metrics.hpp"
#include "src/core/prefetched_lookup.hpp"
#include "storage/people.hpp"

namespace careerbot {

Reply Reply::text(std::string mrkdwn) {
    // One line usually, but it may echo a long text (a feedback, an IDO): split, never cut.
    blocks::MessageBuilder b(mrkdwn);
    b.add_text(mrkdwn);
    return std::move(b).reply();
}

void App::command(CommandInfo info, CommandHandler handler) {
    auto name = info.name;
    commands_[name] = CommandEntry{std::move(info), std::move(handler)};
}
void App::event(std::string type, EventHandler h) { events_[std::move(type)] = std::move(h); }
void App::action(std::string id, InteractionHandler h) { actions_[std::move(id)] = std::move(h); }
void App::shortcut(std::string id, InteractionHandler h) {
    shortcuts_[std::move(id)] = std::move(h);
}
void App::view(std::string id, InteractionHandler h) { views_[std::move(id)] = std::move(h); }

std::vector<CommandInfo> App::commands() const {
    std::vector<CommandInfo> out;
    for (const auto& [name, entry] : commands_) out.push_back(entry.info);
    return out;
}

Reply App::run_guarded(const std::string& what, const std::string& user_id,
                       const std::function<Reply()>& fn, bool write) {
    const int64_t changes_before = services_.db.total_changes();
    try {
        Reply reply;
        if (!write) return fn();
        // Each request is one unit of work: all its writes commit together or not at all.
        services_.db.write([&] {
            if (!user_id.empty())
                storage::PeopleRepo(services_.db).ensure(user_id, user_id, services_.clock.now());
            reply = fn();
        });
        return reply;
    } catch (const LookupNeeded&) {
        throw;  // rolled back; the bot asks Slack outside the write and runs this again
    } catch (const UserError& e) {
        // In an optimistic group commit (Database::write_optimistic) the batch is redone with
        // savepoints, and that second run answers and logs; this one only steps aside.
        if (services_.db.tainted()) throw;
        return Reply::text(e.what());
    } catch (const storage::StorageError& e) {
        if (services_.db.tainted()) throw;
        logger("app")->error("{} failed on storage: {}", what, e.what());
        // A command that had changed nothing and failed on something other than a write (a
        // corrupted file, an unreadable page) was reading: say so, not "nothing was saved".
        const std::string why = e.what();
        const bool write_failure =
            why.find("locked") != std::string::npos || why.find("busy") != std::string::npos ||
            why.find("full") != std::string::npos || why.find("readonly") != std::string::npos;
        return Reply::text(
            storage_failure_text(write_failure || services_.db.total_changes() != changes_before));
    } catch (const std::exception& e) {
        if (services_.db.tainted()) throw;
        std::random_device rd;
        auto incident = std::to_string(rd() % 1000000);
        logger("app")->error("{} failed (incident {}): {}", what, incident, e.what());
        ++metrics().handler_errors;
        return Reply::text(":warning: Something went wrong on careerbot's side (incident " +
                           incident + "); nothing was saved. The admins can find it in the logs.");
    }
}

Reply App::handle(const Request& request) {
    auto it = commands_.find(request.command);
    if (it == commands_.end()) {
        std::string list;
        for (const auto& [name, entry] : commands_)
            list += "• `" + name + "` — " + entry.info.summary + "\n";
        return Reply::text("I don't know the command `" + blocks::escape(request.command) +
                           "`. These are the ones I know:\n" + list);
    }
    return run_guarded(request.command, request.user_id,
                       [&] { return it->second.handler(request); });
}

Reply App::handle_read(const Request& request) {
    auto it = commands_.find(request.command);
    if (it == commands_.end() || !it->second.info.deferred) return handle(request);
    return run_guarded(
        request.command, request.user_id, [&] { return it->second.handler(request); }, false);
}

Reply App::handle(const Event& event) {
    auto it = events_.find(event.type);
    if (it == events_.end()) {
        logger("app")->debug("no handler for event type {}", event.type);
        return Reply::none();
    }
    return run_guarded("event " + event.type, event.user_id, [&] { return it->second(event); });
}

Reply App::handle(const Interaction& interaction) {
    const std::map<std::string, InteractionHandler>* table = &actions_;
    if (interaction.type == "view_submission" || interaction.type == "view_closed")
        table = &views_;
    else if (interaction.type == "shortcut" || interaction.type == "message_action")
        table = &shortcuts_;
    auto it = table->find(interaction.key);
    if (it == table->end()) {
        logger("app")->warn("no handler for {} '{}'", interaction.type, interaction.key);
        return Reply::text(
            "That button or shortcut is not something I know how to handle any more.");
    }
    return run_guarded(interaction.type + " " + interaction.key, interaction.user_id,
                       [&] { return it->second(interaction); });
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
