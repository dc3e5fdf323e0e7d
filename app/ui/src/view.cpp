#include "mentorlog/ui/view.h"

namespace mentorlog::ui {

const SchoolDashboardView* DashboardView::FindSchool(std::string_view school_id) const {
  for (const SchoolDashboardView& s : schools) {
    if (s.school_id == school_id) return &s;
  }
  return nullptr;
}

const TeacherProgressRow* DashboardView::FindTeacher(std::string_view teacher_id) const {
  for (const SchoolDashboardView& s : schools) {
    for (const TeacherProgressRow& t : s.teachers) {
      if (t.teacher_id == teacher_id) return &t;
    }
  }
  return nullptr;
}

std::vector<std::string> TextsOf(const AppView& v) {
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (!s.empty()) out.push_back(s);
  };
  auto rec = [&](const RecommendationRow& r) {
    for (const std::string* s : {&r.school, &r.teacher, &r.text, &r.owner, &r.due, &r.status, &r.warning}) add(*s);
  };
  auto entry = [&](const TimelineEntry& e) {
    for (const std::string* s : {&e.date, &e.title, &e.detail, &e.warning}) add(*s);
  };
  add(v.today->user_name);
  for (const SchoolCard& s : v.today->schools) {
    add(s.name);
    add(s.municipality);
    for (const std::string& x : s.statuses) add(x);
    for (const std::string& x : s.next_roadmap) add(x);
  }
  for (const DraftCard& d : v.today->drafts) {
    add(d.title);
    add(d.updated);
  }
  for (const std::string* s : {&v.school->name, &v.school->municipality, &v.school->leader_partner,
                               &v.school->network_agreement, &v.school->transition_programme}) {
    add(*s);
  }
  for (const std::string& s : v.school->statuses) add(s);
  for (const TimelineEntry& e : v.school->timeline) entry(e);
  for (const RecommendationRow& r : v.school->open_recommendations) rec(r);
  for (const PersonRow& p : v.school->teachers) {
    add(p.name);
    add(p.detail);
  }
  add(v.teacher->name);
  for (const TimelineEntry& e : v.teacher->observations) entry(e);
  auto record_rows = [&](const std::vector<RecordRow>& list) {
    for (const RecordRow& r : list) {
      for (const std::string* x : {&r.date, &r.title, &r.detail, &r.status}) add(*x);
    }
  };
  for (const std::string* s : {&v.plan->person_name, &v.plan->half}) add(*s);
  for (const Choice& c : v.plan->people) add(c.label);
  for (const PlanSchoolRow& r : v.plan->schools) {
    add(r.name);
    add(r.recorded);
    record_rows(r.items);
  }
  record_rows(v.programme->roadmap);
  record_rows(v.programme->events);
  for (const auto* list : {&v.today->due, &v.school->agreements, &v.school->roadmap, &v.school->events,
                           &v.school->assignments, &v.teacher->deficits, &v.teacher->route, &v.teacher->trainings}) {
    record_rows(*list);
  }
  for (const auto& [key, choices] : v.record_options->vocabularies) {
    for (const Choice& c : choices) add(c.label);
  }
  for (const Choice& c : v.record_options->schools) add(c.label);
  for (const Choice& c : v.record_options->people) add(c.label);
  for (const auto* list : {&v.record_options->teachers, &v.record_options->deficits}) {
    for (const GroupedChoice& c : *list) {
      add(c.label);
      add(c.group_label);
    }
  }
  for (const FieldErrorView& e : v.form_errors) add(e.text);
  for (const RecommendationRow& r : v.recommendations->rows) rec(r);
  add(v.form->school_name);
  for (const auto* choices :
       {&v.form->visit_purposes, &v.form->people, &v.form->teachers, &v.form->subjects, &v.form->consultation_audiences,
        &v.form->consultation_formats, &v.form->consultation_topics}) {
    for (const Choice& c : *choices) add(c.label);
  }
  for (const RecommendationRow& r : v.form->open_recommendations) rec(r);
  add(v.form->rubric.title);
  for (const CriterionView& c : v.form->rubric.criteria) {
    add(c.title);
    add(c.domain);
    for (const std::string& l : c.levels) add(l);
  }
  for (const std::string* s :
       {&v.sync->server, &v.sync->user, &v.sync->last_success, &v.sync->last_error, &v.sync_run.progress_text}) {
    add(*s);
  }
  for (const RejectedRow& r : v.sync->rejected) {
    add(r.what);
    add(r.reason);
  }
  for (const ConflictRow& c : v.sync->conflicts) {
    add(c.what);
    add(c.kept);
    add(c.lost);
  }
  if (v.dashboard) {
    const DashboardView& d = *v.dashboard;
    add(d.error);
    for (const std::string* s : {&d.district.as_of, &d.district.previous_as_of}) add(*s);
    for (const IndicatorRow& i : d.district.indicators) {
      for (const std::string* s : {&i.label, &i.value, &i.target, &i.change}) add(*s);
    }
    for (const auto* list : {&d.district.ranking, &d.district.no_contact}) {
      for (const RankedSchoolRow& r : *list) {
        for (const std::string* s : {&r.name, &r.index, &r.contact}) add(*s);
        for (const std::string& w : r.why) add(w);
      }
    }
    for (const WorkloadRow& w : d.district.workload) {
      add(w.name);
      add(w.role);
    }
    auto criteria = [&](const std::vector<CriterionChangeRow>& rows) {
      for (const CriterionChangeRow& c : rows) {
        for (const std::string* s : {&c.title, &c.first, &c.latest}) add(*s);
      }
    };
    for (const SchoolDashboardView& s : d.schools) {
      for (const std::string* x :
           {&s.name, &s.last_contact, &s.teachers_observed, &s.result_index_latest, &s.wellbeing}) {
        add(*x);
      }
      for (const auto* list : {&s.contact_months, &s.contact_details, &s.rubric_terms, &s.result_index_years}) {
        for (const std::string& x : *list) add(x);
      }
      criteria(s.criteria);
      for (const auto* list : {&s.recommendations, &s.milestones}) {
        for (const LabelledValue& l : *list) {
          add(l.label);
          add(l.value);
        }
      }
      for (const ResultRow& r : s.results) {
        for (const std::string* x :
             {&r.year, &r.assessment, &r.subject, &r.participants, &r.mean_score, &r.share_below_min, &r.share_top}) {
          add(*x);
        }
      }
      for (const RiskRow& r : s.risks) {
        add(r.title);
        add(r.evidence);
      }
      for (const TeacherProgressRow& t : s.teachers) {
        for (const std::string* x : {&t.name, &t.first, &t.latest}) add(*x);
        criteria(t.criteria);
      }
    }
  }
  add(v.notice);
  return out;
}

}  // namespace mentorlog::ui
