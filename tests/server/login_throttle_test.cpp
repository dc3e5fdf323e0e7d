// LoginThrottle (login_throttle.h): buckets per account and per address, with the time given.

#include "login_throttle.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace mentorlog::server {
namespace {

using std::chrono::seconds;

TEST(LoginThrottleTest, AnAccountTakesFiveFailuresThenOneAMinute) {
  LoginThrottle throttle;
  const auto t0 = LoginThrottle::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(throttle.RetryAfterSeconds("mentor1", "10.0.0.1", t0), 0) << i;
    throttle.Failed("mentor1", "10.0.0.1", t0);
  }
  // The same account from another address, in another spelling: throttled.
  EXPECT_EQ(throttle.RetryAfterSeconds(" Mentor1 ", "10.0.0.2", t0), 60);
  EXPECT_EQ(throttle.RetryAfterSeconds("mentor1", "10.0.0.1", t0 + seconds(59)), 1);
  EXPECT_EQ(throttle.RetryAfterSeconds("mentor1", "10.0.0.1", t0 + seconds(60)), 0);
  throttle.Failed("mentor1", "10.0.0.1", t0 + seconds(60));
  EXPECT_EQ(throttle.RetryAfterSeconds("mentor1", "10.0.0.1", t0 + seconds(61)), 59);
  // Another account is not affected; a success clears the account's failures.
  EXPECT_EQ(throttle.RetryAfterSeconds("mentor2", "10.0.0.1", t0), 0);
  throttle.Succeeded("MENTOR1");
  EXPECT_EQ(throttle.RetryAfterSeconds("mentor1", "10.0.0.3", t0 + seconds(61)), 0);
}

TEST(LoginThrottleTest, AnAddressTakesThirtyFailuresThenOneEveryTwoSeconds) {
  LoginThrottle throttle;
  const auto t0 = LoginThrottle::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 30; ++i) throttle.Failed("guess" + std::to_string(i), "10.0.0.9", t0);
  EXPECT_EQ(throttle.RetryAfterSeconds("anyone", "10.0.0.9", t0), 2);
  EXPECT_EQ(throttle.RetryAfterSeconds("anyone", "10.0.0.8", t0), 0);
  EXPECT_EQ(throttle.RetryAfterSeconds("anyone", "10.0.0.9", t0 + seconds(2)), 0);
}

TEST(LoginThrottleTest, KeepsAtMostMaxKeys) {
  LoginThrottleOptions o;
  o.max_keys = 10;
  o.account_refill = std::chrono::hours(1);
  LoginThrottle throttle(o);
  const auto t0 = LoginThrottle::Clock::time_point{} + seconds(1000);
  for (int i = 0; i < 100; ++i) {
    for (int k = 0; k < 5; ++k)
      throttle.Failed("a" + std::to_string(i), "10.0.1." + std::to_string(i), t0 + seconds(i));
  }
  // The latest accounts are kept (still throttled); the oldest were dropped (a fresh start).
  const auto end = t0 + seconds(100);
  EXPECT_GT(throttle.RetryAfterSeconds("a99", "10.9.9.9", end), 0);
  EXPECT_GT(throttle.RetryAfterSeconds("a90", "10.9.9.9", end), 0);
  EXPECT_EQ(throttle.RetryAfterSeconds("a0", "10.9.9.9", end), 0);
  EXPECT_EQ(throttle.RetryAfterSeconds("a50", "10.9.9.9", end), 0);
}

}  // namespace
}  // namespace mentorlog::server
