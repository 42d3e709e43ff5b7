// /feedback, the "Save as feedback" message shortcut and the feedback reaction: praise and
// feedback posted in Slack, kept after Slack's retention window deletes the original.
#include <nlohmann/json.hpp>

#include "commands/people_text.hpp"
#include "commands/registry.hpp"
#include "src/core/blocks.hpp"
#include "src/core/dates.hpp"
#include "src/core/error.hpp"
#include "src/core/logging.hpp"
#include "src/core/text.hpp"
#include "src/core/visibility.hpp"
#include "storage/audit.hpp"
#include "storage/feedback.hpp"
#include "storage/people.hpp"

namespace careerbot::commands {
namespace {
using nlohmann::json;

const std::vector<std::pair<std::string, std::string>> kUsage = {
    {"/feedback @person <text>", "record feedback for someone (they get a copy by DM)"},
    {"/feedback list [@person]", "feedback you (or a report) received, newest first"},
    {"/feedback given", "feedback you wrote, with its numbers"},
    {"/feedback edit @person N <new text>",
     "change feedback #N you wrote for them (they are not notified again)"},
    {"/feedback delete @person N", "delete feedback #N you wrote for them"},
    {"/feedback hide N",
     "leave feedback #N you received out of your brag document (it stays in `/feedback list`); "
     "`/feedback unhide N` puts it back"},
    {"Save as feedback (message shortcut)",
     "on any message: keep it as feedback for the people "
     "it mentions, or for yourself"},
    {"the feedback reaction", "react to praise of you to keep it as your feedback"},
    {"/feedback help", "this help"},
};

constexpr std::size_t kMaxFeedbackBytes = 8000;

std::string when(int64_t unix_seconds, const std::string& fallback_date) {
    // Slack shows each reader the date in their own time zone; the console shows the fallback.
    return "<!date^" + std::to_string(unix_seconds) + "^{date_short}|" + fallback_date + ">";
}

class FeedbackCommand {
  public:
    explicit FeedbackCommand(Services& s) : s_(s), people_(s.db), repo_(s.db), vis_(s.db) {}

    Reply run(const Request& r) {
        auto [sub, rest] = text::first_word(r.text);
        std::string cmd = text::lower(sub);
        if (cmd.empty() || cmd == "help")
            return help_reply("/feedback — feedback that outlives Slack", kUsage);
        if (cmd == "list") return list(r.user_id, rest);
        if (cmd == "given") return given(r.user_id);
        if (cmd == "edit") return edit(r, rest);
        if (cmd == "delete" || cmd == "remove") return remove(r.user_id, rest);
        if (cmd == "hide") return hide(r.user_id, rest, true);
        if (cmd == "unhide" || cmd == "show") return hide(r.user_id, rest, false);
        auto subject = text::mention_id(sub);
        if (!subject) {
            static const std::vector<std::string> kSubcommands = {
                "list", "given", "edit", "delete", "hide", "unhide", "help"};
            if (auto meant = text::near_miss(cmd, kSubcommands)) {
                throw UserError("Did you mean `/feedback " + *meant +
                                "`? `/feedback help` lists them all.");
            }
            throw UserError(
                "Start with whom it is for, e.g. `/feedback @alex great incident write-up`. "
                "`/feedback help` lists the rest.");
        }
        return give(r, *subject, rest);
    }

    Reply give(const Request& r, const std::string& subject, const std::string& body) {
        if (subject == r.user_id) {
            throw UserError(
                "Feedback is for someone else. To keep a note of your own win, use "
                "`/brag`; to keep praise someone posted about you, use the *Save as "
                "feedback* shortcut on their message.");
        }
        if (!learn_person(s_, subject))
            throw UserError("That's an app or a bot; feedback is for people.");
        std::string plain = clean(body);
        storage::Feedback f;
        f.subject_id = subject;
        f.author_id = r.user_id;
        f.saved_by = r.user_id;
        f.text = plain;
        f.source = r.source == "console" ? "console" : "command";
        f.channel_id = r.channel_id;
        f.channel_name = r.channel_name;
        f.posted_at = to_unix(s_.clock.now());
        auto [saved, inserted] = repo_.add(f, s_.clock.now());
        (void)inserted;
        Reply reply = Reply::text(":memo: Saved your feedback for <@" + subject + ">:\n>" +
                                  blocks::escape(saved.text) + "\nThey get a copy by DM.");
        blocks::MessageBuilder dm("New feedback from " +
                                  blocks::escape(people_.display_name(r.user_id)));
        dm.add(blocks::section(":speech_balloon: <@" + r.user_id + "> left you feedback:\n>" +
                               blocks::escape(saved.text)));
        dm.add(blocks::context("Kept in your record for check-ins and reviews · `/feedback list`"));
        std::move(dm).send_to(subject, reply);
        return reply;
    }

