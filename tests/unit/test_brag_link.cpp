#include <catch2/catch.hpp>

#include "commands/brag_text.hpp"
#include "fixture.hpp"
#include "storage/brags.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {
Reply submit_link(TestApp& t, const std::string& link) {
    Interaction submit;
    submit.type = "view_submission";
    submit.key = "brag_new";
    submit.user_id = "alice";
    submit.payload = nlohmann::json::parse(R"({"view":{"state":{"values":{
        "text":{"value":{"type":"plain_text_input","value":"ran the offsite"}},
        "impact":{"value":{"type":"plain_text_input","value":null}},
        "link":{"value":{"type":"plain_text_input","value":null}},
        "date":{"value":{"type":"datepicker","selected_date":null}}}}}})");
    submit.payload["view"]["state"]["values"]["link"]["value"]["value"] = link;
    return t.app.handle(t.services, submit);
}
}  // namespace

TEST_CASE("web links are accepted as a brag's link", "[brag][link]") {
    for (const char* ok :
         {"https://example.com", "http://wiki/offsite", "HTTPS://Example.COM/a/b?c=d#e",
          "https://docs.example.co.uk:8443/x", "http://192.168.1.10/status",
          "https://[2001:db8::1]:443/", "https://bücher.example/", "https://a-b.example./"}) {
        INFO(ok);
        if (std::string(ok) == "https://a-b.example./") {
            CHECK(commands::link_problem(ok));  // an empty label after the last dot
        } else {
            CHECK_FALSE(commands::link_problem(ok));
        }
    }
}

TEST_CASE("what is not a web link is refused with a reason", "[brag][link]") {
    for (const char* bad :
         {"example.com", "ftp://example.com/file", "javascript:alert(1)", "https://",
          "https:///path", "https://exa mple.com", "https://example.com|phish",
          "https://bank.example@evil.example/", "https://-bad-.example", "https://example.com:0",
          "https://example.com:99999", "https://example.com:/", "https://[zz::1]/", "https://a..b/",
          "https://example.com/\"x"}) {
        INFO(bad);
        auto why = commands::link_problem(bad);
        REQUIRE(why);
        CHECK_FALSE(why->empty());
    }
    CHECK(commands::link_problem("https://example.com/" + std::string(3000, 'a')));
}

TEST_CASE("the brag form answers a bad link on the link field and saves nothing", "[brag][link]") {
    TestApp t;
    t.person("alice");
    auto r = submit_link(t, "not a link");
    REQUIRE(r.response_action);
    CHECK((*r.response_action)["response_action"] == "errors");
    CHECK((*r.response_action)["errors"].contains("link"));
    CHECK(r.dms.empty());
    CHECK(t.count("SELECT COUNT(*) FROM brags") == 0);

    auto ok = submit_link(t, "  https://wiki.example/offsite  ");
    CHECK_FALSE(ok.response_action);
    auto b = storage::BragRepo(t.db).find("alice", 1);
    REQUIRE(b);
    CHECK(b->link == "https://wiki.example/offsite");
}
