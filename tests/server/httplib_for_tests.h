// cpp-httplib for the tests that talk HTTP to a real server or fake one.
//
// mentorlog_server links cpp-httplib privately, so its compile definitions do not reach the
// tests; the header must see the ones the library was built with, or the classes differ.
#pragma once

#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
#define CPPHTTPLIB_OPENSSL_SUPPORT
#endif
#ifndef CPPHTTPLIB_ZLIB_SUPPORT
#define CPPHTTPLIB_ZLIB_SUPPORT
#endif
#ifndef CPPHTTPLIB_BROTLI_SUPPORT
#define CPPHTTPLIB_BROTLI_SUPPORT
#endif
#include <httplib.h>