    /// Feedback text as typed, checked and with mentions resolved to names.
    std::string clean(const std::string& body) {
        // As for a brag: no Slack markup shrinks 8 bytes to fewer than one.
        if (body.size() > 8 * kMaxFeedbackBytes)
            throw UserError(text::too_long("feedback", body.size(), kMaxFeedbackBytes));
        return text::clean_user_text(
            plain_with_names(s_, text::clean_user_text(body, 8 * kMaxFeedbackBytes, "feedback")),
            kMaxFeedbackBytes, "feedback");
    }

    /// `@person N rest…` of edit/delete: the recipient, the number, and the words after.
    struct Target {
        std::string subject;
        int number = 0;
        std::string rest;
    };

    Target target_of(const std::string& args, const std::string& verb) {
        std::string example = "`/feedback " + verb + " @alex 3" +
                              (verb == "edit" ? " &lt;new text&gt;" : "") +
                              "` (`/feedback given` lists what you wrote, with the numbers)";
        auto [who, after] = text::first_word(args);
        auto [num, rest] = text::first_word(after);
        auto subject = text::mention_id(who);
        if (!subject) {
            // `/feedback edit 3 @alex …` reads the same.
            subject = text::mention_id(num);
            std::swap(who, num);
        }
        auto n = text::parse_number(num.starts_with("#") ? num.substr(1) : num);
        if (!subject || !n || *n <= 0)
            throw UserError("Whose feedback, and which? " + example + ".");
        return {*subject, *n, text::trim(rest)};
    }

    /// The item `viewer` wrote; the refusal is the same whether it exists or someone else
    /// wrote it.
    storage::Feedback written_by(const std::string& viewer, const Target& t,
                                 const std::string& verb) {
        auto f = repo_.find(t.subject, t.number);
        if (!f || f->author_id != viewer) {
            throw UserError(":lock: You can " + verb +
                            " only feedback you wrote, and you wrote no feedback #" +
                            std::to_string(t.number) + " for <@" + t.subject +
                            ">. `/feedback given` lists yours with their numbers.");
        }
        return *f;
    }

    void audit(const std::string& viewer, const storage::Feedback& f, const std::string& what) {
        storage::AuditRepo(s_.db).record({0, 0, viewer, "feedback_" + what, f.subject_id,
                                          "feedback", "#" + std::to_string(f.number)},
                                         s_.clock.now());
    }

    Reply edit(const Request& r, const std::string& args) {
        auto t = target_of(args, "edit");
        auto f = written_by(r.user_id, t, "edit");
        if (t.rest.empty()) {
            throw UserError("What should it say? `/feedback edit <@" + t.subject + "> " +
                            std::to_string(t.number) + " &lt;new text&gt;`. Now it says:\n>" +
                            blocks::escape(f.text));
        }
        std::string plain = clean(t.rest);
        if (plain == f.text) throw UserError("That feedback already says exactly that.");
        repo_.set_text(t.subject, t.number, plain, s_.clock.now());
        audit(r.user_id, f, "edit");
        // No DM: an edit is a correction, and the recipient already heard about the feedback.
        return Reply::text(":pencil2: Changed your feedback *#" + std::to_string(t.number) +
                           "* for <@" + t.subject + ">:\n>" + blocks::escape(plain) +
                           "\nThey are not notified again.");
    }

    Reply remove(const std::string& viewer, const std::string& args) {
        auto t = target_of(args, "delete");
        auto f = written_by(viewer, t, "delete");
        repo_.remove(t.subject, t.number);
        audit(viewer, f, "delete");
        return Reply::text(":wastebasket: Deleted your feedback *#" + std::to_string(t.number) +
                           "* for <@" + t.subject + ">:\n>~" + blocks::escape(f.text) + "~");
    }

