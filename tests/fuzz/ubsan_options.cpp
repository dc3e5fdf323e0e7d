// UBSan's default options for the fuzz build's programs: stop at the first report (so that
// libFuzzer counts it as a finding), with a stack trace, except what ubsan.supp names.

extern "C" const char* __ubsan_default_options() {  // NOLINT: the sanitizer runtime's name
  return "halt_on_error=1:print_stacktrace=1:suppressions=" MENTORLOG_FUZZ_UBSAN_SUPP;
}
