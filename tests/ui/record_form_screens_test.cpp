// Headless tests of the generic record form (screen_record.cpp) and the lists that reach it: the
// school's agreements, roadmap and events, the teacher's deficits, route and courses, Today's
// due list, a deficit from an observation. What the controller then does with the actions is
// tested in tests/app_controller (RecordFormsTest).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "mentorlog/ui/record_spec.h"
#include "mentorlog/ui/screens.h"
#include "screens_fixture.h"

namespace mentorlog::ui {
namespace {

constexpr char kRfSchool[] = "0195c000-0000-7000-8000-000000000101";
constexpr char kRfOtherSchool[] = "0195c000-0000-7000-8000-000000000102";
constexpr char kRfTeacher[] = "0195c000-0000-7000-8000-0000000001b1";
constexpr char kRfTeacher2[] = "0195c000-0000-7000-8000-0000000001b2";
constexpr char kRfTeacher3[] = "0195c000-0000-7000-8000-0000000001b3";
constexpr char kRfAgreement[] = "0195c000-0000-7000-8000-0000000001a1";
constexpr char kRfRoute[] = "0195c000-0000-7000-8000-0000000001c1";
constexpr char kRfDeficit[] = "0195c000-0000-7000-8000-0000000001d1";

AppView RecordFormsView() {
  AppView v;
  v.version = 1;
  SchoolCard card;
  card.id = kRfSchool;
  card.name = "МБОУ «Школа № 3»";
  v.today.Edit().schools = {card};
  v.today.Edit().person_id = "0195c000-0000-7000-8000-0000000001ee";
  v.today.Edit().due = {{kRfRoute, "route_item", "18.11.2026", "Посетить три урока коллег и обсудить их с тьютором",
                         "Иванова А. П. · семинар", "запланирован", true}};
  SchoolView& school = v.school.Edit();
  school.id = kRfSchool;
  school.name = card.name;
  school.agreements = {{kRfAgreement, "network_agreement", "01.11.2026", "№ СВ-77 с МБУК «Библиотека»",
                        "горизонтальная", "проект", false}};
  school.teachers = {{kRfTeacher, "Иванова А. П.", "математика"}};
  TeacherView& teacher = v.teacher.Edit();
  teacher.id = kRfTeacher;
  teacher.name = "Иванова А. П.";
  teacher.school_id = kRfSchool;
  teacher.deficits = {
      {kRfDeficit, "deficit", "10.11.2026", "Формирующее оценивание", "диагностика", "не устранён", false}};
  RecordOptions& o = v.record_options.Edit();
  o.today = "2026-11-20";
  o.vocabularies["network_agreement.partner_kind"] = {{"school", "школа"}, {"institution", "социальный институт"}};
  o.vocabularies["network_agreement.model"] = {{"horizontal", "горизонтальная"}, {"vertical", "вертикальная"}};
  o.vocabularies["network_agreement.status"] = {{"draft", "проект"}, {"active", "действует"}};
  o.vocabularies["network_event.kind"] = {{"seminar", "семинар"}, {"master_class", "мастер-класс"}};
  o.vocabularies["deficit.found_by"] = {{"observation", "посещение урока"}, {"diagnostics", "диагностика"}};
  o.vocabularies["deficit.remedy"] = {{"course", "курсы"}, {"tutor_sessions", "занятия с тьютором"}};
  o.vocabularies["route_item.activity"] = {{"course", "курсы"}, {"seminar", "семинар"}};
  o.vocabularies["route_item.status"] = {{"planned", "запланирован"}, {"done", "выполнен"}};
  o.schools = {{kRfSchool, "МБОУ «Школа № 3»"}, {kRfOtherSchool, "МБОУ «Лицей № 1»"}};
  o.teachers = {{kRfTeacher, "Иванова А. П.", kRfSchool, "МБОУ «Школа № 3»"},
                {kRfTeacher2, "Петров Б. В.", kRfSchool, "МБОУ «Школа № 3»"},
                {kRfTeacher3, "Сидорова В. Г.", kRfOtherSchool, "МБОУ «Лицей № 1»"}};
  o.deficits = {{kRfDeficit, "Формирующее оценивание (10.11.2026)", kRfTeacher, "Иванова А. П."}};
  v.form.Edit().school_id = kRfSchool;
  v.form.Edit().school_name = card.name;
  v.form.Edit().teachers = {{kRfTeacher, "Иванова А. П."}};
  return v;
}

class RecordFormScreensTest : public testing::ScreensFixture {
 protected:
  AppView InitialView() override { return RecordFormsView(); }

