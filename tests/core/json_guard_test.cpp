// The lexical guard in front of every rapidjson parser (core/src/json_guard.h), and that the
// three parsers call it: cereal's JSON archive (DecodeJson), record JSON (ApplyJson), rubric files.
#include "json_guard.h"

#include <gtest/gtest.h>

#include <string>

#include "mentorlog/domain/record_json.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/serialize.h"

namespace mentorlog::core {
namespace {

std::optional<std::string> Problem(std::string_view json) { return JsonInputProblem(json, JsonLimits{}); }

TEST(JsonGuardTest, ZerosAndNumbersRapidjsonReadsPass) {
  for (std::string_view json : {"0", "-0", "0.0", "0e5", "00e70", "0.e70", "0e+", "10e70", "0.01e-30", "0E+37",
                                "0.0e-21", "0e-22", "0.0000000000000000000000e22", "1e70", "-2.5e-300", "[0, 0.0, 7]",
                                R"({"a": "0e70 in a text", "b": [1, 2]})", R"("\"0e70\"")"}) {
    EXPECT_EQ(Problem(json), std::nullopt) << json;
  }
}

// Finding 3 of tests/fuzz/README.md: rapidjson 1.1.0's full-precision path reads these zeros
// with __builtin_clzll(0) and negative shifts.
TEST(JsonGuardTest, AZeroOffRapidjsonsFastPathIsRefusedWithHowToWriteIt) {
  for (std::string_view json : {"0e70", "-0e38", "0.0E+40", "0e-23", "0.00000000000000000000000", "[1, 0e400]",
                                R"({"score": 0.0e-99999999999})", "0e40.0-40", "[-0.0E+99x]"}) {
    const std::optional<std::string> problem = Problem(json);
    ASSERT_TRUE(problem.has_value()) << json;
    EXPECT_NE(problem->find("write it as 0"), std::string::npos) << *problem;
  }
  EXPECT_EQ(Problem("[1, 0e400]"),
            "the number 0e400 at byte 4 is a zero with an exponent this program cannot read; "
            "write it as 0");
}

TEST(JsonGuardTest, DepthNulLongNumbersAndTheRoot) {
  EXPECT_EQ(Problem(std::string(32, '[') + std::string(32, ']')), std::nullopt);
  EXPECT_EQ(Problem(std::string(33, '[')), "nested deeper than 32 levels at byte 32");
  EXPECT_EQ(Problem(R"(["[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["])"), std::nullopt) << "brackets in a text";
  EXPECT_EQ(Problem(std::string_view("[1]\0", 4)), "a NUL byte at byte 3");
  EXPECT_EQ(Problem(std::string_view("[\"a\\\0\"]", 6)), "a NUL byte at byte 4");
  EXPECT_EQ(Problem(std::string(64, '1')), std::nullopt);
  EXPECT_EQ(Problem("[" + std::string(65, '1') + "]"), "a number longer than 64 characters at byte 1");
  const JsonLimits object{.object_root = true};
  EXPECT_EQ(JsonInputProblem(" \n", object), "the text is empty");
  EXPECT_EQ(JsonInputProblem(" [1]", object), "expected a JSON object ({...}) at byte 1");
  EXPECT_EQ(JsonInputProblem(" {}", object), std::nullopt);
}

TEST(JsonGuardTest, EveryRapidjsonParserIsBehindTheGuard) {
  // cereal's archive: a change whose op seq is spelled 0e70.
  Change change;
  change.device_id = "d";
  change.op_seq = 5;
  std::string json = EncodeJson(change);
  const size_t at = json.find("\"op_seq\": 5");
  ASSERT_NE(at, std::string::npos) << json;
  json.replace(at, 11, "\"op_seq\": 0e70");
  Result<Change> decoded = DecodeJson<Change>(json);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("write it as 0"), std::string::npos) << decoded.status().message();

  // Record JSON (mentorlog-cli add/edit --json).
  Observation observation;
  const Status applied = ApplyJson(R"({"topic": "s", "grade": 0e99})", observation, false);
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.message().find("write it as 0"), std::string::npos) << applied.message();

  // A rubric file.
  Result<Rubric> rubric = ParseRubric(R"({"code": "x", "version": 0.0e-50})", "mine.json");
  ASSERT_FALSE(rubric.ok());
  EXPECT_NE(rubric.status().message().find("write it as 0"), std::string::npos) << rubric.status().message();
}

}  // namespace
}  // namespace mentorlog::core
