// Private: a PDF document on libharu with the two embedded DejaVu faces, UTF-8 text, word
// wrapping, and a flow that continues on a new page when the page is full.
//
// libharu reports errors through a callback; PdfDocument keeps the first one and status()
// returns it, so drawing code can run on and check once at the end.
//
// Thread safety: one thread at a time.
#pragma once

#include <hpdf.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/report/pdf.h"

namespace mentorlog::report {

enum class Face { kRegular, kBold };

struct Rgb {
  float r = 0, g = 0, b = 0;
};

class PdfDocument {
 public:
  static constexpr float kPageWidth = 595.276f;  // A4 in points
  static constexpr float kPageHeight = 841.89f;
  static constexpr float kMargin = 50;

  explicit PdfDocument(Language language);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  // Creates the document and loads the fonts. Errors: NotFound for a missing font file,
  // Internal for libharu's errors.
  Status Open(const PdfFonts& fonts, std::string_view title);

  HPDF_Page AddPage();
  const std::vector<HPDF_Page>& pages() const { return pages_; }

  float TextWidth(std::string_view text, Face face, float size) const;
  // `text` in lines of at most `width` points: paragraphs at '\n', words at spaces, a word
  // longer than a line cut between characters. An empty text is no line.
  std::vector<std::string> Wrap(std::string_view text, Face face, float size, float width) const;
  // `text` cut to `width` with "…" when it is wider.
  std::string Fit(std::string_view text, Face face, float size, float width) const;

  // Draws one line of text with its baseline at y.
  void Text(HPDF_Page page, float x, float y, std::string_view text, Face face, float size, Rgb color = {});
  void Rect(HPDF_Page page, float x, float y, float w, float h, Rgb fill);
  void Line(HPDF_Page page, float x1, float y1, float x2, float y2, float width, Rgb color);

  // The first error libharu reported, or Ok.
  Status status() const;
  // The document's bytes. Errors: status(), or libharu's error while saving.
  Result<std::string> Save();
  // Heads every page with `head` (left, fitted to the line) and "page i of n" (right), small and
  // grey, above the top margin; call once all pages are made.
  void StampPages(std::string_view head);

  Language language() const { return language_; }

 private:
  static void OnError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data);
  HPDF_Font FontOf(Face face) const { return face == Face::kBold ? bold_ : regular_; }

  Language language_;
  HPDF_Doc doc_ = nullptr;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  std::vector<HPDF_Page> pages_;
  HPDF_STATUS error_ = 0;
  HPDF_STATUS detail_ = 0;
};

// Text that flows down the pages: each call starts below the previous one, and a new page
// starts when the next line does not fit. `on_new_page` draws a page's running head.
class PdfFlow {
 public:
  explicit PdfFlow(PdfDocument& doc, std::function<void(HPDF_Page)> on_new_page = {});

  float left() const { return PdfDocument::kMargin; }
  float width() const { return PdfDocument::kPageWidth - 2 * PdfDocument::kMargin; }
  float y() const { return y_; }

  // Starts a new page when less than `height` points are left on this one.
  void NeedSpace(float height);
  void Skip(float points) { y_ -= points; }

  // A wrapped paragraph at `indent` from the left margin; may continue on the next pages.
  void Paragraph(std::string_view text, Face face, float size, float indent = 0, Rgb color = {});
  // A bold label on the left and its wrapped value beside it.
  void LabelValue(std::string_view label, std::string_view value, float label_width, float size);
  // A heading kept together with at least `keep_with` points of what follows.
  void Heading(std::string_view text, float size, float keep_with = 40);
  void Rule();

 private:
  void NewPage();
  float Leading(float size) const { return size * 1.3f; }

  PdfDocument& doc_;
  std::function<void(HPDF_Page)> on_new_page_;
  HPDF_Page page_ = nullptr;
  float y_ = 0;
};

}  // namespace mentorlog::report
