#include "mentorlog/report/district.h"

#include <string>

#include "say.h"

namespace mentorlog::report {

namespace {

Cell OptionalPercent(const std::optional<double>& share) {
  if (!share) return std::monostate{};
  return Percent{*share};
}

Cell OptionalInt(const std::optional<int>& n) {
  if (!n) return std::monostate{};
  return int64_t{*n};
}

std::string Joined(const std::vector<core::LocalText>& items, std::string_view lang) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : "; ") + s.In(lang);
  return out;
}

}  // namespace

Result<std::unique_ptr<core::Dashboard>> BuildDashboard(const core::Records& store,
                                                        const std::filesystem::path& assets_dir, core::Date as_of) {
  ASSIGN_OR_RETURN(core::DashboardConfig config, core::LoadDashboardConfig(assets_dir));
  auto dashboard = std::make_unique<core::Dashboard>(std::move(config));
  RETURN_IF_ERROR(store.ForEachLiveState([&](const core::RecordState& s) -> Status {
    Status applied = dashboard->Apply(s);
    // A record that cannot be read is skipped (Apply's contract); the rest still count.
    if (!applied.ok() && applied.code() != StatusCode::kCorruption) return applied;
    return Status::Ok();
  }));
  dashboard->Refresh(as_of);
  return dashboard;
}

std::vector<Table> DistrictTables(const core::DistrictView& view, std::string_view lang) {
  std::vector<Table> tables;

  Table indicators{"indicators",
                   Say(lang, "Indicators", "Показатели"),
                   {{Say(lang, "Indicator", "Показатель"), 60},
                    {Say(lang, "Value", "Значение")},
                    {Say(lang, "Target", "Целевое значение")},
                    {Say(lang, "Target is", "Цель")},
                    {Say(lang, "Met", "Достигнуто")},
                    {Say(lang, "Previous half-year", "Предыдущее полугодие")},
                    {Say(lang, "Numerator", "Числитель")},
                    {Say(lang, "Denominator", "Знаменатель")},
                    {Say(lang, "Code", "Код")}},
                   {}};
  for (const auto& v : view.indicators) {
    Cell target, rule;
    if (v.target) {
      target = Percent{v.target->value};
      rule = v.target->at_most ? Say(lang, "at most", "не более") : Say(lang, "at least", "не менее");
    }
    indicators.rows.push_back({std::string(core::ProgrammeIndicatorLabel(v.indicator, lang)), OptionalPercent(v.value),
                               target, rule, v.met ? Cell(*v.met) : Cell(std::monostate{}), OptionalPercent(v.previous),
                               v.numerator, v.denominator, std::string(core::ProgrammeIndicatorCode(v.indicator))});
  }
  tables.push_back(std::move(indicators));

  Table ranking{"ranking",
                Say(lang, "Ranking", "Рейтинг"),
                {{Say(lang, "School", "Школа"), 40},
                 {Say(lang, "Results index (ИОР)", "ИОР")},
                 {Say(lang, "Quartile", "Квартиль")},
                 {Say(lang, "Days since contact", "Дней без контакта")},
                 {Say(lang, "Overdue recommendations", "Просроченных рекомендаций")},
                 {Say(lang, "Risk flags", "Факторов риска")},
                 {Say(lang, "Why", "Причины отставания"), 60}},
                {}};
  for (const auto& s : view.ranking) {
    Cell index, quartile;
    if (s.result_index) {
      index = s.result_index->value;
      quartile = std::string(core::QuartileLabel(s.result_index->quartile, lang));
    }
    ranking.rows.push_back({s.name, index, quartile, OptionalInt(s.days_since_contact), int64_t{s.overdue},
                            int64_t{s.risks}, Joined(s.why, lang)});
  }
  tables.push_back(std::move(ranking));

  Table no_contact{"no_contact",
                   Say(lang, "No contact", "Нет контакта"),
                   {{Say(lang, "School", "Школа"), 40},
                    {Say(lang, "Days since contact", "Дней без контакта")},
                    {Say(lang, "Last contact", "Последний контакт")},
                    {Say(lang, "Overdue recommendations", "Просроченных рекомендаций")},
                    {Say(lang, "Risk flags", "Факторов риска")}},
                   {}};
  for (const auto& s : view.no_contact) {
    Cell last =
        s.days_since_contact ? Cell(view.as_of.AddDays(-*s.days_since_contact)) : Cell(Say(lang, "never", "не было"));
    no_contact.rows.push_back({s.name, OptionalInt(s.days_since_contact), last, int64_t{s.overdue}, int64_t{s.risks}});
  }
  tables.push_back(std::move(no_contact));

  Table workload{"workload",
                 Say(lang, "Workload", "Нагрузка"),
                 {{Say(lang, "Name", "ФИО"), 36},
                  {Say(lang, "Role", "Роль")},
                  {Say(lang, "Schools", "Школ")},
                  {Say(lang, "Visits", "Выездов")},
                  {Say(lang, "Observations", "Посещений уроков")},
                  {Say(lang, "Consultations", "Консультаций")},
                  {Say(lang, "Open recommendations", "Открытых рекомендаций")}},
                 {}};
  for (const auto& w : view.workload) {
    std::string role;
    if (w.mentor) role = Say(lang, "mentor", "наставник");
    if (w.tutor) role += (role.empty() ? "" : ", ") + Say(lang, "tutor", "тьютор");
    workload.rows.push_back({w.name, role, int64_t{w.schools}, int64_t{w.visits}, int64_t{w.observations},
                             int64_t{w.consultations}, int64_t{w.open_recommendations}});
  }
  tables.push_back(std::move(workload));

  Table summary{"summary",
                Say(lang, "About", "Об отчёте"),
                {{Say(lang, "Figure", "Показатель"), 40}, {Say(lang, "Value", "Значение"), 16}},
                {}};
  summary.rows.push_back({Say(lang, "As of", "По состоянию на"), view.as_of});
  summary.rows.push_back({Say(lang, "Previous half-year ended", "Конец предыдущего полугодия"), view.previous_as_of});
  summary.rows.push_back({Say(lang, "Results year", "Год результатов"), view.results_year});
  summary.rows.push_back({Say(lang, "Schools", "Школ"), int64_t{view.schools}});
  summary.rows.push_back({Say(lang, "Supported schools", "Школ, получающих поддержку"), int64_t{view.supported}});
  tables.push_back(std::move(summary));
  return tables;
}

}  // namespace mentorlog::report
