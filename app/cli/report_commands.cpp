// mentorlog-cli's report commands (report_commands.h).
#include "report_commands.h"

#include <iostream>

#include "mentorlog/domain/rubric.h"
#include "mentorlog/report/make.h"
#include "mentorlog/report/school_log.h"
#include "mentorlog/report/teacher_route.h"

namespace mentorlog::cli {

namespace {

Status Written(const std::string& path, Language language) {
  std::cout << Pick(language, "Written: ", "Записано: ") << path << "\n";
  return Status::Ok();
}

}  // namespace

ReportCommands::ReportCommands(CLI::App& app) {
  report_ = app.add_subcommand("report",
                               "Reports to hand on: a feedback sheet (PDF), a school's log or progress "
                               "(PDF, XLSX, CSV), the district view (XLSX, CSV), a teacher's route (PDF); see "
                               "docs/reports.md");
  report_->require_subcommand(1);
  auto add_common = [&](CLI::App* cmd, const std::string& out_help) {
    cmd->add_option("--out,-o", out_, out_help)->required();
    cmd->add_option("--lang", lang_, "Language of the report: ru or en (default: the message language)")
        ->check(CLI::IsMember({"ru", "en"}));
  };

  feedback_ =
      report_->add_subcommand("feedback", "The feedback sheet for the teacher after one lesson observation (PDF)");
  feedback_->add_option("--observation", observation_, "The observation's id (`list observations` shows them)")
      ->required();
  add_common(feedback_, "The PDF file to write");

  school_ = report_->add_subcommand("school", "A school's full log (XLSX, CSV) or one-page progress report (PDF)");
  school_->add_option("--school", school_id_, "The school's id or code (`list schools` shows them)")->required();
  school_->add_option("--format", format_, "pdf (the progress report), xlsx or csv (the full log)")
      ->required()
      ->check(CLI::IsMember({"pdf", "xlsx", "csv"}));
  add_common(school_, "The file to write (a folder for csv: one <table>.csv per table)");

  district_ = report_->add_subcommand("district", "The district view: indicators, ranking, no contact, workload");
  district_->add_option("--format", format_, "xlsx or csv")->required()->check(CLI::IsMember({"xlsx", "csv"}));
  add_common(district_, "The file to write (a folder for csv: one <table>.csv per table)");

  route_ = report_->add_subcommand("route", "A teacher's individual educational route, ИОМ (PDF)");
  route_->add_option("--teacher", teacher_, "The teacher's id or code (`list people` shows them)")->required();
  add_common(route_, "The PDF file to write");
}

bool ReportCommands::Parsed() const { return report_->parsed(); }

Status ReportCommands::Run(const ReportContext& ctx) {
  // --lang is checked to be "ru" or "en".
  const Language language = LanguageFromCode(lang_).value_or(ctx.language);
  if (feedback_->parsed()) return Feedback(ctx, language);
  if (school_->parsed()) return School(ctx, language);
  if (route_->parsed()) return Route(ctx, language);
  return District(ctx, language);
}

Status ReportCommands::Feedback(const ReportContext& ctx, Language language) {
  auto id = core::Uuid::Parse(observation_);
  if (!id.ok()) {
    return Status::InvalidInput(LocalText{"«" + observation_ +
                                              "» — не идентификатор посещения урока (вида 0190a3c2-...); их показывает "
                                              "`mentorlog-cli list observations`",
                                          "«" + observation_ +
                                              "» is not an observation id (like 0190a3c2-...); `mentorlog-cli list "
                                              "observations` shows them"});
  }
  RETURN_IF_ERROR(report::MakeFeedbackPdf(ctx.records, *id, out_, core::DefaultAssetsDir(), language));
  return Written(out_, language);
}

Status ReportCommands::School(const ReportContext& ctx, Language language) {
  ASSIGN_OR_RETURN(core::School school, report::FindSchool(ctx.records, school_id_));
  if (format_ == "pdf") {
    RETURN_IF_ERROR(report::MakeSchoolProgressPdf(ctx.records, school, out_, core::DefaultAssetsDir(), language));
  } else {
    RETURN_IF_ERROR(report::MakeSchoolLog(ctx.records, school, out_, format_ == "csv", language));
  }
  return Written(out_, language);
}

Status ReportCommands::District(const ReportContext& ctx, Language language) {
  RETURN_IF_ERROR(report::MakeDistrictView(ctx.records, out_, format_ == "csv", core::DefaultAssetsDir(), language));
  return Written(out_, language);
}

Status ReportCommands::Route(const ReportContext& ctx, Language language) {
  ASSIGN_OR_RETURN(core::Person teacher, report::FindTeacher(ctx.records, teacher_));
  RETURN_IF_ERROR(report::MakeTeacherRoutePdf(ctx.records, teacher, out_, core::DefaultAssetsDir(), language));
  return Written(out_, language);
}

}  // namespace mentorlog::cli
