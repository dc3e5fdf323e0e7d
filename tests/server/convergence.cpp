// The randomised convergence harness (convergence.h).
//
// [SECTION] Processes: mentorlog-cli runs with a timeout
// [SECTION] The district and the accounts
// [SECTION] One device's operations and syncs
// [SECTION] The checks
// [SECTION] RunConvergence

#include "server/convergence.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "fault_proxy.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/serialize.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/store/store.h"
#include "mentorlog/sync/client.h"
#include "mentorlog/sync/device.h"
#include "server/pg_env.h"
#include "server/server_process.h"
#include "service.h"
#include "storage.h"
#include "workload.h"

namespace mentorlog::server::converge {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using core::Uuid;

constexpr int64_t kConvDay = 24LL * 3600 * 1000;
constexpr int64_t kConvClampMillis = 5 * 60 * 1000;  // the server's default max clock skew
constexpr std::string_view kConvPassword = "convergence password";
constexpr int kConvMaxProblemsOfAKind = 5;

std::string ConvReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string ConvTrim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// -----------------------------------------------------------------------------------------
// [SECTION] Processes: mentorlog-cli runs with a timeout
// -----------------------------------------------------------------------------------------

// A mentorlog-cli process on one device's data folder, its output in files beside it.
class ConvCli {
 public:
  ConvCli(const fs::path& data, const std::vector<std::string>& args, const std::string& stdin_text,
          const std::vector<std::string>& env)
      : out_(data.parent_path() / (data.filename().string() + ".cli.out")), err_(out_.string() + ".err") {
    // $MENTORLOG_CLI_PROGRAM: a copy of the program (scripts/converge), as for the server.
    const char* program = std::getenv("MENTORLOG_CLI_PROGRAM");
    std::vector<std::string> argv = {program != nullptr && *program != '\0' ? program : MENTORLOG_CLI_PATH, "--data",
                                     data.string(), "--lang", "en"};
    argv.insert(argv.end(), args.begin(), args.end());
    // The device's clock offset is the run's to set, not the environment's.
    pid_ = server::SpawnWithFiles(std::move(argv), env, "MENTORLOG_CLOCK_OFFSET_MS=", stdin_text, out_, err_);
  }
  ~ConvCli() {
    if (pid_ > 0 && code_ < 0) Kill();
  }
  ConvCli(const ConvCli&) = delete;
  ConvCli& operator=(const ConvCli&) = delete;

  bool Running() {
    if (pid_ <= 0 || code_ >= 0) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return false;
    }
    return true;
  }
  void Kill() {
    if (pid_ <= 0 || code_ >= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    code_ = 128 + SIGKILL;
  }
  // The exit code; a run longer than `timeout` is killed (137).
  int Wait(std::chrono::milliseconds timeout = 120s) {
    if (pid_ <= 0) return 127;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (Running()) {
      if (std::chrono::steady_clock::now() > deadline) {
        Kill();
        break;
      }
      std::this_thread::sleep_for(2ms);
    }
    return code_;
  }
  std::string out() const { return ConvReadFile(out_); }
  std::string err() const { return ConvReadFile(err_); }

 private:
  fs::path out_, err_;
  pid_t pid_ = -1;
  int code_ = -1;
};

// The system clock shifted, for writes made in process on a device's store (its CLI runs
// with the same offset in MENTORLOG_CLOCK_OFFSET_MS).
class ConvOffsetClock final : public mentorlog::Clock {
 public:
  explicit ConvOffsetClock(int64_t offset) : offset_(offset) {}
  int64_t NowMillis() const override { return platform::DefaultClock().NowMillis() + offset_; }
  int UtcOffsetMinutes() const override { return platform::DefaultClock().UtcOffsetMinutes(); }

