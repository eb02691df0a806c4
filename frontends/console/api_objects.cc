// The object browser: listing by prefix, details, delete (one, many, whole folders), folder
// creation and rename/move.
#include "api.h"

#include <charconv>

namespace maxiofs::console {
namespace {

constexpr uint32_t kMaxFolderDelete = 100000;

bool BoolQuery(const ApiCall& call, const std::string& name) {
  const std::string v = call.Query(name);
  return v == "1" || v == "true";
}

}  // namespace

// A move is a copy and a delete: reading and deleting the source, writing the target.
Status ConsoleApi::AuthorizeMove(const Caller& caller, const std::string& bucket,
                                 const std::string& from, const std::string& to) {
  MAXIOFS_RETURN_IF_ERROR(Authorize(caller, Op::kGetObject, bucket, from));
  MAXIOFS_RETURN_IF_ERROR(Authorize(caller, Op::kDeleteObject, bucket, from));
  return Authorize(caller, Op::kPutObject, bucket, to);
}

// A folder move is a move of every object in it, each checked on its own (a Deny on one key
// under the folder refuses the whole move). A caller nothing can refuse (root on a bucket without
// a policy) skips the listing.
Status ConsoleApi::AuthorizeFolderMove(const Caller& caller, const std::string& bucket,
                                       const std::string& from, const std::string& to) {
  if (engine_.iam().CannotBeRefused(caller.principal, bucket)) return Status::OK();
  MAXIOFS_RETURN_IF_ERROR(Authorize(caller, Op::kListObjects, bucket, {}, {{"s3:prefix", {from}}}));
  engine::ListObjectsRequest list;
  list.bucket = bucket;
  list.prefix = from;
  uint32_t seen = 0;
  for (;;) {
    auto page = engine_.ListObjects(list);
    if (!page.has_value()) return page.error();
    for (const auto& o : page->objects) {
      MAXIOFS_RETURN_IF_ERROR(AuthorizeMove(caller, bucket, o.key, to + o.key.substr(from.size())));
      if (++seen > kMaxFolderDelete) {
        return Status::InvalidArgument("at most 100000 objects can be moved at once");
      }
    }
    if (!page->truncated) return Status::OK();
    list.start_after = page->next_start_after;
  }
}

http::Response ConsoleApi::ListObjects(const ApiCall& call, const std::string& bucket) {
  engine::ListObjectsRequest req;
  req.bucket = bucket;
  req.prefix = call.Query("prefix");
  req.delimiter = call.Query("delimiter", "/");
  req.start_after = call.Query("startAfter");
  const std::string limit = call.Query("limit", "200");
  uint32_t max_keys = 0;
  auto [p, ec] = std::from_chars(limit.data(), limit.data() + limit.size(), max_keys);
  if (ec != std::errc() || p != limit.data() + limit.size() || max_keys < 1 || max_keys > 1000) {
    return JsonError(400, "InvalidArgument", "limit must be 1..1000.");
  }
  req.max_keys = max_keys;
  if (Status st = Authorize(call.caller, Op::kListObjects, bucket, {},
                            {{"s3:prefix", {req.prefix}},
                             {"s3:delimiter", {req.delimiter}},
                             {"s3:max-keys", {limit}}});
      !st.ok()) {
    return StatusError(st);
  }
  auto result = engine_.ListObjects(req);
  if (!result.has_value()) return StatusError(result.error());
  nlohmann::json objects = nlohmann::json::array();
  for (const engine::ObjectInfo& o : result->objects) {
    objects.push_back({{"key", o.key},
                       {"size", o.size},
                       {"etag", o.etag},
                       {"lastModified", Rfc3339FromNs(o.last_modified_ns)}});
  }
  return JsonResponse(200, {{"objects", objects},
                            {"prefixes", result->common_prefixes},
                            {"truncated", result->truncated},
                            {"nextStartAfter", result->next_start_after}});
}

http::Response ConsoleApi::ObjectDetails(const ApiCall& call, const std::string& bucket) {
  engine::HeadObjectRequest req;
  req.bucket = bucket;
  req.key = call.Query("key");
  req.version_id = call.Query("versionId");
  if (Status st =
          Authorize(call.caller, req.version_id.empty() ? Op::kGetObject : Op::kGetObjectVersion,
                    bucket, req.key);
      !st.ok()) {
    return StatusError(st);
  }
  auto info = engine_.HeadObject(req);
  if (!info.has_value()) return StatusError(info.error());
  nlohmann::json j = ObjectJson(*info);
  const engine::ObjectMeta& m = info->meta;
  j["contentType"] = m.content_type.empty() ? "binary/octet-stream" : m.content_type;
  nlohmann::json headers = nlohmann::json::object();
  if (!m.content_encoding.empty()) headers["Content-Encoding"] = m.content_encoding;
  if (!m.content_disposition.empty()) headers["Content-Disposition"] = m.content_disposition;
  if (!m.cache_control.empty()) headers["Cache-Control"] = m.cache_control;
  if (!m.content_language.empty()) headers["Content-Language"] = m.content_language;
  if (!m.expires.empty()) headers["Expires"] = m.expires;
  j["headers"] = headers;
  j["storageClass"] = m.storage_class.empty() ? "STANDARD" : m.storage_class;
  nlohmann::json user = nlohmann::json::object();
  for (const auto& [k, v] : m.user) user[k] = v;
  j["metadata"] = user;
  j["partsCount"] = info->parts_count;
  if (info->checksum.algorithm != engine::ChecksumAlgorithm::kNone) {
    j["checksum"] = info->checksum.value;
  }
  j["legalHold"] = info->legal_hold;
  return JsonResponse(200, j);
}

http::Response ConsoleApi::DeleteObject(const ApiCall& call, const std::string& bucket) {
  engine::DeleteObjectRequest req;
  req.bucket = bucket;
  req.key = call.Query("key");
  req.version_id = call.Query("versionId");
  req.bypass_governance = BoolQuery(call, "bypassGovernance");
  const Op op = req.version_id.empty() ? Op::kDeleteObject : Op::kDeleteObjectVersion;
  if (Status st = Authorize(call.caller, op, bucket, req.key); !st.ok()) return StatusError(st);
  if (req.bypass_governance) {
    if (Status st = Authorize(call.caller, Op::kBypassGovernance, bucket, req.key); !st.ok()) {
      return StatusError(st);
    }
  }
  auto result = engine_.DeleteObject(req);
  if (!result.has_value()) return StatusError(result.error());
  return JsonResponse(200, {{"key", req.key},
                            {"existed", result->existed},
                            {"deleteMarker", result->delete_marker},
                            {"versionId", result->version_id}});
}

http::StartedRequest ConsoleApi::DeleteMany(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "DeleteObjects";
  started.body = JsonBody([this, bucket, caller = call.caller](const nlohmann::json& doc) {
    std::vector<std::string> keys;
    auto keys_it = doc.find("keys");
    auto prefixes_it = doc.find("prefixes");
    if (keys_it != doc.end() && !keys_it->is_array()) {
      return JsonError(400, "InvalidArgument", "keys must be an array of strings.");
    }
    if (prefixes_it != doc.end() && !prefixes_it->is_array()) {
      return JsonError(400, "InvalidArgument", "prefixes must be an array of strings.");
    }
    if (keys_it != doc.end()) {
      for (const auto& k : *keys_it) {
        if (!k.is_string()) return JsonError(400, "InvalidArgument", "keys must be strings.");
        keys.push_back(k.get<std::string>());
      }
    }
    // A folder is every key under its prefix (listed first, then deleted one by one, so the
    // engine's rules apply to each object).
    if (prefixes_it != doc.end()) {
      for (const auto& p : *prefixes_it) {
        if (!p.is_string() || p.get<std::string>().empty()) {
          return JsonError(400, "InvalidArgument", "prefixes must be non-empty strings.");
        }
        engine::ListObjectsRequest list;
        list.bucket = bucket;
        list.prefix = p.get<std::string>();
        if (Status st =
                Authorize(caller, Op::kListObjects, bucket, {}, {{"s3:prefix", {list.prefix}}});
            !st.ok()) {
          return StatusError(st);
        }
        for (;;) {
          auto page = engine_.ListObjects(list);
          if (!page.has_value()) return StatusError(page.error());
          for (const auto& o : page->objects) keys.push_back(o.key);
          if (keys.size() > kMaxFolderDelete) {
            return JsonError(400, "TooManyKeys", "At most 100000 objects per delete.");
          }
          if (!page->truncated) break;
          list.start_after = page->next_start_after;
        }
      }
    }
    nlohmann::json deleted = nlohmann::json::array();
    nlohmann::json errors = nlohmann::json::array();
    for (const std::string& key : keys) {
      // As S3's DeleteObjects: a key the caller may not delete is an error of its own.
      if (Status st = Authorize(caller, Op::kDeleteObject, bucket, key); !st.ok()) {
        errors.push_back(
            {{"key", key}, {"code", ErrorCodeFor(st.code())}, {"message", st.message()}});
        continue;
      }
      engine::DeleteObjectRequest req;
      req.bucket = bucket;
      req.key = key;
      auto result = engine_.DeleteObject(req);
      if (result.has_value()) {
        deleted.push_back(key);
      } else {
        errors.push_back({{"key", key},
                          {"code", ErrorCodeFor(result.error().code())},
                          {"message", result.error().message()}});
      }
    }
    return JsonResponse(200, {{"deleted", deleted}, {"errors", errors}});
  });
  return started;
}

http::StartedRequest ConsoleApi::CreateFolder(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "CreateFolder";
  started.body = JsonBody([this, bucket, caller = call.caller](const nlohmann::json& doc) {
    std::string prefix = JsonString(doc, "prefix").value_or("");
    if (prefix.empty() || prefix == "/") {
      return JsonError(400, "InvalidArgument", "prefix is required.");
    }
    if (prefix.back() != '/') prefix.push_back('/');
    if (Status st = Authorize(caller, Op::kPutObject, bucket, prefix); !st.ok()) {
      return StatusError(st);
    }
    engine::PutObjectRequest req;
    req.bucket = bucket;
    req.key = prefix;
    req.expected_size = 0;
    auto writer = engine_.BeginPut(req);
    if (!writer.has_value()) return StatusError(writer.error());
    auto info = (*writer)->Commit();
    if (!info.has_value()) return StatusError(info.error());
    return JsonResponse(201, ObjectJson(*info));
  });
  return started;
}

http::StartedRequest ConsoleApi::Rename(const ApiCall& call, const std::string& bucket) {
  http::StartedRequest started;
  started.operation = "Rename";
  started.body = JsonBody([this, bucket, caller = call.caller](const nlohmann::json& doc) {
    auto from = JsonString(doc, "from");
    auto to = JsonString(doc, "to");
    if (!from || !to || from->empty() || to->empty()) {
      return JsonError(400, "InvalidArgument", "from and to are required.");
    }
    if (from->back() == '/') {
      if (to->back() != '/') to->push_back('/');
      if (Status st = AuthorizeFolderMove(caller, bucket, *from, *to); !st.ok()) {
        return StatusError(st);
      }
      engine::RenamePrefixRequest req;
      req.bucket = bucket;
      req.src_prefix = *from;
      req.dst_prefix = *to;
      auto moved = engine_.RenamePrefix(req);
      if (!moved.has_value()) return StatusError(moved.error());
      return JsonResponse(200, {{"moved", *moved}});
    }
    if (Status st = AuthorizeMove(caller, bucket, *from, *to); !st.ok()) return StatusError(st);
    engine::RenameObjectRequest req;
    req.bucket = bucket;
    req.src_key = *from;
    req.dst_key = *to;
    req.no_replace = !doc.value("replace", false);
    auto info = engine_.RenameObject(req);
    if (!info.has_value()) return StatusError(info.error());
    return JsonResponse(200, {{"moved", 1}, {"object", ObjectJson(*info)}});
  });
  return started;
}

}  // namespace maxiofs::console
