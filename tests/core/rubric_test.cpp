// Tests for mentorlog/domain/rubric.h: the bundled template, and ParseRubric's checks.
//
// Template bodies are input (a file on disk, a record arriving by sync), so besides the
// rules of assets/rubrics/README.md the parser must survive any bytes: truncated prefixes
// and a thousand mutated copies of the real file are parsed and must fail cleanly, never
// crash.
//
// [SECTION] Helpers: the real file and a small template builder
// [SECTION] The bundled rubric
// [SECTION] ParseRubric rejects broken templates
// [SECTION] Robustness on damaged input
#include "mentorlog/domain/rubric.h"
#include "mentorlog/store/bundled_rubrics.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "mentorlog/base/status.h"
#include "test_fixtures.h"

#ifndef MENTORLOG_ASSETS_DIR
#error "MENTORLOG_ASSETS_DIR must be defined for the tests as the path to assets/"
#endif

namespace mentorlog::core {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Helpers: the real file and a small template builder
// -----------------------------------------------------------------------------------------

using testing::Must;

const std::filesystem::path kAssetsDir = MENTORLOG_ASSETS_DIR;
const std::filesystem::path kBundledFile = kAssetsDir / "rubrics" / "lesson_observation_v1.json";

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string Text(std::string_view ru, std::string_view en) {
  return R"({"ru":")" + std::string(ru) + R"(","en":")" + std::string(en) + R"("})";
}

// One criterion with a descriptor for each of `levels`.
std::string Criterion(std::string_view code, std::string_view domain,
                      std::initializer_list<int> levels = {0, 1, 2, 3}) {
  std::string descriptors;
  for (int l : levels) {
    if (!descriptors.empty()) descriptors += ",";
    descriptors += R"({"level":)" + std::to_string(l) + R"(,"text":)" +
                   Text("уровень " + std::to_string(l), "level " + std::to_string(l)) + "}";
  }
  return R"({"code":")" + std::string(code) + R"(","domain":")" + std::string(domain) + R"(","title":)" +
         Text("Критерий", "Criterion") + R"(,"look_for":)" + Text("Что видно", "What to see") + R"(,"descriptors":[)" +
         descriptors + "]}";
}

std::string Domain(std::string_view code) {
  return R"({"code":")" + std::string(code) + R"(","title":)" + Text("Область", "Domain") + "}";
}

std::string Join(const std::vector<std::string>& parts) {
  std::string s;
  for (const auto& p : parts) s += (s.empty() ? "" : ",") + p;
  return s;
}

// A small template on a 0..3 scale; pass other domains or criteria to break it.
std::string SmallRubric(const std::vector<std::string>& criteria = {Criterion("aims_clear", "aims"),
                                                                    Criterion("climate", "support")},
                        const std::vector<std::string>& domains = {Domain("aims"), Domain("support")}) {
  std::vector<std::string> levels;
  for (int l = 0; l <= 3; ++l) {
    levels.push_back(R"({"level":)" + std::to_string(l) + R"(,"label":)" + Text("метка", "label") + "}");
  }
  return R"({"code":"mini","version":1,"title":)" + Text("Мини", "Mini") + R"(,"description":)" +
         Text("Описание", "Description") + R"(,"scale":{"min":0,"max":3,"levels":[)" + Join(levels) +
         R"(],"not_observed":)" + Text("Не наблюдалось", "Not observed") + R"(},"domains":[)" + Join(domains) +
         R"(],"criteria":[)" + Join(criteria) + "]}";
}

// Replaces the one occurrence of `from` in `text`; fails the test if there is not exactly one.
std::string ReplaceOnce(std::string text, std::string_view from, std::string_view to) {
  const size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "«" << from << "» not found";
  if (at == std::string::npos) return text;
  EXPECT_EQ(text.find(from, at + 1), std::string::npos) << "«" << from << "» found twice";
  text.replace(at, from.size(), to);
  return text;
}

// Succeeds when parsing fails with InvalidInput and a message containing `needle`.
::testing::AssertionResult RejectedWith(std::string_view json, std::string_view needle) {
  const auto r = ParseRubric(json, "test.json");
  if (r.ok()) return ::testing::AssertionFailure() << "parsed, expected an error containing «" << needle << "»";
  const Status s = r.status();
  if (s.code() != StatusCode::kInvalidInput) {
    return ::testing::AssertionFailure() << "wrong code for: " << s.message();
  }
  if (!Contains(s.message(), needle)) {
    return ::testing::AssertionFailure() << "«" << s.message() << "» does not contain «" << needle << "»";
  }
  if (!Contains(s.message(), "test.json")) {
    return ::testing::AssertionFailure() << "«" << s.message() << "» does not name the source";
  }
  return ::testing::AssertionSuccess();
}

// -----------------------------------------------------------------------------------------
// [SECTION] The bundled rubric
// -----------------------------------------------------------------------------------------

TEST(RubricTest, BundledRubricsLoad) {
  const auto templates = LoadBundledRubrics(kAssetsDir);
  ASSERT_TRUE(templates.ok()) << templates.status().message();
  ASSERT_FALSE(templates->empty());
  const auto it = std::find_if(templates->begin(), templates->end(), [](const RubricTemplate& t) {
    return t.code == "lesson_observation" && t.version == 1;
  });
  ASSERT_NE(it, templates->end());
  EXPECT_EQ(it->title_ru, "Карта наблюдения урока");
  EXPECT_EQ(it->title_en, "Lesson observation rubric");
  EXPECT_EQ(it->body_json, ReadFile(kBundledFile));
  EXPECT_TRUE(std::is_sorted(templates->begin(), templates->end(), [](const auto& a, const auto& b) {
    return std::tie(a.code, a.version) < std::tie(b.code, b.version);
  }));
  for (const auto& t : *templates) {
    const auto parsed = ParseRubric(t.body_json, t.code);
    EXPECT_TRUE(parsed.ok()) << t.code << ": " << parsed.status().message();
  }
}

TEST(RubricTest, BundledRubricShape) {
  const auto parsed = ParseRubric(ReadFile(kBundledFile), kBundledFile.filename().string());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const Rubric& r = *parsed;

  EXPECT_EQ(r.code, "lesson_observation");
  EXPECT_EQ(r.version, 1);
  EXPECT_FALSE(r.title.ru.empty());
  EXPECT_FALSE(r.title.en.empty());

  EXPECT_EQ(r.min_level, 0);
  EXPECT_EQ(r.max_level, 3);
  ASSERT_EQ(r.levels.size(), 4u);
  for (size_t i = 0; i < r.levels.size(); ++i) {
    EXPECT_EQ(r.levels[i].level, static_cast<int64_t>(i));
    EXPECT_FALSE(r.levels[i].label.ru.empty()) << i;
    EXPECT_FALSE(r.levels[i].label.en.empty()) << i;
  }
  EXPECT_EQ(r.not_observed.en, "Not observed");
  EXPECT_EQ(r.not_observed.ru, "Не наблюдалось");
  EXPECT_EQ(r.not_observed.In(Language::kRussian), "Не наблюдалось");

  EXPECT_GE(r.criteria.size(), 8u);
  EXPECT_LE(r.criteria.size(), 12u);
  std::set<std::string> domain_codes;
  for (const auto& d : r.domains) domain_codes.insert(d.code);
  std::set<std::string> criterion_codes;
  std::set<std::string> used_domains;
  for (const auto& c : r.criteria) {
    SCOPED_TRACE(c.code);
    EXPECT_TRUE(criterion_codes.insert(c.code).second) << "duplicate code";
    EXPECT_TRUE(domain_codes.contains(c.domain));
    used_domains.insert(c.domain);
    EXPECT_FALSE(c.title.ru.empty());
    EXPECT_FALSE(c.title.en.empty());
    ASSERT_EQ(c.descriptors.size(), 4u);
    for (const auto& d : c.descriptors) {
      EXPECT_FALSE(d.ru.empty());
      EXPECT_FALSE(d.en.empty());
      EXPECT_NE(d.ru, d.en);
    }
    EXPECT_EQ(r.FindCriterion(c.code), &c);
  }
  EXPECT_EQ(used_domains, domain_codes);
  EXPECT_EQ(r.FindCriterion("no_such_criterion"), nullptr);
}

TEST(RubricTest, LoadTemplateFileKeepsTheBody) {
  const auto t = LoadRubricTemplateFile(kBundledFile);
  ASSERT_TRUE(t.ok()) << t.status().message();
  EXPECT_EQ(t->code, "lesson_observation");
  EXPECT_EQ(t->version, 1);
  // The same id on every device and on the server: one record, wherever it is installed.
  EXPECT_EQ(t->id, RubricTemplateId("lesson_observation", 1));
  EXPECT_EQ(t->id.version(), 8);
  EXPECT_NE(RubricTemplateId("lesson_observation", 2), t->id);
  EXPECT_EQ(t->body_json, ReadFile(kBundledFile));
}

// The state the server installs (SyncService::InstallBundledRubrics builds it field by field):
// a device must hold the same one, or the two would disagree on the template.
TEST(RubricTest, BundledRubricStateIsTheStateTheServerInstalls) {
  const RubricTemplate t = Must(LoadRubricTemplateFile(kBundledFile), "LoadRubricTemplateFile");
  RecordState server;
  server.kind = RecordKind::kRubricTemplate;
  server.id = t.id;
  const FieldClock clock{HlcStamp::FromParts(0, 1), "bundled"};
  ForEachFieldDef<RubricTemplate>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(t.*(def.member))>;
    server.fields.push_back({std::string(def.name), FieldCodec<T>::Encode(t.*(def.member)), clock, {}});
  });
  EXPECT_EQ(BundledRubricState(t), server);
}

