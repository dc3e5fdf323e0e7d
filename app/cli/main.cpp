// mentorlog-cli: the core from the command line.
//
// Exit codes: 0 ok; 1 the user's input was wrong or the user must act (the message says which
// and why: bad input, not signed in, no permission, the app is too old); 2 an internal error (a
// bug, or the disk/OS refused), or the network or the server failed, or a sync was stopped.
//
// The sync commands (login, logout, sync, status, conflicts, rejected, state-hash, workload)
// live in sync_commands.cpp.
//
// [SECTION] Context: data folder, device id, store, language
// [SECTION] Output helpers
// [SECTION] Commands
// [SECTION] main
#include <CLI/CLI.hpp>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "mentorlog/domain/demo.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/import.h"
#include "mentorlog/domain/record_json.h"
#include "mentorlog/domain/rounds.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/text.h"
#include "mentorlog/platform/env.h"
#include "mentorlog/report/district.h"
#include "mentorlog/store/bundled_rubrics.h"
#include "mentorlog/store/export.h"
#include "mentorlog/store/store.h"
#include "report_commands.h"
#include "sync_commands.h"

namespace mentorlog::cli {
namespace {

using namespace mentorlog::core;  // NOLINT(google-build-using-namespace): a program, not a header

// -----------------------------------------------------------------------------------------
// [SECTION] Context
// -----------------------------------------------------------------------------------------

struct GlobalOptions {
  std::string data_dir;
  std::string lang;  // "ru", "en", or empty: from LANG
};

// The language of messages: --lang, else LANG and the other locale variables, else English.
Language MessageLanguage(const GlobalOptions& g) {
  return LanguageFromCode(platform::UserLanguage(g.lang)).value_or(Language::kEnglish);
}

int Fail(const Status& s, Language language) {
  std::cerr << s.message(language) << "\n";
  return ExitCodeFor(s);
}

struct Context {
  Language language = Language::kEnglish;
  std::filesystem::path data_dir;
  std::unique_ptr<Store> store;
};

// The system clock shifted by a fixed offset: MENTORLOG_CLOCK_OFFSET_MS, a testing aid that
// makes this device's clock run ahead or behind (the sync tests' skewed devices).
class OffsetClock final : public mentorlog::Clock {
 public:
  explicit OffsetClock(int64_t offset_millis) : offset_(offset_millis) {}
  int64_t NowMillis() const override { return platform::DefaultClock().NowMillis() + offset_; }
  int UtcOffsetMinutes() const override { return platform::DefaultClock().UtcOffsetMinutes(); }

 private:
  int64_t offset_;
};

// Null when MENTORLOG_CLOCK_OFFSET_MS is unset or empty: the system clock.
Result<const mentorlog::Clock*> ClockFromEnvironment() {
  const char* text = std::getenv("MENTORLOG_CLOCK_OFFSET_MS");
  if (text == nullptr || *text == '\0') return static_cast<const mentorlog::Clock*>(nullptr);
  char* end = nullptr;
  errno = 0;
  const long long offset = std::strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0') {
    return Status::InvalidInput("MENTORLOG_CLOCK_OFFSET_MS must be a whole number of milliseconds, not «" +
                                std::string(text) + "»");
  }
  static const OffsetClock clock(offset);
  return static_cast<const mentorlog::Clock*>(&clock);
}

Result<Context> OpenContext(const GlobalOptions& g) {
  Context ctx;
  ctx.language = MessageLanguage(g);
  std::optional<std::filesystem::path> override_dir;
  if (!g.data_dir.empty()) override_dir = g.data_dir;
  ASSIGN_OR_RETURN(ctx.data_dir, platform::ResolveDataDir(override_dir));
  StoreOptions options;
  options.path = ctx.data_dir / "mentorlog.db";
  ASSIGN_OR_RETURN(options.clock, ClockFromEnvironment());
  ASSIGN_OR_RETURN(ctx.store, Store::Open(options));
  // Rubric templates ship with the program: install any the store does not have yet.
  RETURN_IF_ERROR(InstallBundledRubrics(*ctx.store, DefaultAssetsDir()));
  return ctx;
}

Result<std::string> ReadInput(const std::string& path) {
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return text;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::InvalidInput(
        LocalText{"не удалось прочитать «" + path + "»: нет такого файла или нет прав на чтение",
                  "cannot read «" + path + "»: no such file, or no permission"});
  }
  text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return text;
}

