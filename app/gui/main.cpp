// mentorlog: the app. GLFW + OpenGL 3.3 + Dear ImGui around the screens (app/ui) and the
// controller (app/controller). All the work is in those; this file opens the window, runs
// the frame loop and, for tests, takes screenshots and measures frames.
//
// [SECTION] Options
// [SECTION] Store and fonts
// [SECTION] Screenshots and frame times
// [SECTION] main
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image_write.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <vector>

#include "mentorlog/app/controller.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/bundled_rubrics.h"
#include "mentorlog/store/store.h"
#include "mentorlog/ui/fonts.h"
#include "mentorlog/ui/record_spec.h"
#include "mentorlog/ui/screens.h"
#include "mentorlog/ui/widgets.h"

namespace {

using namespace mentorlog;
namespace fs = std::filesystem;

// -----------------------------------------------------------------------------------------
// [SECTION] Options
// -----------------------------------------------------------------------------------------

struct Options {
  std::string data_dir;
  std::string assets_dir = MENTORLOG_ASSETS_DIR;
  std::string lang;
  std::string server;
  std::string user;
  std::string password_file;  // sign in at start (scripts/run's demo); the file holds the password
  std::string size = "1280x800";
  std::string screenshot;  // write a PNG of --screen after --frames frames, then exit
  std::string screen;      // empty: where the app starts (Today, or the first-run screen)
  std::string report;      // with --screenshot: texts the font cannot draw, and widget rectangles
  int frames = 30;
  int bench_frames = 0;  // draw this many frames on --screen, print frame times, exit
};

bool ParseSize(const std::string& text, int* w, int* h) {
  return std::sscanf(text.c_str(), "%dx%d", w, h) == 2 && *w >= 200 && *h >= 200 && *w <= 8192 && *h <= 8192;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Store and fonts
// -----------------------------------------------------------------------------------------

Result<std::unique_ptr<core::Store>> OpenStore(const Options& o, fs::path* data_dir) {
  std::optional<fs::path> override_dir;
  if (!o.data_dir.empty()) override_dir = o.data_dir;
  ASSIGN_OR_RETURN(*data_dir, platform::ResolveDataDir(override_dir));
  core::StoreOptions so;
  so.path = *data_dir / "mentorlog.db";
  ASSIGN_OR_RETURN(auto store, core::Store::Open(so));
  RETURN_IF_ERROR(core::InstallBundledRubrics(*store, o.assets_dir));
  return store;
}

float g_font_pixels = 0;

// Rasterises the font again when the window's scale or the user's text size has changed.
Status SetFontSize(GLFWwindow* window, float text_scale, const fs::path& assets) {
  float sx = 1;
  float sy = 1;
  glfwGetWindowContentScale(window, &sx, &sy);
  const float pixels = ui::FontPixels(std::max(sx, sy), text_scale);
  if (pixels == g_font_pixels) return Status::Ok();
  RETURN_IF_ERROR(ui::LoadFonts(assets, pixels).status());
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
  g_font_pixels = pixels;
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Screenshots and frame times
// -----------------------------------------------------------------------------------------

// For the screenshot tests: how many shown texts have a character the font lacks (drawn as
// "?"), which ones, and where some widgets are, in framebuffer pixels from the top left.
bool WriteReport(const std::string& path, const ui::AppView& view, const ui::Translations& t, float scale) {
  std::ofstream out(path);
  std::vector<std::string> texts = ui::TextsOf(view);
  for (const auto& [key, text] : t.texts()) texts.push_back(text);
  std::vector<std::string> missing;
  for (const std::string& text : texts) {
    if (!ui::FontCovers(text)) missing.push_back(text);
  }
  out << "texts " << texts.size() << "\n";
  out << "missing_glyphs " << missing.size() << "\n";
  for (const std::string& m : missing) out << "missing " << m << "\n";
  for (const char* id : {"nav.today", "sync.details", "sync.pending"}) {
    if (auto r = ui::FindProbe(id)) {
      out << "probe " << id << " " << r->min.x * scale << " " << r->min.y * scale << " " << r->max.x * scale << " "
          << r->max.y * scale << "\n";
    }
  }
  return static_cast<bool>(out);
}

bool WritePng(const std::string& path, int w, int h) {
  std::vector<unsigned char> pixels(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, pixels.data(), w * 4) != 0;
}

// Screens drawn from the dashboards: placed and taken once the figures are computed.
bool NeedsDashboard(const std::string& screen) { return screen == "district" || screen == "school-dashboard"; }

// Puts the UI on `screen` with the first of my schools, as a user would get there (the school's
// dashboard: the district's most lagging school, as a click on the district's ranking does).
// The teacher page is the teacher's of the store's first route item, the work plan the person's
// of its first plan item: pages with their lists filled (the demo has both).
void GoTo(const std::string& screen, const ui::AppView& view, const core::Records& records, ui::UiState& state,
          ui::Actions& out) {
  const std::string school = view.today->schools.empty() ? std::string() : view.today->schools.front().id;
  if (screen == "teacher") {
    auto route = records.List<core::RouteItem>();
    if (route.ok() && !route->empty()) {
      state.screen = ui::Screen::kTeacher;
      state.teacher_id = route->front().teacher_id.ToString();
      out.push_back(ui::OpenTeacher{state.teacher_id});
    }
  } else if (screen == "programme") {
    ui::OpenProgrammePage(state, out);
  } else if (screen == "plan") {
    auto plan = records.List<core::PlanItem>();
    ui::OpenPlanPage(plan.ok() && !plan->empty() ? plan->front().person_id.ToString() : std::string(), state, out);
  } else if (screen == "district") {
    state.screen = ui::Screen::kDistrict;
  } else if (screen == "school-dashboard") {
    const bool ranked = view.dashboard && !view.dashboard->district.ranking.empty();
    const std::string lagging = ranked ? view.dashboard->district.ranking.front().school_id : school;
    if (!lagging.empty()) ui::OpenSchoolPage(lagging, /*dashboard=*/true, state, out);
  } else if (screen == "today") {
    state.screen = ui::Screen::kToday;
  } else if (screen == "school" && !school.empty()) {
    state.screen = ui::Screen::kSchool;
    state.school_id = school;
    out.push_back(ui::OpenSchool{school});
  } else if (screen == "visit" && !school.empty()) {
    ui::VisitForm f;
    f.school_id = school;
    ui::OpenNewForm(state, std::move(f), out);
  } else if (screen == "observation" && !school.empty()) {
    ui::ObservationForm f;
    f.school_id = school;
    ui::OpenNewForm(state, std::move(f), out);
  } else if (screen == "consultation" && !school.empty()) {
    ui::ConsultationForm f;
    f.school_id = school;
    ui::OpenNewForm(state, std::move(f), out);
  } else if (screen.rfind("form-", 0) == 0 && ui::FindRecordSpec(screen.substr(5)) && !school.empty()) {
    // A new form of a programme instrument for the first school: form-network_event, form-deficit…
    const std::string kind = screen.substr(5);
    std::map<std::string, std::string> prefill;
    for (const ui::FieldSpec& f : ui::FindRecordSpec(kind)->fields) {
      if (f.name == "school_id" || f.name == "supported_school_id" || f.name == "organiser_school_id") {
        prefill[std::string(f.name)] = school;
      }
    }
    ui::OpenNewRecordForm(state, kind, school, std::move(prefill), out);
  } else if (screen == "recommendations") {
    state.screen = ui::Screen::kRecommendations;
    out.push_back(ui::FilterRecommendations{state.filter});
  } else if (screen == "sync") {
    state.sync_panel_open = true;
  } else if (screen == "settings") {
    state.screen = ui::Screen::kSettings;
  } else if (screen == "first-run") {
    state.screen = ui::Screen::kFirstRun;
  }
}

// The store could not be opened (a full disk, a damaged file, no permission): says so, with
// what to do, in a window rather than on a terminal the user never sees. True on "Close".
bool DrawOpenError(const std::string& error, const ui::Translations& t) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("MentorLog", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove);
  ImGui::TextWrapped("%s", t("app.open_failed"));
  ImGui::Spacing();
  ImGui::TextWrapped("%s", error.c_str());
  ImGui::Spacing();
  const bool close = ImGui::Button(t("app.close"));
  ImGui::End();
  return close;
}

// Whether the view holds what `screen` lists (a start-up figure: launch to the first frame
// with data), or, for the other screens, any view built from the store.
bool ShowsData(const std::string& screen, const ui::AppView& view) {
  if (screen == "today") return !view.today->schools.empty();
  if (screen == "school") return !view.school->id.empty();
  if (screen == "teacher") return !view.teacher->id.empty();
  if (screen == "plan") return !view.plan->half.empty();
  if (screen == "programme") return !view.programme->events.empty() || !view.programme->roadmap.empty();
  if (screen == "recommendations") return !view.recommendations->rows.empty();
  if (NeedsDashboard(screen)) return view.dashboard != nullptr && !view.dashboard_computing;
  return view.version > 0;
}

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<size_t>(p * static_cast<double>(v.size() - 1))];
}

