// Failed sign-ins, counted per account and per client address (docs/http-api.md "Limits").
//
// Each key (an account's login, a client's address) has a bucket of attempts: a failed
// sign-in takes one, and one comes back every `refill` up to the bucket's size. With an empty
// bucket, the next sign-in is refused before its password is checked (429 with Retry-After),
// so a guesser costs the server no Argon2id. A successful sign-in refills the account's bucket.
// With the defaults an account takes 5 wrong passwords at once, then one a minute; an address
// (a school's NAT may hold many mentors) 30 at once, then one every 2 s.
//
// Memory: at most `max_keys` keys of each kind; past it, full buckets are dropped first, then
// the least recently touched.
//
// Thread safety: all methods may be called from any thread (a mutex inside).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace mentorlog::server {

struct LoginThrottleOptions {
  double account_burst = 5;
  std::chrono::milliseconds account_refill{60'000};
  double address_burst = 30;
  std::chrono::milliseconds address_refill{2'000};
  size_t max_keys = 100'000;
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LoginThrottle(LoginThrottleOptions options = {}) : options_(options) {}

  // 0 when a sign-in of `login` from `address` may go ahead now; otherwise the seconds until
  // it may (at least 1).
  int64_t RetryAfterSeconds(std::string_view login, std::string_view address, Clock::time_point now = Clock::now());

  // The outcome of a sign-in that went ahead: a failure (a wrong login or password) takes an
  // attempt from both buckets; a success refills the account's.
  void Failed(std::string_view login, std::string_view address, Clock::time_point now = Clock::now());
  void Succeeded(std::string_view login);

  // How the throttle names an account: trimmed, ASCII letters in lower case (as sign-in
  // matches logins).
  static std::string AccountKey(std::string_view login);

 private:
  struct Bucket {
    double tokens = 0;
    Clock::time_point at;
  };
  using Buckets = std::unordered_map<std::string, Bucket>;

  // The bucket of `key` brought to `now` (a new key starts full).
  Bucket& At(Buckets& buckets, const std::string& key, double burst, std::chrono::milliseconds refill,
             Clock::time_point now);
  void Trim(Buckets& buckets, double burst, std::chrono::milliseconds refill, Clock::time_point now);
  static int64_t Wait(const Bucket& b, std::chrono::milliseconds refill);

  const LoginThrottleOptions options_;
  std::mutex mu_;
  Buckets accounts_;
  Buckets addresses_;
};

}  // namespace mentorlog::server