Result<RecordKind> ParseKind(const std::string& word) {
  if (auto k = KindFromName(word)) return *k;
  std::string names;
  for (RecordKind k : kAllRecordKinds) names += (names.empty() ? "" : ", ") + std::string(KindTable(k));
  return Status::InvalidInput(LocalText{"неизвестный вид записей «" + word + "»; допустимо: " + names,
                                        "unknown kind «" + word + "»; use one of: " + names});
}

// -----------------------------------------------------------------------------------------
// [SECTION] Output helpers
// -----------------------------------------------------------------------------------------

// What the CLI prints for a person (record texts, names and reasons from the server, messages
// quoting a cell) passes through core::ToTerminalText on its way out, so a record holding an
// escape sequence cannot move the cursor, recolour the terminal, set its title or hide text.
// A streambuf in front of std::cout's or std::cerr's: it hands complete lines (and what a
// flush asks for, up to the last whole UTF-8 character) to ToTerminalText, then to the
// terminal. Every command's output goes through it, except the data `export` writes.
class TerminalTextBuf final : public std::streambuf {
 public:
  explicit TerminalTextBuf(std::streambuf* target) : target_(target) {}
  ~TerminalTextBuf() override { Pass(pending_.size()); }
  TerminalTextBuf(const TerminalTextBuf&) = delete;
  TerminalTextBuf& operator=(const TerminalTextBuf&) = delete;

  std::streambuf* target() const { return target_; }

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    pending_.push_back(traits_type::to_char_type(ch));
    if (ch == '\n') Pass(WholeCharacters());
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<size_t>(n));
    if (std::memchr(s, '\n', static_cast<size_t>(n)) != nullptr) Pass(WholeCharacters());
    return n;
  }
  int sync() override {
    Pass(WholeCharacters());
    return target_->pubsync();
  }

 private:
  // The length of pending_ without a UTF-8 character cut short at its end.
  size_t WholeCharacters() const {
    const size_t size = pending_.size();
    for (size_t back = 1; back <= 3 && back <= size; ++back) {
      const auto c = static_cast<unsigned char>(pending_[size - back]);
      if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
      const size_t needed = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return needed > back ? size - back : size;
    }
    return size;
  }
  void Pass(size_t length) {
    if (length == 0) return;
    const std::string out = ToTerminalText(std::string_view(pending_).substr(0, length));
    target_->sputn(out.data(), static_cast<std::streamsize>(out.size()));
    pending_.erase(0, length);
  }

  std::streambuf* target_;
  std::string pending_;
};

// Puts a TerminalTextBuf in front of `stream` for its lifetime.
class TerminalOutput {
 public:
  explicit TerminalOutput(std::ostream& stream) : stream_(stream), buf_(stream.rdbuf()) { stream_.rdbuf(&buf_); }
  ~TerminalOutput() {
    stream_.flush();
    stream_.rdbuf(buf_.target());
  }
  TerminalOutput(const TerminalOutput&) = delete;
  TerminalOutput& operator=(const TerminalOutput&) = delete;

 private:
  std::ostream& stream_;
  TerminalTextBuf buf_;
};

// A field as a person reads it: vocabulary values as labels in `language` ("село", not "rural").
template <class T>
std::string DisplayText(const T& value, Language language) {
  if constexpr (std::is_enum_v<T>) {
    return std::string(EnumLabel(value, language));
  } else if constexpr (IsVector<T>::value) {
    if constexpr (std::is_enum_v<typename T::value_type>) {
      std::string out;
      for (const auto& v : value) out += (out.empty() ? "" : ", ") + std::string(EnumLabel(v, language));
      return out;
    } else {
      return FieldCodec<T>::ToText(value);
    }
  } else {
    return FieldCodec<T>::ToText(value);
  }
}