// -----------------------------------------------------------------------------------------
// [SECTION] main
// -----------------------------------------------------------------------------------------

int Run(const Options& o) {
  const auto started = std::chrono::steady_clock::now();
  const std::string lang = platform::UserLanguage(o.lang);
  const Language language = LanguageFromCode(lang).value_or(Language::kEnglish);
  int width = 1280;
  int height = 800;
  if (!ParseSize(o.size, &width, &height)) {
    std::cerr << "--size must be WIDTHxHEIGHT, e.g. 1280x800 or 390x844\n";
    return 1;
  }
  // Start-up figures count from the process's launch (dynamic linking included), or from here
  // where the OS cannot tell.
  auto since_start = [&] {
    const double launched = platform::MillisSinceProcessStart();
    return launched >= 0
               ? launched
               : std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  };
  fs::path data_dir;
  double store_ms = -1;  // written by the opening thread, read after its future is ready

  app::ControllerOptions co;  // data_dir is set once the store is open
  co.assets_dir = o.assets_dir;
  co.language = language;
  co.server_url = o.server;
  auto loaded = ui::Translations::Load(fs::path(o.assets_dir) / "i18n", lang);
  if (!loaded.ok()) {
    std::cerr << loaded.status().message(language) << "\n";
    return 2;
  }
  // Until the controller publishes its own (in the language saved in Settings), and shared with it.
  const auto translations = std::make_shared<const ui::Translations>(std::move(loaded).value());
  co.translations = translations;
  co.language_forced = !o.lang.empty();

  glfwSetErrorCallback([](int code, const char* text) { std::cerr << "GLFW " << code << ": " << text << "\n"; });
  if (!glfwInit()) {
    std::cerr << Pick(language, "Cannot open a window: no graphical display (DISPLAY).\n",
                      "Не удалось открыть окно: нет графического экрана (DISPLAY).\n");
    return 2;
  }
  // ImGui and its font atlas are made while GLFW creates the window: the atlas rasterises on
  // the CPU, and an OpenGL context takes ~200 ms on a software renderer (bench/README.md).
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // layout comes from the code, not a file
  io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().ScrollbarSize = 18;
  if (!o.report.empty()) ui::EnableProbes(true);
  float monitor_scale = 1;
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
    float sy = 1;
    glfwGetMonitorContentScale(monitor, &monitor_scale, &sy);
    monitor_scale = std::max(monitor_scale, sy);
  }
  const float first_pixels = ui::FontPixels(monitor_scale, 1.0f);
  std::future<Result<fs::path>> fonts =
      std::async(std::launch::async, [&o, first_pixels] { return ui::LoadFonts(o.assets_dir, first_pixels); });

  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(width, height, "MentorLog", nullptr, nullptr);
  Result<fs::path> font = fonts.get();
  if (window == nullptr) {
    ImGui::DestroyContext();
    glfwTerminate();
    std::cerr << Pick(language, "Cannot create an OpenGL 3.3 window: update the graphics driver.\n",
                      "Не удалось создать окно OpenGL 3.3: обновите графический драйвер.\n");
    return 2;
  }
  // The store opens off the UI thread (a big one takes a moment: migrations, the bundled
  // rubrics; a cold disk), and the window says so meanwhile. Started once the window exists:
  // on two cores, started earlier it slowed the window's creation (~15 ms, bench/README.md).
  std::future<Result<std::unique_ptr<core::Store>>> opening = std::async(std::launch::async, [&] {
    auto opened = OpenStore(o, &data_dir);
    store_ms = since_start();
    return opened;
  });
  glfwMakeContextCurrent(window);
  glfwSwapInterval(o.bench_frames > 0 || !o.screenshot.empty() ? 0 : 1);
  const double window_ms = since_start();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");  // the font texture is made by the first frame
  if (font.ok()) g_font_pixels = first_pixels;

  int status = 0;
  {
    std::unique_ptr<core::Store> store;
    std::optional<app::AppController> controller;  // made once the store is open
    std::string open_error;
    const auto empty_view = std::make_shared<const ui::AppView>();
    float text_scale = 1.0f;
    // The window's own scale may differ from the primary monitor's: then the font is redone.
    if (Status s = font.ok() ? SetFontSize(window, text_scale, o.assets_dir) : font.status(); !s.ok()) {
      std::cerr << s.message(language) << "\n";
      status = 2;
    }
    ui::UiState state;
    ui::Actions actions;
    bool placed = false;
    int frame = 0;
    std::vector<double> frame_ms;
    double first_frame_ms = -1;       // launch to the first frame on screen
    double first_data_frame_ms = -1;  // launch to the first frame showing the screen's own data
    int measured_from = -1;           // --bench-frames: the frame after a warm-up with data
    while ((status == 0 || !open_error.empty()) && !glfwWindowShouldClose(window)) {
      if (o.screenshot.empty() && o.bench_frames == 0) {
        glfwWaitEventsTimeout(0.1);  // idle: wake for input, or ten times a second for sync progress
      } else {
        glfwPollEvents();
      }
      const auto frame_start = std::chrono::steady_clock::now();
      if (!controller && open_error.empty() && opening.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        auto opened = opening.get();
        if (!opened.ok()) {
          open_error = opened.status().message(language);
          std::cerr << open_error << "\n";
          status = ExitCodeFor(opened.status());
          if (!o.screenshot.empty() || o.bench_frames > 0) break;
        } else {
          store = std::move(opened).value();
          co.data_dir = data_dir;
          controller.emplace(*store, co);
          if (!o.user.empty() && !o.password_file.empty()) {
            std::ifstream f(o.password_file);
            std::string password;
            std::getline(f, password);
            controller->Apply({ui::SignIn{o.server, o.user, password}});
          }
        }
      }
      if (controller) controller->Step();  // runs the owners' work here when they have no threads
      std::shared_ptr<const ui::AppView> view = controller ? controller->View() : empty_view;
      if (view->settings->text_scale != text_scale) {
        text_scale = view->settings->text_scale;
        (void)SetFontSize(window, text_scale, o.assets_dir);
      }
      if (auto opened = controller ? controller->TakeOpenedForm() : std::nullopt) {
        ui::OpenNewForm(state, std::move(opened->form), actions);
        state.draft_key = opened->draft_key;
      }
      if (!placed && view->version > 0 && (!NeedsDashboard(o.screen) || view->dashboard)) {
        if (view->first_run && o.user.empty()) state.screen = ui::Screen::kFirstRun;
        GoTo(o.screen, *view, store->records(), state, actions);
        placed = true;
      }
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      if (!o.screenshot.empty()) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // no hover effects in the picture
      if (o.bench_frames > 0) {
        // Scroll the list under the middle of the window, two notches a frame, as a user would.
        io.MousePos = ImVec2(io.DisplaySize.x / 2, io.DisplaySize.y * 0.6f);
        io.MouseWheel = -2.0f;
      }
      ImGui::NewFrame();
      if (open_error.empty()) {
        ui::DrawApp(*view, state, view->texts ? *view->texts : *translations, actions);
      } else if (DrawOpenError(open_error, *translations)) {
        glfwSetWindowShouldClose(window, GLFW_TRUE);
      }
      ImGui::Render();
      int fb_w = 0;
      int fb_h = 0;
      glfwGetFramebufferSize(window, &fb_w, &fb_h);
      glViewport(0, 0, fb_w, fb_h);
      const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];  // DrawApp's window has no background
      glClearColor(bg.x, bg.y, bg.z, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      if (!actions.empty() && controller) {
        controller->Apply(actions);
        actions.clear();
      }
      if (o.bench_frames > 0) glFinish();  // count the rendering, not only its submission
      const auto now = std::chrono::steady_clock::now();
      const double ms = std::chrono::duration<double, std::milli>(now - frame_start).count();
      ++frame;
      // A dashboard screen waits for its figures (computed off this thread), a page opened by an
      // action (a teacher, a work plan) for its section, up to a minute.
      const bool waits =
          NeedsDashboard(o.screen) || o.screen == "teacher" || o.screen == "plan" || o.screen == "programme";
      const bool figures_ready =
          !waits || ShowsData(o.screen, *view) || std::chrono::steady_clock::now() - started > std::chrono::seconds(60);
      if (!o.screenshot.empty() && frame >= o.frames && placed && figures_ready) {
        if (!WritePng(o.screenshot, fb_w, fb_h)) {
          std::cerr << "cannot write " << o.screenshot << "\n";
          status = 2;
        }
        int win_w = 0;
        int win_h = 0;
        glfwGetWindowSize(window, &win_w, &win_h);
        const float scale = win_w > 0 ? static_cast<float>(fb_w) / static_cast<float>(win_w) : 1.0f;
        if (!o.report.empty() && !WriteReport(o.report, *view, view->texts ? *view->texts : *translations, scale)) {
          std::cerr << "cannot write " << o.report << "\n";
          status = 2;
        }
        break;
      }
      if (o.bench_frames > 0 && first_data_frame_ms >= 0) {
        // Measured from 60 frames after the screen's data arrived: the steady state.
        if (measured_from < 0) measured_from = frame + 60;
        if (frame >= measured_from) frame_ms.push_back(ms);
        if (static_cast<int>(frame_ms.size()) >= o.bench_frames) {
          std::printf(
              "screen %s frames %zu window_ms %.1f first_frame_ms %.1f store_ms %.1f first_data_frame_ms %.1f "
              "p50_ms %.2f p99_ms %.2f max_ms %.2f rows %zu\n",
              o.screen.c_str(), frame_ms.size(), window_ms, first_frame_ms, store_ms, first_data_frame_ms,
              Percentile(frame_ms, 0.5), Percentile(frame_ms, 0.99), Percentile(frame_ms, 1.0),
              o.screen == "recommendations" ? view->recommendations->rows.size() : view->today->schools.size());
          break;
        }
      }
      glfwSwapBuffers(window);
      if (first_frame_ms < 0) first_frame_ms = since_start();
      if (first_data_frame_ms < 0 && ShowsData(o.screen, *view)) first_data_frame_ms = since_start();
    }
    // Closing the window loses nothing typed: DrawApp sends a form's draft in the frame of the
    // edit, every frame's actions are applied before the loop checks for a close, and the
    // controller runs what is queued before it is destroyed.
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"MentorLog: visits, lesson observations, consultations and recommendations, with or without a network"};
  cli.add_option("--data", o.data_dir, "Folder of this device's store (default: ~/.local/share/mentorlog)");
  cli.add_option("--assets", o.assets_dir, "Folder of fonts, translations and rubrics");
  cli.add_option("--lang", o.lang, "ru or en (default: from the locale)");
  cli.add_option("--server", o.server, "Server to sign in to, e.g. http://127.0.0.1:8080");
  cli.add_option("--user", o.user, "Sign in as this login at start");
  cli.add_option("--password-file", o.password_file, "File holding the password for --user (demo accounts)");
  cli.add_option("--size", o.size, "Window size, WIDTHxHEIGHT (default 1280x800)");
  cli.add_option("--screen", o.screen,
                 "Screen to start on: today, school, school-dashboard, teacher, plan, district, programme, visit, "
                 "observation, consultation, "
                 "form-<kind> (a new form of an instrument: form-network_event, form-deficit...), "
                 "recommendations, sync, settings, first-run (default: Today, or first run on a new device)");
  cli.add_option("--screenshot", o.screenshot, "Write a PNG of the screen after --frames frames, then exit");
  cli.add_option("--frames", o.frames, "Frames before the screenshot (default 30)");
  cli.add_option("--report", o.report, "With --screenshot: write the texts the font cannot draw and widget places");
  cli.add_option("--bench-frames", o.bench_frames, "Draw this many frames, print frame times, exit");
  CLI11_PARSE(cli, argc, argv);
  return Run(o);
}
