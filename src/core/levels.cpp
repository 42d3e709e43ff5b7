#include "src/core/levels.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

#include "src/core/error.hpp"
#include "src/core/text.hpp"

namespace careerbot {
namespace {

std::vector<std::string> strings(const toml::table& t, const char* key, const std::string& where) {
    std::vector<std::string> out;
    const toml::node* node = t.get(key);
    if (node == nullptr) return out;
    const auto* arr = node->as_array();
    if (arr == nullptr) throw Error(where + "." + key + " must be an array of strings");
    for (const auto& item : *arr) {
        auto s = item.value<std::string>();
        if (!s) throw Error(where + "." + key + " must be an array of strings");
        out.push_back(*s);
    }
    return out;
}

std::string required_string(const toml::table& t, const char* key, const std::string& where) {
    auto v = t[key].value<std::string>();
    if (!v || text::trim(*v).empty()) throw Error(where + " needs a non-empty `" + key + "`");
    return text::trim(*v);
}

void reject_unknown(const toml::table& t, const std::set<std::string>& known,
                    const std::string& where) {
    for (const auto& [key, value] : t) {
        (void)value;
        if (!known.contains(std::string(key.str())))
            throw Error(where + ": unknown key '" + std::string(key.str()) + "'");
    }
}

std::string strip_hash(std::string tag) {
    tag = text::lower(text::trim(tag));
    if (!tag.empty() && tag.front() == '#') tag.erase(0, 1);
    return tag;
}

}  // namespace

std::string normalise_cert(const std::string& name) {
    std::string out;
    for (const auto& w : text::words(text::lower(name))) out += (out.empty() ? "" : " ") + w;
    return out;
}

std::string Readiness::describe() const {
    if (ready()) return "ready for " + target;
    std::string out = "for " + target + " missing: ";
    bool first = true;
    for (const auto& c : missing_certs) {
        out += (first ? "" : ", ") + c;
        first = false;
    }
    for (const auto& d : missing_evidence) {
        out += (first ? "" : ", ") + ("evidence for " + d);
        first = false;
    }
    return out;
}

Levels Levels::parse(const std::string& toml_text, const std::string& source) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        std::ostringstream msg;
        msg << source << ": " << e.description() << " (line " << e.source().begin.line << ")";
        throw Error(msg.str());
    }
    reject_unknown(root, {"level"}, source);
    Levels out;
    const auto* arr = root["level"].as_array();
    if (arr == nullptr) return out;
    std::set<std::string> seen;
    for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto* t = (*arr)[i].as_table();
        std::string where = source + ": level " + std::to_string(i + 1);
        if (t == nullptr) throw Error(where + " must be a table ([[level]])");
        reject_unknown(*t, {"id", "title", "dimension", "training", "certifications"}, where);
        Level l;
        l.id = required_string(*t, "id", where);
        l.title = (*t)["title"].value_or(std::string(l.id));
        if (!seen.insert(text::lower(l.id)).second) throw Error(where + ": duplicate id " + l.id);
        l.training = strings(*t, "training", where);
        l.certifications = strings(*t, "certifications", where);
        if (const auto* dims = (*t)["dimension"].as_array()) {
            for (std::size_t j = 0; j < dims->size(); ++j) {
                const auto* d = (*dims)[j].as_table();
                std::string dwhere = where + " (" + l.id + ") dimension " + std::to_string(j + 1);
                if (d == nullptr) throw Error(dwhere + " must be a table ([[level.dimension]])");
                reject_unknown(*d, {"name", "expectation", "tags", "min_brags"}, dwhere);
                LevelDimension dim;
                dim.name = required_string(*d, "name", dwhere);
                dim.expectation = (*d)["expectation"].value_or(std::string());
                for (auto& tag : strings(*d, "tags", dwhere)) dim.tags.push_back(strip_hash(tag));
                dim.min_brags = static_cast<int>((*d)["min_brags"].value_or(int64_t{1}));
                if (dim.min_brags < 0) throw Error(dwhere + ": min_brags must be 0 or more");
                l.dimensions.push_back(std::move(dim));
            }
        }
        out.levels_.push_back(std::move(l));
    }
    return out;
}

