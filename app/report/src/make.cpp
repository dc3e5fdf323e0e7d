// Each report from the store to a file (make.h).
#include "mentorlog/report/make.h"

#include "mentorlog/report/district.h"
#include "mentorlog/report/feedback.h"
#include "mentorlog/report/output.h"
#include "mentorlog/report/pdf.h"
#include "mentorlog/report/school_log.h"
#include "mentorlog/report/school_progress.h"
#include "mentorlog/report/teacher_route.h"
#include "mentorlog/report/xlsx.h"

namespace mentorlog::report {

Status MakeFeedbackPdf(const core::Records& store, const core::Uuid& observation_id, const std::filesystem::path& out,
                       const std::filesystem::path& assets_dir, Language language) {
  RETURN_IF_ERROR(CheckOutputPath(out));
  ASSIGN_OR_RETURN(FeedbackSheet sheet, LoadFeedbackSheet(store, observation_id));
  ASSIGN_OR_RETURN(PdfFonts fonts, FindPdfFonts(assets_dir));
  ASSIGN_OR_RETURN(std::string pdf, RenderFeedbackPdf(sheet, fonts, language));
  return WriteFileAtomically(out, pdf);
}

Status MakeTeacherRoutePdf(const core::Records& store, const core::Person& teacher, const std::filesystem::path& out,
                           const std::filesystem::path& assets_dir, Language language) {
  RETURN_IF_ERROR(CheckOutputPath(out));
  ASSIGN_OR_RETURN(TeacherRoute route, LoadTeacherRoute(store, teacher));
  ASSIGN_OR_RETURN(PdfFonts fonts, FindPdfFonts(assets_dir));
  ASSIGN_OR_RETURN(std::string pdf, RenderTeacherRoutePdf(route, fonts, language));
  return WriteFileAtomically(out, pdf);
}

Status MakeSchoolProgressPdf(const core::Records& store, const core::School& school, const std::filesystem::path& out,
                             const std::filesystem::path& assets_dir, Language language) {
  RETURN_IF_ERROR(CheckOutputPath(out));
  const core::Date today = store.Today();
  ASSIGN_OR_RETURN(auto dashboard, BuildDashboard(store, assets_dir, today));
  const core::SchoolProgress* progress = dashboard->Find(school.id);
  if (progress == nullptr) {
    return Status::Internal(LocalText{"на панели нет показателей школы «" + school.name + "»",
                                      "the dashboard has no figures for the school «" + school.name + "»"});
  }
  return WriteSchoolProgressPdf(*progress, today, out, assets_dir, language);
}

Status WriteSchoolProgressPdf(const core::SchoolProgress& progress, core::Date today, const std::filesystem::path& out,
                              const std::filesystem::path& assets_dir, Language language) {
  RETURN_IF_ERROR(CheckOutputPath(out));
  ASSIGN_OR_RETURN(PdfFonts fonts, FindPdfFonts(assets_dir));
  ASSIGN_OR_RETURN(std::string pdf, RenderSchoolProgressPdf(progress, today, fonts, language));
  return WriteFileAtomically(out, pdf);
}

Status MakeSchoolLog(const core::Records& store, const core::School& school, const std::filesystem::path& out, bool csv,
                     Language language) {
  if (!csv) RETURN_IF_ERROR(CheckOutputPath(out));
  ASSIGN_OR_RETURN(std::vector<Table> tables, SchoolLogTables(store, school, store.Today(), language));
  return csv ? WriteCsvFolder(tables, out, language) : WriteXlsx(tables, out, language);
}

Status MakeDistrictView(const core::Records& store, const std::filesystem::path& out, bool csv,
                        const std::filesystem::path& assets_dir, Language language) {
  if (!csv) RETURN_IF_ERROR(CheckOutputPath(out));
  ASSIGN_OR_RETURN(auto dashboard, BuildDashboard(store, assets_dir, store.Today()));
  return WriteDistrictView(dashboard->district(), out, csv, language);
}

Status WriteDistrictView(const core::DistrictView& view, const std::filesystem::path& out, bool csv,
                         Language language) {
  if (!csv) RETURN_IF_ERROR(CheckOutputPath(out));
  const std::vector<Table> tables = DistrictTables(view, language);
  return csv ? WriteCsvFolder(tables, out, language) : WriteXlsx(tables, out, language);
}

}  // namespace mentorlog::report
