// AddressSanitizer settings for test executables that run cpprestsdk clients or listeners in
// process (every executable linking test_support): no leak check at exit.
//
// cpprestsdk's pool threads are never joined, so such a process exits with requests still in
// flight on them (a watch being cancelled, a TLS read pending, a reply being written); their pplx
// tasks and OpenSSL state are left unreachable inside the library, and LeakSanitizer reported a
// different few of them on each run. The service and simulator binaries these tests start, and
// the unit tests of the project's own classes, keep the check.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
extern "C" const char* __asan_default_options() {
  return "detect_leaks=0";
}
#endif
#endif
