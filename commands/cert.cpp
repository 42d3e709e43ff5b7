// /cert: the training and certifications a person completed, which promotion readiness checks
// against the levels (config/levels.toml).
#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/certs.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/cert add <name> [date] [link]",
     "record a training or certification, e.g. `/cert add AWS Solutions Architect Associate "
     "2026-10-02 https://…` (date defaults to today)"},
    {"/cert list [@person]", "your training and certifications (or a report's)"},
    {"/cert remove N", "remove record #N"},
    {"/cert help", "this help"},
};

/// A link as Slack sends it (`<https://x|label>` or `<https://x>`) or as typed.
std::optional<std::string> as_link(const std::string& word) {
    std::string w = word;
    if (w.size() > 2 && w.front() == '<' && w.back() == '>') {
        w = w.substr(1, w.size() - 2);
        if (auto bar = w.find('|'); bar != std::string::npos) w = w.substr(0, bar);
    }
    if (w.starts_with("https://") || w.starts_with("http://")) return w;
    return std::nullopt;
}

class CertCommand {
  public:
    explicit CertCommand(Services& s) : s_(s), people_(s.db), certs_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "help") {
            return help_reply("/cert — training and certifications", kUsage);
        }
        if (cmd == "add") return add(r.user_id, rest);
        if (cmd == "list") return list(r.user_id, rest);
        if (cmd == "remove" || cmd == "delete") return remove(r.user_id, rest);
        throw UserError("`/cert` takes `add`, `list` or `remove`; `/cert help` shows how.");
    }

  private:
    Reply add(const std::string& user, const std::string& args) {
        std::string link;
        std::string rest;
        for (const auto& w : text::words(args)) {
            if (auto l = as_link(w); l && link.empty()) {
                link = *l;
            } else {
                rest += (rest.empty() ? "" : " ") + w;
            }
        }
        auto today = today_for(s_, user);
        std::string earned_on = iso_day(today);
        if (auto d = find_happened_date(rest, today)) {
            const std::string typed = "`" + blocks::escape(d->phrase) + "`";
            if (d->kind == HappenedDate::Kind::Impossible)
                throw UserError(typed + " is not a date on the calendar; nothing was recorded.");
            if (d->kind == HappenedDate::Kind::Future) {
                throw UserError(typed + " is in the future (" + iso_day(d->date) +
                                "); record it once you have completed it.");
            }
            earned_on = iso_day(d->date);
            rest = d->rest;
        }
        if (text::trim(rest).empty()) {
            throw UserError(
                "What did you complete? e.g. `/cert add Incident commander training "
                "2026-10-02`.");
        }
        // Stored as plain text (entities decoded, mentions as @names) and escaped when shown.
        std::string name =
            text::clean_user_text(plain_with_names(s_, rest), 200, "certification name");
        auto c = certs_.add(user, name, earned_on, link, s_.clock.now());
        return Reply::text(":mortar_board: Recorded *#" + std::to_string(c.number) + "* " +
                           blocks::escape(c.name) + " (" + c.earned_on + ")." +
                           " It counts towards promotion readiness: `/promo status`.");
    }

    Reply list(const std::string& viewer, const std::string& args) {
        std::string target = viewer;
        for (const auto& w : text::words(args)) {
            auto id = text::mention_id(w);
            if (!id) throw UserError("`/cert list` takes a person, e.g. `/cert list @alex`.");
            target = *id;
        }
        // Same rules as the brag document: the person and their manager chain.
        vis_.require_read(viewer, target, RecordKind::Cert);
        auto items = certs_.list(target);
        std::string whose = target == viewer ? "Your training and certifications"
                                             : "Training and certifications of <@" + target + ">";
        blocks::MessageBuilder m(whose);
        m.add(blocks::section("*" + whose + "* — " + std::to_string(items.size())));
        std::string body;
        for (const auto& c : items) {
            body += "*#" + std::to_string(c.number) + "* · " + c.earned_on + " · " +
                    blocks::escape(c.name);
            if (!c.link.empty()) body += " · <" + blocks::escape(c.link) + "|link>";
            body += "\n";
        }
        if (body.empty()) body = "Nothing recorded yet. `/cert add <name> [date] [link]`.";
        m.add_text(body);
        return m.reply();
    }

    Reply remove(const std::string& user, const std::string& args) {
        auto n = text::parse_number(text::first_word(args).first);
        if (!n)
            throw UserError(
                "Which one? Give its number, e.g. `/cert remove 2` (see `/cert list`).");
        if (!certs_.remove(user, *n)) {
            throw UserError("You have no training or certification #" + std::to_string(*n) +
                            ". `/cert list` shows yours.");
        }
        return Reply::text(":wastebasket: Removed #" + std::to_string(*n) + ".");
    }

    Services& s_;
    storage::PeopleRepo people_;
    storage::CertRepo certs_;
    Visibility vis_;
};

}  // namespace

void register_cert(App& app) {
    app.command({"/cert", "record training and certifications for promotion readiness",
                 "add <name> [date] [link] | list [@person] | remove N | help"},
                [](Services& s, const Request& r) { return CertCommand(s).run(r); });
}

}  // namespace careerbot::commands
