// Field values, and the ids and dates (base/) every record uses.
//
// Thread safety: plain values.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "mentorlog/base/date.h"
#include "mentorlog/base/status.h"
#include "mentorlog/base/uuid.h"

namespace mentorlog::core {

// The ids and dates of base/, named here too: records are written in terms of core::Uuid and
// core::Date.
using ::mentorlog::Date;
using ::mentorlog::Uuid;

// A value as it sits in a column and travels in a change: null, integer, real or text.
using FieldValue = std::variant<std::monostate, int64_t, double, std::string>;

std::string FieldValueToString(const FieldValue& v);  // for messages and CSV; null -> ""

}  // namespace mentorlog::core
