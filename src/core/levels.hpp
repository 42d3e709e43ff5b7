#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "src/core/config.hpp"

namespace careerbot {

/// One dimension a level is judged on, and the brag tags that count as evidence for it.
struct LevelDimension {
    std::string name;               ///< "Technical scope"
    std::string expectation;        ///< what the level expects, in a sentence
    std::vector<std::string> tags;  ///< lower-case, without '#'
    int min_brags = 1;              ///< tagged brags needed in the evidence window
};

/// A career level: its place in the ladder and what it takes to be there.
struct Level {
    std::string id;     ///< "L3"
    std::string title;  ///< "Senior Engineer"
    std::vector<LevelDimension> dimensions;
    std::vector<std::string> training;        ///< courses that must be recorded with /cert
    std::vector<std::string> certifications;  ///< certifications that must be recorded with /cert
};

/// What a person has that counts towards readiness.
struct Evidence {
    std::set<std::string> certs;            ///< recorded training/certifications, normalised
    std::map<std::string, int> tag_counts;  ///< brag tags in the evidence window -> brags
    /// The evidence tags of each brag in the window -> how many brags carry exactly those: a
    /// brag tagged with two of a dimension's tags is still one brag of evidence for it.
    std::map<std::set<std::string>, int> brags_by_tags;

    /// Counts one brag carrying `tags` (the evidence tags among its tags).
    void add_brag(const std::set<std::string>& tags);
    /// How many brags carry at least one of `tags`.
    int brags_tagged(const std::vector<std::string>& tags) const;
};

/// How far a person is from a target level, and what is missing.
struct Readiness {
    std::string target;                         ///< level id
    std::vector<std::string> missing_certs;     ///< training/certifications not recorded
    std::vector<std::string> missing_evidence;  ///< dimension names without enough brags
    /// True when nothing is missing.
    bool ready() const { return missing_certs.empty() && missing_evidence.empty(); }
    /// "ready" or "missing: AWS SAA, evidence for Technical scope".
    std::string describe() const;
};

/// The career ladder from config/levels.toml, lowest level first.
class Levels {
  public:
    Levels() = default;
    /// Reads a levels file; throws careerbot::Error naming the file and the problem.
    static Levels load(const std::filesystem::path& file);
    /// Parses levels TOML text (for tests).
    static Levels parse(const std::string& toml_text, const std::string& source = "levels");
    /// The file used until the config has a key for it: $CAREERBOT_LEVELS, else
    /// config/levels.toml, else config/levels.example.toml; empty when none exists.
    static std::filesystem::path default_path();
    /// Loads default_path(), or no levels at all when there is no file.
    static Levels load_default();
    /// Loads `org.levels_file` when the config names one, else load_default().
    static Levels load_for(const Config& config);
    /// The file load_for() reads: `org.levels_file`, else default_path(); empty when none.
    static std::filesystem::path path_for(const Config& config);
    /// load_for(), refusing a missing file and one without levels with a careerbot::Error that
    /// says what to fix: `run` and `console` call it at start-up, so a broken ladder shows
    /// then rather than at somebody's first `/promo`.
    static Levels load_required(const Config& config);

    /// Every level, lowest first.
    const std::vector<Level>& all() const { return levels_; }
    /// True when no levels are configured.
    bool empty() const { return levels_.empty(); }
    /// The level with this id (case-insensitive).
    const Level* find(const std::string& id) const;
    /// Position of a level in the ladder (0 = lowest); nothing when unknown.
    std::optional<std::size_t> index_of(const std::string& id) const;
    /// The level after `current`; the lowest level when `current` is empty or unknown;
    /// nothing at the top.
    const Level* next_after(const std::optional<std::string>& current) const;
    /// Readiness for `target`: every training/certification of every level up to and
    /// including it recorded, and evidence for each of its dimensions.
    Readiness readiness(const std::string& target, const Evidence& evidence) const;
    /// Every brag tag any dimension counts as evidence (to limit what queries read).
    std::vector<std::string> evidence_tags() const;

  private:
    std::vector<Level> levels_;
};

/// Normalises a training or certification name for matching: trimmed, lower-case, inner
/// white space collapsed.
std::string normalise_cert(const std::string& name);

}  // namespace careerbot
