// A teacher's route (ИОМ) as PDF (teacher_route.h).
//
// [SECTION] Loading
// [SECTION] A table that flows down the pages
// [SECTION] The PDF
#include "mentorlog/report/teacher_route.h"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <utility>

#include "lookup.h"
#include "pdf_doc.h"

namespace mentorlog::report {

namespace {

constexpr float kBody = 10;
constexpr float kCell = 8.5f;
constexpr Rgb kGrey{0.4f, 0.4f, 0.4f};
constexpr Rgb kLine{0.7f, 0.7f, 0.7f};
constexpr Rgb kHeaderFill{0.92f, 0.94f, 0.97f};
constexpr Rgb kOverdue{0.75f, 0.18f, 0.15f};

bool IsTeacher(const core::Person& p) {
  return std::find(p.roles.begin(), p.roles.end(), core::Role::kTeacher) != p.roles.end();
}

std::string OrDash(const std::string& s) { return s.empty() ? "—" : s; }

std::string JoinSubjects(const std::vector<std::string>& subjects) {
  std::string out;
  for (const auto& s : subjects) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// "10.09.2026 – 20.10.2026".
std::string Span(core::Date from, core::Date to, Language language) {
  return DateText(from, language) + " – " + DateText(to, language);
}

bool Overdue(const core::RouteItem& item, core::Date today) {
  return (item.status == core::RouteItemStatus::kPlanned || item.status == core::RouteItemStatus::kInProgress) &&
         item.due_on < today;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] Loading
// -----------------------------------------------------------------------------------------

Result<core::Person> FindTeacher(const core::Records& store, std::string_view id_or_code) {
  const std::string wanted(id_or_code);
  std::optional<core::Person> found;
  if (auto id = core::Uuid::Parse(wanted); id.ok()) {
    auto person = store.Get<core::Person>(*id);
    if (person.ok()) {
      found = std::move(person).value();
    } else if (person.status().code() != StatusCode::kNotFound) {
      return person.status();
    }
  } else {
    ASSIGN_OR_RETURN(std::vector<core::Person> people, store.List<core::Person>());
    for (auto& p : people) {
      if (!p.code.empty() && p.code == wanted) found = std::move(p);
    }
  }
  if (found && IsTeacher(*found)) return std::move(*found);
  if (found) {
    return Status::NotFound(
        LocalText{found->full_name + " — не учитель: маршрут (ИОМ) составляется для учителя; список людей этого "
                                     "хранилища: `mentorlog-cli list people`",
                  found->full_name + " is not a teacher: a route (ИОМ) is a teacher's; `mentorlog-cli list people` "
                                     "shows the people of this store"});
  }
  return Status::NotFound(LocalText{
      "нет учителя с идентификатором или кодом «" + wanted +
          "»; список людей этого хранилища: `mentorlog-cli list people`",
      "no teacher has the id or code «" + wanted + "»; `mentorlog-cli list people` shows the people of this store"});
}

Result<TeacherRoute> LoadTeacherRoute(const core::Records& store, const core::Person& teacher) {
  TeacherRoute route;
  route.teacher = teacher;
  route.as_of = store.Today();
  ASSIGN_OR_RETURN(route.items, store.ListBy<core::RouteItem>("teacher_id", teacher.id));
  if (route.items.empty()) {
    return Status::NotFound(
        LocalText{"у учителя " + teacher.full_name +
                      " нет пунктов индивидуального образовательного маршрута (ИОМ), печатать нечего; сначала внесите "
                      "пункты маршрута",
                  teacher.full_name +
                      " has no items in an individual educational route (ИОМ), so there is nothing to print; enter the "
                      "route's items first"});
  }
  ASSIGN_OR_RETURN(route.deficits, store.ListBy<core::Deficit>("teacher_id", teacher.id));
  ASSIGN_OR_RETURN(route.trainings, store.ListBy<core::Training>("teacher_id", teacher.id));
  std::stable_sort(route.items.begin(), route.items.end(),
                   [](const auto& a, const auto& b) { return a.starts_on < b.starts_on; });
  std::stable_sort(route.deficits.begin(), route.deficits.end(),
                   [](const auto& a, const auto& b) { return a.found_on < b.found_on; });
  std::stable_sort(route.trainings.begin(), route.trainings.end(),
                   [](const auto& a, const auto& b) { return a.ends_on < b.ends_on; });

  if (teacher.school_id) {
    auto school = store.Get<core::School>(*teacher.school_id);
    if (school.ok()) {
      route.school_name = school->name;
    } else if (school.status().code() != StatusCode::kNotFound) {
      return school.status();
    }
  }

  // The tutor: assigned to the teacher (the latest current assignment), else to the school and
  // one of the teacher's subjects.
  const auto current = [&](const core::Assignment& a) { return !a.ends_on || *a.ends_on >= route.as_of; };
  std::optional<core::Assignment> chosen;
  ASSIGN_OR_RETURN(std::vector<core::Assignment> mine, store.ListBy<core::Assignment>("teacher_id", teacher.id));
  for (const auto& a : mine) {
    if (a.kind == core::AssignmentKind::kTutorTeacher && current(a) && (!chosen || chosen->starts_on <= a.starts_on)) {
      chosen = a;
    }
  }
  if (!chosen && teacher.school_id) {
    ASSIGN_OR_RETURN(std::vector<core::Assignment> at_school,
                     store.ListBy<core::Assignment>("school_id", *teacher.school_id));
    for (const auto& a : at_school) {
      const bool subject =
          std::find(teacher.subjects.begin(), teacher.subjects.end(), a.subject) != teacher.subjects.end();
      if (a.kind == core::AssignmentKind::kTutorSchoolSubject && subject && current(a)) {
        chosen = a;
        break;
      }
    }
  }
  if (chosen) {
    auto tutor = store.Get<core::Person>(chosen->assignee_id);
    if (tutor.ok()) {
      route.tutor_name = tutor->full_name;
    } else if (tutor.status().code() != StatusCode::kNotFound) {
      return tutor.status();
    }
  }
  return route;
}

// -----------------------------------------------------------------------------------------
// [SECTION] A table that flows down the pages
// -----------------------------------------------------------------------------------------

namespace {

struct Column {
  std::string title;
  float width = 0;  // points; the columns' widths add up to the flow's width
};

// One cell: its text and, for a warning, its colour.
struct Cell {
  std::string text;
  Rgb color{};
};

// Draws a table at the flow's position: a header row (repeated at the top of each new page),
// then each row as tall as its longest wrapped cell; a row never splits across pages.
class FlowTable {
 public:
  FlowTable(PdfDocument& doc, PdfFlow& flow, std::vector<Column> columns)
      : doc_(doc), flow_(flow), columns_(std::move(columns)) {}

  void Header() { DrawRow(TitleCells(), Face::kBold, kHeaderFill, true); }

  void Row(const std::vector<Cell>& cells) {
    const size_t pages = doc_.pages().size();
    flow_.NeedSpace(Height(cells, Face::kRegular));
    if (doc_.pages().size() != pages) Header();  // a new page: the column titles again
    DrawRow(cells, Face::kRegular, std::nullopt, false);
  }

 private:
  static constexpr float kPad = 3;
  static constexpr size_t kMaxLines = 40;  // a cell longer than this is cut, so a row fits a page
  float Leading() const { return kCell * 1.25f; }

  std::vector<Cell> TitleCells() const {
    std::vector<Cell> out;
    for (const auto& c : columns_) out.push_back({c.title, {}});
    return out;
  }

  std::vector<std::string> Lines(const Cell& cell, size_t column, Face face) const {
    auto lines = doc_.Wrap(cell.text, face, kCell, columns_[column].width - 2 * kPad);
    if (lines.size() > kMaxLines) {
      lines.resize(kMaxLines);
      lines.back() += " …";
    }
    return lines;
  }

  float Height(const std::vector<Cell>& cells, Face face) const {
    size_t most = 1;
    for (size_t i = 0; i < cells.size() && i < columns_.size(); ++i)
      most = std::max(most, Lines(cells[i], i, face).size());
    return static_cast<float>(most) * Leading() + 2 * kPad;
  }

  void DrawRow(const std::vector<Cell>& cells, Face face, std::optional<Rgb> fill, bool header) {
    const float height = Height(cells, face);
    if (header) flow_.NeedSpace(height + 3 * Leading());  // keep the titles with a row
    HPDF_Page page = doc_.pages().back();
    const float top = flow_.y();
    const float bottom = top - height;
    if (fill) doc_.Rect(page, flow_.left(), bottom, flow_.width(), height, *fill);
    float x = flow_.left();
    for (size_t i = 0; i < columns_.size(); ++i) {
      if (i < cells.size()) {
        const auto lines = Lines(cells[i], i, face);
        for (size_t j = 0; j < lines.size(); ++j) {
          const float baseline = top - kPad - static_cast<float>(j + 1) * Leading() + kCell * 0.3f;
          doc_.Text(page, x + kPad, baseline, lines[j], face, kCell, cells[i].color);
        }
      }
      x += columns_[i].width;
      if (i + 1 < columns_.size()) doc_.Line(page, x, top, x, bottom, 0.4f, kLine);
    }
    doc_.Line(page, flow_.left(), top, flow_.left() + flow_.width(), top, 0.4f, kLine);
    doc_.Line(page, flow_.left(), bottom, flow_.left() + flow_.width(), bottom, 0.4f, kLine);
    doc_.Line(page, flow_.left(), top, flow_.left(), bottom, 0.4f, kLine);
    doc_.Line(page, flow_.left() + flow_.width(), top, flow_.left() + flow_.width(), bottom, 0.4f, kLine);
    flow_.Skip(height);
  }

  PdfDocument& doc_;
  PdfFlow& flow_;
  std::vector<Column> columns_;
};

// Widths as shares of `total`.
std::vector<Column> Columns(std::initializer_list<std::pair<std::string, float>> shares, float total) {
  std::vector<Column> out;
  for (const auto& [title, share] : shares) out.push_back({title, share * total});
  return out;
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] The PDF
// -----------------------------------------------------------------------------------------

Result<std::string> RenderTeacherRoutePdf(const TeacherRoute& route, const PdfFonts& fonts, Language language) {
  const LocalText kTitle{"Индивидуальный образовательный маршрут педагога", "Teacher's individual educational route"};
  const LocalText kTeacher{"Учитель", "Teacher"};
  const LocalText kTutor{"Тьютор", "Tutor"};
  const std::string title = kTitle.In(language);
  const core::Person& teacher = route.teacher;

  PdfDocument doc{language};
  RETURN_IF_ERROR(doc.Open(fonts, title + " — " + teacher.full_name));
  PdfFlow flow(doc);

  flow.Paragraph(title, Face::kBold, 15);
  flow.Paragraph(LocalText{"(ИОМ) по состоянию на ", "(ИОМ) as of "}.In(language) + DateText(route.as_of, language),
                 Face::kRegular, kBody, 0, kGrey);
  flow.Skip(6);
  constexpr float kLabel = 110;
  flow.LabelValue(kTeacher.In(language), teacher.full_name, kLabel, kBody);
  flow.LabelValue(LocalText{"Школа", "School"}.In(language), OrDash(route.school_name), kLabel, kBody);
  flow.LabelValue(LocalText{"Предмет", "Subject"}.In(language), OrDash(JoinSubjects(teacher.subjects)), kLabel, kBody);
  flow.LabelValue(kTutor.In(language),
                  route.tutor_name.empty() ? LocalText{"не назначен", "not assigned"}.In(language) : route.tutor_name,
                  kLabel, kBody);
  flow.Rule();

  // The deficits.
  flow.Heading(LocalText{"Профессиональные дефициты", "Professional deficits"}.In(language), 13);
  if (route.deficits.empty()) {
    flow.Paragraph(LocalText{"Дефициты не записаны.", "No deficit is recorded."}.In(language), Face::kRegular, kBody);
  } else {
    FlowTable table(doc, flow,
                    Columns({{"№", 0.04f},
                             {LocalText{"Дефицит", "Deficit"}.In(language), 0.38f},
                             {LocalText{"Как выявлен", "How found"}.In(language), 0.22f},
                             {LocalText{"Статус", "Status"}.In(language), 0.36f}},
                            flow.width()));
    table.Header();
    int n = 0;
    for (const auto& d : route.deficits) {
      std::string status;
      if (d.closed_on) {
        status = LocalText{"устранён ", "closed on "}.In(language) + DateText(*d.closed_on, language);
        if (!d.closed_by.empty()) status += ": " + d.closed_by;
      } else {
        status = LocalText{"не устранён", "open"}.In(language);
      }
      table.Row({{std::to_string(++n)},
                 {d.area},
                 {std::string(core::EnumLabel(d.found_by, language)) + ", " + DateText(d.found_on, language)},
                 {status}});
    }
  }
  flow.Skip(6);

  // The route's items.
  flow.Heading(LocalText{"Пункты маршрута", "Route items"}.In(language), 13);
  {
    FlowTable table(doc, flow,
                    Columns({{"№", 0.04f},
                             {LocalText{"Форма", "Activity"}.In(language), 0.18f},
                             {LocalText{"Содержание", "What"}.In(language), 0.29f},
                             {LocalText{"Сроки", "Dates"}.In(language), 0.14f},
                             {LocalText{"Статус", "Status"}.In(language), 0.14f},
                             {LocalText{"Результат", "Result"}.In(language), 0.20f}},
                            flow.width()));
    table.Header();
    int n = 0;
    for (const auto& item : route.items) {
      std::string dates = Span(item.starts_on, item.due_on, language);
      if (item.done_on) {
        dates += LocalText{"; выполнено ", "; done on "}.In(language) + DateText(*item.done_on, language);
      }
      Cell status{std::string(core::EnumLabel(item.status, language)), {}};
      if (Overdue(item, route.as_of)) {
        status.text += LocalText{"\nпросрочено", "\noverdue"}.In(language);
        status.color = kOverdue;
      }
      table.Row({{std::to_string(++n)},
                 {std::string(core::EnumLabel(item.activity, language))},
                 {item.title},
                 {dates},
                 status,
                 {OrDash(item.result)}});
    }
  }
  flow.Skip(6);

  // The completed courses.
  flow.Heading(LocalText{"Пройденные курсы повышения квалификации", "Completed courses"}.In(language), 13);
  if (route.trainings.empty()) {
    flow.Paragraph(LocalText{"Сведений о пройденных курсах нет.", "No completed course is recorded."}.In(language),
                   Face::kRegular, kBody);
  } else {
    FlowTable table(doc, flow,
                    Columns({{"№", 0.04f},
                             {LocalText{"Программа", "Programme"}.In(language), 0.32f},
                             {LocalText{"Организация", "Provider"}.In(language), 0.23f},
                             {LocalText{"Часов", "Hours"}.In(language), 0.08f},
                             {LocalText{"Сроки", "Dates"}.In(language), 0.15f},
                             {LocalText{"Удостоверение", "Certificate"}.In(language), 0.18f}},
                            flow.width()));
    table.Header();
    int n = 0;
    for (const auto& t : route.trainings) {
      table.Row({{std::to_string(++n)},
                 {t.title + (t.kind == core::TrainingKind::kRetraining
                                 ? " (" + std::string(core::EnumLabel(t.kind, language)) + ")"
                                 : std::string())},
                 {t.provider},
                 {std::to_string(t.hours)},
                 {Span(t.starts_on, t.ends_on, language)},
                 {OrDash(t.certificate)}});
    }
  }

  // Signatures.
  flow.NeedSpace(70);
  flow.Skip(44);
  const float half = flow.width() / 2;
  const float line_y = flow.y();
  HPDF_Page last = doc.pages().back();
  doc.Line(last, flow.left(), line_y, flow.left() + half - 20, line_y, 0.5f, {});
  doc.Line(last, flow.left() + half + 20, line_y, flow.left() + flow.width(), line_y, 0.5f, {});
  doc.Text(last, flow.left(), line_y - 11,
           doc.Fit(kTeacher.In(language) + " — " + teacher.full_name, Face::kRegular, 8, half - 20), Face::kRegular, 8,
           kGrey);
  doc.Text(last, flow.left() + half + 20, line_y - 11,
           doc.Fit(kTutor.In(language) + (route.tutor_name.empty() ? std::string() : " — " + route.tutor_name),
                   Face::kRegular, 8, half - 20),
           Face::kRegular, 8, kGrey);

  // Footers: whose route, and "page i of n".
  doc.StampPages(teacher.full_name + LocalText{" · ИОМ · ", " · route · "}.In(language) +
                 DateText(route.as_of, language));
  return doc.Save();
}

}  // namespace mentorlog::report
