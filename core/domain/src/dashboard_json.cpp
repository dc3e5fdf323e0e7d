// The dashboards as JSON (dashboard_json.h); the fields are listed in docs/http-api.md.
#include "mentorlog/domain/dashboard_json.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/json_text.h"

namespace mentorlog::core {
namespace {

// A small streaming writer: objects and arrays nest, commas are placed by it.
class JsonWriter {
 public:
  JsonWriter& Object() { return Open('{'); }
  JsonWriter& Array() { return Open('['); }
  JsonWriter& End() {
    out_ += closers_.back();
    closers_.pop_back();
    first_.pop_back();
    return *this;
  }
  JsonWriter& Key(std::string_view key) {
    Comma();
    AppendJsonString(out_, key);
    out_ += ':';
    after_key_ = true;
    return *this;
  }
  JsonWriter& String(std::string_view s) {
    Comma();
    AppendJsonString(out_, s);
    return *this;
  }
  JsonWriter& Int(int64_t v) {
    Comma();
    out_ += std::to_string(v);
    return *this;
  }
  JsonWriter& Number(double v) {
    Comma();
    if (!std::isfinite(v)) {
      out_ += "null";
      return *this;
    }
    char buf[32];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, ec == std::errc() ? end : buf);
    return *this;
  }
  JsonWriter& Bool(bool v) {
    Comma();
    out_ += v ? "true" : "false";
    return *this;
  }
  JsonWriter& Null() {
    Comma();
    out_ += "null";
    return *this;
  }
  JsonWriter& Date(const core::Date& d) { return String(d.ToString()); }
  JsonWriter& Id(const Uuid& id) { return String(id.ToString()); }
  template <class T, class F>
  JsonWriter& Maybe(const std::optional<T>& v, F&& write) {
    if (!v) return Null();
    write(*v);
    return *this;
  }
  JsonWriter& MaybeNumber(const std::optional<double>& v) {
    return Maybe(v, [&](double x) { Number(x); });
  }
  JsonWriter& MaybeInt(const std::optional<int>& v) {
    return Maybe(v, [&](int x) { Int(x); });
  }
  JsonWriter& MaybeDate(const std::optional<core::Date>& v) {
    return Maybe(v, [&](const core::Date& x) { Date(x); });
  }
  std::string Take() { return std::move(out_); }

 private:
  JsonWriter& Open(char c) {
    Comma();
    out_ += c;
    closers_.push_back(c == '{' ? '}' : ']');
    first_.push_back(true);
    return *this;
  }
  void Comma() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.empty()) return;
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
  std::string out_;
  std::vector<char> closers_;
  std::vector<bool> first_;
  bool after_key_ = false;
};

void WriteTerm(JsonWriter& w, Term t, Language language) {
  w.Object()
      .Key("school_year")
      .Int(t.school_year)
      .Key("term")
      .Int(t.term)
      .Key("label")
      .String(TermLabel(t, language))
      .End();
}

void WriteChanges(JsonWriter& w, const std::vector<RubricChange>& changes, Language language) {
  w.Array();
  for (const RubricChange& c : changes) {
    w.Object().Key("code").String(c.code).Key("first_term");
    WriteTerm(w, c.first_term, language);
    w.Key("first_mean").Number(c.first_mean).Key("latest_term");
    WriteTerm(w, c.latest_term, language);
    w.Key("latest_mean").Number(c.latest_mean).Key("scores").Int(c.scores).End();
  }
  w.End();
}

void WriteMeans(JsonWriter& w, const std::vector<std::pair<std::string, double>>& means) {
  w.Object();
  for (const auto& [code, mean] : means) w.Key(code).Number(mean);
  w.End();
}

void WriteIndexPoint(JsonWriter& w, const IndexPoint& p, Language language) {
  w.Object()
      .Key("year")
      .Int(p.year)
      .Key("value")
      .Number(p.value)
      .Key("quartile")
      .String(QuartileLabel(p.quartile, Language::kEnglish))
      .Key("quartile_label")
      .String(QuartileLabel(p.quartile, language))
      .End();
}

void WriteFacts(JsonWriter& w, const SchoolFacts& f) {
  w.Object()
      .Key("in_partnership")
      .Bool(f.in_partnership)
      .Key("in_network")
      .Bool(f.in_network)
      .Key("teachers")
      .Int(f.teachers)
      .Key("teachers_in_network_events")
      .Int(f.teachers_in_network_events)
      .Key("teachers_trained")
      .Int(f.teachers_trained)
      .Key("better_results")
      .Maybe(f.better_results, [&](bool b) { w.Bool(b); })
      .End();
}

