#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "src/core/blocks.hpp"
#include "src/core/text.hpp"

using namespace careerbot;

TEST_CASE("escaping defuses mentions, broadcasts and links", "[blocks]") {
    CHECK(blocks::escape("<!channel> <!here> <!subteam^S1> <@U1> <http://evil|bank> a&b") ==
          "&lt;!channel&gt; &lt;!here&gt; &lt;!subteam^S1&gt; &lt;@U1&gt; "
          "&lt;http://evil|bank&gt; a&amp;b");
}

TEST_CASE("long text is split into sections of at most 3,000 characters", "[blocks]") {
    std::string line(100, 'x');
    std::string text;
    for (int i = 0; i < 70; ++i) text += line + "\n";  // ~7,070 characters
    blocks::MessageBuilder b("long");
    b.add_text(text);
    auto msgs = b.build();
    REQUIRE(msgs.size() == 1);
    CHECK(msgs[0].blocks.size() == 3);
    for (const auto& blk : msgs[0].blocks)
        CHECK(blk["text"]["text"].get<std::string>().size() <= blocks::kMaxSectionText);
}

TEST_CASE("splitting never cuts a UTF-8 character or an entity", "[blocks]") {
    std::string s;
    for (int i = 0; i < 2000; ++i) s += "\xC3\xA9&amp;";  // é&amp;
    for (const auto& part : blocks::split_text(s, 3000)) {
        CHECK(part.size() <= 3000);
        CHECK((static_cast<unsigned char>(part.front()) & 0xC0) != 0x80);
        auto amp = part.rfind('&');
        CHECK(part.substr(amp).size() >= 5);
    }
}

TEST_CASE("more than 50 blocks start a new message", "[blocks]") {
    blocks::MessageBuilder b("many");
    for (int i = 0; i < 120; ++i) b.add(blocks::section("row " + std::to_string(i)));
    auto r = b.reply();
    REQUIRE(r.message);
    CHECK(r.message->blocks.size() == 50);
    REQUIRE(r.more.size() == 2);
    CHECK(r.more[1].blocks.size() == 20);
    CHECK(r.more[1].text == "many (3/3)");
}

TEST_CASE("rendering for the terminal resolves Slack markup", "[blocks]") {
    auto names = [](const std::string& id) { return id == "U1" ? std::string("alice") : id; };
    CHECK(blocks::render_mrkdwn("hi <@U1>, see <https://x.io|the doc> in <#C1|general> "
                                "at <!date^1700000000^{date}|Nov 14> &lt;b&gt; &amp;",
                                names) ==
          "hi @alice, see the doc (https://x.io) in #general at Nov 14 <b> &");
    Message m;
    m.blocks = nlohmann::json::array({blocks::header("Title"), blocks::section("*bold*"),
                                      blocks::actions({blocks::button("Undo", "a", "1")})});
    CHECK(blocks::render_text(m, names) == "== Title ==\n*bold*\n  [Undo]\n");
}

namespace {

/// Random mrkdwn as careerbot writes it: escaped user text (ASCII, accented, CJK, emoji,
/// entities) between Slack markup — mentions, dates, links with labels that contain spaces.
std::string random_mrkdwn(std::mt19937& rng, std::size_t approx_bytes) {
    static const std::vector<std::string> pieces = {"word",
                                                    "longerword",
                                                    " ",
                                                    " ",
                                                    "\n",
                                                    "\n\n",
                                                    "é",
                                                    "日本語",
                                                    "🚀",
                                                    "&amp;",
                                                    "&lt;",
                                                    "&gt;",
                                                    "*bold*",
                                                    "• ",
                                                    "<@U012ABCDEF>",
                                                    "<@W1|alice>",
                                                    "<!date^1700000000^{date_short}|2023-11-14>",
                                                    "<https://example.com/a/b?c=d|the design doc>",
                                                    "<#C123|general>",
                                                    "<!here>",
                                                    "x",
                                                    "\t"};
    std::string out;
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1);
    while (out.size() < approx_bytes) out += pieces[pick(rng)];
    return out;
}

/// Whether [begin, end) of `s` starts or ends inside a `<…>` markup element.
bool cuts_markup(const std::string& whole, std::size_t at) {
    auto open = whole.rfind('<', at == 0 ? 0 : at - 1);
    if (at == 0 || open == std::string::npos) return false;
    auto close = whole.find('>', open);
    return close != std::string::npos && open < at && at <= close;
}

}  // namespace

