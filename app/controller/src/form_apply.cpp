// Forms to records and back (form_apply.h).
#include "mentorlog/app/form_apply.h"

#include <charconv>
#include <set>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/validation.h"
#include "mentorlog/sync/device.h"
#include "mentorlog/ui/record_spec.h"

namespace mentorlog::app {

using core::Date;
using core::Uuid;

namespace {

// Typed text to values; each failure is InvalidInput with a translated message, in both
// languages.
class Parser {
 public:
  Parser(const ui::Translations& ru, const ui::Translations& en) : ru_(ru), en_(en) {}

  Result<Date> DateOf(std::string_view text) const {
    if (text.empty()) return Status::InvalidInput(Words("view.error.date_missing", {}));
    auto d = Date::Parse(text);
    if (!d.ok()) return Status::InvalidInput(Words("view.error.date", {text}));
    return *d;
  }
  Result<int64_t> NumberOf(std::string_view text) const {
    if (text.empty()) return int64_t{0};
    int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return Status::InvalidInput(Words("view.error.number", {text}));
    }
    return v;
  }
  // Ids come from choices the controller offered: a bad one is a bug, said plainly.
  static Result<Uuid> IdOf(std::string_view text) { return Uuid::Parse(text); }
  static Result<std::optional<Uuid>> OptionalIdOf(std::string_view text) {
    if (text.empty()) return std::optional<Uuid>();
    ASSIGN_OR_RETURN(Uuid id, Uuid::Parse(text));
    return std::optional<Uuid>(id);
  }
  template <class E>
  Result<E> EnumOf(std::string_view code) const {
    auto e = core::EnumFromText<E>(code);
    if (!e) return Status::InvalidInput(Words("view.error.choice", {code}));
    return *e;
  }
  // A text of the UI in one language.
  std::string Word(std::string_view key, Language language) const {
    return language == Language::kRussian ? ru_(key) : en_(key);
  }
  template <class E>
  Result<std::vector<E>> EnumsOf(const std::vector<std::string>& codes) const {
    std::vector<E> out;
    for (const std::string& c : codes) {
      ASSIGN_OR_RETURN(E e, EnumOf<E>(c));
      out.push_back(e);
    }
    return out;
  }

 private:
  LocalText Words(std::string_view key, std::initializer_list<std::string_view> args) const {
    return LocalText{ru_.Format(key, args), en_.Format(key, args)};
  }

