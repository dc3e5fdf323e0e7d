// libFuzzer target: the TOML configuration readers: assets/indices.toml
// (core/include/mentorlog/domain/indices.h), assets/dashboard.toml (core/.../dashboard.h) and
// mentorlog-server's config file (sync/server/config.h).
//
// Input: a selector byte, then the TOML. selector % 3: 0 indices, 1 dashboard, 2 server.
// Invariants: what a reader accepts keeps its header's promises: index weights > 0 and at least
// one indicator; no_contact_days 1..3650, targets shares from 0 to 1, every risk with a code and
// both titles, every rule with a bound; a server config passes CheckConfig and its listen
// address parses. Reading the same text twice gives the same result.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config.h"
#include "fuzz_support.h"
#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/indices.h"

namespace {

namespace core = mentorlog::core;
namespace server = mentorlog::server;
using mentorlog::fuzz::FuzzCheck;
using mentorlog::fuzz::FuzzSplit;

bool TomlIsShare(double v) { return v >= 0 && v <= 1; }  // false for NaN

void TomlIndices(std::string_view text) {
  auto config = core::ParseIndexConfig(text, "indices.toml");
  auto again = core::ParseIndexConfig(text, "indices.toml");
  FuzzCheck(config.ok() == again.ok(), "ParseIndexConfig answers differently the second time");
  if (!config.ok()) return;
  FuzzCheck(!config->results.empty() || !config->wellbeing.empty(), "an index config without an indicator");
  for (const auto& r : config->results) FuzzCheck(r.weight > 0, "a result indicator's weight is not > 0");
  for (const auto& w : config->wellbeing) FuzzCheck(w.weight > 0, "a well-being indicator's weight is not > 0");
}

void TomlDashboard(std::string_view text) {
  core::DashboardConfig config;
  const mentorlog::Status status = core::ParseDashboardConfig(text, "dashboard.toml", config);
  core::DashboardConfig second;
  FuzzCheck(core::ParseDashboardConfig(text, "dashboard.toml", second).ok() == status.ok(),
            "ParseDashboardConfig answers differently the second time");
  if (!status.ok()) return;
  FuzzCheck(config.no_contact_days >= 1 && config.no_contact_days <= 3650, "no_contact_days out of 1..3650");
  for (const auto& risk : config.risks) {
    FuzzCheck(!risk.code.empty() && !risk.title.ru.empty() && !risk.title.en.empty(), "a risk without code or titles");
    for (const auto& rule : risk.rules) FuzzCheck(rule.above || rule.below, "a risk rule without a bound");
  }
  for (const auto& [indicator, target] : config.targets) {
    FuzzCheck(TomlIsShare(target.value), "a programme target that is not a share from 0 to 1");
  }
  for (const auto& [district, targets] : config.targets_by_district) {
    for (const auto& [indicator, target] : targets) {
      FuzzCheck(TomlIsShare(target.value), "a district's target that is not a share from 0 to 1");
    }
  }
}

void TomlServer(std::string_view text) {
  auto config = server::ParseConfig(text, "server.toml");
  auto again = server::ParseConfig(text, "server.toml");
  FuzzCheck(config.ok() == again.ok(), "ParseConfig answers differently the second time");
  if (!config.ok()) return;
  FuzzCheck(server::CheckConfig(*config).ok(), "ParseConfig accepted what CheckConfig refuses");
  if (config->listen) FuzzCheck(server::ParseListen(*config->listen).ok(), "an accepted listen address does not parse");
  FuzzCheck(config->db == again->db && config->pg == again->pg && config->threads == again->threads &&
                config->listen == again->listen && config->log_level == again->log_level,
            "ParseConfig gives another config the second time");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto [selector, text] = FuzzSplit(data, size);
  switch (selector % 3) {
    case 0:
      TomlIndices(text);
      break;
    case 1:
      TomlDashboard(text);
      break;
    default:
      TomlServer(text);
      break;
  }
  return 0;
}
