// Forms as text for the drafts table (state.h: DraftKey, EncodeForm, DecodeForm).
//
// The format is small and written by hand, so decoding can be bounded and can never throw:
//
//   mentorlog-form/1\n
//   <token>...           each token is <decimal byte length>:<bytes>\n
//
// The first token is the kind ("visit", "observation", "consultation", "record": the generic
// form, whose fields are name/value pairs, so a kind or field added to record_spec.h needs no
// new version); the fields follow in
// the fixed order of Write* below. A list is a count token followed by its items; an integer
// or a bool is a token of decimal text. DecodeForm refuses (nullopt) another header or
// version, an unknown kind, a length or count larger than what is left, a number that is not
// one, missing or extra bytes. Adding a field to a form means version 2: keep a reader for
// version 1 so drafts made by the older app still open.
//
// Draft keys: "<kind>:<form id>" (a RecordForm's kind is its record kind: "deficit:<id>"). A new form gets a fresh
// UUIDv7 id from its caller BEFORE its first draft, and the record is saved under that id, so the draft and the record
// it becomes share one id (and the key of a form never changes while it is typed). DraftKey makes up nothing: a form
// without an id gives "<kind>:new", which every such form shares.
#include <charconv>
#include <cstdint>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "mentorlog/ui/state.h"

namespace mentorlog::ui {
namespace {

constexpr std::string_view kHeader = "mentorlog-form/1\n";

std::string_view KindOf(const Form& form) {
  switch (form.index()) {
    case 0:
      return "visit";
    case 1:
      return "observation";
    case 2:
      return "consultation";
    default:
      return "record";
  }
}

// ---- Writing ------------------------------------------------------------------------------

class Writer {
 public:
  void Text(std::string_view s) {
    out_ += std::to_string(s.size());
    out_ += ':';
    out_ += s;
    out_ += '\n';
  }
  void Int(int64_t v) { Text(std::to_string(v)); }
  void Bool(bool v) { Text(v ? "1" : "0"); }
  void Texts(const std::vector<std::string>& list) {
    Int(static_cast<int64_t>(list.size()));
    for (const std::string& s : list) Text(s);
  }
  void Recommendations(const std::vector<NewRecommendation>& list) {
    Int(static_cast<int64_t>(list.size()));
    for (const NewRecommendation& r : list) {
      Text(r.text);
      Text(r.teacher_id);
      Text(r.owner_id);
      Text(r.owner_name);
      Text(r.due_on);
    }
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

void Write(Writer& w, const VisitForm& f) {
  w.Text(f.id);
  w.Text(f.school_id);
  w.Text(f.date);
  w.Texts(f.purposes);
  w.Texts(f.met_with_ids);
  w.Text(f.met_with);
  w.Text(f.summary);
  w.Text(f.strengths);
  w.Text(f.problems);
  w.Int(static_cast<int64_t>(f.checks.size()));
  for (const RecommendationCheck& c : f.checks) {
    w.Text(c.recommendation_id);
    w.Text(c.new_status);
    w.Text(c.note);
  }
  w.Recommendations(f.recommendations);
}

void Write(Writer& w, const ObservationForm& f) {
  w.Text(f.id);
  w.Text(f.visit_id);
  w.Text(f.school_id);
  w.Text(f.teacher_id);
  w.Text(f.kind);
  w.Text(f.subject);
  w.Text(f.grade);
  w.Text(f.class_label);
  w.Text(f.date);
  w.Text(f.topic);
  w.Text(f.rubric_code);
  w.Int(f.rubric_version);
  w.Int(static_cast<int64_t>(f.scores.size()));
  for (const ScoreInput& s : f.scores) {
    w.Text(s.criterion_code);
    w.Int(s.level);
    w.Text(s.evidence);
  }
  w.Text(f.strengths);
  w.Text(f.growth_areas);
  w.Text(f.next_steps);
  w.Bool(f.discussion_held);
  w.Recommendations(f.recommendations);
}

void Write(Writer& w, const ConsultationForm& f) {
  w.Text(f.id);
  w.Text(f.visit_id);
  w.Text(f.school_id);
  w.Text(f.date);
  w.Text(f.audience);
  w.Text(f.teacher_id);
  w.Text(f.format);
  w.Text(f.minutes);
  w.Texts(f.topics);
  w.Text(f.questions);
  w.Text(f.advice);
  w.Text(f.follow_ups);
  w.Recommendations(f.recommendations);
}

void Write(Writer& w, const RecordForm& f) {
  w.Text(f.id);
  w.Text(f.kind);
  w.Text(f.school_id);
  w.Int(static_cast<int64_t>(f.values.size()));
  for (const auto& [name, value] : f.values) {
    w.Text(name);
    w.Text(value);
  }
  w.Texts(f.participants);
}

// ---- Reading --------------------------------------------------------------------------------

// Reads tokens from the text; the first failure sticks (ok() turns false) and every later read
// returns an empty value, so a Read* function can read on and check ok() once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool ok() const { return ok_; }
  bool AtEnd() const { return in_.empty(); }
  // Refuses the input: something read was not what Writer writes.
  void Refuse() { Fail(); }

  std::string Text() {
    if (!ok_) return {};
    const size_t colon = in_.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 10) return Fail();
    uint64_t n = 0;
    const auto [end, ec] = std::from_chars(in_.data(), in_.data() + colon, n);
    if (ec != std::errc() || end != in_.data() + colon || std::to_string(n) != in_.substr(0, colon)) return Fail();
    in_.remove_prefix(colon + 1);
    if (n >= in_.size() || in_[n] != '\n') return Fail();  // the bytes, then '\n'
    std::string out(in_.substr(0, n));
    in_.remove_prefix(n + 1);
    return out;
  }