  const ui::Translations& ru_;
  const ui::Translations& en_;
};

bool IsBlank(const ui::NewRecommendation& r) {
  return r.text.empty() && r.teacher_id.empty() && r.owner_id.empty() && r.owner_name.empty() && r.due_on.empty();
}

// Saves the form's new recommendations, coming from `source`.
Status SaveRecommendations(core::Records& store, const Parser& parse, const std::vector<ui::NewRecommendation>& recs,
                           core::SourceKind kind, const Uuid& source, const Uuid& school, Date date) {
  for (const ui::NewRecommendation& in : recs) {
    if (IsBlank(in)) continue;  // an empty row the person added and left
    core::Recommendation r;
    r.source_kind = kind;
    r.source_id = source;
    r.school_id = school;
    ASSIGN_OR_RETURN(r.teacher_id, parse.OptionalIdOf(in.teacher_id));
    r.text = in.text;
    ASSIGN_OR_RETURN(r.responsible_id, parse.OptionalIdOf(in.owner_id));
    r.responsible_name = in.owner_name;
    r.created_on = date;
    ASSIGN_OR_RETURN(r.due_on, parse.DateOf(in.due_on));
    RETURN_IF_ERROR(store.Save(std::move(r)).status());
  }
  return Status::Ok();
}

// A new record under the form's id, or the stored one to edit.
template <class R>
Result<R> Start(const core::Records& store, std::string_view id_text) {
  R r;
  if (id_text.empty()) return r;
  ASSIGN_OR_RETURN(r.id, Uuid::Parse(id_text));
  auto stored = store.Get<R>(r.id);
  if (stored.ok()) return std::move(stored).value();
  if (stored.status().code() != StatusCode::kNotFound) return stored.status();
  return r;
}

// What a form's fields could not be read as, field by field, so that every problem of a save
// is shown at once, each under its field.
struct FieldProblems {
  std::vector<FormFieldError> list;
  template <class T>
  void Read(std::string_view field, Result<T> value, T& into) {
    if (value.ok()) {
      into = std::move(value).value();
    } else {
      list.push_back({std::string(field), value.status().local_message()});
    }
  }
};

// Every problem of a save at once: what could not be read (`problems`), then what validation
// refuses of the rest of `record` (the check the save itself makes). InvalidInput ("fix the
// marked fields") with `field_errors` set when there is any; Ok otherwise.
template <class R>
Status RefuseFieldByField(const core::Records& store, const R& record, FieldProblems& problems, const Parser& parse,
                          std::vector<FormFieldError>* field_errors) {
  for (const core::FieldError& e : store.Check(record)) {
    const bool read_failed = std::any_of(problems.list.begin(), problems.list.end(),
                                         [&](const FormFieldError& p) { return p.field == e.field; });
    if (!read_failed) problems.list.push_back({e.field, e.text()});
  }
  if (problems.list.empty()) return Status::Ok();
  const LocalText fix{parse.Word("view.error.fields", Language::kRussian),
                      parse.Word("view.error.fields", Language::kEnglish)};
  if (field_errors != nullptr) *field_errors = std::move(problems.list);
  return Status::InvalidInput(fix);
}

Result<Uuid> SaveVisit(core::Records& store, const Parser& parse, const ui::VisitForm& f,
                       const std::optional<Uuid>& author, std::vector<FormFieldError>* field_errors) {
  ASSIGN_OR_RETURN(core::Visit v, Start<core::Visit>(store, f.id));
  const bool is_new = v.visitor_ids.empty();
  ASSIGN_OR_RETURN(v.school_id, parse.IdOf(f.school_id));
  FieldProblems problems;
  problems.Read("date", parse.DateOf(f.date), v.date);
  if (is_new && author) v.visitor_ids = {*author};
  ASSIGN_OR_RETURN(v.purposes, parse.EnumsOf<core::VisitPurpose>(f.purposes));
  // The record keeps whom they met as text: the people chosen, then the free text.
  std::string met;
  for (const std::string& id_text : f.met_with_ids) {
    ASSIGN_OR_RETURN(Uuid id, parse.IdOf(id_text));
    auto p = store.Get<core::Person>(id);
    if (!p.ok()) continue;
    if (!met.empty()) met += ", ";
    met += p->full_name;
  }
  if (!f.met_with.empty()) met += (met.empty() ? "" : ", ") + f.met_with;
  v.met_with = f.met_with_ids.empty() ? f.met_with : met;
  v.summary = f.summary;
  v.strengths = f.strengths;
  v.problems = f.problems;
  RETURN_IF_ERROR(RefuseFieldByField(store, v, problems, parse, field_errors));
  ASSIGN_OR_RETURN(v, store.Save(std::move(v)));

  RETURN_IF_ERROR(
      SaveRecommendations(store, parse, f.recommendations, core::SourceKind::kVisit, v.id, v.school_id, v.date));
  for (const ui::RecommendationCheck& check : f.checks) {
    ASSIGN_OR_RETURN(Uuid rec_id, parse.IdOf(check.recommendation_id));
    if (check.new_status.empty()) {
      if (check.note.empty()) continue;
      core::RecommendationEvent comment;  // a note without a status change
      comment.recommendation_id = rec_id;
      comment.kind = core::RecommendationEventKind::kComment;
      comment.date = v.date;
      comment.author_id = author;
      comment.text = check.note;
      RETURN_IF_ERROR(store.Save(std::move(comment)).status());
      continue;
    }
    ASSIGN_OR_RETURN(auto to, parse.EnumOf<core::RecommendationStatus>(check.new_status));
    ASSIGN_OR_RETURN(core::Recommendation rec, store.Get<core::Recommendation>(rec_id));
    if (rec.status == to) continue;  // already there: nothing to record
    const bool done = to == core::RecommendationStatus::kDone;
    ASSIGN_OR_RETURN(rec, store.AdvanceRecommendation(rec_id, to, check.note,
                                                      done ? std::optional<Uuid>(v.id) : std::nullopt, v.date));
    if (done && !check.note.empty() && rec.evidence != check.note) {
      rec.evidence = check.note;
      RETURN_IF_ERROR(store.Save(std::move(rec)).status());
    }
  }
  return v.id;
}

Result<Uuid> SaveObservation(core::Records& store, const Parser& parse, const ui::ObservationForm& f,
                             const std::optional<Uuid>& author, std::vector<FormFieldError>* field_errors) {
  ASSIGN_OR_RETURN(core::Observation o, Start<core::Observation>(store, f.id));
  if (o.observer_id.IsNil() && author) o.observer_id = *author;
  ASSIGN_OR_RETURN(o.visit_id, parse.OptionalIdOf(f.visit_id));
  ASSIGN_OR_RETURN(o.school_id, parse.IdOf(f.school_id));
  FieldProblems problems;
  // No teacher chosen stays nil: validation asks for one in words ("Choose the teacher").
  o.teacher_id = Uuid();
  if (!f.teacher_id.empty()) problems.Read("teacher_id", Parser::IdOf(f.teacher_id), o.teacher_id);
  ASSIGN_OR_RETURN(o.kind, parse.EnumOf<core::ObservationKind>(f.kind));
  o.subject = f.subject;
  problems.Read("grade", parse.NumberOf(f.grade), o.grade);
  o.class_label = f.class_label;
  problems.Read("date", parse.DateOf(f.date), o.date);
  o.topic = f.topic;
  o.rubric_code = f.rubric_code;
  o.rubric_version = f.rubric_version;
  o.strengths = f.strengths;
  o.growth_areas = f.growth_areas;
  o.next_steps = f.next_steps;
  o.discussion_held = f.discussion_held;
  RETURN_IF_ERROR(RefuseFieldByField(store, o, problems, parse, field_errors));
  std::vector<core::ObservationScore> scores;
  for (const ui::ScoreInput& in : f.scores) {
    core::ObservationScore s;
    s.criterion_code = in.criterion_code;
    if (in.level >= 0) s.level = in.level;
    s.evidence = in.evidence;
    scores.push_back(std::move(s));
  }
  ASSIGN_OR_RETURN(o, store.SaveObservation(std::move(o), scores));
  RETURN_IF_ERROR(
      SaveRecommendations(store, parse, f.recommendations, core::SourceKind::kObservation, o.id, o.school_id, o.date));
  return o.id;
}

Result<Uuid> SaveConsultation(core::Records& store, const Parser& parse, const ui::ConsultationForm& f,
                              const std::optional<Uuid>& author, std::vector<FormFieldError>* field_errors) {
  ASSIGN_OR_RETURN(core::Consultation c, Start<core::Consultation>(store, f.id));
  if (c.consultant_id.IsNil() && author) c.consultant_id = *author;
  ASSIGN_OR_RETURN(c.school_id, parse.IdOf(f.school_id));
  FieldProblems problems;
  problems.Read("date", parse.DateOf(f.date), c.date);
  ASSIGN_OR_RETURN(c.audience, parse.EnumOf<core::ConsultationAudience>(f.audience));
  problems.Read("teacher_id", Parser::OptionalIdOf(f.teacher_id), c.teacher_id);
  ASSIGN_OR_RETURN(c.format, parse.EnumOf<core::ConsultationFormat>(f.format));
  problems.Read("minutes", parse.NumberOf(f.minutes), c.minutes);
  ASSIGN_OR_RETURN(c.topics, parse.EnumsOf<core::ConsultationTopic>(f.topics));
  c.questions = f.questions;
  c.advice = f.advice;
  c.follow_ups = f.follow_ups;
  RETURN_IF_ERROR(RefuseFieldByField(store, c, problems, parse, field_errors));
  ASSIGN_OR_RETURN(c, store.Save(std::move(c)));
  RETURN_IF_ERROR(
      SaveRecommendations(store, parse, f.recommendations, core::SourceKind::kConsultation, c.id, c.school_id, c.date));
  return c.id;
}

// ---- The generic record form ----------------------------------------------------------

// The UI's words for a value of type T that could not be read.
template <class T>
std::string_view UnreadableKey() {
  using V = std::remove_cvref_t<T>;
  if constexpr (core::IsOptional<V>::value) {
    return UnreadableKey<typename V::value_type>();
  } else if constexpr (std::is_same_v<V, Date>) {
    return "view.error.date";
  } else if constexpr (std::is_same_v<V, int64_t> || std::is_same_v<V, double>) {
    return "view.error.number";
  } else {
    return "view.error.choice";
  }
}

// Sets the fields of `record` named in `values` from their text, through the field table. A
// blank value clears an optional field or a text, leaves an id, a choice or a number as it is
// (validation says what is missing), and is refused for a required date.
template <class R>
std::vector<FormFieldError> ApplyValues(const std::map<std::string, std::string>& values, R& record,
                                        const ui::Translations& ru, const ui::Translations& en) {
  std::vector<FormFieldError> errors;
  core::ForEachFieldDef<R>([&](const auto& def) {
    auto it = values.find(std::string(def.name));
    if (it == values.end()) return;
    using T = std::remove_cvref_t<decltype(record.*(def.member))>;
    const std::string& text = it->second;
    auto words = [&](std::string_view key) { return LocalText{ru.Format(key, {text}), en.Format(key, {text})}; };
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      if constexpr (core::IsOptional<T>::value || core::IsVector<T>::value || std::is_same_v<T, std::string>) {
        record.*(def.member) = T{};
      } else if constexpr (std::is_same_v<T, Date>) {
        errors.push_back({std::string(def.name), words("view.error.date_missing")});
      }
      return;
    }
    T value{};
    if (!core::FieldCodec<T>::FromText(text, value).ok()) {
      errors.push_back({std::string(def.name), words(UnreadableKey<T>())});
      return;
    }
    record.*(def.member) = std::move(value);
  });
  return errors;
}

