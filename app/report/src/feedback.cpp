#include "mentorlog/report/feedback.h"

#include <map>
#include <set>

#include "lookup.h"
#include "pdf_doc.h"

namespace mentorlog::report {

namespace {

constexpr float kBody = 10;
constexpr Rgb kGrey{0.4f, 0.4f, 0.4f};

std::string GradeAndClass(const core::Observation& o) {
  const std::string grade = o.grade > 0 ? std::to_string(o.grade) : "";
  if (o.class_label.empty()) return grade;
  if (grade.empty() || o.class_label.rfind(grade, 0) == 0) return o.class_label;  // "5Б" already says 5
  return grade + " (" + o.class_label + ")";
}

std::string OrDash(const std::string& s) { return s.empty() ? "—" : s; }

}  // namespace

Result<FeedbackSheet> LoadFeedbackSheet(const core::Records& store, const core::Uuid& observation_id) {
  FeedbackSheet sheet;
  auto observation = store.Get<core::Observation>(observation_id);
  if (!observation.ok()) {
    if (observation.status().code() != StatusCode::kNotFound) return observation.status();
    return Status::NotFound(LocalText{"в этом хранилище нет посещения урока с идентификатором " +
                                          observation_id.ToString() +
                                          "; их идентификаторы показывает `mentorlog-cli list observations`",
                                      "no lesson observation has the id " + observation_id.ToString() +
                                          " in this store; `mentorlog-cli list observations` shows their ids"});
  }
  sheet.observation = std::move(observation).value();
  ASSIGN_OR_RETURN(sheet.scores, store.ScoresOf(observation_id));
  RubricBook rubrics(store);
  ASSIGN_OR_RETURN(sheet.rubric, rubrics.Find(sheet.observation.rubric_code, sheet.observation.rubric_version));
  PersonNames names(store);
  ASSIGN_OR_RETURN(sheet.teacher_name, names.Of(sheet.observation.teacher_id));
  ASSIGN_OR_RETURN(sheet.observer_name, names.Of(sheet.observation.observer_id));
  auto school = store.Get<core::School>(sheet.observation.school_id);
  if (school.ok()) {
    sheet.school_name = school->name;
  } else if (school.status().code() == StatusCode::kNotFound) {
    sheet.school_name = sheet.observation.school_id.ToString();
  } else {
    return school.status();
  }
  return sheet;
}

Result<std::string> RenderFeedbackPdf(const FeedbackSheet& sheet, const PdfFonts& fonts, Language language) {
  // The sheet's title, and texts used more than once.
  const LocalText kTitle{"Лист обратной связи по итогам посещения урока",
                         "Lesson observation: feedback for the teacher"};
  const LocalText kTeacher{"Учитель", "Teacher"};
  const LocalText kObserver{"Наблюдатель", "Observer"};
  const core::Observation& o = sheet.observation;
  const core::Rubric* rubric = sheet.rubric ? &*sheet.rubric : nullptr;
  const std::string title = kTitle.In(language);

  PdfDocument doc{language};
  RETURN_IF_ERROR(doc.Open(fonts, title + " — " + sheet.teacher_name));
  PdfFlow flow(doc);

  flow.Paragraph(title, Face::kBold, 15);
  flow.Skip(6);
  constexpr float kLabel = 150;
  flow.LabelValue(LocalText{"Школа", "School"}.In(language), OrDash(sheet.school_name), kLabel, kBody);
  flow.LabelValue(kTeacher.In(language), OrDash(sheet.teacher_name), kLabel, kBody);
  flow.LabelValue(LocalText{"Предмет", "Subject"}.In(language), OrDash(o.subject), kLabel, kBody);
  flow.LabelValue(LocalText{"Класс", "Grade and class"}.In(language), OrDash(GradeAndClass(o)), kLabel, kBody);
  flow.LabelValue(LocalText{"Дата", "Date"}.In(language), DateText(o.date, language), kLabel, kBody);
  flow.LabelValue(LocalText{"Тема урока", "Topic"}.In(language), OrDash(o.topic), kLabel, kBody);
  flow.LabelValue(kObserver.In(language), OrDash(sheet.observer_name), kLabel, kBody);
  flow.LabelValue(LocalText{"Вид посещения", "Kind of visit"}.In(language),
                  std::string(core::EnumLabel(o.kind, language)), kLabel, kBody);
  flow.LabelValue(LocalText{"Карта наблюдения", "Rubric"}.In(language),
                  (rubric != nullptr ? rubric->title.In(language) : o.rubric_code) +
                      LocalText{", версия ", ", version "}.In(language) + std::to_string(o.rubric_version),
                  kLabel, kBody);
  flow.Rule();

  // The criteria, grouped by domain in the rubric's order; scores of criteria the rubric does
  // not know (or with no rubric at all) come last, by code.
  flow.Heading(LocalText{"Критерии", "Criteria"}.In(language), 13);
  if (rubric != nullptr && !rubric->levels.empty()) {
    std::string scale = LocalText{"Шкала: ", "Scale: "}.In(language);
    for (size_t i = 0; i < rubric->levels.size(); ++i) {
      scale +=
          (i > 0 ? "; " : "") + std::to_string(rubric->levels[i].level) + " — " + rubric->levels[i].label.In(language);
    }
    flow.Paragraph(scale, Face::kRegular, 9, 0, kGrey);
    flow.Skip(4);
  }
  std::map<std::string, const core::ObservationScore*> by_code;
  for (const auto& s : sheet.scores) by_code[s.criterion_code] = &s;
  std::set<std::string> shown;
  int number = 0;
  auto criterion = [&](const std::string& code, const std::string& criterion_title) {
    shown.insert(code);
    const core::ObservationScore* score = by_code.count(code) ? by_code[code] : nullptr;
    const std::optional<int64_t> level = score != nullptr ? score->level : std::nullopt;
    flow.NeedSpace(kBody * 1.3f * 3);
    flow.Paragraph(std::to_string(++number) + ". " + criterion_title, Face::kBold, kBody, 8);
    flow.Paragraph(LocalText{"Уровень: ", "Level: "}.In(language) + LevelText(rubric, level, language), Face::kRegular,
                   kBody, 22);
    if (score != nullptr && !score->evidence.empty()) {
      flow.Paragraph(LocalText{"Свидетельства: ", "Evidence: "}.In(language) + score->evidence, Face::kRegular, kBody,
                     22, kGrey);
    }
    flow.Skip(3);
  };
  if (rubric != nullptr) {
    for (const auto& domain : rubric->domains) {
      bool heading = false;
      for (const auto& c : rubric->criteria) {
        if (c.domain != domain.code) continue;
        if (!heading) {
          flow.Heading(domain.title.In(language), 11.5f);
          heading = true;
        }
        criterion(c.code, c.title.In(language));
      }
    }
  }
  bool other_heading = false;
  for (const auto& [code, score] : by_code) {
    if (shown.count(code) > 0) continue;
    if (!other_heading) {
      flow.Heading(rubric != nullptr ? LocalText{"Другие критерии", "Other criteria"}.In(language)
                                     : LocalText{"Критерии (карты наблюдения нет в этом хранилище)",
                                                 "Criteria (the rubric is not in this store)"}
                                           .In(language),
                   11.5f);
      other_heading = true;
    }
    criterion(code, code);
  }
  if (number == 0)
    flow.Paragraph(LocalText{"Оценок по критериям нет.", "No criterion was scored."}.In(language), Face::kRegular,
                   kBody);

  flow.Rule();
  auto section = [&](std::string_view heading, const std::string& text) {
    flow.Heading(heading, 12);
    flow.Paragraph(OrDash(text), Face::kRegular, kBody);
    flow.Skip(2);
  };
  section(LocalText{"Сильные стороны", "Strengths"}.In(language), o.strengths);
  section(LocalText{"Зоны роста", "Growth areas"}.In(language), o.growth_areas);
  section(LocalText{"Договорённости о следующих шагах", "Agreed next steps"}.In(language), o.next_steps);
  flow.Skip(4);
  flow.LabelValue(LocalText{"Послеурочный разговор", "Post-lesson discussion"}.In(language),
                  o.discussion_held ? LocalText{"состоялся", "took place"}.In(language)
                                    : LocalText{"не состоялся", "did not take place"}.In(language),
                  kLabel, kBody);

  // Signatures.
  flow.NeedSpace(60);
  flow.Skip(36);
  const float half = flow.width() / 2;
  const float line_y = flow.y();
  HPDF_Page last = doc.pages().back();
  doc.Line(last, flow.left(), line_y, flow.left() + half - 20, line_y, 0.5f, {});
  doc.Line(last, flow.left() + half + 20, line_y, flow.left() + flow.width(), line_y, 0.5f, {});
  doc.Text(last, flow.left(), line_y - 11, kTeacher.In(language), Face::kRegular, 8, kGrey);
  doc.Text(last, flow.left() + half + 20, line_y - 11, kObserver.In(language), Face::kRegular, 8, kGrey);

  // Footers: what the sheet is, and "page i of n".
  doc.StampPages(sheet.teacher_name + " · " + OrDash(o.subject) + " · " + DateText(o.date, language));
  return doc.Save();
}

}  // namespace mentorlog::report
