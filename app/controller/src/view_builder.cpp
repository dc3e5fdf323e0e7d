// The view-models, built from the store (view_builder.h).
//
// [SECTION] Helpers: text, names, rows
// [SECTION] Today
// [SECTION] School and teacher
// [SECTION] Recommendations
// [SECTION] Form options
// [SECTION] Sync
#include "mentorlog/app/view_builder.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "mentorlog/domain/enums.h"
#include "mentorlog/domain/rounds.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/rules.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "mentorlog/ui/record_spec.h"

namespace mentorlog::app {

using core::Date;
using core::Uuid;

// -----------------------------------------------------------------------------------------
// [SECTION] Helpers
// -----------------------------------------------------------------------------------------

namespace {

constexpr int64_t kDayMillis = 86'400'000;

const mentorlog::Clock& ClockOf(const BuildContext& ctx) { return ctx.clock ? *ctx.clock : platform::DefaultClock(); }

std::string Two(int v) { return (v < 10 ? "0" : "") + std::to_string(v); }

std::optional<Uuid> ParseId(std::string_view text) {
  if (text.empty()) return std::nullopt;
  auto id = Uuid::Parse(text);
  if (!id.ok()) return std::nullopt;
  return *id;
}

Result<Uuid> MustParseId(std::string_view text) {
  auto id = Uuid::Parse(text);
  if (!id.ok()) return id.status();
  return *id;
}

// One line of at most `max_bytes` (UTF-8 kept whole), for details in lists.
std::string OneLine(std::string_view text, size_t max_bytes = 160) {
  std::string s(text.substr(0, text.find('\n')));
  for (char& c : s) {
    if (c == '\t' || c == '\r') c = ' ';
  }
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return s.substr(0, cut) + "…";
}

template <class E>
std::string Labels(const std::vector<E>& values, Language language) {
  std::string out;
  for (E v : values) {
    if (!out.empty()) out += ", ";
    out += core::EnumLabel(v, language);
  }
  return out;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) {
    if (!out.empty()) out += ", ";
    out += s;
  }
  return out;
}

template <class E>
std::vector<ui::Choice> EnumChoices(Language language) {
  std::vector<ui::Choice> out;
  for (const auto& e : core::EnumEntries<E>()) {
    out.push_back({std::string(e.code), std::string(core::EnumLabel(e.value, language))});
  }
  return out;
}

template <class E>
bool Has(const std::vector<E>& values, E v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

bool IsOpen(const core::Recommendation& r) { return core::IsOpen(r.status); }

std::string SchoolName(const core::School& s) { return s.short_name.empty() ? s.name : s.short_name; }

// People's names by id, read from the store once each.
class Names {
 public:
  explicit Names(const core::Records& store) : store_(store) {}
  void Add(const core::Person& p) { names_[p.id] = p.full_name; }
  std::string Of(const std::optional<Uuid>& id) {
    if (!id) return {};
    if (auto it = names_.find(*id); it != names_.end()) return it->second;
    auto p = store_.Get<core::Person>(*id);
    std::string name = p.ok() ? p->full_name : std::string();
    names_.emplace(*id, name);
    return name;
  }

 private:
  const core::Records& store_;
  std::map<Uuid, std::string> names_;
};

// School names by id, likewise.
class SchoolNames {
 public:
  explicit SchoolNames(const core::Records& store) : store_(store) {}
  void Add(const core::School& s) { names_[s.id] = SchoolName(s); }
  std::string Of(const Uuid& id) {
    if (auto it = names_.find(id); it != names_.end()) return it->second;
    auto s = store_.Get<core::School>(id);
    std::string name = s.ok() ? SchoolName(*s) : std::string();
    names_.emplace(id, name);
    return name;
  }

 private:
  const core::Records& store_;
  std::map<Uuid, std::string> names_;
};

// The rules across records `record` breaks as stored (Records::RuleWarnings), in the UI's language.
template <class R>
std::string WarningOf(const core::Records& store, const R& record, const BuildContext& ctx) {
  std::string out;
  for (const core::FieldError& e : store.RuleWarnings(record)) {
    if (!out.empty()) out += ' ';
    out += e.In(ctx.language);
  }
  return out;
}

// A row without its warning (WarningOf, once the row is known to be shown).
ui::RecommendationRow MakeRow(const core::Recommendation& r, const std::string& school, Names& people, Date today,
                              const BuildContext& ctx) {
  ui::RecommendationRow row;
  row.id = r.id.ToString();
  row.school_id = r.school_id.ToString();
  row.school = school;
  row.teacher = people.Of(r.teacher_id);
  row.text = r.text;
  row.owner = r.responsible_id ? people.Of(r.responsible_id) : r.responsible_name;
  if (row.owner.empty()) row.owner = r.responsible_name;
  row.due = ShowDate(r.due_on);
  row.status = std::string(core::EnumLabel(r.status, ctx.language));
  row.status_code = std::string(core::EnumCode(r.status));
  row.overdue = IsOverdue(r, today);
  return row;
}

// Overdue first, then by due date, then by text.
void SortRows(std::vector<std::pair<core::Recommendation, ui::RecommendationRow>>& rows) {
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    if (a.second.overdue != b.second.overdue) return a.second.overdue;
    if (a.first.due_on != b.first.due_on) return a.first.due_on < b.first.due_on;
    return a.first.id < b.first.id;
  });
}

// Open recommendations of one school, for the school view and the forms.
Result<std::vector<ui::RecommendationRow>> OpenRows(const core::Records& store, const BuildContext& ctx,
                                                    const core::School& school, Names& people) {
  ASSIGN_OR_RETURN(auto recs, store.ListBy<core::Recommendation>("school_id", school.id));
  const Date today = store.Today();
  std::vector<std::pair<core::Recommendation, ui::RecommendationRow>> rows;
  for (auto& r : recs) {
    if (!IsOpen(r)) continue;
    ui::RecommendationRow row = MakeRow(r, SchoolName(school), people, today, ctx);
    row.warning = WarningOf(store, r, ctx);
    rows.emplace_back(std::move(r), std::move(row));
  }
  SortRows(rows);
  std::vector<ui::RecommendationRow> out;
  for (auto& [rec, row] : rows) out.push_back(std::move(row));
  return out;
}

std::string ObservationTitle(const core::Observation& o, const std::string& teacher, const BuildContext& ctx) {
  const std::string cls = o.class_label.empty() ? std::to_string(o.grade) : o.class_label;
  return ctx.tr->Format("view.timeline.observation", {o.subject, cls, teacher});
}

ui::TimelineEntry ObservationEntry(const core::Records& store, const core::Observation& o, const std::string& teacher,
                                   const BuildContext& ctx) {
  return {ui::EntryKind::kObservation,       o.id.ToString(),  ShowDate(o.date),
          ObservationTitle(o, teacher, ctx), OneLine(o.topic), WarningOf(store, o, ctx)};
}