 private:
  int64_t offset_;
};

// -----------------------------------------------------------------------------------------
// [SECTION] The district and the accounts
// -----------------------------------------------------------------------------------------

struct ConvAccount {
  std::string login;
  Role role = Role::kMentor;
  Uuid person;
};

struct ConvDistrict {
  std::vector<Uuid> schools;
  std::vector<Uuid> mentors;
  std::vector<ConvAccount> accounts;  // mentors first, then the tutor, then the coordinator
};

// Writes the district in a local store and ingests it into `storage`, as `import` does.
Result<ConvDistrict> ConvMakeDistrict(Storage& storage, const fs::path& dir, std::mt19937_64& rng) {
  ConvDistrict d;
  SyncService service(storage, ServiceOptions{});
  core::StoreOptions o;
  o.path = dir / "seed.sqlite";
  ASSIGN_OR_RETURN(auto store, core::Store::Open(o));
  for (int i = 0; i < 3; ++i) {
    core::School s;
    s.code = std::to_string(101 + i);
    s.name = "МБОУ «Школа " + s.code + "»";
    s.short_name = "Школа " + s.code;
    s.municipality = "Заречный";
    s.district = "Заречный";
    s.pupils = 100 + 10 * i;
    s.teachers = 10;
    ASSIGN_OR_RETURN(core::School saved, store->records().Save(std::move(s)));
    d.schools.push_back(saved.id);
  }
  auto person = [&](std::string name, core::Role role, std::optional<Uuid> school) -> Result<Uuid> {
    core::Person p;
    p.full_name = std::move(name);
    p.roles = {role};
    p.school_id = school;
    if (role == core::Role::kTeacher) p.subjects = {"математика"};
    ASSIGN_OR_RETURN(core::Person saved, store->records().Save(std::move(p)));
    return saved.id;
  };
  const char* kNames[] = {"Петров Сергей Иванович", "Сидорова Анна Павловна", "Волков Игорь Андреевич",
                          "Лебедева Нина Юрьевна"};
  const int mentors = 3 + static_cast<int>(rng() % 2);
  for (int i = 0; i < mentors; ++i) {
    ASSIGN_OR_RETURN(Uuid id, person(kNames[i], core::Role::kMentor, std::nullopt));
    d.mentors.push_back(id);
  }
  ASSIGN_OR_RETURN(Uuid tutor, person("Кузнецова Ольга Петровна", core::Role::kTutor, std::nullopt));
  ASSIGN_OR_RETURN(Uuid coordinator, person("Орлова Елена Викторовна", core::Role::kCoordinator, std::nullopt));
  std::vector<Uuid> teachers;
  for (size_t i = 0; i < d.schools.size(); ++i) {
    ASSIGN_OR_RETURN(Uuid t, person("Учитель " + std::to_string(i + 1), core::Role::kTeacher, d.schools[i]));
    teachers.push_back(t);
  }
  const core::Date start = core::Date::FromUnixMillis(platform::DefaultClock().NowMillis(), 0).AddDays(-100);
  auto assign = [&](core::AssignmentKind kind, Uuid who, Uuid school, std::optional<Uuid> teacher) -> Status {
    core::Assignment a;
    a.kind = kind;
    a.assignee_id = who;
    a.school_id = school;
    a.teacher_id = teacher;
    a.starts_on = start;
    return store->records().Save(std::move(a)).status();
  };
  // Mentor i has school i % 3, and half the time school (i + 1) % 3 too: schools are shared.
  for (int i = 0; i < mentors; ++i) {
    RETURN_IF_ERROR(assign(core::AssignmentKind::kMentorSchool, d.mentors[i], d.schools[i % 3], std::nullopt));
    if (rng() % 2 == 0) {
      RETURN_IF_ERROR(assign(core::AssignmentKind::kMentorSchool, d.mentors[i], d.schools[(i + 1) % 3], std::nullopt));
    }
  }
  const size_t tutor_school = rng() % d.schools.size();
  RETURN_IF_ERROR(assign(core::AssignmentKind::kTutorTeacher, tutor, d.schools[tutor_school], teachers[tutor_school]));
  RETURN_IF_ERROR(service.IngestStore(*store).status());

  for (int i = 0; i < mentors; ++i)
    d.accounts.push_back({"mentor" + std::to_string(i + 1), Role::kMentor, d.mentors[i]});
  d.accounts.push_back({"tutor", Role::kTutor, tutor});
  d.accounts.push_back({"coordinator", Role::kCoordinator, coordinator});
  return d;
}

// -----------------------------------------------------------------------------------------
// [SECTION] One device's operations and syncs
// -----------------------------------------------------------------------------------------

struct ConvDevice {
  std::string name;
  const ConvAccount* account = nullptr;
  fs::path data;
  int64_t offset_ms = 0;
  std::string device_id;

  bool clamped() const { return offset_ms > kConvClampMillis; }
  std::vector<std::string> Env() const { return {"MENTORLOG_CLOCK_OFFSET_MS=" + std::to_string(offset_ms)}; }
  Result<std::unique_ptr<core::Store>> Open() const {
    static thread_local std::unique_ptr<ConvOffsetClock> clock;
    clock = std::make_unique<ConvOffsetClock>(offset_ms);
    core::StoreOptions o;
    o.path = data / "mentorlog.db";
    o.clock = clock.get();
    return core::Store::Open(o);
  }
};

enum class ConvFault { kNone, kLoss, kCutRequest, kCutResponse, kSwallow, kKillClient, kKillServer };

class ConvRun {
 public:
  ConvRun(const ConvergeOptions& options, ConvergeReport& report)
      : options_(options), report_(report), rng_(options.seed * 0x9E3779B97F4A7C15ULL + 17) {}

