#include "mentorlog/ui/view.h"

namespace mentorlog::ui {

std::vector<std::string> TextsOf(const AppView& v) {
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (!s.empty()) out.push_back(s);
  };
  auto rec = [&](const RecommendationRow& r) {
    for (const std::string* s : {&r.school, &r.teacher, &r.text, &r.owner, &r.due, &r.status}) add(*s);
  };
  auto entry = [&](const TimelineEntry& e) {
    for (const std::string* s : {&e.date, &e.title, &e.detail}) add(*s);
  };
  add(v.today.user_name);
  for (const SchoolCard& s : v.today.schools) {
    add(s.name);
    add(s.municipality);
    for (const std::string& x : s.statuses) add(x);
    for (const std::string& x : s.next_roadmap) add(x);
  }
  for (const DraftCard& d : v.today.drafts) {
    add(d.title);
    add(d.updated);
  }
  for (const std::string* s : {&v.school.name, &v.school.municipality, &v.school.leader_partner,
                               &v.school.network_agreement, &v.school.transition_programme}) {
    add(*s);
  }
  for (const std::string& s : v.school.statuses) add(s);
  for (const TimelineEntry& e : v.school.timeline) entry(e);
  for (const RecommendationRow& r : v.school.open_recommendations) rec(r);
  for (const PersonRow& p : v.school.teachers) {
    add(p.name);
    add(p.detail);
  }
  add(v.teacher.name);
  for (const TimelineEntry& e : v.teacher.observations) entry(e);
  for (const std::string& d : v.teacher.deficits) add(d);
  for (const RecommendationRow& r : v.recommendations.rows) rec(r);
  add(v.form.school_name);
  for (const auto* choices :
       {&v.form.visit_purposes, &v.form.people, &v.form.teachers, &v.form.subjects, &v.form.consultation_audiences,
        &v.form.consultation_formats, &v.form.consultation_topics}) {
    for (const Choice& c : *choices) add(c.label);
  }
  for (const RecommendationRow& r : v.form.open_recommendations) rec(r);
  add(v.form.rubric.title);
  for (const CriterionView& c : v.form.rubric.criteria) {
    add(c.title);
    add(c.domain);
    for (const std::string& l : c.levels) add(l);
  }
  for (const std::string* s :
       {&v.sync.server, &v.sync.user, &v.sync.last_success, &v.sync.last_error, &v.sync.progress_text}) {
    add(*s);
  }
  for (const RejectedRow& r : v.sync.rejected) {
    add(r.what);
    add(r.reason);
  }
  for (const ConflictRow& c : v.sync.conflicts) {
    add(c.what);
    add(c.kept);
    add(c.lost);
  }
  add(v.notice);
  return out;
}

}  // namespace mentorlog::ui
