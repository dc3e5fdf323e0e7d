#include "migrations.h"

namespace mentorlog::core {

// Migration 1 (0.1.0): a typed table per record kind, the clocks, the outbox.
// Every record table: id TEXT PRIMARY KEY, deleted (tombstone), then RecordTraits<R>::kFields.
static constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

CREATE TABLE schools (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL, name TEXT NOT NULL, short_name TEXT NOT NULL, municipality TEXT NOT NULL,
  settlement TEXT NOT NULL, distance_km REAL NOT NULL, pupils INTEGER NOT NULL, teachers INTEGER NOT NULL,
  statuses TEXT NOT NULL, status_year INTEGER NOT NULL, leader_partner_id TEXT,
  transition_programme TEXT NOT NULL, transition_programme_adopted_on TEXT,
  management_team_trained INTEGER NOT NULL, district TEXT NOT NULL);

CREATE TABLE people (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL, full_name TEXT NOT NULL, roles TEXT NOT NULL, school_id TEXT,
  subjects TEXT NOT NULL, email TEXT NOT NULL, phone TEXT NOT NULL);

CREATE TABLE assignments (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  kind TEXT NOT NULL, assignee_id TEXT NOT NULL, school_id TEXT NOT NULL, teacher_id TEXT,
  subject TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT);

CREATE TABLE visits (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  school_id TEXT NOT NULL, date TEXT NOT NULL, visitor_ids TEXT NOT NULL, purposes TEXT NOT NULL,
  met_with TEXT NOT NULL, summary TEXT NOT NULL, strengths TEXT NOT NULL, problems TEXT NOT NULL);

CREATE TABLE observations (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  visit_id TEXT, school_id TEXT NOT NULL, teacher_id TEXT NOT NULL, observer_id TEXT NOT NULL,
  kind TEXT NOT NULL, subject TEXT NOT NULL, grade INTEGER NOT NULL, class_label TEXT NOT NULL,
  date TEXT NOT NULL, topic TEXT NOT NULL, rubric_code TEXT NOT NULL, rubric_version INTEGER NOT NULL,
  strengths TEXT NOT NULL, growth_areas TEXT NOT NULL, next_steps TEXT NOT NULL,
  discussion_held INTEGER NOT NULL);

CREATE TABLE observation_scores (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  observation_id TEXT NOT NULL, criterion_code TEXT NOT NULL, level INTEGER, evidence TEXT NOT NULL);

CREATE TABLE consultations (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  school_id TEXT NOT NULL, date TEXT NOT NULL, consultant_id TEXT NOT NULL, audience TEXT NOT NULL,
  teacher_id TEXT, format TEXT NOT NULL, minutes INTEGER NOT NULL, topics TEXT NOT NULL,
  questions TEXT NOT NULL, advice TEXT NOT NULL, follow_ups TEXT NOT NULL);

CREATE TABLE recommendations (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  source_kind TEXT NOT NULL, source_id TEXT NOT NULL, school_id TEXT NOT NULL, teacher_id TEXT,
  text TEXT NOT NULL, responsible_id TEXT, responsible_name TEXT NOT NULL, created_on TEXT NOT NULL,
  due_on TEXT NOT NULL, status TEXT NOT NULL, reopen_count INTEGER NOT NULL, evidence TEXT NOT NULL,
  verified_visit_id TEXT, closed_on TEXT);

CREATE TABLE recommendation_events (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  recommendation_id TEXT NOT NULL, kind TEXT NOT NULL, date TEXT NOT NULL, author_id TEXT,
  text TEXT NOT NULL);

CREATE TABLE deficits (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  teacher_id TEXT NOT NULL, area TEXT NOT NULL, found_on TEXT NOT NULL, found_by TEXT NOT NULL,
  observation_id TEXT, remedy TEXT NOT NULL, closed_on TEXT, notes TEXT NOT NULL);

CREATE TABLE roadmap_items (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL, level TEXT NOT NULL, school_id TEXT, starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL, responsible TEXT NOT NULL, participants TEXT NOT NULL,
  planned_result TEXT NOT NULL, status TEXT NOT NULL, report TEXT NOT NULL);

CREATE TABLE network_agreements (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  number TEXT NOT NULL, signed_on TEXT NOT NULL, supported_school_id TEXT NOT NULL,
  leader_school_id TEXT NOT NULL, model TEXT NOT NULL, ends_on TEXT, subject TEXT NOT NULL);

CREATE TABLE assessment_results (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  school_id TEXT NOT NULL, year INTEGER NOT NULL, assessment TEXT NOT NULL, subject TEXT NOT NULL,
  grade INTEGER NOT NULL, participants INTEGER NOT NULL, mean_score REAL NOT NULL,
  share_below_min REAL NOT NULL, share_top REAL NOT NULL);

CREATE TABLE context_indicators (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  school_id TEXT NOT NULL, year INTEGER NOT NULL, indicator TEXT NOT NULL, value REAL NOT NULL);

CREATE TABLE rubric_templates (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  code TEXT NOT NULL, version INTEGER NOT NULL, title_ru TEXT NOT NULL, title_en TEXT NOT NULL,
  body_json TEXT NOT NULL);

-- One row per record: the HLC stamp and device of each field (see docs/decisions/0002).
CREATE TABLE record_clocks (
  record_id TEXT PRIMARY KEY, kind INTEGER NOT NULL, clocks TEXT NOT NULL,
  max_hlc INTEGER NOT NULL, deleted_hlc INTEGER, deleted_device TEXT) WITHOUT ROWID;

-- Every local write, in order, until the server acknowledges it.
CREATE TABLE outbox (
  device_id TEXT NOT NULL, op_seq INTEGER NOT NULL, kind INTEGER NOT NULL, record_id TEXT NOT NULL,
  op INTEGER NOT NULL, hlc INTEGER NOT NULL, payload BLOB NOT NULL, acked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, op_seq)) WITHOUT ROWID;
)sql";