// One EventParticipant per teacher in `teacher_ids`: those missing are added, those no longer
// listed deleted.
Status SaveParticipants(core::Records& store, const Parser& parse, const Uuid& event_id,
                        const std::vector<std::string>& teacher_ids) {
  std::set<Uuid> wanted;
  for (const std::string& text : teacher_ids) {
    ASSIGN_OR_RETURN(Uuid id, parse.IdOf(text));
    wanted.insert(id);
  }
  ASSIGN_OR_RETURN(auto present, store.ListBy<core::EventParticipant>("event_id", event_id));
  std::set<Uuid> kept;
  for (const core::EventParticipant& p : present) {
    if (wanted.count(p.teacher_id) != 0 && kept.insert(p.teacher_id).second) continue;
    RETURN_IF_ERROR(store.Delete(core::RecordKind::kEventParticipant, p.id));  // removed, or listed twice
  }
  for (const Uuid& teacher : wanted) {
    if (kept.count(teacher) != 0) continue;
    core::EventParticipant p;
    p.event_id = event_id;
    p.teacher_id = teacher;
    RETURN_IF_ERROR(store.Save(std::move(p)).status());
  }
  return Status::Ok();
}

template <class R>
Result<Uuid> SaveRecord(core::Records& store, const Parser& parse, const ui::RecordSpec& spec, const ui::RecordForm& f,
                        const ui::Translations& ru, const ui::Translations& en,
                        std::vector<FormFieldError>* field_errors, bool may_coordinate) {
  ASSIGN_OR_RETURN(R record, Start<R>(store, f.id));
  // A field the form hides now (an institution's partner school) is saved empty.
  std::map<std::string, std::string> values = f.values;
  for (const ui::FieldSpec& field : spec.fields) {
    if (!ui::FieldShown(field, f)) values[std::string(field.name)].clear();
  }
  std::vector<FormFieldError> errors = ApplyValues(values, record, ru, en);
  if (errors.empty()) {  // the store's own check, field by field, before the save repeats it
    for (const core::FieldError& e : store.Check(record)) errors.push_back({e.field, e.text()});
  }
  if (!errors.empty()) {
    if (field_errors != nullptr) *field_errors = errors;
    return Status::InvalidInput(LocalText{ru("view.error.fields"), en("view.error.fields")});
  }
  if (!may_coordinate) {
    // The central store's rule on this record as typed (its parents read from this store).
    const sync::StateLoader load = [&](const Uuid& id) -> Result<std::optional<core::RecordState>> {
      ASSIGN_OR_RETURN(std::optional<core::RecordKind> kind, store.KindOf(id));
      if (!kind) return std::optional<core::RecordState>();
      return core::VisitKind(*kind, [&]<class P>() -> Result<std::optional<core::RecordState>> {
        ASSIGN_OR_RETURN(P parent, store.Get<P>(id));
        return std::optional<core::RecordState>(core::StateFromRecord(parent));
      });
    };
    ASSIGN_OR_RETURN(bool coordinators, sync::CoordinatorOnly(core::StateFromRecord(record), load));
    if (coordinators) {
      return Status::PermissionDenied(LocalText{ru("view.error.coordinator_only"), en("view.error.coordinator_only")});
    }
  }
  ASSIGN_OR_RETURN(record, store.Save(std::move(record)));
  if (spec.participants) RETURN_IF_ERROR(SaveParticipants(store, parse, record.id, f.participants));
  return record.id;
}

