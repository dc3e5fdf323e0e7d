// RunWorkload (workload.h): a seeded stream of field work through the repository API.
//
// Reproducibility rests on three things: the generator is std::mt19937_64 with our own
// range helpers on top of it; the records to act on are snapshotted at the start in id order
// and kept in that order in memory (new ones appended, deleted ones removed), so a pick never
// depends on the random bits of a new id; and dates come from store.Today().
//
// [SECTION] Phrases
// [SECTION] The workload
// [SECTION] RunWorkload

#include "workload.h"

#include <algorithm>
#include <array>
#include <map>
#include <random>
#include <string_view>
#include <vector>

#include "mentorlog/domain/rubric.h"

namespace mentorlog::core {

namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Phrases
// -----------------------------------------------------------------------------------------

constexpr std::array<std::string_view, 8> kSummaries = {
    "Обсудили итоги четверти с администрацией",
    "Посетили два урока, дали обратную связь",
    "Провели диагностику управленческой команды",
    "Разобрали план работы с отстающими",
    "Обсудили подготовку к ВПР",
    "Проверили выполнение прошлых рекомендаций",
    "Встретились с методическим объединением",
    "Обсудили программу перехода в эффективный режим",
};
constexpr std::array<std::string_view, 6> kStrengths = {
    "Сплочённый коллектив",         "Открытость к обратной связи", "Хорошая дисциплина на уроках",
    "Активная позиция заместителя", "Продуманные планы уроков",    "Используют цифровые ресурсы",
};
constexpr std::array<std::string_view, 6> kProblems = {
    "Низкая мотивация обучающихся",    "Нет системы работы с отстающими", "Перегрузка учителей",
    "Слабая обратная связь на уроках", "Не хватает учителей математики",  "Мало времени на практику",
};
constexpr std::array<std::string_view, 4> kMetWith = {
    "директор",
    "заместитель по УВР",
    "директор, заместитель по УВР",
    "руководитель методического объединения",
};
constexpr std::array<std::string_view, 6> kTopics = {
    "Решение текстовых задач", "Правописание приставок", "Дроби и проценты",
    "Строение клетки",         "Причастный оборот",      "Линейные уравнения",
};
constexpr std::array<std::string_view, 5> kSubjects = {"математика", "русский язык", "биология", "физика",
                                                       "литература"};
constexpr std::array<std::string_view, 6> kNextSteps = {
    "Чаще давать обратную связь",          "Добавить работу в парах",           "Сформулировать цель урока",
    "Проверять понимание каждые 10 минут", "Дифференцировать домашнее задание", "Оставлять время на рефлексию",
};
constexpr std::array<std::string_view, 5> kQuestions = {
    "Как выстроить работу с родителями", "Как готовить к ОГЭ слабых учеников", "Как вести внутришкольный контроль",
    "Как оформить программу перехода",   "Как организовать наставничество",
};
constexpr std::array<std::string_view, 5> kAdvice = {
    "Составить график взаимопосещений",    "Провести родительское собрание", "Назначить ответственного",
    "Разработать карту учебных дефицитов", "Использовать банк заданий ФИПИ",
};
constexpr std::array<std::string_view, 7> kRecommendations = {
    "Провести открытые уроки",
    "Организовать взаимопосещения",
    "Составить план работы с отстающими",
    "Провести педсовет по итогам диагностики",
    "Обновить программу перехода",
    "Ввести еженедельные консультации",
    "Разработать систему обратной связи",
};
constexpr std::array<std::string_view, 3> kResponsible = {"Заместитель директора по УВР", "Директор",
                                                          "Руководитель МО"};
constexpr std::array<std::string_view, 5> kComments = {
    "Работа идёт по плану", "Перенесли на следующую неделю", "Нужна помощь методиста",
    "Частично выполнено",   "Обсудили на педсовете",
};
constexpr std::array<std::string_view, 3> kReopenReasons = {"Проблема вернулась", "Выполнено не полностью",
                                                            "Новые результаты диагностики"};
constexpr std::string_view kClassLetters[] = {"А", "Б", "В"};

constexpr int kChunk = 50;
constexpr int kDaysBack = 60;

bool IsRefusal(const Status& s) {
  return s.code() == StatusCode::kInvalidInput || s.code() == StatusCode::kNotFound ||
         s.code() == StatusCode::kConflict;
}

template <class T>
bool Contains(const std::vector<T>& v, const T& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

bool HasAnyRole(const Person& p, std::initializer_list<Role> roles) {
  return std::any_of(roles.begin(), roles.end(), [&](Role r) { return Contains(p.roles, r); });
}

// -----------------------------------------------------------------------------------------
// [SECTION] The workload
// -----------------------------------------------------------------------------------------

enum class Outcome { kCreated, kEdited, kDeleted, kSkipped };

class Workload {
 public:
  Workload(Records& store, const WorkloadOptions& options) : store_(store), options_(options), rng_(options.seed) {}

  Status Load() {
    today_ = store_.Today();
    ASSIGN_OR_RETURN(schools_, store_.List<School>());
    ASSIGN_OR_RETURN(std::vector<Person> people, store_.List<Person>());
    for (const Person& p : people) {
      if (options_.as_person && p.id == *options_.as_person) actor_ = p.id;
      if (Contains(p.roles, Role::kTeacher) && p.school_id) teachers_[*p.school_id].push_back(p);
      if (HasAnyRole(p, {Role::kMentor, Role::kTutor})) visitors_.push_back(p.id);
      if (HasAnyRole(p, {Role::kMentor, Role::kTutor, Role::kCoordinator})) consultants_.push_back(p.id);
    }
    ASSIGN_OR_RETURN(std::vector<RubricTemplate> templates, store_.List<RubricTemplate>());
    for (const RubricTemplate& t : templates) {
      auto parsed = ParseRubric(t.body_json, t.code);
      if (!parsed.ok() || parsed->criteria.empty()) continue;
      // The bundled lesson rubric when present (its newest version), else the first usable one.
      const bool better =
          !rubric_ || (t.code == "lesson_observation" && (rubric_->code != t.code || t.version > rubric_->version));
      if (better) {
        rubric_ = std::move(parsed).value();
        rubric_->code = t.code;
        rubric_->version = t.version;
      }
    }
    ASSIGN_OR_RETURN(visits_, store_.List<Visit>());
    ASSIGN_OR_RETURN(observations_, store_.List<Observation>());
    ASSIGN_OR_RETURN(consultations_, store_.List<Consultation>());
    ASSIGN_OR_RETURN(recommendations_, store_.List<Recommendation>());
    return Status::Ok();
  }

  Result<Outcome> Step() {
    const int dice = Range(0, 99);
    if (dice < 18) return CreateVisit();
    if (dice < 32) return CreateObservation();
    if (dice < 44) return CreateConsultation();
    if (dice < 56) return CreateRecommendation();
    if (dice < 66) return EditVisit();
    if (dice < 72) return EditObservation();
    if (dice < 78) return EditConsultation();
    if (dice < 82) return EditRecommendation();
    if (dice < 90) return MoveRecommendation();
    if (dice < 95) return Comment();
    return DeleteOne();
  }

 private:
  // ---- Randomness (our own helpers over the engine's raw output: same numbers everywhere) --

  int Range(int lo, int hi) {  // inclusive
    const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
    return lo + static_cast<int>(rng_() % span);
  }
  size_t Pick(size_t n) { return static_cast<size_t>(rng_() % n); }
  bool Chance(int percent) { return Range(0, 99) < percent; }
  template <size_t N>
  std::string Phrase(const std::array<std::string_view, N>& list) {
    return std::string(list[Pick(N)]);
  }
  // A phrase other than `current`, so that an edit changes something.
  template <size_t N>
  std::string OtherPhrase(const std::array<std::string_view, N>& list, const std::string& current) {
    const size_t at = Pick(N);
    return std::string(list[at] == current ? list[(at + 1) % N] : list[at]);
  }
  Date RecentDate() { return today_.AddDays(-Range(0, kDaysBack - 1)); }
  // A date from `from` (if within the window) to today.
  Date DateSince(Date from) {
    const Date earliest = std::max(from, today_.AddDays(-(kDaysBack - 1)));
    if (earliest > today_) return today_;
    return earliest.AddDays(Range(0, today_.days() - earliest.days()));
  }
  // `count` distinct values of a vocabulary, in vocabulary order.
  template <class E>
  std::vector<E> SomeOf(size_t count) {
    const auto entries = EnumEntries<E>();
    std::vector<size_t> index(entries.size());
    for (size_t i = 0; i < index.size(); ++i) index[i] = i;
    count = std::min(count, index.size());
    for (size_t i = 0; i < count; ++i) std::swap(index[i], index[i + Pick(index.size() - i)]);
    index.resize(count);
    std::sort(index.begin(), index.end());
    std::vector<E> out;
    for (size_t i : index) out.push_back(entries[i].value);
    return out;
  }
  template <class E>
  E OneOf() {
    return SomeOf<E>(1).front();
  }

  // ---- Who and where -------------------------------------------------------------------

  std::optional<Uuid> Visitor() {
    if (actor_) return actor_;
    if (visitors_.empty()) return std::nullopt;
    return visitors_[Pick(visitors_.size())];
  }
  std::optional<Uuid> Consultant() {
    if (actor_) return actor_;
    if (consultants_.empty()) return std::nullopt;
    return consultants_[Pick(consultants_.size())];
  }
  const std::vector<Person>& TeachersOf(const Uuid& school_id) {
    static const std::vector<Person> kNone;
    auto it = teachers_.find(school_id);
    return it == teachers_.end() ? kNone : it->second;
  }
  template <class R>
  std::vector<size_t> OfSchool(const std::vector<R>& records, const Uuid& school_id) {
    std::vector<size_t> out;
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i].school_id == school_id) out.push_back(i);
    }
    return out;
  }

  // The outcome of a write: a refusal is a skip, any other failure ends the workload.
  template <class T>
  static Result<Outcome> Judge(const Result<T>& written, Outcome success) {
    if (written.ok()) return success;
    if (IsRefusal(written.status())) return Outcome::kSkipped;
    return written.status();
  }
  static Result<Outcome> Judge(const Status& written, Outcome success) {
    if (written.ok()) return success;
    if (IsRefusal(written)) return Outcome::kSkipped;
    return written;
  }

  // ---- Creating ------------------------------------------------------------------------

  Result<Outcome> CreateVisit() {
    if (schools_.empty()) return Outcome::kSkipped;
    const School& school = schools_[Pick(schools_.size())];
    const auto visitor = Visitor();
    if (!visitor) return Outcome::kSkipped;
    Visit v;
    v.school_id = school.id;
    v.date = RecentDate();
    v.visitor_ids = {*visitor};
    v.purposes = SomeOf<VisitPurpose>(static_cast<size_t>(Range(1, 2)));
    v.met_with = Phrase(kMetWith);
    v.summary = Phrase(kSummaries);
    v.strengths = Phrase(kStrengths);
    v.problems = Phrase(kProblems);
    auto saved = store_.Save(std::move(v));
    if (saved.ok()) visits_.push_back(*saved);
    return Judge(saved, Outcome::kCreated);
  }

  std::vector<ObservationScore> SomeScores() {
    std::vector<ObservationScore> scores;
    const auto& criteria = rubric_->criteria;
    std::vector<size_t> index(criteria.size());
    for (size_t i = 0; i < index.size(); ++i) index[i] = i;
    const size_t count = std::min<size_t>(index.size(), static_cast<size_t>(Range(2, 4)));
    for (size_t i = 0; i < count; ++i) std::swap(index[i], index[i + Pick(index.size() - i)]);
    index.resize(count);
    std::sort(index.begin(), index.end());
    for (size_t i : index) {
      ObservationScore s;
      s.criterion_code = criteria[i].code;
      if (!Chance(12)) s.level = Range(static_cast<int>(rubric_->min_level), static_cast<int>(rubric_->max_level));
      s.evidence = Phrase(kStrengths);
      scores.push_back(std::move(s));
    }
    return scores;
  }

  Result<Outcome> CreateObservation() {
    if (schools_.empty() || !rubric_) return Outcome::kSkipped;
    const School& school = schools_[Pick(schools_.size())];
    const auto& teachers = TeachersOf(school.id);
    const auto observer = Visitor();
    if (teachers.empty() || !observer) return Outcome::kSkipped;
    const Person& teacher = teachers[Pick(teachers.size())];
    Observation o;
    o.school_id = school.id;
    o.teacher_id = teacher.id;
    o.observer_id = *observer;
    o.date = RecentDate();
    const auto visits = OfSchool(visits_, school.id);
    if (!visits.empty() && Chance(50)) {
      const Visit& visit = visits_[visits[Pick(visits.size())]];
      o.visit_id = visit.id;
      o.date = visit.date;
    }
    o.kind = Chance(80) ? ObservationKind::kObservation : OneOf<ObservationKind>();
    o.subject = teacher.subjects.empty() ? Phrase(kSubjects) : teacher.subjects[Pick(teacher.subjects.size())];
    o.grade = Range(1, 11);
    o.class_label = std::to_string(o.grade) + std::string(kClassLetters[Pick(std::size(kClassLetters))]);
    o.topic = Phrase(kTopics);
    o.rubric_code = rubric_->code;
    o.rubric_version = rubric_->version;
    o.strengths = Phrase(kStrengths);
    o.growth_areas = Phrase(kProblems);
    o.next_steps = Phrase(kNextSteps);
    o.discussion_held = Chance(70);
    std::vector<ObservationScore> scores = SomeScores();
    auto saved = store_.SaveObservation(std::move(o), scores);
    if (saved.ok()) observations_.push_back(*saved);
    return Judge(saved, Outcome::kCreated);
  }

  Result<Outcome> CreateConsultation() {
    if (schools_.empty()) return Outcome::kSkipped;
    const School& school = schools_[Pick(schools_.size())];
    const auto consultant = Consultant();
    if (!consultant) return Outcome::kSkipped;
    Consultation c;
    c.school_id = school.id;
    c.date = RecentDate();
    c.consultant_id = *consultant;
    const auto& teachers = TeachersOf(school.id);
    if (!teachers.empty() && Chance(40)) {
      c.audience = ConsultationAudience::kTeacher;
      c.teacher_id = teachers[Pick(teachers.size())].id;
    } else {
      c.audience = ConsultationAudience::kManagementTeam;
    }
    c.format = OneOf<ConsultationFormat>();
    c.minutes = 15 * Range(1, 8);
    c.topics = SomeOf<ConsultationTopic>(static_cast<size_t>(Range(1, 2)));
    c.questions = Phrase(kQuestions);
    c.advice = Phrase(kAdvice);
    c.follow_ups = Phrase(kComments);
    auto saved = store_.Save(std::move(c));
    if (saved.ok()) consultations_.push_back(*saved);
    return Judge(saved, Outcome::kCreated);
  }

  Result<Outcome> CreateRecommendation() {
    Recommendation r;
    // The source: a visit, an observation or a consultation (the first non-empty kind from a
    // random starting point).
    const int start = Range(0, 2);
    bool found = false;
    for (int k = 0; k < 3 && !found; ++k) {
      switch ((start + k) % 3) {
        case 0:
          if (visits_.empty()) break;
          {
            const Visit& v = visits_[Pick(visits_.size())];
            r.source_kind = SourceKind::kVisit;
            r.source_id = v.id;
            r.school_id = v.school_id;
            r.created_on = v.date;
          }
          found = true;
          break;
        case 1:
          if (observations_.empty()) break;
          {
            const Observation& o = observations_[Pick(observations_.size())];
            r.source_kind = SourceKind::kObservation;
            r.source_id = o.id;
            r.school_id = o.school_id;
            r.teacher_id = o.teacher_id;
            r.created_on = o.date;
          }
          found = true;
          break;
        default:
          if (consultations_.empty()) break;
          {
            const Consultation& c = consultations_[Pick(consultations_.size())];
            r.source_kind = SourceKind::kConsultation;
            r.source_id = c.id;
            r.school_id = c.school_id;
            r.teacher_id = c.teacher_id;
            r.created_on = c.date;
          }
          found = true;
          break;
      }
    }
    if (!found) return Outcome::kSkipped;
    r.text = Phrase(kRecommendations);
    if (r.teacher_id && Chance(50)) {
      r.responsible_id = r.teacher_id;
    } else {
      r.responsible_name = Phrase(kResponsible);
    }
    r.due_on = r.created_on.AddDays(Range(14, 60));
    auto saved = store_.Save(std::move(r));
    if (saved.ok()) recommendations_.push_back(*saved);
    return Judge(saved, Outcome::kCreated);
  }

  Result<Outcome> Comment() {
    if (recommendations_.empty()) return Outcome::kSkipped;
    const Recommendation& r = recommendations_[Pick(recommendations_.size())];
    RecommendationEvent e;
    e.recommendation_id = r.id;
    e.kind = RecommendationEventKind::kComment;
    e.date = DateSince(r.created_on);
    e.author_id = Visitor();
    e.text = Phrase(kComments);
    return Judge(store_.Save(std::move(e)), Outcome::kCreated);
  }

  // ---- Editing -------------------------------------------------------------------------

  // Saves `edited` over records[at] and keeps the cache in step.
  template <class R>
  Result<Outcome> SaveEdit(std::vector<R>& records, size_t at, R edited) {
    auto saved = store_.Save(std::move(edited));
    if (saved.ok()) records[at] = *saved;
    if (!saved.ok() && saved.status().code() == StatusCode::kNotFound)
      records.erase(records.begin() + static_cast<std::ptrdiff_t>(at));
    return Judge(saved, Outcome::kEdited);
  }

  Result<Outcome> EditVisit() {
    if (visits_.empty()) return Outcome::kSkipped;
    const size_t at = Pick(visits_.size());
    Visit v = visits_[at];
    v.summary = OtherPhrase(kSummaries, v.summary);
    if (Chance(40)) v.problems = OtherPhrase(kProblems, v.problems);
    if (Chance(20)) v.date = RecentDate();
    return SaveEdit(visits_, at, std::move(v));
  }

  Result<Outcome> EditObservation() {
    if (observations_.empty()) return Outcome::kSkipped;
    const size_t at = Pick(observations_.size());
    Observation o = observations_[at];
    o.next_steps = OtherPhrase(kNextSteps, o.next_steps);
    auto stored_scores = store_.ScoresOf(o.id);
    if (!stored_scores.ok()) return stored_scores.status();
    std::vector<ObservationScore> scores = std::move(stored_scores).value();
    if (rubric_ && o.rubric_code == rubric_->code && o.rubric_version == rubric_->version && Chance(50)) {
      scores = SomeScores();  // matched to the stored ones by criterion; the others are deleted
    }
    auto saved = store_.SaveObservation(std::move(o), scores);
    if (saved.ok()) observations_[at] = *saved;
    if (!saved.ok() && saved.status().code() == StatusCode::kNotFound) {
      observations_.erase(observations_.begin() + static_cast<std::ptrdiff_t>(at));
    }
    return Judge(saved, Outcome::kEdited);
  }

  Result<Outcome> EditConsultation() {
    if (consultations_.empty()) return Outcome::kSkipped;
    const size_t at = Pick(consultations_.size());
    Consultation c = consultations_[at];
    c.advice = OtherPhrase(kAdvice, c.advice);
    if (Chance(30)) c.minutes = 15 * Range(1, 8);
    return SaveEdit(consultations_, at, std::move(c));
  }

  Result<Outcome> EditRecommendation() {
    if (recommendations_.empty()) return Outcome::kSkipped;
    const size_t at = Pick(recommendations_.size());
    Recommendation r = recommendations_[at];
    r.evidence = OtherPhrase(kComments, r.evidence);
    if (Chance(30)) r.due_on = r.due_on.AddDays(Range(7, 21));
    return SaveEdit(recommendations_, at, std::move(r));
  }

  // Moves a recommendation forward, or reopens a closed one.
  Result<Outcome> MoveRecommendation() {
    if (recommendations_.empty()) return Outcome::kSkipped;
    const size_t at = Pick(recommendations_.size());
    const Recommendation& r = recommendations_[at];
    Result<Recommendation> moved = Status::Internal("not moved");
    switch (r.status) {
      case RecommendationStatus::kOpen: {
        const int dice = Range(0, 9);
        const auto to = dice < 6 ? RecommendationStatus::kInProgress
                                 : (dice < 9 ? RecommendationStatus::kDone : RecommendationStatus::kDropped);
        moved = store_.AdvanceRecommendation(r.id, to, Phrase(kComments));
        break;
      }
      case RecommendationStatus::kInProgress:
        moved = store_.AdvanceRecommendation(
            r.id, Chance(80) ? RecommendationStatus::kDone : RecommendationStatus::kDropped, Phrase(kComments));
        break;
      case RecommendationStatus::kDone:
      case RecommendationStatus::kDropped:
        moved = store_.ReopenRecommendation(r.id, Phrase(kReopenReasons));
        break;
    }
    if (moved.ok()) recommendations_[at] = *moved;
    return Judge(moved, Outcome::kEdited);
  }

  // ---- Deleting ------------------------------------------------------------------------

  template <class R>
  Result<Outcome> DeleteFrom(std::vector<R>& records) {
    const size_t at = Pick(records.size());
    const Uuid id = records[at].id;
    Status s;
    if constexpr (std::is_same_v<R, Observation>) {
      // The scores go with their observation, in the same transaction.
      s = store_.InTransaction([&]() -> Status {
        ASSIGN_OR_RETURN(std::vector<ObservationScore> scores, store_.ScoresOf(id));
        for (const auto& score : scores) RETURN_IF_ERROR(store_.Delete(RecordKind::kObservationScore, score.id));
        return store_.Delete(RecordKind::kObservation, id);
      });
    } else {
      s = store_.Delete(RecordTraits<R>::kKind, id);
    }
    if (s.ok() || s.code() == StatusCode::kNotFound) {
      records.erase(records.begin() + static_cast<std::ptrdiff_t>(at));
    }
    return Judge(s, Outcome::kDeleted);
  }

  Result<Outcome> DeleteOne() {
    const int start = Range(0, 3);
    for (int k = 0; k < 4; ++k) {
      switch ((start + k) % 4) {
        case 0:
          if (!visits_.empty()) return DeleteFrom(visits_);
          break;
        case 1:
          if (!observations_.empty()) return DeleteFrom(observations_);
          break;
        case 2:
          if (!consultations_.empty()) return DeleteFrom(consultations_);
          break;
        default:
          if (!recommendations_.empty()) return DeleteFrom(recommendations_);
          break;
      }
    }
    return Outcome::kSkipped;
  }

  Records& store_;
  const WorkloadOptions& options_;
  std::mt19937_64 rng_;
  Date today_;
  std::optional<Uuid> actor_;
  std::vector<School> schools_;
  std::map<Uuid, std::vector<Person>> teachers_;  // by school, each in id order
  std::vector<Uuid> visitors_;                    // mentors and tutors
  std::vector<Uuid> consultants_;                 // mentors, tutors and coordinators
  std::optional<Rubric> rubric_;
  std::vector<Visit> visits_;
  std::vector<Observation> observations_;
  std::vector<Consultation> consultations_;
  std::vector<Recommendation> recommendations_;
};

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] RunWorkload
// -----------------------------------------------------------------------------------------

Result<WorkloadReport> RunWorkload(Records& store, const WorkloadOptions& options) {
  Workload workload(store, options);
  RETURN_IF_ERROR(workload.Load());
  WorkloadReport report;
  const int ops = std::max(0, options.ops);
  for (int done = 0; done < ops;) {
    const int n = std::min(kChunk, ops - done);
    RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
      for (int i = 0; i < n; ++i) {
        ASSIGN_OR_RETURN(Outcome outcome, workload.Step());
        switch (outcome) {
          case Outcome::kCreated:
            ++report.created;
            break;
          case Outcome::kEdited:
            ++report.edited;
            break;
          case Outcome::kDeleted:
            ++report.deleted;
            break;
          case Outcome::kSkipped:
            ++report.skipped;
            break;
        }
      }
      return Status::Ok();
    }));
    done += n;
  }
  return report;
}

}  // namespace mentorlog::core
