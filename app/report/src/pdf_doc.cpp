#include "pdf_doc.h"

#include <cstdio>
#include <system_error>

#include "mentorlog/domain/text.h"

namespace mentorlog::report {

namespace {

// Glyphs measured once per face before anything is drawn. libharu 2.3.0 embeds only the
// glyphs a document measures or draws, and misses the parts of composite glyphs: "Ё" is drawn
// from "Е" and a diaeresis, and comes out as a bare diaeresis unless the base letters are in.
constexpr std::string_view kGlyphPrimer =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    "ІіЇїЄєЎўҐґ¨˘´`^~¸˛.,:;!?-–—«»„“”‘’\"'()[]/%№§°±×…•";

// One UTF-8 code point's length from its first byte (1 for a stray continuation byte).
size_t CodePointLength(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

// Text libharu can draw on one line: tabs as spaces, other control characters dropped, and
// what a record may not hold (bytes that are not UTF-8, a NUL: core/text.h) as '?'.
std::string Printable(std::string_view text) {
  const std::string record_text = core::ToRecordText(text, "?");
  std::string out;
  out.reserve(record_text.size());
  for (char ch : record_text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\t') {
      out += ' ';
    } else if (c < 0x20 || c == 0x7F) {
      continue;
    } else {
      out += ch;
    }
  }
  return out;
}

}  // namespace

PdfDocument::PdfDocument(Language language) : language_(language) {}

PdfDocument::~PdfDocument() {
  if (doc_ != nullptr) HPDF_Free(doc_);
}

void PdfDocument::OnError(HPDF_STATUS error_no, HPDF_STATUS detail_no, void* user_data) {
  auto* self = static_cast<PdfDocument*>(user_data);
  if (self->error_ == 0) {
    self->error_ = error_no;
    self->detail_ = detail_no;
  }
}

Status PdfDocument::status() const {
  if (error_ == 0) return Status::Ok();
  char code[48];
  std::snprintf(code, sizeof code, "0x%04X/%u", static_cast<unsigned>(error_), static_cast<unsigned>(detail_));
  return Status::Internal(LocalText{std::string("не удалось создать PDF (ошибка libharu ") + code + ")",
                                    std::string("the PDF could not be made (libharu error ") + code + ")"});
}

Status PdfDocument::Open(const PdfFonts& fonts, std::string_view title) {
  for (const auto& path : {fonts.regular, fonts.bold}) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) {
      return Status::NotFound(LocalText{"нет файла шрифта «" + path.string() + "»; установите пакет fonts-dejavu-core",
                                        "the font file «" + path.string() + "» is missing; install fonts-dejavu-core"});
    }
  }
  doc_ = HPDF_New(&PdfDocument::OnError, this);
  if (doc_ == nullptr) return Status::Internal("libharu: HPDF_New failed (out of memory)");
  HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
  HPDF_UseUTFEncodings(doc_);
  HPDF_SetCurrentEncoder(doc_, "UTF-8");
  const char* regular_name = HPDF_LoadTTFontFromFile(doc_, fonts.regular.c_str(), HPDF_TRUE);
  const char* bold_name =
      fonts.bold == fonts.regular ? regular_name : HPDF_LoadTTFontFromFile(doc_, fonts.bold.c_str(), HPDF_TRUE);
  if (regular_name == nullptr || bold_name == nullptr) return status();
  regular_ = HPDF_GetFont(doc_, regular_name, "UTF-8");
  bold_ = HPDF_GetFont(doc_, bold_name, "UTF-8");
  if (regular_ == nullptr || bold_ == nullptr) return status();
  (void)TextWidth(kGlyphPrimer, Face::kRegular, 10);
  (void)TextWidth(kGlyphPrimer, Face::kBold, 10);
  const std::string t = Printable(title);
  HPDF_SetInfoAttr(doc_, HPDF_INFO_TITLE, t.c_str());
  HPDF_SetInfoAttr(doc_, HPDF_INFO_CREATOR, "MentorLog");
  return status();
}

HPDF_Page PdfDocument::AddPage() {
  HPDF_Page page = HPDF_AddPage(doc_);
  if (page == nullptr) return nullptr;
  HPDF_Page_SetWidth(page, kPageWidth);
  HPDF_Page_SetHeight(page, kPageHeight);
  pages_.push_back(page);
  return page;
}

