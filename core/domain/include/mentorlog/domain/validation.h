// Validation of every record kind, with messages a mentor understands, in Russian and English.
//
// Validate() never touches the store: what it needs to know about other records (is this
// person a teacher of that school? which scale does the rubric have?) it asks a
// ValidationContext, which the Store implements and tests fake.
//
// Thread safety: pure functions; the context decides its own.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "mentorlog/base/status.h"
#include "mentorlog/domain/record_state.h"
#include "mentorlog/domain/records.h"
#include "mentorlog/domain/rubric.h"
#include "mentorlog/domain/text.h"

namespace mentorlog::core {

// What a rule looks at. A record's own fields (a required field, a range, one date before
// another of the same record) are kRecord: every change must keep them, and the device and
// the central store refuse a change that breaks one. A rule that reads another record (a
// reference, "the due date after the observation") or the device's clock ("not in the
// future") is kAcrossRecords: under offline and concurrent editing nobody can guarantee it
// (another device moves the observation's date; this device's clock is a day behind), so
// the device refuses only a change that writes the field the rule is about (where the user
// can fix it), never an edit of another field, and the central store does not refuse it.
enum class RuleSpan { kRecord, kAcrossRecords };

struct FieldError {
  std::string field;  // the field's name in RecordTraits, e.g. "due_on"
  std::string en;
  std::string ru;
  RuleSpan span = RuleSpan::kRecord;

  const std::string& In(Language language) const { return language == Language::kRussian ? ru : en; }
  LocalText text() const { return LocalText{ru, en}; }
};

using ValidationErrors = std::vector<FieldError>;

class ValidationContext {
 public:
  virtual ~ValidationContext() = default;
  virtual Date Today() const = 0;
  virtual std::optional<School> FindSchool(const Uuid& id) const = 0;
  virtual std::optional<Person> FindPerson(const Uuid& id) const = 0;
  // The date of the visit, observation or consultation a recommendation came from.
  virtual std::optional<Date> SourceDate(SourceKind kind, const Uuid& id) const = 0;
  virtual std::optional<Observation> FindObservation(const Uuid& id) const = 0;
  virtual std::optional<NetworkEvent> FindEvent(const Uuid& id) const = 0;
  virtual std::optional<MonitoringRound> FindRound(const Uuid& id) const = 0;
  virtual std::optional<Rubric> FindRubric(std::string_view code, int64_t version) const = 0;
};

// Every Validate below also refuses a text that text.h's rule refuses (a NUL, a control
// character, bytes that are not UTF-8), in every text and text-list field (CheckRecordTexts).
ValidationErrors Validate(const School& r, const ValidationContext& ctx);
ValidationErrors Validate(const Person& r, const ValidationContext& ctx);
ValidationErrors Validate(const Assignment& r, const ValidationContext& ctx);
ValidationErrors Validate(const Visit& r, const ValidationContext& ctx);
ValidationErrors Validate(const Observation& r, const ValidationContext& ctx);
ValidationErrors Validate(const ObservationScore& r, const ValidationContext& ctx);
ValidationErrors Validate(const Consultation& r, const ValidationContext& ctx);
ValidationErrors Validate(const Recommendation& r, const ValidationContext& ctx);
ValidationErrors Validate(const RecommendationEvent& r, const ValidationContext& ctx);
ValidationErrors Validate(const Deficit& r, const ValidationContext& ctx);
ValidationErrors Validate(const RoadmapItem& r, const ValidationContext& ctx);
ValidationErrors Validate(const NetworkAgreement& r, const ValidationContext& ctx);
ValidationErrors Validate(const AssessmentResult& r, const ValidationContext& ctx);
ValidationErrors Validate(const ContextIndicator& r, const ValidationContext& ctx);
ValidationErrors Validate(const RubricTemplate& r, const ValidationContext& ctx);
ValidationErrors Validate(const RouteItem& r, const ValidationContext& ctx);
ValidationErrors Validate(const Training& r, const ValidationContext& ctx);
ValidationErrors Validate(const NetworkEvent& r, const ValidationContext& ctx);
ValidationErrors Validate(const EventParticipant& r, const ValidationContext& ctx);
ValidationErrors Validate(const PlanItem& r, const ValidationContext& ctx);
ValidationErrors Validate(const MonitoringRound& r, const ValidationContext& ctx);
ValidationErrors Validate(const RoundResult& r, const ValidationContext& ctx);
ValidationErrors Validate(const StatusChange& r, const ValidationContext& ctx);

// The error for one text field, or nullopt when `text` is acceptable (text.h's FindTextFault).
std::optional<FieldError> CheckFieldText(std::string_view field, std::string_view text);

// One FieldError for each text field (std::string) and text-list field (a list of texts) of
// `record` that text.h's rule refuses, found through RecordTraits<R>::kFields, so a field
// added to a table is checked without more code. A list field gets one error at most.
template <class R>
ValidationErrors CheckRecordTexts(const R& record) {
  ValidationErrors errors;
  ForEachFieldDef<R>([&](const auto& def) {
    using T = std::remove_cvref_t<decltype(record.*(def.member))>;
    if constexpr (std::is_same_v<T, std::string>) {
      if (auto err = CheckFieldText(def.name, record.*(def.member))) errors.push_back(std::move(*err));
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      for (const std::string& item : record.*(def.member)) {
        if (auto err = CheckFieldText(def.name, item)) {
          errors.push_back(std::move(*err));
          break;
        }
      }
    }
  });
  return errors;
}

// The same rule for a state (a pushed change, a stored row read back): one FieldError for each
// field whose value is a text that the rule refuses. Values of every field type are checked
// (dates, ids and codes travel as texts too); non-text values pass.
ValidationErrors CheckStateTexts(const RecordState& state);

// May a recommendation's status go from `from` to `to` without a reopen? Forward only:
// open < in progress < done | dropped; done and dropped are final.
bool IsForwardStatusMove(RecommendationStatus from, RecommendationStatus to);

// The errors that refuse a change (RuleSpan above): every kRecord error, and a kAcrossRecords
// error whose field the change writes. `written`: the fields the change writes; nullptr for a
// new record, which writes them all.
ValidationErrors Refusing(ValidationErrors errors, const std::vector<std::string_view>* written);

// One Status (InvalidInput) listing every error, one a line, in both languages; Ok when there
// are none.
Status ToStatus(const ValidationErrors& errors);

}  // namespace mentorlog::core
