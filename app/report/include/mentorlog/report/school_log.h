// A school's full log as tables: what the store holds about one school, one table per record
// kind, for a workbook (xlsx.h) or CSV files (table.h). Offline: reads the device's store only.
//
// Tables, in order (name: contents):
//   school            the school's own fields, one per row (field, value)
//   visits            date, purposes, visitors, met with, summary, strengths, problems
//   observations      date, kind, teacher, observer, subject, grade, class, topic, rubric,
//                     discussion held, mean level, one column per rubric criterion (the level;
//                     blank = not observed), strengths, growth areas, next steps
//   scores            one row per criterion of each observation: level, its label, evidence
//   consultations     date, consultant, audience, teacher, format, minutes, topics, questions,
//                     advice, follow-ups
//   recommendations   given on, due on, status, overdue, text, teacher, responsible, source,
//                     closed on, evidence, reopened
//   assessment_results  year, assessment, subject, grade, participants, mean score, share
//                     below the minimum, share of top marks
//   context_indicators  year, indicator, value (a share as a percent)
// Rows are in date (or year) order, then creation order. People are shown by name.
//
// Thread safety: reads go through the Store's lock.
#pragma once

#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/report/table.h"
#include "mentorlog/store/records.h"

namespace mentorlog::report {

// The school whose id (8-4-4-4-12) or code (School::code) is `id_or_code`.
// Errors: NotFound naming what was asked and how to list the schools.
Result<core::School> FindSchool(const core::Records& store, std::string_view id_or_code);

// The tables above, in `language`; `today` decides which recommendations are overdue.
// Errors: the store's (IoError, Corruption).
Result<std::vector<Table>> SchoolLogTables(const core::Records& store, const core::School& school, core::Date today,
                                           Language language);

}  // namespace mentorlog::report
