// Tests for mentorlog/domain/text.h (which texts a record may hold, and their safe output forms)
// and for the rule applied to every text field of every record kind (validation.h), the store
// and the JSON input.
#include "mentorlog/domain/text.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <string>
#include <string_view>
#include <type_traits>

#include "mentorlog/domain/record_json.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/validation.h"
#include "test_fixtures.h"

namespace mentorlog::core {
namespace {

using std::string_literals::operator""s;

// ---- FindTextFault / CheckRecordText ----------------------------------------------------

TEST(RecordTextTest, OrdinaryTextsAreAcceptable) {
  for (std::string_view text : {"", "Школа № 1, «Берёзка» — ok", "две\nстроки\r\nи\tтаб", "😀 中文",
                                "\xC2\x80 C1 controls are valid text", "\xEF\xBF\xBD"}) {
    EXPECT_TRUE(IsRecordText(text)) << text;
    EXPECT_FALSE(FindTextFault(text).has_value()) << text;
    EXPECT_TRUE(CheckRecordText(text).ok()) << text;
  }
}

TEST(RecordTextTest, RefusesNulControlsAndBytesThatAreNotUtf8) {
  struct Case {
    std::string text;
    size_t offset;
    std::string_view en;  // a part of the English message
  };
  const Case cases[] = {
      {"ab\0cd"s, 2, "NUL"},
      {"Итоги\x1B[31m", 10, "control character (U+001B)"},
      {"a\x07", 1, "U+0007"},
      {"x\xC0\x80", 1, "not UTF-8 text (0xC0)"},      // overlong NUL
      {"x\xE0\x80\xAF", 1, "not UTF-8"},              // overlong '/'
      {"x\xED\xA0\x80", 1, "not UTF-8 text (0xED)"},  // a lone surrogate U+D800
      {"x\xED\xBF\xBF", 1, "not UTF-8"},              // U+DFFF
      {"x\xF4\x90\x80\x80", 1, "not UTF-8"},          // above U+10FFFF
      {"Шк\xD0", 4, "not UTF-8"},                     // truncated
      {"\xC0\xE0", 0, "not UTF-8"},                   // Windows-1251 "Аа"
      {"a\xEF\xBF\xBF", 1, "not allowed in text (U+FFFF)"},
      {"a\xEF\xBF\xBE", 1, "U+FFFE"},
  };
  for (const Case& c : cases) {
    const auto fault = FindTextFault(c.text);
    ASSERT_TRUE(fault.has_value()) << c.en;
    EXPECT_EQ(fault->offset, c.offset) << c.en;
    EXPECT_NE(fault->en.find(c.en), std::string::npos) << fault->en;
    EXPECT_FALSE(fault->ru.empty());
    EXPECT_FALSE(IsRecordText(c.text));
    const Status s = CheckRecordText(c.text);
    EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
    EXPECT_EQ(s.message(Language::kRussian), fault->ru);
    EXPECT_EQ(s.message(Language::kEnglish), fault->en);
  }
}

TEST(RecordTextTest, TheMessageQuotesTheWordsBeforeTheFault) {
  const auto fault = FindTextFault("Первая строка\nПосетили три урока\x01 и ещё");
  ASSERT_TRUE(fault.has_value());
  EXPECT_NE(fault->en.find("after «…а Посетили три урока»"), std::string::npos) << fault->en;
  EXPECT_NE(fault->ru.find("после «…а Посетили три урока»"), std::string::npos) << fault->ru;
  EXPECT_NE(fault->ru.find("Удалите его"), std::string::npos) << fault->ru;
  const auto first = FindTextFault("\x1B");
  ASSERT_TRUE(first.has_value());
  EXPECT_NE(first->en.find("at its start"), std::string::npos) << first->en;
}

TEST(RecordTextTest, ToRecordTextReplacesWhatRecordsMayNotHold) {
  EXPECT_EQ(ToRecordText("Школа № 1"), "Школа № 1");
  EXPECT_EQ(ToRecordText("a\0b"s), "a\uFFFDb");
  EXPECT_EQ(ToRecordText("a\xED\xA0\x80z"), "a\uFFFD\uFFFD\uFFFDz");
  EXPECT_EQ(ToRecordText("\xC0\xE0", "?"), "??");
  EXPECT_EQ(ToRecordText("x\x1By\xEF\xBF\xBF"), "x\uFFFDy\uFFFD");
  EXPECT_TRUE(IsRecordText(ToRecordText("\xFF\0\x01\xF4\x90\x80\x80 тест"s)));
}

TEST(RecordTextTest, ToTerminalTextRemovesControlSequences) {
  EXPECT_EQ(ToTerminalText("Итоги\nвыезда\tок"), "Итоги\nвыезда\tок");
  EXPECT_EQ(ToTerminalText("\x1B[31;1mRED\x1B[0m"), "RED");
  EXPECT_EQ(ToTerminalText("a\x1B]0;title\x07z"), "az");              // OSC window title
  EXPECT_EQ(ToTerminalText("a\x1B]8;;http://x\x1B\\link"), "alink");  // OSC hyperlink
  EXPECT_EQ(ToTerminalText("a\x1B"
                           "cz"),
            "az");  // reset the terminal
  EXPECT_EQ(ToTerminalText("a\xC2\x9B"
                           "2Jz"),
            "az");                                            // C1 CSI
  EXPECT_EQ(ToTerminalText("a\xC2\x85\xC2\x9Fz\x7F"), "az");  // other C1, DEL
  EXPECT_EQ(ToTerminalText("over\rwrite\b\x07"), "overwrite");
  EXPECT_EQ(ToTerminalText("a\x9B"
                           "2Jz"),
            "a\uFFFD2Jz");  // a raw 0x9B byte is not UTF-8
  EXPECT_EQ(ToTerminalText("a\0b"s), "ab");
}

// ---- Every text field of every record kind ----------------------------------------------

class NoRecordsContext final : public ValidationContext {
 public:
  Date Today() const override { return Date::FromDays(20'000); }
  std::optional<School> FindSchool(const Uuid&) const override { return std::nullopt; }
  std::optional<Person> FindPerson(const Uuid&) const override { return std::nullopt; }
  std::optional<Date> SourceDate(SourceKind, const Uuid&) const override { return std::nullopt; }
  std::optional<Observation> FindObservation(const Uuid&) const override { return std::nullopt; }
  std::optional<NetworkEvent> FindEvent(const Uuid&) const override { return std::nullopt; }
  std::optional<MonitoringRound> FindRound(const Uuid&) const override { return std::nullopt; }
  std::optional<Rubric> FindRubric(std::string_view, int64_t) const override { return std::nullopt; }
};

bool HasFieldErrorMentioning(const ValidationErrors& errors, std::string_view field, std::string_view words) {
  for (const FieldError& e : errors) {
    if (e.field == field && e.en.find(words) != std::string::npos && !e.ru.empty()) return true;
  }
  return false;
}

TEST(RecordTextTest, EveryTextFieldOfEveryKindIsChecked) {
  const NoRecordsContext ctx;
  int text_fields = 0;
  for (RecordKind kind : kAllRecordKinds) {
    VisitKind(kind, [&]<class R>() {
      ForEachFieldDef<R>([&](const auto& def) {
        using T = std::remove_cvref_t<decltype(R{}.*(def.member))>;
        if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::vector<std::string>>) {
          ++text_fields;
          R record;
          if constexpr (std::is_same_v<T, std::string>) {
            record.*(def.member) = "ok\0NUL"s;
          } else {
            record.*(def.member) = {"fine", "bad\xED\xA0\x80"};
          }
          const std::string_view words = std::is_same_v<T, std::string> ? "NUL" : "not UTF-8";
          EXPECT_TRUE(HasFieldErrorMentioning(Validate(record, ctx), def.name, words))
              << EnumCode(kind) << "." << def.name;
          EXPECT_TRUE(HasFieldErrorMentioning(CheckRecordTexts(record), def.name, words))
              << EnumCode(kind) << "." << def.name;
          EXPECT_TRUE(HasFieldErrorMentioning(CheckStateTexts(StateFromRecord(record)), def.name, words))
              << EnumCode(kind) << "." << def.name;
        }
      });
      // A record with acceptable texts has no text errors.
      EXPECT_TRUE(CheckRecordTexts(R{}).empty()) << EnumCode(kind);
      EXPECT_TRUE(CheckStateTexts(StateFromRecord(R{})).empty()) << EnumCode(kind);
    });
  }
  EXPECT_GE(text_fields, 40);  // the tables have many; a refactor that loses them shows here
}

class RecordTextStoreTest : public testing::StoreFixture {};

TEST_F(RecordTextStoreTest, SaveRefusesATextARecordMayNotHoldAndWritesNothing) {
  const School school = MakeSchool();
  const Person mentor = MakeMentor();
  const int64_t pending = Pending();
  Visit visit = NewVisit(school.id, mentor.id);
  visit.summary = "Итоги\x1B[2J";
  const Result<Visit> saved = store().records().Save(visit);
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(saved.status().message().find("U+001B"), std::string::npos) << saved.status().message();
  EXPECT_EQ(Pending(), pending);
  EXPECT_TRUE(testing::Must(store().records().List<Visit>()).empty());

  Person teacher;
  teacher.full_name = "Иванова";
  teacher.roles = {Role::kTeacher};
  teacher.school_id = school.id;
  teacher.subjects = {"математика", "физика\0"s};
  EXPECT_EQ(store().records().Save(teacher).status().code(), StatusCode::kInvalidInput);
}

// ---- JSON input (mentorlog-cli add/edit --json) -------------------------------------------

TEST(RecordJsonDepthTest, DeepNestingIsRefusedWithAMessage) {
  Visit visit;
  const Status deep = ApplyJson(R"({"purposes": [[[[[[[[["x"]]]]]]]]]})", visit);
  EXPECT_EQ(deep.code(), StatusCode::kInvalidInput);
  EXPECT_NE(deep.message().find("nested deeper than 8 levels"), std::string::npos) << deep.message();
  // Brackets inside texts are text, not nesting.
  Visit texts;
  EXPECT_TRUE(ApplyJson(R"({"summary": "[[[[[[[[[[[[{{{{{{{{{{{ \" [[[[[[[[[["})", texts).ok());
  EXPECT_EQ(texts.summary, "[[[[[[[[[[[[{{{{{{{{{{{ \" [[[[[[[[[[");
  // An observation's scores are three levels deep and still read.
  const auto scores = ScoresFromJson(R"({"scores": [{"criterion_code": "c1", "level": 2}]})");
  ASSERT_TRUE(scores.ok()) << scores.status().ToString();
  EXPECT_EQ(scores->size(), 1u);
}

// Runs `f` on a thread with a small stack (what a sanitizer build leaves a deep recursion).
template <class F>
void OnSmallStack(F f) {
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  auto trampoline = [](void* arg) -> void* {
    (*static_cast<F*>(arg))();
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attr, trampoline, &f), 0);
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
}

TEST(RecordJsonDepthTest, AMillionBracketsDoNotCrash) {
  Status array_status, object_status;
  Result<std::vector<ObservationScore>> scores = std::vector<ObservationScore>{};
  OnSmallStack([&] {
    Visit visit;
    array_status = ApplyJson("{\"purposes\": " + std::string(1'000'000, '['), visit);
    Observation observation;
    object_status = ApplyJson(std::string(1'000'000, '{'), observation);
    scores = ScoresFromJson("{\"scores\": " + std::string(1'000'000, '['));
  });
  EXPECT_EQ(array_status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(object_status.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(scores.status().code(), StatusCode::kInvalidInput);
}

}  // namespace
}  // namespace mentorlog::core
