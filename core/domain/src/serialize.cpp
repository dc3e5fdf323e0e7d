// Serialisation of records and changes with cereal (see serialize.h for the contract).
//
// Formats
//   Binary: cereal's PortableBinary layout, always written little-endian: one byte-order byte,
//     the type's format version (uint32), then the fields in table order. Uuid = 16 raw bytes,
//     Date = int32 days since 1970-01-01, enum = int32, optional = bool byte + value,
//     list and text = uint64 count + elements, FieldValue = uint8 kind + value.
//   JSON: one object per value, keys = field names, "cereal_class_version" first, then "id".
//     Uuid and Date are strings ("0190...", "2025-03-14"), enums their codes ("low_results"),
//     an empty optional is null, a list an array, a FieldValue {"type": "text", "value": ...}
//     with type null | integer | real | text (null has no "value").
//
// Versions: records, Change, RecordState and FieldState carry CEREAL_CLASS_VERSION 1,
// FieldChange 2 (version 2 added `base`); a larger one decodes as Unsupported. Uuid, Date, HlcStamp, enums and
// FieldValue are leaf encodings owned by the version of the type that contains them: cereal cannot version a value
// written as a JSON string or number (its version key takes the value's name), and they never change shape.
//
// [SECTION] Decode errors
// [SECTION] BoundedBinaryInputArchive: PortableBinary input that trusts no length
// [SECTION] Value codecs: ArchiveField / ArchiveValue for every field type
// [SECTION] serialize() for FieldChange, Change and every record
// [SECTION] JSON pre-checks
// [SECTION] Encode / Decode and explicit instantiations

#include "mentorlog/domain/serialize.h"
#include "mentorlog/domain/field_codec.h"
#include "mentorlog/domain/record_state.h"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <exception>
#include <istream>
#include <limits>
#include <memory>
#include <new>
#include <optional>
#include <span>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

// rapidjson must throw on a failed assert (a wrong-typed value in untrusted JSON reaches one);
// rapidjson_config.h sets that for the whole program, before cereal sees rapidjson.
#include "json_guard.h"
#include "rapidjson_config.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <cereal/archives/json.hpp>
#include <cereal/archives/portable_binary.hpp>
#include <cereal/cereal.hpp>
#include <cereal/types/string.hpp>

namespace mentorlog::core {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] Decode errors
// -----------------------------------------------------------------------------------------

// What was wrong and where ("fields[2].value", "visitor_ids[0]"). Thrown inside the decoders
// only; DecodeBinary / DecodeJson turn it into a Status.
class DecodeError : public std::exception {
 public:
  DecodeError(std::string path, std::string reason) : path_(std::move(path)), reason_(std::move(reason)) {}

  const char* what() const noexcept override { return reason_.c_str(); }

  // Adds the enclosing field or list index in front of the path.
  void Prepend(std::string_view head) {
    if (path_.empty()) {
      path_ = std::string(head);
    } else if (!head.empty()) {
      path_ = std::string(head) + (path_.front() == '[' ? "" : ".") + path_;
    }
  }

  std::string Describe() const { return path_.empty() ? reason_ : path_ + ": " + reason_; }

 private:
  std::string path_;
  std::string reason_;
};

// The bytes were written by a newer program (a format version above ours).
class NewerVersionError : public std::exception {
 public:
  NewerVersionError(std::uint32_t found, std::uint32_t known) : found_(found), known_(known) {}
  const char* what() const noexcept override { return "newer format version"; }
  std::uint32_t found() const { return found_; }
  std::uint32_t known() const { return known_; }

 private:
  std::uint32_t found_;
  std::uint32_t known_;
};

// «text» for messages, cut at 40 bytes (on a UTF-8 boundary) so a huge input makes a short one.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 40;
  if (text.size() <= kMax) return "«" + std::string(text) + "»";
  size_t cut = kMax;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return "«" + std::string(text.substr(0, cut)) + "…»";
}

// "1 byte", "16 bytes".
std::string Bytes(size_t n) { return std::to_string(n) + (n == 1 ? " byte" : " bytes"); }

// -----------------------------------------------------------------------------------------
// [SECTION] BoundedBinaryInputArchive
// -----------------------------------------------------------------------------------------

