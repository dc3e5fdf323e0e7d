#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lookup.h"
#include "mentorlog/report/school_progress.h"
#include "pdf_doc.h"

namespace mentorlog::report {

namespace {

constexpr Rgb kInk{0.1f, 0.1f, 0.1f};
constexpr Rgb kGrey{0.42f, 0.42f, 0.42f};
constexpr Rgb kLight{0.85f, 0.85f, 0.85f};
constexpr Rgb kAccent{0.12f, 0.23f, 0.43f};
constexpr Rgb kBox{0.95f, 0.96f, 0.98f};
constexpr Rgb kVisits{0.16f, 0.38f, 0.66f};
constexpr Rgb kObservations{0.36f, 0.65f, 0.36f};
constexpr Rgb kConsultations{0.93f, 0.62f, 0.18f};
constexpr Rgb kRisk{0.75f, 0.18f, 0.15f};

std::string PercentText(double share) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
  return buf;
}

std::string Fixed(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string MonthLabel(int month, Language language) {
  static constexpr const char* kRu[] = {"янв", "фев", "мар", "апр", "май", "июн",
                                        "июл", "авг", "сен", "окт", "ноя", "дек"};
  static constexpr const char* kEn[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const int i = std::clamp(month, 1, 12) - 1;
  return language == Language::kRussian ? kRu[i] : kEn[i];
}

// The page, drawn top to bottom; `y` is the top of what comes next.
class ProgressPage {
 public:
  ProgressPage(PdfDocument& doc, Language language)
      : doc_(doc), language_(language), page_(doc.AddPage()), y_(PdfDocument::kPageHeight - kMargin) {}

  static constexpr float kMargin = 40;
  float left() const { return kMargin; }
  float width() const { return PdfDocument::kPageWidth - 2 * kMargin; }

  void Header(const core::SchoolProgress& p, core::Date as_of) {
    const auto title =
        doc_.Wrap(p.name.empty() ? LocalText{"Школа", "School"}.In(language_) : p.name, Face::kBold, 16, width());
    for (size_t i = 0; i < title.size() && i < 2; ++i) {
      y_ -= 19;
      doc_.Text(page_, left(), y_,
                i == 1 && title.size() > 2 ? doc_.Fit(title[1] + " …", Face::kBold, 16, width()) : title[i],
                Face::kBold, 16, kAccent);
    }
    std::string sub = LocalText{"Отчёт о динамике школы", "School progress report"}.In(language_);
    if (!p.district.empty()) sub += " · " + p.district;
    if (p.low_results) {
      sub += LocalText{" · ШНОР", " · low-results school"}.In(language_);
    } else if (p.supported) {
      sub += LocalText{" · школа, получающая поддержку", " · supported school"}.In(language_);
    }
    sub += LocalText{" · на ", " · as of "}.In(language_) + DateText(as_of, language_);
    y_ -= 15;
    doc_.Text(page_, left(), y_, doc_.Fit(sub, Face::kRegular, 10, width()), Face::kRegular, 10, kGrey);
    y_ -= 8;
    doc_.Line(page_, left(), y_, left() + width(), y_, 0.8f, kAccent);
    y_ -= 10;
  }

  // Six figure boxes in two rows of three.
  void Figures(const core::SchoolProgress& p) {
    struct Figure {
      std::string value;
      std::string label;
      std::string note;
    };
    const auto& r = p.recommendations;
    std::vector<Figure> figures;
    figures.push_back({p.days_since_contact ? std::to_string(*p.days_since_contact) : "—",
                       LocalText{"дней с последнего контакта", "days since the last contact"}.In(language_),
                       p.last_contact
                           ? LocalText{"последний: ", "last: "}.In(language_) + DateText(*p.last_contact, language_)
                           : LocalText{"контактов не было", "no contact recorded"}.In(language_)});
    figures.push_back({p.share_teachers_observed ? PercentText(*p.share_teachers_observed) : "—",
                       LocalText{"учителей посещено в этом году", "of teachers observed this year"}.In(language_),
                       std::to_string(p.teachers_observed_this_year) + LocalText{" из ", " of "}.In(language_) +
                           std::to_string(p.teachers)});
    figures.push_back({std::to_string(r.open), LocalText{"открытых рекомендаций", "open recommendations"}.In(language_),
                       LocalText{"просрочено: ", "overdue: "}.In(language_) + std::to_string(r.overdue)});
    figures.push_back({r.completion_rate ? PercentText(*r.completion_rate) : "—",
                       LocalText{"рекомендаций выполнено", "recommendations completed"}.In(language_),
                       LocalText{"выполнено: ", "done: "}.In(language_) + std::to_string(r.done) +
                           LocalText{", снято: ", ", dropped: "}.In(language_) + std::to_string(r.dropped)});
    figures.push_back({r.median_days_to_close ? Fixed(*r.median_days_to_close, 0) : "—",
                       LocalText{"медиана дней до выполнения", "median days to close"}.In(language_),
                       LocalText{"по выполненным рекомендациям", "over done recommendations"}.In(language_)});
    figures.push_back(
        {p.wellbeing ? Fixed(*p.wellbeing, 2) : "—",
         LocalText{"индекс социального благополучия", "social well-being index"}.In(language_),
         LocalText{"0..1, 1 — самые благоприятные условия", "0..1, 1 the most favourable"}.In(language_)});
    const float gap = 8, box_w = (width() - 2 * gap) / 3, box_h = 60;
    for (size_t i = 0; i < figures.size(); ++i) {
      const float x = left() + static_cast<float>(i % 3) * (box_w + gap);
      const float top = y_ - static_cast<float>(i / 3) * (box_h + gap);
      doc_.Rect(page_, x, top - box_h, box_w, box_h, kBox);
      doc_.Text(page_, x + 8, top - 22, doc_.Fit(figures[i].value, Face::kBold, 18, box_w - 16), Face::kBold, 18,
                kAccent);
      // The label on up to two lines, the note at the bottom.
      const auto label = doc_.Wrap(figures[i].label, Face::kRegular, 8, box_w - 16);
      for (size_t l = 0; l < label.size() && l < 2; ++l) {
        const std::string text =
            l == 1 && label.size() > 2 ? doc_.Fit(label[1] + " " + label[2], Face::kRegular, 8, box_w - 16) : label[l];
        doc_.Text(page_, x + 8, top - 34 - 9 * static_cast<float>(l), text, Face::kRegular, 8, kInk);
      }
      doc_.Text(page_, x + 8, top - box_h + 6, doc_.Fit(figures[i].note, Face::kRegular, 7, box_w - 16), Face::kRegular,
                7, kGrey);
    }
    y_ -= 2 * box_h + gap + 14;
  }

  void Heading(std::string_view text) {
    y_ -= 12;
    doc_.Text(page_, left(), y_, text, Face::kBold, 11, kAccent);
    y_ -= 6;
  }

  // Stacked bars per month: visits, observations, consultations.
  void ContactsChart(const std::vector<core::MonthContacts>& months) {
    Heading(LocalText{"Контакты по месяцам", "Contacts by month"}.In(language_));
    const float chart_h = 110, axis_x = left() + 22, chart_w = width() - 22;
    const float base = y_ - chart_h - 4;
    int max_total = 0;
    for (const auto& m : months) max_total = std::max(max_total, m.total());
    const int scale = std::max(max_total, 1);
    // Grid: zero, half and the maximum.
    for (int step = 0; step <= 2; ++step) {
      const float gy = base + chart_h * static_cast<float>(step) / 2;
      doc_.Line(page_, axis_x, gy, axis_x + chart_w, gy, step == 0 ? 0.8f : 0.3f, step == 0 ? kGrey : kLight);
      const int value = static_cast<int>(std::lround(scale * step / 2.0));
      if (step == 0 || max_total > 0) {
        const std::string label = std::to_string(value);
        doc_.Text(page_, axis_x - 4 - doc_.TextWidth(label, Face::kRegular, 7), gy - 2.5f, label, Face::kRegular, 7,
                  kGrey);
      }
    }
    const size_t n = std::max<size_t>(months.size(), 1);
    const float slot = chart_w / static_cast<float>(n);
    const float bar_w = std::min(slot * 0.6f, 26.f);
    for (size_t i = 0; i < months.size(); ++i) {
      const auto& m = months[i];
      const float x = axis_x + slot * static_cast<float>(i) + (slot - bar_w) / 2;
      float y = base;
      for (const auto& [count, color] : {std::pair{m.visits, kVisits}, std::pair{m.observations, kObservations},
                                         std::pair{m.consultations, kConsultations}}) {
        const float h = chart_h * static_cast<float>(count) / static_cast<float>(scale);
        doc_.Rect(page_, x, y, bar_w, h, color);
        y += h;
      }
      if (m.total() > 0) {
        const std::string total = std::to_string(m.total());
        doc_.Text(page_, x + (bar_w - doc_.TextWidth(total, Face::kRegular, 7)) / 2, y + 2, total, Face::kRegular, 7,
                  kInk);
      }
      std::string label = MonthLabel(m.month, language_);
      if (m.month == 1 || i == 0) label += " " + std::to_string(m.year % 100);
      doc_.Text(page_, x + (bar_w - doc_.TextWidth(label, Face::kRegular, 7)) / 2, base - 10, label, Face::kRegular, 7,
                kGrey);
    }
    if (months.empty()) {
      doc_.Text(page_, axis_x + 10, base + chart_h / 2,
                LocalText{"Контактов не было.", "No contacts recorded."}.In(language_), Face::kRegular, 9, kGrey);
    }
    // Legend.
    float lx = axis_x;
    const float ly = base - 24;
    for (const auto& [label, color] :
         {std::pair{LocalText{"выезды", "visits"}.In(language_), kVisits},
          std::pair{LocalText{"посещения уроков", "lesson observations"}.In(language_), kObservations},
          std::pair{LocalText{"консультации", "consultations"}.In(language_), kConsultations}}) {
      doc_.Rect(page_, lx, ly, 8, 8, color);
      doc_.Text(page_, lx + 11, ly + 1, label, Face::kRegular, 8, kInk);
      lx += 11 + doc_.TextWidth(label, Face::kRegular, 8) + 18;
    }
    y_ = ly - 8;
  }

  // Left: the ИОР by year; right: the milestones.
  void IndexAndMilestones(const core::SchoolProgress& p) {
    const float col_w = (width() - 20) / 2;
    Heading(LocalText{"ИОР по годам", "Results index (ИОР) by year"}.In(language_));
    const float rx = left() + col_w + 20;
    doc_.Text(page_, rx, y_ + 6, LocalText{"Ключевые этапы", "Milestones"}.In(language_), Face::kBold, 11, kAccent);
    float ly = y_, ry = y_;
    // ИОР: the latest five years.
    const auto& points = p.result_index;
    if (points.empty()) {
      ly -= 12;
      doc_.Text(page_, left(), ly,
                LocalText{"Нет результатов оценочных процедур.", "No assessment results."}.In(language_),
                Face::kRegular, 9, kGrey);
    } else {
      ly -= 12;
      doc_.Text(page_, left(), ly, LocalText{"Год", "Year"}.In(language_), Face::kBold, 8.5f, kGrey);
      doc_.Text(page_, left() + 50, ly, LocalText{"ИОР", "ИОР"}.In(language_), Face::kBold, 8.5f, kGrey);
      doc_.Text(page_, left() + 100, ly, LocalText{"Квартиль", "Quartile"}.In(language_), Face::kBold, 8.5f, kGrey);
      const size_t first = points.size() > 5 ? points.size() - 5 : 0;
      for (size_t i = first; i < points.size(); ++i) {
        ly -= 12;
        const auto& pt = points[i];
        doc_.Text(page_, left(), ly, std::to_string(pt.year), Face::kRegular, 9, kInk);
        doc_.Rect(page_, left() + 50, ly - 1, 40 * static_cast<float>(std::clamp(pt.value, 0.0, 1.0)), 7, kLight);
        doc_.Text(page_, left() + 50, ly, Fixed(pt.value, 2), Face::kRegular, 9, kInk);
        doc_.Text(page_, left() + 100, ly,
                  doc_.Fit(std::string(core::QuartileLabel(pt.quartile, language_)), Face::kRegular, 9, col_w - 100),
                  Face::kRegular, 9, pt.quartile == core::Quartile::kLow ? kRisk : kInk);
      }
    }
    // Milestones.
    const auto& m = p.milestones;
    // A milestone: its name in grey, its state below.
    auto milestone = [&](const std::string& label, const std::string& value) {
      ry -= 11;
      doc_.Text(page_, rx, ry, doc_.Fit(label, Face::kRegular, 8, col_w), Face::kRegular, 8, kGrey);
      ry -= 11;
      doc_.Text(page_, rx, ry, doc_.Fit(value, Face::kRegular, 9, col_w), Face::kRegular, 9, kInk);
      ry -= 2;
    };
    std::string programme(core::EnumLabel(m.transition_programme, language_));
    if (m.transition_programme_adopted_on) {
      programme +=
          LocalText{", принята ", ", adopted "}.In(language_) + DateText(*m.transition_programme_adopted_on, language_);
    }
    milestone(LocalText{"Программа перехода", "Transition programme"}.In(language_), programme);
    std::string agreement = LocalText{"нет", "none"}.In(language_);
    if (m.network_agreement_id) {
      agreement = m.network_agreement_number.empty() ? LocalText{"заключён", "signed"}.In(language_)
                                                     : "№ " + m.network_agreement_number;
      if (m.network_agreement_signed_on)
        agreement += LocalText{" от ", " of "}.In(language_) + DateText(*m.network_agreement_signed_on, language_);
    }
    milestone(LocalText{"Договор о сетевом взаимодействии", "Network agreement"}.In(language_), agreement);
    milestone(LocalText{"Управленческая команда обучена", "Management team trained"}.In(language_),
              m.management_team_trained ? LocalText{"да", "yes"}.In(language_) : LocalText{"нет", "no"}.In(language_));
    y_ = std::min(ly, ry) - 6;
  }

  // The risk flags, as many as fit above the footer.
  void Risks(const std::vector<core::RiskFlag>& risks) {
    Heading(LocalText{"Факторы риска", "Risk flags"}.In(language_));
    const float bottom = kMargin + 24;
    if (risks.empty()) {
      y_ -= 12;
      doc_.Text(page_, left(), y_, LocalText{"Факторов риска не выявлено.", "No risk flag."}.In(language_),
                Face::kRegular, 9, kGrey);
      return;
    }
    const float line = 12;
    const size_t room = y_ - bottom > line ? static_cast<size_t>((y_ - bottom) / line) : 0;
    const size_t shown = risks.size() <= room ? risks.size() : (room > 0 ? room - 1 : 0);
    for (size_t i = 0; i < shown; ++i) {
      y_ -= line;
      doc_.Rect(page_, left(), y_ + 1, 5, 5, kRisk);
      const std::string title = risks[i].title.In(language_).empty() ? risks[i].code : risks[i].title.In(language_);
      const std::string text = risks[i].evidence.empty() ? title : title + " — " + risks[i].evidence;
      doc_.Text(page_, left() + 10, y_, doc_.Fit(text, Face::kRegular, 9, width() - 10), Face::kRegular, 9, kInk);
    }
    if (shown < risks.size()) {
      y_ -= line;
      doc_.Text(page_, left() + 10, y_,
                LocalText{"… и ещё " + std::to_string(risks.size() - shown),
                          "… and " + std::to_string(risks.size() - shown) + " more"}
                    .In(language_),
                Face::kRegular, 9, kGrey);
    }
  }

  void Footer(core::Date as_of) {
    const std::string text =
        LocalText{"MentorLog · отчёт о динамике школы · ", "MentorLog · school progress report · "}.In(language_) +
        DateText(as_of, language_);
    doc_.Text(page_, left(), kMargin - 16, text, Face::kRegular, 7.5f, kGrey);
  }

 private:
  PdfDocument& doc_;
  Language language_;
  HPDF_Page page_;
  float y_;
};

}  // namespace

Result<std::string> RenderSchoolProgressPdf(const core::SchoolProgress& progress, core::Date as_of,
                                            const PdfFonts& fonts, Language language) {
  PdfDocument doc{language};
  RETURN_IF_ERROR(doc.Open(
      fonts, LocalText{"Отчёт о динамике школы — ", "School progress report — "}.In(language) + progress.name));
  ProgressPage page(doc, language);
  page.Header(progress, as_of);
  page.Figures(progress);
  page.ContactsChart(progress.contacts_by_month);
  page.IndexAndMilestones(progress);
  page.Risks(progress.risks);
  page.Footer(as_of);
  return doc.Save();
}

}  // namespace mentorlog::report
