#include <catch2/catch.hpp>

#include "src/core/blocks.hpp"

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