// The programme indicators: the district's now, or a closed round's (no previous value).
void WriteIndicators(JsonWriter& w, const std::vector<IndicatorValue>& indicators, Language language) {
  w.Key("indicators").Array();
  for (const IndicatorValue& iv : indicators) {
    w.Object()
        .Key("code")
        .String(ProgrammeIndicatorCode(iv.indicator))
        .Key("label")
        .String(ProgrammeIndicatorLabel(iv.indicator, language))
        .Key("numerator")
        .Int(iv.numerator)
        .Key("denominator")
        .Int(iv.denominator)
        .Key("value")
        .MaybeNumber(iv.value)
        .Key("previous")
        .MaybeNumber(iv.previous)
        .Key("target");
    w.Maybe(iv.target,
            [&](const Target& t) { w.Object().Key("value").Number(t.value).Key("at_most").Bool(t.at_most).End(); });
    w.Key("met").Maybe(iv.met, [&](bool b) { w.Bool(b); }).End();
  }
  w.End();
}

void WriteRanked(JsonWriter& w, const RankedSchool& r, Language language) {
  w.Object().Key("school_id").Id(r.school_id).Key("name").String(r.name).Key("result_index");
  w.Maybe(r.result_index, [&](const IndexPoint& p) { WriteIndexPoint(w, p, language); });
  w.Key("days_since_contact").MaybeInt(r.days_since_contact).Key("overdue").Int(r.overdue).Key("risks").Int(r.risks);
  w.Key("why").Array();
  for (const LocalText& why : r.why) w.String(why.In(language));
  w.End().End();
}

void WriteSchool(JsonWriter& w, const SchoolProgress& p, Language language) {
  w.Object()
      .Key("school_id")
      .Id(p.school_id)
      .Key("name")
      .String(p.name)
      .Key("district")
      .String(p.district)
      .Key("supported")
      .Bool(p.supported)
      .Key("low_results")
      .Bool(p.low_results);
  w.Key("contacts_by_month").Array();
  for (const MonthContacts& m : p.contacts_by_month) {
    w.Object()
        .Key("year")
        .Int(m.year)
        .Key("month")
        .Int(m.month)
        .Key("visits")
        .Int(m.visits)
        .Key("observations")
        .Int(m.observations)
        .Key("consultations")
        .Int(m.consultations)
        .End();
  }
  w.End();
  w.Key("last_contact").MaybeDate(p.last_contact).Key("days_since_contact").MaybeInt(p.days_since_contact);
  w.Key("teachers").Int(p.teachers).Key("teachers_observed_this_year").Int(p.teachers_observed_this_year);
  w.Key("share_teachers_observed").MaybeNumber(p.share_teachers_observed);

  w.Key("rubric_by_term").Array();
  for (const TermMeans& t : p.rubric_by_term) {
    w.Object().Key("term");
    WriteTerm(w, t.term, language);
    w.Key("observations").Int(t.observations).Key("mean").Number(t.mean).Key("by_criterion");
    WriteMeans(w, t.by_criterion);
    w.Key("by_domain");
    WriteMeans(w, t.by_domain);
    w.End();
  }
  w.End();
  w.Key("criteria");
  WriteChanges(w, p.criteria, language);
  w.Key("domains");
  WriteChanges(w, p.domains, language);
  w.Key("teachers_progress").Array();
  for (const TeacherProgress& t : p.teacher_progress) {
    w.Object()
        .Key("teacher_id")
        .Id(t.teacher_id)
        .Key("name")
        .String(t.name)
        .Key("observations")
        .Int(t.observations)
        .Key("first_date")
        .Date(t.first_date)
        .Key("first_mean")
        .Number(t.first_mean)
        .Key("latest_date")
        .Date(t.latest_date)
        .Key("latest_mean")
        .Number(t.latest_mean)
        .Key("open_deficits")
        .Int(t.open_deficits)
        .Key("criteria");
    WriteChanges(w, t.criteria, language);
    w.End();
  }
  w.End();

  const RecommendationFigures& r = p.recommendations;
  w.Key("recommendations")
      .Object()
      .Key("open")
      .Int(r.open)
      .Key("overdue")
      .Int(r.overdue)
      .Key("done")
      .Int(r.done)
      .Key("dropped")
      .Int(r.dropped)
      .Key("completion_rate")
      .MaybeNumber(r.completion_rate)
      .Key("median_days_to_close")
      .MaybeNumber(r.median_days_to_close)
      .End();

  w.Key("results").Array();
  for (const ResultLine& l : p.results) {
    w.Object()
        .Key("year")
        .Int(l.year)
        .Key("assessment")
        .String(EnumCode(l.assessment))
        .Key("subject")
        .String(l.subject)
        .Key("participants")
        .Int(l.participants)
        .Key("mean_score")
        .Number(l.mean_score)
        .Key("share_below_min")
        .Number(l.share_below_min)
        .Key("share_top")
        .Number(l.share_top)
        .End();
  }
  w.End();
  w.Key("result_index").Array();
  for (const IndexPoint& ip : p.result_index) WriteIndexPoint(w, ip, language);
  w.End();
  w.Key("wellbeing").MaybeNumber(p.wellbeing);
  w.Key("risks").Array();
  for (const RiskFlag& f : p.risks) {
    w.Object()
        .Key("code")
        .String(f.code)
        .Key("title")
        .String(f.title.In(language))
        .Key("evidence")
        .String(f.evidence)
        .End();
  }
  w.End();

  const Milestones& m = p.milestones;
  w.Key("milestones")
      .Object()
      .Key("transition_programme")
      .String(EnumCode(m.transition_programme))
      .Key("transition_programme_adopted_on")
      .MaybeDate(m.transition_programme_adopted_on)
      .Key("network_agreement_number")
      .String(m.network_agreement_number)
      .Key("network_agreement_signed_on")
      .MaybeDate(m.network_agreement_signed_on)
      .Key("management_team_trained")
      .Bool(m.management_team_trained)
      .End();
  w.Key("now");
  WriteFacts(w, p.now);
  w.Key("previous");
  WriteFacts(w, p.previous);
  w.End();
}

}  // namespace

