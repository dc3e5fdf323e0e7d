// A teacher's individual educational route (ИОМ, индивидуальный образовательный маршрут) as
// PDF: what the tutor hands the teacher, or files, offline (issue 15).
//
// A4, continued on further pages when long, every page numbered: the title and the date;
// the teacher, the school, the subjects and the tutor; the teacher's professional deficits
// (what, how and when found, whether and by what closed); the route's items in a table
// (activity, what, dates, status, result; an item past its due date and not done says
// "overdue"); the teacher's completed courses (programme, provider, hours, dates,
// certificate); and lines for the teacher's and the tutor's signatures.
//
// Everything comes from the device's store, so the route can be printed on site.
//
// Thread safety: values and functions without shared state; reads go through the Store's lock.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/report/pdf.h"
#include "mentorlog/store/records.h"

namespace mentorlog::report {

// What the route's PDF shows, with the school and the tutor already named.
struct TeacherRoute {
  core::Person teacher;
  std::string school_name;                // "" when the teacher has no school in the store
  std::string tutor_name;                 // "" when no tutor is assigned to the teacher or their subject
  std::vector<core::Deficit> deficits;    // by the date found
  std::vector<core::RouteItem> items;     // by start date; never empty
  std::vector<core::Training> trainings;  // by completion date
  core::Date as_of;                       // the store's today: what is overdue
};

// The teacher whose id (8-4-4-4-12) or code (Person::code) is `id_or_code`.
// Errors: NotFound when no live person has it, or the person is not a teacher (the message
// says how to list the teachers); the store's errors.
Result<core::Person> FindTeacher(const core::Records& store, std::string_view id_or_code);

// The route of `teacher`, as of the store's today. The tutor is the one assigned to the
// teacher (the latest current assignment), else a tutor of the teacher's school and subject.
// Errors: NotFound when the teacher has no route item (the message names the teacher and says
// to enter the route first); the store's errors.
Result<TeacherRoute> LoadTeacherRoute(const core::Records& store, const core::Person& teacher);

// The route as PDF bytes in `language`. Errors: NotFound for a missing font file; Internal
// when libharu fails.
Result<std::string> RenderTeacherRoutePdf(const TeacherRoute& route, const PdfFonts& fonts, Language language);

}  // namespace mentorlog::report