// Reads what cereal::PortableBinaryOutputArchive writes, from a byte span it never reads
// past. Unlike cereal::PortableBinaryInputArchive it knows how many bytes are left, so it
// refuses a length prefix (SizeTag) larger than that before cereal's string and vector loaders
// resize() to it: a forged 2^60 costs an error, not an allocation.
//
// The check assumes every element of a sized container takes at least one byte, which holds
// for every type serialised here (it would not for a list of empty classes, which cereal
// elides).
//
// Thread safety: one archive per thread.
class BoundedBinaryInputArchive
    : public cereal::InputArchive<BoundedBinaryInputArchive, cereal::AllowEmptyClassElision> {
 public:
  explicit BoundedBinaryInputArchive(std::string_view bytes) : InputArchive(this), bytes_(bytes) {
    std::uint8_t little_endian = 0;
    (*this)(little_endian);
    if (little_endian > 1) {
      throw DecodeError("", "the first byte (byte order) is " + std::to_string(little_endian) + ", not 0 or 1");
    }
    swap_bytes_ = (little_endian == 1) != (std::endian::native == std::endian::little);
  }

  size_t remaining() const { return bytes_.size() - offset_; }

  // Copies `size` bytes made of elements of kElementSize bytes, fixing their byte order.
  template <size_t kElementSize>
  void LoadBinary(void* data, size_t size) {
    if (size > remaining()) {
      throw DecodeError("", "needs " + Bytes(size) + " at offset " + std::to_string(offset_) + " but only " +
                                std::to_string(remaining()) + " are left");
    }
    if (size == 0) return;
    std::memcpy(data, bytes_.data() + offset_, size);
    offset_ += size;
    if constexpr (kElementSize > 1) {
      if (swap_bytes_) {
        auto* p = static_cast<unsigned char*>(data);
        for (size_t i = 0; i + kElementSize <= size; i += kElementSize) {
          for (size_t j = 0; j < kElementSize / 2; ++j) std::swap(p[i + j], p[i + kElementSize - 1 - j]);
        }
      }
    }
  }

 private:
  std::string_view bytes_;
  size_t offset_ = 0;
  bool swap_bytes_ = false;
};

template <class T>
requires(std::is_arithmetic_v<T> &&
         !std::is_same_v<T, bool>) void CEREAL_LOAD_FUNCTION_NAME(BoundedBinaryInputArchive& ar, T& value) {
  static_assert(!std::is_floating_point_v<T> || std::numeric_limits<T>::is_iec559);
  ar.LoadBinary<sizeof(T)>(std::addressof(value), sizeof(T));
}

// A byte other than 0 or 1 is not a bool (copying it into one would be undefined behaviour).
inline void CEREAL_LOAD_FUNCTION_NAME(BoundedBinaryInputArchive& ar, bool& value) {
  std::uint8_t byte = 0;
  ar.LoadBinary<1>(&byte, 1);
  if (byte > 1) throw DecodeError("", "a flag byte is " + std::to_string(byte) + ", not 0 or 1");
  value = byte == 1;
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedBinaryInputArchive& ar, cereal::NameValuePair<T>& nvp) {
  ar(nvp.value);
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedBinaryInputArchive& ar, cereal::BinaryData<T>& data) {
  using Element = std::remove_cv_t<std::remove_pointer_t<T>>;
  ar.LoadBinary<sizeof(Element)>(data.data, static_cast<size_t>(data.size));
}

template <class T>
void CEREAL_LOAD_FUNCTION_NAME(BoundedBinaryInputArchive& ar, cereal::SizeTag<T>& tag) {
  cereal::size_type count = 0;
  ar(count);
  if (count > ar.remaining()) {
    throw DecodeError("", "a length of " + std::to_string(count) + " is more than the " +
                              std::to_string(ar.remaining()) + " bytes left");
  }
  tag.size = count;
}

}  // namespace
}  // namespace mentorlog::core

CEREAL_REGISTER_ARCHIVE(mentorlog::core::BoundedBinaryInputArchive)

