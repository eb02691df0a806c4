// Buckets: list, create (with versioning and object lock), settings, delete.
#include "api.h"

namespace maxiofs::console {
namespace {

nlohmann::json BucketJson(const engine::BucketInfo& b) {
  return {{"name", b.name},
          {"createdAt", Rfc3339FromNs(b.created_ns)},
          {"versioning", VersioningName(b.versioning)},
          {"objectLock", b.object_lock_enabled}};
}

// Parses {"mode": "GOVERNANCE"|"COMPLIANCE"|"NONE", "days": n, "years": n}.
Result<engine::DefaultRetention> ParseDefaultRetention(const nlohmann::json& doc) {
  engine::DefaultRetention r;
  auto mode = ParseLockMode(JsonString(doc, "mode").value_or("NONE"));
  if (!mode) return Status::InvalidArgument("mode must be NONE, GOVERNANCE or COMPLIANCE");
  r.mode = *mode;
  for (const char* name : {"days", "years"}) {
    auto it = doc.find(name);
    if (it == doc.end() || it->is_null()) continue;
    if (!it->is_number_unsigned() || it->get<uint64_t>() > 36500) {
      return Status::InvalidArgument(std::string(name) + " must be a whole number up to 36500");
    }
    (std::string_view(name) == "days" ? r.days : r.years) = it->get<uint32_t>();
  }
  if (r.mode == engine::LockMode::kNone) {
    r.days = 0;
    r.years = 0;
  } else if ((r.days == 0) == (r.years == 0)) {
    return Status::InvalidArgument("give exactly one of days or years with a retention mode");
  }
  return r;
}

void AddUsage(nlohmann::json& j, const engine::BucketUsage& u) {
  j["objects"] = u.objects;
  j["bytes"] = u.bytes;
  j["versions"] = u.versions;
  j["versionBytes"] = u.version_bytes;
  j["deleteMarkers"] = u.delete_markers;
  j["uploads"] = u.uploads;
}

}  // namespace

http::Response ConsoleApi::ListBuckets(const ApiCall& call) {
  if (Status st = Authorize(call.caller, Op::kListBuckets); !st.ok()) return StatusError(st);
  auto buckets = engine_.ListBuckets();
  if (!buckets.has_value()) return StatusError(buckets.error());
  const std::string search = call.Query("search");
  nlohmann::json list = nlohmann::json::array();
  for (const engine::BucketInfo& b : *buckets) {
    if (!search.empty() && b.name.find(search) == std::string::npos) continue;
    nlohmann::json j = BucketJson(b);
    // Counters kept by the engine: a read of memory. A bucket deleted meanwhile shows none.
    if (auto usage = engine_.GetBucketUsage(b.name); usage.has_value()) AddUsage(j, *usage);
    list.push_back(std::move(j));
  }
  return JsonResponse(200, {{"buckets", list}});
}

http::StartedRequest ConsoleApi::CreateBucket(const ApiCall& call) {
  http::StartedRequest started;
  started.operation = "CreateBucket";
  started.body = JsonBody([this, caller = call.caller](const nlohmann::json& doc) {
    auto name = JsonString(doc, "name");
    if (!name) return JsonError(400, "InvalidArgument", "name is required.");
    const bool lock = doc.value("objectLock", false);
    const bool versioning = doc.value("versioning", false);
    engine::DefaultRetention retention;
    if (auto it = doc.find("retention"); it != doc.end() && it->is_object()) {
      auto parsed = ParseDefaultRetention(*it);
      if (!parsed.has_value()) return StatusError(parsed.error());
      retention = *parsed;
      if (retention.mode != engine::LockMode::kNone && !lock) {
        return JsonError(400, "InvalidArgument", "A default retention needs object lock.");
      }
    }
    // Every setting made here needs its own permission, checked before anything is created.
    if (Status st = Authorize(caller, Op::kCreateBucket, *name); !st.ok()) return StatusError(st);
    if (versioning && !lock) {
      if (Status st = Authorize(caller, Op::kPutBucketVersioning, *name); !st.ok()) {
        return StatusError(st);
      }
    }
    if (lock && retention.mode != engine::LockMode::kNone) {
      if (Status st = Authorize(caller, Op::kPutBucketObjectLock, *name); !st.ok()) {
        return StatusError(st);
      }
    }
    engine::CreateBucketRequest req;
    req.bucket = *name;
    req.object_lock_enabled = lock;
    if (Status st = engine_.CreateBucket(req); !st.ok()) return StatusError(st);
    if (versioning && !lock) {
      if (Status st = engine_.PutBucketVersioning(*name, engine::VersioningState::kEnabled);
          !st.ok()) {
        return StatusError(st);
      }
    }
    if (lock && retention.mode != engine::LockMode::kNone) {
      engine::ObjectLockConfig cfg;
      cfg.enabled = true;
      cfg.default_retention = retention;
      if (Status st = engine_.PutObjectLockConfiguration(*name, cfg); !st.ok()) {
        return StatusError(st);
      }
    }
    auto info = engine_.HeadBucket(*name);
    if (!info.has_value()) return StatusError(info.error());
    return JsonResponse(201, BucketJson(*info));
  });
  return started;
}

http::Response ConsoleApi::GetBucket(const ApiCall& call, const std::string& bucket) {
  if (Status st = Authorize(call.caller, Op::kHeadBucket, bucket); !st.ok()) {
    return StatusError(st);
  }
  auto info = engine_.HeadBucket(bucket);
  if (!info.has_value()) return StatusError(info.error());
  nlohmann::json j = BucketJson(*info);
  if (auto usage = engine_.GetBucketUsage(bucket); usage.has_value()) {
    AddUsage(j, *usage);
    // The quota with its usage bars, for those who may read it.
    if (Authorize(call.caller, Op::kGetBucketQuota, bucket).ok()) {
      if (auto q = engine_.GetBucketQuota(bucket); q.has_value()) {
        j["quota"] = QuotaJson(bucket, *q, *usage);
      }
    }
  }
  nlohmann::json lock = {{"enabled", info->object_lock_enabled}};
  // The default retention is shown to those who may read it.
  if (info->object_lock_enabled && Authorize(call.caller, Op::kGetBucketObjectLock, bucket).ok()) {
    auto cfg = engine_.GetObjectLockConfiguration(bucket);
    if (cfg.has_value()) {
      const auto& d = cfg->default_retention;
      lock["defaultRetention"] = {
          {"mode", LockModeName(d.mode)}, {"days", d.days}, {"years", d.years}};
    }
  }
  j["objectLockConfig"] = lock;
  // Server access logging (PutBucketLogging): on or off, and where logs go for those who may
  // read the configuration.
  nlohmann::json logging = {{"enabled", engine_.IsBucketLogged(bucket)}};
  if (Authorize(call.caller, Op::kGetBucketLogging, bucket).ok()) {
    if (auto state = engine_.GetBucketLogging(bucket); state.has_value() && state->config) {
      logging["targetBucket"] = state->config->target_bucket;
      logging["targetPrefix"] = state->config->target_prefix;
    }
  }
  j["logging"] = logging;
  return JsonResponse(200, j);
}

http::Response ConsoleApi::DeleteBucket(const ApiCall& call, const std::string& bucket) {
  // The typed confirmation of the UI travels as ?confirm=<name>, so a stray call cannot
  // delete a bucket by accident.
  if (call.Query("confirm") != bucket) {
    return JsonError(400, "ConfirmationRequired", "Pass confirm=<bucket name> to delete it.");
  }
  if (Status st = Authorize(call.caller, Op::kDeleteBucket, bucket); !st.ok()) {
    return StatusError(st);
  }
  if (Status st = engine_.DeleteBucket(bucket); !st.ok()) return StatusError(st);
  return JsonResponse(200, {{"deleted", bucket}});
}

http::StartedRequest ConsoleApi::PutVersioning(const ApiCall& call, const std::string& bucket) {
  if (Status st = Authorize(call.caller, Op::kPutBucketVersioning, bucket); !st.ok()) {
    return Started(StatusError(st));
  }
  http::StartedRequest started;
  started.operation = "PutBucketVersioning";
  started.body = JsonBody([this, bucket](const nlohmann::json& doc) {
    const std::string status = JsonString(doc, "status").value_or("");
    engine::VersioningState state;
    if (status == "Enabled") {
      state = engine::VersioningState::kEnabled;
    } else if (status == "Suspended") {
      state = engine::VersioningState::kSuspended;
    } else {
      return JsonError(400, "InvalidArgument", "status must be Enabled or Suspended.");
    }
    if (Status st = engine_.PutBucketVersioning(bucket, state); !st.ok()) return StatusError(st);
    return JsonResponse(200, {{"versioning", status}});
  });
  return started;
}

http::StartedRequest ConsoleApi::PutObjectLock(const ApiCall& call, const std::string& bucket) {
  if (Status st = Authorize(call.caller, Op::kPutBucketObjectLock, bucket); !st.ok()) {
    return Started(StatusError(st));
  }
  http::StartedRequest started;
  started.operation = "PutObjectLockConfiguration";
  started.body = JsonBody([this, bucket](const nlohmann::json& doc) {
    auto retention = ParseDefaultRetention(doc);
    if (!retention.has_value()) return StatusError(retention.error());
    engine::ObjectLockConfig cfg;
    cfg.enabled = true;
    cfg.default_retention = *retention;
    if (Status st = engine_.PutObjectLockConfiguration(bucket, cfg); !st.ok()) {
      return StatusError(st);
    }
    return JsonResponse(200, {{"mode", LockModeName(retention->mode)},
                              {"days", retention->days},
                              {"years", retention->years}});
  });
  return started;
}

}  // namespace maxiofs::console