  void OpenSchoolLog() {
    state_.screen = Screen::kSchool;
    state_.school_id = kRfSchool;
    ui_.Frames(2);
  }

  const RecordForm* Open() const { return state_.form ? std::get_if<RecordForm>(&*state_.form) : nullptr; }

  RecordForm LastSaved() const {
    const auto saves = Sent<SaveForm>();
    if (saves.empty()) {
      ADD_FAILURE() << "nothing saved";
      return {};
    }
    const auto* f = std::get_if<RecordForm>(&saves.back().form);
    if (f == nullptr) {
      ADD_FAILURE() << "not a record form";
      return {};
    }
    return *f;
  }
};

TEST_F(RecordFormScreensTest, AnAgreementIsAddedFromTheSchoolPageWithAnInstitutionPartner) {
  OpenSchoolLog();
  ASSERT_TRUE(ui_.Click("school.add/network_agreement"));
  ASSERT_EQ(state_.screen, Screen::kRecord);
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Open()->kind, "network_agreement");
  EXPECT_EQ(Open()->Get("supported_school_id"), kRfSchool);
  ASSERT_FALSE(Sent<PrepareForm>().empty());
  EXPECT_EQ(Sent<PrepareForm>().back().school_id, kRfSchool);

  ASSERT_TRUE(ui_.Type("record.number", "СВ-77"));
  EXPECT_EQ(Open()->Get("signed_on"), "2026-11-20");  // a new form's date starts at today
  // A school partner by default; an institution shows its name instead of a school.
  EXPECT_TRUE(ui_.Visible("record.leader_school_id"));
  EXPECT_FALSE(ui_.Visible("record.partner_name"));
  ASSERT_TRUE(ui_.Click("record.partner_kind"));
  ASSERT_TRUE(ui_.Click("record.partner_kind/institution"));
  ui_.Frames(2);
  EXPECT_FALSE(ui_.Visible("record.leader_school_id"));
  ASSERT_TRUE(ui_.Type("record.partner_name", "МБУК «Межпоселенческая библиотека»"));
  ASSERT_TRUE(ui_.Click("record.status"));
  ASSERT_TRUE(ui_.Click("record.status/draft"));
  ASSERT_TRUE(ui_.Click("record.save"));

  const RecordForm saved = LastSaved();
  EXPECT_EQ(saved.id.size(), 36u);
  EXPECT_EQ(saved.Get("number"), "СВ-77");
  EXPECT_EQ(saved.Get("partner_kind"), "institution");
  EXPECT_EQ(saved.Get("partner_name"), "МБУК «Межпоселенческая библиотека»");
  EXPECT_EQ(saved.Get("status"), "draft");
  EXPECT_EQ(saved.Get("model"), "horizontal");  // the initial value, never touched
  EXPECT_EQ(Sent<SaveForm>().back().draft_key, "network_agreement:" + saved.id);

  // Saved: the form closes and the school is back.
  view_.saved_form_id = saved.id;
  ++view_.saved_form_seq;
  ui_.Frames(2);
  EXPECT_EQ(state_.screen, Screen::kSchool);
}

TEST_F(RecordFormScreensTest, AMentorsSchoolAndTeacherPagesOfferOnlyWhatAMentorWrites) {
  view_.school.Edit().may_coordinate = false;
  view_.teacher.Edit().may_coordinate = false;
  OpenSchoolLog();
  EXPECT_TRUE(ui_.Visible("school.add/roadmap_item"));
  for (const char* coordinators :
       {"school.add/network_agreement", "school.add/network_event", "school.add/assignment"}) {
    EXPECT_FALSE(ui_.Visible(coordinators)) << coordinators;
  }
  state_.screen = Screen::kTeacher;
  state_.teacher_id = kRfTeacher;
  ui_.Frames(2);
  EXPECT_TRUE(ui_.Visible("teacher.add/deficit"));
  EXPECT_FALSE(ui_.Visible("teacher.add/assignment"));
}

TEST_F(RecordFormScreensTest, ARowOfASchoolsListOpensItsRecordToEdit) {
  OpenSchoolLog();
  for (const char* list : {"school.add/roadmap_item", "school.add/network_event", "school.add/assignment"}) {
    EXPECT_TRUE(ui_.Visible(list)) << list;
  }
  ASSERT_TRUE(ui_.Click(std::string("school.agreement/") + kRfAgreement));
  const auto opened = Sent<OpenRecord>();
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].record_id, kRfAgreement);
}