// Half of CEREAL_SETUP_ARCHIVE_TRAITS: PortableBinaryOutputArchive already names cereal's own
// input archive as its partner, and the macro would define that a second time.
namespace cereal::traits::detail {
template <>
struct get_output_from_input<mentorlog::core::BoundedBinaryInputArchive> {
  using type = cereal::PortableBinaryOutputArchive;
};
}  // namespace cereal::traits::detail

namespace mentorlog::core {

// -----------------------------------------------------------------------------------------
// [SECTION] Value codecs
// -----------------------------------------------------------------------------------------
//
// ArchiveValue(ar, v) writes or reads one value; ArchiveField(ar, name, v) does it under a JSON
// key. One function per type serves all four archives: `if constexpr` picks the binary or JSON
// form and the direction. Saving never modifies the value (cereal passes it non-const too).

template <class R>
concept SerialisedRecord = requires {
  RecordTraits<R>::kFields;
};

// serialize() is found by cereal through ADL for FieldChange (a list element); the root types
// are started by SerializeRoot.
template <class Archive>
void serialize(Archive& ar, FieldChange& field, std::uint32_t version);
template <class Archive>
void serialize(Archive& ar, FieldState& field, std::uint32_t version);
template <class Archive>
void serialize(Archive& ar, Change& change, std::uint32_t version);
template <class Archive, SerialisedRecord R>
void serialize(Archive& ar, R& record, std::uint32_t version);

namespace {

template <class Archive>
inline constexpr bool kJson =
    std::is_same_v<Archive, cereal::JSONOutputArchive> || std::is_same_v<Archive, cereal::JSONInputArchive>;
template <class Archive>
inline constexpr bool kLoading = std::is_base_of_v<cereal::detail::InputArchiveBase, Archive>;

// What a JSON value of type T looks like, for "expected ..." messages.
template <class T>
std::string JsonExpectation() {
  if constexpr (std::is_same_v<T, bool>) {
    return "true or false";
  } else if constexpr (std::is_floating_point_v<T>) {
    return "a number";
  } else if constexpr (std::is_unsigned_v<T>) {
    return "a whole number from 0 up";
  } else if constexpr (std::is_integral_v<T>) {
    return "a whole number";
  } else if constexpr (IsOptional<T>::value) {
    return "null or " + JsonExpectation<typename T::value_type>();
  } else if constexpr (IsVector<T>::value) {
    return "a list";
  } else if constexpr (std::is_same_v<T, FieldValue> || std::is_same_v<T, FieldChange> ||
                       std::is_same_v<T, FieldState> || std::is_same_v<T, FieldClock>) {
    return "an object";
  } else if constexpr (std::is_same_v<T, HlcStamp>) {
    return "a whole number from 0 up";
  } else {
    return "a string";  // text, Uuid, Date, enums
  }
}

// cereal's JSON archive reports a missing key as "... provided NVP (name) not found".
std::string ExplainCerealError(const cereal::Exception& e) {
  const std::string_view what = e.what();
  if (what.find("not found") != std::string_view::npos) return "missing";
  if (what.find("No more objects") != std::string_view::npos) return "missing";
  return std::string(what);
}

// Runs `io`; whatever it throws names where: head() gives the key or "[i]" (built only then),
// expected() what the JSON value should have been.
template <class Head, class F>
void AtPath(const Head& head, std::string (*expected)(), F&& io) {
  try {
    io();
  } catch (DecodeError& e) {
    e.Prepend(head());
    throw;
  } catch (const cereal::RapidJSONException&) {
    throw DecodeError(head(), "expected " + expected());
  } catch (const cereal::Exception& e) {
    throw DecodeError(head(), ExplainCerealError(e));
  } catch (const std::runtime_error&) {  // RAPIDJSON_ASSERT: a value of another JSON type
    throw DecodeError(head(), "expected " + expected());
  }
}

template <class Archive, class T>
void ArchiveValue(Archive& ar, T& value);

template <class Archive, class T>
void ArchiveField(Archive& ar, std::string_view name, T& value) {
  auto io = [&] {
    std::string key;  // lives until ArchiveValue has used the name (it does so first)
    if constexpr (kJson<Archive>) {
      key = std::string(name);
      ar.setNextName(key.c_str());
    }
    ArchiveValue(ar, value);
  };
  if constexpr (kLoading<Archive>) {
    AtPath([&] { return std::string(name); }, &JsonExpectation<T>, io);
  } else {
    io();
  }
}

// ChangeOp lives in change.h, outside enums.h's tables.
constexpr EnumEntry<ChangeOp> kChangeOps[] = {
    {ChangeOp::kUpsert, "upsert", "запись", "upsert"},
    {ChangeOp::kDelete, "delete", "удаление", "delete"},
};

template <class E>
std::span<const EnumEntry<E>> EnumTable() {
  if constexpr (std::is_same_v<E, ChangeOp>) {
    return kChangeOps;
  } else {
    return EnumEntries<E>();
  }
}

template <class E>
std::string EnumCodeList() {
  std::string s;
  for (const auto& e : EnumTable<E>()) {
    if (!s.empty()) s += ", ";
    s += e.code;
  }
  return s;
}

// True for the dates Date::FromYmd accepts (the only ones JSON can carry back).
bool IsRealDate(std::int32_t days) {
  // Keeps Date's civil-calendar arithmetic far from int32 overflow.
  if (days < -100'000'000 || days > 100'000'000) return false;
  const Date d = Date::FromDays(days);
  return Date::FromYmd(d.year(), d.month(), d.day()).ok();
}

template <class Archive>
void ArchiveUuid(Archive& ar, Uuid& id) {
  if constexpr (kJson<Archive> && kLoading<Archive>) {
    std::string text;
    ar(text);
    auto parsed = Uuid::Parse(text);
    if (!parsed.ok()) throw DecodeError("", Quote(text) + " is not an id (8-4-4-4-12 hex digits)");
    id = *parsed;
  } else if constexpr (kJson<Archive>) {
    std::string text = id.ToString();
    ar(text);
  } else if constexpr (kLoading<Archive>) {
    std::array<std::uint8_t, 16> bytes{};
    ar(cereal::binary_data(bytes.data(), bytes.size()));
    id = Uuid(bytes);
  } else {
    std::array<std::uint8_t, 16> bytes = id.bytes();
    ar(cereal::binary_data(bytes.data(), bytes.size()));
  }
}

template <class Archive>
void ArchiveDate(Archive& ar, Date& date) {
  if constexpr (kJson<Archive> && kLoading<Archive>) {
    std::string text;
    ar(text);
    auto parsed = Date::Parse(text);
    if (!parsed.ok()) throw DecodeError("", Quote(text) + " is not a date (write YYYY-MM-DD)");
    date = *parsed;
  } else if constexpr (kJson<Archive>) {
    std::string text = date.ToString();
    ar(text);
  } else if constexpr (kLoading<Archive>) {
    std::int32_t days = 0;
    ar(days);
    if (!IsRealDate(days)) {
      throw DecodeError("", "day number " + std::to_string(days) + " is not a real date");
    }
    date = Date::FromDays(days);
  } else {
    std::int32_t days = date.days();
    ar(days);
  }
}

template <class Archive, class E>
void ArchiveEnum(Archive& ar, E& value) {
  if constexpr (kJson<Archive> && kLoading<Archive>) {
    std::string text;
    ar(text);
    for (const auto& e : EnumTable<E>()) {
      if (e.code == text) {
        value = e.value;
        return;
      }
    }
    if constexpr (!std::is_same_v<E, ChangeOp>) {
      // Hand-edited JSON may use a label ("село") or another letter case.
      if (auto parsed = EnumFromText<E>(text)) {
        value = *parsed;
        return;
      }
    }
    throw DecodeError("", Quote(text) + " is not one of: " + EnumCodeList<E>());
  } else if constexpr (kJson<Archive>) {
    std::string text = "?";  // a value outside the table is a bug; decoding will say so
    for (const auto& e : EnumTable<E>()) {
      if (e.value == value) text = std::string(e.code);
    }
    ar(text);
  } else if constexpr (kLoading<Archive>) {
    std::int32_t raw = 0;
    ar(raw);
    for (const auto& e : EnumTable<E>()) {
      if (static_cast<std::int32_t>(e.value) == raw) {
        value = e.value;
        return;
      }
    }
    throw DecodeError(
        "", std::to_string(raw) + " is not one of the " + std::to_string(EnumTable<E>().size()) + " known values");
  } else {
    std::int32_t raw = static_cast<std::int32_t>(value);
    ar(raw);
  }
}

template <class Archive, class T>
void ArchiveOptional(Archive& ar, std::optional<T>& value) {
  if constexpr (kJson<Archive> && kLoading<Archive>) {
    // cereal's JSON archive cannot ask a value's type, but loading null from a non-null
    // throws before moving on, having already found the member by name: then the value
    // itself is read from the same place.
    try {
      std::nullptr_t null_value = nullptr;
      ar.loadValue(null_value);
      value.reset();
      return;
    } catch (const cereal::RapidJSONException&) {  // not null
    } catch (const cereal::Exception&) {           // e.g. the key is missing
      throw;
    } catch (const std::runtime_error&) {  // not null (RAPIDJSON_ASSERT, see the top)
    }
    T inner{};
    ArchiveValue(ar, inner);
    value = std::move(inner);
  } else if constexpr (kJson<Archive>) {
    if (value) {
      ArchiveValue(ar, *value);
    } else {
      ar(nullptr);
    }
  } else {
    bool present = value.has_value();
    ar(present);
    if constexpr (kLoading<Archive>) {
      if (!present) {
        value.reset();
        return;
      }
      T inner{};
      ArchiveValue(ar, inner);
      value = std::move(inner);
    } else {
      if (present) ArchiveValue(ar, *value);
    }
  }
}

template <class Archive, class T>
void ArchiveVector(Archive& ar, std::vector<T>& list) {
  if constexpr (kJson<Archive>) ar.startNode();
  cereal::size_type count = list.size();
  ar(cereal::make_size_tag(count));  // the bounded archive checks it against the bytes left
  if constexpr (kLoading<Archive>) {
    // Grows by push_back rather than resize(count): memory follows the elements actually
    // decoded, whatever the count claims.
    list.clear();
    for (cereal::size_type i = 0; i < count; ++i) {
      T element{};
      AtPath([&] { return "[" + std::to_string(i) + "]"; }, &JsonExpectation<T>, [&] { ArchiveValue(ar, element); });
      list.push_back(std::move(element));
    }
  } else {
    for (T& element : list) ArchiveValue(ar, element);
  }
  if constexpr (kJson<Archive>) ar.finishNode();
}

enum class ValueKind : std::uint8_t { kNull = 0, kInteger = 1, kReal = 2, kText = 3 };
constexpr std::string_view kValueKindNames[] = {"null", "integer", "real", "text"};

template <class Archive>
void ArchiveFieldValue(Archive& ar, FieldValue& value) {
  static_assert(std::variant_size_v<FieldValue> == 4, "a new FieldValue alternative needs a kind here");
  if constexpr (kJson<Archive>) {
    ar.startNode();
    if constexpr (kLoading<Archive>) {
      std::string type;
      ArchiveField(ar, "type", type);
      if (type == "null") {
        value = std::monostate{};
      } else if (type == "integer") {
        std::int64_t i = 0;
        ArchiveField(ar, "value", i);
        value = i;
      } else if (type == "real") {
        double d = 0;
        ArchiveField(ar, "value", d);
        value = d;
      } else if (type == "text") {
        std::string s;
        ArchiveField(ar, "value", s);
        value = std::move(s);
      } else {
        throw DecodeError("type", Quote(type) + " is not one of: null, integer, real, text");
      }
    } else {
      std::string type(kValueKindNames[value.index()]);
      ArchiveField(ar, "type", type);
      if (auto* i = std::get_if<std::int64_t>(&value)) ArchiveField(ar, "value", *i);
      if (auto* d = std::get_if<double>(&value)) ArchiveField(ar, "value", *d);
      if (auto* s = std::get_if<std::string>(&value)) ArchiveField(ar, "value", *s);
    }
    ar.finishNode();
  } else if constexpr (kLoading<Archive>) {
    std::uint8_t kind = 0;
    ar(kind);
    switch (static_cast<ValueKind>(kind)) {
      case ValueKind::kNull:
        value = std::monostate{};
        return;
      case ValueKind::kInteger: {
        std::int64_t i = 0;
        ar(i);
        value = i;
        return;
      }
      case ValueKind::kReal: {
        double d = 0;
        ar(d);
        value = d;
        return;
      }
      case ValueKind::kText: {
        std::string s;
        ar(s);
        value = std::move(s);
        return;
      }
    }
    throw DecodeError("", "value kind " + std::to_string(kind) + " is not one of 0..3");
  } else {
    std::uint8_t kind = static_cast<std::uint8_t>(value.index());
    ar(kind);
    if (auto* i = std::get_if<std::int64_t>(&value)) ar(*i);
    if (auto* d = std::get_if<double>(&value)) ar(*d);
    if (auto* s = std::get_if<std::string>(&value)) ar(*s);
  }
}

template <class Archive, class T>
void ArchiveValue(Archive& ar, T& value) {
  if constexpr (std::is_arithmetic_v<T> || std::is_same_v<T, std::string>) {
    ar(value);
  } else if constexpr (std::is_same_v<T, Uuid>) {
    ArchiveUuid(ar, value);
  } else if constexpr (std::is_same_v<T, Date>) {
    ArchiveDate(ar, value);
  } else if constexpr (std::is_enum_v<T>) {
    ArchiveEnum(ar, value);
  } else if constexpr (std::is_same_v<T, HlcStamp>) {
    ar(value.value);
  } else if constexpr (std::is_same_v<T, FieldClock>) {
    if constexpr (kJson<Archive>) ar.startNode();
    ArchiveField(ar, "stamp", value.stamp);
    ArchiveField(ar, "device", value.device_id);
    if constexpr (kJson<Archive>) ar.finishNode();
  } else if constexpr (std::is_same_v<T, FieldValue>) {
    ArchiveFieldValue(ar, value);
  } else if constexpr (IsOptional<T>::value) {
    ArchiveOptional(ar, value);
  } else if constexpr (IsVector<T>::value) {
    ArchiveVector(ar, value);
  } else if constexpr (std::is_same_v<T, FieldChange> || std::is_same_v<T, FieldState>) {
    ar(value);  // through cereal, which writes or reads its class version and calls serialize()
  } else {
    static_assert(!sizeof(T), "no codec for this field type: add one above");
  }
}

// Throws unless `version` is one this program reads.
template <class T>
void RequireVersion(std::uint32_t version) {
  const std::uint32_t known = cereal::detail::Version<T>::version;
  if (version > known) throw NewerVersionError(version, known);
  if (version == 0) throw DecodeError("cereal_class_version", "0 is not a format version");
}

}  // namespace

// -----------------------------------------------------------------------------------------
// [SECTION] serialize()
// -----------------------------------------------------------------------------------------

template <class Archive>
void serialize(Archive& ar, FieldChange& field, std::uint32_t version) {
  RequireVersion<FieldChange>(version);
  ArchiveField(ar, "field", field.field);
  ArchiveField(ar, "value", field.value);
  ArchiveField(ar, "stamp", field.stamp);
  if (version >= 2) ArchiveField(ar, "base", field.base);
}

template <class Archive>
void serialize(Archive& ar, FieldState& field, std::uint32_t version) {
  RequireVersion<FieldState>(version);
  ArchiveField(ar, "field", field.field);
  ArchiveField(ar, "value", field.value);
  ArchiveField(ar, "clock", field.clock);
  ArchiveField(ar, "base", field.base);
}

template <class Archive>
void serialize(Archive& ar, RecordState& state, std::uint32_t version) {
  RequireVersion<RecordState>(version);
  ArchiveField(ar, "kind", state.kind);
  ArchiveField(ar, "id", state.id);
  ArchiveField(ar, "fields", state.fields);
  ArchiveField(ar, "deleted", state.deleted);
}

template <class Archive>
void serialize(Archive& ar, Change& change, std::uint32_t version) {
  RequireVersion<Change>(version);
  ArchiveField(ar, "device_id", change.device_id);
  ArchiveField(ar, "op_seq", change.op_seq);
  ArchiveField(ar, "kind", change.kind);
  ArchiveField(ar, "record_id", change.record_id);
  ArchiveField(ar, "op", change.op);
  ArchiveField(ar, "fields", change.fields);
  ArchiveField(ar, "stamp", change.stamp);
}

// Every record: `id`, then RecordTraits<R>::kFields in table order.
template <class Archive, SerialisedRecord R>
void serialize(Archive& ar, R& record, std::uint32_t version) {
  RequireVersion<R>(version);
  ArchiveField(ar, "id", record.id);
  ForEachFieldDef<R>([&](const auto& def) { ArchiveField(ar, def.name, record.*def.member); });
}

}  // namespace mentorlog::core

