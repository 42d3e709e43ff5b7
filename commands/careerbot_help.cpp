// /careerbot (and `help` in the console): every command in one line each, and where to start
// for an engineer, a manager, a director and an admin.
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/text.hpp"

namespace careerbot::commands {
namespace {

/// Where each kind of user starts: the first two or three commands that pay off for them.
const std::vector<std::pair<std::string, std::string>> kStartHere = {
    {"Engineer",
     "log a win the moment it happens: `/brag shipped the search page impact: p99 -40%`; keep "
     "praise with the *Save as feedback* shortcut; see what is due with `/task status`; write "
     "your goals with `/checkin goals 6m …`; set this quarter's objective with `/ido set`."},
    {"Manager",
     "`/team list` shows your reports; `/1on1 schedule @report tuesday 10:00` turns on the "
     "preparation DM before each 1:1; `/task add … due friday for @report` assigns check-in "
     "tasks; `/checkin done @report` after a check-in; the App Home tab has every report's "
     "tasks."},
    {"Director",
     "`/quarter-summary` for the quarterly review of everyone in your org (in a channel it shows "
     "only counts; the detail comes to you privately); `/review factor @person performing …` "
     "records the review's performance factor; `/promo status @person` for readiness; "
     "after the quarterly discussion, `/promo outcome @person approved|not-yet <note>`; "
     "`/team mentor @mentor @person` names a standing mentor."},
    {"Admin",
     "install the app from `careerbot manifest`, import the org chart with `careerbot "
     "import-org org.csv`, then `/team add @report` and `/team role`; configure levels in "
     "`config/levels.toml`. See the README's \"Install in your Slack workspace\"."},
};

Reply overview(App& app) {
    blocks::MessageBuilder m("careerbot — every command");
    m.add(blocks::section(
        "*careerbot* keeps your career record in Slack — accomplishments, feedback, check-in "
        "tasks, development objectives — and nudges you and your manager at the right moment. "
        "Only you and your manager chain see your records."));
    std::string list = "*Commands* (each has `help`, e.g. `/task help`)\n";
    for (const auto& c : app.commands()) {
        if (c.name == "/careerbot") continue;
        list += "• `" + c.name + "` — " + blocks::escape(c.summary) + "\n";
    }
    m.add_text(list);
    std::string start = "*Where to start*\n";
    for (const auto& [who, what] : kStartHere) start += "• *" + who + ":* " + what + "\n";
    m.add_text(start);
    m.add(
        blocks::context("Made a mistake? Most records can be fixed: `/brag edit`, `/task "
                        "edit|due|cancel|delete`, `/feedback edit|delete|hide`, `/checkin "
                        "undo`, `/away cancel`."));
    return m.reply();
}

}  // namespace

void register_help(App& app) {
    app.command({"/careerbot", "what careerbot does, every command, and where to start", "[help]"},
                [&app](Services& s, const Request& r) {
                    auto word = text::lower(text::trim(r.text));
                    if (word.empty() || word == "help" || word == "commands") return overview(app);
                    // `/careerbot brag` — the command's own help is one step away.
                    std::string name = word.starts_with("/") ? word : "/" + word;
                    if (app.has_command(name)) {
                        Request inner = r;
                        inner.command = name;
                        inner.text = "help";
                        return app.handle(s, inner);
                    }
                    Reply out = overview(app);
                    out.message->blocks.insert(
                        out.message->blocks.begin(),
                        blocks::section("I don't know `" + blocks::escape(r.text) +
                                        "`; here is everything I do."));
                    return out;
                });
}

}  // namespace careerbot::commands
