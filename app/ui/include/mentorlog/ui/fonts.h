// The UI font: DejaVu Sans from assets/fonts (Latin, Cyrillic, and the "—", "№", «» and "…"
// that ImGui's Cyrillic ranges lack), else the system's DejaVu Sans, at the scaled size.
//
// DPI: fonts are rasterised at `pixel_size` = base size × the window's content scale × the
// user's text size, never stretched with FontGlobalScale, so text stays sharp.
#pragma once

#include <filesystem>
#include <string>

#include "mentorlog/base/status.h"

namespace mentorlog::ui {

inline constexpr float kBaseFontPixels = 17.0f;

// The size to rasterise at: kBaseFontPixels × the display's content scale (at least 1) × the
// user's text size (clamped to 0.8-2, the Settings slider's range).
float FontPixels(float content_scale, float text_scale);

// Adds the UI font to the current ImGui context's atlas (clearing it first) and builds it.
// Returns the path used. Errors: NotFound when neither the bundled nor the system font exists.
// REQUIRES: an ImGui context; for a GPU renderer, the caller re-uploads the atlas texture.
Result<std::filesystem::path> LoadFonts(const std::filesystem::path& assets_dir, float pixel_size);

// True when every character of `utf8` has a glyph in the current default font (not the "?"
// fallback). Tests check every translation and the demo's texts with it.
bool FontCovers(const std::string& utf8);

}  // namespace mentorlog::ui
