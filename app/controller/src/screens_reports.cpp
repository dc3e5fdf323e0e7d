// Screens (screens.h): the reports the app makes (reports.h).
#include "dashboards.h"
#include "reports.h"
#include "screens.h"

namespace mentorlog::app {

void Screens::On(const ui::MakeReport& a) {
  if (a.save_first) {
    On(ui::SaveForm{*a.save_first, a.draft_key});
    if (notice_.is_error) return;  // the save's own message says what to fix
  }
  if (UsesDashboard(a.kind)) {  // the dashboards hold the figures: no feed here
    dashboards_.MakeReport(a);
    return;
  }
  MarkDirty(kToday);
  auto path = WriteReport(store_.records(), a, options_.data_dir / "reports", options_.assets_dir, texts_.language());
  if (ShowIfError(path.status())) Show(Notice::Words("view.notice.report_saved", {path->string()}));
}

void Screens::On(const ui::CloseRound& a) {
  auto id = Uuid::Parse(a.round_id);
  if (!ShowIfError(id.status())) return;
  dashboards_.CloseRound(*id);  // the dashboards hold the figures a round freezes
}

}  // namespace mentorlog::app