class RubricInstallTest : public testing::StoreFixture {};

TEST_F(RubricInstallTest, InstalledTemplatesAreNotInTheOutbox) {
  ASSERT_TRUE(InstallBundledRubrics(store(), kAssetsDir).ok());
  EXPECT_EQ(Pending(), 0) << "a new device's first sync would push templates the server already has";
  const auto bundled = Must(LoadBundledRubrics(kAssetsDir), "LoadBundledRubrics");
  ASSERT_FALSE(bundled.empty());
  for (const RubricTemplate& t : bundled) {
    SCOPED_TRACE(t.code);
    EXPECT_EQ(Must(store().ledger().StateOf(t.id), "StateOf"), BundledRubricState(t))
        << "the same state as the server's";
    EXPECT_EQ(Must(store().records().Get<RubricTemplate>(t.id), "Get").body_json, t.body_json);
  }
  EXPECT_TRUE(Must(store().ConsistencyProblems(), "ConsistencyProblems").empty());

  // Every start installs again: nothing changes, nothing is queued.
  ASSERT_TRUE(InstallBundledRubrics(store(), kAssetsDir).ok());
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(Must(store().records().List<RubricTemplate>(), "List").size(), bundled.size());

  // A later edit on the device is an ordinary write after the bundled clock: it is pushed.
  RubricTemplate edited = Must(store().records().Get<RubricTemplate>(bundled[0].id), "Get");
  edited.title_en += " (edited)";
  ASSERT_TRUE(store().records().Save(edited).ok());
  EXPECT_EQ(Pending(), 1);
}