    Reply hide(const std::string& viewer, const std::string& args, bool hidden) {
        std::string verb = hidden ? "hide" : "unhide";
        std::string a = text::trim(args);
        auto n = text::parse_number(a.starts_with("#") ? a.substr(1) : a);
        if (!n || *n <= 0) {
            throw UserError("Which one? `/feedback " + verb +
                            " 3` — the number in `/feedback list` (only feedback you received).");
        }
        auto f = repo_.find(viewer, *n);
        if (!f) {
            throw UserError("You have received no feedback #" + std::to_string(*n) +
                            ". `/feedback list` shows yours with their numbers.");
        }
        if (!repo_.set_hidden(viewer, *n, hidden, s_.clock.now())) {
            return Reply::text(hidden ? "Feedback #" + std::to_string(*n) +
                                            " is already left out of your brag document."
                                      : "Feedback #" + std::to_string(*n) +
                                            " is already in your brag document.");
        }
        return Reply::text(
            hidden ? ":see_no_evil: Feedback *#" + std::to_string(*n) + "* from <@" + f->author_id +
                         "> is left out of your brag document and promotion evidence from now "
                         "on. It stays in `/feedback list`; `/feedback unhide " +
                         std::to_string(*n) + "` puts it back."
                   : ":eyes: Feedback *#" + std::to_string(*n) + "* from <@" + f->author_id +
                         "> is back in your brag document.");
    }

    Reply list(const std::string& viewer, const std::string& args) {
        std::string subject = viewer;
        for (const auto& w : text::words(args)) {
            if (auto id = text::mention_id(w)) subject = *id;
        }
        auto all = repo_.received(subject);
        std::vector<storage::Feedback> shown;
        for (auto& f : all) {
            if (vis_.can_read(viewer, subject, RecordKind::Feedback,
                              {.author_id = f.author_id, .mentor_id = {}}))
                shown.push_back(std::move(f));
        }
        // Seeing none of it because none is visible reads exactly like having no access at all.
        bool full = vis_.can_read(viewer, subject, RecordKind::Feedback);
        if (!full && shown.empty()) throw UserError(Visibility::refusal(RecordKind::Feedback));
        std::string whose =
            subject == viewer ? "Feedback you received" : "Feedback for <@" + subject + ">";
        if (!full) whose = "Feedback you gave <@" + subject + ">";
        blocks::MessageBuilder m(whose);
        m.add(blocks::section("*" + whose + "* — " + std::to_string(shown.size())));
        if (shown.empty()) {
            m.add(
                blocks::section("Nothing saved yet. When someone praises you in Slack, use the "
                                "*Save as feedback* shortcut on the message, or react with :" +
                                s_.config.slack.feedback_reaction + ":."));
        }
        // Several to a section: a section each made 300 saved feedbacks 7 messages.
        std::vector<std::string> lines;
        for (const auto& f : shown) lines.push_back(line(f));
        m.add_packed(lines);
        if (subject == viewer && !shown.empty()) {
            m.add(blocks::context("`/feedback hide N` leaves one out of your brag document."));
        }
        return m.reply();
    }

    Reply given(const std::string& viewer) {
        auto items = repo_.given(viewer);
        blocks::MessageBuilder m("Feedback you gave");
        m.add(blocks::section("*Feedback you gave* — " + std::to_string(items.size())));
        std::vector<std::string> lines;
        for (const auto& f : items) lines.push_back("to <@" + f.subject_id + "> · " + line(f));
        m.add_packed(lines);
        if (!items.empty()) {
            m.add(
                blocks::context("`/feedback edit @person N &lt;new text&gt;` corrects one; "
                                "`/feedback delete @person N` removes it."));
        }
        return m.reply();
    }

    std::string line(const storage::Feedback& f) {
        std::string date =
            iso_day(local_date(from_unix(f.posted_at), s_.config.org.default_timezone));
        std::string out = "*#" + std::to_string(f.number) + "* · " + when(f.posted_at, date) +
                          " · from <@" + f.author_id + ">";
        if (!f.channel_name.empty() && f.channel_name != "directmessage" &&
            f.channel_name != "console")
            out += " in #" + blocks::escape(f.channel_name);
        if (f.edited_at) out += " · _edited_";
        if (f.hidden_at) out += " · _not in the brag document_";
        out += "\n>" + blocks::escape(f.text);
        if (!f.permalink.empty()) out += "\n<" + blocks::escape(f.permalink) + "|original message>";
        return out;
    }

