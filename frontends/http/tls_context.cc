#include "tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>
#include <utility>

namespace maxiofs::http {
namespace {

namespace ssl = boost::asio::ssl;

std::string OpenSslReason(const boost::system::error_code& ec) {
  std::string reason = ec.message();
  const unsigned long err = ERR_get_error();
  if (err != 0) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof(buf));
    reason = buf;
  }
  ERR_clear_error();
  return reason;
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const TlsOptions& options) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                   ssl::context::single_dh_use);
  const int min_version = options.min_version == "1.3" ? TLS1_3_VERSION : TLS1_2_VERSION;
  if (SSL_CTX_set_min_proto_version(ctx->native_handle(), min_version) != 1) {
    return Status::InvalidArgument("cannot set the minimum TLS version " + options.min_version);
  }
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(options.cert_file, ec);
  if (ec) {
    return Status::InvalidArgument("cannot use TLS certificate " + options.cert_file + ": " +
                                   OpenSslReason(ec));
  }
  ctx->use_private_key_file(options.key_file, ssl::context::pem, ec);
  if (ec) {
    return Status::InvalidArgument("cannot use TLS key " + options.key_file + ": " +
                                   OpenSslReason(ec));
  }
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    ERR_clear_error();
    return Status::InvalidArgument("TLS key " + options.key_file +
                                   " does not match the certificate " + options.cert_file);
  }
  return ctx;
}

Result<std::unique_ptr<TlsContextHolder>> TlsContextHolder::Create(const TlsOptions& options) {
  auto ctx = MakeServerTlsContext(options);
  if (!ctx.has_value()) return ctx.error();
  return std::make_unique<TlsContextHolder>(options, std::move(ctx).value());
}

std::shared_ptr<ssl::context> TlsContextHolder::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ctx_;
}

Status TlsContextHolder::Reload() {
  auto ctx = MakeServerTlsContext(options_);
  if (!ctx.has_value()) return ctx.error();
  std::lock_guard<std::mutex> lock(mu_);
  ctx_ = std::move(ctx).value();
  return Status::OK();
}

}  // namespace maxiofs::http
