// Monitoring rounds and a school's status history (rounds.h).
#include "mentorlog/domain/rounds.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "mentorlog/domain/dashboard.h"
#include "mentorlog/domain/record_writer.h"

namespace mentorlog::core {

std::vector<SchoolStatus> StatusesOn(const std::vector<SchoolStatus>& initial,
                                     const std::vector<const StatusChange*>& changes, Date date) {
  const StatusChange* in_force = nullptr;
  for (const StatusChange* c : changes) {
    if (c->changed_on > date) continue;
    if (!in_force || c->changed_on > in_force->changed_on ||
        (c->changed_on == in_force->changed_on && in_force->id < c->id)) {
      in_force = c;
    }
  }
  return in_force ? in_force->statuses : initial;
}

namespace {

bool NameChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

std::string FormatRoundFigures(const RoundFigures& figures) {
  std::string out;
  for (const auto& [name, value] : figures) {
    char buf[64];
    const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
    out += name;
    out += '=';
    out.append(buf, end);
    out += '\n';
  }
  return out;
}

Result<RoundFigures> ParseRoundFigures(std::string_view text) {
  constexpr size_t kMaxFigures = 1000;
  RoundFigures out;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty()) continue;
    auto bad = [&](std::string_view ru, std::string_view en) {
      return Status::InvalidInput(LocalText{"Строка " + std::to_string(line_no) + " показателей: " + std::string(ru),
                                            "Line " + std::to_string(line_no) + " of the figures: " + std::string(en)});
    };
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) return bad("ожидается имя=число", "expected name=number");
    const std::string_view name = line.substr(0, eq);
    if (!std::all_of(name.begin(), name.end(), NameChar)) {
      return bad("имя состоит из a-z, 0-9 и _", "a name is a-z, 0-9 and _");
    }
    const std::string_view number = line.substr(eq + 1);
    double value = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), value);
    if (ec != std::errc() || end != number.data() + number.size() || !std::isfinite(value)) {
      return bad("не число", "not a number");
    }
    if (!out.emplace(std::string(name), value).second) return bad("имя повторяется", "a name given twice");
    if (out.size() > kMaxFigures) return bad("больше 1000 показателей", "more than 1000 figures");
  }
  return out;
}

bool RoundCovers(const MonitoringRound& round, const Uuid& school_id) {
  return round.school_ids.empty() ||
         std::find(round.school_ids.begin(), round.school_ids.end(), school_id) != round.school_ids.end();
}

Result<ClosedRound> CloseRound(RecordWriter& writer, const Dashboard& dashboard, const Uuid& round_id,
                               std::optional<Date> on) {
  const Date closing = on.value_or(writer.Today());
  ClosedRound closed;
  RETURN_IF_ERROR(writer.InTransaction([&]() -> Status {
    ASSIGN_OR_RETURN(MonitoringRound round, writer.Get<MonitoringRound>(round_id));
    if (round.closed_on) {
      return Status::Conflict(LocalText{
          "Этап «" + round.name + "» уже закрыт " + round.closed_on->ToString() + "; его итоги не пересчитываются.",
          "The round «" + round.name + "» was closed on " + round.closed_on->ToString() +
              "; its figures are not taken again."});
    }
    if (round.ends_on > closing) {
      return Status::Conflict(LocalText{"Этап «" + round.name + "» идёт до " + round.ends_on.ToString() +
                                            "; закройте его в этот день или позже, когда данные этапа собраны.",
                                        "The round «" + round.name + "» runs until " + round.ends_on.ToString() +
                                            "; close it on that day or later, once its data is in."});
    }
    const Dashboard::Freeze freeze = dashboard.FreezeRound(round);
    for (const RoundResult& result : freeze.results) RETURN_IF_ERROR(writer.Save(result).status());
    round.closed_on = closing;
    round.district_figures = freeze.district_figures;
    ASSIGN_OR_RETURN(closed.round, writer.Save(round));
    closed.schools = freeze.results.size();
    return Status::Ok();
  }));
  return closed;
}

}  // namespace mentorlog::core