Result<Uuid> SaveRecordForm(core::Records& store, const Parser& parse, const ui::RecordForm& f,
                            const ui::Translations& ru, const ui::Translations& en,
                            std::vector<FormFieldError>* field_errors, bool may_coordinate) {
  const ui::RecordSpec* spec = ui::FindRecordSpec(f.kind);
  const auto kind = core::EnumFromText<core::RecordKind>(f.kind);
  if (spec == nullptr || !kind) {
    return Status::InvalidInput(LocalText{ru("view.error.record_kind"), en("view.error.record_kind")});
  }
  return core::VisitKind(
      *kind, [&]<class R>() { return SaveRecord<R>(store, parse, *spec, f, ru, en, field_errors, may_coordinate); });
}

// A saved record of a kind the generic form covers, as that form; nullopt for another kind.
Result<std::optional<ui::RecordForm>> RecordFormFor(const core::Records& store, const Uuid& id) {
  ASSIGN_OR_RETURN(std::optional<core::RecordKind> kind, store.KindOf(id));
  if (!kind) return std::optional<ui::RecordForm>();
  const std::string code(core::EnumCode(*kind));
  const ui::RecordSpec* spec = ui::FindRecordSpec(code);
  if (spec == nullptr) return std::optional<ui::RecordForm>();
  ui::RecordForm f;
  f.id = id.ToString();
  f.kind = code;
  RETURN_IF_ERROR(core::VisitKind(*kind, [&]<class R>() -> Status {
    ASSIGN_OR_RETURN(R record, store.Get<R>(id));
    core::ForEachFieldDef<R>([&](const auto& def) {
      using T = std::remove_cvref_t<decltype(record.*(def.member))>;
      f.values[std::string(def.name)] = core::FieldCodec<T>::ToText(record.*(def.member));
    });
    return Status::Ok();
  }));
  // The school whose teachers and deficits the form offers: the teacher's, else the record's.
  std::string school;
  if (auto teacher = Uuid::Parse(f.Get("teacher_id")); teacher.ok()) {
    auto person = store.Get<core::Person>(*teacher);
    if (person.ok() && person->school_id) school = person->school_id->ToString();
  }
  for (const char* field : {"school_id", "supported_school_id", "organiser_school_id"}) {
    if (school.empty()) school = f.Get(field);
  }
  f.school_id = school;
  if (spec->participants) {
    ASSIGN_OR_RETURN(auto participants, store.ListBy<core::EventParticipant>("event_id", id));
    for (const auto& p : participants) f.participants.push_back(p.teacher_id.ToString());
  }
  return std::optional<ui::RecordForm>(std::move(f));
}