// The names of the records others refer to (schools, people, network events), so that `list`
// shows "Иванова Мария Петровна" where a record holds her id, and `show` adds it beside the id.
class NameBook {
 public:
  static Result<NameBook> Load(const Records& records) {
    NameBook book;
    ASSIGN_OR_RETURN(std::vector<School> schools, records.List<School>());
    for (const School& s : schools) book.names_.emplace(s.id.ToString(), s.short_name.empty() ? s.name : s.short_name);
    ASSIGN_OR_RETURN(std::vector<Person> people, records.List<Person>());
    for (const Person& p : people) book.names_.emplace(p.id.ToString(), p.full_name);
    ASSIGN_OR_RETURN(std::vector<NetworkEvent> events, records.List<NetworkEvent>());
    for (const NetworkEvent& e : events) book.names_.emplace(e.id.ToString(), e.title + ", " + e.held_on.ToString());
    return book;
  }

  // The name of the record `id_text` refers to, or nullopt when it is none of the above.
  std::optional<std::string> Find(const std::string& id_text) const {
    auto it = names_.find(id_text);
    if (it == names_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::unordered_map<std::string, std::string> names_;
};

template <class T>
constexpr bool kIsReference = std::is_same_v<T, Uuid> || std::is_same_v<T, std::optional<Uuid>>;

// How a field reads in `list` and `show`.
enum class ReferenceStyle {
  kNameOnly,   // a reference with a known name is its name (list)
  kIdAndName,  // the id, then the name in parentheses (show)
};

struct FieldText {
  std::string name;
  std::string text;
};

template <class R>
std::vector<FieldText> FieldsAsText(const R& r, Language language, const NameBook& names, ReferenceStyle style) {
  std::vector<FieldText> out;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(r.*(def.member))>;
    std::string text = DisplayText(r.*(def.member), language);
    if constexpr (kIsReference<T>) {
      if (auto name = names.Find(text)) text = style == ReferenceStyle::kNameOnly ? *name : text + " (" + *name + ")";
    }
    out.push_back({std::string(def.name), std::move(text)});
  });
  return out;
}

std::string OneLine(std::string s, size_t max_bytes) {
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (s.size() <= max_bytes) return s;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return s.substr(0, cut) + "…";
}

// The columns `list` shows for each kind: the ones a person scans for.
std::vector<std::string_view> ListColumns(RecordKind kind) {
  switch (kind) {
    case RecordKind::kSchool:
      return {"code", "name", "settlement", "statuses", "pupils"};
    case RecordKind::kPerson:
      return {"full_name", "roles", "subjects"};
    case RecordKind::kVisit:
      return {"date", "purposes", "summary"};
    case RecordKind::kObservation:
      return {"date", "subject", "grade", "topic"};
    case RecordKind::kConsultation:
      return {"date", "topics", "questions"};
    case RecordKind::kRecommendation:
      return {"due_on", "status", "text"};
    case RecordKind::kAssessmentResult:
      return {"year", "assessment", "subject", "grade", "mean_score"};
    case RecordKind::kContextIndicator:
      return {"year", "indicator", "value"};
    case RecordKind::kRoadmapItem:
      return {"title", "school_id", "starts_on", "ends_on", "status"};
    case RecordKind::kRubricTemplate:
      return {"code", "version", "title_ru"};
    case RecordKind::kAssignment:
      return {"kind", "assignee_id", "school_id", "teacher_id", "subject", "starts_on"};
    case RecordKind::kDeficit:
      return {"teacher_id", "area", "found_on", "closed_on"};
    case RecordKind::kNetworkAgreement:
      return {"number", "signed_on", "supported_school_id", "leader_school_id", "partner_name", "status"};
    case RecordKind::kRouteItem:
      return {"teacher_id", "activity", "title", "due_on", "status"};
    case RecordKind::kTraining:
      return {"teacher_id", "kind", "title", "hours", "ends_on"};
    case RecordKind::kNetworkEvent:
      return {"title", "kind", "organiser_school_id", "held_on"};
    case RecordKind::kEventParticipant:
      return {"event_id", "teacher_id"};
    case RecordKind::kPlanItem:
      return {"person_id", "school_id", "teacher_id", "activity", "planned_on", "title", "done_on"};
    case RecordKind::kMonitoringRound:
      return {"name", "kind", "starts_on", "ends_on", "closed_on"};
    case RecordKind::kRoundResult:
      return {"round_id", "school_id", "statuses", "risks"};
    case RecordKind::kStatusChange:
      return {"school_id", "changed_on", "statuses", "reason"};
    default:
      return {};
  }
}

