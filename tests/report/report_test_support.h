// Shared by the report tests: running the tools that read our files back (pdftoppm, pdftotext,
// pdfinfo, LibreOffice), decoding a PNG, and the records a feedback sheet needs.
//
// Thread safety: one test's thread.
#pragma once

#include <gtest/gtest.h>
#include <png.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "mentorlog/domain/demo.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "run_command.h"
#include "test_fixtures.h"

namespace mentorlog::report::testing {

using ToolRun = testing_support::CommandRun;

// Runs a shell command line and collects its output.
inline ToolRun RunTool(const std::string& command) { return testing_support::RunCommand(command); }

inline std::string Quote(const std::filesystem::path& p) {
  std::string out = "'";
  for (char c : p.string()) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline bool HaveTool(const std::string& name) { return RunTool("command -v " + name).exit_code == 0; }

inline std::string ReadAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The PDF's text as pdftotext extracts it (UTF-8).
inline std::string PdfText(const std::filesystem::path& pdf) {
  const ToolRun run = RunTool("pdftotext -enc UTF-8 " + Quote(pdf) + " -");
  EXPECT_EQ(run.exit_code, 0) << run.out;
  return run.out;
}

inline int PdfPages(const std::filesystem::path& pdf) {
  const ToolRun run = RunTool("pdfinfo " + Quote(pdf));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  const auto at = run.out.find("Pages:");
  if (at == std::string::npos) return -1;
  return std::atoi(run.out.c_str() + at + 6);
}

struct PngStats {
  bool decoded = false;
  int width = 0;
  int height = 0;
  int64_t dark_pixels = 0;  // pixels with any channel below 128
};

// Decodes a PNG with libpng's simplified API.
inline PngStats ReadPng(const std::filesystem::path& path) {
  PngStats stats;
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  if (png_image_begin_read_from_file(&image, path.c_str()) == 0) return stats;
  image.format = PNG_FORMAT_RGB;
  std::vector<png_byte> pixels(PNG_IMAGE_SIZE(image));
  if (png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr) == 0) return stats;
  stats.decoded = true;
  stats.width = static_cast<int>(image.width);
  stats.height = static_cast<int>(image.height);
  for (size_t i = 0; i + 2 < pixels.size(); i += 3) {
    if (pixels[i] < 128 || pixels[i + 1] < 128 || pixels[i + 2] < 128) ++stats.dark_pixels;
  }
  return stats;
}

// Renders every page with `pdftoppm -png -r 50` into `dir`/<stem>-<n>.png and returns the
// PNG files in page order.
inline std::vector<std::filesystem::path> RenderPages(const std::filesystem::path& pdf,
                                                      const std::filesystem::path& dir, const std::string& stem) {
  const ToolRun run = RunTool("pdftoppm -png -r 50 " + Quote(pdf) + " " + Quote(dir / stem));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  std::vector<std::filesystem::path> pngs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(stem + "-", 0) == 0 && entry.path().extension() == ".png") pngs.push_back(entry.path());
  }
  std::sort(pngs.begin(), pngs.end());
  return pngs;
}

// Converts every sheet of `xlsx` to CSV with LibreOffice, in its own profile (so parallel
// tests do not share one), and returns the CSV files (UTF-8) by sheet name. LibreOffice names
// them <stem>-<sheet>.csv when it writes every sheet.
inline std::vector<std::filesystem::path> XlsxToCsv(const std::filesystem::path& xlsx,
                                                    const std::filesystem::path& dir) {
  const std::filesystem::path profile = dir / "lo-profile";
  // Filter options: "," and the double quote, UTF-8 (76), from line 1; the 9th token true = cells as
  // shown (a percent format reads "75.0%", a date as a date), the 12th -1 = every sheet to its own file.
  const ToolRun run = RunTool("soffice -env:UserInstallation=file://" + profile.string() +
                              " --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                              "true,false,false,-1' --outdir " +
                              Quote(dir) + " " + Quote(xlsx));
  EXPECT_EQ(run.exit_code, 0) << run.out;
  std::vector<std::filesystem::path> csvs;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".csv") csvs.push_back(entry.path());
  }
  std::sort(csvs.begin(), csvs.end());
  return csvs;
}

// A store in `dir` holding the demo district, its clock fixed at kStartMillis.
struct DemoStore {
  mentorlog::FakeClock clock{core::testing::kStartMillis};
  std::unique_ptr<core::Store> store;
  core::DemoSummary summary;
};
inline std::unique_ptr<DemoStore> MakeDemoStore(const std::filesystem::path& dir) {
  auto demo = std::make_unique<DemoStore>();
  core::StoreOptions options;
  options.path = dir / "demo.sqlite";
  options.clock = &demo->clock;
  demo->store = core::testing::Must(core::Store::Open(options), "open the demo store");
  core::DemoOptions demo_options;
  demo_options.assets_dir = MENTORLOG_ASSETS_DIR;
  demo->summary =
      core::testing::Must(core::CreateDemoDistrict(demo->store->records(), demo_options), "the demo district");
  return demo;
}

}  // namespace mentorlog::report::testing