    /// The message shortcut: check the message, hold it, and ask whom it is for.
    Reply shortcut(const Interaction& in) {
        const json& msg = in.payload.value("message", json::object());
        const json& channel = in.payload.value("channel", json::object());
        std::string bot_id = msg.value("bot_id", "");
        std::string subtype = msg.value("subtype", "");
        std::string author = msg.value("user", "");
        if (!bot_id.empty() || subtype == "bot_message" || author.empty()) {
            throw UserError(
                "That message was posted by an app or a bot. *Save as feedback* keeps "
                "what people write about each other.");
        }
        std::string slack_text = msg.value("text", "");
        if (text::trim(slack_text).empty()) {
            throw UserError(
                "That message has no text of its own (only attachments or files), so "
                "there is nothing to save as feedback.");
        }
        std::string ts = msg.value("ts", "");
        std::string channel_id = channel.value("id", in.channel_id);
        learn_person(s_, author);
        std::string plain =
            text::clean_user_text(plain_with_names(s_, slack_text), 40000, "message");
        storage::PendingFeedback p;
        p.saved_by = in.user_id;
        p.author_id = author;
        p.text = plain;
        p.channel_id = channel_id;
        p.channel_name = channel.value("name", "");
        p.message_ts = ts;
        p.permalink = s_.lookup().permalink(channel_id, ts).value_or("");
        repo_.prune_pending(s_.clock.now() - std::chrono::hours(24));
        int64_t id = repo_.hold(p, s_.clock.now());

        // Default recipients: the people the message mentions (not its author), else the saver.
        std::vector<std::string> who;
        for (const auto& m : text::mentions(slack_text)) {
            if (m != author) who.push_back(m);
        }
        if (who.empty()) who.push_back(in.user_id);
        // An excerpt to recognise the message by; the whole of it is what gets saved.
        auto parts = blocks::split_text(blocks::escape(plain), 1500);
        std::string excerpt = parts.front() + (parts.size() > 1 ? "…" : "");
        json view = {
            {"type", "modal"},
            {"callback_id", "feedback_save"},
            {"private_metadata", std::to_string(id)},
            {"title", {{"type", "plain_text"}, {"text", "Save as feedback"}}},
            {"submit", {{"type", "plain_text"}, {"text", "Save"}}},
            {"close", {{"type", "plain_text"}, {"text", "Cancel"}}},
            {"blocks",
             json::array(
                 {blocks::section("From <@" + author + ">:\n>" + excerpt),
                  json{{"type", "input"},
                       {"block_id", "who"},
                       {"label", {{"type", "plain_text"}, {"text", "Who is this feedback for?"}}},
                       {"element",
                        {{"type", "multi_users_select"},
                         {"action_id", "value"},
                         {"initial_users", who},
                         {"max_selected_items", 10}}}}})}};
        Reply r = Reply::text("Saving that message as feedback — pick whom it is for in the form.");
        r.open_modal = view;
        return r;
    }

    /// The modal's submission: store the held message for each chosen person.
    Reply submit(const Interaction& in) {
        auto errors = [](const std::string& msg) {
            Reply r;
            r.response_action = json{{"response_action", "errors"}, {"errors", {{"who", msg}}}};
            return r;
        };
        std::vector<std::string> who;
        try {
            for (const auto& u :
                 in.payload.at("view").at("state").at("values").at("who").at("value").at(
                     "selected_users"))
                who.push_back(u.get<std::string>());
        } catch (const json::exception&) {
        }
        if (who.empty()) return errors("Pick at least one person.");
        int64_t id = 0;
        try {
            id = std::stoll(in.value);
        } catch (const std::exception&) {
            return errors("This form has expired; run the shortcut again.");
        }
        auto held = repo_.take(id, in.user_id);
        if (!held) return errors("This form has expired; run the shortcut again.");
        std::vector<std::string> saved_for;
        for (const auto& subject : who) {
            if (!learn_person(s_, subject)) continue;
            storage::Feedback f;
            f.subject_id = subject;
            f.author_id = held->author_id;
            f.saved_by = in.user_id;
            f.text = held->text;
            f.source = "shortcut";
            f.channel_id = held->channel_id;
            f.channel_name = held->channel_name;
            f.message_ts = held->message_ts;
            f.permalink = held->permalink;
            f.posted_at = ts_seconds(held->message_ts);
            repo_.add(f, s_.clock.now());
            saved_for.push_back(subject);
        }
        if (saved_for.empty()) return errors("Those are apps or bots; pick people.");
        std::string names;
        for (const auto& id2 : saved_for) names += (names.empty() ? "" : ", ") + ("<@" + id2 + ">");
        Reply r;
        Message confirm;
        confirm.text = "Saved as feedback";
        confirm.blocks.push_back(blocks::section(":floppy_disk: Saved <@" + held->author_id +
                                                 ">'s message as feedback for " + names + "."));
        r.dms.push_back({in.user_id, confirm});
        return r;
    }

