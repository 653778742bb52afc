// Result<T>: a value or a human-readable error, for decisions that fail with a reason.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace sidecar {

template <typename T>
class Result {
 public:
  // An error with no message; pplx tasks need default-constructible results.
  Result() = default;

  static Result Ok(T value) { return Result(std::move(value), {}); }
  static Result Error(std::string message) { return Result(std::nullopt, std::move(message)); }

  bool ok() const { return value_.has_value(); }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T* operator->() const { return &*value_; }
  const std::string& error() const { return error_; }

 private:
  Result(std::optional<T> value, std::string error)
      : value_(std::move(value)), error_(std::move(error)) {}

  std::optional<T> value_;
  std::string error_;
};

}  // namespace sidecar
