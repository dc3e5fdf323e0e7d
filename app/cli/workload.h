// A random but reproducible stream of field work (visits, lesson observations with scores,
// consultations, recommendations with their progress and comments), written through the
// repository API as a mentor would: for sync tests, fault tests and benchmarks.
//
// Reproducible: the operations are a function of the store's content (records, their ids and
// their order), Today() and the seed. Two stores with the same content, on the same day, given
// the same seed, receive the same operations; the records they create differ only in their ids.
//
// Thread safety: takes the Store's lock for each write; other threads may use the store
// meanwhile (their writes may change what later operations pick).
#pragma once

#include <cstdint>
#include <optional>

#include "mentorlog/base/status.h"
#include "mentorlog/store/records.h"

namespace mentorlog::core {

struct WorkloadOptions {
  uint64_t seed = 1;
  int ops = 100;  // how many operations to try; < 0 counts as 0
  // Who does the work: the visitor, observer, consultant and comment author when that person
  // is in the store. Otherwise (or when unset) any person with the right role.
  std::optional<Uuid> as_person;
};

// created + edited + deleted + skipped == ops.
struct WorkloadReport {
  int created = 0;  // visits, observations (scores not counted), consultations, recommendations, comments
  int edited = 0;   // text or date changes, score changes, recommendation status moves and reopenings
  int deleted = 0;  // visits, observations (with their scores), consultations, recommendations
  int skipped = 0;  // nothing to act on, or the store refused the write (validation, NotFound, Conflict)

  friend bool operator==(const WorkloadReport&, const WorkloadReport&) = default;
};

// Runs `options.ops` operations on records of the schools the store already holds (after a
// pull, the user's scope); it creates no school and no person. Dates fall within the 60 days
// up to store.Today(); texts are short Russian phrases. Writes are grouped in transactions of
// up to 50 operations.
// Errors: only those of the store that are not a refusal (IoError, Corruption, Internal); the
// transaction in progress is then rolled back, and earlier ones stay.
Result<WorkloadReport> RunWorkload(Records& store, const WorkloadOptions& options);

}  // namespace mentorlog::core