template <class E>
std::vector<std::string> Codes(const std::vector<E>& values) {
  std::vector<std::string> out;
  for (E v : values) out.emplace_back(core::EnumCode(v));
  return out;
}

std::string IdText(const std::optional<Uuid>& id) { return id ? id->ToString() : std::string(); }

}  // namespace

Result<Uuid> SaveForm(core::Records& store, const ui::Form& form, const std::optional<Uuid>& author,
                      const ui::Translations& ru, const ui::Translations& en, std::vector<FormFieldError>* field_errors,
                      bool may_coordinate) {
  const Parser parse(ru, en);
  Uuid saved;
  RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    auto id = std::visit(
        [&](const auto& f) -> Result<Uuid> {
          using F = std::decay_t<decltype(f)>;
          if constexpr (std::is_same_v<F, ui::VisitForm>) return SaveVisit(store, parse, f, author, field_errors);
          if constexpr (std::is_same_v<F, ui::ObservationForm>)
            return SaveObservation(store, parse, f, author, field_errors);
          if constexpr (std::is_same_v<F, ui::ConsultationForm>) {
            return SaveConsultation(store, parse, f, author, field_errors);
          }
          if constexpr (std::is_same_v<F, ui::RecordForm>)
            return SaveRecordForm(store, parse, f, ru, en, field_errors, may_coordinate);
        },
        form);
    if (!id.ok()) return id.status();
    saved = *id;
    return Status::Ok();
  }));
  return saved;
}