// Migration 2 (0.1.0): indexes for the school timeline, import upserts and checks.
static constexpr std::string_view kMigration2 = R"sql(
CREATE INDEX visits_school_date ON visits (school_id, date);
CREATE INDEX observations_school_date ON observations (school_id, date);
CREATE INDEX observations_teacher ON observations (teacher_id, date);
CREATE INDEX observation_scores_observation ON observation_scores (observation_id);
CREATE INDEX consultations_school_date ON consultations (school_id, date);
CREATE INDEX recommendations_school_status ON recommendations (school_id, status);
CREATE INDEX recommendation_events_rec ON recommendation_events (recommendation_id);
CREATE INDEX schools_code ON schools (code);
CREATE INDEX people_school ON people (school_id);
CREATE INDEX people_code ON people (code);
CREATE INDEX assessment_results_key ON assessment_results (school_id, year, assessment, subject, grade);
CREATE INDEX context_indicators_key ON context_indicators (school_id, year, indicator);
CREATE INDEX outbox_record ON outbox (record_id, hlc);
)sql";

// Migration 3 (0.2.0): sync's state on the device. `pulled` marks clocks whose latest write
// came from the server (such a write has no outbox entry here).
static constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE sync_state (key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE conflicts (
  id TEXT PRIMARY KEY, kind INTEGER NOT NULL, record_id TEXT NOT NULL, field TEXT NOT NULL,
  kept_value, kept_hlc INTEGER NOT NULL, kept_device TEXT NOT NULL,
  lost_value, lost_hlc INTEGER NOT NULL, lost_device TEXT NOT NULL,
  reason TEXT NOT NULL, noticed_millis INTEGER NOT NULL, dismissed INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE rejected (
  op_seq INTEGER PRIMARY KEY, kind INTEGER NOT NULL, record_id TEXT NOT NULL, code TEXT NOT NULL,
  reason_en TEXT NOT NULL, reason_ru TEXT NOT NULL, rejected_millis INTEGER NOT NULL, payload BLOB NOT NULL);
ALTER TABLE record_clocks ADD COLUMN pulled INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_pending ON outbox (op_seq) WHERE acked = 0;
)sql";

// Migration 4 (0.2.1): the pending index carries `acked`, so counting and acknowledging
// pending changes read the index alone. Without it every count read each pending row of the
// outbox, payload and all: 12% of a 50k-record push (bench/README.md, sync_vs_pouchdb).
static constexpr std::string_view kMigration4 = R"sql(
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (op_seq, acked) WHERE acked = 0;
)sql";

// Migration 5 (0.3.0): the app's drafts, forms kept as typed (local to the device: no clocks,
// no outbox, never synced), and indexes for the app's per-person and per-teacher lookups
// (Records::ListBy).
static constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE drafts (
  key TEXT PRIMARY KEY, kind TEXT NOT NULL, title TEXT NOT NULL, payload TEXT NOT NULL,
  updated_millis INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX assignments_assignee ON assignments (assignee_id);
CREATE INDEX roadmap_items_school ON roadmap_items (school_id);
CREATE INDEX deficits_teacher ON deficits (teacher_id);
CREATE INDEX network_agreements_supported ON network_agreements (supported_school_id);
)sql";

