#include "mentorlog/domain/record_json.h"

#include <stdexcept>
#include <type_traits>

#include "json_guard.h"
#include "rapidjson_config.h"

#include "mentorlog/domain/field_codec.h"

namespace mentorlog::core {

namespace {

// A JSON value as the text FieldCodec::FromText understands.
Result<std::string> JsonToText(const rapidjson::Value& v, std::string_view field) {
  if (v.IsNull()) return std::string();
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsBool()) return std::string(v.GetBool() ? "1" : "0");
  if (v.IsInt64()) return std::to_string(v.GetInt64());
  if (v.IsNumber()) return FieldValueToString(v.GetDouble());
  if (v.IsArray()) {
    std::string joined;
    for (const auto& item : v.GetArray()) {
      if (!item.IsString() && !item.IsNumber()) {
        return Status::InvalidInput(LocalText{"поле «" + std::string(field) + "»: элементы списка должны быть текстами",
                                              "field «" + std::string(field) + "»: list items must be texts"});
      }
      ASSIGN_OR_RETURN(std::string text, JsonToText(item, field));
      if (!joined.empty()) joined += '\n';
      joined += text;
    }
    return joined;
  }
  return Status::InvalidInput(
      LocalText{"поле «" + std::string(field) + "» должно быть текстом, числом, true/false или списком",
                "field «" + std::string(field) + "» must be a text, a number, true/false or a list"});
}

// The Russian for a value FieldCodec<T>::FromText refused (its message is English), so a
// person reads `add`'s and `edit`'s errors in their language.
template <class T>
std::string RussianValueProblem(const std::string& text, const std::string& english) {
  if constexpr (IsOptional<T>::value) {
    return RussianValueProblem<typename T::value_type>(text, english);
  } else if constexpr (std::is_enum_v<T>) {
    return "«" + text + "» — недопустимое значение; допустимо: " + EnumChoices<T>(Language::kRussian) + " (" +
           EnumChoices<T>(Language::kEnglish) + ")";
  } else if constexpr (std::is_same_v<T, Date>) {
    return "«" + text + "» — не дата; пишите 2025-03-14";
  } else if constexpr (std::is_same_v<T, int64_t>) {
    return "«" + text + "» — не целое число";
  } else if constexpr (std::is_same_v<T, double>) {
    return "«" + text + "» — не число";
  } else if constexpr (std::is_same_v<T, bool>) {
    return "«" + text + "» — не true или false";
  } else if constexpr (std::is_same_v<T, Uuid>) {
    return "«" + text + "» — не идентификатор записи (их показывает mentorlog-cli list)";
  } else {
    return english;
  }
}

// A record is flat: {"field": value} with lists as arrays, and an observation's scores one
// level more ({"scores": [{...}]}). Deeper input is refused before rapidjson sees it
// (json_guard.h).
constexpr JsonLimits kFlatJsonLimits{.max_depth = 8};

Result<rapidjson::Document> ParseObject(std::string_view json) {
  if (json.size() > (16u << 20)) {
    return Status::InvalidInput(LocalText{"JSON больше 16 МиБ", "the JSON is larger than 16 MiB"});
  }
  if (auto problem = JsonInputProblem(json, kFlatJsonLimits)) {
    return Status::InvalidInput(LocalText{"JSON не читается: " + *problem +
                                              " (запись — один объект с полями, значения которых — тексты, числа, "
                                              "true/false, null или списки текстов)",
                                          "the JSON cannot be read: " + *problem +
                                              " (a record is one object of fields whose values are texts, numbers, "
                                              "true/false, null or lists of texts)"});
  }
  rapidjson::Document doc;
  try {
    doc.Parse(json.data(), json.size());
  } catch (const std::exception& e) {
    return Status::InvalidInput(std::string("malformed JSON: ") + e.what());
  }
  if (doc.HasParseError()) {
    const std::string at = std::to_string(doc.GetErrorOffset());
    return Status::InvalidInput(
        LocalText{"это не JSON (ошибка около байта " + at + ")", "not valid JSON (near byte " + at + ")"});
  }
  if (!doc.IsObject()) {
    return Status::InvalidInput(
        LocalText{"нужен объект JSON { \"поле\": значение, ... }", "expected a JSON object { \"field\": value, ... }"});
  }
  return doc;
}

}  // namespace

