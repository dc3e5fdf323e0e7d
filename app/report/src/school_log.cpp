#include "mentorlog/report/school_log.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "lookup.h"
#include "mentorlog/domain/rules.h"

namespace mentorlog::report {

namespace {

using core::Date;
using core::EnumLabel;

template <class E>
std::string Labels(const std::vector<E>& values, Language language) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + std::string(EnumLabel(v, language));
  return out;
}

Cell OptionalDate(const std::optional<Date>& d) {
  if (!d) return std::monostate{};
  return *d;
}

Cell Text(std::string s) {
  if (s.empty()) return std::monostate{};
  return s;
}

// Records by date, then by id (creation order), as the log reads.
template <class R, class Key>
void SortBy(std::vector<R>& records, Key key) {
  std::stable_sort(records.begin(), records.end(), [&](const R& a, const R& b) {
    const auto ka = key(a), kb = key(b);
    if (ka != kb) return ka < kb;
    return a.id < b.id;
  });
}

Table SchoolTable(const core::School& school, const std::string& partner_name, Language language) {
  Table t{"school",
          LocalText{"Школа", "School"}.In(language),
          {{LocalText{"Поле", "Field"}.In(language), 34}, {LocalText{"Значение", "Value"}.In(language), 60}},
          {}};
  auto add = [&](const LocalText& label, Cell value) { t.rows.push_back({label.In(language), std::move(value)}); };
  add({"Наименование", "Name"}, school.name);
  add({"Краткое наименование", "Short name"}, Text(school.short_name));
  add({"Код", "Code"}, Text(school.code));
  add({"Район", "District"}, Text(school.district));
  add({"Муниципалитет", "Municipality"}, Text(school.municipality));
  add({"Тип поселения", "Settlement"}, std::string(EnumLabel(school.settlement, language)));
  add({"Расстояние до районного центра, км", "Distance to the district centre, km"}, school.distance_km);
  add({"Обучающихся", "Pupils"}, school.pupils);
  add({"Педагогов", "Teachers"}, school.teachers);
  add({"Статус", "Status"}, Text(Labels(school.statuses, language)));
  add({"Год статуса", "Status year"}, school.status_year);
  add({"Школа-лидер (партнёр)", "Leader school partner"}, Text(partner_name));
  add({"Программа перехода", "Transition programme"}, std::string(EnumLabel(school.transition_programme, language)));
  add({"Программа перехода принята", "Transition programme adopted on"},
      OptionalDate(school.transition_programme_adopted_on));
  add({"Управленческая команда обучена", "Management team trained"}, school.management_team_trained);
  add({"Идентификатор", "Id"}, school.id.ToString());
  return t;
}

}  // namespace

Result<core::School> FindSchool(const core::Records& store, std::string_view id_or_code) {
  const std::string wanted(id_or_code);
  if (auto id = core::Uuid::Parse(wanted); id.ok()) {
    auto school = store.Get<core::School>(*id);
    if (school.ok() || school.status().code() != StatusCode::kNotFound) return school;
  } else {
    ASSIGN_OR_RETURN(std::vector<core::School> schools, store.List<core::School>());
    for (auto& s : schools) {
      if (!s.code.empty() && s.code == wanted) return std::move(s);
    }
  }
  return Status::NotFound(LocalText{
      "нет школы с идентификатором или кодом «" + wanted +
          "»; список школ этого хранилища: `mentorlog-cli list schools`",
      "no school has the id or code «" + wanted + "»; `mentorlog-cli list schools` shows the schools of this store"});
}