  Status Run();

 private:
  uint64_t Pick(uint64_t n) { return n == 0 ? 0 : rng_() % n; }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }

  // Keeps the first few problems of each kind (the text up to its first ':').
  void Problem(std::string text) {
    const std::string kind = text.substr(0, text.find(':'));
    if (++problem_counts_[kind] <= kConvMaxProblemsOfAKind) report_.problems.push_back(std::move(text));
  }
  std::vector<std::string> StorageArgs() const {
    if (pg_) return {"--pg", pg_->connstr()};
    return {"--db", (folder_ / "central.db").string()};
  }
  Result<std::unique_ptr<Storage>> OpenStorage() const {
    if (pg_) return OpenPostgresStorage(pg_->connstr(), 2);
    return OpenSqliteStorage((folder_ / "central.db").string());
  }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(proxy_->port()); }

  int Cli(const ConvDevice& d, const std::vector<std::string>& args, std::string* out = nullptr,
          const std::string& stdin_text = "") {
    ConvCli run(d.data, args, stdin_text, d.Env());
    const int code = run.Wait();
    if (out) *out = run.out() + run.err();
    Trace(d.name + " " + args.front() + " -> " + std::to_string(code));
    return code;
  }
  // Each step with the milliseconds since the run began, in the run's folder (run.log) and,
  // with MENTORLOG_CONVERGE_TRACE=1, on stderr.
  void Trace(const std::string& what) {
    static const bool on = std::getenv("MENTORLOG_CONVERGE_TRACE") != nullptr;
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began_).count();
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "[%6lld ms] ", static_cast<long long>(ms));
    if (!log_.is_open()) log_.open(folder_ / "run.log", std::ios::app);
    log_ << stamp << what << "\n";
    if (on) std::fprintf(stderr, "%s%s\n", stamp, what.c_str());
  }

  Status Setup();
  Status Operate(ConvDevice& d);
  void EditTwice(ConvDevice& d);
  void Reassign(ConvDevice& d);
  Status SyncUnderFault(ConvDevice& d);
  Status FinalSync();
  Status Check();

  const ConvergeOptions& options_;
  ConvergeReport& report_;
  std::mt19937_64 rng_;
  fs::path folder_;
  std::unique_ptr<PgTestSchema> pg_;
  ConvDistrict district_;
  std::vector<ConvDevice> devices_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<mentorlog::testing::FaultProxy> proxy_;
  int texts_ = 0;
  std::map<std::string, int> problem_counts_;
  std::ofstream log_;
  std::chrono::steady_clock::time_point began_ = std::chrono::steady_clock::now();
};

