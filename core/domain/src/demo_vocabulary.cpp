// Reading the demo district's vocabulary (demo_vocabulary.h) from `assets_dir`/demo.
//
// Every file is checked as a whole before the generator sees it: the keys it must have and
// no others (a misspelt key is an error, not a silently missing list), the kind of every
// value, the placeholders each text may use, and every reference to a subject, a criterion or
// a school. The generator can then draw from any list without checking it.
//
// [SECTION] Reading keys
// [SECTION] names.toml, subjects.toml, topics.toml
// [SECTION] criterion_notes.toml
// [SECTION] recommendations.toml, visits.toml
// [SECTION] district.toml
// [SECTION] instruments.toml
// [SECTION] LoadDemoVocabulary
#include "demo_vocabulary.h"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "mentorlog/domain/types.h"
#include "toml_config.h"

namespace mentorlog::core::demo {

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Reading keys
// -----------------------------------------------------------------------------------------

// "school.km", or "district" at the top level.
std::string Name(std::string_view where, std::string_view key) {
  return where.empty() ? std::string(key) : std::string(where) + "." + std::string(key);
}

std::string Quoted(std::string_view text) { return "«" + std::string(text) + "»"; }

// The "{name}"s a text may have.
using Placeholders = std::initializer_list<std::string_view>;

// One parsed file and the reading of its keys, with errors "<file>:<line>: <key> ..."
// (toml_config::Bad).
// `where` names the table a key is in ("school" for a [[school]] table, "" for the top level).
class Reader {
 public:
  Reader(std::string source, toml::table root) : source_(std::move(source)), root_(std::move(root)) {}

  const toml::table& root() const { return root_; }

  Status Bad(const toml::node& node, const std::string& what) const { return toml_config::Bad(source_, node, what); }

  // Refuses a key of `t` that is not in `known`: a misspelt key would otherwise read as missing.
  Status Keys(const toml::table& t, std::string_view where, std::initializer_list<std::string_view> known) const {
    for (const auto& [key, node] : t) {
      if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
      std::string list;
      for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
      const std::string owner = where.empty() ? std::string("the file") : std::string(where);
      return Bad(node, Name(where, key.str()) + " is not a key the demo reads; " + owner + " has " + list);
    }
    return Status::Ok();
  }

  // A required, non-empty text. `placeholders` are the "{name}"s the generator fills in for
  // this text; any other would reach the district as it is written, so it is an error.
  Result<std::string> Text(const toml::table& t, std::string_view where, std::string_view key,
                           Placeholders placeholders = {}) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Bad(t, Name(where, key) + " is missing");
    return TextOf(*node, Name(where, key), placeholders);
  }

  // An optional text: empty when the key is absent.
  Result<std::string> OptionalText(const toml::table& t, std::string_view where, std::string_view key) const {
    if (t.get(key) == nullptr) return std::string();
    return Text(t, where, key);
  }

  // A required, non-empty list of non-empty texts.
  Result<std::vector<std::string>> Texts(const toml::table& t, std::string_view where, std::string_view key,
                                         Placeholders placeholders = {}) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Bad(t, Name(where, key) + " is missing");
    return TextsOf(*node, Name(where, key), placeholders);
  }

  Result<std::vector<std::string>> TextsOf(const toml::node& node, const std::string& name,
                                           Placeholders placeholders = {}) const {
    const toml::array* list = node.as_array();
    if (list == nullptr || list->empty()) return Bad(node, name + " must be a non-empty list of texts");
    std::vector<std::string> out;
    for (const toml::node& item : *list) {
      ASSIGN_OR_RETURN(std::string text, TextOf(item, name + "[" + std::to_string(out.size()) + "]", placeholders));
      out.push_back(std::move(text));
    }
    return out;
  }

  // The tables of a required, non-empty [[key]] (or key = [{...}, ...]) of the top level.
  Result<std::vector<const toml::table*>> Tables(std::string_view key) const {
    const toml::node* node = root_.get(key);
    if (node == nullptr) return Bad(root_, std::string(key) + " is missing");
    const toml::array* list = node->as_array();
    if (list == nullptr || list->empty()) return Bad(*node, std::string(key) + " must be a non-empty list of tables");
    std::vector<const toml::table*> out;
    for (const toml::node& item : *list) {
      if (item.as_table() == nullptr) return Bad(item, "each " + std::string(key) + " must be a table");
      out.push_back(item.as_table());
    }
    return out;
  }

  // A required [key] table of the top level.
  Result<const toml::table*> Table(std::string_view key) const {
    const toml::node* node = root_.get(key);
    if (node == nullptr) return Bad(root_, "[" + std::string(key) + "] is missing");
    if (node->as_table() == nullptr) return Bad(*node, std::string(key) + " must be a table");
    return node->as_table();
  }

  // A required whole number in [lo, hi].
  Result<int> Integer(const toml::table& t, std::string_view where, std::string_view key, int lo, int hi) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Bad(t, Name(where, key) + " is missing");
    const std::optional<int64_t> v = node->value_exact<int64_t>();
    if (!v || *v < lo || *v > hi) {
      return Bad(*node,
                 Name(where, key) + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
    }
    return static_cast<int>(*v);
  }

  // A required number above 0 (written with or without a fraction).
  Result<double> Positive(const toml::table& t, std::string_view where, std::string_view key) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return Bad(t, Name(where, key) + " is missing");
    const std::optional<double> v = node->is_number() ? node->value<double>() : std::nullopt;
    if (!v || !(*v > 0) || !std::isfinite(*v)) return Bad(*node, Name(where, key) + " must be a number above 0");
    return *v;
  }

  // An optional true or false: false when the key is absent.
  Result<bool> Flag(const toml::table& t, std::string_view where, std::string_view key) const {
    const toml::node* node = t.get(key);
    if (node == nullptr) return false;
    const std::optional<bool> v = node->value_exact<bool>();
    if (!v) return Bad(*node, Name(where, key) + " must be true or false");
    return *v;
  }

  // A value of one of the domain's vocabularies (enums.h), by its code or label.
  template <class E>
  Result<E> Enum(const toml::table& t, std::string_view where, std::string_view key) const {
    ASSIGN_OR_RETURN(const std::string text, Text(t, where, key));
    const std::optional<E> v = EnumFromText<E>(text);
    if (!v)
      return Bad(*t.get(key), Name(where, key) + " \"" + text + "\" is none of " + EnumChoices<E>(Language::kEnglish));
    return *v;
  }

 private:
  Result<std::string> TextOf(const toml::node& node, const std::string& name, Placeholders placeholders) const {
    const std::optional<std::string> text = node.value_exact<std::string>();
    if (!text || text->empty()) return Bad(node, name + " must be a non-empty text");
    for (size_t open = text->find('{'); open != std::string::npos; open = text->find('{', open + 1)) {
      const size_t close = text->find('}', open);
      if (close == std::string::npos) break;
      const std::string_view placeholder = std::string_view(*text).substr(open, close - open + 1);
      if (std::find(placeholders.begin(), placeholders.end(), placeholder) != placeholders.end()) continue;
      std::string list;
      for (std::string_view p : placeholders) list += (list.empty() ? "" : ", ") + std::string(p);
      return Bad(node, name + " has the placeholder " + std::string(placeholder) + ", which is not filled in here" +
                           (list.empty() ? std::string() : "; it may have " + list));
    }
    return *text;
  }

  std::string source_;
  toml::table root_;
};

