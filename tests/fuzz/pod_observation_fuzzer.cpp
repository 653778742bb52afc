// The pod JSON -> observation step: arbitrary bytes parsed as JSON, then read as a Pod object.
#include <cpprest/json.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "feldera/pod_observation.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::error_code error;
  // The watch reader parses each event line this way, without exceptions.
  const web::json::value pod = web::json::value::parse(text, error);
  if (error) return 0;

  static const sidecar::PodObservationOptions kOptions;
  const auto observation = sidecar::ObservePod(pod, kOptions);
  if (observation) {
    // A pipeline pod's name matched the pattern: a 36-character id and a non-negative ordinal.
    FUZZ_CHECK(observation->pipeline_id.size() == 36);
    FUZZ_CHECK(observation->ordinal >= 0);
    FUZZ_CHECK(!observation->uid.empty());
    if (observation->container) FUZZ_CHECK(observation->container->restart_count >= 0);
    // Reading is deterministic.
    FUZZ_CHECK(sidecar::ObservePod(pod, kOptions) == observation);
  }
  return 0;
}
