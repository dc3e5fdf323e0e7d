// Failed sign-ins per account and per address (login_throttle.h).

#include "login_throttle.h"

#include <algorithm>
#include <cmath>

namespace mentorlog::server {

std::string LoginThrottle::AccountKey(std::string_view login) {
  while (!login.empty() && (login.front() == ' ' || login.front() == '\t')) login.remove_prefix(1);
  while (!login.empty() && (login.back() == ' ' || login.back() == '\t')) login.remove_suffix(1);
  std::string key(login.substr(0, 256));
  for (char& c : key) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return key;
}

LoginThrottle::Bucket& LoginThrottle::At(Buckets& buckets, const std::string& key, double burst,
                                         std::chrono::milliseconds refill, Clock::time_point now) {
  auto [it, added] = buckets.try_emplace(key, Bucket{burst, now});
  Bucket& b = it->second;
  if (!added && now > b.at) {
    const double back = std::chrono::duration<double>(now - b.at) / std::chrono::duration<double>(refill);
    b.tokens = std::min(burst, b.tokens + back);
    b.at = now;
  }
  return b;
}

int64_t LoginThrottle::Wait(const Bucket& b, std::chrono::milliseconds refill) {
  if (b.tokens >= 1) return 0;
  const double seconds = (1 - b.tokens) * std::chrono::duration<double>(refill).count();
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil(seconds - 1e-6)));  // 1e-6: the sum's rounding
}

void LoginThrottle::Trim(Buckets& buckets, double burst, std::chrono::milliseconds refill, Clock::time_point now) {
  if (buckets.size() <= options_.max_keys) return;
  for (auto it = buckets.begin(); it != buckets.end();) {
    const double back = std::chrono::duration<double>(now - it->second.at) / std::chrono::duration<double>(refill);
    it = it->second.tokens + back >= burst ? buckets.erase(it) : std::next(it);
  }
  while (buckets.size() > options_.max_keys) {
    auto oldest = std::min_element(buckets.begin(), buckets.end(),
                                   [](const auto& a, const auto& b) { return a.second.at < b.second.at; });
    buckets.erase(oldest);
  }
}

int64_t LoginThrottle::RetryAfterSeconds(std::string_view login, std::string_view address, Clock::time_point now) {
  std::lock_guard lock(mu_);
  const std::string account = AccountKey(login);
  int64_t wait = 0;
  if (auto it = accounts_.find(account); it != accounts_.end()) {
    wait = Wait(At(accounts_, account, options_.account_burst, options_.account_refill, now), options_.account_refill);
  }
  const std::string addr(address);
  if (auto it = addresses_.find(addr); it != addresses_.end()) {
    wait = std::max(wait, Wait(At(addresses_, addr, options_.address_burst, options_.address_refill, now),
                               options_.address_refill));
  }
  return wait;
}

void LoginThrottle::Failed(std::string_view login, std::string_view address, Clock::time_point now) {
  std::lock_guard lock(mu_);
  Bucket& a = At(accounts_, AccountKey(login), options_.account_burst, options_.account_refill, now);
  a.tokens = std::max(0.0, a.tokens - 1);
  Bucket& b = At(addresses_, std::string(address), options_.address_burst, options_.address_refill, now);
  b.tokens = std::max(0.0, b.tokens - 1);
  Trim(accounts_, options_.account_burst, options_.account_refill, now);
  Trim(addresses_, options_.address_burst, options_.address_refill, now);
}

void LoginThrottle::Succeeded(std::string_view login) {
  std::lock_guard lock(mu_);
  accounts_.erase(AccountKey(login));
}

}  // namespace mentorlog::server
