// A synthetic district (or region) of a given size for the dashboard benchmarks: typed records
// handed to a callback, the same for a given shape and seed.
//
// Per school: the school, 20 teachers, 24 assessment results (three years of ОГЭ, ЕГЭ and ВПР in
// two subjects), 18 context indicators (two years), one mentor assignment; then "contact units"
// until the school's share of `records` is used: a visit, an observation with 8 scored criteria
// of the bundled rubric, a consultation and two recommendations (13 records a unit), dated over
// the two years before `today`. One mentor for every two schools, one network agreement for
// every four. The bundled rubric template comes first.
//
// Thread safety: pure.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"

namespace mentorlog::bench {

struct DistrictShape {
  int schools = 50;
  int64_t records = 200'000;
  uint64_t seed = 1;
  core::Date today = core::Date::FromYmd(2026, 11, 20).value();
};

inline constexpr int kFixedPerSchool = 1 + 20 + 24 + 18 + 1;
inline constexpr int kPerUnit = 13;

// Calls put(record) for every record; `put` takes any record type (a generic lambda).
template <class Put>
void MakeDistrict(const DistrictShape& shape, const core::RubricTemplate& rubric, Put&& put) {
  using namespace core;
  std::mt19937_64 rng(shape.seed);
  uint64_t counter = 0;
  auto id = [&] {
    std::array<uint8_t, 16> b{};
    const uint64_t hi = 0x0195d00000007000ull;
    const uint64_t lo = (0x8000000000000000ull | (shape.seed << 40)) + ++counter;
    for (int i = 0; i < 8; ++i) {
      b[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
      b[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
    }
    return Uuid(b);
  };
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
  auto share = [&] { return static_cast<double>(rng() % 1000) / 2000.0; };

  put(rubric);
  std::vector<std::string> criteria;
  if (auto parsed = ParseRubric(rubric.body_json, rubric.code); parsed.ok()) {
    for (const auto& c : parsed->criteria) criteria.push_back(c.code);
  }

  std::vector<Uuid> mentors;
  for (int m = 0; m < (shape.schools + 1) / 2; ++m) {
    Person p;
    p.id = id();
    p.full_name = "Наставник " + std::to_string(m + 1);
    p.roles = {Role::kMentor};
    put(p);
    mentors.push_back(p.id);
  }
  const int64_t per_school = shape.records / shape.schools;
  const int64_t units = std::max<int64_t>(0, (per_school - kFixedPerSchool) / kPerUnit);
  std::vector<Uuid> schools;
  for (int s = 0; s < shape.schools; ++s) {
    School school;
    school.id = id();
    school.name = "Школа " + std::to_string(s + 1);
    school.district = "Район";
    school.teachers = 20;
    if (s % 3 == 0) school.statuses = {SchoolStatus::kLowResults};
    if (s % 3 == 1) school.statuses = {SchoolStatus::kAdverseConditions};
    put(school);
    schools.push_back(school.id);
    const Uuid mentor = mentors[static_cast<size_t>(s / 2)];

    std::vector<Uuid> teachers;
    for (int t = 0; t < 20; ++t) {
      Person p;
      p.id = id();
      p.full_name = "Учитель " + std::to_string(s + 1) + "." + std::to_string(t + 1);
      p.roles = {Role::kTeacher};
      p.school_id = school.id;
      put(p);
      teachers.push_back(p.id);
    }
    for (int64_t year = 2024; year <= 2026; ++year) {
      for (Assessment a : {Assessment::kOge, Assessment::kEge, Assessment::kVpr, Assessment::kVpr}) {
        for (const char* subject : {"математика", "русский язык"}) {
          AssessmentResult r;
          r.id = id();
          r.school_id = school.id;
          r.year = year;
          r.assessment = a;
          r.subject = subject;
          r.grade = a == Assessment::kOge ? 9 : a == Assessment::kEge ? 11 : 5 + 2 * pick(2);
          r.participants = 5 + pick(50);
          r.mean_score = 2.5 + share() * 4;
          r.share_below_min = share();
          r.share_top = share();
          put(r);
        }
      }
    }
    for (int64_t year = 2025; year <= 2026; ++year) {
      for (const auto& info : KnownContextIndicators()) {
        ContextIndicator c;
        c.id = id();
        c.school_id = school.id;
        c.year = year;
        c.indicator = std::string(info.code);
        c.value = info.is_share ? share() : static_cast<double>(pick(4));
        put(c);
      }
    }
    Assignment as;
    as.id = id();
    as.assignee_id = mentor;
    as.school_id = school.id;
    as.starts_on = shape.today.AddDays(-700);
    put(as);

    for (int64_t u = 0; u < units; ++u) {
      const Date day = shape.today.AddDays(-pick(730));
      Visit v;
      v.id = id();
      v.school_id = school.id;
      v.date = day;
      v.visitor_ids = {mentor};
      v.purposes = {VisitPurpose::kLessonObservations};
      v.summary = "Посещение уроков, беседа с администрацией";
      put(v);
      Observation o;
      o.id = id();
      o.visit_id = v.id;
      o.school_id = school.id;
      o.teacher_id = teachers[static_cast<size_t>(pick(20))];
      o.observer_id = mentor;
      o.kind = pick(5) == 0 ? ObservationKind::kPeerVisit : ObservationKind::kObservation;
      o.subject = "математика";
      o.grade = 5 + pick(6);
      o.date = day;
      o.rubric_code = rubric.code;
      o.rubric_version = rubric.version;
      put(o);
      for (size_t c = 0; c < 8 && c < criteria.size(); ++c) {
        ObservationScore sc;
        sc.id = id();
        sc.observation_id = o.id;
        sc.criterion_code = criteria[c];
        if (pick(10) != 0) sc.level = pick(4);
        put(sc);
      }
      Consultation cons;
      cons.id = id();
      cons.school_id = school.id;
      cons.date = day.AddDays(1);
      cons.consultant_id = mentor;
      put(cons);
      for (int r = 0; r < 2; ++r) {
        Recommendation rec;
        rec.id = id();
        rec.source_id = v.id;
        rec.school_id = school.id;
        rec.text = "Провести методическое совещание";
        rec.responsible_id = mentor;
        rec.created_on = day;
        rec.due_on = day.AddDays(30);
        const int state = pick(4);
        rec.status = static_cast<RecommendationStatus>(state);
        if (state >= 2) rec.closed_on = day.AddDays(pick(40));
        put(rec);
      }
    }
  }
  for (size_t s = 0; s + 1 < schools.size(); s += 4) {
    NetworkAgreement a;
    a.id = id();
    a.number = "№ " + std::to_string(s / 4 + 1);
    a.signed_on = shape.today.AddDays(-pick(500));
    a.supported_school_id = schools[s];
    a.leader_school_id = schools[s + 1];
    put(a);
  }
}

}  // namespace mentorlog::bench