TEST_F(RecordFormScreensTest, ARefusedFieldIsShownUnderThatFieldAndTheFormStaysOpen) {
  state_.screen = Screen::kTeacher;
  state_.teacher_id = kRfTeacher;
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click("teacher.add/route_item"));
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Open()->Get("teacher_id"), kRfTeacher);
  EXPECT_EQ(Open()->school_id, kRfSchool);
  // The teacher's deficits are offered for the item.
  ASSERT_TRUE(ui_.Click("record.deficit_id"));
  ASSERT_TRUE(ui_.Click(std::string("record.deficit_id/") + kRfDeficit));
  ASSERT_TRUE(ui_.Type("record.due_on", "2026-11-01"));
  ASSERT_TRUE(ui_.Click("record.save"));
  const std::string id = LastSaved().id;
  EXPECT_EQ(LastSaved().Get("deficit_id"), kRfDeficit);

  // The controller refuses two fields: each reason under its own field.
  view_.notice = "Не сохранено: исправьте поля, отмеченные красным, и сохраните снова.";
  view_.notice_is_error = true;
  view_.form_errors_id = id;
  view_.form_errors = {{"due_on", "Срок пункта раньше его начала."}, {"title", "Укажите содержание пункта маршрута."}};
  ui_.Frames(2);
  EXPECT_EQ(state_.screen, Screen::kRecord);
  const auto due = FindProbe("record.due_on");
  const auto due_error = FindProbe("record.error/due_on");
  const auto status = FindProbe("record.status");
  const auto title_error = FindProbe("record.error/title");
  const auto title = FindProbe("record.title");
  ASSERT_TRUE(due && due_error && status && title_error && title);
  EXPECT_GT(due_error->min.y, due->max.y - 1);  // under its field…
  EXPECT_LT(due_error->max.y, status->min.y);   // …before the next one
  EXPECT_GT(title_error->min.y, title->max.y - 1);
  EXPECT_FALSE(ui_.Visible("record.error/starts_on"));

  // Fixing a field takes its error away at once; the other stays until it is fixed too, and a
  // new save shows what the controller says then.
  ASSERT_TRUE(ui_.Type("record.title", "Посетить три урока коллег"));
  ui_.Frames(2);
  EXPECT_FALSE(ui_.Visible("record.error/title"));
  EXPECT_TRUE(ui_.Visible("record.error/due_on"));
  ASSERT_TRUE(ui_.Click("record.save"));
  ui_.Frames(2);
  EXPECT_TRUE(ui_.Visible("record.error/title")) << "the view still holds it: the controller's answer decides";

  // Another form's errors are not this one's.
  view_.form_errors_id = "0195c000-0000-7000-8000-0000000009ff";
  ui_.Frames(2);
  EXPECT_FALSE(ui_.Visible("record.error/due_on"));
}

TEST_F(RecordFormScreensTest, ParticipantsArePickedFromAFilteredChecklistGroupedBySchool) {
  OpenSchoolLog();
  ASSERT_TRUE(ui_.Click("school.add/network_event"));
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Open()->Get("organiser_school_id"), kRfSchool);
  ASSERT_TRUE(ui_.Type("record.title", "Мастер-класс «Смысловое чтение»"));
  // A whole school at once, then one teacher of another found by name.
  ASSERT_TRUE(ui_.Click(std::string("record.participants.all/") + kRfSchool));
  ASSERT_TRUE(ui_.Type("record.participants.filter", "сидор"));  // any case
  ui_.Frames(2);
  EXPECT_FALSE(ui_.Visible(std::string("record.participant/") + kRfTeacher));  // filtered out
  ASSERT_TRUE(ui_.Click(std::string("record.participant/") + kRfTeacher3));
  ASSERT_TRUE(ui_.Click("record.save"));
  std::vector<std::string> got = LastSaved().participants;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{kRfTeacher, kRfTeacher2, kRfTeacher3}));

  // Unchecked again: gone from the list the save sends.
  ASSERT_TRUE(ui_.Click(std::string("record.participant/") + kRfTeacher3));
  ASSERT_TRUE(ui_.Click("record.save"));
  got = LastSaved().participants;
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{kRfTeacher, kRfTeacher2}));
}