TEST_F(RubricInstallTest, ADeletedTemplateIsNotInstalledAgain) {
  ASSERT_TRUE(InstallBundledRubrics(store(), kAssetsDir).ok());
  const auto bundled = Must(LoadBundledRubrics(kAssetsDir), "LoadBundledRubrics");
  ASSERT_TRUE(store().records().Delete(RecordKind::kRubricTemplate, bundled[0].id).ok());
  ASSERT_TRUE(InstallBundledRubrics(store(), kAssetsDir).ok());
  EXPECT_TRUE(Must(store().ledger().StateOf(bundled[0].id), "StateOf")->deleted.has_value());
  EXPECT_EQ(Pending(), 1);  // the delete, nothing else
}

TEST(RubricTest, LoadMissingFilesFails) {
  const auto t = LoadRubricTemplateFile(kAssetsDir / "rubrics" / "no_such_rubric_v9.json");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(Contains(t.status().message(), "no_such_rubric_v9.json")) << t.status().message();

  const auto all = LoadBundledRubrics(kAssetsDir / "no_such_dir");
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), StatusCode::kIoError);
}

TEST(RubricTest, SmallTemplateParses) {
  // The builder below must make a valid template, or the rejection tests prove nothing.
  const auto r = ParseRubric(SmallRubric(), "test.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->criteria.size(), 2u);
  ASSERT_EQ(r->criteria[0].descriptors.size(), 4u);
  EXPECT_EQ(r->criteria[0].descriptors[3].en, "level 3");
  EXPECT_EQ(r->criteria[0].look_for.ru, "Что видно");
}

TEST(RubricTest, DescriptorsMayBeListedInAnyOrder) {
  const auto r = ParseRubric(
      SmallRubric({Criterion("aims_clear", "aims", {3, 1, 0, 2}), Criterion("climate", "support")}), "test.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->criteria[0].descriptors[1].en, "level 1");
  EXPECT_EQ(r->criteria[0].descriptors[3].en, "level 3");
}

TEST(RubricTest, OptionalTextsMayBeMissing) {
  std::string json = ReplaceOnce(SmallRubric(), R"("description":{"ru":"Описание","en":"Description"},)", "");
  const auto r = ParseRubric(json, "test.json");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->description.en.empty());
}

// -----------------------------------------------------------------------------------------
// [SECTION] ParseRubric rejects broken templates
// -----------------------------------------------------------------------------------------

TEST(RubricTest, RejectsInvalidJson) {
  EXPECT_TRUE(RejectedWith("{\"code\": \"mini\",", "not valid JSON"));
  EXPECT_TRUE(RejectedWith("", "not valid JSON"));
  EXPECT_TRUE(RejectedWith("{'code': 'mini'}", "not valid JSON near byte 1"));
  EXPECT_TRUE(RejectedWith(SmallRubric() + "}", "not valid JSON"));
}

TEST(RubricTest, RejectsNonObject) {
  EXPECT_TRUE(RejectedWith("[]", "not a JSON object"));
  EXPECT_TRUE(RejectedWith("42", "not a JSON object"));
}

TEST(RubricTest, RejectsCriterionInUnknownDomain) {
  EXPECT_TRUE(RejectedWith(
      SmallRubric({Criterion("aims_clear", "aims"), Criterion("climate", "support"), Criterion("homework", "nowhere")}),
      "criterion «homework» names an unknown domain «nowhere»"));
}

TEST(RubricTest, RejectsMissingDescriptorLevel) {
  EXPECT_TRUE(RejectedWith(SmallRubric({Criterion("aims_clear", "aims", {0, 1, 3}), Criterion("climate", "support")}),
                           "criterion «aims_clear» must describe every level"));
  EXPECT_TRUE(RejectedWith(SmallRubric({Criterion("aims_clear", "aims", {}), Criterion("climate", "support")}),
                           "criterion «aims_clear» must describe every level"));
}

TEST(RubricTest, RejectsDuplicateCriterionCode) {
  EXPECT_TRUE(RejectedWith(SmallRubric({Criterion("aims_clear", "aims"), Criterion("climate", "support"),
                                        Criterion("aims_clear", "support")}),
                           "criterion «aims_clear» is listed twice"));
}

TEST(RubricTest, RejectsDescriptorOutsideScale) {
  EXPECT_TRUE(
      RejectedWith(SmallRubric({Criterion("aims_clear", "aims", {0, 1, 2, 3, 4}), Criterion("climate", "support")}),
                   "criterion «aims_clear» describes level 4, outside the scale"));
  EXPECT_TRUE(
      RejectedWith(SmallRubric({Criterion("aims_clear", "aims"), Criterion("climate", "support", {-1, 0, 1, 2, 3})}),
                   "criterion «climate» describes level -1, outside the scale"));
}

TEST(RubricTest, RejectsMissingDescriptors) {
  std::string c = Criterion("aims_clear", "aims");
  c = c.substr(0, c.find(R"(,"descriptors")")) + "}";
  EXPECT_TRUE(
      RejectedWith(SmallRubric({c, Criterion("climate", "support")}), "criterion «aims_clear» has no descriptors"));
}

TEST(RubricTest, RejectsDuplicateAndUnusedDomains) {
  EXPECT_TRUE(RejectedWith(SmallRubric({Criterion("aims_clear", "aims")}, {Domain("aims"), Domain("aims")}),
                           "domain «aims» is listed twice"));
  EXPECT_TRUE(RejectedWith(SmallRubric({Criterion("aims_clear", "aims")}, {Domain("aims"), Domain("support")}),
                           "every domain needs at least one criterion"));
  EXPECT_TRUE(
      RejectedWith(SmallRubric({Criterion("aims_clear", "aims")}, {}), "«domains» must list at least one domain"));
  EXPECT_TRUE(RejectedWith(SmallRubric({}), "«criteria» must list at least one criterion"));
}

TEST(RubricTest, RejectsBadHeader) {
  const std::string good = SmallRubric();
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("code":"mini",)", ""), "«code» must be a text"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("code":"mini")", R"("code":"")"), "«code» is empty"));
  EXPECT_TRUE(
      RejectedWith(ReplaceOnce(good, R"("version":1)", R"("version":"1")"), "«version» must be a whole number"));
  EXPECT_TRUE(
      RejectedWith(ReplaceOnce(good, R"("version":1)", R"("version":1.5)"), "«version» must be a whole number"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("version":1)", R"("version":0)"), "«version» must be 1 or more"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("title":{"ru":"Мини","en":"Mini"})", R"("title":"Mini")"),
                           "«title» must have \"ru\" and \"en\" texts"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("title":{"ru":"Мини","en":"Mini"})", R"("title":{"ru":"Мини"})"),
                           "«title» must have \"ru\" and \"en\" texts"));
  EXPECT_TRUE(
      RejectedWith(ReplaceOnce(good, R"("title":{"ru":"Мини","en":"Mini"})", R"("title":{"ru":"","en":"Mini"})"),
                   "«title» has an empty text"));
}

