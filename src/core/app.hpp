#pragma once
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "src/core/clock.hpp"
#include "src/core/config.hpp"
#include "src/core/lookup.hpp"
#include "src/core/reply.hpp"
#include "src/core/request.hpp"
#include "storage/database.hpp"

namespace careerbot {

class Metrics;

/// What handlers work with: storage, the clock, the configuration and (in Slack mode) a way to
/// look things up in Slack. Handed to every handler when it is called (as Bolt passes its
/// listener arguments), so one App serves several connections: the Slack transport passes the
/// writer's services for most envelopes and a reader connection's for deferred commands.
struct Services {
    storage::Database& db;
    const Clock& clock;
    const Config& config;
    Lookup* slack = nullptr;     ///< null in console mode
    Metrics* metrics = nullptr;  ///< where handler errors are counted; null: not counted

    /// The Slack lookup, or one that knows nothing.
    Lookup& lookup() {
        static NoLookup none;
        return slack != nullptr ? *slack : none;
    }
};

using CommandHandler = std::function<Reply(Services&, const Request&)>;
using EventHandler = std::function<Reply(Services&, const Event&)>;
using InteractionHandler = std::function<Reply(Services&, const Interaction&)>;

/// Describes a slash command for help texts and the Slack app manifest.
struct CommandInfo {
    std::string name;        ///< "/brag"
    std::string summary;     ///< one line for the command list and the manifest
    std::string usage_hint;  ///< e.g. "[text] | list | edit N | delete N | export md|csv | help"
    /// Slow and read-only (a large summary): the transport acks at once and answers through
    /// response_url, running the handler off the write path. Commands that write must leave
    /// this false, so their ack is sent only after their transaction committed.
    bool deferred = false;
    /// Its writes can add or move a reminder (a new 1:1, task, check-in or absence): the
    /// reminder loop is poked after its batch commits, so it never sleeps past the new one.
    bool plans_reminders = false;
};

/// The transport-agnostic router: commands, events and interactions are registered
/// declaratively and dispatched here by the Slack adapter, the console and the tests alike.
class App {
  public:
    /// Registers a slash command handler.
    void command(CommandInfo info, CommandHandler handler);
    /// Registers a handler for an Events API event type ("reaction_added"); `plans_reminders`
    /// when handling it may add or move a reminder (user_change: an away status, a new zone).
    void event(std::string type, EventHandler handler, bool plans_reminders = false);
    /// Registers a handler for block_actions whose action_id is `action_id`. Every interaction
    /// counts as planning reminders (a snooze, a done button, a form may move one) unless
    /// registered with `plans_reminders` false.
    void action(std::string action_id, InteractionHandler handler, bool plans_reminders = true);
    /// Registers a handler for a global or message shortcut by callback_id.
    void shortcut(std::string callback_id, InteractionHandler handler, bool plans_reminders = true);
    /// Registers a handler for view_submission by the view's callback_id.
    void view(std::string callback_id, InteractionHandler handler, bool plans_reminders = true);

    /// Runs a slash command. Never throws: a UserError becomes an ephemeral explanation,
    /// any other failure is logged and answered with a short apology.
    Reply handle(Services& s, const Request& request) const;
    /// Runs a read-only slash command (CommandInfo::deferred) without taking the write lock,
    /// so a slow summary never stalls the commits (and acks) of other envelopes. Never throws.
    Reply handle_read(Services& s, const Request& request) const;
    /// Runs an event handler (none registered: logged at debug and ignored).
    Reply handle(Services& s, const Event& event) const;
    /// Runs an interaction handler (none registered: a polite ephemeral answer).
    Reply handle(Services& s, const Interaction& interaction) const;

    /// True when running this request may add or move a reminder (CommandInfo::plans_reminders).
    bool plans_reminders(const Request& request) const;
    /// True when handling this event may add or move a reminder (see event()).
    bool plans_reminders(const Event& event) const;
    /// True when running this interaction may add or move a reminder (see action()).
    bool plans_reminders(const Interaction& interaction) const;

    /// Every registered command, sorted by name.
    std::vector<CommandInfo> commands() const;
    /// True when a slash command with this name is registered.
    bool has_command(const std::string& name) const { return commands_.contains(name); }

  private:
    struct CommandEntry {
        CommandInfo info;
        CommandHandler handler;
    };
    struct InteractionEntry {
        InteractionHandler handler;
        bool plans_reminders = true;
    };
    using InteractionTable = std::map<std::string, InteractionEntry>;
    static Reply run_guarded(Services& s, const std::string& what, const std::string& user_id,
                             const std::function<Reply()>& fn, bool write = true);
    const InteractionTable& table_of(const Interaction& interaction) const;

    std::map<std::string, CommandEntry> commands_;
    std::map<std::string, EventHandler> events_;
    std::set<std::string> events_planning_;  ///< event types registered with plans_reminders
    InteractionTable actions_;
    InteractionTable shortcuts_;
    InteractionTable views_;
};

/// The apology when the database failed: for a change ("nothing was stored") or for a read
/// ("could not read"), so nobody is told a lookup was not saved.
std::string storage_failure_text(bool was_writing);

/// Builds the standard help reply for a command: its summary and a list of usages.
Reply help_reply(const std::string& title,
                 const std::vector<std::pair<std::string, std::string>>& usages);

}  // namespace careerbot