// Reads and parses `dir`/`file`. NotFound names the file; a syntax error is InvalidInput.
Result<Reader> Open(const std::filesystem::path& dir, std::string_view file) {
  const std::filesystem::path path = dir / file;
  ASSIGN_OR_RETURN(const std::string text, toml_config::Read(path, "demo vocabulary file"));
  ASSIGN_OR_RETURN(toml::table root, toml_config::Parse(text, path.string()));
  return Reader(path.string(), std::move(root));
}

bool IsSubject(const DemoVocabulary& v, std::string_view name) {
  return std::any_of(v.subjects.begin(), v.subjects.end(), [&](const SubjectInfo& s) { return s.name == name; });
}

// A subject named in another list: it must be one of subjects.toml's.
Status KnownSubject(const Reader& r, const DemoVocabulary& v, const toml::node& node, const std::string& name,
                    std::string_view subject) {
  if (IsSubject(v, subject)) return Status::Ok();
  return r.Bad(node, name + " " + Quoted(subject) + " is not a subject of subjects.toml");
}

// -----------------------------------------------------------------------------------------
// [SECTION] names.toml, subjects.toml, topics.toml
// -----------------------------------------------------------------------------------------

Status ReadNames(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "names.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(root, "", {"surnames", "female_names", "male_names", "patronymics"}));
  ASSIGN_OR_RETURN(v.surnames, r.Texts(root, "", "surnames"));
  ASSIGN_OR_RETURN(v.female_names, r.Texts(root, "", "female_names"));
  ASSIGN_OR_RETURN(v.male_names, r.Texts(root, "", "male_names"));
  ASSIGN_OR_RETURN(v.patronymics, r.Texts(root, "", "patronymics"));
  // The female patronymic replaces the final «ич».
  for (size_t i = 0; i < v.patronymics.size(); ++i) {
    const std::string& p = v.patronymics[i];
    if (p.size() <= std::string_view("ич").size() || !p.ends_with("ич")) {
      return r.Bad(*root.get("patronymics")->as_array()->get(i),
                   "patronymics[" + std::to_string(i) + "] " + Quoted(p) + " must be a male form ending in «ич»");
    }
  }
  return Status::Ok();
}