TEST_CASE("split text rejoins to the original, fits the limit and never cuts markup",
          "[blocks][property]") {
    std::mt19937 rng(20261120);
    for (int round = 0; round < 300; ++round) {
        std::size_t limit = round % 3 == 0
                                ? blocks::kMaxSectionText
                                : std::uniform_int_distribution<std::size_t>(60, 400)(rng);
        std::string text =
            random_mrkdwn(rng, std::uniform_int_distribution<std::size_t>(1, limit * 6)(rng));
        auto parts = blocks::split_text(text, limit);
        std::string joined;
        std::size_t at = 0;
        for (const auto& p : parts) {
            INFO("round " << round << " limit " << limit << " part at " << at);
            CHECK(!p.empty());
            CHECK(p.size() <= limit);
            CHECK(text::valid_utf8(p));
            if (at > 0) CHECK_FALSE(cuts_markup(text, at));
            // No entity is cut: a part never ends with `&`, `&am`, `&l`, …
            auto amp = p.rfind('&');
            if (amp != std::string::npos) CHECK(p.find(';', amp) != std::string::npos);
            joined += p;
            at += p.size();
        }
        REQUIRE(joined == text);
    }
}

TEST_CASE("split text prefers line ends, then spaces, to cutting a word", "[blocks]") {
    std::string para(1800, 'a');
    std::string text = para + "\n" + para;  // the line end is past half the limit
    auto parts = blocks::split_text(text, 3000);
    REQUIRE(parts.size() == 2);
    CHECK(parts[0] == para + "\n");
    CHECK(parts[1] == para);

    std::string words;
    while (words.size() < 5000) words += "lorem ipsum ";
    for (const auto& p : blocks::split_text(words, 3000)) {
        CHECK(p.back() == ' ');
        CHECK(p.front() == 'l');
    }
}

TEST_CASE("an 8,000-byte text reaches Slack whole, in several sections", "[blocks]") {
    std::mt19937 rng(7);
    std::string text = random_mrkdwn(rng, 8000);
    blocks::MessageBuilder b("feedback");
    b.add(blocks::section(":speech_balloon: <@U1> left you feedback:\n>" + text));
    b.add(blocks::context("Kept in your record"));
    auto msgs = b.build();
    REQUIRE(msgs.size() == 1);
    std::string rejoined;
    for (const auto& blk : msgs[0].blocks) {
        auto t = blk["type"] == "context" ? blk["elements"][0]["text"].get<std::string>()
                                          : blk["text"]["text"].get<std::string>();
        CHECK(t.size() <= blocks::kMaxSectionText);
        if (blk["type"] == "section") rejoined += t;
    }
    CHECK(msgs[0].blocks.size() >= 4);
    // Parts may drop the line end they were cut at; every other byte arrives, in order.
    auto no_breaks = [](std::string s) {
        s.erase(std::remove(s.begin(), s.end(), '\n'), s.end());
        return s;
    };
    CHECK(no_breaks(rejoined) == no_breaks(":speech_balloon: <@U1> left you feedback:\n>" + text));
}

TEST_CASE("a split section keeps its button on its first part", "[blocks]") {
    auto blk = blocks::section(std::string(4000, 'x'));
    blk["accessory"] = blocks::button("Done", "done", "1");
    blk["block_id"] = "task_1";
    blocks::MessageBuilder b("x");
    b.add(blk);
    auto msgs = b.build();
    REQUIRE(msgs[0].blocks.size() == 2);
    CHECK(msgs[0].blocks[0]["accessory"]["action_id"] == "done");
    CHECK(msgs[0].blocks[0]["block_id"] == "task_1");
    CHECK_FALSE(msgs[0].blocks[1].contains("accessory"));
    CHECK_FALSE(msgs[0].blocks[1].contains("block_id"));
}

TEST_CASE("a text too long for one message continues in the next", "[blocks]") {
    std::string text;
    while (text.size() < 60 * blocks::kMaxSectionText) text += "another line of the IDO\n";
    text += "THE CLOSING LINE";
    blocks::MessageBuilder b("IDO");
    b.add_text(text);
    auto r = b.reply();
    REQUIRE(r.message);
    REQUIRE(r.more.size() == 1);
    CHECK(r.message->blocks.size() == blocks::kMaxBlocks);
    auto last = r.more.back().blocks.back()["text"]["text"].get<std::string>();
    CHECK_THAT(last, Catch::EndsWith("THE CLOSING LINE"));
}

TEST_CASE("a one-line answer longer than a section is sent whole", "[blocks]") {
    std::string long_text(7000, 'y');
    auto r = Reply::text("Saved:\n>" + long_text);
    REQUIRE(r.message);
    std::size_t ys = 0;
    for (const auto& blk : r.message->blocks) {
        auto t = blk["text"]["text"].get<std::string>();
        CHECK(t.size() <= blocks::kMaxSectionText);
        ys += static_cast<std::size_t>(std::count(t.begin(), t.end(), 'y'));
    }
    CHECK(ys == long_text.size());
    CHECK(r.message->text.size() <= blocks::kMaxFallbackText);
}

TEST_CASE("a context longer than Slack allows becomes several contexts", "[blocks]") {
    auto parts = blocks::fit_block(blocks::context(std::string(7000, 'c')));
    REQUIRE(parts.size() == 3);
    for (const auto& p : parts) {
        CHECK(p["type"] == "context");
        CHECK(p["elements"][0]["text"].get<std::string>().size() <= blocks::kMaxSectionText);
    }
    CHECK(blocks::fit_block(blocks::divider()).size() == 1);
}
