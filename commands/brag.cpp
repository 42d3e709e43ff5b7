// /brag: the accomplishment log — log, list, edit, delete/undo, export, and the modal.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "commands/brag_export.hpp"
#include "commands/brag_text.hpp"
#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/audit.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {
using nlohmann::json;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/brag <what you did>",
     "log an accomplishment; `#tags`, a link, `impact: …` and a date "
     "such as `yesterday` or `2026-11-03` at the start or end are recognised"},
    {"/brag", "open a form to log an accomplishment (in Slack)"},
    {"/brag list [@person] [since <date>] [page N]", "your brags (or a report's), newest first"},
    {"/brag edit N <new text>", "replace brag #N (without text: show it for editing)"},
    {"/brag delete N", "remove brag #N (you can undo)"},
    {"/brag undo N", "bring back a deleted brag #N"},
    {"/brag export [md|csv|json] [2026Q3] [@person]",
     "your brag document, grouped by quarter and tag, with the feedback you received"},
    {"/brag help", "this help"},
};

/// The subcommand a one-word /brag was probably meant to be (`lsit`, `delte`, `exprot`), if
/// any. Nobody's accomplishment is one word that close to a subcommand, while logging the slip
/// would put a nonsense record in their brag document. The four-letter subcommands may be one
/// edit off, the longer ones two (two edits from a short one is another word: `first`, `gift`).
std::optional<std::string> slipped_subcommand(const std::string& word) {
    static const std::vector<std::string> subcommands = {"list", "edit",    "delete", "remove",
                                                         "undo", "restore", "export", "help"};
    if (word.size() < 3 || word.size() > 9) return std::nullopt;
    return text::near_miss(word, subcommands);
}