// Rubrics by (code, version), parsed once per build.
class Rubrics {
 public:
  explicit Rubrics(const core::Records& store) : store_(store) {}
  const core::Rubric* Find(const std::string& code, int64_t version) {
    if (!loaded_) Load();
    auto it = rubrics_.find({code, version});
    return it == rubrics_.end() ? nullptr : &it->second;
  }
  // The newest version of `code`.
  const core::Rubric* Newest(const std::string& code) {
    if (!loaded_) Load();
    const core::Rubric* best = nullptr;
    for (const auto& [key, rubric] : rubrics_) {
      if (key.first == code && (!best || rubric.version > best->version)) best = &rubric;
    }
    return best;
  }

 private:
  void Load() {
    loaded_ = true;
    auto templates = store_.List<core::RubricTemplate>();
    if (!templates.ok()) return;
    for (const auto& t : *templates) {
      auto rubric = core::ParseRubric(t.body_json, t.code);
      if (rubric.ok()) rubrics_.emplace(std::make_pair(t.code, t.version), std::move(rubric).value());
    }
  }
  const core::Records& store_;
  bool loaded_ = false;
  std::map<std::pair<std::string, int64_t>, core::Rubric> rubrics_;
};

// "Visit of 12.11.2026, School No. 3" for the records the sync panel names; "Visit 0190f5a2…"
// for the others.
std::string DescribeRecord(const core::Records& store, const BuildContext& ctx, core::RecordKind kind, const Uuid& id,
                           SchoolNames& schools) {
  const std::string label(core::EnumLabel(kind, ctx.language));
  auto dated = [&]<class R>() -> std::optional<std::string> {
    auto r = store.Get<R>(id);
    if (!r.ok()) return std::nullopt;
    return ctx.tr->Format("view.record.dated", {label, ShowDate(r->date), schools.Of(r->school_id)});
  };
  std::optional<std::string> text;
  if (kind == core::RecordKind::kVisit) text = dated.template operator()<core::Visit>();
  if (kind == core::RecordKind::kObservation) text = dated.template operator()<core::Observation>();
  if (kind == core::RecordKind::kConsultation) text = dated.template operator()<core::Consultation>();
  if (kind == core::RecordKind::kRecommendation) {
    auto r = store.Get<core::Recommendation>(id);
    if (r.ok()) text = label + " «" + OneLine(r->text, 60) + "»";
  }
  if (kind == core::RecordKind::kSchool) {
    auto s = store.Get<core::School>(id);
    if (s.ok()) text = label + " «" + SchoolName(*s) + "»";
  }
  if (kind == core::RecordKind::kPerson) {
    auto p = store.Get<core::Person>(id);
    if (p.ok()) text = label + " «" + p->full_name + "»";
  }
  return text.value_or(label + " " + id.ToString().substr(0, 8) + "…");
}

// ---- Rows of the programme's instruments (RecordRow) ----

std::string Label(auto value, const BuildContext& ctx) { return std::string(core::EnumLabel(value, ctx.language)); }

std::string JoinDot(std::span<const std::string> parts) {
  std::string out;
  for (const std::string& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += " · ";
    out += p;
  }
  return out;
}
std::string JoinDot(std::initializer_list<std::string> parts) {
  return JoinDot(std::span(parts.begin(), parts.size()));
}

// `school`: the school whose page lists it; the other side is named (the supported school on
// its leader's page, the partner on the supported school's).
ui::RecordRow RowOf(const core::NetworkAgreement& a, const Uuid& school, SchoolNames& schools,
                    const BuildContext& ctx) {
  const std::string partner = a.supported_school_id != school ? schools.Of(a.supported_school_id)
                              : a.leader_school_id            ? schools.Of(*a.leader_school_id)
                                                              : a.partner_name;
  return {a.id.ToString(),
          "network_agreement",
          ShowDate(a.signed_on),
          ctx.tr->Format("view.row.agreement", {a.number, partner}),
          Label(a.model, ctx),
          Label(a.status, ctx),
          false};
}

ui::RecordRow RowOf(const core::RoadmapItem& r, Date today, const BuildContext& ctx) {
  const bool pending = r.status == core::RoadmapStatus::kPlanned || r.status == core::RoadmapStatus::kInProgress;
  return {r.id.ToString(),
          "roadmap_item",
          ShowDate(r.starts_on) + " – " + ShowDate(r.ends_on),
          r.title,
          r.responsible,
          Label(r.status, ctx),
          pending && r.ends_on < today};
}

ui::RecordRow RowOf(const core::MonitoringRound& r, const BuildContext& ctx) {
  const std::string schools = r.school_ids.empty()
                                  ? std::string((*ctx.tr)("view.row.round_all_schools"))
                                  : ctx.tr->Count("view.row.round_schools", static_cast<int64_t>(r.school_ids.size()));
  return {r.id.ToString(),
          "monitoring_round",
          ShowDate(r.starts_on) + " – " + ShowDate(r.ends_on),
          r.name,
          JoinDot({Label(r.kind, ctx), schools}),
          r.closed_on ? ctx.tr->Format("view.row.round_closed", {ShowDate(*r.closed_on)})
                      : std::string((*ctx.tr)("view.row.round_open")),
          false};
}

ui::RecordRow RowOf(const core::NetworkEvent& e, size_t participants, const BuildContext& ctx) {
  return {e.id.ToString(),
          "network_event",
          ShowDate(e.held_on),
          e.title,
          JoinDot({Label(e.kind, ctx), ctx.tr->Count("view.row.participants", static_cast<int64_t>(participants))}),
          "",
          false};
}

ui::RecordRow RowOf(const core::Assignment& a, Names& people, Date today, const BuildContext& ctx) {
  const bool ended = a.ends_on && *a.ends_on < today;
  return {a.id.ToString(),
          "assignment",
          ShowDate(a.starts_on),
          people.Of(a.assignee_id),
          JoinDot({Label(a.kind, ctx), people.Of(a.teacher_id), a.subject}),
          ended ? ctx.tr->Format("view.row.ended", {ShowDate(*a.ends_on)}) : std::string(),
          false};
}

ui::RecordRow RowOf(const core::Deficit& d, const BuildContext& ctx) {
  return {d.id.ToString(),
          "deficit",
          ShowDate(d.found_on),
          d.area,
          JoinDot({Label(d.found_by, ctx), Label(d.remedy, ctx)}),
          d.closed_on ? ctx.tr->Format("view.row.closed", {ShowDate(*d.closed_on)})
                      : std::string(ctx.tr->operator()("view.row.open")),
          false};
}

ui::RecordRow RowOf(const core::RouteItem& r, Date today, const BuildContext& ctx) {
  const bool pending = r.status == core::RouteItemStatus::kPlanned || r.status == core::RouteItemStatus::kInProgress;
  return {r.id.ToString(),        "route_item",         ShowDate(r.due_on),         r.title,
          Label(r.activity, ctx), Label(r.status, ctx), pending && r.due_on < today};
}