template <class R>
Status ApplyJson(std::string_view json, R& record, bool allow_id) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseObject(json));
  for (auto it = doc.MemberBegin(); it != doc.MemberEnd(); ++it) {
    const std::string key(it->name.GetString(), it->name.GetStringLength());
    if (key == "id") {
      if (!allow_id) continue;
      ASSIGN_OR_RETURN(std::string text, JsonToText(it->value, key));
      RETURN_IF_ERROR(FieldCodec<Uuid>::FromText(text, record.id).WithContext("field «id»"));
      continue;
    }
    if (std::is_same_v<R, Observation> && key == "scores") continue;  // see ScoresFromJson
    bool known = false;
    Status status;
    ForEachFieldDef<R>([&](const auto& def) {
      if (known || def.name != key) return;
      known = true;
      using T = std::remove_cvref_t<decltype(record.*(def.member))>;
      auto text = JsonToText(it->value, key);
      if (!text.ok()) {
        status = text.status();
        return;
      }
      status = FieldCodec<T>::FromText(*text, record.*(def.member));
      if (!status.ok()) {
        status =
            Status::InvalidInput(LocalText{"поле «" + key + "»: " + RussianValueProblem<T>(*text, status.message()),
                                           "field «" + key + "»: " + status.message()});
      }
    });
    RETURN_IF_ERROR(status);
    if (!known) {
      std::string names;
      ForEachFieldDef<R>([&](const auto& def) { names += (names.empty() ? "" : ", ") + std::string(def.name); });
      return Status::InvalidInput(LocalText{"неизвестное поле «" + key + "»; у записи «" +
                                                std::string(EnumLabel(RecordTraits<R>::kKind, Language::kRussian)) +
                                                "» есть поля: " + names,
                                            "unknown field «" + key + "»; the fields of a " +
                                                std::string(EnumCode(RecordTraits<R>::kKind)) + " are: " + names});
    }
  }
  return Status::Ok();
}

Result<std::vector<ObservationScore>> ScoresFromJson(std::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document doc, ParseObject(json));
  std::vector<ObservationScore> out;
  if (!doc.HasMember("scores")) return out;
  const auto& scores = doc["scores"];
  if (!scores.IsArray()) return Status::InvalidInput("«scores» must be a list of {criterion_code, level, evidence}");
  for (const auto& s : scores.GetArray()) {
    if (!s.IsObject()) return Status::InvalidInput("each score must be an object {criterion_code, level, evidence}");
    ObservationScore score;
    for (auto it = s.MemberBegin(); it != s.MemberEnd(); ++it) {
      const std::string key(it->name.GetString(), it->name.GetStringLength());
      ASSIGN_OR_RETURN(std::string text, JsonToText(it->value, key));
      if (key == "criterion_code") {
        score.criterion_code = text;
      } else if (key == "level") {
        RETURN_IF_ERROR(FieldCodec<std::optional<int64_t>>::FromText(text, score.level).WithContext("score «level»"));
      } else if (key == "evidence") {
        score.evidence = text;
      } else {
        return Status::InvalidInput("unknown score field «" + key + "»; use criterion_code, level, evidence");
      }
    }
    if (score.criterion_code.empty()) return Status::InvalidInput("a score has no «criterion_code»");
    out.push_back(std::move(score));
  }
  return out;
}

#define MENTORLOG_JSON_INSTANTIATE(R) template Status ApplyJson<R>(std::string_view, R&, bool);
MENTORLOG_RECORD_TYPES(MENTORLOG_JSON_INSTANTIATE)
#undef MENTORLOG_JSON_INSTANTIATE

}  // namespace mentorlog::core
