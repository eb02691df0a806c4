// The little XML the S3 client reads (error documents, upload ids, listings) and the mapping
// of S3 error answers to Status.
#include "maxiofs/s3client/s3_client.h"

#include <charconv>
#include <cstdint>

namespace maxiofs::s3client {
namespace {

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x110000) {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::string DecodeEntities(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out.push_back(s[i++]);
      continue;
    }
    const size_t semi = s.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out.push_back(s[i++]);
      continue;
    }
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp") {
      out.push_back('&');
    } else if (ent == "lt") {
      out.push_back('<');
    } else if (ent == "gt") {
      out.push_back('>');
    } else if (ent == "quot") {
      out.push_back('"');
    } else if (ent == "apos") {
      out.push_back('\'');
    } else if (ent.size() > 1 && ent[0] == '#') {
      uint32_t cp = 0;
      const bool hex = ent[1] == 'x' || ent[1] == 'X';
      const std::string_view digits = ent.substr(hex ? 2 : 1);
      auto [p, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      if (ec != std::errc() || p != digits.data() + digits.size()) {
        out.append(s.substr(i, semi - i + 1));
      } else {
        AppendUtf8(cp, out);
      }
    } else {
      out.append(s.substr(i, semi - i + 1));
    }
    i = semi + 1;
  }
  return out;
}

}  // namespace

std::vector<std::string_view> XmlBlocks(std::string_view xml, std::string_view tag) {
  std::vector<std::string_view> out;
  const std::string open = "<" + std::string(tag) + ">";
  const std::string close = "</" + std::string(tag) + ">";
  size_t pos = 0;
  for (;;) {
    const size_t a = xml.find(open, pos);
    if (a == std::string_view::npos) break;
    const size_t b = xml.find(close, a + open.size());
    if (b == std::string_view::npos) break;
    out.push_back(xml.substr(a + open.size(), b - a - open.size()));
    pos = b + close.size();
  }
  return out;
}

std::optional<std::string> XmlValue(std::string_view xml, std::string_view tag) {
  auto blocks = XmlBlocks(xml, tag);
  if (blocks.empty()) return std::nullopt;
  return DecodeEntities(blocks.front());
}

bool IsRetryable(int status, std::string_view body) {
  if (status == 429 || status == 500 || status == 502 || status == 503 || status == 504) {
    return true;
  }
  const std::string code = XmlValue(body, "Code").value_or("");
  return code == "SlowDown" || code == "RequestTimeout" || code == "InternalError" ||
         code == "ServiceUnavailable" || code == "Throttling" || code == "RequestTimeTooSkewed";
}

Status ErrorFromResponse(int status, std::string_view body, std::string_view what) {
  const std::string code = XmlValue(body, "Code").value_or("");
  const std::string message = XmlValue(body, "Message").value_or("");
  std::string text = std::string(what) + ": HTTP " + std::to_string(status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += " (" + message + ")";
  if (status == 429 || status == 503 || code == "SlowDown" || code == "Throttling") {
    return Status::Unavailable(text).WithSubCode(Status::SubCode::kThrottled);
  }
  if (status == 501 || code == "NotImplemented") return Status::NotImplemented(text);
  if (status >= 500 || code == "RequestTimeout" || code == "InternalError") {
    return Status::Unavailable(text);
  }
  if (code == "NoSuchBucket") return Status::NotFound(text + ": the bucket does not exist");
  if (status == 404 || code == "NoSuchKey" || code == "NoSuchUpload") return Status::NotFound(text);
  if (status == 403 || code == "AccessDenied" || code == "InvalidAccessKeyId" ||
      code == "SignatureDoesNotMatch") {
    return Status::AccessDenied(text);
  }
  return Status::IOError(text);
}

}  // namespace maxiofs::s3client
