// The randomised convergence harness (issue 13): one seeded run of 2-8 devices against a real
// mentorlog-server, with faults, and the checks that every device ends where the server is.
//
// A run, all of it a function of the seed (timings aside):
//  1. A central store on the backend (SQLite file, or a fresh PostgreSQL schema) with a small
//     district: 3 schools, 3-4 mentors whose schools overlap, a tutor, a coordinator, a teacher
//     per school; accounts made with `mentorlog-server user add`.
//  2. `mentorlog-server serve` behind the fault proxy; 2-8 `mentorlog-cli` devices signed in
//     (every mentor account at least once, the coordinator always, the tutor sometimes; an
//     account may have two devices). Each device has a clock offset (MENTORLOG_CLOCK_OFFSET_MS):
//     mostly none, some a second or two off, some a day ahead or behind.
//  3. Rounds; in each, each device in a random order: `mentorlog-cli workload` (random
//     creates, text and date edits, deletes, recommendation status moves and reopenings,
//     comments; a quarter of the time as a process, else the same core::RunWorkload on the
//     device's store in process, since a process start costs more than the work), sometimes the same field of a visit
//     or recommendation edited twice with `mentorlog-cli edit`, sometimes a `delete`; the coordinator sometimes ends a
//     mentor's assignment or moves the mentor to another school (written in its store in process, as the app does: the
//     CLI has no command for assignments); then a sync under one fault: none, segment loss, a request cut, a response
//     cut, a swallowed answer (the client sends the committed batch again: a duplicate), the client SIGKILLed at a
//     random moment, or the server SIGKILLed at a random moment and restarted on the same database.
//  4. A clean final sync of every device, twice over (so each has seen the others' last
//     changes).
//
// The checks, each counted per run:
//  (1) Converged: every device has nothing left to send, and its state hash equals the
//      server's for its account (what `mentorlog-cli state-hash` and `mentorlog-server
//      state-hash --as <login>` print: sync::DeviceStateHash and SyncService::StateHash, called
//      here in process once the server has stopped).
//  (2) Nothing acknowledged is lost. A *write* is one field of one acknowledged, not refused
//      outbox entry of a device (the outbox keeps acknowledged entries; refused ones are in the
//      device's `rejected` table with the change, so they are kept, not lost). Recommendation
//      `status` and `reopen_count` are left out: they merge by the monotone status rule, not by
//      clock. A write W = (device d, op seq n, record r, field f, value v, stamp s, base b) is
//      *accounted for* when one of:
//        a. the server's record r is deleted (delete wins; a lost edit of it is then an
//           edit_after_delete conflict, see c);
//        b. the server's r.f holds v;
//        c. the server recorded a conflict on (r, f) whose lost value is v;
//        d. a later write superseded it knowingly: another accounted-or-not write W' to (r, f)
//           from d with a greater op seq, or from any device with base (s, d), i.e. written by
//           someone who had seen W. For a device more than 5 minutes ahead the server clamps
//           its stamps, so the stamp W got on the server is unknown here: any base by d counts;
//        e. another write of the same value v to (r, f) is accounted for (the text survives).
//      Every merge rule of docs/sync.md leaves one of these behind: a concurrent overwrite of a
//      different value records the loser as a conflict; a sequential one carries the
//      overwritten clock as its base. An acknowledged delete is accounted for when the
//      server's record is deleted. Anything else is *lost*.
//  (3) Every conflict visible: each conflict the server holds for a school in the device's
//      account's current scope (SyncService::ScopeOf), or district-wide, is in the device's
//      conflicts table (what `mentorlog-cli conflicts --all` lists).
//  (4) No spurious conflict: a "concurrent_edit" conflict whose kept and lost values were both
//      written by one device (a device cannot edit concurrently with itself).
// A run is *lost* when (2) fails; *diverged* when (1) or (3) fails; *spurious* when (4) fails.
//
// Linux only (fork, exec, signals). Thread safety: RunConvergence may run on several threads
// at once with different work folders; it starts and ends its own processes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "mentorlog/base/status.h"

namespace mentorlog::server::converge {

enum class ConvergeBackend { kSqlite, kPostgres };

// "sqlite" or "postgres".
std::string ConvergeBackendName(ConvergeBackend backend);

struct ConvergeOptions {
  uint64_t seed = 1;
  ConvergeBackend backend = ConvergeBackend::kSqlite;
  // A libpq connection string of a test database (MENTORLOG_TEST_PG); each run makes its own
  // schema in it and drops it at the end. Needed for kPostgres.
  std::string pg_connstr;
  // Rounds of operations before the final sync; 0: 3-5, from the seed.
  int rounds = 0;
  // Devices at most (2-8); a run has 2 to this many.
  int max_devices = 8;
  // Operations a `workload` call may do at most (at least 1).
  int max_workload_ops = 6;
  // Where the run's files go (a fresh folder is made inside); empty: /dev/shm when it exists
  // (a killed process leaves the same files there as on a disk, and fsync is free), else the
  // temp folder.
  std::filesystem::path work_dir;
  // Keep the run's folder (server log, device stores) instead of removing it at the end.
  bool keep_files = false;
};

struct ConvergeReport {
  uint64_t seed = 0;
  ConvergeBackend backend = ConvergeBackend::kSqlite;
  int devices = 0;
  int rounds = 0;
  int syncs = 0;
  int client_kills = 0;
  int server_kills = 0;
  int proxy_faults = 0;  // syncs run under loss, a cut or a swallowed answer
  int writes_checked = 0;
  int conflicts = 0;                    // conflicts the server holds at the end
  std::map<std::string, int> rejected;  // refused changes by code

  int lost_writes = 0;                // check (2)
  int diverged_devices = 0;           // check (1)
  int hidden_conflicts = 0;           // check (3)
  int spurious_conflicts = 0;         // check (4)
  std::vector<std::string> problems;  // the first few of each kind, described
  std::filesystem::path folder;       // the run's files (removed unless keep_files or failed)

  bool lost() const { return lost_writes > 0; }
  bool diverged() const { return diverged_devices > 0 || hidden_conflicts > 0; }
  bool spurious() const { return spurious_conflicts > 0; }
  bool ok() const { return !lost() && !diverged() && !spurious(); }
  // One line: seed, sizes, faults and what failed.
  std::string Summary() const;
};

// One run. A failing run keeps its folder (server log, device stores) and says where.
// Errors: Unavailable when the server or the proxy cannot be started, IoError for the
// folder, InvalidInput for kPostgres without pg_connstr; a run that merely finds faults is Ok
// with them in the report.
Result<ConvergeReport> RunConvergence(const ConvergeOptions& options);

// The command that repeats one seed: "scripts/converge 1 --backend sqlite --seed 42".
std::string ConvergeReproCommand(uint64_t seed, ConvergeBackend backend);

}  // namespace mentorlog::server::converge