Status ConvRun::Setup() {
  folder_ = report_.folder;
  if (options_.backend == ConvergeBackend::kPostgres) {
    if (options_.pg_connstr.empty()) {
      return Status::InvalidInput("the PostgreSQL run needs a connection string (MENTORLOG_TEST_PG)");
    }
    ASSIGN_OR_RETURN(pg_, PgTestSchema::Create(options_.pg_connstr));
  }
  {
    ASSIGN_OR_RETURN(auto storage, OpenStorage());
    ASSIGN_OR_RETURN(district_, ConvMakeDistrict(*storage, folder_, rng_));
  }
  for (const ConvAccount& a : district_.accounts) {
    std::vector<std::string> args = StorageArgs();
    args.insert(args.end(), {"--argon2-memlimit-mb", "8", "user", "add", a.login, "--role",
                             std::string(sync::RoleCode(a.role)), "--person", a.person.ToString(), "--password-stdin"});
    ASSIGN_OR_RETURN(CommandRun run, RunServerCommand(args, std::string(kConvPassword) + "\n"));
    if (run.exit_code != 0) return Status::Unavailable("user add " + a.login + ": " + run.out + run.err);
  }
  Trace("district and accounts");
  ServerProcessOptions so;
  so.global_args = StorageArgs();
  // The accounts' hashes were made with 8 MiB: the same here, or each login rehashes them.
  so.global_args.insert(so.global_args.end(), {"--argon2-memlimit-mb", "8"});
  so.serve_args = {"--threads", "4"};
  so.log_path = folder_ / "server.log";
  server_ = std::make_unique<ServerProcess>(so);
  RETURN_IF_ERROR(server_->Start());
  Trace("server started");
  ASSIGN_OR_RETURN(proxy_, mentorlog::testing::FaultProxy::Start("127.0.0.1", static_cast<uint16_t>(server_->port())));

  // Devices: every mentor account and the coordinator at least once, the tutor sometimes,
  // then second devices of random accounts, 2-8 in all.
  const int wanted = 2 + static_cast<int>(Pick(static_cast<uint64_t>(std::clamp(options_.max_devices, 2, 8) - 1)));
  std::vector<const ConvAccount*> owners;
  const ConvAccount* coordinator = &district_.accounts.back();
  owners.push_back(coordinator);
  std::vector<const ConvAccount*> others;
  for (const ConvAccount& a : district_.accounts) {
    if (&a != coordinator && (a.role == Role::kMentor || Chance(0.5))) others.push_back(&a);
  }
  std::shuffle(others.begin(), others.end(), rng_);
  for (const ConvAccount* a : others) {
    if (static_cast<int>(owners.size()) < wanted) owners.push_back(a);
  }
  while (static_cast<int>(owners.size()) < wanted) owners.push_back(owners[Pick(owners.size())]);
  for (size_t i = 0; i < owners.size(); ++i) {
    ConvDevice d;
    d.account = owners[i];
    d.name = "device" + std::to_string(i + 1) + "-" + owners[i]->login;
    d.data = folder_ / d.name;
    const uint64_t clock = Pick(10);
    d.offset_ms = clock < 5   ? 0
                  : clock < 7 ? static_cast<int64_t>(Pick(4001)) - 2000
                  : clock < 9 ? kConvDay
                              : -kConvDay;
    fs::create_directories(d.data);
    std::string out;
    if (Cli(d, {"login", "--server", Url(), "--user", d.account->login, "--password-stdin"}, &out,
            std::string(kConvPassword) + "\n") != 0) {
      return Status::Unavailable(d.name + " could not sign in: " + out);
    }
    {
      ASSIGN_OR_RETURN(auto store, d.Open());
      d.device_id = store->device_id();
    }
    Trace(d.name + " is device " + d.device_id + ", clock offset " + std::to_string(d.offset_ms) + " ms");
    if (Cli(d, {"sync", "--quiet"}, &out) != 0) return Status::Unavailable(d.name + " first sync: " + out);
    devices_.push_back(std::move(d));
  }
  report_.devices = static_cast<int>(devices_.size());
  return Status::Ok();
}

// The same field edited twice before a sync: the second edit's base is the first's clock.
void ConvRun::EditTwice(ConvDevice& d) {
  std::vector<std::pair<Uuid, std::string>> targets;  // (record, field)
  {
    auto store = d.Open();
    if (!store.ok()) return;
    if (auto visits = (*store)->records().List<core::Visit>(); visits.ok()) {
      for (const auto& v : *visits) targets.emplace_back(v.id, "summary");
    }
    if (auto recs = (*store)->records().List<core::Recommendation>(); recs.ok()) {
      for (const auto& r : *recs) targets.emplace_back(r.id, "evidence");
    }
  }
  if (targets.empty()) return;
  const auto& [id, field] = targets[Pick(targets.size())];
  for (int i = 0; i < 2; ++i) {
    const std::string json = "{\"" + field + "\": \"правка " + std::to_string(++texts_) + " на " + d.name + "\"}";
    (void)Cli(d, {"edit", id.ToString(), "--json", "-"}, nullptr, json);
    Trace("  " + id.ToString() + "." + field);
  }
}

// The coordinator ends a mentor's assignment, or moves the mentor to another school.
void ConvRun::Reassign(ConvDevice& d) {
  auto opened = d.Open();
  if (!opened.ok()) return;
  core::Store& store = **opened;
  auto all = store.records().List<core::Assignment>();
  if (!all.ok()) return;
  std::vector<core::Assignment> current;
  for (const auto& a : *all) {
    if (a.kind == core::AssignmentKind::kMentorSchool && !a.ends_on) current.push_back(a);
  }
  if (current.empty()) return;
  core::Assignment old = current[Pick(current.size())];
  const core::Date today = store.records().Today();
  old.ends_on = today.AddDays(-1);
  if (!store.records().Save(old).ok()) return;
  Trace(d.name + " ended assignment " + old.id.ToString());
  if (Chance(0.7)) {
    core::Assignment now;
    now.kind = core::AssignmentKind::kMentorSchool;
    now.assignee_id = old.assignee_id;
    now.school_id = district_.schools[Pick(district_.schools.size())];
    now.starts_on = today.AddDays(-static_cast<int>(Pick(3)));
    if (auto saved = store.records().Save(now); saved.ok()) Trace(d.name + " new assignment " + saved->id.ToString());
  }
}