// Migration 6 (0.3.1): opening a store starts the HLC after the newest stamp stored; with this
// index that is one index step, not a scan of every record's clocks (250 ms on a 178k-record
// store, before the app could show any data).
static constexpr std::string_view kMigration6 = R"sql(
CREATE INDEX record_clocks_max_hlc ON record_clocks (max_hlc);
)sql";

// Migration 7 (0.4.0): the local change feed (Records::ChangesSince). Every write of a record on
// this device, a save, a delete or a pulled state applied, gives its clocks row the next local
// sequence number; readers (the app's dashboards) keep the last number they read. The records
// already stored are numbered in the order of their newest stamp.
static constexpr std::string_view kMigration7 = R"sql(
ALTER TABLE record_clocks ADD COLUMN local_seq INTEGER NOT NULL DEFAULT 0;
UPDATE record_clocks SET local_seq = numbered.n
  FROM (SELECT record_id, row_number() OVER (ORDER BY max_hlc, record_id) AS n FROM record_clocks) AS numbered
  WHERE numbered.record_id = record_clocks.record_id;
CREATE INDEX record_clocks_local_seq ON record_clocks (local_seq);
)sql";

// Migration 8 (0.4.0), "outbox with rowids": the outbox becomes an ordinary (rowid) table, same
// columns, same key, same indexes. As a WITHOUT ROWID table it was a b-tree of whole rows, where
// a row of more than about 1,000 bytes (4 KiB pages) leaves all but 489 of them on an overflow
// page of its own, and interior pages hold whole rows too. A visit's change grew past that
// limit when sync added the base clock of each field (8366bf3), so every Save wrote a 4 KiB
// page for a few hundred bytes: 2.3 times the pages per write, and in long transactions the
// page cache spilled them into the WAL twice (bench/README.md, store_write_bench). A rowid
// table keeps rows of up to about 4,000 bytes on its leaf pages, and its interior pages hold
// only rowids.
static constexpr std::string_view kMigration8 = R"sql(
CREATE TABLE outbox_with_rowids (
  device_id TEXT NOT NULL, op_seq INTEGER NOT NULL, kind INTEGER NOT NULL, record_id TEXT NOT NULL,
  op INTEGER NOT NULL, hlc INTEGER NOT NULL, payload BLOB NOT NULL, acked INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (device_id, op_seq));
INSERT INTO outbox_with_rowids (device_id, op_seq, kind, record_id, op, hlc, payload, acked)
  SELECT device_id, op_seq, kind, record_id, op, hlc, payload, acked FROM outbox ORDER BY device_id, op_seq;
DROP TABLE outbox;
ALTER TABLE outbox_with_rowids RENAME TO outbox;
CREATE INDEX outbox_record ON outbox (record_id, hlc);
CREATE INDEX outbox_pending ON outbox (op_seq, acked) WHERE acked = 0;
)sql";

// Migration 9 (0.4.0): the app's settings get a typed table of their own (DeviceState::Settings).
// They were sync values ("app_language", ...) beside sync's cursor; a value that does not read
// as its type becomes the default.
static constexpr std::string_view kMigration9 = R"sql(
CREATE TABLE device_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1), language TEXT CHECK (language IN ('ru', 'en')),
  text_scale REAL NOT NULL CHECK (text_scale > 0), auto_sync INTEGER NOT NULL, work_offline INTEGER NOT NULL);
INSERT INTO device_settings (id, language, text_scale, auto_sync, work_offline) VALUES (1,
  (SELECT CAST(value AS TEXT) FROM sync_state WHERE key = 'app_language' AND CAST(value AS TEXT) IN ('ru', 'en')),
  coalesce((SELECT scale FROM (SELECT CAST(CAST(value AS TEXT) AS REAL) AS scale FROM sync_state
                               WHERE key = 'app_text_scale') WHERE scale > 0), 1.0),
  coalesce((SELECT CAST(value AS TEXT) = '1' FROM sync_state WHERE key = 'app_auto_sync'), 0),
  coalesce((SELECT CAST(value AS TEXT) = '1' FROM sync_state WHERE key = 'app_work_offline'), 0));
DELETE FROM sync_state WHERE key IN ('app_language', 'app_text_scale', 'app_auto_sync', 'app_work_offline');
)sql";