float PdfDocument::TextWidth(std::string_view text, Face face, float size) const {
  const std::string t = Printable(text);
  if (t.empty()) return 0;
  const HPDF_TextWidth w =
      HPDF_Font_TextWidth(FontOf(face), reinterpret_cast<const HPDF_BYTE*>(t.data()), static_cast<HPDF_UINT>(t.size()));
  return static_cast<float>(w.width) * size / 1000.0f;
}

std::vector<std::string> PdfDocument::Wrap(std::string_view text, Face face, float size, float width) const {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view paragraph = text.substr(start, end - start);
    if (!paragraph.empty() && paragraph.back() == '\r') paragraph.remove_suffix(1);
    // Greedy: words at spaces; a word wider than a line is cut between code points.
    std::string line;
    size_t i = 0;
    bool any = false;
    while (i < paragraph.size()) {
      while (i < paragraph.size() && paragraph[i] == ' ') ++i;
      if (i >= paragraph.size()) break;
      size_t j = paragraph.find(' ', i);
      if (j == std::string_view::npos) j = paragraph.size();
      std::string word(paragraph.substr(i, j - i));
      i = j;
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (TextWidth(candidate, face, size) <= width) {
        line = candidate;
        continue;
      }
      if (!line.empty()) {
        lines.push_back(line);
        any = true;
        line.clear();
      }
      while (TextWidth(word, face, size) > width) {
        size_t cut = 0, fits = 0;
        while (cut < word.size()) {
          const size_t next = cut + CodePointLength(static_cast<unsigned char>(word[cut]));
          if (TextWidth(word.substr(0, next), face, size) > width) break;
          cut = next;
          fits = cut;
        }
        if (fits == 0) fits = CodePointLength(static_cast<unsigned char>(word[0]));
        lines.push_back(word.substr(0, fits));
        any = true;
        word.erase(0, fits);
      }
      line = word;
    }
    if (!line.empty() || (!any && !paragraph.empty())) lines.push_back(line);
    if (line.empty() && paragraph.empty() && end < text.size()) lines.emplace_back();  // a blank line kept
    start = end + 1;
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

std::string PdfDocument::Fit(std::string_view text, Face face, float size, float width) const {
  std::string t = Printable(text);
  if (TextWidth(t, face, size) <= width) return t;
  while (!t.empty()) {
    size_t cut = t.size() - 1;
    while (cut > 0 && (static_cast<unsigned char>(t[cut]) & 0xC0) == 0x80) --cut;
    t.erase(cut);
    if (TextWidth(t + "…", face, size) <= width) return t + "…";
  }
  return t;
}

void PdfDocument::Text(HPDF_Page page, float x, float y, std::string_view text, Face face, float size, Rgb color) {
  const std::string t = Printable(text);
  if (t.empty() || page == nullptr) return;
  HPDF_Page_BeginText(page);
  HPDF_Page_SetFontAndSize(page, FontOf(face), size);
  HPDF_Page_SetRGBFill(page, color.r, color.g, color.b);
  HPDF_Page_TextOut(page, x, y, t.c_str());
  HPDF_Page_EndText(page);
}

void PdfDocument::Rect(HPDF_Page page, float x, float y, float w, float h, Rgb fill) {
  if (page == nullptr || w <= 0 || h <= 0) return;
  HPDF_Page_SetRGBFill(page, fill.r, fill.g, fill.b);
  HPDF_Page_Rectangle(page, x, y, w, h);
  HPDF_Page_Fill(page);
}

void PdfDocument::Line(HPDF_Page page, float x1, float y1, float x2, float y2, float width, Rgb color) {
  if (page == nullptr) return;
  HPDF_Page_SetLineWidth(page, width);
  HPDF_Page_SetRGBStroke(page, color.r, color.g, color.b);
  HPDF_Page_MoveTo(page, x1, y1);
  HPDF_Page_LineTo(page, x2, y2);
  HPDF_Page_Stroke(page);
}

void PdfDocument::StampPages(std::string_view head_text) {
  constexpr Rgb kGrey{0.4f, 0.4f, 0.4f};
  const std::string head = Fit(head_text, Face::kRegular, 8, 380);
  for (size_t i = 0; i < pages_.size(); ++i) {
    const std::string page_no = (LocalText{"стр. ", "page "} + std::to_string(i + 1) + LocalText{" из ", " of "} +
                                 std::to_string(pages_.size()))
                                    .In(language_);
    const float y = kMargin - 18;
    Text(pages_[i], kMargin, y, head, Face::kRegular, 8, kGrey);
    Text(pages_[i], kPageWidth - kMargin - TextWidth(page_no, Face::kRegular, 8), y, page_no, Face::kRegular, 8, kGrey);
  }
}

Result<std::string> PdfDocument::Save() {
  RETURN_IF_ERROR(status());
  if (HPDF_SaveToStream(doc_) != HPDF_OK) return status();
  std::string bytes;
  bytes.resize(HPDF_GetStreamSize(doc_));
  HPDF_UINT32 done = 0;
  while (done < bytes.size()) {
    HPDF_UINT32 n = static_cast<HPDF_UINT32>(bytes.size() - done);
    const HPDF_STATUS rc = HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(bytes.data()) + done, &n);
    done += n;
    if (rc == HPDF_STREAM_EOF) break;
    if (rc != HPDF_OK) return status();
    if (n == 0) break;
  }
  bytes.resize(done);
  if (error_ == HPDF_STREAM_EOF) {  // libharu reports the end of the stream as an error
    error_ = 0;
    HPDF_ResetError(doc_);
  }
  RETURN_IF_ERROR(status());
  return bytes;
}

