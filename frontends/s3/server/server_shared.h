// What the listener and every session share: the service, the engine worker pool, the
// connection registry, the access logger and the limits. Owned by S3ServerImpl
// (s3_server.cc), which outlives every session. Includes Asio: only for server/*.cc and
// s3_server.cc.
#pragma once

#include "request_id.h"
#include "s3_service.h"
#include "server/connection_registry.h"

#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdint>
#include <memory>

namespace maxiofs::s3 {

struct ServerLimits {
  // Whole request header section (bytes); larger: 400 RequestHeaderSectionTooLarge.
  uint32_t header_limit = 16 * 1024;
  // Most header fields in one request.
  size_t max_header_count = 256;
  // Each body chunk read and each response chunk written (bytes): memory per request.
  size_t chunk_size = 256 * 1024;
  // Unread request bodies up to this size are drained after an early answer so the
  // connection stays usable; larger ones close the connection.
  uint64_t drain_limit = 64 * 1024;
  // Time a request header, each body read and each write may take; also the idle time
  // allowed between requests on a kept-alive connection.
  std::chrono::seconds io_timeout{60};
  unsigned max_connections = 4096;
};

struct ServerShared {
  S3Service& service;
  boost::asio::thread_pool& pool;
  ConnectionRegistry& registry;
  std::shared_ptr<spdlog::logger> log;
  RequestIdGenerator& ids;
  ServerLimits limits;
};

}  // namespace maxiofs::s3
