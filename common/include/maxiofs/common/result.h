// Result<T>: either a T or a non-OK Status. Shaped like std::expected (has_value(), value(),
// error()) so it can become std::expected when the project moves to C++23.
//
// Thread-safety: a value type; distinct objects may be used concurrently.
#pragma once

#include "maxiofs/common/status.h"

#include <cassert>
#include <optional>
#include <utility>

namespace maxiofs {

template <class T>
class [[nodiscard]] Result {
 public:
  // REQUIRES: !status.ok(). An OK status carries no value, so it cannot make a Result.
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT
  Result(T value) : value_(std::move(value)) {}                                  // NOLINT

  bool has_value() const { return value_.has_value(); }
  explicit operator bool() const { return has_value(); }

  // REQUIRES: has_value().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

  // The error; OK when has_value().
  const Status& error() const& { return status_; }
  Status&& error() && { return std::move(status_); }
  // Alias used where a Status is wanted regardless of outcome.
  Status status() const { return status_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace maxiofs

// Propagates a non-OK Status from an expression returning Status.
#define MAXIOFS_RETURN_IF_ERROR(expr) \
  do {                                \
    ::maxiofs::Status _st = (expr);   \
    if (!_st.ok()) return _st;        \
  } while (0)

#define MAXIOFS_CONCAT_INNER_(a, b) a##b
#define MAXIOFS_CONCAT_(a, b) MAXIOFS_CONCAT_INNER_(a, b)
// Assigns the value of a Result expression to `lhs`, or returns its error.
#define MAXIOFS_ASSIGN_OR_RETURN(lhs, expr) \
  MAXIOFS_ASSIGN_OR_RETURN_IMPL_(MAXIOFS_CONCAT_(_res_, __LINE__), lhs, expr)
#define MAXIOFS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.has_value()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