Status ConvRun::Operate(ConvDevice& d) {
  std::string out;
  const int ops = 1 + static_cast<int>(Pick(static_cast<uint64_t>(std::max(1, options_.max_workload_ops))));
  const uint64_t seed = rng_() % 1000000;
  if (Chance(0.25)) {
    const int code = Cli(d, {"workload", "--seed", std::to_string(seed), "--ops", std::to_string(ops)}, &out);
    if (code != 0) Problem("workload failed: " + d.name + " (" + std::to_string(code) + "): " + ConvTrim(out));
  } else {
    // What `mentorlog-cli workload` does, in process (a process start costs more than the work).
    ASSIGN_OR_RETURN(auto store, d.Open());
    core::WorkloadOptions w;
    w.seed = seed;
    w.ops = ops;
    ASSIGN_OR_RETURN(std::optional<std::string> person, store->ledger().GetSyncValue(sync::kPersonIdKey));
    if (person) {
      if (auto id = Uuid::Parse(*person); id.ok()) w.as_person = *id;
    }
    auto done = core::RunWorkload(store->records(), w);
    if (!done.ok()) {
      Problem("workload failed: " + d.name + ": " + done.status().message());
    } else {
      Trace(d.name + " workload in process: created " + std::to_string(done->created) + ", edited " +
            std::to_string(done->edited) + ", deleted " + std::to_string(done->deleted));
    }
  }
  if (Chance(0.4)) EditTwice(d);
  if (Chance(0.1)) {
    auto store = d.Open();
    if (store.ok()) {
      auto visits = (*store)->records().List<core::Visit>();
      if (visits.ok() && !visits->empty()) {
        const Uuid id = (*visits)[Pick(visits->size())].id;
        store->reset();
        (void)Cli(d, {"delete", id.ToString()});
      }
    }
  }
  if (d.account->role == Role::kCoordinator && Chance(0.35)) Reassign(d);
  return Status::Ok();
}

Status ConvRun::SyncUnderFault(ConvDevice& d) {
  const auto fault = static_cast<ConvFault>(Pick(7));
  mentorlog::testing::FaultSettings f;
  switch (fault) {
    case ConvFault::kLoss:
      f.latency_ms = 2;
      f.loss = 0.02 + 0.08 * std::uniform_real_distribution<double>(0, 1)(rng_);
      f.seed = rng_();
      break;
    case ConvFault::kCutRequest:
      f.cut_request_after_bytes = 50 + static_cast<int64_t>(Pick(4000));
      f.cut_limit = 1 + static_cast<int>(Pick(2));
      break;
    case ConvFault::kCutResponse:
      f.cut_response_after_bytes = 50 + static_cast<int64_t>(Pick(4000));
      f.cut_limit = 1 + static_cast<int>(Pick(2));
      break;
    case ConvFault::kSwallow:
      f.swallow_response = true;
      f.cut_limit = 1 + static_cast<int>(Pick(2));
      break;
    default:
      break;
  }
  const bool proxied = fault == ConvFault::kLoss || fault == ConvFault::kCutRequest ||
                       fault == ConvFault::kCutResponse || fault == ConvFault::kSwallow;
  if (proxied) {
    proxy_->Set(f);
    ++report_.proxy_faults;
  }
  ++report_.syncs;
  {
    ConvCli run(d.data, {"sync", "--quiet", "--attempts", "3"}, "", d.Env());
    if (fault == ConvFault::kKillClient || fault == ConvFault::kKillServer) {
      std::this_thread::sleep_for(std::chrono::milliseconds(Pick(250)));
      if (fault == ConvFault::kKillClient) {
        if (run.Running()) {
          ++report_.client_kills;
          Trace(d.name + " sync killed");
        }
        run.Kill();
      } else {
        ++report_.server_kills;
        Trace("server killed");
        server_->Kill();
        (void)run.Wait();
        RETURN_IF_ERROR(server_->Start());
        Trace("server restarted");
      }
    }
    const int code = run.Wait();  // a failed sync is allowed here: the final sync must succeed
    static constexpr const char* kFaultNames[] = {
        "none", "segment loss", "request cut", "response cut", "swallowed answer", "client kill", "server kill"};
    Trace(d.name + " sync (" + kFaultNames[static_cast<int>(fault)] + ") -> " + std::to_string(code));
  }
  if (proxied) proxy_->Set({});
  return Status::Ok();
}