// -----------------------------------------------------------------------------------------

PdfFlow::PdfFlow(PdfDocument& doc, std::function<void(HPDF_Page)> on_new_page)
    : doc_(doc), on_new_page_(std::move(on_new_page)) {
  NewPage();
}

void PdfFlow::NewPage() {
  page_ = doc_.AddPage();
  y_ = PdfDocument::kPageHeight - PdfDocument::kMargin;
  if (on_new_page_) on_new_page_(page_);
}

void PdfFlow::NeedSpace(float height) {
  if (y_ - height < PdfDocument::kMargin + 20) NewPage();  // 20: the footer's band
}

void PdfFlow::Paragraph(std::string_view text, Face face, float size, float indent, Rgb color) {
  for (const auto& line : doc_.Wrap(text, face, size, width() - indent)) {
    NeedSpace(Leading(size));
    y_ -= Leading(size);
    doc_.Text(page_, left() + indent, y_ + size * 0.3f, line, face, size, color);
  }
}

void PdfFlow::LabelValue(std::string_view label, std::string_view value, float label_width, float size) {
  const auto label_lines = doc_.Wrap(label, Face::kBold, size, label_width - 6);
  auto value_lines = doc_.Wrap(value, Face::kRegular, size, width() - label_width);
  if (value_lines.empty()) value_lines.emplace_back("—");
  const size_t n = std::max(label_lines.size(), value_lines.size());
  NeedSpace(Leading(size) * static_cast<float>(std::min<size_t>(n, 3)));
  for (size_t i = 0; i < n; ++i) {
    NeedSpace(Leading(size));
    y_ -= Leading(size);
    if (i < label_lines.size()) doc_.Text(page_, left(), y_ + size * 0.3f, label_lines[i], Face::kBold, size);
    if (i < value_lines.size())
      doc_.Text(page_, left() + label_width, y_ + size * 0.3f, value_lines[i], Face::kRegular, size);
  }
}

void PdfFlow::Heading(std::string_view text, float size, float keep_with) {
  NeedSpace(Leading(size) * 2 + keep_with);
  y_ -= size * 0.6f;
  Paragraph(text, Face::kBold, size, 0, {0.12f, 0.23f, 0.43f});
  y_ -= 2;
}

void PdfFlow::Rule() {
  NeedSpace(8);
  y_ -= 4;
  doc_.Line(page_, left(), y_, left() + width(), y_, 0.5f, {0.7f, 0.7f, 0.7f});
  y_ -= 4;
}

}  // namespace mentorlog::report
