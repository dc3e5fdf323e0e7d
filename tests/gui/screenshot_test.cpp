// Screenshot tests: the real program under Xvfb (a real window, OpenGL 3.3 on llvmpipe), on the
// demo district, each main screen at 1280×800 and 390×844, in Russian and in English. The PNGs
// stay under the build tree (screenshots/) for docs/screens.md. Each is checked to be a picture
// (not blank), to have drawn its text with real glyphs (the program's report lists texts the
// font cannot draw: none may be left), and to have ink where the navigation's text is.
#include <gtest/gtest.h>
#include <stb_image.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

int RunCommand(const std::string& command, std::string* output) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) output->append(buf, n);
  const int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Shot {
  std::string screen;
  int width;
  int height;
  std::string lang;
  std::string Name() const { return screen + "-" + std::to_string(width) + "x" + std::to_string(height) + "-" + lang; }
};

class ScreenshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    data_ = fs::path(MENTORLOG_SCREENSHOT_DIR) / "data";
    fs::remove_all(data_);
    fs::create_directories(data_);
    std::string out;
    const int rc =
        RunCommand(std::string(MENTORLOG_CLI_PATH) + " --lang en --data '" + data_.string() + "' demo", &out);
    ASSERT_EQ(rc, 0) << out;
  }

  static fs::path data_;
};

fs::path ScreenshotTest::data_;

TEST_F(ScreenshotTest, EveryMainScreenInBothLanguagesAndBothSizes) {
  const std::vector<std::string> screens = {"first-run",
                                            "today",
                                            "school",
                                            "school-dashboard",
                                            "teacher",
                                            "plan",
                                            "district",
                                            "programme",
                                            "visit",
                                            "observation",
                                            "consultation",
                                            "recommendations",
                                            "sync",
                                            "settings",
                                            "form-network_agreement",
                                            "form-network_event",
                                            "form-roadmap_item",
                                            "form-deficit",
                                            "form-route_item",
                                            "form-training",
                                            "form-plan_item",
                                            "form-assignment",
                                            "form-monitoring_round",
                                            "form-status_change"};
  const std::vector<std::pair<int, int>> sizes = {{1280, 800}, {390, 844}};
  for (const std::string& lang : {std::string("ru"), std::string("en")}) {
    for (const auto& [w, h] : sizes) {
      for (const std::string& screen : screens) {
        const Shot shot{screen, w, h, lang};
        SCOPED_TRACE(shot.Name());
        const fs::path png = fs::path(MENTORLOG_SCREENSHOT_DIR) / (shot.Name() + ".png");
        const fs::path report = fs::path(MENTORLOG_SCREENSHOT_DIR) / (shot.Name() + ".txt");
        fs::remove(png);
        std::ostringstream cmd;
        cmd << "xvfb-run -a -s '-screen 0 1400x1000x24' " << MENTORLOG_APP_PATH << " --data '" << data_.string()
            << "' --lang " << lang << " --size " << w << "x" << h << " --screen " << screen << " --frames 12"
            << " --screenshot '" << png.string() << "' --report '" << report.string() << "'";
        std::string out;
        ASSERT_EQ(RunCommand(cmd.str(), &out), 0) << cmd.str() << "\n" << out;

        int pw = 0;
        int ph = 0;
        int channels = 0;
        unsigned char* pixels = stbi_load(png.c_str(), &pw, &ph, &channels, 3);
        ASSERT_NE(pixels, nullptr) << png;
        EXPECT_EQ(pw, w);
        EXPECT_EQ(ph, h);
        // Not blank: many colours, and the background is not everything.
        std::map<uint32_t, int64_t> colours;
        for (int i = 0; i < pw * ph; ++i) {
          const unsigned char* p = pixels + 3 * i;
          ++colours[(uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2]];
        }
        int64_t most = 0;
        for (const auto& [c, n] : colours) most = std::max(most, n);
        EXPECT_GT(colours.size(), 20u);
        EXPECT_LT(static_cast<double>(most) / (pw * ph), 0.995);  // a blank frame is one colour

        // The report: no text with a character the font lacks; where the navigation is.
        std::ifstream in(report);
        ASSERT_TRUE(in) << report;
        std::string line;
        int64_t missing = -1;
        int64_t texts = 0;
        std::map<std::string, std::array<float, 4>> probes;
        std::string missing_lines;
        while (std::getline(in, line)) {
          std::istringstream ls(line);
          std::string word;
          ls >> word;
          if (word == "missing_glyphs") ls >> missing;
          if (word == "texts") ls >> texts;
          if (word == "missing") missing_lines += line + "\n";
          if (word == "probe") {
            std::string id;
            std::array<float, 4> r{};
            ls >> id >> r[0] >> r[1] >> r[2] >> r[3];
            probes[id] = r;
          }
        }
        EXPECT_EQ(missing, 0) << missing_lines;
        EXPECT_GT(texts, 100);
        // Ink where the sync bar's text is: light pixels on the dark background.
        ASSERT_TRUE(probes.count("sync.details")) << "the sync bar was not drawn";
        const auto& r = probes["sync.details"];
        int light = 0;
        for (int y = static_cast<int>(r[1]); y < static_cast<int>(r[3]) && y < ph; ++y) {
          for (int x = static_cast<int>(r[0]); x < static_cast<int>(r[2]) && x < pw; ++x) {
            const unsigned char* p = pixels + 3 * (y * pw + x);
            if (p[0] + p[1] + p[2] > 450) ++light;
          }
        }
        EXPECT_GT(light, 20) << "no text drawn in the sync bar's button";
        stbi_image_free(pixels);
      }
    }
  }
}

}  // namespace
