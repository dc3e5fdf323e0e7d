#include "mentorlog/base/uuid.h"

#include <mutex>

#include "mentorlog/base/random.h"

namespace mentorlog {

Uuid Uuid::MakeV7(int64_t unix_millis) {
  // RFC 9562, 6.2 method 2: within one millisecond the 74 random bits act as a counter
  // incremented from the last id, so ids made by this process sort in creation order. A new
  // millisecond starts from fresh random bits. (When the wall clock steps back, ids follow
  // it: they stay unique but sort by the time they claim.)
  static std::mutex mu;
  static std::array<uint8_t, 16> last{};
  static uint64_t last_ms = 0;
  std::lock_guard lock(mu);

  std::array<uint8_t, 16> b{};
  uint64_t ms = unix_millis > 0 ? static_cast<uint64_t>(unix_millis) : 0;
  if (ms == last_ms && last_ms != 0) {
    b = last;
    // Increment bytes 15..6 (the random part), skipping the version and variant bits.
    for (int i = 15; i >= 6; --i) {
      const auto idx = static_cast<size_t>(i);
      if (i == 8) {  // variant byte: 6 usable bits
        const uint8_t low = b[idx] & 0x3F;
        if (low != 0x3F) {
          b[idx] = static_cast<uint8_t>((b[idx] & 0xC0) | (low + 1));
          break;
        }
        b[idx] = static_cast<uint8_t>(b[idx] & 0xC0);
      } else if (i == 6) {  // version byte: 4 usable bits
        const uint8_t low = b[idx] & 0x0F;
        if (low != 0x0F) {
          b[idx] = static_cast<uint8_t>((b[idx] & 0xF0) | (low + 1));
          break;
        }
        // All 74 bits are used up: move to the next millisecond.
        ++ms;
        b[idx] = static_cast<uint8_t>(b[idx] & 0xF0);
      } else {
        if (++b[idx] != 0) break;
      }
    }
  } else if (!RandomBytes(b.data(), b.size()).ok()) {
    // No entropy source: a fixed pattern still gives unique, ordered ids via the counter.
    b.fill(0x5A);
  }
  // Leave headroom in the counter so a burst within one millisecond does not overflow it.
  if (ms != last_ms) b[6] = static_cast<uint8_t>(b[6] & 0x07);
  for (int i = 0; i < 6; ++i) b[static_cast<size_t>(i)] = static_cast<uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<uint8_t>(0x70 | (b[6] & 0x0F));  // version 7
  b[8] = static_cast<uint8_t>(0x80 | (b[8] & 0x3F));  // variant 10
  last = b;
  last_ms = ms;
  return Uuid(b);
}

static int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Uuid> Uuid::Parse(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidInput("«" + std::string(text) + "» is not an id (expected 8-4-4-4-12 hex digits)");
  };
  if (text.size() != 36) return bad();
  std::array<uint8_t, 16> b{};
  size_t bi = 0;
  for (size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return bad();
      ++i;
      continue;
    }
    const int hi = HexValue(text[i]);
    const int lo = HexValue(text[i + 1]);
    if (hi < 0 || lo < 0) return bad();
    b[bi++] = static_cast<uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return Uuid(b);
}

bool Uuid::IsNil() const {
  for (uint8_t x : bytes_) {
    if (x != 0) return false;
  }
  return true;
}

std::string Uuid::ToString() const {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += kHex[bytes_[i] >> 4];
    s += kHex[bytes_[i] & 0xF];
  }
  return s;
}

}  // namespace mentorlog
