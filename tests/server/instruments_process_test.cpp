// The programme's instruments (issue 15) through real processes: a coordinator's, two mentors'
// and a tutor's mentorlog-cli devices enter them with `add` and `edit` offline, sync with a
// mentorlog-server process, and each sees the others' where its scope allows; an assignment made
// by the coordinator moves a mentor's scope at the next sync. Both backends.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "mentorlog/domain/types.h"
#include "process_fixture.h"

namespace mentorlog::server::testing {
namespace {

class InstrumentsProcessTest : public ProcessTest {
 protected:
  // `mentorlog-cli add KIND --json -` with `json` on stdin; returns the new record's id.
  std::string Add(const std::filesystem::path& device, const std::string& kind, const std::string& json) {
    std::string out;
    EXPECT_EQ(Cli(device, {"add", kind, "--json", "-"}, &out, {}, json), 0) << kind << ": " << out;
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    return out;
  }
  bool Shows(const std::filesystem::path& device, const std::string& id) {
    CliRun run(device, {"show", id});
    return run.Wait() == 0;
  }
  static std::string Day(int offset) {
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    return core::Date::FromUnixMillis(now, 0).AddDays(offset).ToString();
  }
};

TEST_P(InstrumentsProcessTest, EveryRoleEntersItsInstrumentsWithTheCliAndSeesTheOthersAfterASync) {
  const auto office = NewDevice("office", "coordinator");
  const auto m1 = NewDevice("m1", "mentor1");
  const auto m2 = NewDevice("m2", "mentor2");
  const auto tutor = NewDevice("tutor", "tutor");
  for (const auto& device : {office, m1, m2, tutor}) ASSERT_EQ(Cli(device, {"sync", "--quiet"}), 0);
  const std::string school1 = district_.school1.ToString();
  const std::string school2 = district_.school2.ToString();
  const std::string teacher2 = district_.teacher2.ToString();

  // Offline, each enters its own.
  const std::string agreement =
      Add(office, "network_agreement",
          R"({"number": "СВ-7/2026", "signed_on": ")" + Day(-30) + R"(", "supported_school_id": ")" + school1 +
              R"(", "partner_kind": "institution", "partner_name": "МБУ ДО «Спортивная школа»"})");
  const std::string event =
      Add(office, "network_event",
          R"({"title": "Семинар «Смысловое чтение»", "kind": "seminar", "held_on": ")" + Day(-3) + R"("})");
  const std::string participant =
      Add(office, "event_participant", R"({"event_id": ")" + event + R"(", "teacher_id": ")" + teacher2 + R"("})");
  const std::string roadmap = Add(m1, "roadmap_item",
                                  R"({"title": "Педсовет по итогам ВПР", "level": "school", "school_id": ")" + school1 +
                                      R"(", "starts_on": ")" + Day(-10) + R"(", "ends_on": ")" + Day(10) + R"("})");
  const std::string plan = Add(m2, "plan_item",
                               R"({"person_id": ")" + district_.mentor2.ToString() + R"(", "school_id": ")" + school2 +
                                   R"(", "activity": "visit", "planned_on": ")" + Day(7) + R"("})");
  const std::string deficit = Add(
      tutor, "deficit",
      R"({"teacher_id": ")" + teacher2 + R"(", "area": "формирующее оценивание", "found_on": ")" + Day(-5) + R"("})");
  const std::string route =
      Add(tutor, "route_item",
          R"({"teacher_id": ")" + teacher2 + R"(", "deficit_id": ")" + deficit +
              R"(", "activity": "peer_visits", "title": "Посетить три урока наставника", "starts_on": ")" + Day(0) +
              R"(", "due_on": ")" + Day(30) + R"("})");
  const std::string training = Add(
      tutor, "training",
      R"({"teacher_id": ")" + teacher2 +
          R"(", "provider": "ГАУ ДПО «Институт развития образования»", "title": "Формирующее оценивание", "hours": 36, "starts_on": ")" +
          Day(-20) + R"(", "ends_on": ")" + Day(-6) + R"("})");
  // A status change of a saved record.
  ASSERT_EQ(Cli(tutor, {"edit", route, "--json", "-"}, nullptr, {}, R"({"status": "in_progress"})"), 0);

  for (int round = 0; round < 2; ++round) {
    for (const auto& device : {office, m1, m2, tutor}) ASSERT_EQ(Cli(device, {"sync", "--quiet"}), 0);
  }

  for (const std::string& id : {agreement, event, participant, roadmap, plan, deficit, route, training}) {
    EXPECT_TRUE(Shows(office, id)) << "the coordinator sees " << id;
  }
  EXPECT_TRUE(Shows(m1, agreement));
  EXPECT_TRUE(Shows(m1, event));
  EXPECT_FALSE(Shows(m1, route)) << "a route of a teacher of another school";
  EXPECT_FALSE(Shows(m1, participant));
  EXPECT_TRUE(Shows(m2, route)) << "the route of a teacher of the mentor's school";
  EXPECT_TRUE(Shows(m2, training));
  EXPECT_TRUE(Shows(m2, participant));
  EXPECT_FALSE(Shows(m2, roadmap)) << "school 101 is not mentor 2's";
  EXPECT_TRUE(Shows(tutor, event));
  EXPECT_TRUE(Shows(tutor, plan)) << "the tutor's teacher's school";

  // The coordinator assigns mentor 2 to school 101 too: at mentor 2's next sync its scope
  // follows, and school 101's roadmap comes down.
  const std::string assignment = Add(office, "assignment",
                                     R"({"kind": "mentor_school", "assignee_id": ")" + district_.mentor2.ToString() +
                                         R"(", "school_id": ")" + school1 + R"(", "starts_on": ")" + Day(-1) + R"("})");
  ASSERT_EQ(Cli(office, {"sync", "--quiet"}), 0);
  ASSERT_EQ(Cli(m2, {"sync", "--quiet"}), 0);
  EXPECT_TRUE(Shows(m2, assignment));
  EXPECT_TRUE(Shows(m2, roadmap)) << "mentor 2's scope followed the new assignment";
  EXPECT_TRUE(Shows(m2, agreement));

  std::string shown;
  ASSERT_EQ(Cli(m2, {"show", route}, &shown), 0);
  EXPECT_NE(shown.find("in progress"), std::string::npos) << shown;
  EXPECT_NE(shown.find("Посетить три урока наставника"), std::string::npos) << shown;

  // Everyone synced again (mentor 1 gets the assignment to its school): each device holds
  // exactly what the server says its account sees.
  for (const auto& device : {office, m1, m2, tutor}) ASSERT_EQ(Cli(device, {"sync", "--quiet"}), 0);
  for (const auto& [device, login] :
       {std::pair{office, "coordinator"}, {m1, "mentor1"}, {m2, "mentor2"}, {tutor, "tutor"}}) {
    EXPECT_EQ(DeviceHash(device), ServerHash(login)) << login;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, InstrumentsProcessTest, ::testing::Values("Sqlite", "Postgres"), BackendName);

}  // namespace
}  // namespace mentorlog::server::testing