    /// A reaction with the configured emoji saves the message as feedback for the reactor.
    Reply reaction(const Event& e) {
        const json& body = e.body;
        if (body.value("reaction", "") != s_.config.slack.feedback_reaction) return Reply::none();
        const json& item = body.value("item", json::object());
        if (item.value("type", "") != "message") return Reply::none();
        std::string channel = item.value("channel", "");
        std::string ts = item.value("ts", "");
        std::string reactor = e.user_id;
        // Slack always names who reacted; without one there is nobody to save it for (and the
        // insert would fail on the people foreign key, so Slack would retry it for nothing).
        if (reactor.empty()) return Reply::none();
        auto dm = [&](std::string text_in) {
            Reply r;
            Message m;
            m.text = text_in;
            m.blocks.push_back(blocks::section(std::move(text_in)));
            r.dms.push_back({reactor, m});
            return r;
        };
        auto msg = s_.lookup().message(channel, ts);
        if (!msg) {
            logger("app")->warn("could not read message {} in {} to save as feedback", ts, channel);
            return dm(
                "I couldn't read that message to save it as feedback — is careerbot a member "
                "of that channel? The *Save as feedback* shortcut works everywhere.");
        }
        if (!msg->bot_id.empty() || msg->subtype == "bot_message" || msg->user_id.empty())
            return dm(
                "That message was posted by an app or a bot, so I didn't save it as feedback.");
        if (text::trim(msg->text).empty())
            return dm("That message has only attachments or files, so there was no text to save.");
        if (msg->user_id == reactor) return Reply::none();  // your own message isn't feedback
        learn_person(s_, msg->user_id);
        storage::Feedback f;
        f.subject_id = reactor;
        f.author_id = msg->user_id;
        f.saved_by = reactor;
        f.text = text::clean_user_text(plain_with_names(s_, msg->text), 40000, "message");
        f.source = "reaction";
        f.channel_id = channel;
        f.message_ts = ts;
        f.permalink = s_.lookup().permalink(channel, ts).value_or("");
        f.posted_at = ts_seconds(ts);
        auto [saved, inserted] = repo_.add(f, s_.clock.now());
        if (!inserted) return Reply::none();
        return dm(":floppy_disk: Saved <@" + msg->user_id + ">'s message as feedback for you (#" +
                  std::to_string(saved.number) + "). `/feedback list` shows everything you kept.");
    }

  private:
    Services& s_;
    storage::PeopleRepo people_;
    storage::FeedbackRepo repo_;
    Visibility vis_;
};

}  // namespace

void register_feedback(App& app) {
    app.command({"/feedback", "record feedback for someone, or list what you received",
                 "@person <text> | list [@person] | given | edit @person N | delete @person N | "
                 "hide N | help"},
                [](Services& s, const Request& r) { return FeedbackCommand(s).run(r); });
    app.shortcut("save_as_feedback", [](Services& s, const Interaction& in) {
        return FeedbackCommand(s).shortcut(in);
    });
    app.view("feedback_save",
             [](Services& s, const Interaction& in) { return FeedbackCommand(s).submit(in); });
    app.event("reaction_added",
              [](Services& s, const Event& e) { return FeedbackCommand(s).reaction(e); });
}

}  // namespace careerbot::commands
