#include "event_message.h"

#include "maxiofs/engine/iam.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

namespace maxiofs::engine {

std::string EventKeyEncode(std::string_view key) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(key.size());
  for (char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || c == '/' || c == '*') {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xf]);
    }
  }
  return out;
}

std::string EventTime(int64_t time_ns) {
  const std::time_t secs = static_cast<std::time_t>(time_ns / 1'000'000'000);
  const int ms = static_cast<int>((time_ns / 1'000'000) % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

std::string BuildEventMessage(const EventDraft& draft, const EventContext& ctx) {
  char seq[17];
  std::snprintf(seq, sizeof(seq), "%016llX", static_cast<unsigned long long>(ctx.sequencer));
  nlohmann::json object = {{"key", EventKeyEncode(draft.key)}, {"sequencer", seq}};
  if (draft.has_data) {
    object["size"] = draft.size;
    object["eTag"] = draft.etag;
  }
  if (!draft.version_id.empty() && draft.version_id != "null") {
    object["versionId"] = draft.version_id;
  }
  const std::string principal =
      draft.origin.principal_id.empty() ? std::string(kCanonicalUserId) : draft.origin.principal_id;
  nlohmann::json record = {
      {"eventVersion", "2.1"},
      {"eventSource", "aws:s3"},
      {"awsRegion", ctx.region},
      {"eventTime", EventTime(ctx.time_ns)},
      {"eventName", draft.name},
      {"userIdentity", {{"principalId", principal}}},
      {"requestParameters", {{"sourceIPAddress", draft.origin.source_ip}}},
      {"responseElements",
       {{"x-amz-request-id", draft.origin.request_id}, {"x-amz-id-2", draft.origin.request_id}}},
      {"s3",
       {{"s3SchemaVersion", "1.0"},
        {"configurationId", ctx.configuration_id},
        {"bucket",
         {{"name", draft.bucket},
          {"ownerIdentity", {{"principalId", std::string(kCanonicalUserId)}}},
          {"arn", "arn:aws:s3:::" + draft.bucket}}},
        {"object", std::move(object)}}}};
  nlohmann::json message = {{"Records", nlohmann::json::array({std::move(record)})}};
  // Keys and metadata may hold bytes that are not UTF-8: replace rather than throw.
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string BuildTestEventMessage(std::string_view bucket, const RequestOrigin& origin,
                                  int64_t time_ns) {
  nlohmann::json message = {{"Service", "Amazon S3"},         {"Event", "s3:TestEvent"},
                            {"Time", EventTime(time_ns)},     {"Bucket", std::string(bucket)},
                            {"RequestId", origin.request_id}, {"HostId", origin.request_id}};
  return message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace maxiofs::engine