template <class R>
Status ListRecords(const Context& ctx, std::ostream& out) {
  ASSIGN_OR_RETURN(std::vector<R> records, ctx.store->records().List<R>());
  ASSIGN_OR_RETURN(NameBook names, NameBook::Load(ctx.store->records()));
  const auto wanted = ListColumns(RecordTraits<R>::kKind);
  for (const auto& r : records) {
    out << r.id.ToString();
    for (const auto& [name, text] : FieldsAsText(r, ctx.language, names, ReferenceStyle::kNameOnly)) {
      if (!wanted.empty() && std::find(wanted.begin(), wanted.end(), name) == wanted.end()) continue;
      out << "  " << OneLine(text, 60);
    }
    out << "\n";
  }
  out << Pick(ctx.language, std::to_string(records.size()) + " record(s)", "записей: " + std::to_string(records.size()))
      << "\n";
  return Status::Ok();
}

// -----------------------------------------------------------------------------------------
// [SECTION] Commands
// -----------------------------------------------------------------------------------------

Status CmdInit(const Context& ctx) {
  std::cout << Pick(ctx.language, "The store is ready: ", "Хранилище готово: ")
            << (ctx.data_dir / "mentorlog.db").string() << "\n";
  return Status::Ok();
}

Status CmdDemo(Context& ctx, uint64_t seed) {
  DemoOptions options;
  options.seed = seed;
  ASSIGN_OR_RETURN(DemoSummary s, CreateDemoDistrict(ctx.store->records(), options));
  std::cout << Pick(ctx.language, "Demo district created in ", "Демонстрационный район создан в ")
            << ctx.data_dir.string() << ":\n"
            << Pick(ctx.language, "  schools: ", "  школ: ") << s.schools << "\n"
            << Pick(ctx.language, "  teachers: ", "  учителей: ") << s.teachers << "\n"
            << Pick(ctx.language, "  mentors / tutors: ", "  наставников / тьюторов: ") << s.mentors << " / "
            << s.tutors << "\n"
            << Pick(ctx.language, "  visits: ", "  выездов: ") << s.visits << "\n"
            << Pick(ctx.language, "  lesson observations: ", "  посещений уроков: ") << s.observations << "\n"
            << Pick(ctx.language, "  consultations: ", "  консультаций: ") << s.consultations << "\n"
            << Pick(ctx.language, "  recommendations (overdue): ", "  рекомендаций (просрочено): ") << s.recommendations
            << " (" << s.overdue_recommendations << ")\n"
            << Pick(ctx.language, "  network agreements: ", "  договоров о сетевом взаимодействии: ") << s.agreements
            << "\n"
            << Pick(ctx.language, "  roadmap items: ", "  мероприятий дорожной карты: ") << s.roadmap_items << "\n"
            << Pick(ctx.language, "  route items (ИОМ) / courses completed: ", "  пунктов ИОМ / пройденных курсов: ")
            << s.route_items << " / " << s.trainings << "\n"
            << Pick(ctx.language, "  network events (participants): ", "  сетевых мероприятий (участников): ")
            << s.network_events << " (" << s.event_participants << ")\n"
            << Pick(ctx.language, "  work plan items: ", "  пунктов планов работы: ") << s.plan_items << "\n";
  return Status::Ok();
}

Status CmdImport(Context& ctx, const std::string& kind_word, const std::string& file, bool skip_bad) {
  ASSIGN_OR_RETURN(RecordKind kind, ParseKind(kind_word));
  ASSIGN_OR_RETURN(ImportReport report, ImportCsvFile(ctx.store->records(), kind, file,
                                                      skip_bad ? BadRowPolicy::kSkipBad : BadRowPolicy::kRejectFile));
  for (const auto& p : report.problems) std::cerr << p.ToString(ctx.language) << "\n";
  for (const auto& note : report.notes) std::cerr << note.In(ctx.language) << "\n";
  if (!report.committed) {
    return Status::InvalidInput(LocalText{
        "Ошибочных строк: " + std::to_string(report.bad_rows) +
            "; ничего не импортировано. Исправьте их или запустите с --skip-bad, чтобы загрузить верные строки.",
        std::to_string(report.bad_rows) +
            " bad row(s): nothing was imported. Fix them, or run again with --skip-bad to import the good rows."});
  }
  std::cout << Pick(ctx.language, "Imported: ", "Импортировано: ") << report.inserted
            << Pick(ctx.language, " new, ", " новых, ") << report.updated
            << Pick(ctx.language, " updated, ", " обновлено, ") << report.unchanged
            << Pick(ctx.language, " unchanged", " без изменений");
  if (report.bad_rows > 0)
    std::cout << Pick(ctx.language, "; skipped bad rows: ", "; пропущено строк с ошибками: ") << report.bad_rows;
  std::cout << "\n";
  return Status::Ok();
}