Status ConvRun::FinalSync() {
  proxy_->Set({});
  if (!server_->running()) RETURN_IF_ERROR(server_->Start());
  for (int pass = 0; pass < 2; ++pass) {
    for (ConvDevice& d : devices_) {
      std::string out;
      int code = Cli(d, {"sync", "--quiet"}, &out);
      if (code != 0) code = Cli(d, {"sync", "--quiet"}, &out);
      if (code != 0) Problem("final sync failed: " + d.name + ": " + ConvTrim(out));
    }
  }
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] The checks
// -----------------------------------------------------------------------------------------

struct ConvWrite {
  const ConvDevice* device = nullptr;
  uint64_t op_seq = 0;
  core::FieldValue value;
  core::HlcStamp stamp;
  core::FieldClock base;
};

std::string ConvShort(const core::FieldValue& v) {
  std::string s = core::FieldValueToString(v);
  if (s.size() > 60) {
    size_t cut = 60;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8
    s = s.substr(0, cut) + "…";
  }
  return "«" + s + "»";
}

// The device's acknowledged outbox entries, in op seq order.
Result<std::vector<core::Change>> ConvAckedChanges(const fs::path& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return Status::IoError("cannot open " + db_path.string());
  }
  std::vector<core::Change> out;
  sqlite3_stmt* st = nullptr;
  Status status = Status::Ok();
  if (sqlite3_prepare_v2(db, "SELECT payload FROM outbox WHERE acked = 1 ORDER BY op_seq", -1, &st, nullptr) !=
      SQLITE_OK) {
    status = Status::IoError(std::string("outbox: ") + sqlite3_errmsg(db));
  } else {
    while (sqlite3_step(st) == SQLITE_ROW) {
      const void* blob = sqlite3_column_blob(st, 0);
      const int n = sqlite3_column_bytes(st, 0);
      auto change = core::DecodeBinary<core::Change>(std::string_view(static_cast<const char*>(blob), size_t(n)));
      if (!change.ok()) {
        status = change.status();
        break;
      }
      out.push_back(std::move(*change));
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  if (!status.ok()) return status;
  return out;
}

Status ConvRun::Check() {
  // (1) Converged: nothing pending, the same hash as the server for the account (the hashes
  // `mentorlog-cli state-hash` and `mentorlog-server state-hash --as` print, computed here).
  (void)server_->Stop();
  ASSIGN_OR_RETURN(auto storage, OpenStorage());
  SyncService service(*storage, ServiceOptions{});
  std::map<std::string, Account> accounts;
  for (const ConvDevice& d : devices_) {
    std::optional<Account> account;
    RETURN_IF_ERROR(storage->Read([&](StorageTx& tx) -> Status {
      ASSIGN_OR_RETURN(account, tx.FindAccount(d.account->login));
      return Status::Ok();
    }));
    if (!account) return Status::Internal("no account " + d.account->login);
    accounts[d.account->login] = *account;
  }
  std::map<std::string, std::string> server_hash;
  for (const auto& [login, account] : accounts) {
    ASSIGN_OR_RETURN(server_hash[login], service.StateHash(account));
  }
  for (const ConvDevice& d : devices_) {
    ASSIGN_OR_RETURN(auto store, d.Open());
    ASSIGN_OR_RETURN(int64_t pending, store->ledger().PendingCount());
    ASSIGN_OR_RETURN(std::string hash, sync::DeviceStateHash(*store));
    if (pending != 0 || hash != server_hash[d.account->login]) {
      ++report_.diverged_devices;
      Problem("diverged: " + d.name + " (offset " + std::to_string(d.offset_ms) + " ms): pending " +
              std::to_string(pending) + ", hash " + hash.substr(0, 16) + " vs the server's " +
              server_hash[d.account->login].substr(0, 16));
    }
  }
  Trace("hashes compared");

  // Everything the server holds that the checks need.
  std::vector<StoredConflict> conflicts;
  RETURN_IF_ERROR(storage->Read([&](StorageTx& tx) -> Status {
    ScopeFilter all;
    all.all_schools = true;
    ASSIGN_OR_RETURN(conflicts, tx.ConflictsInRange(all, 0, UINT64_MAX, 1000000));
    return Status::Ok();
  }));
  report_.conflicts = static_cast<int>(conflicts.size());
  const auto device_of = [&](const std::string& id) -> std::string {
    for (const ConvDevice& d : devices_) {
      if (d.device_id == id) return d.name;
    }
    return id.substr(0, 8);
  };
  const auto offset_of = [&](const std::string& id) -> std::string {
    for (const ConvDevice& d : devices_) {
      if (d.device_id == id) return std::to_string(d.offset_ms);
    }
    return "?";
  };

  // (4) No conflict of a device against itself.
  for (const StoredConflict& c : conflicts) {
    if (c.conflict.reason == core::ConflictReason::kConcurrentEdit &&
        c.conflict.kept_clock.device_id == c.conflict.lost_clock.device_id) {
      ++report_.spurious_conflicts;
      Problem("spurious conflict: " + device_of(c.conflict.kept_clock.device_id) + " (offset " +
              offset_of(c.conflict.kept_clock.device_id) + " ms) against itself on " +
              std::string(core::EnumLabel(c.conflict.kind, Language::kEnglish)) + " " +
              c.conflict.record_id.ToString() + "." + c.conflict.field + ": kept " + ConvShort(c.conflict.kept) +
              ", lost " + ConvShort(c.conflict.lost));
    }
  }

  // (3) Every conflict in the account's scope is on each of its devices.
  for (const ConvDevice& d : devices_) {
    ASSIGN_OR_RETURN(AccountScope scope, service.ScopeOf(accounts[d.account->login]));
    std::set<Uuid> in_scope(scope.schools.begin(), scope.schools.end());
    ASSIGN_OR_RETURN(auto store, d.Open());
    ASSIGN_OR_RETURN(auto seen, store->ledger().Conflicts(true));
    std::set<Uuid> seen_ids;
    for (const auto& c : seen) seen_ids.insert(c.id);
    for (const StoredConflict& c : conflicts) {
      const bool visible = !c.school_id || in_scope.count(*c.school_id) > 0;
      if (visible && !seen_ids.count(c.conflict.id)) {
        ++report_.hidden_conflicts;
        Problem("hidden conflict: " + d.name + " does not show the conflict on " + c.conflict.record_id.ToString() +
                "." + c.conflict.field + " (lost " + ConvShort(c.conflict.lost) + ")");
      }
    }
  }

  // (2) Nothing acknowledged is lost.
  std::map<std::pair<Uuid, std::string>, std::vector<ConvWrite>> writes;
  std::set<Uuid> records;
  std::vector<std::pair<const ConvDevice*, core::Change>> deletes;
  for (const ConvDevice& d : devices_) {
    std::set<uint64_t> refused;
    {
      ASSIGN_OR_RETURN(auto store, d.Open());
      ASSIGN_OR_RETURN(auto rejected, store->ledger().Rejected());
      for (const auto& r : rejected) {
        refused.insert(r.op_seq);
        ++report_.rejected[r.code];
      }
    }
    ASSIGN_OR_RETURN(auto changes, ConvAckedChanges(d.data / "mentorlog.db"));
    for (core::Change& c : changes) {
      if (refused.count(c.op_seq)) continue;
      records.insert(c.record_id);
      if (c.op == core::ChangeOp::kDelete) {
        deletes.emplace_back(&d, std::move(c));
        continue;
      }
      for (core::FieldChange& f : c.fields) {
        if (c.kind == core::RecordKind::kRecommendation && (f.field == "status" || f.field == "reopen_count")) continue;
        writes[{c.record_id, f.field}].push_back(ConvWrite{&d, c.op_seq, std::move(f.value), f.stamp, f.base});
      }
    }
  }
  std::map<Uuid, std::optional<StoredRecord>> server_records;
  RETURN_IF_ERROR(storage->Read([&](StorageTx& tx) -> Status {
    for (const Uuid& id : records) {
      ASSIGN_OR_RETURN(server_records[id], tx.LoadRecord(id));
    }
    return Status::Ok();
  }));
  std::map<std::pair<Uuid, std::string>, std::vector<const core::FieldValue*>> lost_values;
  for (const StoredConflict& c : conflicts) {
    lost_values[{c.conflict.record_id, c.conflict.field}].push_back(&c.conflict.lost);
  }
  for (const auto& [d, c] : deletes) {
    ++report_.writes_checked;
    const auto& rec = server_records[c.record_id];
    if (!rec || !rec->state.deleted) {
      ++report_.lost_writes;
      Problem("lost delete: " + d->name + " #" + std::to_string(c.op_seq) + " deleted " + c.record_id.ToString() +
              ", the server's record is " + (rec ? "live" : "missing"));
    }
  }
  for (const auto& [key, list] : writes) {
    const auto& rec = server_records[key.first];
    if (rec && rec->state.deleted) {
      report_.writes_checked += static_cast<int>(list.size());
      continue;
    }
    const core::FieldState* now = rec ? rec->state.Find(key.second) : nullptr;
    const auto& lost_here = lost_values[key];
    auto direct = [&](const ConvWrite& w) {
      if (now && now->value == w.value) return true;
      for (const core::FieldValue* v : lost_here) {
        if (*v == w.value) return true;
      }
      for (const ConvWrite& later : list) {
        if (later.device == w.device && later.op_seq > w.op_seq) return true;
        if (later.base.device_id == w.device->device_id && (w.device->clamped() || later.base.stamp == w.stamp)) {
          return true;
        }
      }
      return false;
    };
    std::vector<const core::FieldValue*> kept_values;
    for (const ConvWrite& w : list) {
      if (direct(w)) kept_values.push_back(&w.value);
    }
    for (const ConvWrite& w : list) {
      ++report_.writes_checked;
      const bool kept =
          std::any_of(kept_values.begin(), kept_values.end(), [&](const core::FieldValue* v) { return *v == w.value; });
      if (kept) continue;
      ++report_.lost_writes;
      Problem("lost write: " + w.device->name + " (offset " + std::to_string(w.device->offset_ms) + " ms) #" +
              std::to_string(w.op_seq) + " set " + key.first.ToString() + "." + key.second + " = " +
              ConvShort(w.value) + "; the server holds " + (now ? ConvShort(now->value) : "no record") +
              (now ? " by " + device_of(now->clock.device_id) : "") + ", no conflict keeps it");
    }
  }
  return Status::Ok();
}

Status ConvRun::Run() {
  RETURN_IF_ERROR(Setup());
  report_.rounds = options_.rounds > 0 ? options_.rounds : 3 + static_cast<int>(Pick(3));
  for (int round = 0; round < report_.rounds; ++round) {
    std::vector<size_t> order(devices_.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), rng_);
    for (size_t i : order) {
      RETURN_IF_ERROR(Operate(devices_[i]));
      if (Chance(0.8)) RETURN_IF_ERROR(SyncUnderFault(devices_[i]));
    }
  }
  RETURN_IF_ERROR(FinalSync());
  return Check();
}

}  // namespace

