// What every PDF report needs: the fonts it embeds.
//
// PDF reports embed DejaVu Sans (regular and bold) as Unicode fonts, so Cyrillic, «», "—" and
// "№" show on any viewer and copy out as text.
//
// Thread safety: pure functions.
#pragma once

#include <filesystem>
#include <string_view>

#include "mentorlog/base/status.h"

namespace mentorlog::report {

struct PdfFonts {
  std::filesystem::path regular;  // a TrueType file
  std::filesystem::path bold;     // may be the regular one when no bold face is installed
};

// DejaVu Sans from the system (/usr/share/fonts/truetype/dejavu, Debian's fonts-dejavu-core),
// else the regular face bundled in `assets_dir`/fonts for both. Errors: NotFound saying which
// package to install.
Result<PdfFonts> FindPdfFonts(const std::filesystem::path& assets_dir);

}  // namespace mentorlog::report