Status CmdExport(Context& ctx, const std::string& kind_word, const std::string& format, bool excel,
                 const std::string& output) {
  ASSIGN_OR_RETURN(RecordKind kind, ParseKind(kind_word));
  if (format != "csv" && format != "json") {
    return Status::InvalidInput(LocalText{"--format: допустимо csv или json", "--format must be csv or json"});
  }
  ASSIGN_OR_RETURN(std::string bytes, Export(ctx.store->records(), kind,
                                             format == "json" ? ExportFormat::kJson : ExportFormat::kCsv, excel));
  if (output.empty() || output == "-") {
    std::cout << bytes;
    return Status::Ok();
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  if (!out) return Status::IoError(LocalText{"не удалось записать " + output, "cannot write " + output});
  return Status::Ok();
}

Status CmdList(Context& ctx, const std::string& kind_word) {
  ASSIGN_OR_RETURN(RecordKind kind, ParseKind(kind_word));
  return VisitKind(kind, [&]<class R>() { return ListRecords<R>(ctx, std::cout); });
}

Status CmdShow(Context& ctx, const std::string& id_text) {
  ASSIGN_OR_RETURN(Uuid id, Uuid::Parse(id_text));
  ASSIGN_OR_RETURN(std::optional<RecordKind> kind, ctx.store->records().KindOf(id));
  if (!kind)
    return Status::NotFound(LocalText{"Нет записи с идентификатором " + id_text, "No record has the id " + id_text});
  ASSIGN_OR_RETURN(NameBook names, NameBook::Load(ctx.store->records()));
  return VisitKind(*kind, [&]<class R>() -> Status {
    ASSIGN_OR_RETURN(R r, ctx.store->records().Get<R>(id));
    std::cout << EnumLabel(RecordTraits<R>::kKind, ctx.language) << " " << r.id.ToString() << "\n";
    for (const auto& [name, text] : FieldsAsText(r, ctx.language, names, ReferenceStyle::kIdAndName)) {
      std::cout << "  " << name << ": " << text << "\n";
    }
    if constexpr (std::is_same_v<R, Observation>) {
      ASSIGN_OR_RETURN(auto scores, ctx.store->records().ScoresOf(id));
      for (const auto& s : scores) {
        std::cout << "  score " << s.criterion_code << ": " << (s.level ? std::to_string(*s.level) : "—") << "\n";
      }
    }
    // Rules across records it breaks as it is (after a change on another device): edit the
    // field named to fix it; no edit of another field is refused for them.
    for (const FieldError& e : ctx.store->records().RuleWarnings(r)) {
      std::cout << Pick(ctx.language, "  warning (", "  предупреждение (") << e.field
                << "): " << e.text().In(ctx.language) << "\n";
    }
    return Status::Ok();
  });
}

template <class R>
Status SaveFromJson(Context& ctx, R record, const std::string& json) {
  RETURN_IF_ERROR(ApplyJson(json, record));
  if constexpr (std::is_same_v<R, Observation>) {
    ASSIGN_OR_RETURN(auto scores, ScoresFromJson(json));
    if (scores.empty() && !record.id.IsNil()) {
      ASSIGN_OR_RETURN(scores, ctx.store->records().ScoresOf(record.id));  // an edit without scores keeps them
    }
    ASSIGN_OR_RETURN(Observation saved, ctx.store->records().SaveObservation(std::move(record), scores));
    std::cout << saved.id.ToString() << "\n";
  } else {
    ASSIGN_OR_RETURN(R saved, ctx.store->records().Save(std::move(record)));
    std::cout << saved.id.ToString() << "\n";
  }
  return Status::Ok();
}

Status CmdAdd(Context& ctx, const std::string& kind_word, const std::string& json_path) {
  ASSIGN_OR_RETURN(RecordKind kind, ParseKind(kind_word));
  ASSIGN_OR_RETURN(std::string json, ReadInput(json_path));
  return VisitKind(kind, [&]<class R>() { return SaveFromJson(ctx, R{}, json); });
}

Status CmdEdit(Context& ctx, const std::string& id_text, const std::string& json_path) {
  ASSIGN_OR_RETURN(Uuid id, Uuid::Parse(id_text));
  ASSIGN_OR_RETURN(std::optional<RecordKind> kind, ctx.store->records().KindOf(id));
  if (!kind)
    return Status::NotFound(LocalText{"Нет записи с идентификатором " + id_text, "No record has the id " + id_text});
  ASSIGN_OR_RETURN(std::string json, ReadInput(json_path));
  return VisitKind(*kind, [&]<class R>() -> Status {
    ASSIGN_OR_RETURN(R stored, ctx.store->records().Get<R>(id));
    return SaveFromJson(ctx, std::move(stored), json);
  });
}

Status CmdDelete(Context& ctx, const std::string& id_text) {
  ASSIGN_OR_RETURN(Uuid id, Uuid::Parse(id_text));
  ASSIGN_OR_RETURN(std::optional<RecordKind> kind, ctx.store->records().KindOf(id));
  if (!kind)
    return Status::NotFound(LocalText{"Нет записи с идентификатором " + id_text, "No record has the id " + id_text});
  return ctx.store->records().Delete(*kind, id);
}

// Closes a monitoring round: freezes its schools' figures as of its end date (rounds.h).
Status CmdCloseRound(Context& ctx, const std::string& id_text, const std::string& on_text) {
  ASSIGN_OR_RETURN(Uuid id, Uuid::Parse(id_text));
  std::optional<Date> on;
  if (!on_text.empty()) {
    ASSIGN_OR_RETURN(Date parsed, Date::Parse(on_text));
    on = parsed;
  }
  core::Records& records = ctx.store->records();
  ASSIGN_OR_RETURN(auto dashboard, report::BuildDashboard(records, DefaultAssetsDir(), records.Today()));
  ASSIGN_OR_RETURN(core::ClosedRound closing, core::CloseRound(records, *dashboard, id, on));
  const core::MonitoringRound& closed = closing.round;
  const size_t schools = closing.schools;
  std::cout << Pick(ctx.language,
                    "Closed «" + closed.name + "» on " + closed.closed_on->ToString() + ": the figures of " +
                        std::to_string(schools) + " school(s) as of " + closed.ends_on.ToString() +
                        " are kept as they are now.",
                    "Этап «" + closed.name + "» закрыт " + closed.closed_on->ToString() + ": показатели школ (" +
                        std::to_string(schools) + ") на " + closed.ends_on.ToString() + " сохранены в нынешнем виде.")
            << "\n";
  return Status::Ok();
}

}  // namespace
}  // namespace mentorlog::cli