ui::RecordRow RowOf(const core::Training& r, const BuildContext& ctx) {
  return {r.id.ToString(),
          "training",
          ShowDate(r.ends_on),
          r.title,
          JoinDot({r.provider, ctx.tr->Format("view.row.hours", {std::to_string(r.hours)})}),
          Label(r.kind, ctx),
          false};
}

// A school's visits, observations and consultations, to find which plan items they fulfil
// (rules.h PlanMatch).
struct PlanEvidence {
  std::vector<core::Visit> visits;
  std::vector<core::Observation> observations;
  std::vector<core::Consultation> consultations;

  static Result<PlanEvidence> Of(const core::Records& store, const Uuid& school) {
    PlanEvidence e;
    ASSIGN_OR_RETURN(e.visits, store.ListBy<core::Visit>("school_id", school));
    ASSIGN_OR_RETURN(e.observations, store.ListBy<core::Observation>("school_id", school));
    ASSIGN_OR_RETURN(e.consultations, store.ListBy<core::Consultation>("school_id", school));
    return e;
  }
  std::vector<core::PlanMatch::Outcome> Match(const std::vector<const core::PlanItem*>& items, Date d) const {
    core::PlanMatch match(d);
    for (const auto& v : visits) match.Add(v);
    for (const auto& o : observations) match.Add(o);
    for (const auto& c : consultations) match.Add(c);
    return match.Match(items);
  }
};

ui::RecordRow RowOf(const core::PlanItem& p, SchoolNames& schools, Date today, const BuildContext& ctx) {
  return {p.id.ToString(),
          "plan_item",
          ShowDate(p.planned_on),
          p.title.empty() ? Label(p.activity, ctx) : p.title,
          JoinDot({Label(p.activity, ctx), schools.Of(p.school_id)}),
          "",
          !p.done_on && p.planned_on < today};
}

// Network events as rows, newest first, each with its number of participants.
Result<std::vector<ui::RecordRow>> EventRows(const core::Records& store, std::vector<core::NetworkEvent> events,
                                             const BuildContext& ctx) {
  std::sort(events.begin(), events.end(),
            [](const auto& a, const auto& b) { return a.held_on != b.held_on ? a.held_on > b.held_on : a.id < b.id; });
  std::vector<ui::RecordRow> rows;
  for (const auto& e : events) {
    ASSIGN_OR_RETURN(auto participants, store.ListBy<core::EventParticipant>("event_id", e.id));
    rows.push_back(RowOf(e, participants.size(), ctx));
  }
  return rows;
}

}  // namespace

std::string ShowDate(const Date& date) {
  return Two(date.day()) + "." + Two(date.month()) + "." + std::to_string(date.year());
}

std::string StatusText(const std::vector<core::SchoolStatus>& statuses, const BuildContext& ctx) {
  const std::string labels = Labels(statuses, ctx.language);
  return labels.empty() ? std::string((*ctx.tr)("school.status_none")) : labels;
}