TEST_F(RecordFormScreensTest, TodayShowsWhatIsDueAndARowOpensIt) {
  ASSERT_TRUE(ui_.Visible(std::string("today.due/") + kRfRoute));
  ASSERT_TRUE(ui_.Click(std::string("today.due/") + kRfRoute));
  ASSERT_EQ(Sent<OpenRecord>().size(), 1u);
  EXPECT_EQ(Sent<OpenRecord>()[0].record_id, kRfRoute);
  // A plan item of my own.
  ASSERT_TRUE(ui_.Click("today.add/plan_item"));
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Open()->kind, "plan_item");
  EXPECT_EQ(Open()->Get("person_id"), view_.today->person_id);
}

TEST_F(RecordFormScreensTest, TheWorkPlanOpensFromTodayMovesByHalfYearAndOpensItsItems) {
  ASSERT_TRUE(ui_.Click("today.my_plan"));
  EXPECT_EQ(state_.screen, Screen::kPlan);
  ASSERT_EQ(Sent<OpenPlan>().size(), 1u);
  EXPECT_EQ(Sent<OpenPlan>()[0].person_id, "") << "mine";

  // The controller's answer: one school, one item done of two.
  PlanView& plan = view_.plan.Edit();
  plan.person_id = view_.today->person_id;
  plan.person_name = "Орлова Н. С.";
  plan.people = {{plan.person_id, "Орлова Н. С."}, {kRfTeacher, "Иванова А. П."}};
  plan.half = "2nd half of 2026 (July – December)";
  plan.half_start = "2026-07-01";
  plan.planned = 2;
  plan.done = 1;
  plan.overdue = 1;
  PlanSchoolRow row;
  row.school_id = kRfSchool;
  row.name = "МБОУ «Школа № 3»";
  row.planned = 2;
  row.done = 1;
  row.recorded = "visits: 1";
  row.items = {{kRfRoute, "plan_item", "05.11.2026", "visit", "visit", "done 20.11.2026", false}};
  plan.schools = {row};
  ui_.Frames(2);
  EXPECT_TRUE(ui_.Visible("plan.summary"));
  EXPECT_TRUE(ui_.Visible(std::string("plan.school/") + kRfSchool));
  ASSERT_TRUE(ui_.Click(std::string("plan.item/") + kRfRoute));
  ASSERT_EQ(Sent<OpenRecord>().size(), 1u);

  ASSERT_TRUE(ui_.Click("plan.previous"));
  ASSERT_EQ(Sent<OpenPlan>().size(), 2u);
  EXPECT_EQ(Sent<OpenPlan>()[1].day, "2026-01-01");
  ASSERT_TRUE(ui_.Click("plan.next"));
  EXPECT_EQ(Sent<OpenPlan>()[2].day, "2027-01-01") << "six months after the half-year shown";

  ASSERT_TRUE(ui_.Click("plan.add"));
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Open()->kind, "plan_item");
  EXPECT_EQ(Open()->Get("person_id"), plan.person_id) << "a new item of the plan shown";
}

TEST_F(RecordFormScreensTest, TheDistrictOpensItsRoadmapAndEventsWhichAddAndOpenRecords) {
  state_.screen = Screen::kDistrict;
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click("district.programme")) << "reachable while the figures are computed";
  EXPECT_EQ(state_.screen, Screen::kProgramme);
  ASSERT_EQ(Sent<OpenProgramme>().size(), 1u);
  view_.programme.Edit().events = {
      {kRfRoute, "network_event", "19.11.2026", "Районный методический день", "семинар · участников: 2", "", false}};
  ui_.Frames(2);
  ASSERT_TRUE(ui_.Click(std::string("programme.event/") + kRfRoute));
  ASSERT_EQ(Sent<OpenRecord>().size(), 1u);
  ASSERT_TRUE(ui_.Click("programme.add/roadmap_item"));
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Open()->kind, "roadmap_item");
  EXPECT_EQ(Open()->Get("level"), "district");
}

