#include "mentorlog/domain/rubric.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

// rapidjson (Debian's rapidjson-dev, also what cereal uses): asserts must throw, not abort,
// because template files are input.
#include <stdexcept>

#include "json_guard.h"
#include "rapidjson_config.h"

namespace mentorlog::core {

const RubricCriterion* Rubric::FindCriterion(std::string_view criterion_code) const {
  for (const auto& c : criteria) {
    if (c.code == criterion_code) return &c;
  }
  return nullptr;
}

namespace {

using Json = rapidjson::Value;

class RubricReader {
 public:
  explicit RubricReader(std::string_view source) : source_(source) {}

  Status Error(const std::string& what) const {
    return Status::InvalidInput("rubric template " + source_ + ": " + what);
  }

  Status Text(const Json& obj, const char* key, LocalText& out, bool required = true) const {
    if (!obj.HasMember(key)) return required ? Error(std::string("«") + key + "» is missing") : Status::Ok();
    const Json& v = obj[key];
    if (!v.IsObject() || !v.HasMember("ru") || !v.HasMember("en") || !v["ru"].IsString() || !v["en"].IsString()) {
      return Error(std::string("«") + key + "» must have \"ru\" and \"en\" texts");
    }
    out.ru = v["ru"].GetString();
    out.en = v["en"].GetString();
    if (required && (out.ru.empty() || out.en.empty())) return Error(std::string("«") + key + "» has an empty text");
    return Status::Ok();
  }

  Status String(const Json& obj, const char* key, std::string& out) const {
    if (!obj.HasMember(key) || !obj[key].IsString()) return Error(std::string("«") + key + "» must be a text");
    out = obj[key].GetString();
    if (out.empty()) return Error(std::string("«") + key + "» is empty");
    return Status::Ok();
  }

  Status Int(const Json& obj, const char* key, int64_t& out) const {
    if (!obj.HasMember(key) || !obj[key].IsInt64()) return Error(std::string("«") + key + "» must be a whole number");
    out = obj[key].GetInt64();
    return Status::Ok();
  }

  const Json* Array(const Json& obj, const char* key) const {
    if (!obj.HasMember(key) || !obj[key].IsArray()) return nullptr;
    return &obj[key];
  }

