// PipelineSeries: the series of one metric family labelled by pipeline — `pipeline_name`, the name
// the service serves it under, and `pipeline`, Feldera's id for it as PipelineIdLabels holds it —
// remembered per pipeline name so that every series of a pipeline can be removed when it goes
// away or its `pipeline` label changes (a prometheus-cpp family cannot list its series). It also
// keeps a pointer to each series, so that updating an existing series allocates nothing
// (prometheus-cpp's Family::Add builds a new metric per call).
//
// Thread-safe: updates and removals are serialised by one mutex, so that no update can touch a
// series a removal has removed. Lock order: a PipelineSeries' mutex, then PipelineIdLabels'.
// Neither is held across I/O: the family's series are in memory.
#pragma once

#include <prometheus/family.h>
#include <prometheus/labels.h>

#include <map>
#include <string>
#include <tuple>
#include <utility>

#include "common/mutex.h"

namespace sidecar {

// The `pipeline` label of each pipeline name; empty for a name that has none.
class PipelineIdLabels {
 public:
  std::string Get(const std::string& name) const EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    const auto found = labels_.find(name);
    return found == labels_.end() ? std::string() : found->second;
  }

  // Returns whether the label of `name` changed.
  bool Set(const std::string& name, const std::string& label) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    if (label.empty()) return labels_.erase(name) > 0;
    auto [it, inserted] = labels_.try_emplace(name, label);
    if (!inserted && it->second == label) return false;
    it->second = label;
    return true;
  }

 private:
  mutable Mutex mu_;
  std::map<std::string, std::string> labels_ GUARDED_BY(mu_);
};

// `Args` are what a new series of type T is built from (a histogram's bucket boundaries).
template <typename T, typename... Args>
class PipelineSeries {
 public:
  // `family` and `ids` must outlive this object.
  PipelineSeries(prometheus::Family<T>& family, const PipelineIdLabels& ids, Args... args)
      : family_(family), ids_(ids), args_(std::move(args)...) {}

  PipelineSeries(const PipelineSeries&) = delete;
  PipelineSeries& operator=(const PipelineSeries&) = delete;

  // Calls `update(T&)` on the series with `labels` plus pipeline_name=`pipeline` and its
  // `pipeline` label, made if missing.
  template <typename UpdateFn>
  void Update(const std::string& pipeline, const prometheus::Labels& labels, UpdateFn&& update)
      EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    auto [of_pipeline, first] = series_.try_emplace(pipeline);
    OfPipeline& of = of_pipeline->second;
    if (first) of.id_label = ids_.Get(pipeline);
    auto found = of.series.find(labels);
    if (found == of.series.end()) {
      prometheus::Labels all = labels;
      all.emplace("pipeline_name", pipeline);
      all.emplace("pipeline", of.id_label);
      T& made =
          std::apply([&](const Args&... args) -> T& { return family_.Add(all, args...); }, args_);
      found = of.series.emplace(labels, &made).first;
    }
    update(*found->second);
  }

  // Removes every series of `pipeline`; nothing happens for a pipeline without series.
  void Forget(const std::string& pipeline) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    ForgetLocked(pipeline);
  }

  // Removes the series of `pipeline` if they carry another `pipeline` label than its current one.
  void ForgetIfRelabelled(const std::string& pipeline) EXCLUDES(mu_) {
    MutexLock lock(&mu_);
    const auto found = series_.find(pipeline);
    if (found != series_.end() && found->second.id_label != ids_.Get(pipeline))
      ForgetLocked(pipeline);
  }

 private:
  struct OfPipeline {
    std::string id_label;                     // the `pipeline` label of every series below
    std::map<prometheus::Labels, T*> series;  // by their other labels
  };

  void ForgetLocked(const std::string& pipeline) REQUIRES(mu_) {
    const auto found = series_.find(pipeline);
    if (found == series_.end()) return;
    for (auto& [labels, series] : found->second.series) family_.Remove(series);
    series_.erase(found);
  }

  prometheus::Family<T>& family_;
  const PipelineIdLabels& ids_;
  const std::tuple<Args...> args_;
  Mutex mu_;
  std::map<std::string, OfPipeline> series_ GUARDED_BY(mu_);  // by pipeline name
};

}  // namespace sidecar
