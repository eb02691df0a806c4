// TLS server contexts (Boost.Asio SSL over OpenSSL) built from PEM files, reloadable: a
// reload builds a new context and swaps it in for new connections; connections already open
// keep the context they started with (each holds a shared_ptr to it), so nothing is dropped.
//
// Thread-safety: safe for concurrent use without external synchronization.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/http/server.h"

#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <mutex>
#include <utility>

namespace maxiofs::http {

// A server context: TLS 1.2 or newer (1.3 with min_version "1.3"), the certificate chain and
// the private key of `options`, checked to match. InvalidArgument naming the file and
// OpenSSL's reason when a file cannot be read or used.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(const TlsOptions& options);

class TlsContextHolder {
 public:
  // Builds the first context (errors as MakeServerTlsContext).
  static Result<std::unique_ptr<TlsContextHolder>> Create(const TlsOptions& options);

  // Use Create.
  TlsContextHolder(TlsOptions options, std::shared_ptr<boost::asio::ssl::context> ctx)
      : options_(std::move(options)), ctx_(std::move(ctx)) {}

  // The context for a new connection.
  std::shared_ptr<boost::asio::ssl::context> Current() const;
  // Re-reads the files. On failure the current context stays in use and the error is returned.
  Status Reload();

 private:
  const TlsOptions options_;
  mutable std::mutex mu_;  // guards ctx_; leaf lock
  std::shared_ptr<boost::asio::ssl::context> ctx_;
};

}  // namespace maxiofs::http