Result<ui::Form> FormForRecord(const core::Records& store, std::string_view record_id) {
  ASSIGN_OR_RETURN(Uuid id, Uuid::Parse(record_id));
  ASSIGN_OR_RETURN(std::optional<ui::RecordForm> record, RecordFormFor(store, id));
  if (record) return ui::Form(std::move(*record));
  if (auto v = store.Get<core::Visit>(id); v.ok()) {
    ui::VisitForm f;
    f.id = v->id.ToString();
    f.school_id = v->school_id.ToString();
    f.date = v->date.ToString();
    f.purposes = Codes(v->purposes);
    f.met_with = v->met_with;
    f.summary = v->summary;
    f.strengths = v->strengths;
    f.problems = v->problems;
    return ui::Form(std::move(f));
  }
  if (auto o = store.Get<core::Observation>(id); o.ok()) {
    ui::ObservationForm f;
    f.id = o->id.ToString();
    f.visit_id = IdText(o->visit_id);
    f.school_id = o->school_id.ToString();
    f.teacher_id = o->teacher_id.ToString();
    f.kind = std::string(core::EnumCode(o->kind));
    f.subject = o->subject;
    f.grade = o->grade == 0 ? std::string() : std::to_string(o->grade);
    f.class_label = o->class_label;
    f.date = o->date.ToString();
    f.topic = o->topic;
    f.rubric_code = o->rubric_code;
    f.rubric_version = o->rubric_version;
    ASSIGN_OR_RETURN(auto scores, store.ScoresOf(o->id));
    for (const auto& s : scores) {
      f.scores.push_back({s.criterion_code, s.level ? static_cast<int>(*s.level) : -1, s.evidence});
    }
    f.strengths = o->strengths;
    f.growth_areas = o->growth_areas;
    f.next_steps = o->next_steps;
    f.discussion_held = o->discussion_held;
    return ui::Form(std::move(f));
  }
  ASSIGN_OR_RETURN(core::Consultation c, store.Get<core::Consultation>(id));
  ui::ConsultationForm f;
  f.id = c.id.ToString();
  f.school_id = c.school_id.ToString();
  f.date = c.date.ToString();
  f.audience = std::string(core::EnumCode(c.audience));
  f.teacher_id = IdText(c.teacher_id);
  f.format = std::string(core::EnumCode(c.format));
  f.minutes = c.minutes == 0 ? std::string() : std::to_string(c.minutes);
  f.topics = Codes(c.topics);
  f.questions = c.questions;
  f.advice = c.advice;
  f.follow_ups = c.follow_ups;
  return ui::Form(std::move(f));
}

std::string NewFormId(int64_t now_millis) { return Uuid::MakeV7(now_millis).ToString(); }

}  // namespace mentorlog::app
