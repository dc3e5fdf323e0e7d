// The demo district: a fictional municipal district with schools, people and two school years
// of mentoring activity, for trying MentorLog out, for screenshots and for benchmarks.
//
// Everything is invented (the district, the schools, every name), and everything is written
// through the repository API, so the demo passes the same validation as real input and syncs
// like it. The content is a function of the seed and of the writer's Today(): the same seed on
// the same day gives the same schools, names, dates and texts (record ids are new UUIDs).
//
// Thread safety: as the RecordWriter's (the device's Store locks each write); run it once per store.
#pragma once

#include <cstdint>
#include <filesystem>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/record_writer.h"
#include "mentorlog/domain/rubric.h"

namespace mentorlog::core {

struct DemoOptions {
  uint64_t seed = 20251;
  // Where the rubric templates are (`assets_dir`/rubrics; they are installed when missing) and
  // the demo's vocabulary: names, texts and the district's make-up (`assets_dir`/demo/*.toml).
  std::filesystem::path assets_dir = DefaultAssetsDir();
};

// What CreateDemoDistrict wrote. Each count is the number of live records of that kind
// (teachers, mentors and tutors: people with that role; a tutor is also a teacher of their
// school). `overdue_recommendations` are open or in progress with a due date before Today().
struct DemoSummary {
  int64_t schools = 0;
  int64_t teachers = 0;
  int64_t mentors = 0;
  int64_t tutors = 0;
  int64_t visits = 0;
  int64_t observations = 0;
  int64_t consultations = 0;
  int64_t recommendations = 0;
  int64_t overdue_recommendations = 0;
  int64_t assessment_results = 0;
  int64_t context_indicators = 0;
  int64_t roadmap_items = 0;
  int64_t agreements = 0;
  int64_t route_items = 0;
  int64_t trainings = 0;
  int64_t network_events = 0;
  int64_t event_participants = 0;
  int64_t plan_items = 0;

  friend bool operator==(const DemoSummary&, const DemoSummary&) = default;
};

// Creates the demo district in an empty store, in one transaction: about 14 schools of the
// «Заречный муниципальный район» (3 low-results, 2 more adverse-conditions, a leader school in
// network agreements with the low-results ones), about 200 teachers, 4 mentors, 6 tutors,
// 2 coordinators, and the activity of the supported schools from 1 September two school years
// back up to Today(): visits, lesson observations scored with the bundled rubric, consultations,
// recommendations (most closed, some open, a few overdue or reopened), professional deficits
// (closed ones say what closed them), roadmap items (done ones with their date and evidence),
// assessment results and context indicators; and the programme's instruments: network
// agreements with milestones (with the leader school, another school or a social institution;
// one ended, one draft), individual routes (ИОМ) of most teachers with deficits, completed
// courses of the last three years, network events of the last 12 months with their
// participants, and each mentor's and tutor's work plan for the current half-year. No event is dated after Today();
// deadlines (due dates, roadmap end dates) may be later.
//
// Installs the bundled rubric templates from `options.assets_dir` first when they are missing.
// Errors: InvalidInput when the store already has schools (nothing is written); NotFound or
// IoError when the rubric templates cannot be read; NotFound naming the file when a file of
// `assets_dir`/demo is missing, InvalidInput "<file>:<line>: <key> ..." when one is malformed
// (nothing is written in either case); any error of the store, after which the transaction is
// rolled back and the store is unchanged.
Result<DemoSummary> CreateDemoDistrict(RecordWriter& store, const DemoOptions& options);

}  // namespace mentorlog::core
