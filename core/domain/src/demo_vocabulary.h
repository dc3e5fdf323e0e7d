// The demo district's vocabulary: the names, subjects, lesson topics, observers' notes,
// recommendations, visit and consultation texts, the programme's instruments (agreements,
// roadmap evidence, routes, courses, network events, work plans; instruments.toml), and the
// district itself that the generator (demo.cpp) draws from. They are data, read from the TOML
// files of `assets_dir`/demo, so that the texts can be edited without touching the generator.
// Internal to mentorlog_core.
//
// The generator draws entries by their position, so the order and the length of every list are
// part of the demo: the same seed on the same day gives the same district only from the same
// files.
//
// Thread safety: plain values.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/enums.h"

namespace mentorlog::core::demo {

// subjects.toml: a school subject and the phrases the texts build from it.
struct SubjectInfo {
  std::string name;  // as stored: "математика"
  std::string po;    // "по математике": the phrase after a task, {po} in the texts
  std::string of;    // "математики": "учитель математики" (no text uses it yet)
};

// topics.toml: the topic of an observed lesson.
struct LessonTopic {
  std::string teacher_subject;  // the subject of the teacher who teaches it
  std::string lesson_subject;   // the subject of the lesson ("математика" in grade 2)
  int grade = 0;
  std::string text;
};

// criterion_notes.toml: what an observer writes for one criterion of the lesson_observation
// rubric. {n}: pupils in the class, {k}: a few pupils, {m}: minutes.
struct CriterionNotes {
  std::string code;
  std::array<std::vector<std::string>, 4> evidence;  // per level 0..3 of the demo's scale
  std::string strength;                              // the sentence for "strengths"
  std::string growth;                                // the sentence for "growth areas"
  std::string deficit_area;                          // the competence a persistent low level points to
};

// recommendations.toml: a recommendation to a teacher (tied to the criterion it addresses,
// empty for any) or to a school's management team (no criterion). {po}: the subject phrase,
// in teachers' texts only.
struct RecommendationTemplate {
  std::string criterion;
  std::string text;
  std::string evidence;  // what closes it
};

// recommendations.toml: a competence area that subject diagnostics find in teachers of `subject`.
struct SubjectDeficit {
  std::string subject;
  std::string area;
};

// recommendations.toml: how a deficit is worked on, and the note that says so.
struct DeficitRemedyNote {
  DeficitRemedy remedy = DeficitRemedy::kOther;
  std::string note;
};

// visits.toml: one topic of a consultation, from the question to the recommendation it may
// leave. {date}: a date two weeks on; {po}: the subject phrase.
struct ConsultationText {
  ConsultationTopic topic = ConsultationTopic::kOther;
  std::string question;
  std::string advice;
  std::string follow_up;       // {date}
  std::string recommendation;  // {po}
};

// district.toml: what a school is in the demo's story. Supported schools (low results or
// adverse conditions) get a mentor, tutors, visits and a transition programme.
enum class SchoolRole { kLeader, kEffective, kOrdinary, kLowResults, kLowResultsAdverse, kAdverse };

inline bool IsSupported(SchoolRole r) {
  return r == SchoolRole::kLowResults || r == SchoolRole::kLowResultsAdverse || r == SchoolRole::kAdverse;
}
inline bool IsLowResults(SchoolRole r) { return r == SchoolRole::kLowResults || r == SchoolRole::kLowResultsAdverse; }
inline bool IsAdverse(SchoolRole r) { return r == SchoolRole::kLowResultsAdverse || r == SchoolRole::kAdverse; }

// district.toml: one school. The generator varies the numbers a little.
struct SchoolSpec {
  std::string name;
  std::string short_name;
  Settlement settlement = Settlement::kUrban;
  double km = 0;  // to the education office
  int pupils = 0;
  int teachers = 0;
  SchoolRole role = SchoolRole::kOrdinary;
  bool programme_late = false;             // an adverse-conditions school that adopts its programme later
  bool missed_management_seminar = false;  // a supported school whose team missed the training
};

// district.toml: a mentor, the director of `home`, and the supported schools they visit
// (indices into DemoVocabulary::schools).
struct MentorSpec {
  size_t home = 0;
  std::vector<size_t> schools;
};

// district.toml: a tutor, a strong teacher of `subject` at `home`, and the schools they serve.
struct TutorSpec {
  size_t home = 0;
  std::string subject;
  std::vector<size_t> schools;
};

// district.toml: an item of the district's or of every supported school's roadmap, repeated
// each school year.
struct RoadmapSpec {
  std::string title;
  int start_month = 0, start_day = 0, end_month = 0, end_day = 0;  // within a school year (Sept..Aug)
  std::string responsible;                                         // school items: "director" or "deputy"
  std::string participants;
  std::string planned_result;
  bool first_year_only = false;
};

// instruments.toml: a network agreement other than the low-results schools' with the leader.
struct AgreementSpec {
  size_t school = 0;                     // the supported school
  std::optional<size_t> partner_school;  // a school partner, or
  std::string partner;                   // a social institution's name
  AgreementStatus status = AgreementStatus::kActive;
  NetworkModel model = NetworkModel::kHorizontal;
  std::string subject;
  std::vector<std::string> milestones;
};

// instruments.toml: a course of further training.
struct CourseSpec {
  std::string title;
  int hours = 0;
  std::string area;  // the deficit area it addresses; empty for any
};

// instruments.toml: a route item by activity. {area}, {tutor}, {leader} in the title; a
// course's title is "{course}" (the course's own title).
struct RouteSpec {
  RouteActivity activity = RouteActivity::kOther;
  std::string title;
  std::string result;
};

// instruments.toml: a network event of the last 12 months.
struct EventSpec {
  std::string title;
  NetworkEventKind kind = NetworkEventKind::kSeminar;
  std::optional<size_t> organiser;  // a school; none for the district office
  std::string subject;              // empty: teachers of any subject
  std::string report;               // {k}
};

// Everything the generator draws from, one field per list of the files.
struct DemoVocabulary {
  // names.toml: male forms of surnames and patronymics; the generator makes the female ones.
  std::vector<std::string> surnames;
  std::vector<std::string> female_names;
  std::vector<std::string> male_names;
  std::vector<std::string> patronymics;