Result<std::vector<Table>> SchoolLogTables(const core::Records& store, const core::School& school, Date today,
                                           Language language) {
  // Texts used more than once.
  const LocalText kDate{"Дата", "Date"};
  const LocalText kTeacher{"Учитель", "Teacher"};
  const LocalText kSubject{"Предмет", "Subject"};
  const LocalText kStrengths{"Сильные стороны", "Strengths"};
  const LocalText kYear{"Год", "Year"};
  PersonNames names(store);
  RubricBook rubrics(store);
  std::vector<Table> tables;

  // The school, with its leader partner by name.
  std::string partner_name;
  if (school.leader_partner_id) {
    auto partner = store.Get<core::School>(*school.leader_partner_id);
    partner_name = partner.ok() ? partner->name : school.leader_partner_id->ToString();
  }
  tables.push_back(SchoolTable(school, partner_name, language));

  // Visits.
  {
    ASSIGN_OR_RETURN(auto visits, store.ListBy<core::Visit>("school_id", school.id));
    SortBy(visits, [](const core::Visit& v) { return v.date; });
    Table t{"visits",
            LocalText{"Выезды", "Visits"}.In(language),
            {{kDate.In(language)},
             {LocalText{"Цели", "Purposes"}.In(language)},
             {LocalText{"Кто выезжал", "Visitors"}.In(language)},
             {LocalText{"С кем встречались", "Met with"}.In(language)},
             {LocalText{"Итоги", "Summary"}.In(language)},
             {kStrengths.In(language)},
             {LocalText{"Проблемы", "Problems"}.In(language)}},
            {}};
    for (const auto& v : visits) {
      ASSIGN_OR_RETURN(std::string visitors, names.Join(v.visitor_ids));
      t.rows.push_back({v.date, Text(Labels(v.purposes, language)), Text(visitors), Text(v.met_with), Text(v.summary),
                        Text(v.strengths), Text(v.problems)});
    }
    tables.push_back(std::move(t));
  }

  // Observations (wide, a column per criterion) and their scores (long, with evidence).
  {
    ASSIGN_OR_RETURN(auto observations, store.ListBy<core::Observation>("school_id", school.id));
    SortBy(observations, [](const core::Observation& o) { return o.date; });
    // The criteria of every rubric used, in rubric order, once each.
    std::vector<std::pair<std::string, std::string>> criteria;  // (code, title)
    std::map<std::string, size_t> criterion_column;
    std::vector<std::vector<core::ObservationScore>> scores_of;
    for (const auto& o : observations) {
      ASSIGN_OR_RETURN(auto scores, store.ScoresOf(o.id));
      ASSIGN_OR_RETURN(auto rubric, rubrics.Find(o.rubric_code, o.rubric_version));
      if (rubric) {
        for (const auto& c : rubric->criteria) {
          if (criterion_column.emplace(c.code, criteria.size()).second)
            criteria.emplace_back(c.code, c.title.In(language));
        }
      }
      for (const auto& s : scores) {
        if (criterion_column.emplace(s.criterion_code, criteria.size()).second) {
          criteria.emplace_back(s.criterion_code, s.criterion_code);
        }
      }
      scores_of.push_back(std::move(scores));
    }
    Table t{"observations",
            LocalText{"Посещения уроков", "Observations"}.In(language),
            {{kDate.In(language)},
             {LocalText{"Вид", "Kind"}.In(language)},
             {kTeacher.In(language)},
             {LocalText{"Наблюдатель", "Observer"}.In(language)},
             {kSubject.In(language)},
             {LocalText{"Класс (параллель)", "Grade"}.In(language)},
             {LocalText{"Класс", "Class"}.In(language)},
             {LocalText{"Тема", "Topic"}.In(language)},
             {LocalText{"Карта наблюдения", "Rubric"}.In(language)},
             {LocalText{"Разговор после урока", "Discussion held"}.In(language)},
             {LocalText{"Средний уровень", "Mean level"}.In(language)}},
            {}};
    for (const auto& [code, title] : criteria) t.columns.push_back({title + " [" + code + "]", 14});
    t.columns.push_back({kStrengths.In(language)});
    t.columns.push_back({LocalText{"Зоны роста", "Growth areas"}.In(language)});
    t.columns.push_back({LocalText{"Договорённости о следующих шагах", "Agreed next steps"}.In(language)});

    Table s{"scores",
            LocalText{"Оценки по критериям", "Scores"}.In(language),
            {{kDate.In(language)},
             {kTeacher.In(language)},
             {kSubject.In(language)},
             {LocalText{"Код критерия", "Criterion code"}.In(language)},
             {LocalText{"Критерий", "Criterion"}.In(language)},
             {LocalText{"Уровень", "Level"}.In(language)},
             {LocalText{"Описание уровня", "Level label"}.In(language)},
             {LocalText{"Свидетельства", "Evidence"}.In(language)}},
            {}};
    for (size_t i = 0; i < observations.size(); ++i) {
      const auto& o = observations[i];
      ASSIGN_OR_RETURN(std::string teacher, names.Of(o.teacher_id));
      ASSIGN_OR_RETURN(std::string observer, names.Of(o.observer_id));
      ASSIGN_OR_RETURN(auto rubric, rubrics.Find(o.rubric_code, o.rubric_version));
      std::vector<Cell> levels(criteria.size());
      double sum = 0;
      int counted = 0;
      for (const auto& score : scores_of[i]) {
        if (score.level) {
          levels[criterion_column[score.criterion_code]] = *score.level;
          sum += static_cast<double>(*score.level);
          ++counted;
        }
        const core::RubricCriterion* criterion = rubric ? rubric->FindCriterion(score.criterion_code) : nullptr;
        s.rows.push_back({o.date, Text(teacher), Text(o.subject), score.criterion_code,
                          Text(criterion ? criterion->title.In(language) : ""),
                          score.level ? Cell(*score.level) : Cell(std::monostate{}),
                          LevelText(rubric ? &*rubric : nullptr, score.level, language), Text(score.evidence)});
      }
      std::vector<Cell> row = {o.date,
                               std::string(EnumLabel(o.kind, language)),
                               Text(teacher),
                               Text(observer),
                               Text(o.subject),
                               o.grade,
                               Text(o.class_label),
                               Text(o.topic),
                               rubric ? Cell(rubric->title.In(language) + " v" + std::to_string(o.rubric_version))
                                      : Cell(o.rubric_code + " v" + std::to_string(o.rubric_version)),
                               o.discussion_held,
                               counted > 0 ? Cell(sum / counted) : Cell(std::monostate{})};
      row.insert(row.end(), levels.begin(), levels.end());
      row.push_back(Text(o.strengths));
      row.push_back(Text(o.growth_areas));
      row.push_back(Text(o.next_steps));
      t.rows.push_back(std::move(row));
    }
    tables.push_back(std::move(t));
    tables.push_back(std::move(s));
  }

  // Consultations.
  {
    ASSIGN_OR_RETURN(auto consultations, store.ListBy<core::Consultation>("school_id", school.id));
    SortBy(consultations, [](const core::Consultation& c) { return c.date; });
    Table t{"consultations",
            LocalText{"Консультации", "Consultations"}.In(language),
            {{kDate.In(language)},
             {LocalText{"Консультант", "Consultant"}.In(language)},
             {LocalText{"С кем", "With"}.In(language)},
             {kTeacher.In(language)},
             {LocalText{"Формат", "Format"}.In(language)},
             {LocalText{"Минут", "Minutes"}.In(language)},
             {LocalText{"Темы", "Topics"}.In(language)},
             {LocalText{"Вопросы", "Questions"}.In(language)},
             {LocalText{"Рекомендации", "Advice"}.In(language)},
             {LocalText{"Дальнейшие шаги", "Follow-ups"}.In(language)}},
            {}};
    for (const auto& c : consultations) {
      ASSIGN_OR_RETURN(std::string consultant, names.Of(c.consultant_id));
      ASSIGN_OR_RETURN(std::string teacher, names.Of(c.teacher_id));
      t.rows.push_back({c.date, Text(consultant), std::string(EnumLabel(c.audience, language)), Text(teacher),
                        std::string(EnumLabel(c.format, language)), c.minutes, Text(Labels(c.topics, language)),
                        Text(c.questions), Text(c.advice), Text(c.follow_ups)});
    }
    tables.push_back(std::move(t));
  }

  // Recommendations.
  {
    ASSIGN_OR_RETURN(auto recommendations, store.ListBy<core::Recommendation>("school_id", school.id));
    SortBy(recommendations, [](const core::Recommendation& r) { return r.created_on; });
    Table t{"recommendations",
            LocalText{"Рекомендации", "Recommendations"}.In(language),
            {{LocalText{"Дата выдачи", "Given on"}.In(language)},
             {LocalText{"Срок", "Due on"}.In(language)},
             {LocalText{"Статус", "Status"}.In(language)},
             {LocalText{"Просрочена", "Overdue"}.In(language)},
             {LocalText{"Рекомендация", "Recommendation"}.In(language)},
             {kTeacher.In(language)},
             {LocalText{"Ответственный", "Responsible"}.In(language)},
             {LocalText{"Источник", "Given at"}.In(language)},
             {LocalText{"Закрыта", "Closed on"}.In(language)},
             {LocalText{"Подтверждение", "Evidence"}.In(language)},
             {LocalText{"Открывалась повторно", "Times reopened"}.In(language)}},
            {}};
    for (const auto& r : recommendations) {
      ASSIGN_OR_RETURN(std::string teacher, names.Of(r.teacher_id));
      ASSIGN_OR_RETURN(std::string responsible, names.Of(r.responsible_id));
      if (responsible.empty()) responsible = r.responsible_name;
      t.rows.push_back({r.created_on, r.due_on, std::string(EnumLabel(r.status, language)), core::IsOverdue(r, today),
                        Text(r.text), Text(teacher), Text(responsible), std::string(EnumLabel(r.source_kind, language)),
                        OptionalDate(r.closed_on), Text(r.evidence), r.reopen_count});
    }
    tables.push_back(std::move(t));
  }

  // Assessment results.
  {
    ASSIGN_OR_RETURN(auto results, store.ListBy<core::AssessmentResult>("school_id", school.id));
    std::stable_sort(results.begin(), results.end(), [](const auto& a, const auto& b) {
      return std::tie(a.year, a.assessment, a.subject, a.grade) < std::tie(b.year, b.assessment, b.subject, b.grade);
    });
    Table t{"assessment_results",
            LocalText{"Результаты оценочных процедур", "Assessment results"}.In(language),
            {{kYear.In(language)},
             {LocalText{"Процедура", "Assessment"}.In(language)},
             {kSubject.In(language)},
             {LocalText{"Класс", "Grade"}.In(language)},
             {LocalText{"Участников", "Participants"}.In(language)},
             {LocalText{"Средний балл", "Mean score"}.In(language)},
             {LocalText{"Ниже минимального порога", "Below the minimum"}.In(language)},
             {LocalText{"Высокие результаты", "Top marks"}.In(language)}},
            {}};
    for (const auto& r : results) {
      t.rows.push_back({r.year, std::string(EnumLabel(r.assessment, language)), Text(r.subject), r.grade,
                        r.participants, r.mean_score, Percent{r.share_below_min}, Percent{r.share_top}});
    }
    tables.push_back(std::move(t));
  }

  // Context indicators.
  {
    ASSIGN_OR_RETURN(auto indicators, store.ListBy<core::ContextIndicator>("school_id", school.id));
    std::stable_sort(indicators.begin(), indicators.end(), [](const auto& a, const auto& b) {
      return std::tie(a.year, a.indicator) < std::tie(b.year, b.indicator);
    });
    Table t{"context_indicators",
            LocalText{"Показатели контекста", "Context indicators"}.In(language),
            {{kYear.In(language)},
             {LocalText{"Код показателя", "Indicator code"}.In(language)},
             {LocalText{"Показатель", "Indicator"}.In(language)},
             {LocalText{"Значение", "Value"}.In(language)}},
            {}};
    for (const auto& c : indicators) {
      std::string label = c.indicator;
      bool share = false;
      for (const auto& info : core::KnownContextIndicators()) {
        if (info.code == c.indicator) {
          label = std::string(language == Language::kRussian ? info.ru : info.en);
          share = info.is_share;
        }
      }
      t.rows.push_back({c.year, c.indicator, label, share ? Cell(Percent{c.value}) : Cell(c.value)});
    }
    tables.push_back(std::move(t));
  }
  return tables;
}

}  // namespace mentorlog::report