std::string ConvergeBackendName(ConvergeBackend backend) {
  return backend == ConvergeBackend::kPostgres ? "postgres" : "sqlite";
}

std::string ConvergeReproCommand(uint64_t seed, ConvergeBackend backend) {
  return "scripts/converge 1 --backend " + ConvergeBackendName(backend) + " --seed " + std::to_string(seed);
}

std::string ConvergeReport::Summary() const {
  std::ostringstream s;
  s << "seed " << seed << " (" << ConvergeBackendName(backend) << "): " << devices << " devices, " << rounds
    << " rounds, " << syncs << " syncs (" << proxy_faults << " under proxy faults, " << client_kills << " clients and "
    << server_kills << " servers killed), " << writes_checked << " writes checked, " << conflicts
    << " conflicts, rejected:";
  if (rejected.empty()) s << " none";
  for (const auto& [code, n] : rejected) s << " " << code << "=" << n;
  s << "; lost " << lost_writes << ", diverged devices " << diverged_devices << ", hidden conflicts "
    << hidden_conflicts << ", spurious conflicts " << spurious_conflicts;
  for (const auto& p : problems) s << "\n  " << p;
  if (!ok()) s << "\n  files: " << folder.string() << "\n  repeat: " << ConvergeReproCommand(seed, backend);
  return s.str();
}

