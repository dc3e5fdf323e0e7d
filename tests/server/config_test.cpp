// mentorlog-server's settings file (sync/server/config.h).
#include <gtest/gtest.h>

#include <string>

#include "config.h"

namespace mentorlog::server {
namespace {

TEST(ConfigTest, ReadsEveryKey) {
  const auto c = ParseConfig(R"(# the central store
listen = "0.0.0.0:8443"
db = "/var/lib/mentorlog/central.db"
tls_cert = "cert.pem"
tls_key = "key.pem"
threads = 16
token_days = 30
log_level = "debug"
max_clock_skew_seconds = 600
argon2_memlimit_mb = 128
)",
                             "server.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->listen, "0.0.0.0:8443");
  EXPECT_EQ(c->db, "/var/lib/mentorlog/central.db");
  EXPECT_FALSE(c->pg.has_value());
  EXPECT_EQ(c->tls_cert, "cert.pem");
  EXPECT_EQ(c->tls_key, "key.pem");
  EXPECT_EQ(c->threads, 16);
  EXPECT_EQ(c->token_days, 30);
  EXPECT_EQ(c->log_level, "debug");
  EXPECT_EQ(c->max_clock_skew_seconds, 600);
  EXPECT_EQ(c->argon2_memlimit_mb, 128);
}

TEST(ConfigTest, AnEmptyFileSetsNothing) {
  const auto c = ParseConfig("", "empty.toml");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->listen || c->db || c->pg || c->threads || c->log_level);
}

// The message of a file that must be refused.
std::string Refusal(const std::string& text) {
  const auto c = ParseConfig(text, "server.toml");
  EXPECT_FALSE(c.ok()) << text;
  if (c.ok()) return "";
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidInput);
  return c.status().message();
}

TEST(ConfigTest, UnknownKeysNameTheFileAndLine) {
  const std::string m = Refusal("listen = \"127.0.0.1:1\"\n\nlsten = \"x\"\n");
  EXPECT_NE(m.find("server.toml, line 3"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown key «lsten»"), std::string::npos) << m;
  EXPECT_NE(m.find("listen, db, pg"), std::string::npos) << "lists the keys: " << m;
  // A table is not a key we know either.
  EXPECT_NE(Refusal("[server]\nthreads = 4\n").find("unknown key «server»"), std::string::npos);
}

TEST(ConfigTest, WrongTypesNameTheKeyAndWhatWasGiven) {
  std::string m = Refusal("threads = \"8\"\n");
  EXPECT_NE(m.find("server.toml, line 1: «threads» must be a whole number, not a string"), std::string::npos) << m;
  m = Refusal("\nlisten = 8443\n");
  EXPECT_NE(m.find("line 2: «listen» must be a string in quotes, not a whole number"), std::string::npos) << m;
  EXPECT_NE(Refusal("token_days = 1.5\n").find("not a fractional number"), std::string::npos);
  EXPECT_NE(Refusal("db = true\n").find("not true/false"), std::string::npos);
  EXPECT_NE(Refusal("threads = [1, 2]\n").find("not an array"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorsNameTheLineAndColumn) {
  const std::string m = Refusal("threads = 4\nlisten = \"unclosed\n");
  EXPECT_NE(m.find("server.toml, line 2, column"), std::string::npos) << m;
}

TEST(ConfigTest, ValuesOutOfRangeAreRefused) {
  EXPECT_NE(Refusal("threads = 0\n").find("«threads» must be between 1 and 256, not 0"), std::string::npos);
  EXPECT_NE(Refusal("token_days = 0\n").find("token_days"), std::string::npos);
  EXPECT_NE(Refusal("max_clock_skew_seconds = -1\n").find("max_clock_skew_seconds"), std::string::npos);
  EXPECT_NE(Refusal("argon2_memlimit_mb = 100000\n").find("argon2_memlimit_mb"), std::string::npos);
  EXPECT_NE(Refusal("log_level = \"loud\"\n").find("«log_level» must be one of"), std::string::npos);
  EXPECT_NE(Refusal("listen = \"no-port\"\n").find("line 1"), std::string::npos);
  EXPECT_NE(Refusal("db = \"\"\n").find("«db» is empty"), std::string::npos);
}

TEST(ConfigTest, RulesBetweenKeys) {
  EXPECT_NE(Refusal("db = \"a.db\"\npg = \"host=x\"\n").find("not both"), std::string::npos);
  EXPECT_NE(Refusal("tls_cert = \"cert.pem\"\n").find("tls_key"), std::string::npos);
}

TEST(ConfigTest, FlagsOverrideTheFile) {
  ServerConfig file = *ParseConfig("pg = \"host=db\"\nthreads = 4\nlog_level = \"warn\"\n", "f.toml");
  ServerConfig flags;
  flags.db = "local.db";
  flags.threads = 2;
  const ServerConfig c = Overlay(file, flags);
  EXPECT_EQ(c.db, "local.db");
  EXPECT_FALSE(c.pg.has_value()) << "--db replaces the file's PostgreSQL";
  EXPECT_EQ(c.threads, 2);
  EXPECT_EQ(c.log_level, "warn");
  EXPECT_TRUE(CheckConfig(c).ok());
}

TEST(ConfigTest, AMissingFileIsNotFound) {
  const auto c = LoadConfigFile("/nonexistent/mentorlog-server.toml");
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_NE(c.status().message().find("/nonexistent/mentorlog-server.toml"), std::string::npos);
}

TEST(ConfigTest, ListenAddresses) {
  auto a = ParseListen("127.0.0.1:8080");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "127.0.0.1");
  EXPECT_EQ(a->port, 8080);
  a = ParseListen("[::1]:443");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "::1");
  EXPECT_EQ(a->port, 443);
  EXPECT_EQ(ParseListen("0.0.0.0:0")->port, 0);
  for (const char* bad : {"", "8080", ":8080", "host:", "host:port", "host:70000", "host:-1", "a b:80", "[::1]"}) {
    EXPECT_EQ(ParseListen(bad).status().code(), StatusCode::kInvalidInput) << bad;
  }
}

}  // namespace
}  // namespace mentorlog::server
