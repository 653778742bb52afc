// PipelineSeries: the series of one metric family whose labels include `pipeline`, remembered per
// pipeline so that every series of a pipeline can be removed when it goes away (a prometheus-cpp
// family cannot list its series). It also keeps a pointer to each series, so that updating an
// existing series allocates nothing (prometheus-cpp's Family::Add builds a new metric per call).
//
// Thread-safe: updates and Forget() are serialised by one mutex, so that no update can touch a
// series Forget() has removed.
#pragma once

#include <prometheus/family.h>
#include <prometheus/labels.h>

#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>

namespace sidecar {

// `Args` are what a new series of type T is built from (a histogram's bucket boundaries).
template <typename T, typename... Args>
class PipelineSeries {
 public:
  // `family` must outlive this object.
  explicit PipelineSeries(prometheus::Family<T>& family, Args... args)
      : family_(family), args_(std::move(args)...) {}

  PipelineSeries(const PipelineSeries&) = delete;
  PipelineSeries& operator=(const PipelineSeries&) = delete;

  // Calls `update(T&)` on the series with `labels` plus pipeline=`pipeline`, made if missing.
  template <typename UpdateFn>
  void Update(const std::string& pipeline, const prometheus::Labels& labels, UpdateFn&& update) {
    std::lock_guard lock(mu_);
    auto& of_pipeline = series_[pipeline];
    auto found = of_pipeline.find(labels);
    if (found == of_pipeline.end()) {
      prometheus::Labels all = labels;
      all.emplace("pipeline", pipeline);
      T& made =
          std::apply([&](const Args&... args) -> T& { return family_.Add(all, args...); }, args_);
      found = of_pipeline.emplace(labels, &made).first;
    }
    update(*found->second);
  }

  // Removes every series of `pipeline`; nothing happens for a pipeline without series.
  void Forget(const std::string& pipeline) {
    std::lock_guard lock(mu_);
    auto found = series_.find(pipeline);
    if (found == series_.end()) return;
    for (auto& [labels, series] : found->second) family_.Remove(series);
    series_.erase(found);
  }

 private:
  prometheus::Family<T>& family_;
  const std::tuple<Args...> args_;
  std::mutex mu_;
  // pipeline → the other labels of each of its series → the series.
  std::map<std::string, std::map<prometheus::Labels, T*>> series_;
};

}  // namespace sidecar