  int64_t Int(int64_t min, int64_t max) {
    const std::string s = Text();
    if (!ok_) return 0;
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    // Only what Writer writes: no sign but '-', no leading zeros.
    if (ec != std::errc() || end != s.data() + s.size() || std::to_string(v) != s || v < min || v > max) {
      Fail();
      return 0;
    }
    return v;
  }

  bool Bool() { return Int(0, 1) == 1; }

  // A list's length: never more items than bytes left (each item takes at least two).
  size_t Count() {
    const int64_t n = Int(0, static_cast<int64_t>(in_.size()));
    return static_cast<size_t>(n);
  }

  std::vector<std::string> Texts() {
    std::vector<std::string> out;
    const size_t n = Count();
    for (size_t i = 0; i < n && ok_; ++i) out.push_back(Text());
    return out;
  }

  std::vector<NewRecommendation> Recommendations() {
    std::vector<NewRecommendation> out;
    const size_t n = Count();
    for (size_t i = 0; i < n && ok_; ++i) {
      NewRecommendation r;
      r.text = Text();
      r.teacher_id = Text();
      r.owner_id = Text();
      r.owner_name = Text();
      r.due_on = Text();
      out.push_back(std::move(r));
    }
    return out;
  }

 private:
  std::string Fail() {
    ok_ = false;
    in_ = {};
    return {};
  }

  std::string_view in_;
  bool ok_ = true;
};

VisitForm ReadVisit(Reader& r) {
  VisitForm f;
  f.id = r.Text();
  f.school_id = r.Text();
  f.date = r.Text();
  f.purposes = r.Texts();
  f.met_with_ids = r.Texts();
  f.met_with = r.Text();
  f.summary = r.Text();
  f.strengths = r.Text();
  f.problems = r.Text();
  const size_t checks = r.Count();
  for (size_t i = 0; i < checks && r.ok(); ++i) {
    RecommendationCheck c;
    c.recommendation_id = r.Text();
    c.new_status = r.Text();
    c.note = r.Text();
    f.checks.push_back(std::move(c));
  }
  f.recommendations = r.Recommendations();
  return f;
}

ObservationForm ReadObservation(Reader& r) {
  ObservationForm f;
  f.id = r.Text();
  f.visit_id = r.Text();
  f.school_id = r.Text();
  f.teacher_id = r.Text();
  f.kind = r.Text();
  f.subject = r.Text();
  f.grade = r.Text();
  f.class_label = r.Text();
  f.date = r.Text();
  f.topic = r.Text();
  f.rubric_code = r.Text();
  f.rubric_version = r.Int(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  const size_t scores = r.Count();
  for (size_t i = 0; i < scores && r.ok(); ++i) {
    ScoreInput s;
    s.criterion_code = r.Text();
    s.level = static_cast<int>(r.Int(std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
    s.evidence = r.Text();
    f.scores.push_back(std::move(s));
  }
  f.strengths = r.Text();
  f.growth_areas = r.Text();
  f.next_steps = r.Text();
  f.discussion_held = r.Bool();
  f.recommendations = r.Recommendations();
  return f;
}

ConsultationForm ReadConsultation(Reader& r) {
  ConsultationForm f;
  f.id = r.Text();
  f.visit_id = r.Text();
  f.school_id = r.Text();
  f.date = r.Text();
  f.audience = r.Text();
  f.teacher_id = r.Text();
  f.format = r.Text();
  f.minutes = r.Text();
  f.topics = r.Texts();
  f.questions = r.Text();
  f.advice = r.Text();
  f.follow_ups = r.Text();
  f.recommendations = r.Recommendations();
  return f;
}

RecordForm ReadRecord(Reader& r) {
  RecordForm f;
  f.id = r.Text();
  f.kind = r.Text();
  f.school_id = r.Text();
  const size_t values = r.Count();
  for (size_t i = 0; i < values && r.ok(); ++i) {
    std::string name = r.Text();
    std::string value = r.Text();
    if (!f.values.emplace(std::move(name), std::move(value)).second) r.Refuse();  // a field twice: not ours
  }
  f.participants = r.Texts();
  return f;
}

}  // namespace

std::string DraftKey(const Form& form) {
  const std::string& id = std::visit([](const auto& f) -> const std::string& { return f.id; }, form);
  const auto* record = std::get_if<RecordForm>(&form);
  const std::string kind = record ? record->kind : std::string(KindOf(form));
  return kind + ":" + (id.empty() ? std::string("new") : id);
}

std::string EncodeForm(const Form& form) {
  Writer w;
  w.Text(KindOf(form));
  std::visit([&](const auto& f) { Write(w, f); }, form);
  return std::string(kHeader) + w.Take();
}

std::optional<Form> DecodeForm(std::string_view text) try {
  if (text.substr(0, kHeader.size()) != kHeader) return std::nullopt;
  Reader r(text.substr(kHeader.size()));
  const std::string kind = r.Text();
  std::optional<Form> form;
  if (kind == "visit") {
    form = ReadVisit(r);
  } else if (kind == "observation") {
    form = ReadObservation(r);
  } else if (kind == "consultation") {
    form = ReadConsultation(r);
  } else if (kind == "record") {
    form = ReadRecord(r);
  }
  if (!form || !r.ok() || !r.AtEnd()) return std::nullopt;
  return form;
} catch (const std::bad_alloc&) {  // lists are bounded by the input's size; only a full memory gets here
  return std::nullopt;
}

}  // namespace mentorlog::ui