Status ReadSubjects(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "subjects.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(root, "", {"subjects", "staff"}));
  ASSIGN_OR_RETURN(const auto subjects, r.Tables("subjects"));
  for (const toml::table* t : subjects) {
    RETURN_IF_ERROR(r.Keys(*t, "subjects", {"name", "po", "of"}));
    SubjectInfo s;
    ASSIGN_OR_RETURN(s.name, r.Text(*t, "subjects", "name"));
    ASSIGN_OR_RETURN(s.po, r.Text(*t, "subjects", "po"));
    ASSIGN_OR_RETURN(s.of, r.Text(*t, "subjects", "of"));
    if (IsSubject(v, s.name)) return r.Bad(*t, "subjects.name " + Quoted(s.name) + " appears twice");
    v.subjects.push_back(std::move(s));
  }

  const toml::node* staff = root.get("staff");
  if (staff == nullptr) return r.Bad(root, "staff is missing");
  const toml::array* rows = staff->as_array();
  if (rows == nullptr || rows->empty()) return r.Bad(*staff, "staff must be a non-empty list of lists of subjects");
  for (const toml::node& row : *rows) {
    const std::string name = "staff[" + std::to_string(v.staff.size()) + "]";
    ASSIGN_OR_RETURN(std::vector<std::string> teaches, r.TextsOf(row, name));
    for (const std::string& subject : teaches) RETURN_IF_ERROR(KnownSubject(r, v, row, name, subject));
    v.staff.push_back(std::move(teaches));
  }
  return Status::Ok();
}

