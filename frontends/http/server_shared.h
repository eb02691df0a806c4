// What the listener and every session share: the service, the worker pool, the connection
// registry, the logger, the request observer and the limits. Owned by ServerImpl (server.cc),
// which outlives every session. Includes Asio: only for this directory's .cc files.
#pragma once

#include "connection_registry.h"
#include "request_id.h"
#include "tls_context.h"

#include "maxiofs/http/server.h"
#include "maxiofs/http/service.h"

#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace maxiofs::http {

struct ServerLimits {
  // Whole request header section (bytes); larger: ProtocolError::kHeaderTooLarge.
  uint32_t header_limit = 16 * 1024;
  // Most header fields in one request.
  size_t max_header_count = 256;
  // Each response chunk written (bytes), and the most a connection keeps between requests.
  size_t chunk_size = 256 * 1024;
  // Each request body chunk handed to the service (bytes): with chunk_size, the memory per
  // request. Large, so a 1 MiB PUT takes one trip to the engine pool rather than eight.
  size_t body_chunk_size = 1024 * 1024;
  // Bytes all connections' body chunks larger than chunk_size may hold at once; a body that
  // would exceed it gets a chunk_size chunk (ServerOptions::body_chunk_budget).
  size_t body_chunk_budget = 256u * 1024 * 1024;
  // Unread request bodies up to this size are drained after an early answer so the
  // connection stays usable; larger ones close the connection.
  uint64_t drain_limit = 64 * 1024;
  // Time a request header, each body read and each write may take; also the idle time
  // allowed between requests on a kept-alive connection.
  std::chrono::seconds io_timeout{60};
  unsigned max_connections = 4096;
};

struct ServerShared {
  std::string name;  // ServerOptions::name
  Service& service;
  boost::asio::thread_pool& pool;       // requests that write
  boost::asio::thread_pool& read_pool;  // GET and HEAD
  ConnectionRegistry& registry;
  std::shared_ptr<spdlog::logger> log;
  RequestIdGenerator& ids;
  ServerLimits limits;
  std::function<void(const RequestRecord&)> on_complete;  // may be empty
  TlsContextHolder* tls = nullptr;                        // non-null: every connection speaks TLS
  std::atomic<size_t> large_chunk_bytes{0};               // held of limits.body_chunk_budget
};

}  // namespace maxiofs::http