std::string SchoolProgressJson(const SchoolProgress& school, Language language) {
  JsonWriter w;
  WriteSchool(w, school, language);
  return w.Take();
}

std::string DistrictViewJson(const DistrictView& v, Language language) {
  JsonWriter w;
  w.Object()
      .Key("as_of")
      .Date(v.as_of)
      .Key("previous_as_of")
      .Date(v.previous_as_of)
      .Key("results_year")
      .Int(v.results_year)
      .Key("schools")
      .Int(v.schools)
      .Key("supported")
      .Int(v.supported);
  WriteIndicators(w, v.indicators, language);
  w.Key("rounds").Array();
  for (const RoundView& r : v.rounds) {
    w.Object()
        .Key("id")
        .Id(r.round_id)
        .Key("name")
        .String(r.name)
        .Key("kind")
        .String(EnumCode(r.kind))
        .Key("starts_on")
        .Date(r.starts_on)
        .Key("ends_on")
        .Date(r.ends_on)
        .Key("closed_on");
    w.Maybe(r.closed_on, [&](Date d) { w.Date(d); });
    w.Key("schools").Int(r.schools).Key("supported").Int(r.supported).Key("low_results").Int(r.low_results);
    WriteIndicators(w, r.indicators, language);
    w.End();
  }
  w.End();
  w.Key("ranking").Array();
  for (const RankedSchool& r : v.ranking) WriteRanked(w, r, language);
  w.End();
  w.Key("no_contact").Array();
  for (const RankedSchool& r : v.no_contact) WriteRanked(w, r, language);
  w.End();
  w.Key("workload").Array();
  for (const Workload& l : v.workload) {
    w.Object()
        .Key("person_id")
        .Id(l.person_id)
        .Key("name")
        .String(l.name)
        .Key("mentor")
        .Bool(l.mentor)
        .Key("tutor")
        .Bool(l.tutor)
        .Key("schools")
        .Int(l.schools)
        .Key("visits")
        .Int(l.visits)
        .Key("observations")
        .Int(l.observations)
        .Key("consultations")
        .Int(l.consultations)
        .Key("open_recommendations")
        .Int(l.open_recommendations)
        .End();
  }
  w.End().End();
  return w.Take();
}

}  // namespace mentorlog::core
