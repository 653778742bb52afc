// What every test executable that runs cpprestsdk clients or listeners in process (every one
// linking test_support) needs at exit, because cpprestsdk's pool threads are never joined: such a
// process ends with requests still in flight on them (a watch being cancelled, a TLS read pending,
// a reply being written).
//
// 1. No static destructors. Once RUN_ALL_TESTS is done the process leaves with _Exit and the
//    tests' result. Otherwise exit() destroys the library's statics while a pool thread is still
//    finishing a reply on them: a SIGSEGV in _http_request::_reply_impl after "[  PASSED  ]",
//    about once in a thousand runs on a loaded machine.
// 2. No leak check (AddressSanitizer builds). The pool threads' pplx tasks and OpenSSL state are
//    left unreachable inside the library, and LeakSanitizer reported a different few of them on
//    each run. The service and simulator binaries these tests start, and the unit tests of the
//    project's own classes, keep the check.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

namespace {

class ExitWithoutStaticDestructors : public ::testing::EmptyTestEventListener {
  // The last event of RUN_ALL_TESTS, after the summary and any XML report are written. End
  // events reach the listeners appended last first; this one only ends the process, so order
  // does not matter to the output.
  void OnTestProgramEnd(const ::testing::UnitTest& unit_test) override {
    std::fflush(nullptr);
    std::_Exit(unit_test.Passed() ? EXIT_SUCCESS : EXIT_FAILURE);
  }
};

const bool kExitListenerInstalled = [] {
  ::testing::UnitTest::GetInstance()->listeners().Append(new ExitWithoutStaticDestructors);
  return true;
}();

}  // namespace

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
extern "C" const char* __asan_default_options() {
  return "detect_leaks=0";
}
#endif
#endif
