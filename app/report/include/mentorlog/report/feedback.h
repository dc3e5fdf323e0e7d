// The feedback sheet for the teacher after one lesson observation: a PDF the observer hands
// over (or sends) after the post-lesson discussion.
//
// It shows the school, the teacher, the subject, the grade and class, the date, the topic and
// the observer; then every criterion of the rubric the lesson was scored with, grouped by the
// rubric's domains, with the level given (its label from the rubric, or "not observed") and
// the evidence noted; then strengths, growth areas, the agreed next steps, and whether the
// post-lesson discussion took place. A long sheet continues on the next pages; every page is
// numbered ("2 / 3").
//
// Everything comes from the device's store, so the sheet can be made offline, on site.
//
// Thread safety: values and functions without shared state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/report/pdf.h"
#include "mentorlog/store/records.h"

namespace mentorlog::report {

// What the sheet shows, with the people and the school already named.
struct FeedbackSheet {
  core::Observation observation;
  std::vector<core::ObservationScore> scores;
  // The rubric (code, version) of the observation; nullopt when the store lacks it: criteria
  // then show by code and levels by number.
  std::optional<core::Rubric> rubric;
  std::string school_name;
  std::string teacher_name;
  std::string observer_name;
};

// The observation `observation_id` and what the sheet needs from the store.
// Errors: NotFound when no live observation has that id (the message says how to find ids);
// the store's errors.
Result<FeedbackSheet> LoadFeedbackSheet(const core::Records& store, const core::Uuid& observation_id);

// The sheet as PDF bytes in `language`. Errors: NotFound for a missing font file;
// Internal when libharu fails.
Result<std::string> RenderFeedbackPdf(const FeedbackSheet& sheet, const PdfFonts& fonts, Language language);

}  // namespace mentorlog::report