CEREAL_CLASS_VERSION(mentorlog::core::FieldChange, 2)
CEREAL_CLASS_VERSION(mentorlog::core::FieldState, 1)
CEREAL_CLASS_VERSION(mentorlog::core::RecordState, 1)
CEREAL_CLASS_VERSION(mentorlog::core::Change, 1)
// Every record type is at version 1 (MENTORLOG_RECORD_TYPES); one whose format changes leaves
// this line for a CEREAL_CLASS_VERSION of its own.
#define MENTORLOG_RECORD_VERSION_1(R) CEREAL_CLASS_VERSION(mentorlog::core::R, 1)
MENTORLOG_RECORD_TYPES(MENTORLOG_RECORD_VERSION_1)
#undef MENTORLOG_RECORD_VERSION_1

namespace mentorlog::core {
namespace {

// -----------------------------------------------------------------------------------------
// [SECTION] JSON pre-checks
// -----------------------------------------------------------------------------------------

// Our JSON nests four deep (change > fields > field > value); anything far deeper is hostile
// and would recurse in the DOM parser cereal uses.
constexpr JsonLimits kRecordJsonLimits{.max_depth = 32, .max_number_chars = 64, .object_root = true};

// Parses without building a DOM, for rapidjson's syntax errors with their offset (cereal's
// archive ignores them). Iterative, so no recursion whatever the input.
std::optional<std::string> CheckJsonSyntax(std::string_view json) {
  namespace rj = RAPIDJSON_NAMESPACE;
  constexpr unsigned kFlags = rj::kParseIterativeFlag | rj::kParseFullPrecisionFlag | rj::kParseNanAndInfFlag;
  rj::MemoryStream stream(json.data(), json.size());
  rj::BaseReaderHandler<> ignore_events;
  rj::Reader reader;
  const rj::ParseResult result = reader.Parse<kFlags>(stream, ignore_events);
  if (!result.IsError()) return std::nullopt;
  return std::string(rj::GetParseError_En(result.Code())) + " (at byte " + std::to_string(result.Offset()) + ")";
}

// A read-only istream buffer over a string_view, so cereal's JSON archive reads the caller's
// bytes without a copy.
class ViewStreamBuf : public std::streambuf {
 public:
  explicit ViewStreamBuf(std::string_view text) {
    // The get area is only read: std::streambuf merely lacks a const interface.
    char* begin = const_cast<char*>(text.data());
    setg(begin, begin, begin + text.size());
  }
};

// -----------------------------------------------------------------------------------------
// [SECTION] Encode / Decode
// -----------------------------------------------------------------------------------------

template <class T>
std::string_view Noun() {
  if constexpr (std::is_same_v<T, Change>) {
    return "change";
  } else if constexpr (std::is_same_v<T, RecordState>) {
    return "record state";
  } else {
    return EnumCode(RecordTraits<T>::kKind);
  }
}

// The root object: the format version, then the type's fields (as cereal itself would write
// a versioned class, but without cereal's wrapping object, so the JSON is the record itself).
template <class Archive, class T>
void SerializeRoot(Archive& ar, T& value) {
  std::uint32_t version = cereal::detail::Version<T>::version;
  ArchiveField(ar, "cereal_class_version", version);
  serialize(ar, value, version);
}

// Runs a decoder and turns whatever it throws into a Status.
template <class T, class F>
Status Guarded(std::string_view what_failed, F&& decode) {
  const std::string prefix = "the " + std::string(Noun<T>()) + " " + std::string(what_failed) + ": ";
  try {
    decode();
    return Status::Ok();
  } catch (const NewerVersionError& e) {
    return Status::Unsupported("the " + std::string(Noun<T>()) + " was written by a newer MentorLog (format " +
                               std::to_string(e.found()) + ", this one reads up to " + std::to_string(e.known()) +
                               "): update the program");
  } catch (const DecodeError& e) {
    return Status::Corruption(prefix + e.Describe());
  } catch (const cereal::RapidJSONException&) {
    return Status::Corruption(prefix + "a value has the wrong type");
  } catch (const cereal::Exception& e) {
    return Status::Corruption(prefix + ExplainCerealError(e));
  } catch (const std::runtime_error&) {  // RAPIDJSON_ASSERT outside any field
    return Status::Corruption(prefix + "a value has the wrong type");
  } catch (const std::bad_alloc&) {
    return Status::Corruption(prefix + "out of memory while decoding");
  } catch (const std::exception& e) {
    return Status::Corruption(prefix + e.what());
  }
}

template <class T>
Status CheckSize(std::string_view bytes) {
  if (bytes.size() <= kMaxDecodeBytes) return Status::Ok();
  return Status::Corruption("the " + std::string(Noun<T>()) + " is " + std::to_string(bytes.size()) +
                            " bytes, more than the " + std::to_string(kMaxDecodeBytes) + " a single value may take");
}

}  // namespace

template <class R>
std::string EncodeBinary(const R& value) {
  std::ostringstream out(std::ios::binary);
  {
    cereal::PortableBinaryOutputArchive ar(out, cereal::PortableBinaryOutputArchive::Options::LittleEndian());
    SerializeRoot(ar, const_cast<R&>(value));  // saving only reads
  }
  return std::move(out).str();
}

template <class R>
Result<R> DecodeBinary(std::string_view bytes) {
  RETURN_IF_ERROR(CheckSize<R>(bytes));
  R value;
  RETURN_IF_ERROR(Guarded<R>("is damaged or truncated", [&] {
    BoundedBinaryInputArchive ar(bytes);
    SerializeRoot(ar, value);
    if (ar.remaining() != 0) {
      throw DecodeError("", std::to_string(ar.remaining()) + " unexpected bytes after the end");
    }
  }));
  return value;
}

template <class R>
std::string EncodeJson(const R& value) {
  std::ostringstream out;
  {
    const cereal::JSONOutputArchive::Options options(
        RAPIDJSON_NAMESPACE::PrettyWriter<RAPIDJSON_NAMESPACE::OStreamWrapper>::kDefaultMaxDecimalPlaces,
        cereal::JSONOutputArchive::Options::IndentChar::space, 2);
    cereal::JSONOutputArchive ar(out, options);
    SerializeRoot(ar, const_cast<R&>(value));  // saving only reads
  }
  return std::move(out).str();
}

template <class R>
Result<R> DecodeJson(std::string_view json) {
  RETURN_IF_ERROR(CheckSize<R>(json));
  const std::string prefix = "the " + std::string(Noun<R>()) + " JSON is not valid: ";
  if (auto problem = JsonInputProblem(json, kRecordJsonLimits)) return Status::Corruption(prefix + *problem);
  if (auto problem = CheckJsonSyntax(json)) return Status::Corruption(prefix + *problem);
  R value;
  RETURN_IF_ERROR(Guarded<R>("JSON is not valid", [&] {
    ViewStreamBuf buffer(json);
    std::istream in(&buffer);
    cereal::JSONInputArchive ar(in);
    SerializeRoot(ar, value);
  }));
  return value;
}

#define MENTORLOG_SERIALIZE_INSTANTIATE(T)              \
  template std::string EncodeBinary<T>(const T&);       \
  template Result<T> DecodeBinary<T>(std::string_view); \
  template std::string EncodeJson<T>(const T&);         \
  template Result<T> DecodeJson<T>(std::string_view);

MENTORLOG_SERIALIZE_INSTANTIATE(Change)
MENTORLOG_SERIALIZE_INSTANTIATE(RecordState)
MENTORLOG_RECORD_TYPES(MENTORLOG_SERIALIZE_INSTANTIATE)
#undef MENTORLOG_SERIALIZE_INSTANTIATE

}  // namespace mentorlog::core
