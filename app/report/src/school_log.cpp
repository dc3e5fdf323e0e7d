#include "mentorlog/report/school_log.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "lookup.h"
#include "mentorlog/domain/rules.h"
#include "say.h"

namespace mentorlog::report {

namespace {

using core::Date;
using core::EnumLabel;

template <class E>
std::string Labels(const std::vector<E>& values, std::string_view lang) {
  std::string out;
  for (const auto& v : values) out += (out.empty() ? "" : ", ") + std::string(EnumLabel(v, lang));
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

Table SchoolTable(const core::School& school, const std::string& partner_name, std::string_view lang) {
  Table t{"school",
          Say(lang, "School", "Школа"),
          {{Say(lang, "Field", "Поле"), 34}, {Say(lang, "Value", "Значение"), 60}},
          {}};
  auto add = [&](std::string_view en, std::string_view ru, Cell value) {
    t.rows.push_back({Say(lang, en, ru), std::move(value)});
  };
  add("Name", "Наименование", school.name);
  add("Short name", "Краткое наименование", Text(school.short_name));
  add("Code", "Код", Text(school.code));
  add("District", "Район", Text(school.district));
  add("Municipality", "Муниципалитет", Text(school.municipality));
  add("Settlement", "Тип поселения", std::string(EnumLabel(school.settlement, lang)));
  add("Distance to the district centre, km", "Расстояние до районного центра, км", school.distance_km);
  add("Pupils", "Обучающихся", school.pupils);
  add("Teachers", "Педагогов", school.teachers);
  add("Status", "Статус", Text(Labels(school.statuses, lang)));
  add("Status year", "Год статуса", school.status_year);
  add("Leader school partner", "Школа-лидер (партнёр)", Text(partner_name));
  add("Transition programme", "Программа перехода", std::string(EnumLabel(school.transition_programme, lang)));
  add("Transition programme adopted on", "Программа перехода принята",
      OptionalDate(school.transition_programme_adopted_on));
  add("Management team trained", "Управленческая команда обучена", school.management_team_trained);
  add("Id", "Идентификатор", school.id.ToString());
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
                                           std::string_view lang) {
  PersonNames names(store);
  RubricBook rubrics(store);
  std::vector<Table> tables;

  // The school, with its leader partner by name.
  std::string partner_name;
  if (school.leader_partner_id) {
    auto partner = store.Get<core::School>(*school.leader_partner_id);
    partner_name = partner.ok() ? partner->name : school.leader_partner_id->ToString();
  }
  tables.push_back(SchoolTable(school, partner_name, lang));

  // Visits.
  {
    ASSIGN_OR_RETURN(auto visits, store.ListBy<core::Visit>("school_id", school.id));
    SortBy(visits, [](const core::Visit& v) { return v.date; });
    Table t{"visits",
            Say(lang, "Visits", "Выезды"),
            {{Say(lang, "Date", "Дата")},
             {Say(lang, "Purposes", "Цели")},
             {Say(lang, "Visitors", "Кто выезжал")},
             {Say(lang, "Met with", "С кем встречались")},
             {Say(lang, "Summary", "Итоги")},
             {Say(lang, "Strengths", "Сильные стороны")},
             {Say(lang, "Problems", "Проблемы")}},
            {}};
    for (const auto& v : visits) {
      ASSIGN_OR_RETURN(std::string visitors, names.Join(v.visitor_ids));
      t.rows.push_back({v.date, Text(Labels(v.purposes, lang)), Text(visitors), Text(v.met_with), Text(v.summary),
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
          if (criterion_column.emplace(c.code, criteria.size()).second) criteria.emplace_back(c.code, c.title.In(lang));
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
            Say(lang, "Observations", "Посещения уроков"),
            {{Say(lang, "Date", "Дата")},
             {Say(lang, "Kind", "Вид")},
             {Say(lang, "Teacher", "Учитель")},
             {Say(lang, "Observer", "Наблюдатель")},
             {Say(lang, "Subject", "Предмет")},
             {Say(lang, "Grade", "Класс (параллель)")},
             {Say(lang, "Class", "Класс")},
             {Say(lang, "Topic", "Тема")},
             {Say(lang, "Rubric", "Карта наблюдения")},
             {Say(lang, "Discussion held", "Разговор после урока")},
             {Say(lang, "Mean level", "Средний уровень")}},
            {}};
    for (const auto& [code, title] : criteria) t.columns.push_back({title + " [" + code + "]", 14});
    t.columns.push_back({Say(lang, "Strengths", "Сильные стороны")});
    t.columns.push_back({Say(lang, "Growth areas", "Зоны роста")});
    t.columns.push_back({Say(lang, "Agreed next steps", "Договорённости о следующих шагах")});

    Table s{"scores",
            Say(lang, "Scores", "Оценки по критериям"),
            {{Say(lang, "Date", "Дата")},
             {Say(lang, "Teacher", "Учитель")},
             {Say(lang, "Subject", "Предмет")},
             {Say(lang, "Criterion code", "Код критерия")},
             {Say(lang, "Criterion", "Критерий")},
             {Say(lang, "Level", "Уровень")},
             {Say(lang, "Level label", "Описание уровня")},
             {Say(lang, "Evidence", "Свидетельства")}},
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
                          Text(criterion ? criterion->title.In(lang) : ""),
                          score.level ? Cell(*score.level) : Cell(std::monostate{}),
                          LevelText(rubric ? &*rubric : nullptr, score.level, lang), Text(score.evidence)});
      }
      std::vector<Cell> row = {o.date,
                               std::string(EnumLabel(o.kind, lang)),
                               Text(teacher),
                               Text(observer),
                               Text(o.subject),
                               o.grade,
                               Text(o.class_label),
                               Text(o.topic),
                               rubric ? Cell(rubric->title.In(lang) + " v" + std::to_string(o.rubric_version))
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
            Say(lang, "Consultations", "Консультации"),
            {{Say(lang, "Date", "Дата")},
             {Say(lang, "Consultant", "Консультант")},
             {Say(lang, "With", "С кем")},
             {Say(lang, "Teacher", "Учитель")},
             {Say(lang, "Format", "Формат")},
             {Say(lang, "Minutes", "Минут")},
             {Say(lang, "Topics", "Темы")},
             {Say(lang, "Questions", "Вопросы")},
             {Say(lang, "Advice", "Рекомендации")},
             {Say(lang, "Follow-ups", "Дальнейшие шаги")}},
            {}};
    for (const auto& c : consultations) {
      ASSIGN_OR_RETURN(std::string consultant, names.Of(c.consultant_id));
      ASSIGN_OR_RETURN(std::string teacher, names.Of(c.teacher_id));
      t.rows.push_back({c.date, Text(consultant), std::string(EnumLabel(c.audience, lang)), Text(teacher),
                        std::string(EnumLabel(c.format, lang)), c.minutes, Text(Labels(c.topics, lang)),
                        Text(c.questions), Text(c.advice), Text(c.follow_ups)});
    }
    tables.push_back(std::move(t));
  }

  // Recommendations.
  {
    ASSIGN_OR_RETURN(auto recommendations, store.ListBy<core::Recommendation>("school_id", school.id));
    SortBy(recommendations, [](const core::Recommendation& r) { return r.created_on; });
    Table t{"recommendations",
            Say(lang, "Recommendations", "Рекомендации"),
            {{Say(lang, "Given on", "Дата выдачи")},
             {Say(lang, "Due on", "Срок")},
             {Say(lang, "Status", "Статус")},
             {Say(lang, "Overdue", "Просрочена")},
             {Say(lang, "Recommendation", "Рекомендация")},
             {Say(lang, "Teacher", "Учитель")},
             {Say(lang, "Responsible", "Ответственный")},
             {Say(lang, "Given at", "Источник")},
             {Say(lang, "Closed on", "Закрыта")},
             {Say(lang, "Evidence", "Подтверждение")},
             {Say(lang, "Times reopened", "Открывалась повторно")}},
            {}};
    for (const auto& r : recommendations) {
      ASSIGN_OR_RETURN(std::string teacher, names.Of(r.teacher_id));
      ASSIGN_OR_RETURN(std::string responsible, names.Of(r.responsible_id));
      if (responsible.empty()) responsible = r.responsible_name;
      t.rows.push_back({r.created_on, r.due_on, std::string(EnumLabel(r.status, lang)), core::IsOverdue(r, today),
                        Text(r.text), Text(teacher), Text(responsible), std::string(EnumLabel(r.source_kind, lang)),
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
            Say(lang, "Assessment results", "Результаты оценочных процедур"),
            {{Say(lang, "Year", "Год")},
             {Say(lang, "Assessment", "Процедура")},
             {Say(lang, "Subject", "Предмет")},
             {Say(lang, "Grade", "Класс")},
             {Say(lang, "Participants", "Участников")},
             {Say(lang, "Mean score", "Средний балл")},
             {Say(lang, "Below the minimum", "Ниже минимального порога")},
             {Say(lang, "Top marks", "Высокие результаты")}},
            {}};
    for (const auto& r : results) {
      t.rows.push_back({r.year, std::string(EnumLabel(r.assessment, lang)), Text(r.subject), r.grade, r.participants,
                        r.mean_score, Percent{r.share_below_min}, Percent{r.share_top}});
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
            Say(lang, "Context indicators", "Показатели контекста"),
            {{Say(lang, "Year", "Год")},
             {Say(lang, "Indicator code", "Код показателя")},
             {Say(lang, "Indicator", "Показатель")},
             {Say(lang, "Value", "Значение")}},
            {}};
    for (const auto& c : indicators) {
      std::string label = c.indicator;
      bool share = false;
      for (const auto& info : core::KnownContextIndicators()) {
        if (info.code == c.indicator) {
          label = std::string(lang == "ru" ? info.ru : info.en);
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