Levels Levels::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw Error("cannot read levels file " + file.string());
    std::stringstream buf;
    buf << in.rdbuf();
    return parse(buf.str(), file.string());
}

std::filesystem::path Levels::default_path() {
    if (const char* env = std::getenv("CAREERBOT_LEVELS"); env != nullptr && *env != '\0')
        return env;
    for (const char* p : {"config/levels.toml", "config/levels.example.toml"}) {
        if (std::filesystem::exists(p)) return p;
    }
    return {};
}

std::filesystem::path Levels::path_for(const Config& config) {
    return config.org.levels_file.empty() ? default_path()
                                          : std::filesystem::path(config.org.levels_file);
}

Levels Levels::load_for(const Config& config) {
    return config.org.levels_file.empty() ? load_default() : load(config.org.levels_file);
}

Levels Levels::load_required(const Config& config) {
    const auto path = path_for(config);
    if (path.empty()) {
        throw Error(
            "no career levels file: set org.levels_file in the config (relative to the "
            "config file) or $CAREERBOT_LEVELS; config/levels.example.toml is a start");
    }
    if (!std::filesystem::exists(path)) {
        throw Error("the levels file " + path.string() + " does not exist (org.levels_file " +
                    "is read relative to the config file; config/levels.example.toml is a start)");
    }
    Levels levels = load(path);
    if (levels.empty()) throw Error(path.string() + ": no levels in it (a [[level]] table each)");
    return levels;
}

Levels Levels::load_default() {
    auto path = default_path();
    return path.empty() ? Levels{} : load(path);
}

const Level* Levels::find(const std::string& id) const {
    auto i = index_of(id);
    return i ? &levels_[*i] : nullptr;
}

std::optional<std::size_t> Levels::index_of(const std::string& id) const {
    std::string want = text::lower(text::trim(id));
    for (std::size_t i = 0; i < levels_.size(); ++i) {
        if (text::lower(levels_[i].id) == want) return i;
    }
    return std::nullopt;
}

const Level* Levels::next_after(const std::optional<std::string>& current) const {
    if (levels_.empty()) return nullptr;
    auto i = current ? index_of(*current) : std::nullopt;
    if (!i) return &levels_.front();
    return *i + 1 < levels_.size() ? &levels_[*i + 1] : nullptr;
}

void Evidence::add_brag(const std::set<std::string>& tags) {
    if (tags.empty()) return;
    for (const auto& t : tags) ++tag_counts[t];
    ++brags_by_tags[tags];
}

int Evidence::brags_tagged(const std::vector<std::string>& tags) const {
    int n = 0;
    // No structured binding here: clang 14 (the fuzz build) cannot capture one in a lambda.
    for (const auto& entry : brags_by_tags) {
        const auto& carried = entry.first;
        if (std::any_of(tags.begin(), tags.end(),
                        [&carried](const auto& t) { return carried.contains(t); }))
            n += entry.second;
    }
    return n;
}

Readiness Levels::readiness(const std::string& target, const Evidence& evidence) const {
    Readiness r;
    auto top = index_of(target);
    if (!top) throw UserError("There is no level `" + target + "` in the levels file.");
    r.target = levels_[*top].id;
    std::set<std::string> listed;
    for (std::size_t i = 0; i <= *top; ++i) {
        for (const auto* names : {&levels_[i].training, &levels_[i].certifications}) {
            for (const auto& name : *names) {
                auto key = normalise_cert(name);
                if (!evidence.certs.contains(key) && listed.insert(key).second)
                    r.missing_certs.push_back(name);
            }
        }
    }
    for (const auto& dim : levels_[*top].dimensions) {
        if (evidence.brags_tagged(dim.tags) < dim.min_brags) r.missing_evidence.push_back(dim.name);
    }
    return r;
}

std::vector<std::string> Levels::evidence_tags() const {
    std::set<std::string> tags;
    for (const auto& l : levels_)
        for (const auto& d : l.dimensions) tags.insert(d.tags.begin(), d.tags.end());
    return {tags.begin(), tags.end()};
}

}  // namespace careerbot
