#include "mentorlog/ui/fonts.h"

#include <imgui.h>
#include <imgui_internal.h>  // ImTextCharFromUtf8

#include <algorithm>
#include <system_error>

namespace mentorlog::ui {

namespace fs = std::filesystem;

float FontPixels(float content_scale, float text_scale) {
  return kBaseFontPixels * std::max(content_scale, 1.0f) * std::clamp(text_scale, 0.8f, 2.0f);
}

Result<fs::path> LoadFonts(const fs::path& assets_dir, float pixel_size) {
  const fs::path candidates[] = {
      assets_dir / "fonts" / "DejaVuSans.ttf",
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",  // fonts-dejavu-core
  };
  fs::path chosen;
  for (const fs::path& p : candidates) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      chosen = p;
      break;
    }
  }
  if (chosen.empty()) {
    return Status::NotFound("no font with Cyrillic found (looked for " + candidates[0].string() + " and " +
                            candidates[1].string() + "); reinstall MentorLog or install fonts-dejavu-core");
  }
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // The ranges must outlive the atlas build: kept in a static, built once.
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(io.Fonts->GetGlyphRangesCyrillic());  // Basic Latin, Latin-1, Cyrillic
    builder.AddText("—–−№«»…“”„‘’•→←↑↓✓×≤≥");
    builder.BuildRanges(&ranges);
  }
  ImFontConfig config;
  config.OversampleH = 2;
  config.OversampleV = 1;
  ImFont* font = io.Fonts->AddFontFromFileTTF(chosen.c_str(), pixel_size, &config, ranges.Data);
  if (font == nullptr || !io.Fonts->Build()) {
    return Status::Corruption("the font " + chosen.string() + " could not be loaded; reinstall MentorLog");
  }
  io.FontDefault = font;
  return chosen;
}

bool FontCovers(const std::string& utf8) {
  ImFont* font = ImGui::GetIO().FontDefault ? ImGui::GetIO().FontDefault : ImGui::GetFont();
  if (font == nullptr) return false;
  const char* p = utf8.c_str();
  const char* end = p + utf8.size();
  while (p < end) {
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    if (n <= 0) return false;
    p += n;
    if (c == '\n' || c == '\r' || c == '\t') continue;
    if (font->FindGlyphNoFallback(static_cast<ImWchar>(c)) == nullptr) return false;
  }
  return true;
}

}  // namespace mentorlog::ui
