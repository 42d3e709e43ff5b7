#include "src/console/console.hpp"

#include <fstream>
#include <iostream>

#include "src/core/blocks.hpp"
#include "src/core/error.hpp"
#include "src/core/logging.hpp"
#include "src/core/private_files.hpp"
#include "src/core/text.hpp"
#include "storage/people.hpp"

namespace careerbot {
namespace {

bool handle_char(unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.' || c >= 0x80;
}

/// Text files are printed inline; anything else (a PNG chart) would garble the terminal.
bool is_text(const std::string& content) {
    return content.find('\0') == std::string::npos && text::valid_utf8(content);
}

/// Writes a binary file to the working directory under its own (sanitised) name.
std::string save_file(const FileOut& f) {
    std::string name;
    for (char c : f.filename) {
        name += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
                    ? c
                    : '_';
    }
    if (name.empty() || name.front() == '.') name = "file" + name;
    try {
        write_private_file(name, f.content);
    } catch (const Error&) {
        return "--- could not save " + name + " in the working directory ---\n";
    }
    return "--- saved " + name + " (" + std::to_string(f.content.size()) +
           " bytes) in the working "
           "directory ---\n";
}

}  // namespace

std::string console_person_id(Services& s, const std::string& handle_in) {
    storage::PeopleRepo people(s.db);
    std::string handle = handle_in.starts_with("@") ? handle_in.substr(1) : handle_in;
    if (auto p = people.find(handle)) return p->id;
    if (auto p = people.find_by_name(handle)) return p->id;
    return handle;
}

std::string console_user_id(Services& s, const std::string& as) {
    std::string id = console_person_id(s, as);
    s.db.write([&] { storage::PeopleRepo(s.db).ensure(id, id, s.clock.now()); });
    return id;
}

Console::Console(const App& app, Services& services, const std::string& as)
    : app_(app), s_(services), user_id_(console_user_id(services, as)) {}

std::string Console::to_slack_text(const std::string& typed) {
    std::string escaped = blocks::escape(typed);
    std::string out;
    for (std::size_t i = 0; i < escaped.size();) {
        bool at_word_start = i == 0 || std::isspace(static_cast<unsigned char>(escaped[i - 1]));
        if (escaped[i] == '@' && at_word_start) {
            std::size_t j = i + 1;
            while (j < escaped.size() && handle_char(static_cast<unsigned char>(escaped[j]))) ++j;
            std::string handle = escaped.substr(i + 1, j - i - 1);
            while (!handle.empty() && handle.back() == '.') handle.pop_back(), --j;
            if (handle == "channel" || handle == "here" || handle == "everyone") {
                // Typed broadcast names stay plain text, exactly as they would be echoed.
                out += "@" + handle;
            } else if (!handle.empty()) {
                out += "<@" + console_person_id(s_, handle) + ">";
            } else {
                out += "@";
            }
            i = j;
        } else {
            out += escaped[i++];
        }
    }
    return out;
}

std::string Console::render(const Reply& reply) {
    storage::PeopleRepo people(s_.db);
    auto names = [&](const std::string& id) { return people.display_name(id); };
    std::string out;
    if (reply.message) out += blocks::render_text(*reply.message, names);
    for (const auto& m : reply.more) out += blocks::render_text(m, names);
    for (const auto& dm : reply.dms) {
        out += "--- direct message to @" + people.display_name(dm.user_id) + " ---\n";
        out += blocks::render_text(dm.message, names);
    }
    for (const auto& f : reply.files) {
        if (is_text(f.content)) {
            out += "--- file " + f.filename + " ---\n" + f.content;
            if (!f.content.empty() && f.content.back() != '\n') out += "\n";
            out += "--- end of " + f.filename + " ---\n";
        } else {
            out += save_file(f);
        }
    }
    return out;
}

std::string Console::execute(const std::string& line) {
    std::string t = text::trim(line);
    if (t.empty() || t.starts_with("#")) return "";
    if (!text::valid_utf8(t)) {
        return "That line is not valid UTF-8 text; nothing was run.\n";
    }
    // `help` lists every command, as `/careerbot` does in Slack.
    bool help = false;
    if (auto w = text::lower(t); w == "help" || w == "?" || w == "/help") {
        t = "/careerbot";
        help = true;
    }
    // The App Home tab, which Slack shows beside the Messages tab, as text.
    if (auto w = text::lower(t); w == "/home" || w == "home") return home();
    if (!t.starts_with("/")) {
        return "Commands start with a slash, e.g. `/brag shipped the new onboarding flow #frontend`"
               " or `/brag help`; `help` lists them all. Type `quit` to leave.\n";
    }
    auto [command, rest] = text::first_word(t);
    Request r;
    r.user_id = user_id_;
    r.user_name = storage::PeopleRepo(s_.db).display_name(user_id_);
    r.channel_id = "console";
    r.channel_name = "console";
    r.command = text::lower(command);
    r.text = to_slack_text(rest);
    r.received_at = s_.clock.now();
    r.source = "console";
    std::string out = render(app_.handle(s_, r));
    if (help)
        out +=
            "In the console, `/home` shows your App Home tab (what Slack shows when you open "
            "careerbot) as text.\n";
    return out;
}

std::string Console::home() {
    Event e;
    e.type = "app_home_opened";
    e.user_id = user_id_;
    e.body = nlohmann::json{{"type", "app_home_opened"}, {"user", user_id_}, {"tab", "home"}};
    e.received_at = s_.clock.now();
    Reply reply = app_.handle(s_, e);
    if (!reply.home_view) return render(reply);
    storage::PeopleRepo people(s_.db);
    Message m;
    m.blocks = reply.home_view->value("blocks", nlohmann::json::array());
    return "--- App Home of @" + people.display_name(user_id_) + " ---\n" +
           blocks::render_text(m, [&](const std::string& id) { return people.display_name(id); });
}

int Console::run(std::istream& in, std::ostream& out, bool interactive) {
    if (interactive) {
        out << "careerbot console — you are @" << storage::PeopleRepo(s_.db).display_name(user_id_)
            << ". Type help for every command, or quit to leave.\n";
    }
    std::string line;
    while (true) {
        if (interactive) out << "> " << std::flush;
        if (!std::getline(in, line)) break;
        std::string t = text::trim(line);
        if (t == "quit" || t == "exit") break;
        out << execute(line) << std::flush;
    }
    return 0;
}

}  // namespace careerbot
