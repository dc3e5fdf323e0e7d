// The store survives a process killed in the middle of writing (the acceptance point of the
// local store): 50 times a child process writes as fast as it can and is killed with SIGKILL
// at a random moment; each time the parent reopens the file and checks SQLite's integrity and
// the store's own invariants (every row has its clocks and its outbox entry, no op seq gap).
//
// The child never runs gtest assertions: it reports an unexpected error only through its exit
// code (it otherwise runs until killed) and leaves with _exit, so no atexit handler, gtest
// listener or sanitizer leak check runs in it.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "mentorlog/store/store.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using testing::Must;

constexpr int kRounds = 50;

// Exit codes of the child; anything but death by SIGKILL is a failure.
enum ChildExit : int {
  kOpenFailed = 10,
  kListFailed = 11,
  kWriteFailed = 20,  // + the operation number
};

struct Living {
  std::vector<Uuid> visits;
  std::vector<Uuid> recommendations;
  // Visits that recommendations come from. They are not deleted: a recommendation whose
  // visit is gone no longer validates, so it could not be advanced any more.
  std::set<Uuid> cited;
};

Visit ChildVisit(const Uuid& school_id, const Uuid& mentor_id, uint32_t n) {
  Visit v;
  v.school_id = school_id;
  v.date = Date::FromDays(static_cast<int32_t>(20'000 + n % 600));
  v.visitor_ids = {mentor_id};
  v.purposes = {n % 2 ? VisitPurpose::kMonitoring : VisitPurpose::kFollowUp};
  v.met_with = "директор";
  v.summary = "Запись " + std::to_string(n) + std::string(n % 7 * 40, 'x');
  v.strengths = "Коллектив";
  v.problems = "Мотивация";
  return v;
}

Recommendation ChildRecommendation(const Visit& visit, uint32_t n) {
  Recommendation r;
  r.source_kind = SourceKind::kVisit;
  r.source_id = visit.id;
  r.school_id = visit.school_id;
  r.text = "Рекомендация " + std::to_string(n);
  r.responsible_name = "Завуч";
  r.created_on = visit.date;
  r.due_on = visit.date.AddDays(14);
  return r;
}

// One write chosen by `op`; updates `living` as it goes (the caller discards the copy when a
// transaction rolls back). Expected refusals (a status moving backwards) count as success.
Status ChildWrite(Store& store, std::mt19937& rng, uint32_t op, Living& living, const Uuid& school_id,
                  const Uuid& mentor_id) {
  const auto n = static_cast<uint32_t>(rng());
  auto pick = [&](const std::vector<Uuid>& ids) { return ids[n % ids.size()]; };
  switch (op) {
    case 0:
    case 1:
    case 2: {
      ASSIGN_OR_RETURN(Visit v, store.records().Save(ChildVisit(school_id, mentor_id, n)));
      living.visits.push_back(v.id);
      return Status::Ok();
    }
    case 3: {
      if (living.visits.empty()) return Status::Ok();
      ASSIGN_OR_RETURN(Visit v, store.records().Get<Visit>(pick(living.visits)));
      ASSIGN_OR_RETURN(Recommendation r, store.records().Save(ChildRecommendation(v, n)));
      living.recommendations.push_back(r.id);
      living.cited.insert(v.id);
      return Status::Ok();
    }
    case 4: {  // edit two fields of a visit
      if (living.visits.empty()) return Status::Ok();
      ASSIGN_OR_RETURN(Visit v, store.records().Get<Visit>(pick(living.visits)));
      v.summary = "Правка " + std::to_string(n);
      v.problems += "!";
      return store.records().Save(std::move(v)).status();
    }
    case 5: {  // delete a visit
      if (living.visits.size() < 3) return Status::Ok();
      const size_t i = n % living.visits.size();
      if (living.cited.count(living.visits[i]) != 0) return Status::Ok();
      RETURN_IF_ERROR(store.records().Delete(RecordKind::kVisit, living.visits[i]));
      living.visits.erase(living.visits.begin() + static_cast<std::ptrdiff_t>(i));
      return Status::Ok();
    }
    case 6: {  // move a recommendation forward (or try to, when it is closed already)
      if (living.recommendations.empty()) return Status::Ok();
      const auto to = static_cast<RecommendationStatus>(1 + n % 3);
      Status s = store.records().AdvanceRecommendation(pick(living.recommendations), to, "шаг").status();
      return s.code() == StatusCode::kConflict ? Status::Ok() : s;
    }
    case 7: {  // delete a recommendation
      if (living.recommendations.size() < 3) return Status::Ok();
      const size_t i = n % living.recommendations.size();
      RETURN_IF_ERROR(store.records().Delete(RecordKind::kRecommendation, living.recommendations[i]));
      living.recommendations.erase(living.recommendations.begin() + static_cast<std::ptrdiff_t>(i));
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

// Where the child leaves the message of the error that stopped it.
std::filesystem::path ChildErrorFile(const StoreOptions& options) {
  return options.path.parent_path() / "writer_error.txt";
}

// Ends the child, leaving `status`'s message for the parent to show.
[[noreturn]] void ExitWithError(const StoreOptions& options, int code, const Status& status) {
  const std::string text = status.ToString() + "\n";
  const int fd = open(ChildErrorFile(options).c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd >= 0) {
    (void)!write(fd, text.data(), text.size());
    close(fd);
  }
  _exit(code);
}

// The child: opens the store and writes until it is killed.
// Writes until killed. Once the store is open and read (slow under ASan, slower on a busy
// machine), it says so with a byte on `ready_fd`: the parent's random delay starts from there.
[[noreturn]] void RunWriter(StoreOptions options, mentorlog::FakeClock& clock, uint32_t seed, int ready_fd) {
  auto opened = Store::Open(options);
  if (!opened.ok()) ExitWithError(options, kOpenFailed, opened.status());
  Store& store = **opened;
  auto schools = store.records().List<School>();
  auto people = store.records().List<Person>();
  auto visits = store.records().List<Visit>();
  auto recs = store.records().List<Recommendation>();
  if (!schools.ok() || !people.ok() || !visits.ok() || !recs.ok() || schools->empty() || people->empty()) {
    ExitWithError(options, kListFailed, Status::Internal("listing the records failed"));
  }
  const Uuid school_id = schools->front().id;
  const Uuid mentor_id = people->front().id;
  Living living;
  for (const auto& v : *visits) living.visits.push_back(v.id);
  for (const auto& r : *recs) {
    living.recommendations.push_back(r.id);
    living.cited.insert(r.source_id);
  }

  if (write(ready_fd, "r", 1) != 1) ExitWithError(options, kListFailed, Status::Internal("cannot tell the parent"));
  close(ready_fd);
  std::mt19937 rng(seed);
  for (;;) {
    clock.Advance(1);
    const auto kind = static_cast<uint32_t>(rng() % 12);
    Status s;
    if (kind < 8) {  // one write, its own transaction
      s = ChildWrite(store, rng, kind, living, school_id, mentor_id);
    } else {  // a batch of 2..8 writes in one transaction; kind 11 rolls it back on purpose
      Living next = living;
      const auto size = static_cast<uint32_t>(2 + rng() % 7);
      s = store.records().InTransaction([&]() -> Status {
        for (uint32_t i = 0; i < size; ++i)
          RETURN_IF_ERROR(ChildWrite(store, rng, static_cast<uint32_t>(rng() % 8), next, school_id, mentor_id));
        return kind == 11 ? Status::Internal("rolled back on purpose") : Status::Ok();
      });
      if (kind == 11 && s.code() == StatusCode::kInternal && s.message() == "rolled back on purpose") {
        s = Status::Ok();
      } else if (s.ok()) {
        living = std::move(next);
      }
    }
    if (!s.ok()) ExitWithError(options, kWriteFailed + static_cast<int>(kind), s);
  }
}

class CrashTest : public testing::StoreFixture {
 protected:
  std::string ReadChildError() {
    std::ifstream in(ChildErrorFile(Options()));
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
};

TEST_F(CrashTest, StoreSurvivesSigkillDuringWrites) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  (void)Must(store().records().Save(NewVisit(school.id, mentor.id)));
  int64_t writes = Pending();
  CloseStore();  // the parent holds no connection while a child writes

  std::mt19937 rng(20261120);
  std::uniform_int_distribution<int> sleep_ms(5, 60);
  int rounds_that_wrote = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const uint32_t child_seed = static_cast<uint32_t>(rng());
    const int delay = sleep_ms(rng);
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    std::fflush(nullptr);  // nothing buffered is written twice by the child
    const pid_t pid = fork();
    ASSERT_NE(pid, -1) << "fork failed";
    if (pid == 0) {
      close(ready[0]);
      RunWriter(Options(), clock_, child_seed, ready[1]);
    }
    close(ready[1]);
    char byte = 0;
    (void)!read(ready[0], &byte, 1);  // 0 bytes: the child ended early; waitpid below says how
    close(ready[0]);

    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(waitpid(pid, &wstatus, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL)
        << "the writer stopped by itself: exit code " << (WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1)
        << " (10 open, 11 list, 20+op a write failed): " << ReadChildError();

    OpenStore();
    ASSERT_EQ(Must(store().IntegrityCheck()), "ok");
    const auto problems = Must(store().ConsistencyProblems());
    ASSERT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
    const int64_t now = Pending();  // nothing is acknowledged: the outbox holds every committed write
    EXPECT_GE(now, writes) << "committed writes were lost";
    if (now > writes) ++rounds_that_wrote;
    writes = now;
    CloseStore();
  }
  EXPECT_GT(rounds_that_wrote, 0) << "no child ever committed a write";
  std::printf("[ crash    ] %d of %d killed writers had committed writes; %lld writes in the outbox\n",
              rounds_that_wrote, kRounds, static_cast<long long>(writes));

  // The outbox decodes, numbered 1..n without a gap, and the store keeps working.
  OpenStore();
  const auto outbox = Outbox();
  ASSERT_EQ(static_cast<int64_t>(outbox.size()), writes);
  for (size_t i = 0; i < outbox.size(); ++i) {
    ASSERT_EQ(outbox[i].change.op_seq, i + 1);
    ASSERT_EQ(outbox[i].change.device_id, "dev-a");
  }
  const Visit after = Must(store().records().Save(NewVisit(school.id, mentor.id)));
  EXPECT_EQ(Outbox().back().change.op_seq, outbox.size() + 1);
  EXPECT_EQ(Outbox().back().change.record_id, after.id);
  EXPECT_TRUE(Must(store().ConsistencyProblems()).empty());
}

}  // namespace
}  // namespace mentorlog::core