 private:
  std::string source_;
};

Status ParseInto(const rapidjson::Document& doc, const RubricReader& r, Rubric& out) {
  if (!doc.IsObject()) return r.Error("the file is not a JSON object");
  RETURN_IF_ERROR(r.String(doc, "code", out.code));
  RETURN_IF_ERROR(r.Int(doc, "version", out.version));
  if (out.version < 1) return r.Error("«version» must be 1 or more");
  RETURN_IF_ERROR(r.Text(doc, "title", out.title));
  RETURN_IF_ERROR(r.Text(doc, "description", out.description, /*required=*/false));

  if (!doc.HasMember("scale") || !doc["scale"].IsObject()) return r.Error("«scale» is missing");
  const Json& scale = doc["scale"];
  RETURN_IF_ERROR(r.Int(scale, "min", out.min_level));
  RETURN_IF_ERROR(r.Int(scale, "max", out.max_level));
  if (out.min_level < -100 || out.max_level > 100 || out.max_level <= out.min_level ||
      out.max_level - out.min_level > 10) {
    return r.Error("the scale must have between 2 and 11 levels, each between -100 and 100");
  }
  const Json* levels = r.Array(scale, "levels");
  if (levels == nullptr) return r.Error("«scale.levels» is missing");
  for (const Json& l : levels->GetArray()) {
    if (!l.IsObject()) return r.Error("a scale level is not an object");
    RubricLevel level;
    RETURN_IF_ERROR(r.Int(l, "level", level.level));
    RETURN_IF_ERROR(r.Text(l, "label", level.label));
    out.levels.push_back(std::move(level));
  }
  if (out.levels.size() != static_cast<size_t>(out.max_level - out.min_level + 1)) {
    return r.Error("«scale.levels» must list every level from min to max");
  }
  for (size_t i = 0; i < out.levels.size(); ++i) {
    if (out.levels[i].level != out.min_level + static_cast<int64_t>(i))
      return r.Error("«scale.levels» must be in order");
  }
  RETURN_IF_ERROR(r.Text(scale, "not_observed", out.not_observed));

  const Json* domains = r.Array(doc, "domains");
  if (domains == nullptr || domains->Empty()) return r.Error("«domains» must list at least one domain");
  std::set<std::string> domain_codes;
  for (const Json& d : domains->GetArray()) {
    if (!d.IsObject()) return r.Error("a domain is not an object");
    RubricDomain domain;
    RETURN_IF_ERROR(r.String(d, "code", domain.code));
    RETURN_IF_ERROR(r.Text(d, "title", domain.title));
    if (!domain_codes.insert(domain.code).second) return r.Error("domain «" + domain.code + "» is listed twice");
    out.domains.push_back(std::move(domain));
  }

  const Json* criteria = r.Array(doc, "criteria");
  if (criteria == nullptr || criteria->Empty()) return r.Error("«criteria» must list at least one criterion");
  std::set<std::string> criterion_codes;
  std::set<std::string> used_domains;
  for (const Json& c : criteria->GetArray()) {
    if (!c.IsObject()) return r.Error("a criterion is not an object");
    RubricCriterion criterion;
    RETURN_IF_ERROR(r.String(c, "code", criterion.code));
    RETURN_IF_ERROR(r.String(c, "domain", criterion.domain));
    RETURN_IF_ERROR(r.Text(c, "title", criterion.title));
    RETURN_IF_ERROR(r.Text(c, "look_for", criterion.look_for, /*required=*/false));
    if (!criterion_codes.insert(criterion.code).second)
      return r.Error("criterion «" + criterion.code + "» is listed twice");
    if (!domain_codes.contains(criterion.domain)) {
      return r.Error("criterion «" + criterion.code + "» names an unknown domain «" + criterion.domain + "»");
    }
    used_domains.insert(criterion.domain);
    const Json* descriptors = r.Array(c, "descriptors");
    if (descriptors == nullptr) return r.Error("criterion «" + criterion.code + "» has no descriptors");
    criterion.descriptors.resize(out.levels.size());
    std::vector<bool> seen(out.levels.size(), false);
    for (const Json& d : descriptors->GetArray()) {
      if (!d.IsObject()) return r.Error("a descriptor is not an object");
      int64_t level = 0;
      RETURN_IF_ERROR(r.Int(d, "level", level));
      if (level < out.min_level || level > out.max_level) {
        return r.Error("criterion «" + criterion.code + "» describes level " + std::to_string(level) +
                       ", outside the scale");
      }
      const auto index = static_cast<size_t>(level - out.min_level);
      if (seen[index]) {
        return r.Error("criterion «" + criterion.code + "» describes level " + std::to_string(level) + " twice");
      }
      RETURN_IF_ERROR(r.Text(d, "text", criterion.descriptors[index]));
      seen[index] = true;
    }
    if (std::find(seen.begin(), seen.end(), false) != seen.end()) {
      return r.Error("criterion «" + criterion.code + "» must describe every level of the scale");
    }
    out.criteria.push_back(std::move(criterion));
  }
  if (used_domains.size() != domain_codes.size()) return r.Error("every domain needs at least one criterion");
  return Status::Ok();
}

}  // namespace

Result<Rubric> ParseRubric(std::string_view json, std::string_view source) {
  RubricReader reader(source);
  if (json.size() > (4u << 20)) return reader.Error("the file is larger than 4 MiB");
  // A template nests five deep (domains > criteria > levels); json_guard.h says why the rest.
  if (auto problem = JsonInputProblem(json, JsonLimits{.max_depth = 16})) {
    return reader.Error(*problem);
  }
  rapidjson::Document doc;
  try {
    doc.Parse(json.data(), json.size());
    if (doc.HasParseError()) {
      return reader.Error("not valid JSON near byte " + std::to_string(doc.GetErrorOffset()));
    }
    Rubric rubric;
    RETURN_IF_ERROR(ParseInto(doc, reader, rubric));
    return rubric;
  } catch (const std::exception& e) {
    return reader.Error(std::string("malformed: ") + e.what());
  }
}

Uuid RubricTemplateId(std::string_view code, int64_t version) {
  // Two FNV-1a hashes of the key; the layout of a UUID version 8 (custom) so it never collides
  // with a UUIDv7 made on a device.
  const std::string key = "mentorlog-rubric:" + std::string(code) + ":" + std::to_string(version);
  auto fnv = [&](uint64_t h) {
    for (unsigned char c : key) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    return h;
  };
  const uint64_t hi = fnv(0xcbf29ce484222325ULL), lo = fnv(0x84222325cbf29ce4ULL);
  std::array<uint8_t, 16> b{};
  for (int i = 0; i < 8; ++i) {
    b[static_cast<size_t>(i)] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<uint8_t>(0x80 | (b[6] & 0x0F));  // version 8
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));  // RFC 4122 variant
  return Uuid(b);
}

Result<RubricTemplate> LoadRubricTemplateFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IoError("cannot read rubric template " + path.string());
  std::ostringstream buf;
  buf << in.rdbuf();
  const std::string body = buf.str();
  ASSIGN_OR_RETURN(Rubric rubric, ParseRubric(body, path.filename().string()));
  RubricTemplate t;
  t.id = RubricTemplateId(rubric.code, rubric.version);
  t.code = rubric.code;
  t.version = rubric.version;
  t.title_ru = rubric.title.ru;
  t.title_en = rubric.title.en;
  t.body_json = body;
  return t;
}

Result<std::vector<RubricTemplate>> LoadBundledRubrics(const std::filesystem::path& assets_dir) {
  const auto dir = assets_dir / "rubrics";
  std::error_code ec;
  std::vector<RubricTemplate> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json") continue;
    ASSIGN_OR_RETURN(RubricTemplate t, LoadRubricTemplateFile(entry.path()));
    out.push_back(std::move(t));
  }
  if (ec) return Status::IoError("cannot list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return std::tie(a.code, a.version) < std::tie(b.code, b.version); });
  return out;
}

std::filesystem::path DefaultAssetsDir() {
  if (const char* env = std::getenv("MENTORLOG_ASSETS"); env != nullptr && *env != '\0') return env;
#ifdef MENTORLOG_ASSETS_DIR
  return MENTORLOG_ASSETS_DIR;
#else
  return "assets";
#endif
}

RecordState BundledRubricState(const RubricTemplate& t) {
  const FieldClock clock{HlcStamp::FromParts(0, 1), "bundled"};
  RecordState state = StateFromRecord(t);
  for (FieldState& f : state.fields) f.clock = clock;
  return state;
}

}  // namespace mentorlog::core
