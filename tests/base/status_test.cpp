// Status keeps its message in both languages (base/status.h).
#include "mentorlog/base/status.h"

#include <gtest/gtest.h>

namespace mentorlog {
namespace {

TEST(StatusTest, LocalTextMessageReadsInEachLanguage) {
  const Status s = Status::InvalidInput(LocalText{"Укажите дату визита.", "Give the visit's date."});
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidInput);
  EXPECT_EQ(s.message(Language::kRussian), "Укажите дату визита.");
  EXPECT_EQ(s.message(Language::kEnglish), "Give the visit's date.");
  EXPECT_EQ(s.message(), "Give the visit's date.");  // logs read English
  EXPECT_EQ(s.local_message(), (LocalText{"Укажите дату визита.", "Give the visit's date."}));
  EXPECT_EQ(s.ToString(), "Give the visit's date.");
}

TEST(StatusTest, SingleTextReadsTheSameInBothLanguages) {
  const Status s = Status::IoError("disk I/O error");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(s.message(Language::kRussian), "disk I/O error");
  EXPECT_EQ(s.message(Language::kEnglish), "disk I/O error");
}

TEST(StatusTest, WithContextPrefixesEachLanguage) {
  const Status s = Status::NotFound(LocalText{"файл не найден", "no such file"});
  const Status local = s.WithContext(LocalText{"Отчёт", "The report"});
  EXPECT_EQ(local.code(), StatusCode::kNotFound);
  EXPECT_EQ(local.message(Language::kRussian), "Отчёт: файл не найден");
  EXPECT_EQ(local.message(Language::kEnglish), "The report: no such file");
  const Status single = s.WithContext("/tmp/a.csv");
  EXPECT_EQ(single.message(Language::kRussian), "/tmp/a.csv: файл не найден");
  EXPECT_EQ(single.message(Language::kEnglish), "/tmp/a.csv: no such file");
  EXPECT_TRUE(Status::Ok().WithContext("x").ok());
  EXPECT_EQ(Status::Ok().WithContext("x").message(Language::kRussian), "");
}

TEST(StatusTest, ResultCarriesTheBilingualStatus) {
  const Result<int> r = Status::Conflict(LocalText{"конфликт", "a conflict"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(Language::kRussian), "конфликт");
  EXPECT_EQ(r.status().message(Language::kEnglish), "a conflict");
}

}  // namespace
}  // namespace mentorlog