Status ReadTopics(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "topics.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(root, "", {"topics"}));
  ASSIGN_OR_RETURN(const auto topics, r.Tables("topics"));
  for (const toml::table* t : topics) {
    RETURN_IF_ERROR(r.Keys(*t, "topics", {"teacher", "subject", "grade", "text"}));
    LessonTopic topic;
    ASSIGN_OR_RETURN(topic.teacher_subject, r.Text(*t, "topics", "teacher"));
    ASSIGN_OR_RETURN(topic.lesson_subject, r.Text(*t, "topics", "subject"));
    ASSIGN_OR_RETURN(topic.grade, r.Integer(*t, "topics", "grade", 1, 11));
    ASSIGN_OR_RETURN(topic.text, r.Text(*t, "topics", "text"));
    RETURN_IF_ERROR(KnownSubject(r, v, *t, "topics.teacher", topic.teacher_subject));
    RETURN_IF_ERROR(KnownSubject(r, v, *t, "topics.subject", topic.lesson_subject));
    v.topics.push_back(std::move(topic));
  }
  // Any teacher may be observed, also in a school that ends at grade 9.
  for (const auto& teaches : v.staff) {
    for (const std::string& subject : teaches) {
      const bool found = std::any_of(v.topics.begin(), v.topics.end(), [&](const LessonTopic& t) {
        return t.teacher_subject == subject && t.grade <= 9;
      });
      if (!found) {
        return r.Bad(*root.get("topics"), "topics has no topic of grades 1-9 for a teacher of " + Quoted(subject) +
                                              " (a subject of subjects.toml's staff)");
      }
    }
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] criterion_notes.toml
// -----------------------------------------------------------------------------------------

Status ReadCriterionNotes(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "criterion_notes.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(root, "", {"criterion", "not_observed", "generic"}));
  ASSIGN_OR_RETURN(const auto criteria, r.Tables("criterion"));
  for (const toml::table* t : criteria) {
    RETURN_IF_ERROR(r.Keys(*t, "criterion", {"code", "strength", "growth", "deficit_area", "evidence"}));
    CriterionNotes n;
    ASSIGN_OR_RETURN(n.code, r.Text(*t, "criterion", "code"));
    ASSIGN_OR_RETURN(n.strength, r.Text(*t, "criterion", "strength"));
    ASSIGN_OR_RETURN(n.growth, r.Text(*t, "criterion", "growth"));
    ASSIGN_OR_RETURN(n.deficit_area, r.Text(*t, "criterion", "deficit_area"));
    const bool twice =
        std::any_of(v.criteria.begin(), v.criteria.end(), [&](const CriterionNotes& c) { return c.code == n.code; });
    if (twice) return r.Bad(*t, "criterion.code " + Quoted(n.code) + " appears twice");
    const toml::node* evidence = t->get("evidence");
    if (evidence == nullptr) return r.Bad(*t, "criterion.evidence is missing");
    const toml::array* levels = evidence->as_array();
    if (levels == nullptr || levels->size() != n.evidence.size()) {
      return r.Bad(*evidence, "criterion.evidence must be a list of 4 lists of texts, one per level 0..3");
    }
    for (size_t level = 0; level < n.evidence.size(); ++level) {
      const std::string name = "criterion.evidence[" + std::to_string(level) + "]";
      ASSIGN_OR_RETURN(n.evidence[level], r.TextsOf(*levels->get(level), name, {"{n}", "{k}", "{m}"}));
    }
    v.criteria.push_back(std::move(n));
  }

  ASSIGN_OR_RETURN(const toml::table* not_observed, r.Table("not_observed"));
  RETURN_IF_ERROR(r.Keys(*not_observed, "not_observed", {"evidence"}));
  ASSIGN_OR_RETURN(v.not_observed_evidence, r.Texts(*not_observed, "not_observed", "evidence", {"{m}"}));

  ASSIGN_OR_RETURN(const toml::table* generic, r.Table("generic"));
  RETURN_IF_ERROR(r.Keys(*generic, "generic", {"strengths", "growth"}));
  ASSIGN_OR_RETURN(v.generic_strengths, r.Texts(*generic, "generic", "strengths"));
  ASSIGN_OR_RETURN(v.generic_growth, r.Texts(*generic, "generic", "growth"));
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] recommendations.toml, visits.toml
// -----------------------------------------------------------------------------------------

Status ReadRecommendations(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "recommendations.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(root, "", {"teacher", "school", "status_notes", "subject_deficit", "remedy"}));

  ASSIGN_OR_RETURN(const auto teacher, r.Tables("teacher"));
  for (const toml::table* t : teacher) {
    RETURN_IF_ERROR(r.Keys(*t, "teacher", {"criterion", "text", "evidence"}));
    RecommendationTemplate rec;
    ASSIGN_OR_RETURN(rec.criterion, r.OptionalText(*t, "teacher", "criterion"));
    ASSIGN_OR_RETURN(rec.text, r.Text(*t, "teacher", "text", {"{po}"}));
    ASSIGN_OR_RETURN(rec.evidence, r.Text(*t, "teacher", "evidence"));
    const bool known = rec.criterion.empty() || std::any_of(v.criteria.begin(), v.criteria.end(),
                                                            [&](const auto& c) { return c.code == rec.criterion; });
    if (!known) {
      return r.Bad(*t, "teacher.criterion " + Quoted(rec.criterion) + " is not a criterion of criterion_notes.toml");
    }
    v.teacher_recommendations.push_back(std::move(rec));
  }

  ASSIGN_OR_RETURN(const auto school, r.Tables("school"));
  for (const toml::table* t : school) {
    RETURN_IF_ERROR(r.Keys(*t, "school", {"text", "evidence"}));
    RecommendationTemplate rec;
    ASSIGN_OR_RETURN(rec.text, r.Text(*t, "school", "text"));
    ASSIGN_OR_RETURN(rec.evidence, r.Text(*t, "school", "evidence"));
    v.school_recommendations.push_back(std::move(rec));
  }

  ASSIGN_OR_RETURN(const toml::table* notes, r.Table("status_notes"));
  RETURN_IF_ERROR(r.Keys(*notes, "status_notes", {"in_progress", "done", "dropped", "reopened"}));
  ASSIGN_OR_RETURN(v.progress_notes, r.Texts(*notes, "status_notes", "in_progress"));
  ASSIGN_OR_RETURN(v.done_notes, r.Texts(*notes, "status_notes", "done"));
  ASSIGN_OR_RETURN(v.drop_notes, r.Texts(*notes, "status_notes", "dropped"));
  ASSIGN_OR_RETURN(v.reopen_reasons, r.Texts(*notes, "status_notes", "reopened"));

  ASSIGN_OR_RETURN(const auto deficits, r.Tables("subject_deficit"));
  for (const toml::table* t : deficits) {
    RETURN_IF_ERROR(r.Keys(*t, "subject_deficit", {"subject", "area"}));
    SubjectDeficit d;
    ASSIGN_OR_RETURN(d.subject, r.Text(*t, "subject_deficit", "subject"));
    ASSIGN_OR_RETURN(d.area, r.Text(*t, "subject_deficit", "area"));
    RETURN_IF_ERROR(KnownSubject(r, v, *t, "subject_deficit.subject", d.subject));
    v.subject_deficits.push_back(std::move(d));
  }

  ASSIGN_OR_RETURN(const auto remedies, r.Tables("remedy"));
  for (const toml::table* t : remedies) {
    RETURN_IF_ERROR(r.Keys(*t, "remedy", {"remedy", "note"}));
    DeficitRemedyNote n;
    ASSIGN_OR_RETURN(n.remedy, r.Enum<DeficitRemedy>(*t, "remedy", "remedy"));
    ASSIGN_OR_RETURN(n.note, r.Text(*t, "remedy", "note"));
    v.remedies.push_back(std::move(n));
  }
  return Status::Ok();
}

Result<std::vector<ConsultationText>> ReadConsultations(const Reader& r, std::string_view key) {
  ASSIGN_OR_RETURN(const auto tables, r.Tables(key));
  std::vector<ConsultationText> out;
  for (const toml::table* t : tables) {
    RETURN_IF_ERROR(r.Keys(*t, key, {"topic", "question", "advice", "follow_up", "recommendation"}));
    ConsultationText c;
    ASSIGN_OR_RETURN(c.topic, r.Enum<ConsultationTopic>(*t, key, "topic"));
    ASSIGN_OR_RETURN(c.question, r.Text(*t, key, "question"));
    ASSIGN_OR_RETURN(c.advice, r.Text(*t, key, "advice"));
    ASSIGN_OR_RETURN(c.follow_up, r.Text(*t, key, "follow_up", {"{date}"}));
    ASSIGN_OR_RETURN(c.recommendation, r.Text(*t, key, "recommendation", {"{po}"}));
    out.push_back(std::move(c));
  }
  return out;
}

// Each supported school starts with this many of the visit problems, all different.
constexpr size_t kProblemsPerSchool = 6;

Status ReadVisits(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "visits.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(root, "", {"visit", "management_consultation", "teacher_consultation"}));

  ASSIGN_OR_RETURN(const toml::table* visit, r.Table("visit"));
  RETURN_IF_ERROR(r.Keys(*visit, "visit", {"strengths", "progress", "problems", "seminars"}));
  ASSIGN_OR_RETURN(v.visit_strengths, r.Texts(*visit, "visit", "strengths"));
  ASSIGN_OR_RETURN(v.visit_progress, r.Texts(*visit, "visit", "progress"));
  ASSIGN_OR_RETURN(v.visit_problems, r.Texts(*visit, "visit", "problems"));
  ASSIGN_OR_RETURN(v.seminars, r.Texts(*visit, "visit", "seminars"));
  if (v.visit_problems.size() < kProblemsPerSchool) {
    return r.Bad(*visit->get("problems"), "visit.problems needs at least " + std::to_string(kProblemsPerSchool) +
                                              " texts: each supported school draws that many");
  }

  ASSIGN_OR_RETURN(v.management_consultations, ReadConsultations(r, "management_consultation"));
  ASSIGN_OR_RETURN(v.teacher_consultations, ReadConsultations(r, "teacher_consultation"));
  // In the first autumn a management consultation is often about the transition programme.
  const bool programme = std::any_of(v.management_consultations.begin(), v.management_consultations.end(),
                                     [](const auto& c) { return c.topic == ConsultationTopic::kTransitionProgramme; });
  if (!programme) {
    return r.Bad(*root.get("management_consultation"),
                 "management_consultation needs one with topic = \"transition_programme\"");
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] district.toml
// -----------------------------------------------------------------------------------------

constexpr std::pair<std::string_view, SchoolRole> kRoles[] = {
    {"leader", SchoolRole::kLeader},
    {"effective", SchoolRole::kEffective},
    {"ordinary", SchoolRole::kOrdinary},
    {"low_results", SchoolRole::kLowResults},
    {"low_results_adverse", SchoolRole::kLowResultsAdverse},
    {"adverse", SchoolRole::kAdverse},
};

Result<SchoolRole> SchoolRoleOf(const Reader& r, const toml::table& t) {
  ASSIGN_OR_RETURN(const std::string text, r.Text(t, "school", "role"));
  std::string names;
  for (const auto& [name, role] : kRoles) {
    if (name == text) return role;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  return r.Bad(*t.get("role"), "school.role \"" + text + "\" is none of " + names);
}

// The index of the school whose short_name is `short_name`; `node` and `name` say where the
// reference was read, for the error.
Result<size_t> SchoolIndex(const Reader& r, const DemoVocabulary& v, const toml::node& node, const std::string& name,
                           std::string_view short_name) {
  for (size_t i = 0; i < v.schools.size(); ++i) {
    if (v.schools[i].short_name == short_name) return i;
  }
  return r.Bad(node, name + " " + Quoted(short_name) + " is not the short_name of a school");
}

Result<std::vector<size_t>> SchoolIndices(const Reader& r, const DemoVocabulary& v, const toml::table& t,
                                          std::string_view where) {
  ASSIGN_OR_RETURN(const std::vector<std::string> names, r.Texts(t, where, "schools"));
  std::vector<size_t> out;
  for (const std::string& name : names) {
    ASSIGN_OR_RETURN(const size_t i, SchoolIndex(r, v, *t.get("schools"), Name(where, "schools"), name));
    out.push_back(i);
  }
  return out;
}

// "MM-DD", a day that every year has.
Status MonthDay(const Reader& r, const toml::table& t, std::string_view where, std::string_view key, int& month,
                int& day) {
  ASSIGN_OR_RETURN(const std::string text, r.Text(t, where, key));
  const auto digit = [&](size_t i) { return text[i] >= '0' && text[i] <= '9'; };
  const bool shape = text.size() == 5 && digit(0) && digit(1) && text[2] == '-' && digit(3) && digit(4);
  if (shape) {
    month = (text[0] - '0') * 10 + (text[1] - '0');
    day = (text[3] - '0') * 10 + (text[4] - '0');
  }
  if (!shape || !Date::FromYmd(2001, month, day).ok()) {
    return r.Bad(*t.get(key), Name(where, key) + " \"" + text + "\" must be a day as MM-DD (not 02-29)");
  }
  return Status::Ok();
}

Result<std::vector<RoadmapSpec>> ReadRoadmap(const Reader& r, std::string_view key, bool school) {
  ASSIGN_OR_RETURN(const auto tables, r.Tables(key));
  std::vector<RoadmapSpec> out;
  for (const toml::table* t : tables) {
    RETURN_IF_ERROR(r.Keys(
        *t, key, {"title", "starts", "ends", "responsible", "participants", "planned_result", "first_year_only"}));
    RoadmapSpec s;
    ASSIGN_OR_RETURN(s.title, r.Text(*t, key, "title"));
    RETURN_IF_ERROR(MonthDay(r, *t, key, "starts", s.start_month, s.start_day));
    RETURN_IF_ERROR(MonthDay(r, *t, key, "ends", s.end_month, s.end_day));
    ASSIGN_OR_RETURN(s.responsible, r.Text(*t, key, "responsible"));
    ASSIGN_OR_RETURN(s.participants, r.Text(*t, key, "participants"));
    ASSIGN_OR_RETURN(s.planned_result, r.Text(*t, key, "planned_result"));
    ASSIGN_OR_RETURN(s.first_year_only, r.Flag(*t, key, "first_year_only"));
    if (school && s.responsible != "director" && s.responsible != "deputy") {
      return r.Bad(*t->get("responsible"), Name(key, "responsible") + " must be \"director\" or \"deputy\"");
    }
    out.push_back(std::move(s));
  }
  return out;
}

Status ReadDistrict(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "district.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(
      root, "", {"district", "school", "mentor", "tutor", "district_roadmap", "school_roadmap", "roadmap_reports"}));
  ASSIGN_OR_RETURN(v.district, r.Text(root, "", "district"));

  ASSIGN_OR_RETURN(const auto schools, r.Tables("school"));
  size_t leaders = 0;
  for (const toml::table* t : schools) {
    RETURN_IF_ERROR(r.Keys(*t, "school",
                           {"name", "short_name", "settlement", "km", "pupils", "teachers", "role", "programme_late",
                            "missed_management_seminar"}));
    SchoolSpec s;
    ASSIGN_OR_RETURN(s.name, r.Text(*t, "school", "name"));
    ASSIGN_OR_RETURN(s.short_name, r.Text(*t, "school", "short_name"));
    ASSIGN_OR_RETURN(s.settlement, r.Enum<Settlement>(*t, "school", "settlement"));
    ASSIGN_OR_RETURN(s.km, r.Positive(*t, "school", "km"));
    ASSIGN_OR_RETURN(s.pupils, r.Integer(*t, "school", "pupils", 1, 10000));
    ASSIGN_OR_RETURN(s.teachers, r.Integer(*t, "school", "teachers", 1, 1000));
    ASSIGN_OR_RETURN(s.role, SchoolRoleOf(r, *t));
    ASSIGN_OR_RETURN(s.programme_late, r.Flag(*t, "school", "programme_late"));
    ASSIGN_OR_RETURN(s.missed_management_seminar, r.Flag(*t, "school", "missed_management_seminar"));
    const bool twice = std::any_of(v.schools.begin(), v.schools.end(),
                                   [&](const SchoolSpec& o) { return o.short_name == s.short_name; });
    if (twice) return r.Bad(*t, "school.short_name " + Quoted(s.short_name) + " appears twice");
    if (s.role == SchoolRole::kLeader) {
      v.leader_school = v.schools.size();
      ++leaders;
    }
    v.schools.push_back(std::move(s));
  }
  if (leaders != 1) return r.Bad(*root.get("school"), "school needs exactly one with role = \"leader\"");
  // The low-results schools name the leader as their partner, so it is made before them.
  for (size_t s = 0; s < v.leader_school; ++s) {
    if (IsLowResults(v.schools[s].role)) {
      return r.Bad(*root.get("school"), "school: the leader must come before the low-results schools, such as " +
                                            Quoted(v.schools[s].short_name) + ", which name it as their partner");
    }
  }

  ASSIGN_OR_RETURN(const auto mentors, r.Tables("mentor"));
  std::vector<int> mentors_of(v.schools.size(), 0);
  for (const toml::table* t : mentors) {
    RETURN_IF_ERROR(r.Keys(*t, "mentor", {"home", "schools"}));
    MentorSpec m;
    ASSIGN_OR_RETURN(const std::string home, r.Text(*t, "mentor", "home"));
    ASSIGN_OR_RETURN(m.home, SchoolIndex(r, v, *t->get("home"), "mentor.home", home));
    ASSIGN_OR_RETURN(m.schools, SchoolIndices(r, v, *t, "mentor"));
    for (size_t s : m.schools) ++mentors_of[s];
    v.mentors.push_back(std::move(m));
  }
  // Every supported school is visited by its one mentor.
  for (size_t s = 0; s < v.schools.size(); ++s) {
    if (IsSupported(v.schools[s].role) && mentors_of[s] != 1) {
      return r.Bad(*root.get("mentor"), "mentor: the supported school " + Quoted(v.schools[s].short_name) + " has " +
                                            std::to_string(mentors_of[s]) + " mentors; it needs one");
    }
  }

  ASSIGN_OR_RETURN(const auto tutors, r.Tables("tutor"));
  for (const toml::table* t : tutors) {
    RETURN_IF_ERROR(r.Keys(*t, "tutor", {"home", "subject", "schools"}));
    TutorSpec s;
    ASSIGN_OR_RETURN(const std::string home, r.Text(*t, "tutor", "home"));
    ASSIGN_OR_RETURN(s.home, SchoolIndex(r, v, *t->get("home"), "tutor.home", home));
    ASSIGN_OR_RETURN(s.subject, r.Text(*t, "tutor", "subject"));
    RETURN_IF_ERROR(KnownSubject(r, v, *t->get("subject"), "tutor.subject", s.subject));
    ASSIGN_OR_RETURN(s.schools, SchoolIndices(r, v, *t, "tutor"));
    v.tutors.push_back(std::move(s));
  }

  ASSIGN_OR_RETURN(v.district_roadmap, ReadRoadmap(r, "district_roadmap", false));
  ASSIGN_OR_RETURN(v.school_roadmap, ReadRoadmap(r, "school_roadmap", true));
  ASSIGN_OR_RETURN(const toml::table* reports, r.Table("roadmap_reports"));
  RETURN_IF_ERROR(r.Keys(*reports, "roadmap_reports", {"done", "cancelled"}));
  ASSIGN_OR_RETURN(v.roadmap_reports, r.Texts(*reports, "roadmap_reports", "done", {"{k}"}));
  ASSIGN_OR_RETURN(v.roadmap_cancelled, r.Texts(*reports, "roadmap_reports", "cancelled"));
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] instruments.toml
// -----------------------------------------------------------------------------------------

Status ReadInstruments(const std::filesystem::path& dir, DemoVocabulary& v) {
  ASSIGN_OR_RETURN(const Reader r, Open(dir, "instruments.toml"));
  const toml::table& root = r.root();
  RETURN_IF_ERROR(r.Keys(root, "",
                         {"providers", "leader_agreement", "agreement", "roadmap_evidence", "closed_by", "course",
                          "route", "route_notes", "event", "plan"}));
  ASSIGN_OR_RETURN(v.providers, r.Texts(root, "", "providers"));

  ASSIGN_OR_RETURN(const toml::table* leader, r.Table("leader_agreement"));
  RETURN_IF_ERROR(r.Keys(*leader, "leader_agreement", {"milestones"}));
  ASSIGN_OR_RETURN(v.leader_milestones, r.Texts(*leader, "leader_agreement", "milestones"));

  ASSIGN_OR_RETURN(const auto agreements, r.Tables("agreement"));
  for (const toml::table* t : agreements) {
    RETURN_IF_ERROR(
        r.Keys(*t, "agreement", {"school", "partner", "partner_school", "status", "model", "subject", "milestones"}));
    AgreementSpec a;
    ASSIGN_OR_RETURN(const std::string school, r.Text(*t, "agreement", "school"));
    ASSIGN_OR_RETURN(a.school, SchoolIndex(r, v, *t->get("school"), "agreement.school", school));
    if (!IsSupported(v.schools[a.school].role)) {
      return r.Bad(*t->get("school"), "agreement.school " + Quoted(school) + " is not a supported school");
    }
    ASSIGN_OR_RETURN(a.partner, r.OptionalText(*t, "agreement", "partner"));
    ASSIGN_OR_RETURN(const std::string partner_school, r.OptionalText(*t, "agreement", "partner_school"));
    if (a.partner.empty() == partner_school.empty()) {
      return r.Bad(*t, "agreement needs either partner (an institution) or partner_school, not both");
    }
    if (!partner_school.empty()) {
      ASSIGN_OR_RETURN(a.partner_school,
                       SchoolIndex(r, v, *t->get("partner_school"), "agreement.partner_school", partner_school));
      if (*a.partner_school == a.school) {
        return r.Bad(*t->get("partner_school"), "agreement.partner_school must be another school");
      }
    }
    ASSIGN_OR_RETURN(a.status, r.Enum<AgreementStatus>(*t, "agreement", "status"));
    ASSIGN_OR_RETURN(a.model, r.Enum<NetworkModel>(*t, "agreement", "model"));
    ASSIGN_OR_RETURN(a.subject, r.Text(*t, "agreement", "subject"));
    ASSIGN_OR_RETURN(a.milestones, r.Texts(*t, "agreement", "milestones"));
    v.agreements.push_back(std::move(a));
  }
  // Every supported school has an active agreement: the low-results ones with the leader.
  for (size_t s = 0; s < v.schools.size(); ++s) {
    if (!IsSupported(v.schools[s].role) || IsLowResults(v.schools[s].role)) continue;
    const bool active = std::any_of(v.agreements.begin(), v.agreements.end(), [&](const AgreementSpec& a) {
      return a.school == s && a.status == AgreementStatus::kActive;
    });
    if (!active) {
      return r.Bad(*root.get("agreement"), "agreement: the supported school " + Quoted(v.schools[s].short_name) +
                                               " has no active agreement; it needs one");
    }
  }

  ASSIGN_OR_RETURN(const toml::table* evidence, r.Table("roadmap_evidence"));
  RETURN_IF_ERROR(r.Keys(*evidence, "roadmap_evidence", {"district", "school"}));
  ASSIGN_OR_RETURN(v.district_evidence, r.Texts(*evidence, "roadmap_evidence", "district", {"{n}", "{date}"}));
  ASSIGN_OR_RETURN(v.school_evidence, r.Texts(*evidence, "roadmap_evidence", "school", {"{n}", "{date}", "{code}"}));

  ASSIGN_OR_RETURN(const toml::table* closed, r.Table("closed_by"));
  RETURN_IF_ERROR(r.Keys(*closed, "closed_by", {"observation", "diagnostics", "course"}));
  ASSIGN_OR_RETURN(v.closed_by_observation, r.Text(*closed, "closed_by", "observation", {"{date}"}));
  ASSIGN_OR_RETURN(v.closed_by_diagnostics, r.Text(*closed, "closed_by", "diagnostics", {"{date}"}));
  ASSIGN_OR_RETURN(v.closed_by_course, r.Text(*closed, "closed_by", "course", {"{course}", "{hours}"}));

  ASSIGN_OR_RETURN(const auto courses, r.Tables("course"));
  for (const toml::table* t : courses) {
    RETURN_IF_ERROR(r.Keys(*t, "course", {"title", "hours", "area"}));
    CourseSpec c;
    ASSIGN_OR_RETURN(c.title, r.Text(*t, "course", "title"));
    ASSIGN_OR_RETURN(c.hours, r.Integer(*t, "course", "hours", 16, 72));
    if (t->get("area") == nullptr) return r.Bad(*t, "course.area is missing");
    if (const std::optional<std::string> area = t->get("area")->value_exact<std::string>()) {
      c.area = *area;
    } else {
      return r.Bad(*t->get("area"), "course.area must be a text (empty for any deficit)");
    }
    v.courses.push_back(std::move(c));
  }

  ASSIGN_OR_RETURN(const auto routes, r.Tables("route"));
  for (const toml::table* t : routes) {
    RETURN_IF_ERROR(r.Keys(*t, "route", {"activity", "title", "result"}));
    RouteSpec s;
    ASSIGN_OR_RETURN(s.activity, r.Enum<RouteActivity>(*t, "route", "activity"));
    ASSIGN_OR_RETURN(s.title, r.Text(*t, "route", "title", {"{area}", "{tutor}", "{leader}", "{course}"}));
    ASSIGN_OR_RETURN(s.result, r.Text(*t, "route", "result"));
    v.routes.push_back(std::move(s));
  }
  // A deficit's route starts with its course or its mentoring.
  for (RouteActivity needed : {RouteActivity::kCourse, RouteActivity::kMentoring}) {
    const bool found =
        std::any_of(v.routes.begin(), v.routes.end(), [&](const RouteSpec& s) { return s.activity == needed; });
    if (!found) {
      return r.Bad(*root.get("route"), "route needs one with activity = \"" + std::string(EnumCode(needed)) + "\"");
    }
  }

  ASSIGN_OR_RETURN(const toml::table* notes, r.Table("route_notes"));
  RETURN_IF_ERROR(r.Keys(*notes, "route_notes", {"in_progress", "overdue", "dropped"}));
  ASSIGN_OR_RETURN(v.route_in_progress, r.Text(*notes, "route_notes", "in_progress"));
  ASSIGN_OR_RETURN(v.route_overdue, r.Text(*notes, "route_notes", "overdue"));
  ASSIGN_OR_RETURN(v.route_dropped, r.Text(*notes, "route_notes", "dropped"));

  ASSIGN_OR_RETURN(const auto events, r.Tables("event"));
  for (const toml::table* t : events) {
    RETURN_IF_ERROR(r.Keys(*t, "event", {"title", "kind", "organiser", "subject", "report"}));
    EventSpec e;
    ASSIGN_OR_RETURN(e.title, r.Text(*t, "event", "title"));
    ASSIGN_OR_RETURN(e.kind, r.Enum<NetworkEventKind>(*t, "event", "kind"));
    ASSIGN_OR_RETURN(const std::string organiser, r.Text(*t, "event", "organiser"));
    if (organiser != "district") {
      ASSIGN_OR_RETURN(e.organiser, SchoolIndex(r, v, *t->get("organiser"), "event.organiser", organiser));
    }
    ASSIGN_OR_RETURN(e.subject, r.OptionalText(*t, "event", "subject"));
    if (!e.subject.empty()) RETURN_IF_ERROR(KnownSubject(r, v, *t->get("subject"), "event.subject", e.subject));
    ASSIGN_OR_RETURN(e.report, r.Text(*t, "event", "report", {"{k}"}));
    v.events.push_back(std::move(e));
  }

  ASSIGN_OR_RETURN(const toml::table* plan, r.Table("plan"));
  RETURN_IF_ERROR(
      r.Keys(*plan, "plan", {"visit", "management_consultation", "teacher_consultation", "observation", "event"}));
  ASSIGN_OR_RETURN(v.plan_visit, r.Text(*plan, "plan", "visit"));
  ASSIGN_OR_RETURN(v.plan_management_consultation, r.Text(*plan, "plan", "management_consultation"));
  ASSIGN_OR_RETURN(v.plan_teacher_consultation, r.Text(*plan, "plan", "teacher_consultation", {"{teacher}"}));
  ASSIGN_OR_RETURN(v.plan_observation, r.Text(*plan, "plan", "observation", {"{teacher}"}));
  ASSIGN_OR_RETURN(v.plan_events, r.Texts(*plan, "plan", "event"));
  return Status::Ok();
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] LoadDemoVocabulary
// -----------------------------------------------------------------------------------------

Result<DemoVocabulary> LoadDemoVocabulary(const std::filesystem::path& assets_dir) {
  const std::filesystem::path dir = assets_dir / "demo";
  DemoVocabulary v;
  // In this order: later files refer to the subjects and criteria of earlier ones.
  RETURN_IF_ERROR(ReadNames(dir, v));
  RETURN_IF_ERROR(ReadSubjects(dir, v));
  RETURN_IF_ERROR(ReadTopics(dir, v));
  RETURN_IF_ERROR(ReadCriterionNotes(dir, v));
  RETURN_IF_ERROR(ReadRecommendations(dir, v));
  RETURN_IF_ERROR(ReadVisits(dir, v));
  RETURN_IF_ERROR(ReadDistrict(dir, v));
  RETURN_IF_ERROR(ReadInstruments(dir, v));  // refers to district.toml's schools
  return v;
}

}  // namespace mentorlog::core::demo