TEST_F(RecordFormScreensTest, ADeficitFromAnObservationIsPrefilledAndTheObservationWaits) {
  ASSERT_TRUE(ui_.Click(std::string("today.start_visit/") + kRfSchool));
  ASSERT_TRUE(ui_.Click("visit.start_observation"));
  ASSERT_TRUE(ui_.Click("observation.teacher"));
  ASSERT_TRUE(ui_.Click(std::string("observation.teacher/") + kRfTeacher));
  ASSERT_TRUE(ui_.Type("observation.date", "2026-11-19"));
  const std::string observation_id = std::get<ObservationForm>(*state_.form).id;
  ASSERT_TRUE(ui_.Click("observation.add_deficit"));
  // The observation is saved first, so the deficit can refer to it.
  ASSERT_EQ(Sent<SaveForm>().size(), 1u);
  ASSERT_TRUE(std::holds_alternative<ObservationForm>(Sent<SaveForm>()[0].form));
  EXPECT_EQ(std::get<ObservationForm>(Sent<SaveForm>()[0].form).id, observation_id);
  ASSERT_EQ(state_.screen, Screen::kRecord);
  ASSERT_NE(Open(), nullptr);
  EXPECT_EQ(Open()->kind, "deficit");
  EXPECT_EQ(Open()->Get("teacher_id"), kRfTeacher);
  EXPECT_EQ(Open()->Get("observation_id"), observation_id);
  EXPECT_EQ(Open()->Get("found_by"), "observation");
  EXPECT_EQ(Open()->Get("found_on"), "2026-11-19");
  ASSERT_EQ(state_.parked.size(), 2u);  // the visit and the observation wait underneath
  ASSERT_TRUE(ui_.Type("record.area", "Постановка учебной задачи"));
  ASSERT_TRUE(ui_.Click("record.save"));
  const RecordForm saved = LastSaved();
  view_.saved_form_id = saved.id;
  ++view_.saved_form_seq;
  ui_.Frames(2);
  EXPECT_EQ(state_.screen, Screen::kObservation);  // back to the lesson
}

TEST_F(RecordFormScreensTest, OnAPhoneTheListsAndTheFormFitTheWidth) {
  ImGui::GetIO().DisplaySize = ImVec2(390, 4000);
  OpenSchoolLog();
  for (const std::string& id :
       {std::string("school.agreement/") + kRfAgreement, std::string("school.add/network_event")}) {
    const auto r = FindProbe(id);
    ASSERT_TRUE(r.has_value()) << id;
    EXPECT_LE(r->max.x, 390.0f) << id;
  }
  ASSERT_TRUE(ui_.Click("school.add/network_event"));
  for (const char* id : {"record.title", "record.participants.filter", "record.save"}) {
    const auto r = FindProbe(id);
    ASSERT_TRUE(r.has_value()) << id;
    EXPECT_LE(r->max.x, 390.0f) << id;
  }
}

// Every field of every kind has its words in both languages, and every kind its name.
TEST(RecordSpecTest, EveryFieldAndKindHasALabelInBothLanguages) {
  for (const char* lang : {"ru", "en"}) {
    auto t = Translations::Load(MENTORLOG_ASSETS_DIR "/i18n", lang);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    for (const RecordSpec& spec : RecordSpecs()) {
      EXPECT_TRUE(t->Has("record.kind." + std::string(spec.kind))) << lang << " " << spec.kind;
      for (const FieldSpec& f : spec.fields) {
        const std::string own = "record." + std::string(spec.kind) + "." + std::string(f.name);
        EXPECT_TRUE(t->Has(own) || t->Has("record.field." + std::string(f.name))) << lang << " " << own;
        if (!f.shown_if.empty()) {
          const bool known = std::any_of(spec.fields.begin(), spec.fields.end(),
                                         [&](const FieldSpec& g) { return g.name == f.shown_if; });
          EXPECT_TRUE(known) << spec.kind << "." << f.name << " follows an unknown field";
        }
      }
    }
  }
}

}  // namespace
}  // namespace mentorlog::ui
