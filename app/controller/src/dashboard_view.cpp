// The dashboards' view-model from core::Dashboard (dashboard_view.h).
#include "mentorlog/app/dashboard_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/rubric.h"

namespace mentorlog::app {
namespace {

// A number with `decimals` digits, with the decimal comma in Russian.
std::string Number(double value, int decimals, const BuildContext& ctx) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
  std::string out = buf;
  if (ctx.language == Language::kRussian) {
    for (char& c : out) {
      if (c == '.') c = ',';
    }
  }
  return out;
}

// A share as a percentage: whole when it is, else one decimal ("7.1", "50").
std::string Percent(double share, const BuildContext& ctx) {
  const double pct = share * 100;
  const double rounded = std::round(pct * 10) / 10;
  return Number(rounded, std::fabs(rounded - std::round(rounded)) < 0.05 ? 0 : 1, ctx);
}

std::string PercentText(double share, const BuildContext& ctx) {
  return ctx.tr->Format("view.dash.percent", {Percent(share, ctx)});
}

std::string DaysAgo(int days, const BuildContext& ctx) {
  if (days <= 0) return (*ctx.tr)("view.dash.today");
  return ctx.tr->Count("view.dash.days_ago", days);
}

std::string Contact(const std::optional<int>& days, const BuildContext& ctx) {
  return days ? DaysAgo(*days, ctx) : std::string((*ctx.tr)("view.dash.never"));
}

std::string IndexText(const std::optional<core::IndexPoint>& point, const BuildContext& ctx) {
  if (!point) return "—";
  return ctx.tr->Format("view.dash.index",
                        {Number(point->value, 2, ctx), std::string(core::QuartileLabel(point->quartile, ctx.language)),
                         std::to_string(point->year)});
}

ui::RankedSchoolRow Ranked(const core::RankedSchool& r, const BuildContext& ctx) {
  ui::RankedSchoolRow row;
  row.school_id = r.school_id.ToString();
  row.name = r.name;
  row.index = IndexText(r.result_index, ctx);
  row.contact = Contact(r.days_since_contact, ctx);
  row.days_since_contact = r.days_since_contact.value_or(-1);
  row.without_contact = core::WithoutContact(r.days_since_contact, ctx.no_contact_days);
  row.overdue = r.overdue;
  row.risks = r.risks;
  for (const core::LocalText& why : r.why) row.why.push_back(why.In(ctx.language));
  return row;
}

std::string Title(const std::map<std::string, std::string>& titles, const std::string& code) {
  auto it = titles.find(code);
  return it == titles.end() ? code : it->second;
}

ui::CriterionChangeRow Change(const core::RubricChange& c, const std::map<std::string, std::string>& titles,
                              const BuildContext& ctx) {
  ui::CriterionChangeRow row;
  row.code = c.code;
  row.title = Title(titles, c.code);
  row.first = Number(c.first_mean, 2, ctx) + " (" + core::TermLabel(c.first_term, ctx.language) + ")";
  row.latest = Number(c.latest_mean, 2, ctx) + " (" + core::TermLabel(c.latest_term, ctx.language) + ")";
  row.first_mean = static_cast<float>(c.first_mean);
  row.latest_mean = static_cast<float>(c.latest_mean);
  return row;
}

ui::IndicatorRow Indicator(const core::IndicatorValue& v, const core::DistrictView& d, const BuildContext& ctx) {
  ui::IndicatorRow row;
  row.code = std::string(core::ProgrammeIndicatorCode(v.indicator));
  row.label = std::string(core::ProgrammeIndicatorLabel(v.indicator, ctx.language));
  if (v.value) {
    row.value = ctx.tr->Format("view.dash.share",
                               {Percent(*v.value, ctx), std::to_string(v.numerator), std::to_string(v.denominator)});
    row.share = static_cast<float>(*v.value);
  } else {
    row.value = "—";
  }
  if (v.target) {
    row.target =
        ctx.tr->Format(v.target->at_most ? "view.dash.at_most" : "view.dash.at_least", {Percent(v.target->value, ctx)});
    row.target_share = static_cast<float>(v.target->value);
  }
  if (v.value && v.previous) {
    const double pp = std::round((*v.value - *v.previous) * 1000) / 10;
    std::string diff = Number(std::fabs(pp), std::fabs(pp - std::round(pp)) < 0.05 ? 0 : 1, ctx);
    diff = (pp > 0 ? "+" : pp < 0 ? "−" : "±") + diff;
    row.change = ctx.tr->Format("view.dash.change", {diff, ShowDate(d.previous_as_of)});
  }
  if (v.met) row.mark = *v.met ? ui::Mark::kMet : ui::Mark::kNotMet;
  return row;
}

ui::SchoolDashboardView School(const core::SchoolProgress& p, const std::map<std::string, std::string>& titles,
                               const BuildContext& ctx) {
  const ui::Translations& tr = *ctx.tr;
  ui::SchoolDashboardView v;
  v.school_id = p.school_id.ToString();
  v.name = p.name;
  v.last_contact = p.last_contact ? Contact(p.days_since_contact, ctx) + " (" + ShowDate(*p.last_contact) + ")"
                                  : std::string(tr("view.dash.never"));
  v.teachers_observed =
      p.share_teachers_observed
          ? tr.Format("view.dash.observed", {std::to_string(p.teachers_observed_this_year), std::to_string(p.teachers),
                                             Percent(*p.share_teachers_observed, ctx)})
          : std::string("—");
  for (const core::MonthContacts& m : p.contacts_by_month) {
    v.contacts.push_back(static_cast<float>(m.total()));
    char year[8];
    std::snprintf(year, sizeof year, "%02d", m.year % 100);
    v.contact_months.push_back(std::string(tr("view.dash.month." + std::to_string(m.month))) + " " + year);
    v.contact_details.push_back(
        tr.Format("view.dash.month_detail",
                  {std::to_string(m.visits), std::to_string(m.observations), std::to_string(m.consultations)}));
  }
  for (const core::TermMeans& t : p.rubric_by_term) {
    v.rubric_means.push_back(static_cast<float>(t.mean));
    v.rubric_terms.push_back(core::TermLabel(t.term, ctx.language));
  }
  for (const core::RubricChange& c : p.criteria) v.criteria.push_back(Change(c, titles, ctx));

  const core::RecommendationFigures& r = p.recommendations;
  v.recommendations = {
      {tr("view.dash.rec.open"), std::to_string(r.open)},
      {tr("view.dash.rec.overdue"), std::to_string(r.overdue)},
      {tr("view.dash.rec.done"), std::to_string(r.done)},
      {tr("view.dash.rec.dropped"), std::to_string(r.dropped)},
      {tr("view.dash.rec.completion"), r.completion_rate ? PercentText(*r.completion_rate, ctx) : "—"},
      {tr("view.dash.rec.median_days"),
       r.median_days_to_close ? tr.Format("view.dash.days", {Number(*r.median_days_to_close, 0, ctx)}) : "—"},
  };
  for (const core::ResultLine& l : p.results) {
    v.results.push_back({std::to_string(l.year), std::string(core::EnumLabel(l.assessment, ctx.language)), l.subject,
                         std::to_string(l.participants), Number(l.mean_score, 1, ctx),
                         PercentText(l.share_below_min, ctx), PercentText(l.share_top, ctx)});
  }
  for (const core::IndexPoint& i : p.result_index) {
    v.result_index.push_back(static_cast<float>(i.value));
    v.result_index_years.push_back(std::to_string(i.year) + " · " +
                                   std::string(core::QuartileLabel(i.quartile, ctx.language)));
  }
  v.result_index_latest = p.result_index.empty() ? std::string("—") : IndexText(p.result_index.back(), ctx);
  v.wellbeing = p.wellbeing ? Number(*p.wellbeing, 2, ctx) : std::string("—");
  for (const core::RiskFlag& f : p.risks) v.risks.push_back({f.title.In(ctx.language), f.evidence});

  const core::Milestones& m = p.milestones;
  std::string programme(core::EnumLabel(m.transition_programme, ctx.language));
  if (m.transition_programme_adopted_on) {
    programme += " (" + tr.Format("view.dash.adopted_on", {ShowDate(*m.transition_programme_adopted_on)}) + ")";
  }
  v.milestones = {
      {tr("view.dash.ms.transition"), programme},
      {tr("view.dash.ms.agreement"),
       m.network_agreement_id
           ? tr.Format("view.dash.agreement",
                       {m.network_agreement_number,
                        m.network_agreement_signed_on ? ShowDate(*m.network_agreement_signed_on) : std::string("—")})
           : std::string(tr("view.dash.no"))},
      {tr("view.dash.ms.team_trained"), tr(m.management_team_trained ? "view.dash.yes" : "view.dash.no")},
  };

  for (const core::SchoolRound& round : p.rounds) {
    v.rounds.push_back({round.name + " (" + ShowDate(round.ends_on) + ")",
                        tr.Format("view.dash.round", {StatusText(round.statuses, ctx),
                                                      round.result_index ? Number(*round.result_index, 2, ctx) : "—",
                                                      std::to_string(round.risks.size())})});
  }

  for (const core::TeacherProgress& t : p.teacher_progress) {
    ui::TeacherProgressRow row;
    row.teacher_id = t.teacher_id.ToString();
    row.name = t.name.empty() ? row.teacher_id : t.name;
    row.observations = t.observations;
    const bool scored = !t.criteria.empty();
    row.first = scored ? Number(t.first_mean, 2, ctx) + " (" + ShowDate(t.first_date) + ")" : std::string("—");
    row.latest = scored ? Number(t.latest_mean, 2, ctx) + " (" + ShowDate(t.latest_date) + ")" : std::string("—");
    row.first_mean = static_cast<float>(t.first_mean);
    row.latest_mean = static_cast<float>(t.latest_mean);
    row.open_deficits = t.open_deficits;
    for (const core::RubricChange& c : t.criteria) row.criteria.push_back(Change(c, titles, ctx));
    v.teachers.push_back(std::move(row));
  }
  return v;
}

}  // namespace

