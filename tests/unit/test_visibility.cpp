// The visibility matrix: record kinds × relations between viewer and subject.
#include <catch2/catch.hpp>

#include "fixture.hpp"
#include "src/core/visibility.hpp"

using namespace careerbot;
using careerbot::testing::TestApp;

namespace {
// Org:   dir ── mgr ──┬── eng (subject)
//                     └── peer
//        eng ── intern (eng's own report)
//        other_dir ── other (a different org); admin outside every chain; mentor of eng's IDO.
void build_org(TestApp& t) {
    t.person("mgr", "dir");
    t.person("eng", "mgr");
    t.person("peer", "mgr");
    t.person("intern", "eng");
    t.person("other", "other_dir");
    t.person("admin");
    t.person("mentor");
    t.person("author");
}
}  // namespace

TEST_CASE("who may see what, for every record kind and relation", "[visibility]") {
    TestApp t;
    t.config.org.admins = {"admin"};
    build_org(t);
    Visibility v(t.db);
    RecordParties parties{.author_id = std::string("author"), .mentor_id = std::string("mentor")};

    struct Case {
        const char* viewer;
        const char* relation;
        bool brag, feedback, task, checkin, ido, ido_progress;
    };
    const Case cases[] = {
        {"eng", "self", true, true, true, true, true, true},
        {"mgr", "manager", true, true, true, true, true, true},
        {"dir", "skip-level", true, true, true, true, true, true},
        {"peer", "peer", false, false, false, false, false, false},
        {"intern", "report", false, false, false, false, false, false},
        {"mentor", "mentor", false, false, false, false, true, true},
        {"author", "feedback author", false, true, false, false, false, false},
        {"admin", "admin outside the chain", false, false, false, false, false, false},
        {"other_dir", "another director", false, false, false, false, false, false},
        {"", "nobody", false, false, false, false, false, false},
    };
    for (const auto& c : cases) {
        INFO(c.relation);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::Brag, parties) == c.brag);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::Feedback, parties) == c.feedback);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::Task, parties) == c.task);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::Checkin, parties) == c.checkin);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::Ido, parties) == c.ido);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::IdoProgress, parties) == c.ido_progress);
        // Kinds that exist for their refusal's wording read like the records they are made of.
        CHECK(v.can_read(c.viewer, "eng", RecordKind::BragDocument, parties) == c.brag);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::Cert, parties) == c.brag);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::Promotion, parties) == c.brag);
        CHECK(v.can_read(c.viewer, "eng", RecordKind::OneOnOnePrep, parties) == c.task);
    }
}

TEST_CASE("a refusal reads the same whether the person exists or not", "[visibility]") {
    TestApp t;
    build_org(t);
    Visibility v(t.db);
    std::string hidden, missing;
    try {
        v.require_read("peer", "eng", RecordKind::Brag);
    } catch (const UserError& e) {
        hidden = e.what();
    }
    try {
        v.require_read("peer", "ghost", RecordKind::Brag);
    } catch (const UserError& e) {
        missing = e.what();
    }
    CHECK_FALSE(hidden.empty());
    CHECK(hidden == missing);
}

TEST_CASE("every refusal names the kind of record asked for, and only that kind", "[visibility]") {
    TestApp t;
    build_org(t);
    ::setenv("CAREERBOT_LEVELS", CAREERBOT_SOURCE_DIR "/config/levels.example.toml", 1);
    struct Ask {
        const char* command;
        const char* text;  // %s is the person asked about
        const char* names;
    };
    const Ask asks[] = {
        {"/brag", "list %s", "You can see brags only"},
        {"/brag", "export %s", "You can see brag documents only"},
        {"/feedback", "list %s", "You can see feedback only"},
        {"/task", "list %s", "You can see tasks only"},
        {"/task", "status %s", "You can see tasks only"},
        {"/checkin", "status %s", "You can see check-ins only"},
        {"/ido", "status %s", "You can see IDOs (development objectives)"},
        {"/cert", "list %s", "You can see training and certifications only"},
        {"/promo", "status %s", "You can see promotion status and petitions only"},
    };
    for (const auto& a : asks) {
        auto ask = [&](const std::string& who) {
            std::string text = a.text;
            text.replace(text.find("%s"), 2, who);
            return t.say("peer", a.command, text);
        };
        std::string hidden = ask("<@eng>");
        INFO(a.command << " " << a.text << ": " << hidden);
        CHECK_THAT(hidden, Catch::StartsWith(":lock: " + std::string(a.names)));
        // Other kinds' words would describe a different request (tasks refused as "brags").
        for (const char* other : {"brags only", "brag documents", "feedback only", "tasks only",
                                  "check-ins", "IDOs", "training", "promotion"}) {
            if (std::string(a.names).find(other) == std::string::npos)
                CHECK_THAT(hidden, !Catch::Contains(other));
        }
        CHECK(ask("<@ghost>") == hidden);  // nothing about whether they exist
    }
}