  // subjects.toml
  std::vector<SubjectInfo> subjects;
  // A school's staff by subject: its teacher j teaches staff[j % staff.size()], the first
  // subject being their main one.
  std::vector<std::vector<std::string>> staff;

  // topics.toml
  std::vector<LessonTopic> topics;

  // criterion_notes.toml
  std::vector<CriterionNotes> criteria;
  std::vector<std::string> not_observed_evidence;  // {m}: minutes of the lesson seen
  std::vector<std::string> generic_strengths;      // when no criterion reached level 2
  std::vector<std::string> generic_growth;         // when no criterion stayed at level 1 or below

  // recommendations.toml
  std::vector<RecommendationTemplate> teacher_recommendations;
  std::vector<RecommendationTemplate> school_recommendations;
  std::vector<std::string> progress_notes;  // status notes: taken into work
  std::vector<std::string> done_notes;      // done
  std::vector<std::string> drop_notes;      // dropped
  std::vector<std::string> reopen_reasons;  // reopened
  std::vector<SubjectDeficit> subject_deficits;
  std::vector<DeficitRemedyNote> remedies;

  // visits.toml
  std::vector<std::string> visit_strengths;
  std::vector<std::string> visit_progress;
  std::vector<std::string> visit_problems;
  std::vector<std::string> seminars;
  std::vector<ConsultationText> management_consultations;
  std::vector<ConsultationText> teacher_consultations;

  // district.toml
  std::string district;
  std::vector<SchoolSpec> schools;
  size_t leader_school = 0;  // the one school with the leader role
  std::vector<MentorSpec> mentors;
  std::vector<TutorSpec> tutors;
  std::vector<RoadmapSpec> district_roadmap;
  std::vector<RoadmapSpec> school_roadmap;   // for every supported school
  std::vector<std::string> roadmap_reports;  // {k}: a number of teachers
  std::vector<std::string> roadmap_cancelled;

  // instruments.toml
  std::vector<std::string> leader_milestones;
  std::vector<AgreementSpec> agreements;
  std::vector<std::string> district_evidence;  // {n}, {date}
  std::vector<std::string> school_evidence;    // {n}, {date}, {code}
  std::string closed_by_observation;           // {date}
  std::string closed_by_diagnostics;           // {date}
  std::string closed_by_course;                // {course}, {hours}
  std::vector<std::string> providers;
  std::vector<CourseSpec> courses;
  std::vector<RouteSpec> routes;
  std::string route_in_progress;
  std::string route_overdue;
  std::string route_dropped;
  std::vector<EventSpec> events;
  std::string plan_visit;
  std::string plan_management_consultation;
  std::string plan_teacher_consultation;  // {teacher}
  std::string plan_observation;           // {teacher}
  std::vector<std::string> plan_events;
};

// Reads and checks every file of `assets_dir`/demo. Errors: NotFound naming the file when one
// cannot be read; InvalidInput "<file>:<line>: <key> ..." when one is not valid TOML, lacks a
// key, has a key the generator does not know, holds a value of the wrong kind, refers to a
// subject, criterion or school no file defines, or leaves the generator without something it
// draws from (an empty list, a supported school without a mentor, ...).
Result<DemoVocabulary> LoadDemoVocabulary(const std::filesystem::path& assets_dir);

}  // namespace mentorlog::core::demo