RubricWords LoadRubricWords(const core::Records& store, Language language) {
  RubricWords words;
  auto templates = store.List<core::RubricTemplate>();
  if (!templates.ok()) return words;
  bool any = false;
  std::map<std::string, int64_t> version_of;  // criterion code -> the rubric version its title came from
  for (const core::RubricTemplate& t : *templates) {
    auto rubric = core::ParseRubric(t.body_json, t.code);
    if (!rubric.ok()) continue;
    words.max_level = any ? std::max(words.max_level, rubric->max_level) : rubric->max_level;
    any = true;
    for (const core::RubricCriterion& c : rubric->criteria) {
      auto seen = version_of.find(c.code);
      if (seen != version_of.end() && seen->second > t.version) continue;  // the newest version's words win
      version_of[c.code] = t.version;
      words.titles[c.code] = c.title.In(language);
    }
  }
  return words;
}

ui::DashboardView BuildDashboardView(const core::Dashboard& dashboard, const core::DashboardConfig& config,
                                     const RubricWords& rubrics, const BuildContext& context) {
  BuildContext ctx = context;
  ctx.no_contact_days = config.no_contact_days;
  ui::DashboardView view;
  const core::DistrictView& d = dashboard.district();
  ui::DistrictDashboardView& out = view.district;
  out.as_of = ShowDate(d.as_of);
  out.previous_as_of = ShowDate(d.previous_as_of);
  out.schools = d.schools;
  out.supported = d.supported;
  out.no_contact_days = config.no_contact_days;
  for (const core::IndicatorValue& v : d.indicators) out.indicators.push_back(Indicator(v, d, ctx));
  for (const core::RankedSchool& r : d.ranking) out.ranking.push_back(Ranked(r, ctx));
  for (const core::RankedSchool& r : d.no_contact) out.no_contact.push_back(Ranked(r, ctx));
  for (const core::Workload& w : d.workload) {
    ui::WorkloadRow row;
    row.person_id = w.person_id.ToString();
    row.name = w.name;
    row.role = w.mentor && w.tutor ? (*ctx.tr)("view.dash.role.both")
               : w.mentor          ? (*ctx.tr)("view.dash.role.mentor")
                                   : (*ctx.tr)("view.dash.role.tutor");
    row.schools = w.schools;
    row.visits = w.visits;
    row.observations = w.observations;
    row.consultations = w.consultations;
    row.open_recommendations = w.open_recommendations;
    out.workload.push_back(std::move(row));
  }
  // Closed rounds side by side: the same rows for each.
  out.round_rows = {(*ctx.tr)("district.round_schools"), (*ctx.tr)("district.round_low_results"),
                    (*ctx.tr)("district.round_supported")};
  for (core::ProgrammeIndicator which : core::kAllProgrammeIndicators) {
    out.round_rows.emplace_back(core::ProgrammeIndicatorLabel(which, ctx.language));
  }
  for (const core::RoundView& r : d.rounds) {
    if (!r.closed_on) continue;
    ui::RoundColumn column;
    column.name = r.name;
    column.period = ShowDate(r.starts_on) + " – " + ShowDate(r.ends_on);
    column.values = {std::to_string(r.schools), std::to_string(r.low_results), std::to_string(r.supported)};
    for (const core::IndicatorValue& v : r.indicators) {
      column.values.push_back(
          v.value ? ctx.tr->Format("view.dash.share",
                                   {Percent(*v.value, ctx), std::to_string(v.numerator), std::to_string(v.denominator)})
                  : "—");
    }
    out.rounds.push_back(std::move(column));
    const core::IndicatorValue& low = r.indicators.at(static_cast<size_t>(core::ProgrammeIndicator::kLowResultsShare));
    out.low_results_share.push_back(static_cast<float>(low.value.value_or(0) * 100));
    out.low_results_labels.push_back(r.name);
  }
  if (!out.rounds.empty()) {
    const core::IndicatorValue& low = d.indicators.at(static_cast<size_t>(core::ProgrammeIndicator::kLowResultsShare));
    out.low_results_share.push_back(static_cast<float>(low.value.value_or(0) * 100));
    out.low_results_labels.push_back(ctx.tr->Format("district.round_now", {ShowDate(d.as_of)}));
  }
  for (const core::SchoolProgress* p : dashboard.schools()) {
    view.schools.push_back(School(*p, rubrics.titles, ctx));
    view.schools.back().rubric_max = static_cast<float>(rubrics.max_level);
  }
  return view;
}

}  // namespace mentorlog::app
