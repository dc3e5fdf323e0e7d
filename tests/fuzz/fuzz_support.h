// Helpers shared by the libFuzzer targets of tests/fuzz (README.md there).
//
// A target's LLVMFuzzerTestOneInput returns 0 for every input; a broken invariant (a
// round trip that does not give the value back, a contract of the decoder's header that does
// not hold) prints what broke and calls __builtin_trap, which libFuzzer reports as a crash and
// keeps the input of.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace mentorlog::fuzz {

// Stops the process (a finding) when `ok` is false, saying which invariant broke.
inline void FuzzCheck(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::fflush(stderr);
  __builtin_trap();
}

inline std::string_view FuzzBytes(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Targets that decode several types take the first byte as the choice and the rest as the
// input (the seed generator writes seeds the same way).
struct FuzzChoice {
  uint8_t selector = 0;
  std::string_view rest;
};

inline FuzzChoice FuzzSplit(const uint8_t* data, size_t size) {
  if (size == 0) return {};
  return {data[0], FuzzBytes(data + 1, size - 1)};
}

}  // namespace mentorlog::fuzz