std::string ShowTime(int64_t millis, const BuildContext& ctx) {
  const mentorlog::Clock& clock = ClockOf(ctx);
  const int offset = clock.UtcOffsetMinutes();
  const Date day = Date::FromUnixMillis(millis, offset);
  const Date today = Date::FromUnixMillis(clock.NowMillis(), offset);
  int64_t in_day = (millis + int64_t{offset} * 60'000) % kDayMillis;
  if (in_day < 0) in_day += kDayMillis;
  const int minutes = static_cast<int>(in_day / 60'000);
  const std::string hhmm = Two(minutes / 60) + ":" + Two(minutes % 60);
  if (day == today) return ctx.tr->Format("view.today_at", {hhmm});
  return ShowDate(day) + " " + hhmm;
}

std::string DraftTitle(const core::Records& store, const BuildContext& ctx, const ui::Form& form) {
  if (const auto* record = std::get_if<ui::RecordForm>(&form)) {
    // "Deficit — Иванова А. П.", "Network agreement — School No. 3": whom or where it is for.
    std::string what;
    if (auto teacher = ParseId(record->Get("teacher_id"))) {
      auto p = store.Get<core::Person>(*teacher);
      if (p.ok()) what = p->full_name;
    }
    if (what.empty()) {
      if (auto school = ParseId(record->school_id)) {
        auto sc = store.Get<core::School>(*school);
        if (sc.ok()) what = SchoolName(*sc);
      }
    }
    if (what.empty()) what = record->Get("title");
    return ctx.tr->Format("view.draft.record", {ui::RecordKindLabel(*ctx.tr, record->kind), what});
  }
  const std::string& school_id = std::visit([](const auto& f) -> const std::string& { return f.school_id; }, form);
  std::string school;
  if (auto id = ParseId(school_id)) {
    auto s = store.Get<core::School>(*id);
    if (s.ok()) school = SchoolName(*s);
  }
  const char* key = form.index() == 0   ? "view.draft.visit"
                    : form.index() == 1 ? "view.draft.observation"
                                        : "view.draft.consultation";
  return ctx.tr->Format(key, {school});
}

// -----------------------------------------------------------------------------------------
// [SECTION] Today
// -----------------------------------------------------------------------------------------

namespace {

// The school's statuses on `today` after its status `changes` (rounds.h StatusesOn), as labels.
std::vector<std::string> StatusLabels(const core::School& school, const std::vector<core::StatusChange>& changes,
                                      Date today, Language language) {
  std::vector<const core::StatusChange*> pointers;
  for (const auto& c : changes) pointers.push_back(&c);
  std::vector<std::string> out;
  for (core::SchoolStatus s : core::StatusesOn(school.statuses, pointers, today)) {
    out.emplace_back(core::EnumLabel(s, language));
  }
  return out;
}

Result<ui::SchoolCard> MakeCard(const core::Records& store, const BuildContext& ctx, const core::School& school,
                                const std::vector<core::RoadmapItem>& roadmap, Date today) {
  ui::SchoolCard card;
  card.id = school.id.ToString();
  card.name = SchoolName(school);
  card.municipality = school.municipality;
  ASSIGN_OR_RETURN(auto changes, store.ListBy<core::StatusChange>("school_id", school.id));
  card.statuses = StatusLabels(school, changes, today, ctx.language);

  ASSIGN_OR_RETURN(core::Records::SchoolActivity activity, store.ActivityOf(school.id, today));
  const std::optional<int> days = core::DaysSinceContact(activity.last_contact, today);
  card.days_since_contact = days.value_or(-1);
  card.without_contact = core::WithoutContact(days, ctx.no_contact_days);
  card.open_recommendations = static_cast<int>(activity.open_recommendations);
  card.overdue_recommendations = static_cast<int>(activity.overdue_recommendations);

  std::vector<const core::RoadmapItem*> next;
  for (const auto& item : roadmap) {
    const bool ours = item.level == core::RoadmapLevel::kDistrict || item.school_id == school.id;
    const bool pending =
        item.status == core::RoadmapStatus::kPlanned || item.status == core::RoadmapStatus::kInProgress;
    if (ours && pending && item.ends_on >= today) next.push_back(&item);
  }
  std::sort(next.begin(), next.end(), [](const auto* a, const auto* b) {
    return a->starts_on != b->starts_on ? a->starts_on < b->starts_on : a->id < b->id;
  });
  for (size_t i = 0; i < next.size() && i < 3; ++i) {
    card.next_roadmap.push_back(ctx.tr->Format("view.roadmap_line", {ShowDate(next[i]->starts_on), next[i]->title}));
  }
  return card;
}

}  // namespace

Result<ui::TodayView> BuildTodayView(const core::Store& store, const BuildContext& ctx) {
  ui::TodayView view;
  const Date today = store.records().Today();

  // Whose schools: the person's assignments, or all for a coordinator or nobody.
  std::optional<std::set<Uuid>> mine;
  if (ctx.person_id) {
    auto person = store.records().Get<core::Person>(*ctx.person_id);
    if (person.ok()) {
      view.user_name = person->full_name;
      if (!Has(person->roles, core::Role::kCoordinator)) {
        ASSIGN_OR_RETURN(auto assignments, store.records().ListBy<core::Assignment>("assignee_id", *ctx.person_id));
        mine.emplace();
        for (const auto& a : assignments) {
          if (a.starts_on <= today && (!a.ends_on || *a.ends_on >= today)) mine->insert(a.school_id);
        }
      }
    } else if (person.status().code() != StatusCode::kNotFound) {
      return person.status();
    }
  }
  if (view.user_name.empty()) {
    ASSIGN_OR_RETURN(auto name, store.ledger().GetSyncValue(sync::kDisplayNameKey));
    view.user_name = name.value_or("");
  }

  std::vector<core::School> schools;
  if (mine) {
    for (const Uuid& id : *mine) {
      auto s = store.records().Get<core::School>(id);
      if (s.ok()) schools.push_back(std::move(s).value());
    }
  } else {
    ASSIGN_OR_RETURN(schools, store.records().List<core::School>());
  }
  std::sort(schools.begin(), schools.end(), [](const auto& a, const auto& b) {
    return SchoolName(a) != SchoolName(b) ? SchoolName(a) < SchoolName(b) : a.id < b.id;
  });

  ASSIGN_OR_RETURN(auto roadmap, store.records().List<core::RoadmapItem>());
  for (const auto& s : schools) {
    ASSIGN_OR_RETURN(ui::SchoolCard card, MakeCard(store.records(), ctx, s, roadmap, today));
    view.schools.push_back(std::move(card));
  }

  ASSIGN_OR_RETURN(auto drafts, store.device().Drafts());
  for (const auto& d : drafts) view.drafts.push_back({d.key, d.title, ShowTime(d.updated_millis, ctx)});

  // Due within kDueDays, or overdue.
  const Date horizon = today.AddDays(kDueDays);
  std::vector<std::pair<Date, ui::RecordRow>> due;
  std::set<Uuid> my_schools;
  for (const auto& s : schools) my_schools.insert(s.id);
  for (const auto& item : roadmap) {
    const bool pending =
        item.status == core::RoadmapStatus::kPlanned || item.status == core::RoadmapStatus::kInProgress;
    if (!pending || item.ends_on > horizon || !item.school_id || my_schools.count(*item.school_id) == 0) continue;
    due.emplace_back(item.ends_on, RowOf(item, today, ctx));
  }
  // Route items of my teachers: those of my schools and those a tutor is assigned; a
  // coordinator's (or nobody's) Today reads them all at once.
  std::vector<core::RouteItem> route;
  Names people(store.records());
  if (!mine) {
    ASSIGN_OR_RETURN(route, store.records().List<core::RouteItem>());
  } else {
    std::set<Uuid> my_teachers;
    for (const auto& s : schools) {
      ASSIGN_OR_RETURN(auto staff, store.records().ListBy<core::Person>("school_id", s.id));
      for (const auto& p : staff) {
        people.Add(p);
        if (Has(p.roles, core::Role::kTeacher)) my_teachers.insert(p.id);
      }
    }
    ASSIGN_OR_RETURN(auto assignments, store.records().ListBy<core::Assignment>("assignee_id", *ctx.person_id));
    for (const auto& a : assignments) {
      if (a.teacher_id && a.starts_on <= today && (!a.ends_on || *a.ends_on >= today))
        my_teachers.insert(*a.teacher_id);
    }
    for (const Uuid& teacher : my_teachers) {
      ASSIGN_OR_RETURN(auto items, store.records().ListBy<core::RouteItem>("teacher_id", teacher));
      route.insert(route.end(), items.begin(), items.end());
    }
  }
  for (const auto& item : route) {
    const bool pending =
        item.status == core::RouteItemStatus::kPlanned || item.status == core::RouteItemStatus::kInProgress;
    if (!pending || item.due_on > horizon) continue;
    ui::RecordRow row = RowOf(item, today, ctx);
    row.detail = JoinDot({people.Of(item.teacher_id), row.detail});
    due.emplace_back(item.due_on, std::move(row));
  }
  if (ctx.person_id) {
    view.person_id = ctx.person_id->ToString();
    SchoolNames names(store.records());
    ASSIGN_OR_RETURN(auto plan, store.records().ListBy<core::PlanItem>("person_id", *ctx.person_id));
    // A planned visit, observation or consultation is done once recorded (rules.h PlanMatch): the
    // items of each school matched against its records, read once a school with an item due.
    std::map<Uuid, std::vector<const core::PlanItem*>> by_school;
    for (const auto& item : plan) by_school[item.school_id].push_back(&item);
    for (const auto& [school, items] : by_school) {
      const bool any_due = std::any_of(items.begin(), items.end(), [&](const core::PlanItem* i) {
        return i->planned_on <= horizon && !core::MarkedDone(*i, today);
      });
      if (!any_due) continue;
      ASSIGN_OR_RETURN(PlanEvidence evidence, PlanEvidence::Of(store.records(), school));
      const auto outcomes = evidence.Match(items, today);
      for (size_t i = 0; i < items.size(); ++i) {
        if (items[i]->planned_on > horizon || outcomes[i].done) continue;
        due.emplace_back(items[i]->planned_on, RowOf(*items[i], names, today, ctx));
      }
    }
  }
  // A coordinator's monitoring rounds ending soon, or ended and not closed yet: due to be closed.
  if (ctx.may_coordinate) {
    ASSIGN_OR_RETURN(auto rounds, store.records().List<core::MonitoringRound>());
    for (const auto& r : rounds) {
      if (r.closed_on || r.ends_on > horizon) continue;
      ui::RecordRow row = RowOf(r, ctx);
      if (r.ends_on < today) {
        row.status = (*ctx.tr)("view.row.round_to_close");
        row.overdue = true;
      }
      due.emplace_back(r.ends_on, std::move(row));
    }
  }
  std::stable_sort(due.begin(), due.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [date, row] : due) view.due.push_back(std::move(row));
  return view;
}

// -----------------------------------------------------------------------------------------
// [SECTION] School and teacher
// -----------------------------------------------------------------------------------------

Result<ui::SchoolView> BuildSchoolView(const core::Records& store, const BuildContext& ctx,
                                       std::string_view school_id) {
  ASSIGN_OR_RETURN(Uuid id, MustParseId(school_id));
  ASSIGN_OR_RETURN(core::School school, store.Get<core::School>(id));
  ui::SchoolView view;
  view.id = school.id.ToString();
  view.name = school.name;
  view.municipality = school.municipality;
  ASSIGN_OR_RETURN(auto changes, store.ListBy<core::StatusChange>("school_id", id));
  view.statuses = StatusLabels(school, changes, store.Today(), ctx.language);
  std::sort(changes.begin(), changes.end(), [](const auto& a, const auto& b) {
    return a.changed_on != b.changed_on ? a.changed_on > b.changed_on : b.id < a.id;
  });
  for (const auto& c : changes) {
    view.status_history.push_back({c.id.ToString(), "status_change", ShowDate(c.changed_on),
                                   StatusText(c.statuses, ctx), OneLine(c.reason), "", false});
  }
  SchoolNames schools(store);
  schools.Add(school);
  if (school.leader_partner_id) view.leader_partner = schools.Of(*school.leader_partner_id);
  ASSIGN_OR_RETURN(auto agreements, store.ListBy<core::NetworkAgreement>("supported_school_id", id));
  if (!agreements.empty()) {
    const auto& newest = *std::max_element(agreements.begin(), agreements.end(),
                                           [](const auto& a, const auto& b) { return a.signed_on < b.signed_on; });
    view.network_agreement = ctx.tr->Format("view.agreement", {newest.number, ShowDate(newest.signed_on)});
    if (view.leader_partner.empty()) {
      view.leader_partner = newest.leader_school_id ? schools.Of(*newest.leader_school_id) : newest.partner_name;
    }
  }
  view.transition_programme = std::string(core::EnumLabel(school.transition_programme, ctx.language));
  if (school.transition_programme_adopted_on) {
    view.transition_programme += " (" + ShowDate(*school.transition_programme_adopted_on) + ")";
  }

  Names people(store);
  ASSIGN_OR_RETURN(auto staff, store.ListBy<core::Person>("school_id", id));
  for (const auto& p : staff) people.Add(p);

  // Timeline: newest first; a day's entries by kind, then id.
  std::vector<std::pair<std::pair<Date, Uuid>, ui::TimelineEntry>> entries;
  ASSIGN_OR_RETURN(auto visits, store.ListBy<core::Visit>("school_id", id));
  for (const auto& v : visits) {
    entries.push_back({{v.date, v.id},
                       {ui::EntryKind::kVisit, v.id.ToString(), ShowDate(v.date),
                        ctx.tr->Format("view.timeline.visit", {Labels(v.purposes, ctx.language)}), OneLine(v.summary),
                        WarningOf(store, v, ctx)}});
  }
  ASSIGN_OR_RETURN(auto observations, store.ListBy<core::Observation>("school_id", id));
  for (const auto& o : observations) {
    entries.push_back({{o.date, o.id}, ObservationEntry(store, o, people.Of(o.teacher_id), ctx)});
  }
  ASSIGN_OR_RETURN(auto consultations, store.ListBy<core::Consultation>("school_id", id));
  for (const auto& c : consultations) {
    entries.push_back({{c.date, c.id},
                       {ui::EntryKind::kConsultation, c.id.ToString(), ShowDate(c.date),
                        ctx.tr->Format("view.timeline.consultation", {Labels(c.topics, ctx.language)}),
                        OneLine(c.questions.empty() ? c.advice : c.questions), WarningOf(store, c, ctx)}});
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (auto& e : entries) view.timeline.push_back(std::move(e.second));

  ASSIGN_OR_RETURN(view.open_recommendations, OpenRows(store, ctx, school, people));

  for (const auto& p : staff) {
    if (!Has(p.roles, core::Role::kTeacher)) continue;
    view.teachers.push_back({p.id.ToString(), p.full_name, Join(p.subjects)});
  }
  std::sort(view.teachers.begin(), view.teachers.end(), [](const auto& a, const auto& b) { return a.name < b.name; });

  // The programme's instruments of this school.
  const Date today = store.Today();
  // Its agreements, and those where it is the partner (a leader school's page lists the schools it supports).
  ASSIGN_OR_RETURN(auto as_partner, store.ListBy<core::NetworkAgreement>("leader_school_id", id));
  for (auto& a : as_partner) {
    if (a.supported_school_id != id) agreements.push_back(std::move(a));
  }
  std::sort(agreements.begin(), agreements.end(), [](const auto& a, const auto& b) {
    return a.signed_on != b.signed_on ? a.signed_on > b.signed_on : a.id < b.id;
  });
  for (const auto& a : agreements) view.agreements.push_back(RowOf(a, id, schools, ctx));
  ASSIGN_OR_RETURN(auto roadmap, store.ListBy<core::RoadmapItem>("school_id", id));
  std::sort(roadmap.begin(), roadmap.end(), [](const auto& a, const auto& b) {
    return a.starts_on != b.starts_on ? a.starts_on < b.starts_on : a.id < b.id;
  });
  for (const auto& r : roadmap) view.roadmap.push_back(RowOf(r, today, ctx));
  ASSIGN_OR_RETURN(auto events, store.ListBy<core::NetworkEvent>("organiser_school_id", id));
  ASSIGN_OR_RETURN(view.events, EventRows(store, std::move(events), ctx));
  ASSIGN_OR_RETURN(auto assignments, store.ListBy<core::Assignment>("school_id", id));
  std::sort(assignments.begin(), assignments.end(), [](const auto& a, const auto& b) {
    return a.starts_on != b.starts_on ? a.starts_on < b.starts_on : a.id < b.id;
  });
  for (const auto& a : assignments) view.assignments.push_back(RowOf(a, people, today, ctx));
  view.may_coordinate = ctx.may_coordinate;
  return view;
}

Result<ui::TeacherView> BuildTeacherView(const core::Records& store, const BuildContext& ctx,
                                         std::string_view teacher_id) {
  ASSIGN_OR_RETURN(Uuid id, MustParseId(teacher_id));
  ASSIGN_OR_RETURN(core::Person teacher, store.Get<core::Person>(id));
  ui::TeacherView view;
  view.id = teacher.id.ToString();
  view.name = teacher.full_name;
  if (teacher.school_id) {
    SchoolNames schools(store);
    view.school = schools.Of(*teacher.school_id);
  }
  view.subjects = Join(teacher.subjects);

  ASSIGN_OR_RETURN(auto observations, store.ListBy<core::Observation>("teacher_id", id));
  std::sort(observations.begin(), observations.end(),
            [](const auto& a, const auto& b) { return a.date != b.date ? a.date < b.date : a.id < b.id; });

  Rubrics rubrics(store);
  struct Series {
    size_t order = 0;
    ui::CriterionSeries series;
  };
  std::map<std::string, Series> by_criterion;
  for (const auto& o : observations) {
    ASSIGN_OR_RETURN(auto scores, store.ScoresOf(o.id));
    const core::Rubric* rubric = rubrics.Find(o.rubric_code, o.rubric_version);
    for (const auto& s : scores) {
      Series& entry = by_criterion[s.criterion_code];
      entry.series.code = s.criterion_code;
      if (rubric) {
        for (size_t i = 0; i < rubric->criteria.size(); ++i) {
          if (rubric->criteria[i].code != s.criterion_code) continue;
          entry.order = i;
          entry.series.title = rubric->criteria[i].title.In(ctx.language);  // the newest version's title wins
        }
      }
      if (entry.series.title.empty()) entry.series.title = s.criterion_code;
      entry.series.dates.push_back(ShowDate(o.date));
      entry.series.levels.push_back(s.level ? static_cast<int>(*s.level) : -1);
    }
  }
  std::vector<Series> series;
  for (auto& [code, s] : by_criterion) series.push_back(std::move(s));
  std::stable_sort(series.begin(), series.end(), [](const auto& a, const auto& b) { return a.order < b.order; });
  for (auto& s : series) view.rubric.push_back(std::move(s.series));

  for (auto it = observations.rbegin(); it != observations.rend(); ++it) {
    view.observations.push_back(ObservationEntry(store, *it, teacher.full_name, ctx));
  }

  view.school_id = teacher.school_id ? teacher.school_id->ToString() : std::string();
  const Date today = store.Today();
  ASSIGN_OR_RETURN(auto deficits, store.ListBy<core::Deficit>("teacher_id", id));
  std::sort(deficits.begin(), deficits.end(), [](const auto& a, const auto& b) {
    return a.found_on != b.found_on ? a.found_on < b.found_on : a.id < b.id;
  });
  for (const auto& d : deficits) view.deficits.push_back(RowOf(d, ctx));
  ASSIGN_OR_RETURN(auto route, store.ListBy<core::RouteItem>("teacher_id", id));
  std::sort(route.begin(), route.end(),
            [](const auto& a, const auto& b) { return a.due_on != b.due_on ? a.due_on < b.due_on : a.id < b.id; });
  for (const auto& r : route) view.route.push_back(RowOf(r, today, ctx));
  ASSIGN_OR_RETURN(auto trainings, store.ListBy<core::Training>("teacher_id", id));
  std::sort(trainings.begin(), trainings.end(),
            [](const auto& a, const auto& b) { return a.ends_on != b.ends_on ? a.ends_on > b.ends_on : a.id < b.id; });
  for (const auto& r : trainings) view.trainings.push_back(RowOf(r, ctx));
  view.may_coordinate = ctx.may_coordinate;
  return view;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Work plan and the district's programme
// -----------------------------------------------------------------------------------------

Result<ui::PlanView> BuildPlanView(const core::Records& store, const BuildContext& ctx, std::string_view person_id,
                                   std::optional<Date> day) {
  const Date today = store.Today();
  const Date in = day.value_or(today);
  const int first_month = in.month() >= 7 ? 7 : 1;
  const Date start = Date::FromYmd(in.year(), first_month, 1).value();
  const Date end =
      (first_month == 7 ? Date::FromYmd(in.year() + 1, 1, 1) : Date::FromYmd(in.year(), 7, 1)).value().AddDays(-1);
  const Date d = std::min(today, end);  // what was done by now, or by the half-year's end
  ui::PlanView view;
  view.half = ctx.tr->Format(first_month == 7 ? "plan.half2" : "plan.half1", {std::to_string(in.year())});
  view.half_start = start.ToString();

  ASSIGN_OR_RETURN(auto people, store.List<core::Person>());
  std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) { return a.full_name < b.full_name; });
  for (const auto& p : people) {
    if (Has(p.roles, core::Role::kMentor) || Has(p.roles, core::Role::kTutor)) {
      view.people.push_back({p.id.ToString(), p.full_name});
    }
  }
  std::optional<Uuid> who = ctx.person_id;
  if (!person_id.empty()) {
    ASSIGN_OR_RETURN(who, MustParseId(person_id));
  }
  if (!who) return view;  // nobody signed in and nobody chosen
  ASSIGN_OR_RETURN(core::Person person, store.Get<core::Person>(*who));
  view.person_id = person.id.ToString();
  view.person_name = person.full_name;

  // The schools: those of the plan's items in the half-year, and those the person was assigned
  // to during it (work done there counts even when nothing was planned).
  std::map<Uuid, std::vector<const core::PlanItem*>> by_school;
  ASSIGN_OR_RETURN(auto plan, store.ListBy<core::PlanItem>("person_id", *who));
  std::sort(plan.begin(), plan.end(), [](const auto& a, const auto& b) {
    return a.planned_on != b.planned_on ? a.planned_on < b.planned_on : a.id < b.id;
  });
  for (const auto& item : plan) {
    if (item.planned_on >= start && item.planned_on <= end) by_school[item.school_id].push_back(&item);
  }
  ASSIGN_OR_RETURN(auto assignments, store.ListBy<core::Assignment>("assignee_id", *who));
  for (const auto& a : assignments) {
    if (a.starts_on <= end && (!a.ends_on || *a.ends_on >= start)) by_school.try_emplace(a.school_id);
  }

  SchoolNames names(store);
  for (const auto& [school, items] : by_school) {
    ASSIGN_OR_RETURN(PlanEvidence evidence, PlanEvidence::Of(store, school));
    ui::PlanSchoolRow row;
    row.school_id = school.ToString();
    row.name = names.Of(school);
    row.planned = static_cast<int>(items.size());
    const auto outcomes = evidence.Match(items, d);
    for (size_t i = 0; i < items.size(); ++i) {
      const core::PlanItem& item = *items[i];
      ui::RecordRow r = RowOf(item, names, today, ctx);
      r.detail = Label(item.activity, ctx);
      if (outcomes[i].done) {
        ++row.done;
        const Date on = outcomes[i].by_record_of.value_or(item.done_on.value_or(item.planned_on));
        r.status = ctx.tr->Format("plan.done_on", {ShowDate(on)});
        r.overdue = false;
      } else {
        // Overdue rows say so themselves (DrawRecordRows): "not done" beside it says it twice.
        r.status = r.overdue ? std::string() : std::string(ctx.tr->operator()("plan.planned"));
        view.overdue += r.overdue;
      }
      row.items.push_back(std::move(r));
    }
    // What the person recorded there in the half-year, by `d`.
    auto within = [&](Date on) { return on >= start && on <= d; };
    int visits = 0, observations = 0, consultations = 0;
    for (const auto& v : evidence.visits) {
      visits += within(v.date) && std::find(v.visitor_ids.begin(), v.visitor_ids.end(), *who) != v.visitor_ids.end();
    }
    for (const auto& o : evidence.observations) observations += within(o.date) && o.observer_id == *who;
    for (const auto& c : evidence.consultations) consultations += within(c.date) && c.consultant_id == *who;
    std::vector<std::string> recorded;
    if (visits > 0) recorded.push_back(ctx.tr->Format("plan.recorded_visits", {std::to_string(visits)}));
    if (observations > 0) {
      recorded.push_back(ctx.tr->Format("plan.recorded_observations", {std::to_string(observations)}));
    }
    if (consultations > 0) {
      recorded.push_back(ctx.tr->Format("plan.recorded_consultations", {std::to_string(consultations)}));
    }
    row.recorded = JoinDot(recorded);
    view.planned += row.planned;
    view.done += row.done;
    view.schools.push_back(std::move(row));
  }
  std::stable_sort(view.schools.begin(), view.schools.end(), [](const auto& a, const auto& b) {
    if ((a.planned > 0) != (b.planned > 0)) return a.planned > 0;
    return a.name < b.name;
  });
  return view;
}

Result<ui::ProgrammeView> BuildProgrammeView(const core::Records& store, const BuildContext& ctx) {
  ui::ProgrammeView view;
  const Date today = store.Today();
  ASSIGN_OR_RETURN(auto roadmap, store.List<core::RoadmapItem>());
  std::erase_if(roadmap, [](const auto& r) { return r.level != core::RoadmapLevel::kDistrict; });
  // What is still to do first, by start; then what is done or cancelled, latest first (a
  // district's roadmap runs for years).
  auto pending = [](const core::RoadmapItem& r) {
    return r.status == core::RoadmapStatus::kPlanned || r.status == core::RoadmapStatus::kInProgress;
  };
  std::sort(roadmap.begin(), roadmap.end(), [&](const auto& a, const auto& b) {
    if (pending(a) != pending(b)) return pending(a);
    if (a.starts_on != b.starts_on) return pending(a) ? a.starts_on < b.starts_on : a.starts_on > b.starts_on;
    return a.id < b.id;
  });
  for (const auto& r : roadmap) view.roadmap.push_back(RowOf(r, today, ctx));
  ASSIGN_OR_RETURN(auto events, store.List<core::NetworkEvent>());
  ASSIGN_OR_RETURN(view.events, EventRows(store, std::move(events), ctx));
  ASSIGN_OR_RETURN(auto rounds, store.List<core::MonitoringRound>());
  std::sort(rounds.begin(), rounds.end(),
            [](const auto& a, const auto& b) { return a.ends_on != b.ends_on ? a.ends_on > b.ends_on : a.id < b.id; });
  for (const auto& r : rounds) {
    view.rounds.push_back(RowOf(r, ctx));
    if (!r.closed_on) view.open_rounds.push_back({r.id.ToString(), r.name});
  }
  view.may_coordinate = ctx.may_coordinate;
  return view;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Recommendations
// -----------------------------------------------------------------------------------------

Result<ui::RecommendationsView> BuildRecommendationsView(const core::Records& store, const BuildContext& ctx,
                                                         const ui::RecommendationFilter& filter) {
  ui::RecommendationsView view;
  const Date today = store.Today();
  ASSIGN_OR_RETURN(auto all_schools, store.List<core::School>());
  SchoolNames schools(store);
  for (const auto& s : all_schools) {
    schools.Add(s);
    view.schools.push_back({s.id.ToString(), SchoolName(s)});
  }
  std::sort(view.schools.begin(), view.schools.end(), [](const auto& a, const auto& b) { return a.label < b.label; });
  ASSIGN_OR_RETURN(auto all_people, store.List<core::Person>());
  Names people(store);
  for (const auto& p : all_people) people.Add(p);

  ASSIGN_OR_RETURN(auto recs, store.List<core::Recommendation>());
  view.total = static_cast<int64_t>(recs.size());
  const std::string search = core::FoldCase(filter.search);
  std::set<Uuid> owners;
  std::vector<std::pair<core::Recommendation, ui::RecommendationRow>> rows;
  for (auto& r : recs) {
    if (r.responsible_id) owners.insert(*r.responsible_id);
    if (!filter.school_id.empty() && r.school_id.ToString() != filter.school_id) continue;
    if (!filter.status.empty() && core::EnumCode(r.status) != filter.status) continue;
    if (!filter.owner_id.empty() && (!r.responsible_id || r.responsible_id->ToString() != filter.owner_id)) continue;
    if (filter.overdue_only && !IsOverdue(r, today)) continue;
    ui::RecommendationRow row = MakeRow(r, schools.Of(r.school_id), people, today, ctx);
    if (!search.empty()) {
      const std::string haystack = core::FoldCase(row.text + "\n" + row.school + "\n" + row.teacher + "\n" + row.owner);
      if (haystack.find(search) == std::string::npos) continue;
    }
    row.warning = WarningOf(store, r, ctx);
    rows.emplace_back(std::move(r), std::move(row));
  }
  SortRows(rows);
  for (auto& [rec, row] : rows) view.rows.push_back(std::move(row));
  for (const Uuid& id : owners) view.owners.push_back({id.ToString(), people.Of(id)});
  std::sort(view.owners.begin(), view.owners.end(), [](const auto& a, const auto& b) { return a.label < b.label; });
  return view;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Form options
// -----------------------------------------------------------------------------------------

Result<ui::FormOptions> BuildFormOptions(const core::Records& store, const BuildContext& ctx,
                                         std::string_view school_id) {
  ASSIGN_OR_RETURN(Uuid id, MustParseId(school_id));
  ASSIGN_OR_RETURN(core::School school, store.Get<core::School>(id));
  ui::FormOptions options;
  options.school_id = school.id.ToString();
  options.school_name = SchoolName(school);
  options.today = store.Today().ToString();
  options.visit_purposes = EnumChoices<core::VisitPurpose>(ctx.language);
  options.consultation_audiences = EnumChoices<core::ConsultationAudience>(ctx.language);
  options.consultation_formats = EnumChoices<core::ConsultationFormat>(ctx.language);
  options.consultation_topics = EnumChoices<core::ConsultationTopic>(ctx.language);

  Names people(store);
  ASSIGN_OR_RETURN(auto staff, store.ListBy<core::Person>("school_id", id));
  std::sort(staff.begin(), staff.end(), [](const auto& a, const auto& b) { return a.full_name < b.full_name; });
  std::set<std::string> subjects;
  for (const auto& p : staff) {
    people.Add(p);
    options.people.push_back({p.id.ToString(), p.full_name});
    if (!Has(p.roles, core::Role::kTeacher)) continue;
    options.teachers.push_back({p.id.ToString(), p.full_name});
    subjects.insert(p.subjects.begin(), p.subjects.end());
  }
  for (const std::string& s : subjects) options.subjects.push_back({s, s});
  ASSIGN_OR_RETURN(options.open_recommendations, OpenRows(store, ctx, school, people));

  Rubrics rubrics(store);
  if (const core::Rubric* rubric = rubrics.Newest("lesson_observation")) {
    options.rubric.code = rubric->code;
    options.rubric.version = rubric->version;
    options.rubric.title = rubric->title.In(ctx.language);
    for (const auto& c : rubric->criteria) {
      ui::CriterionView view;
      view.code = c.code;
      view.title = c.title.In(ctx.language);
      for (const auto& d : rubric->domains) {
        if (d.code == c.domain) view.domain = d.title.In(ctx.language);
      }
      for (const auto& text : c.descriptors) view.levels.push_back(text.In(ctx.language));
      options.rubric.criteria.push_back(std::move(view));
    }
  }
  return options;
}

Result<ui::RecordOptions> BuildRecordOptions(const core::Records& store, const BuildContext& ctx,
                                             std::string_view school_id) {
  ui::RecordOptions options;
  options.today = store.Today().ToString();
  // Every vocabulary the specs choose from, through the kind's field table.
  for (const ui::RecordSpec& spec : ui::RecordSpecs()) {
    const auto kind = core::EnumFromText<core::RecordKind>(spec.kind);
    if (!kind) continue;
    core::VisitKind(*kind, [&]<class R>() {
      core::ForEachFieldDef<R>([&](const auto& def) {
        using T = std::remove_cvref_t<decltype(std::declval<R>().*(def.member))>;
        if constexpr (std::is_enum_v<T>) {
          options.vocabularies[std::string(spec.kind) + "." + std::string(def.name)] = EnumChoices<T>(ctx.language);
        } else if constexpr (core::IsVector<T>::value) {
          if constexpr (std::is_enum_v<typename T::value_type>) {
            options.vocabularies[std::string(spec.kind) + "." + std::string(def.name)] =
                EnumChoices<typename T::value_type>(ctx.language);
          }
        }
      });
    });
  }
  ASSIGN_OR_RETURN(auto schools, store.List<core::School>());
  std::sort(schools.begin(), schools.end(), [](const auto& a, const auto& b) {
    return SchoolName(a) != SchoolName(b) ? SchoolName(a) < SchoolName(b) : a.id < b.id;
  });
  std::map<Uuid, std::string> school_names;
  for (const auto& s : schools) {
    options.schools.push_back({s.id.ToString(), SchoolName(s)});
    school_names[s.id] = SchoolName(s);
  }
  ASSIGN_OR_RETURN(auto people, store.List<core::Person>());
  std::sort(people.begin(), people.end(), [](const auto& a, const auto& b) { return a.full_name < b.full_name; });
  std::vector<std::pair<std::string, ui::GroupedChoice>> teachers;  // by school name, then name
  for (const auto& p : people) {
    if (Has(p.roles, core::Role::kTeacher) && p.school_id) {
      const std::string& school = school_names[*p.school_id];
      teachers.push_back({school, {p.id.ToString(), p.full_name, p.school_id->ToString(), school}});
    }
    if (Has(p.roles, core::Role::kMentor) || Has(p.roles, core::Role::kTutor) ||
        Has(p.roles, core::Role::kCoordinator)) {
      options.people.push_back({p.id.ToString(), p.full_name});
    }
  }
  std::stable_sort(teachers.begin(), teachers.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.group < b.second.group;
  });
  for (auto& [school, choice] : teachers) options.teachers.push_back(std::move(choice));
  if (auto school = ParseId(school_id)) {
    for (const ui::GroupedChoice& t : options.teachers) {
      if (t.group != school->ToString()) continue;
      ASSIGN_OR_RETURN(Uuid teacher, MustParseId(t.code));
      ASSIGN_OR_RETURN(auto deficits, store.ListBy<core::Deficit>("teacher_id", teacher));
      for (const auto& d : deficits) {
        options.deficits.push_back({d.id.ToString(), d.area + " (" + ShowDate(d.found_on) + ")", t.code, t.label});
      }
    }
  }
  return options;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Sync
// -----------------------------------------------------------------------------------------

Result<ui::SyncView> BuildSyncView(const core::Store& store, const BuildContext& ctx, bool signed_in) {
  ui::SyncView view;
  view.signed_in = signed_in;
  auto value = [&](std::string_view key) -> Result<std::string> {
    ASSIGN_OR_RETURN(auto v, store.ledger().GetSyncValue(key));
    return v.value_or("");
  };
  ASSIGN_OR_RETURN(view.server, value(sync::kServerKey));
  ASSIGN_OR_RETURN(view.user, value(sync::kDisplayNameKey));
  if (view.user.empty()) {
    ASSIGN_OR_RETURN(view.user, value(sync::kLoginKey));
  }
  ASSIGN_OR_RETURN(view.pending, store.ledger().PendingCount());
  ASSIGN_OR_RETURN(std::string success, value(sync::kLastSuccessKey));
  int64_t millis = 0;
  const auto [end, ec] = std::from_chars(success.data(), success.data() + success.size(), millis);
  if (!success.empty() && ec == std::errc() && end == success.data() + success.size()) {
    view.last_success = ShowTime(millis, ctx);
  }
  ASSIGN_OR_RETURN(view.last_error, value(sync::kLastErrorKey));
  if (ctx.language == Language::kRussian) {
    ASSIGN_OR_RETURN(std::string ru, value(sync::kLastErrorRuKey));
    if (!ru.empty()) view.last_error = std::move(ru);  // else: kept by a version before both
  }

  SchoolNames schools(store.records());
  ASSIGN_OR_RETURN(auto rejected, store.ledger().Rejected());
  for (const auto& r : rejected) {
    view.rejected.push_back({DescribeRecord(store.records(), ctx, r.kind, r.record_id, schools),
                             LocalText{r.reason_ru, r.reason_en}.In(ctx.language), ShowTime(r.rejected_millis, ctx)});
  }
  ASSIGN_OR_RETURN(auto conflicts, store.ledger().Conflicts(/*include_dismissed=*/false));
  for (const auto& c : conflicts) {
    ui::ConflictRow row;
    row.id = c.id.ToString();
    row.what = DescribeRecord(store.records(), ctx, c.kind, c.record_id, schools) + ": " + c.field;
    row.kept = core::FieldValueToString(c.kept);
    row.lost = core::FieldValueToString(c.lost);
    const std::string device = c.lost_clock.device_id == store.device_id()
                                   ? std::string((*ctx.tr)("view.sync.this_device"))
                                   : ctx.tr->Format("view.sync.device", {c.lost_clock.device_id.substr(0, 8)});
    row.who = device + ", " + ShowTime(static_cast<int64_t>(c.lost_clock.stamp.millis()), ctx);
    view.conflicts.push_back(std::move(row));
  }
  return view;
}

}  // namespace mentorlog::app
