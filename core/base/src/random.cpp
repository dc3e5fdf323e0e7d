#include "mentorlog/base/random.h"

#include <cassert>
#include <cerrno>
#include <string>
#include <system_error>

#if defined(__linux__)
#include <sys/random.h>
#else
#include <unistd.h>  // getentropy (Emscripten, macOS, the BSDs)
#endif

namespace mentorlog {

Status RandomBytes(void* out, size_t n) {
  assert(out != nullptr || n == 0);
  auto* p = static_cast<unsigned char*>(out);
  while (n > 0) {
#if defined(__linux__)
    // Blocks only until the kernel's pool is first initialised, early in boot.
    const ssize_t got = ::getrandom(p, n, 0);
#else
    const size_t chunk = n < 256 ? n : 256;  // getentropy's limit per call
    const ssize_t got = ::getentropy(p, chunk) == 0 ? static_cast<ssize_t>(chunk) : -1;
#endif
    if (got < 0) {
      const int err = errno;
      if (err == EINTR) continue;
      return Status::IoError("getrandom failed: " + std::generic_category().message(err) +
                             ". A Linux 3.17 or newer kernel is required.");
    }
    p += got;
    n -= static_cast<size_t>(got);
  }
  return Status::Ok();
}

}  // namespace mentorlog
