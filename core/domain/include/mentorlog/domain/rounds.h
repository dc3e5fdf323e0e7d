// Monitoring rounds and the history of a school's status (issue 16): which status a school has
// on a date, the text form of a round's frozen figures, and the closing of a round.
//
//   ASSIGN_OR_RETURN(ClosedRound closed, CloseRound(store.records(), dashboard, round_id));
//
// A round's figures are taken as of its end date and frozen when it is closed: each school's
// statuses, programme facts (dashboard.h SchoolFacts), results index and risk flags become a
// RoundResult record, written once (rules.h IsAppendOnly), so a later round compares with them
// exactly and a correction made later does not rewrite them. docs/metrics.md, "Rounds".
//
// Thread safety: pure functions; CloseRound as the writer's.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/types.h"

namespace mentorlog::core {

class Dashboard;
class RecordWriter;

// The statuses a school has on `date`: those of the latest of its `changes` dated on or before
// it (the later id on a tie), or `initial` (School::statuses, the list of its status_year)
// before any. Changes of other schools and deleted ones must not be passed.
std::vector<SchoolStatus> StatusesOn(const std::vector<SchoolStatus>& initial,
                                     const std::vector<const StatusChange*>& changes, Date date);

// A round's figures: named numbers ("teachers", "in_partnership", "result_index"...), written
// as "name=value" lines sorted by name (RoundResult::figures, MonitoringRound::district_figures).
// Names are ASCII [a-z0-9_]; values finite numbers in the shortest form that reads back exactly.
using RoundFigures = std::map<std::string, double, std::less<>>;
std::string FormatRoundFigures(const RoundFigures& figures);
// InvalidInput naming the line, for a text not of that form (an empty text is no figures).
Result<RoundFigures> ParseRoundFigures(std::string_view text);

// Whether the round monitors the school: listed, or every school when it lists none.
bool RoundCovers(const MonitoringRound& round, const Uuid& school_id);

// A round as closed, and how many schools' figures it froze.
struct ClosedRound {
  MonitoringRound round;
  size_t schools = 0;
};

// Closes the round `round_id` on `on` (default: the writer's today): each school it covers that
// `dashboard` holds gets a RoundResult with its figures as of the round's end date
// (Dashboard::FreezeRound), and the round its closing date and the district's own figures, all in
// one transaction. `dashboard` must hold the district's records and have been refreshed.
// Errors: NotFound (no such round); Conflict (already closed, or its end date is after `on`);
// those of the saves.
Result<ClosedRound> CloseRound(RecordWriter& writer, const Dashboard& dashboard, const Uuid& round_id,
                               std::optional<Date> on = std::nullopt);

}  // namespace mentorlog::core
