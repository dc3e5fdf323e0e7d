// The reports the app makes (reports.h).
#include "reports.h"

#include "mentorlog/report/make.h"
#include "mentorlog/report/school_log.h"

namespace mentorlog::app {
namespace {

// A file name part from a person's or school's name: letters, digits and '-' kept.
std::string Slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || std::isalnum(u)) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.substr(0, 60);
}

}  // namespace

bool UsesDashboard(ui::ReportKind kind) {
  return kind == ui::ReportKind::kDistrictXlsx || kind == ui::ReportKind::kSchoolPdf;
}

Result<std::filesystem::path> WriteReport(const core::Records& store, const ui::MakeReport& request,
                                          const std::filesystem::path& dir, const std::filesystem::path& assets_dir,
                                          Language language, const core::Dashboard* dashboard) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);  // a failure is reported by the writer, naming the folder
  const std::string today = store.Today().ToString();
  if (request.kind == ui::ReportKind::kDistrictXlsx) {
    const auto path = dir / ("district-" + today + ".xlsx");
    RETURN_IF_ERROR(dashboard ? report::WriteDistrictView(dashboard->district(), path, /*csv=*/false, language)
                              : report::MakeDistrictView(store, path, /*csv=*/false, assets_dir, language));
    return path;
  }
  if (request.kind == ui::ReportKind::kFeedbackPdf) {
    ASSIGN_OR_RETURN(core::Uuid id, core::Uuid::Parse(request.id));
    auto observation = store.Get<core::Observation>(id);
    std::string teacher;
    if (observation.ok()) {
      if (auto person = store.Get<core::Person>(observation->teacher_id); person.ok())
        teacher = Slug(person->full_name);
    }
    const std::string date = observation.ok() ? observation->date.ToString() : today;
    const auto path = dir / ("feedback-" + date + (teacher.empty() ? "" : "-" + teacher) + ".pdf");
    RETURN_IF_ERROR(report::MakeFeedbackPdf(store, id, path, assets_dir, language));
    return path;
  }
  ASSIGN_OR_RETURN(core::School school, report::FindSchool(store, request.id));
  const std::string name = "school-" + today + "-" + Slug(school.short_name.empty() ? school.name : school.short_name);
  if (request.kind == ui::ReportKind::kSchoolPdf) {
    const auto path = dir / (name + ".pdf");
    const core::SchoolProgress* progress = dashboard ? dashboard->Find(school.id) : nullptr;
    RETURN_IF_ERROR(progress ? report::WriteSchoolProgressPdf(*progress, store.Today(), path, assets_dir, language)
                             : report::MakeSchoolProgressPdf(store, school, path, assets_dir, language));
    return path;
  }
  const auto path = dir / (name + ".xlsx");
  RETURN_IF_ERROR(report::MakeSchoolLog(store, school, path, /*csv=*/false, language));
  return path;
}

}  // namespace mentorlog::app
