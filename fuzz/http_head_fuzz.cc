// Fuzzes a request head as the S3 server reads it: Beast's parser with the server's limits
// (frontends/http/server_shared.h: 16 KiB head, 256 fields), the fields lower-cased into an
// HttpRequest as Session::OnHeader does, then the S3 router (path- and virtual-host-style,
// query parsing) and the header extraction of a PUT/GET (metadata, preconditions, Range).
// The input is the raw bytes of the connection. Oracle: a head the parser accepts stayed
// within the limit.
#include "headers.h"
#include "router.h"
#include "server_shared.h"

#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace beast = boost::beast;
namespace s3 = maxiofs::s3;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const maxiofs::http::ServerLimits limits;
  beast::http::request_parser<beast::http::buffer_body> parser;
  parser.header_limit(limits.header_limit);
  parser.body_limit(boost::none);
  // The bytes arrive in reads of up to 4 KiB (the first byte picks a smaller size).
  const size_t read = size == 0 ? 1 : 1 + data[0] % 255 + (data[0] & 1) * 4096;
  size_t used = 0;   // bytes the parser consumed
  size_t avail = 0;  // bytes the server has read
  while (!parser.is_header_done()) {
    if (avail == size) return 0;  // the connection would wait for more
    avail = std::min(size, avail + read);
    beast::error_code ec;
    // Beast is handed the unconsumed bytes each time, as the server's flat buffer holds them.
    used += parser.put(boost::asio::buffer(data + used, avail - used), ec);
    if (ec == beast::http::error::need_more) continue;
    if (ec) return 0;  // 400 or 431
  }
  if (used > limits.header_limit) std::abort();

  auto& msg = parser.get();
  s3::HttpRequest request;
  request.method = std::string(msg.method_string());
  request.target = std::string(msg.target());
  size_t count = 0;
  for (const auto& field : msg) {
    ++count;
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    request.headers.emplace_back(std::move(name), std::string(field.value()));
  }
  if (count > limits.max_header_count) return 0;  // answered 431 before any parsing
  if (auto len = parser.content_length()) request.content_length = *len;
  request.chunked = parser.chunked();

  s3::RouterOptions options;
  options.virtual_host_domains = {"s3.example.com"};
  auto route = s3::RouteRequest(request, options);
  if (!route.has_value()) return 0;
  (void)route.value().Resource();
  (void)s3::ExtractObjectMeta(request);
  (void)s3::ExtractPreconditions(request, "");
  (void)s3::ExtractPreconditions(request, "x-amz-copy-source-");
  if (auto range = request.Header("range")) (void)s3::ParseRange(*range);
  return 0;
}
