// Tests of the form codec (state.h: DraftKey, EncodeForm, DecodeForm): every field of every
// form round-trips (Cyrillic included), and anything malformed, truncated or of another
// version is refused.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <variant>

#include "mentorlog/ui/state.h"

namespace mentorlog::ui {
namespace {

NewRecommendation Rec(std::string text) {
  NewRecommendation r;
  r.text = std::move(text);
  r.teacher_id = "0190f5a2-0000-7000-8000-000000000011";
  r.owner_id = "0190f5a2-0000-7000-8000-000000000012";
  r.owner_name = "Заместитель директора по УВР";
  r.due_on = "2026-12-20";
  return r;
}

VisitForm FullVisit() {
  VisitForm f;
  f.id = "0190f5a2-0000-7000-8000-000000000001";
  f.school_id = "0190f5a2-0000-7000-8000-000000000002";
  f.date = "2026-11-20";
  f.purposes = {"diagnostics", "follow_up"};
  f.met_with_ids = {"0190f5a2-0000-7000-8000-000000000003", "0190f5a2-0000-7000-8000-000000000004"};
  f.met_with = "директор, завуч";
  f.summary = "Обсудили программу перехода.\nВторая строка:\tс табуляцией и 12:34";
  f.strengths = "Сплочённый коллектив";
  f.problems = "Низкая мотивация 8-х классов";
  f.checks = {{"0190f5a2-0000-7000-8000-000000000005", "done", "Открытые уроки проведены"},
              {"0190f5a2-0000-7000-8000-000000000006", "", ""}};
  f.recommendations = {Rec("Провести педсовет"), Rec("")};
  return f;
}

ObservationForm FullObservation() {
  ObservationForm f;
  f.id = "0190f5a2-0000-7000-8000-000000000007";
  f.visit_id = "0190f5a2-0000-7000-8000-000000000001";
  f.school_id = "0190f5a2-0000-7000-8000-000000000002";
  f.teacher_id = "0190f5a2-0000-7000-8000-000000000011";
  f.kind = "open_lesson";
  f.subject = "математика";
  f.grade = "5";
  f.class_label = "5Б";
  f.date = "2026-11-19";
  f.topic = "Дроби";
  f.rubric_code = "lesson_observation";
  f.rubric_version = 2;
  f.scores = {{"goals", 3, "Цель урока на доске"}, {"feedback", -1, ""}, {"pace", 0, "Темп низкий"}};
  f.strengths = "Чёткая структура";
  f.growth_areas = "Обратная связь";
  f.next_steps = "Взаимопосещение через месяц";
  f.discussion_held = true;
  f.recommendations = {Rec("Использовать листы самооценки")};
  return f;
}

ConsultationForm FullConsultation() {
  ConsultationForm f;
  f.id = "0190f5a2-0000-7000-8000-000000000008";
  f.visit_id = "";
  f.school_id = "0190f5a2-0000-7000-8000-000000000002";
  f.date = "2026-11-18";
  f.audience = "teacher";
  f.teacher_id = "0190f5a2-0000-7000-8000-000000000011";
  f.format = "phone";
  f.minutes = "45";
  f.topics = {"exam_preparation", "pupils_at_risk"};
  f.questions = "Как готовить к ВПР?";
  f.advice = "Диагностика, затем группы";
  f.follow_ups = "Созвониться через неделю";
  f.recommendations = {};
  return f;
}

template <class F>
void ExpectRoundTrip(const F& form) {
  const std::string text = EncodeForm(Form(form));
  std::optional<Form> back = DecodeForm(text);
  ASSERT_TRUE(back.has_value()) << text;
  ASSERT_TRUE(std::holds_alternative<F>(*back));
  // Encoding is a function of the form: equal text means every field came back.
  EXPECT_EQ(EncodeForm(*back), text);
}

TEST(FormCodecTest, VisitRoundTripsEveryField) {
  const VisitForm f = FullVisit();
  ExpectRoundTrip(f);
  const auto back = std::get<VisitForm>(*DecodeForm(EncodeForm(Form(f))));
  EXPECT_EQ(back.id, f.id);
  EXPECT_EQ(back.school_id, f.school_id);
  EXPECT_EQ(back.date, f.date);
  EXPECT_EQ(back.purposes, f.purposes);
  EXPECT_EQ(back.met_with_ids, f.met_with_ids);
  EXPECT_EQ(back.met_with, f.met_with);
  EXPECT_EQ(back.summary, f.summary);
  EXPECT_EQ(back.strengths, f.strengths);
  EXPECT_EQ(back.problems, f.problems);
  ASSERT_EQ(back.checks.size(), 2u);
  EXPECT_EQ(back.checks[0].recommendation_id, f.checks[0].recommendation_id);
  EXPECT_EQ(back.checks[0].new_status, "done");
  EXPECT_EQ(back.checks[0].note, "Открытые уроки проведены");
  EXPECT_EQ(back.checks[1].new_status, "");
  ASSERT_EQ(back.recommendations.size(), 2u);
  EXPECT_EQ(back.recommendations[0].text, "Провести педсовет");
  EXPECT_EQ(back.recommendations[0].teacher_id, f.recommendations[0].teacher_id);
  EXPECT_EQ(back.recommendations[0].owner_id, f.recommendations[0].owner_id);
  EXPECT_EQ(back.recommendations[0].owner_name, "Заместитель директора по УВР");
  EXPECT_EQ(back.recommendations[0].due_on, "2026-12-20");
  EXPECT_EQ(back.recommendations[1].text, "");
}

TEST(FormCodecTest, ObservationRoundTripsEveryField) {
  const ObservationForm f = FullObservation();
  ExpectRoundTrip(f);
  const auto back = std::get<ObservationForm>(*DecodeForm(EncodeForm(Form(f))));
  EXPECT_EQ(back.id, f.id);
  EXPECT_EQ(back.visit_id, f.visit_id);
  EXPECT_EQ(back.school_id, f.school_id);
  EXPECT_EQ(back.teacher_id, f.teacher_id);
  EXPECT_EQ(back.kind, "open_lesson");
  EXPECT_EQ(back.subject, "математика");
  EXPECT_EQ(back.grade, "5");
  EXPECT_EQ(back.class_label, "5Б");
  EXPECT_EQ(back.date, f.date);
  EXPECT_EQ(back.topic, "Дроби");
  EXPECT_EQ(back.rubric_code, f.rubric_code);
  EXPECT_EQ(back.rubric_version, 2);
  ASSERT_EQ(back.scores.size(), 3u);
  EXPECT_EQ(back.scores[0].criterion_code, "goals");
  EXPECT_EQ(back.scores[0].level, 3);
  EXPECT_EQ(back.scores[0].evidence, "Цель урока на доске");
  EXPECT_EQ(back.scores[1].level, -1);
  EXPECT_EQ(back.scores[2].level, 0);
  EXPECT_EQ(back.strengths, f.strengths);
  EXPECT_EQ(back.growth_areas, f.growth_areas);
  EXPECT_EQ(back.next_steps, f.next_steps);
  EXPECT_TRUE(back.discussion_held);
  ASSERT_EQ(back.recommendations.size(), 1u);
  EXPECT_EQ(back.recommendations[0].text, "Использовать листы самооценки");
}

TEST(FormCodecTest, ConsultationRoundTripsEveryField) {
  const ConsultationForm f = FullConsultation();
  ExpectRoundTrip(f);
  const auto back = std::get<ConsultationForm>(*DecodeForm(EncodeForm(Form(f))));
  EXPECT_EQ(back.id, f.id);
  EXPECT_EQ(back.visit_id, "");
  EXPECT_EQ(back.school_id, f.school_id);
  EXPECT_EQ(back.date, f.date);
  EXPECT_EQ(back.audience, "teacher");
  EXPECT_EQ(back.teacher_id, f.teacher_id);
  EXPECT_EQ(back.format, "phone");
  EXPECT_EQ(back.minutes, "45");
  EXPECT_EQ(back.topics, f.topics);
  EXPECT_EQ(back.questions, "Как готовить к ВПР?");
  EXPECT_EQ(back.advice, f.advice);
  EXPECT_EQ(back.follow_ups, f.follow_ups);
  EXPECT_TRUE(back.recommendations.empty());
}

TEST(FormCodecTest, EmptyFormsRoundTrip) {
  ExpectRoundTrip(VisitForm{});
  ExpectRoundTrip(ObservationForm{});
  ExpectRoundTrip(ConsultationForm{});
}

TEST(FormCodecTest, DraftKeyIsKindAndId) {
  EXPECT_EQ(DraftKey(Form(FullVisit())), "visit:0190f5a2-0000-7000-8000-000000000001");
  EXPECT_EQ(DraftKey(Form(FullObservation())), "observation:0190f5a2-0000-7000-8000-000000000007");
  EXPECT_EQ(DraftKey(Form(FullConsultation())), "consultation:0190f5a2-0000-7000-8000-000000000008");
  // Stable while the form is typed: only the id counts.
  VisitForm edited = FullVisit();
  edited.summary = "другое";
  EXPECT_EQ(DraftKey(Form(edited)), DraftKey(Form(FullVisit())));
  EXPECT_EQ(DraftKey(Form(VisitForm{})), "visit:new");
}

RecordForm FullRecordForm() {
  RecordForm f;
  f.id = "0190f5a2-0000-7000-8000-000000000009";
  f.kind = "network_event";
  f.school_id = "0190f5a2-0000-7000-8000-000000000002";
  f.values = {
      {"title", "Методический день\n«Читательская грамотность»"}, {"kind", "methodological_day"}, {"report", ""}};
  f.participants = {"0190f5a2-0000-7000-8000-000000000003", "0190f5a2-0000-7000-8000-000000000004"};
  return f;
}

TEST(FormCodecTest, TheGenericRecordFormRoundTripsAndIsKeyedByItsKind) {
  const RecordForm f = FullRecordForm();
  ExpectRoundTrip(f);
  ExpectRoundTrip(RecordForm{});
  const auto back = std::get<RecordForm>(*DecodeForm(EncodeForm(Form(f))));
  EXPECT_EQ(back.id, f.id);
  EXPECT_EQ(back.kind, f.kind);
  EXPECT_EQ(back.school_id, f.school_id);
  EXPECT_EQ(back.values, f.values);
  EXPECT_EQ(back.participants, f.participants);
  EXPECT_EQ(DraftKey(Form(f)), "network_event:0190f5a2-0000-7000-8000-000000000009");
  const std::string text = EncodeForm(Form(f));
  for (size_t n = 0; n < text.size(); ++n) {
    EXPECT_FALSE(DecodeForm(std::string_view(text).substr(0, n)).has_value()) << "prefix of " << n << " bytes";
  }
  // A field given twice is not something the writer makes.
  RecordForm one;
  one.values = {{"a", "1"}};
  std::string twice = EncodeForm(Form(one));
  const std::string pair = "1:a\n1:1\n";
  const size_t at = twice.find(pair);
  ASSERT_NE(at, std::string::npos);
  twice.replace(at, pair.size(), pair + pair);
  twice.replace(twice.find("1:1\n1:a"), 3, "1:2");  // the count of fields
  EXPECT_FALSE(DecodeForm(twice).has_value());
}

TEST(FormCodecTest, EveryTruncationIsRefused) {
  for (const Form& form : {Form(FullVisit()), Form(FullObservation()), Form(FullConsultation())}) {
    const std::string text = EncodeForm(form);
    for (size_t n = 0; n < text.size(); ++n) {
      EXPECT_FALSE(DecodeForm(std::string_view(text).substr(0, n)).has_value()) << "prefix of " << n << " bytes";
    }
  }
}

TEST(FormCodecTest, ExtraBytesAreRefused) {
  const std::string text = EncodeForm(Form(FullVisit()));
  EXPECT_FALSE(DecodeForm(text + "0:\n").has_value());
  EXPECT_FALSE(DecodeForm(text + "\n").has_value());
}

TEST(FormCodecTest, OtherVersionsAndKindsAreRefused) {
  std::string text = EncodeForm(Form(FullVisit()));
  std::string v2 = text;
  v2.replace(0, std::string("mentorlog-form/1").size(), "mentorlog-form/2");
  EXPECT_FALSE(DecodeForm(v2).has_value());
  std::string kind = text;
  const size_t at = kind.find("5:visit\n");
  ASSERT_NE(at, std::string::npos);
  kind.replace(at, 8, "5:trips\n");
  EXPECT_FALSE(DecodeForm(kind).has_value());
  EXPECT_FALSE(DecodeForm("").has_value());
  EXPECT_FALSE(DecodeForm("{\"summary\":\"x\"}").has_value());
  EXPECT_FALSE(DecodeForm("mentorlog-form/1\n").has_value());
}

TEST(FormCodecTest, MalformedTokensAreRefused) {
  const std::string h = "mentorlog-form/1\n";
  EXPECT_FALSE(DecodeForm(h + "99999999999999999999:visit\n").has_value());  // length overflows
  EXPECT_FALSE(DecodeForm(h + "1000:visit\n").has_value());                  // longer than the rest
  EXPECT_FALSE(DecodeForm(h + "-5:visit\n").has_value());
  EXPECT_FALSE(DecodeForm(h + "05:visit\n").has_value());  // not as written: leading zero
  EXPECT_FALSE(DecodeForm(h + "5:visitX").has_value());    // no newline after the bytes
  EXPECT_FALSE(DecodeForm(h + "visit\n").has_value());
  // A list count larger than the bytes left.
  VisitForm f;
  std::string text = EncodeForm(Form(f));
  const size_t purposes = text.find("1:0\n");
  ASSERT_NE(purposes, std::string::npos);
  EXPECT_FALSE(DecodeForm(text.substr(0, purposes) + "10:1000000000\n" + text.substr(purposes + 4)).has_value());
  // A level that is not a number, or a bool that is not 0/1.
  ObservationForm o;
  o.scores = {{"goals", 2, ""}};
  text = EncodeForm(Form(o));
  const size_t level = text.find("5:goals\n1:2\n");
  ASSERT_NE(level, std::string::npos);
  std::string bad = text;
  bad.replace(level + 8, 4, "1:x\n");
  EXPECT_FALSE(DecodeForm(bad).has_value());
  bad = text;
  bad.replace(level + 8, 4, "2:+2\n");
  EXPECT_FALSE(DecodeForm(bad).has_value());
}

// Every single-byte change either is refused or decodes to a form that encodes back to the
// changed text (it never crashes and never "repairs" input).
TEST(FormCodecTest, ByteFlipsNeverCrash) {
  const std::string text = EncodeForm(Form(FullObservation()));
  for (size_t i = 0; i < text.size(); ++i) {
    for (unsigned x : {0x01u, 0x10u, 0x80u}) {
      std::string bad = text;
      bad[i] = static_cast<char>(static_cast<unsigned char>(bad[i]) ^ static_cast<unsigned char>(x));
      const std::optional<Form> got = DecodeForm(bad);
      if (got) {
        EXPECT_EQ(EncodeForm(*got), bad) << "byte " << i;
      }
    }
  }
}

}  // namespace
}  // namespace mentorlog::ui