// -----------------------------------------------------------------------------------------
// [SECTION] main
// -----------------------------------------------------------------------------------------

int main(int argc, char** argv) {
  using namespace mentorlog::cli;  // NOLINT(google-build-using-namespace)
  CLI::App app{"mentorlog-cli: MentorLog's local store from the command line (import, export, records, demo, sync)"};
  app.require_subcommand(1);
  app.footer(
      "Testing aid: MENTORLOG_CLOCK_OFFSET_MS=N runs this device's clock N milliseconds ahead of the system "
      "clock (negative: behind), to try out sync with a wrong device clock.");
  GlobalOptions g;
  app.add_option("--data", g.data_dir, "Data folder (default: $XDG_DATA_HOME/mentorlog or ~/.local/share/mentorlog)");
  app.add_option("--lang", g.lang, "Message language: ru or en (default: from LANG)");

  auto* init = app.add_subcommand("init", "Create the local store (and install the bundled rubric templates)");
  uint64_t seed = 20251;
  auto* demo = app.add_subcommand("demo", "Fill an empty store with the demo district");
  demo->add_option("--seed", seed, "Seed of the generator (same seed, same district)");

  std::string kind, file, format = "csv", output, id, json;
  bool skip_bad = false, excel = false;
  auto* import = app.add_subcommand(
      "import",
      "Import a CSV file (columns in Russian or English: docs/import.md): schools, people, assignments, "
      "assessment_results, context_indicators, network_agreements, roadmap_items, deficits, trainings, route_items, "
      "network_events, event_participants, plan_items. Importing the same file again changes nothing");
  import->add_option("KIND", kind, "What the file holds (import schools, then people, then the rest)")->required();
  import->add_option("FILE", file, "The CSV file (UTF-8 or Windows-1251, ',' or ';')")->required();
  import->add_flag("--skip-bad", skip_bad,
                   "Import the good rows and report the bad ones (default: import nothing if any row is bad)");

  auto* exp = app.add_subcommand("export", "Export every record of a kind as CSV or JSON");
  exp->add_option("KIND", kind, "What to export")->required();
  exp->add_option("--format", format, "csv (default) or json");
  exp->add_flag("--excel", excel, "CSV for Russian Excel: Windows-1251 with ';'");
  exp->add_option("--output,-o", output, "File to write (default: standard output)");

  auto* list = app.add_subcommand("list", "List the records of a kind");
  list->add_option("KIND", kind, "schools, people, visits, observations, trainings, network_events, ...")->required();

  auto* show = app.add_subcommand("show", "Show one record with all its fields");
  show->add_option("ID", id, "The record's id")->required();

  auto* add = app.add_subcommand(
      "add",
      "Add a record of any kind from a JSON object of its fields, named as `export --format json` writes them; "
      "prints the new record's id");
  add->add_option("KIND", kind,
                  "visit, observation (with \"scores\"), consultation, recommendation, deficit, route_item, training, "
                  "network_agreement, roadmap_item, network_event, event_participant, plan_item, school, person, ...")
      ->required();
  add->add_option("--json", json, "JSON file, or - for standard input")->required();

  auto* edit = app.add_subcommand(
      "edit",
      "Change fields of a record of any kind: only the fields in the JSON change (e.g. {\"status\": \"done\"})");
  edit->add_option("ID", id, "The record's id")->required();
  edit->add_option("--json", json, "JSON with the fields to change, or - for standard input")->required();

  auto* del = app.add_subcommand("delete", "Delete a record (kept as a tombstone so the deletion syncs)");
  del->add_option("ID", id, "The record's id")->required();

  std::string on;
  auto* round = app.add_subcommand("round", "Monitoring rounds (add one with `add monitoring_round`)");
  round->require_subcommand(1);
  auto* close_round = round->add_subcommand(
      "close", "Close a round: each school's figures as of the round's end date are frozen as round results");
  close_round->add_option("ID", id, "The round's id (`list rounds`)")->required();
  close_round->add_option("--on", on, "The closing date, YYYY-MM-DD (default: today)");

  SyncCommands sync_commands(app);
  ReportCommands report_commands(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 1;
  }

  // Messages and record texts to a terminal lose their control characters; the data `export`
  // writes to standard output is a file's bytes and stays as it is.
  const TerminalOutput err_output(std::cerr);
  std::optional<TerminalOutput> out_output;
  if (!exp->parsed()) out_output.emplace(std::cout);

  try {
    auto ctx = OpenContext(g);
    if (!ctx.ok()) return Fail(ctx.status(), MessageLanguage(g));
    Context& c = *ctx;
    mentorlog::Status s;
    if (init->parsed())
      s = CmdInit(c);
    else if (demo->parsed())
      s = CmdDemo(c, seed);
    else if (import->parsed())
      s = CmdImport(c, kind, file, skip_bad);
    else if (exp->parsed())
      s = CmdExport(c, kind, format, excel, output);
    else if (list->parsed())
      s = CmdList(c, kind);
    else if (show->parsed())
      s = CmdShow(c, id);
    else if (add->parsed())
      s = CmdAdd(c, kind, json);
    else if (edit->parsed())
      s = CmdEdit(c, id, json);
    else if (del->parsed())
      s = CmdDelete(c, id);
    else if (close_round->parsed())
      s = CmdCloseRound(c, id, on);
    else if (sync_commands.Parsed())
      s = sync_commands.Run(SyncContext{c.language, c.data_dir, *c.store});
    else if (report_commands.Parsed())
      s = report_commands.Run(ReportContext{c.language, c.store->records()});
    return s.ok() ? 0 : Fail(s, c.language);
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << "\n";
    return 2;
  }
}
