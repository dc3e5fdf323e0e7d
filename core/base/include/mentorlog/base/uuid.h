// Uuid: a record's id, made on the device that creates the record.
//
// Thread safety: values; MakeV7 may be called from any thread.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "mentorlog/base/status.h"

namespace mentorlog {

// A 128-bit id, UUIDv7 when made on a device (48 bits of Unix milliseconds first, so ids
// sort by creation time). The nil id (all zero) means "none yet".
class Uuid {
 public:
  Uuid() = default;
  explicit Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Makes a UUIDv7 for `unix_millis` with 74 random bits (from RandomBytes, random.h).
  static Uuid MakeV7(int64_t unix_millis);
  // Parses the canonical 8-4-4-4-12 lowercase or uppercase hex form.
  static Result<Uuid> Parse(std::string_view text);

  bool IsNil() const;
  std::string ToString() const;  // canonical lowercase 8-4-4-4-12
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  int version() const { return bytes_[6] >> 4; }

  friend auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace mentorlog