// Migration 10 (0.5.0), "the programme's instruments" (issue 15): routes (ИОМ), trainings,
// network events and their participants, work plans; a deficit's closing, a roadmap item's
// done date and evidence; an agreement's partner may be a social institution (leader_school_id
// becomes nullable: the table is rebuilt, as SQLite cannot drop a NOT NULL), with a status and
// milestones. Agreements stored before are active school partnerships.
static constexpr std::string_view kMigration10 = R"sql(
ALTER TABLE deficits ADD COLUMN closed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE roadmap_items ADD COLUMN done_on TEXT;
ALTER TABLE roadmap_items ADD COLUMN evidence TEXT NOT NULL DEFAULT '';

CREATE TABLE network_agreements_10 (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  number TEXT NOT NULL, signed_on TEXT NOT NULL, supported_school_id TEXT NOT NULL,
  leader_school_id TEXT, model TEXT NOT NULL, ends_on TEXT, subject TEXT NOT NULL,
  partner_kind TEXT NOT NULL DEFAULT 'school', partner_name TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'active', milestones TEXT NOT NULL DEFAULT '');
INSERT INTO network_agreements_10 (id, deleted, number, signed_on, supported_school_id, leader_school_id, model,
                                   ends_on, subject)
  SELECT id, deleted, number, signed_on, supported_school_id, leader_school_id, model, ends_on, subject
  FROM network_agreements;
DROP TABLE network_agreements;
ALTER TABLE network_agreements_10 RENAME TO network_agreements;
CREATE INDEX network_agreements_supported ON network_agreements (supported_school_id);

CREATE TABLE route_items (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  teacher_id TEXT NOT NULL, deficit_id TEXT, activity TEXT NOT NULL, title TEXT NOT NULL,
  starts_on TEXT NOT NULL, due_on TEXT NOT NULL, status TEXT NOT NULL, done_on TEXT, result TEXT NOT NULL);
CREATE INDEX route_items_teacher ON route_items (teacher_id);

CREATE TABLE trainings (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  teacher_id TEXT NOT NULL, kind TEXT NOT NULL, provider TEXT NOT NULL, title TEXT NOT NULL,
  hours INTEGER NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, certificate TEXT NOT NULL);
CREATE INDEX trainings_teacher ON trainings (teacher_id);

CREATE TABLE network_events (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  title TEXT NOT NULL, kind TEXT NOT NULL, organiser_school_id TEXT, held_on TEXT NOT NULL, report TEXT NOT NULL);

CREATE TABLE event_participants (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  event_id TEXT NOT NULL, teacher_id TEXT NOT NULL);
CREATE INDEX event_participants_event ON event_participants (event_id);

CREATE TABLE plan_items (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  person_id TEXT NOT NULL, school_id TEXT NOT NULL, teacher_id TEXT, activity TEXT NOT NULL,
  planned_on TEXT NOT NULL, title TEXT NOT NULL, done_on TEXT);
CREATE INDEX plan_items_person ON plan_items (person_id, planned_on);
)sql";

// Migration 11 (0.6.0), "the programme's cycle" (issue 16): monitoring rounds, each school's
// figures frozen when a round closes, and the history of a school's status.
static constexpr std::string_view kMigration11 = R"sql(
CREATE TABLE monitoring_rounds (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL, kind TEXT NOT NULL, starts_on TEXT NOT NULL, ends_on TEXT NOT NULL,
  school_ids TEXT NOT NULL, closed_on TEXT, district_figures TEXT NOT NULL);

CREATE TABLE round_results (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  round_id TEXT NOT NULL, school_id TEXT NOT NULL, statuses TEXT NOT NULL, figures TEXT NOT NULL,
  risks TEXT NOT NULL);
CREATE INDEX round_results_round ON round_results (round_id);
CREATE INDEX round_results_school ON round_results (school_id);

CREATE TABLE status_changes (
  id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0,
  school_id TEXT NOT NULL, changed_on TEXT NOT NULL, statuses TEXT NOT NULL, reason TEXT NOT NULL,
  round_id TEXT);
CREATE INDEX status_changes_school ON status_changes (school_id, changed_on);
)sql";

std::span<const std::string_view> Migrations() {
  static constexpr std::string_view kAll[] = {kMigration1, kMigration2,  kMigration3, kMigration4,
                                              kMigration5, kMigration6,  kMigration7, kMigration8,
                                              kMigration9, kMigration10, kMigration11};
  return kAll;
}

}  // namespace mentorlog::core