// -----------------------------------------------------------------------------------------
// [SECTION] RunConvergence
// -----------------------------------------------------------------------------------------

Result<ConvergeReport> RunConvergence(const ConvergeOptions& options) {
  ConvergeReport report;
  report.seed = options.seed;
  report.backend = options.backend;
  // By default in /dev/shm when there is one: a SIGKILL tests the same crash there as on a
  // disk (the page cache survives a killed process), and fsync costs nothing.
  std::error_code ec;
  fs::path base = options.work_dir;
  if (base.empty()) base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
  fs::create_directories(base, ec);
  std::string pattern =
      (base / ("converge-" + ConvergeBackendName(options.backend) + "-" + std::to_string(options.seed) + "-XXXXXX"))
          .string();
  if (::mkdtemp(pattern.data()) == nullptr) return Status::IoError("cannot make a folder in " + base.string());
  report.folder = pattern;
  Status status;
  {
    ConvRun run(options, report);
    status = run.Run();
  }  // the server, the proxy and the PostgreSQL schema go here
  if (!status.ok()) {
    return Status::Unavailable("seed " + std::to_string(options.seed) + ": " + status.message() +
                               " (files: " + report.folder.string() + ")");
  }
  if (report.ok() && !options.keep_files) fs::remove_all(report.folder, ec);
  return report;
}

}  // namespace mentorlog::server::converge