TEST(RubricTest, RejectsBadScale) {
  const std::string good = SmallRubric();
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("min":0,"max":3)", R"("min":3,"max":3)"), "between 2 and 11 levels"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("min":0,"max":3)", R"("min":0,"max":11)"), "between 2 and 11 levels"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("min":0,"max":3)", R"("min":0,"max":4)"),
                           "«scale.levels» must list every level from min to max"));
  EXPECT_TRUE(
      RejectedWith(ReplaceOnce(good, R"("min":0,"max":3)", R"("min":1,"max":4)"), "«scale.levels» must be in order"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("min":0,)", ""), "«min» must be a whole number"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"(,"not_observed":{"ru":"Не наблюдалось","en":"Not observed"})", ""),
                           "«not_observed» is missing"));
  const size_t scale = good.find(R"("scale":)");
  const size_t domains = good.find(R"("domains":)");
  EXPECT_TRUE(RejectedWith(good.substr(0, scale) + good.substr(domains), "«scale» is missing"));
  EXPECT_TRUE(
      RejectedWith(good.substr(0, scale) + R"("scale":[0,1,2,3],)" + good.substr(domains), "«scale» is missing"));
}

TEST(RubricTest, RejectsWrongJsonTypes) {
  // Each of these reaches a rapidjson accessor with the wrong type if a check is missing.
  const std::string good = SmallRubric();
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("domains":[{"code":"aims")", R"("domains":[7,{"code":"aims")"),
                           "a domain is not an object"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("criteria":[)", R"("criteria":["aims_clear",)"),
                           "a criterion is not an object"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("levels":[)", R"("levels":[null,)"), "a scale level is not an object"));
  EXPECT_TRUE(
      RejectedWith(ReplaceOnce(good, R"("levels":[)", R"("levels":{"a":1},"x":[)"), "«scale.levels» is missing"));
  EXPECT_TRUE(RejectedWith(ReplaceOnce(good, R"("domains":[)", R"("domains":{"aims":1},"x":[)"),
                           "«domains» must list at least one domain"));
  std::string c = ReplaceOnce(Criterion("aims_clear", "aims"), R"("descriptors":[)", R"("descriptors":[[],)");
  EXPECT_TRUE(RejectedWith(SmallRubric({c, Criterion("climate", "support")}), "a descriptor is not an object"));
  c = ReplaceOnce(Criterion("aims_clear", "aims"), R"("domain":"aims")", R"("domain":["aims"])");
  EXPECT_TRUE(RejectedWith(SmallRubric({c, Criterion("climate", "support")}), "«domain» must be a text"));
  c = ReplaceOnce(Criterion("aims_clear", "aims"), R"({"level":2,)", R"({"level":"2",)");
  EXPECT_TRUE(RejectedWith(SmallRubric({c, Criterion("climate", "support")}), "«level» must be a whole number"));
  c = ReplaceOnce(Criterion("aims_clear", "aims"), R"("text":{"ru":"уровень 1","en":"level 1"})",
                  R"("text":{"ru":"уровень 1","en":2})");
  EXPECT_TRUE(
      RejectedWith(SmallRubric({c, Criterion("climate", "support")}), "«text» must have \"ru\" and \"en\" texts"));
}

TEST(RubricTest, RejectsOversizedFile) {
  std::string big = SmallRubric();
  big.insert(big.size() - 1, std::string((4u << 20) + 1, ' '));
  EXPECT_TRUE(RejectedWith(big, "larger than 4 MiB"));
}

// -----------------------------------------------------------------------------------------
// [SECTION] Robustness on damaged input
// -----------------------------------------------------------------------------------------

TEST(RubricTest, TruncatedPrefixesNeverCrash) {
  const std::string full = ReadFile(kBundledFile);
  ASSERT_GT(full.size(), 1000u);
  // Every cut through the header, the scale, the domains and the first criterion (the other
  // criteria repeat the same shapes), every cut in the last bytes, and a prime stride in
  // between: cutting at all ~45k offsets costs half a minute in a debug build.
  const size_t criteria = full.find("\"criteria\"");
  ASSERT_NE(criteria, std::string::npos);
  const size_t second_criterion = full.find("\"code\"", full.find("\"descriptors\"", criteria));
  ASSERT_NE(second_criterion, std::string::npos);
  const size_t dense_head = second_criterion + 64;
  const size_t dense_tail = full.size() > 512 ? full.size() - 512 : 0;
  size_t accepted = 0;
  size_t tried = 0;
  for (size_t n = 0; n <= full.size(); n += (n < dense_head || n >= dense_tail) ? 1 : 97) {
    ++tried;
    const std::string_view prefix(full.data(), n);
    const auto r = ParseRubric(prefix, "lesson_observation_v1.json");
    if (r.ok()) {
      ++accepted;
      // Only the whole object parses: what was cut off may be trailing whitespace only.
      EXPECT_EQ(full.find_first_not_of(" \t\r\n", n), std::string::npos) << "prefix of " << n << " bytes parsed";
    } else {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << n;
      EXPECT_FALSE(r.status().message().empty()) << n;
    }
  }
  EXPECT_GT(tried, dense_head);
  EXPECT_GE(accepted, 1u);  // The whole file.
}

TEST(RubricTest, MutatedFileNeverCrashes) {
  const std::string full = ReadFile(kBundledFile);
  ASSERT_FALSE(full.empty());
  // Bytes that change JSON structure or types when they land in the right place.
  static constexpr std::string_view kInteresting = "{}[]\",:0-9e.tfn \\\x80\xff";
  std::mt19937 rng(20250314);
  for (int i = 0; i < 1000; ++i) {
    std::string damaged = full;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !damaged.empty(); ++e) {
      const size_t at = rng() % damaged.size();
      switch (rng() % 3) {
        case 0:
          damaged[at] = kInteresting[rng() % kInteresting.size()];
          break;
        case 1:
          damaged.erase(at, 1 + rng() % 16);
          break;
        default:
          damaged.insert(at, 1, kInteresting[rng() % kInteresting.size()]);
          break;
      }
    }
    const auto r = ParseRubric(damaged, "mutated.json");
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidInput) << "mutation " << i;
    } else {
      // Whatever parses must still satisfy the template's own rules.
      EXPECT_EQ(r->levels.size(), static_cast<size_t>(r->max_level - r->min_level + 1)) << "mutation " << i;
      for (const auto& c : r->criteria) EXPECT_EQ(c.descriptors.size(), r->levels.size()) << "mutation " << i;
    }
  }
}

// Regression: a scale of [INT64_MIN, INT64_MAX] overflowed the level count and wrote past a vector.
TEST(RubricTest, RejectsHugeScaleWithoutOverflow) {
  std::string json =
      ReplaceOnce(SmallRubric(), R"("min":0,"max":3)", R"("min":-9223372036854775808,"max":9223372036854775807)");
  auto r = ParseRubric(json, "huge.json");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "levels")) << r.status().message();
}

// Regression: a level described twice silently replaced the first text.
TEST(RubricTest, RejectsDescriptorLevelListedTwice) {
  auto r = ParseRubric(SmallRubric({Criterion("aims_clear", "aims", {0, 1, 2, 3, 3}), Criterion("climate", "support")}),
                       "twice.json");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Contains(r.status().message(), "twice")) << r.status().message();
}

}  // namespace
}  // namespace mentorlog::core
