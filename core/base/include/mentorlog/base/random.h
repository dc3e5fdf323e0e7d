// Random bytes from the operating system, for ids (uuid.h), tokens and temporary names.
//
// Thread safety: safe to call from any thread.
#pragma once

#include <cstddef>

#include "mentorlog/base/status.h"

namespace mentorlog {

// Fills `out` with `n` cryptographically random bytes (getrandom on Linux, getentropy in the
// browser build). Errors: IoError when the OS has no entropy source to give.
Status RandomBytes(void* out, size_t n);

}  // namespace mentorlog
