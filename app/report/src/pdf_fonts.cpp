#include <system_error>

#include "mentorlog/report/pdf.h"

namespace mentorlog::report {

Result<PdfFonts> FindPdfFonts(const std::filesystem::path& assets_dir) {
  std::error_code ec;
  const std::filesystem::path system_dir = "/usr/share/fonts/truetype/dejavu";
  const auto regular = system_dir / "DejaVuSans.ttf";
  const auto bold = system_dir / "DejaVuSans-Bold.ttf";
  if (std::filesystem::is_regular_file(regular, ec)) {
    return PdfFonts{regular, std::filesystem::is_regular_file(bold, ec) ? bold : regular};
  }
  const auto bundled = assets_dir / "fonts" / "DejaVuSans.ttf";
  if (std::filesystem::is_regular_file(bundled, ec)) return PdfFonts{bundled, bundled};
  return Status::NotFound(LocalText{"не найден шрифт DejaVu Sans для отчётов PDF; установите пакет fonts-dejavu-core",
                                    "DejaVu Sans, the font of the PDF reports, is not installed; install the package "
                                    "fonts-dejavu-core"});
}

}  // namespace mentorlog::report
