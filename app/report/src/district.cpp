#include "mentorlog/report/district.h"

#include <string>

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

std::string Joined(const std::vector<core::LocalText>& items, Language language) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : "; ") + s.In(language);
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

std::vector<Table> DistrictTables(const core::DistrictView& view, Language language) {
  // Texts used more than once.
  const LocalText kValue{"Значение", "Value"};
  const LocalText kSchool{"Школа", "School"};
  const LocalText kDaysSinceContact{"Дней без контакта", "Days since contact"};
  const LocalText kOverdue{"Просроченных рекомендаций", "Overdue recommendations"};
  const LocalText kRiskFlags{"Факторов риска", "Risk flags"};
  const LocalText kSchools{"Школ", "Schools"};
  std::vector<Table> tables;

  Table indicators{"indicators",
                   LocalText{"Показатели", "Indicators"}.In(language),
                   {{LocalText{"Показатель", "Indicator"}.In(language), 60},
                    {kValue.In(language)},
                    {LocalText{"Целевое значение", "Target"}.In(language)},
                    {LocalText{"Цель", "Target is"}.In(language)},
                    {LocalText{"Достигнуто", "Met"}.In(language)},
                    {LocalText{"Предыдущее полугодие", "Previous half-year"}.In(language)},
                    {LocalText{"Числитель", "Numerator"}.In(language)},
                    {LocalText{"Знаменатель", "Denominator"}.In(language)},
                    {LocalText{"Код", "Code"}.In(language)}},
                   {}};
  for (const auto& v : view.indicators) {
    Cell target, rule;
    if (v.target) {
      target = Percent{v.target->value};
      rule = v.target->at_most ? LocalText{"не более", "at most"}.In(language)
                               : LocalText{"не менее", "at least"}.In(language);
    }
    indicators.rows.push_back({std::string(core::ProgrammeIndicatorLabel(v.indicator, language)),
                               OptionalPercent(v.value), target, rule, v.met ? Cell(*v.met) : Cell(std::monostate{}),
                               OptionalPercent(v.previous), v.numerator, v.denominator,
                               std::string(core::ProgrammeIndicatorCode(v.indicator))});
  }
  tables.push_back(std::move(indicators));

  Table ranking{"ranking",
                LocalText{"Рейтинг", "Ranking"}.In(language),
                {{kSchool.In(language), 40},
                 {LocalText{"ИОР", "Results index (ИОР)"}.In(language)},
                 {LocalText{"Квартиль", "Quartile"}.In(language)},
                 {kDaysSinceContact.In(language)},
                 {kOverdue.In(language)},
                 {kRiskFlags.In(language)},
                 {LocalText{"Причины отставания", "Why"}.In(language), 60}},
                {}};
  for (const auto& s : view.ranking) {
    Cell index, quartile;
    if (s.result_index) {
      index = s.result_index->value;
      quartile = std::string(core::QuartileLabel(s.result_index->quartile, language));
    }
    ranking.rows.push_back({s.name, index, quartile, OptionalInt(s.days_since_contact), int64_t{s.overdue},
                            int64_t{s.risks}, Joined(s.why, language)});
  }
  tables.push_back(std::move(ranking));

  Table no_contact{"no_contact",
                   LocalText{"Нет контакта", "No contact"}.In(language),
                   {{kSchool.In(language), 40},
                    {kDaysSinceContact.In(language)},
                    {LocalText{"Последний контакт", "Last contact"}.In(language)},
                    {kOverdue.In(language)},
                    {kRiskFlags.In(language)}},
                   {}};
  for (const auto& s : view.no_contact) {
    Cell last = s.days_since_contact ? Cell(view.as_of.AddDays(-*s.days_since_contact))
                                     : Cell(LocalText{"не было", "never"}.In(language));
    no_contact.rows.push_back({s.name, OptionalInt(s.days_since_contact), last, int64_t{s.overdue}, int64_t{s.risks}});
  }
  tables.push_back(std::move(no_contact));

  // Closed monitoring rounds side by side: a row per figure, a column per round (docs/metrics.md).
  std::vector<const core::RoundView*> closed;
  for (const auto& r : view.rounds) {
    if (r.closed_on) closed.push_back(&r);
  }
  if (!closed.empty()) {
    Table rounds{"rounds",
                 LocalText{"Этапы мониторинга", "Monitoring rounds"}.In(language),
                 {{LocalText{"Показатель", "Figure"}.In(language), 50}},
                 {}};
    for (const core::RoundView* r : closed) {
      rounds.columns.push_back({r->name + " (" + r->ends_on.ToString() + ")", 24});
    }
    auto row = [&](std::string label, auto cell_of) {
      std::vector<Cell> cells = {std::move(label)};
      for (const core::RoundView* r : closed) cells.push_back(cell_of(*r));
      rounds.rows.push_back(std::move(cells));
    };
    row(kSchools.In(language), [](const core::RoundView& r) { return Cell(int64_t{r.schools}); });
    row(LocalText{"ШНОР", "Low-results schools"}.In(language),
        [](const core::RoundView& r) { return Cell(int64_t{r.low_results}); });
    row(LocalText{"ШНОР и ШНСУ", "Supported schools"}.In(language),
        [](const core::RoundView& r) { return Cell(int64_t{r.supported}); });
    for (size_t i = 0; i < std::size(core::kAllProgrammeIndicators); ++i) {
      row(std::string(core::ProgrammeIndicatorLabel(core::kAllProgrammeIndicators[i], language)),
          [&](const core::RoundView& r) {
            return i < r.indicators.size() ? OptionalPercent(r.indicators[i].value) : Cell(std::monostate{});
          });
    }
    tables.push_back(std::move(rounds));
  }

  Table workload{"workload",
                 LocalText{"Нагрузка", "Workload"}.In(language),
                 {{LocalText{"ФИО", "Name"}.In(language), 36},
                  {LocalText{"Роль", "Role"}.In(language)},
                  {kSchools.In(language)},
                  {LocalText{"Выездов", "Visits"}.In(language)},
                  {LocalText{"Посещений уроков", "Observations"}.In(language)},
                  {LocalText{"Консультаций", "Consultations"}.In(language)},
                  {LocalText{"Открытых рекомендаций", "Open recommendations"}.In(language)}},
                 {}};
  for (const auto& w : view.workload) {
    std::string role;
    if (w.mentor) role = LocalText{"наставник", "mentor"}.In(language);
    if (w.tutor) role += (role.empty() ? "" : ", ") + LocalText{"тьютор", "tutor"}.In(language);
    workload.rows.push_back({w.name, role, int64_t{w.schools}, int64_t{w.visits}, int64_t{w.observations},
                             int64_t{w.consultations}, int64_t{w.open_recommendations}});
  }
  tables.push_back(std::move(workload));

  Table summary{"summary",
                LocalText{"Об отчёте", "About"}.In(language),
                {{LocalText{"Показатель", "Figure"}.In(language), 40}, {kValue.In(language), 16}},
                {}};
  summary.rows.push_back({LocalText{"По состоянию на", "As of"}.In(language), view.as_of});
  summary.rows.push_back(
      {LocalText{"Конец предыдущего полугодия", "Previous half-year ended"}.In(language), view.previous_as_of});
  summary.rows.push_back({LocalText{"Год результатов", "Results year"}.In(language), view.results_year});
  summary.rows.push_back({kSchools.In(language), int64_t{view.schools}});
  summary.rows.push_back(
      {LocalText{"Школ, получающих поддержку", "Supported schools"}.In(language), int64_t{view.supported}});
  tables.push_back(std::move(summary));
  return tables;
}

}  // namespace mentorlog::report