/// What one /brag invocation needs, built once per request.
class BragCommand {
  public:
    explicit BragCommand(Services& s) : s_(s), people_(s.db), brags_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty()) return open_form(r);
        if (cmd == "help") return help_reply("/brag — your accomplishment log", kUsage);
        if (cmd == "list") return list(r.user_id, rest);
        if (cmd == "edit") return edit(r, rest);
        if (cmd == "delete" || cmd == "remove") return remove(r.user_id, rest);
        if (cmd == "undo" || cmd == "restore") return undo(r.user_id, rest);
        if (cmd == "export") return export_doc(r.user_id, rest);
        if (text::trim(rest).empty()) {
            if (auto meant = slipped_subcommand(cmd)) {
                throw UserError("Did you mean `/brag " + *meant + "`? I did not log `" +
                                blocks::escape(sub) +
                                "` as a brag. To log a one-word brag "
                                "that looks like a command, add a word or a `#tag`.");
            }
        }
        return log(r.user_id, r.text, r.source);
    }

    Reply log(const std::string& author, const std::string& slack_text, const std::string& source) {
        auto fields = parse_brag(clean(slack_text), today(author));
        auto b = brags_.add(author, fields, source, s_.clock.now());
        return saved_reply(b, "Logged brag");
    }

    Reply saved_reply(const storage::Brag& b, const std::string& verb) {
        std::string tags;
        for (const auto& t : b.tags)
            tags += (tags.empty() ? "" : " ") + ("`#" + blocks::escape(t) + "`");
        blocks::MessageBuilder m(verb + " #" + std::to_string(b.number));
        m.add(blocks::section(":trophy: " + verb + " *#" + std::to_string(b.number) + "*\n" +
                              brag_line(b)));
        if (auto note = dated_note(b)) m.add(blocks::context(*note));
        std::string ctx =
            "Keep going — it all adds up at review time. `/brag list` shows them all.";
        if (!tags.empty()) ctx = "Tags: " + tags + " · " + ctx;
        m.add(blocks::context(ctx));
        return std::move(m).reply();
    }

    /// Says so when a brag is dated other than today, since a date typed at the start or the
    /// end of the text is easy to add by accident (or to mistype).
    std::optional<std::string> dated_note(const storage::Brag& b) {
        auto day = parse_iso_day(b.happened_on);
        auto now = today(b.author_id);
        if (!day || *day == now) return std::nullopt;
        auto ago = (date::sys_days(now) - date::sys_days(*day)).count();
        std::string when = ago == 1    ? "yesterday"
                           : ago > 1   ? std::to_string(ago) + " days ago"
                           : ago == -1 ? "tomorrow"
                                       : "in " + std::to_string(-ago) + " days";
        return ":calendar: Dated *" + b.happened_on + "* (" + when + "), not today.";
    }

    Reply list(const std::string& viewer, const std::string& args) {
        std::string target = viewer;
        std::string since;
        int page = 1;
        auto w = text::words(args);
        std::string date_words;
        for (std::size_t i = 0; i < w.size(); ++i) {
            if (auto id = text::mention_id(w[i])) {
                target = *id;
            } else if (text::lower(w[i]) == "page" && i + 1 < w.size()) {
                auto n = text::parse_number(w[++i]);
                if (!n) throw UserError("`page` needs a number, e.g. `/brag list page 2`.");
                page = *n;
            } else if (text::lower(w[i]) != "since") {
                date_words += (date_words.empty() ? "" : " ") + w[i];
            }
        }
        if (!date_words.empty()) {
            auto d = parse_date(date_words, today(viewer));
            if (!d) {
                throw UserError("I couldn't read `" + blocks::escape(date_words) +
                                "` as a date. Try `2026-10-01`, `last month` or `last friday`.");
            }
            since = iso_day(*d);
        }
        return list_page(viewer, target, since, page);
    }

    Reply list_page(const std::string& viewer, const std::string& target, const std::string& since,
                    int page) {
        vis_.require_read(viewer, target, RecordKind::Brag);
        storage::BragQuery q{target, since, "", s_.config.brag.page_size, 0};
        int total = brags_.count(q);
        int pages = std::max(1, (total + q.limit - 1) / q.limit);
        page = std::clamp(page, 1, pages);
        q.offset = (page - 1) * q.limit;
        auto items = brags_.list(q);
        if (target != viewer) {
            // Reading someone else's log is audited (issue #7); it commits with this request.
            storage::AuditRepo(s_.db).record(
                {0, 0, viewer, "brag_list", target, "brags",
                 (since.empty() ? "" : "since " + since + " ") + "page " + std::to_string(page)},
                s_.clock.now());
        }

        std::string whose = target == viewer ? "Your brags" : "Brags of <@" + target + ">";
        std::string title = whose + (since.empty() ? "" : " since " + since) + " — " +
                            std::to_string(total) + (total == 1 ? " brag" : " brags");
        blocks::MessageBuilder m(title);
        m.add(blocks::section(
            "*" + title + "*" +
            (pages > 1 ? " (page " + std::to_string(page) + " of " + std::to_string(pages) + ")"
                       : "")));
        if (items.empty()) {
            m.add(blocks::section(target == viewer
                                      ? "Nothing logged yet. Try `/brag shipped the onboarding "
                                        "revamp #frontend impact: signup +12%`."
                                      : "Nothing logged in that period."));
        }
        std::string body;
        for (const auto& b : items) body += brag_line(b) + "\n";
        if (!body.empty()) m.add_text(body);
        if (total > 0) m.add(blocks::context(brags_.growth_mix(q).summary()));
        if (pages > 1) {
            json buttons = json::array();
            std::string mention = target == viewer ? "" : "<@" + target + "> ";
            auto value = [&](int p) { return json{{"u", target}, {"s", since}, {"p", p}}.dump(); };
            // Slack rejects a message whose actions block repeats an action_id (invalid_blocks),
            // so each direction has its own; both go to the same handler.
            if (page > 1)
                buttons.push_back(blocks::button("◀ Newer", "brag_list_newer", value(page - 1)));
            if (page < pages)
                buttons.push_back(blocks::button("Older ▶", "brag_list_older", value(page + 1)));
            m.add(blocks::actions(buttons));
            m.add(blocks::context("Or type `/brag list " + mention +
                                  (since.empty() ? "" : "since " + since + " ") + "page " +
                                  std::to_string(page < pages ? page + 1 : page - 1) + "`"));
        }
        return m.reply();
    }

    Reply edit(const Request& r, const std::string& args) {
        auto [num, new_text] = text::first_word(args);
        int n = number_or_throw(num, "edit");
        auto existing = brags_.find(r.user_id, n);
        if (!existing) throw UserError(not_found(n));
        if (new_text.empty()) {
            Reply reply = Reply::text("Brag *#" + std::to_string(n) + "* reads:\n" +
                                      brag_line(*existing) + "\nSend `/brag edit " +
                                      std::to_string(n) + " <new text>` to replace it.");
            reply.open_modal = brag_form("brag_edit", "Edit brag #" + std::to_string(n),
                                         std::to_string(n), &*existing);
            return reply;
        }
        std::string plain = clean(new_text);
        auto fields = parse_brag(plain, today(r.user_id));
        // An edit keeps the original date unless the new text names one.
        if (!extract_date(plain, today(r.user_id))) fields.happened_on = existing->happened_on;
        brags_.update(r.user_id, n, fields, s_.clock.now());
        return saved_reply(*brags_.find(r.user_id, n), "Updated brag");
    }

    Reply remove(const std::string& user, const std::string& args) {
        int n = number_or_throw(text::first_word(args).first, "delete");
        if (!brags_.soft_delete(user, n, s_.clock.now())) throw UserError(not_found(n));
        blocks::MessageBuilder m("Deleted brag #" + std::to_string(n));
        m.add(blocks::section(":wastebasket: Deleted brag *#" + std::to_string(n) + "*."));
        m.add(
            blocks::actions(json::array({blocks::button("Undo", "brag_undo", std::to_string(n))})));
        m.add(blocks::context("Changed your mind? `/brag undo " + std::to_string(n) + "`"));
        return m.reply();
    }

    Reply undo(const std::string& user, const std::string& args) {
        int n = number_or_throw(text::first_word(args).first, "undo");
        if (!brags_.restore(user, n, s_.clock.now())) {
            throw UserError("You have no deleted brag #" + std::to_string(n) + " to bring back.");
        }
        return saved_reply(*brags_.find(user, n), "Restored brag");
    }

    Reply export_doc(const std::string& viewer, const std::string& args) {
        std::string format = "md";
        std::string target = viewer;
        std::optional<Quarter> quarter;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) {
                target = *id;
            } else if (auto f = text::lower(w);
                       f == "md" || f == "markdown" || f == "csv" || f == "json") {
                format = f == "markdown" ? "md" : f;
            } else if (auto q = parse_quarter(w, s_.config.org.fiscal_year_start_month)) {
                quarter = q;
            } else {
                throw UserError(
                    "Export as `md`, `csv` or `json`, optionally for one quarter, e.g. "
                    "`/brag export csv 2026Q3`.");
            }
        }
        vis_.require_read(viewer, target, RecordKind::BragDocument);
        FileOut f = make_brag_export(s_, target, format, quarter, iso_day(today(viewer)));
        std::string period = quarter ? " for " + quarter->label() : "";
        storage::AuditRepo(s_.db).record({0, 0, viewer, "brag_export", target, "brags+feedback",
                                          format + (quarter ? " " + quarter->label() : "")},
                                         s_.clock.now());
        Reply r = Reply::text(":page_facing_up: Here is the brag document for " +
                              (target == viewer ? std::string("you") : "<@" + target + ">") +
                              period + " (" + format + ").");
        r.files.push_back(std::move(f));
        return r;
    }

    Reply open_form(const Request& r) {
        Reply reply = help_reply("/brag — your accomplishment log", kUsage);
        if (!r.trigger_id.empty())
            reply.open_modal = brag_form("brag_new", "Log a brag", "", nullptr);
        return reply;
    }

    /// The modal to log or edit a brag; `metadata` comes back as private_metadata.
    static json brag_form(const std::string& callback, const std::string& title,
                          const std::string& metadata, const storage::Brag* existing) {
        auto input = [](std::string block_id, std::string label, bool multiline, bool optional,
                        const std::string& initial) {
            json element = {
                {"type", "plain_text_input"}, {"action_id", "value"}, {"multiline", multiline}};
            if (!initial.empty()) element["initial_value"] = initial;
            return json{{"type", "input"},
                        {"block_id", std::move(block_id)},
                        {"optional", optional},
                        {"label", {{"type", "plain_text"}, {"text", std::move(label)}}},
                        {"element", element}};
        };
        std::string initial_text = existing ? existing->text : "";
        json date_el = {{"type", "datepicker"}, {"action_id", "value"}};
        if (existing) date_el["initial_date"] = existing->happened_on;
        return json{
            {"type", "modal"},
            {"callback_id", callback},
            {"private_metadata", metadata},
            {"title", {{"type", "plain_text"}, {"text", title}}},
            {"submit", {{"type", "plain_text"}, {"text", "Save"}}},
            {"close", {{"type", "plain_text"}, {"text", "Cancel"}}},
            {"blocks",
             json::array(
                 {input("text", "What did you do? (#tags welcome)", true, false, initial_text),
                  input("impact", "Impact", false, true, existing ? existing->impact : ""),
                  input("link", "Link", false, true, existing ? existing->link : ""),
                  json{{"type", "input"},
                       {"block_id", "date"},
                       {"optional", true},
                       {"label", {{"type", "plain_text"}, {"text", "When"}}},
                       {"element", date_el}}})}};
    }

    Reply submit_form(const Interaction& in) {
        const auto& values = in.payload.at("view").at("state").at("values");
        auto field = [&](const char* block, const char* key = "value") -> std::string {
            if (!values.contains(block) || !values[block].contains("value")) return "";
            const auto& v = values[block]["value"];
            return v.contains(key) && v[key].is_string() ? v[key].get<std::string>() : "";
        };
        std::string typed = field("text");
        std::string impact = field("impact");
        std::string link = field("link");
        std::string when = field("date", "selected_date");
        storage::BragFields f;
        try {
            f = parse_brag(clean_plain(typed), today(in.user_id));
        } catch (const UserError& e) {
            Reply r;
            r.response_action =
                json{{"response_action", "errors"}, {"errors", {{"text", e.what()}}}};
            return r;
        }
        if (!impact.empty()) f.impact = text::trim(text::strip_controls(impact));
        Reply r;
        if (!text::trim(link).empty()) {
            // Shown as `<link|link>` in lists: refuse what is not a web address, on the field.
            f.link = text::trim(link);
            if (auto why = link_problem(f.link)) {
                r.response_action =
                    json{{"response_action", "errors"}, {"errors", {{"link", *why}}}};
                return r;
            }
        }
        if (!when.empty()) {
            auto day = parse_iso_day(when);
            if (!day || date::sys_days(*day) > date::sys_days(today(in.user_id))) {
                r.response_action = json{{"response_action", "errors"},
                                         {"errors",
                                          {{"date",
                                            "That day is in the future; brag about it once it "
                                            "has happened."}}}};
                return r;
            }
            f.happened_on = when;
        }
        if (in.key == "brag_edit") {
            auto n = text::parse_number(in.value);
            if (!n || !brags_.update(in.user_id, *n, f, s_.clock.now())) {
                r.response_action = json{{"response_action", "errors"},
                                         {"errors", {{"text", not_found(n.value_or(0))}}}};
                return r;
            }
            r.dms.push_back(
                {in.user_id, *saved_reply(*brags_.find(in.user_id, *n), "Updated brag").message});
        } else {
            auto b = brags_.add(in.user_id, f, "slack", s_.clock.now());
            r.dms.push_back({in.user_id, *saved_reply(b, "Logged brag").message});
        }
        return r;
    }

  private:
    std::string clean(const std::string& slack_text) {
        const std::size_t max = s_.config.brag.max_text_bytes;
        // Refused before mentions are resolved: no Slack markup shrinks 8 bytes to fewer than
        // one (`<@U…>` to `@name` comes closest), so this paste cannot fit in the limit.
        if (slack_text.size() > 8 * max)
            throw UserError(text::too_long("brag", slack_text.size(), max));
        return text::clean_user_text(
            plain_with_names(s_, text::clean_user_text(slack_text, 8 * max, "brag")), max, "brag");
    }
    std::string clean_plain(const std::string& typed) {
        return text::clean_user_text(typed, s_.config.brag.max_text_bytes, "brag");
    }
    /// The person's today, read once per request: logging a brag and its reply both need it,
    /// and each reading of the time zone is a round trip on PostgreSQL.
    date::year_month_day today(const std::string& user) {
        if (auto it = today_.find(user); it != today_.end()) return it->second;
        return today_.emplace(user, today_for(s_, user)).first->second;
    }
    static int number_or_throw(const std::string& s, const std::string& verb) {
        auto n = text::parse_number(s);
        if (!n) {
            throw UserError("Which brag? Give its number, e.g. `/brag " + verb +
                            " 3` (numbers are in `/brag list`).");
        }
        return *n;
    }
    static std::string not_found(int n) {
        return "You have no brag #" + std::to_string(n) +
               ". `/brag list` shows your brags and their numbers.";
    }

    Services& s_;
    storage::PeopleRepo people_;
    storage::BragRepo brags_;
    Visibility vis_;
    std::map<std::string, date::year_month_day> today_;  ///< see today()
};

}  // namespace

void register_brag(App& app) {
    app.command({"/brag", "log and review your accomplishments",
                 "[text] | list | edit N | delete N | export md|csv | help"},
                [](Services& s, const Request& r) { return BragCommand(s).run(r); });
    app.view("brag_new",
             [](Services& s, const Interaction& in) { return BragCommand(s).submit_form(in); });
    app.view("brag_edit",
             [](Services& s, const Interaction& in) { return BragCommand(s).submit_form(in); });
    app.action("brag_undo", [](Services& s, const Interaction& in) {
        return BragCommand(s).undo(in.user_id, in.value);
    });
    auto page = [](Services& s, const Interaction& in) {
        json v = json::parse(in.value, nullptr, false);
        if (!v.is_object())
            throw UserError("That page button is out of date; run `/brag list` again.");
        return BragCommand(s).list_page(in.user_id, v.value("u", in.user_id), v.value("s", ""),
                                        v.value("p", 1));
    };
    app.action("brag_list_newer", page);
    app.action("brag_list_older", page);
    // Messages posted before the buttons had distinct action_ids still carry this one.
    app.action("brag_list_page", page);
}

}  // namespace careerbot::commands
