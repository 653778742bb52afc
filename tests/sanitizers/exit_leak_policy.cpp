// Leak checking for test executables that run cpprestsdk clients or listeners in process.
//
// cpprestsdk's pool threads are never joined, so such a test process exits with some requests
// still in flight on them (a watch being cancelled, a TLS read pending, a reply the listener is
// writing). Their pplx tasks and OpenSSL state are then left unreachable inside the library, and
// LeakSanitizer's check at exit reports a different few of them on each run. These executables
// therefore skip that check; the service and simulator binaries they start, and the unit tests
// of pure code, keep it (docs/testing.md).
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
extern "C" const char* __asan_default_options() {
  return "detect_leaks=0";
}
#endif
#endif
