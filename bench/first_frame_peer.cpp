// first_frame_peer: the floor for any Dear ImGui app's first frame on this machine. Dear
// ImGui's own GLFW + OpenGL 3 example (examples/example_glfw_opengl3), cut to its start-up:
// glfwInit, a 3.3 core window, ImGui with its built-in font, the demo window, frames until one
// is on screen. Prints the same start-up figures as `mentorlog --bench-frames`, counted from
// the process's launch, so bench/frame_bench.sh can set the two side by side.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstdio>

#include "mentorlog/platform/env.h"

int main() {
  using mentorlog::platform::MillisSinceProcessStart;
  if (!glfwInit()) return 2;
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  GLFWwindow* window = glfwCreateWindow(1280, 800, "first_frame_peer", nullptr, nullptr);
  if (window == nullptr) return 2;
  glfwMakeContextCurrent(window);
  glfwSwapInterval(0);
  const double window_ms = MillisSinceProcessStart();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  ImGui::ShowDemoWindow();
  ImGui::Render();
  int w = 0;
  int h = 0;
  glfwGetFramebufferSize(window, &w, &h);
  glViewport(0, 0, w, h);
  glClearColor(0.45f, 0.55f, 0.60f, 1.00f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  glfwSwapBuffers(window);
  const double first_frame_ms = MillisSinceProcessStart();
  std::printf("peer dear-imgui-example window_ms %.1f first_frame_ms %.1f\n", window_ms, first_frame_ms);

  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return 0;
}
