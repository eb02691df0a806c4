#include "post/post_object.h"

#include "auth/crypto.h"
#include "auth/post_signature.h"
#include "authz_map.h"
#include "encoding.h"
#include "headers.h"
#include "post/form_parser.h"
#include "post/post_policy.h"
#include "responses.h"
#include "xml/request_documents.h"
#include "xml/tagging_document.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include <spdlog/spdlog.h>

#include <map>

namespace maxiofs::s3 {
namespace {

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The request header a form field stands for, or "" for the fields that are not headers (key,
// policy, signatures, success_action_*, x-ignore-*, ...).
std::string HeaderOfField(std::string_view name) {
  if (name == "acl") return "x-amz-acl";
  if (name == "tagging") return "x-amz-tagging";
  if (name == "content-type" || name == "cache-control" || name == "content-disposition" ||
      name == "content-encoding" || name == "expires" || name == "content-md5") {
    return std::string(name);
  }
  for (std::string_view prefix :
       {"x-amz-meta-", "x-amz-server-side-encryption", "x-amz-storage-class", "x-amz-object-lock-",
        "x-amz-checksum-", "x-amz-website-redirect-location", "x-amz-grant-"}) {
    if (name.starts_with(prefix)) return std::string(name);
  }
  return "";
}

S3Error MissingField(std::string_view name) {
  return S3Error{S3ErrorCode::kInvalidArgument,
                 "Bucket POST must contain a field named '" + std::string(name) +
                     "'.  If it is specified, please check the order of the fields."};
}

// The form's `tagging` field is a Tagging document (ParseTaggingDocument); the PUT it stands for
// carries the same tags as x-amz-tagging, URL-encoded ("k1=v1&k2=v2"), so the engine judges
// them as it judges that header's. MalformedXML when it is not one.
S3Result<std::string> TaggingHeader(std::string_view xml) {
  auto tags = ParseTaggingDocument(xml);
  if (!tags.has_value()) return tags.error();
  std::string out;
  for (const engine::Tag& tag : tags.value()) {
    if (!out.empty()) out += '&';
    out += PercentEncode(tag.key, false) + "=" + PercentEncode(tag.value, false);
  }
  return out;
}

std::string ReplaceAll(std::string text, std::string_view what, std::string_view with) {
  for (size_t pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + with.size())) {
    text.replace(pos, what.size(), with);
  }
  return text;
}

int64_t ToNs(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

void LogDenied(const HttpRequest& request, const engine::AuthzRequest& q, const Status& why) {
  auto log = spdlog::get("s3");
  if (!log) log = spdlog::default_logger();
  log->debug("request_id={} denied {} on {}/{} (POST form): {}", request.request_id, q.action,
             q.bucket, q.key, why.ToString());
}

class PostObjectBody final : public http::RequestBody {
 public:
  PostObjectBody(engine::Engine& engine, const ServiceOptions& options, const HttpRequest& request,
                 const Route& route, std::chrono::system_clock::time_point now,
                 std::string boundary)
      : engine_(engine),
        options_(options),
        bucket_(route.bucket),
        virtual_host_(route.virtual_host),
        host_(request.Header("host").value_or("")),
        remote_(request.remote),
        request_id_(request.request_id),
        user_agent_(request.Header("user-agent").value_or("")),
        referer_(request.Header("referer").value_or("")),
        tls_(request.tls),
        now_(now),
        parser_(std::move(boundary), FormLimits{},
                FormParser::Callbacks{[this](std::string_view name, std::string_view value) {
                                        return OnField(name, value);
                                      },
                                      [this](std::string_view filename, std::string_view type) {
                                        return OnFileStart(filename, type);
                                      },
                                      [this](std::string_view data) { return OnFileData(data); }}) {
  }

  std::optional<Response> Feed(std::string_view raw) override {
    if (auto f = parser_.Feed(raw)) return ErrorResponse(*f);
    return std::nullopt;
  }

  Response Finish() override {
    if (auto f = parser_.Finish()) return ErrorResponse(*f);
    if (!consumer_) return Error(S3Error{S3ErrorCode::kInternalError, "no upload was started"});
    if (policy_min_ && size_ < *policy_min_) {
      return Error(S3Error{S3ErrorCode::kEntityTooSmall,
                           "Your proposed upload is smaller than the minimum allowed size"});
    }
    auto put = consumer_->Finish({});
    consumer_.reset();
    if (!put.has_value()) return Error(put.error());
    return Success(std::move(put).value());
  }

 private:
  Response Error(const S3Error& e) const {
    std::string resource = "/" + bucket_;
    if (!key_.empty()) resource += "/" + key_;
    return MakeErrorResponse(e, resource, request_id_, false);
  }

  Response ErrorResponse(const FormFailure& f) {
    if (pending_) return Error(*pending_);
    switch (f.error) {
      case FormError::kTooLarge:
        return Error(S3Error{S3ErrorCode::kMaxPostPreDataLengthExceededError, f.message});
      case FormError::kMalformed:
        return Error(S3Error{S3ErrorCode::kMalformedPOSTRequest,
                             "The body of your POST request is not well-formed "
                             "multipart/form-data: " +
                                 f.message});
      case FormError::kNoFile:
        return Error(S3Error{S3ErrorCode::kIncorrectNumberOfFilesInPostRequest, f.message});
      case FormError::kTruncated:
        return Error(S3Error{S3ErrorCode::kIncompleteBody, f.message});
    }
    return Error(S3Error{S3ErrorCode::kInternalError, f.message});
  }

  // Stops parsing with an S3 error (ErrorResponse answers it).
  std::optional<FormFailure> Stop(S3Error e) {
    pending_ = std::move(e);
    return FormFailure{FormError::kMalformed, pending_->message};
  }

  std::optional<FormFailure> OnField(std::string_view name, std::string_view value) {
    std::string lower = ToLower(name);
    if (lower == "bucket") return std::nullopt;  // the URL names the bucket; a condition checks
    if (!fields_.emplace(lower, std::string(value)).second) {
      return Stop(S3Error{S3ErrorCode::kInvalidArgument,
                          "The form field " + std::string(name) + " appears more than once."});
    }
    return std::nullopt;
  }

  std::string_view Field(std::string_view name) const {
    auto it = fields_.find(name);
    return it == fields_.end() ? std::string_view() : std::string_view(it->second);
  }

  // Authenticates the form; the principal and access key of the signer (anonymous without a
  // policy), with the policy's size bounds.
  std::optional<S3Error> Authenticate() {
    std::string_view policy = Field("policy");
    if (policy.empty()) {
      for (std::string_view f : {"x-amz-signature", "signature", "x-amz-credential",
                                 "awsaccesskeyid", "x-amz-algorithm"}) {
        if (fields_.count(f) != 0) return MissingField("policy");
      }
      auth_.anonymous = true;
      return std::nullopt;
    }
    auth::PostSignatureFields sig;
    sig.policy = policy;
    sig.algorithm = Field("x-amz-algorithm");
    sig.credential = Field("x-amz-credential");
    sig.date = Field("x-amz-date");
    sig.signature_v4 = Field("x-amz-signature");
    sig.access_key_v2 = Field("awsaccesskeyid");
    sig.signature_v2 = Field("signature");
    const int64_t now_ns = ToNs(now_);
    std::optional<engine::Credential> credential;
    SecretLookup secrets = [&](std::string_view key) -> S3Result<std::string> {
      auto found = engine_.iam().LookupCredential(key, now_ns);
      if (!found.has_value()) return FromStatus(found.error());
      credential = std::move(found).value();
      return credential->secret_key;
    };
    auto verified = auth::VerifyPostSignature(sig, options_.region, secrets);
    if (!verified.has_value()) return verified.error();
    if (!credential) return S3Error{S3ErrorCode::kInternalError, "no credential"};
    // Temporary credentials need their token, as a form field; long-term keys none.
    auto token = fields_.find("x-amz-security-token");
    const bool token_ok =
        credential->session_token.empty()
            ? token == fields_.end()
            : token != fields_.end() &&
                  auth::ConstantTimeEquals(token->second, credential->session_token);
    if (!token_ok) {
      return S3Error{S3ErrorCode::kInvalidToken,
                     "The provided token is malformed or otherwise invalid."};
    }
    auth_ = std::move(verified).value();
    authz_.principal = credential->principal;

    auto decoded = Base64Decode(policy);
    if (!decoded) {
      return S3Error{S3ErrorCode::kInvalidPolicyDocument,
                     "Invalid Policy: the policy field is not valid base64."};
    }
    auto parsed = ParsePostPolicy(*decoded);
    if (!parsed.has_value()) return parsed.error();
    PostFormFields view(fields_.begin(), fields_.end());
    view["bucket"] = bucket_;
    if (auto err = CheckPostPolicy(parsed.value(), view, now_ns)) return err;
    policy_min_ = parsed.value().min_length;
    policy_max_ = parsed.value().max_length;
    return std::nullopt;
  }

  std::optional<FormFailure> OnFileStart(std::string_view filename, std::string_view file_type) {
    auto key = fields_.find("key");
    if (key == fields_.end()) return Stop(MissingField("key"));
    key->second = ReplaceAll(key->second, "${filename}", filename);
    key_ = key->second;
    if (key_.empty()) {
      return Stop(
          S3Error{S3ErrorCode::kInvalidArgument, "User key must have a length greater than 0."});
    }
    if (key_.size() > 1024)
      return Stop(S3Error{S3ErrorCode::kKeyTooLongError, "Your key is too long"});
    if (auto err = Authenticate()) return Stop(std::move(*err));

    // The PUT this form stands for: its fields as headers.
    put_.method = "PUT";
    put_.target = "/" + PercentEncode(bucket_, false) + "/" + PercentEncode(key_, true);
    put_.request_id = request_id_;
    put_.remote = remote_;
    put_.tls = tls_;
    put_.chunked = true;  // the file's size is known only at its end
    put_.headers.emplace_back("host", host_);
    if (!user_agent_.empty()) put_.headers.emplace_back("user-agent", user_agent_);
    if (!referer_.empty()) put_.headers.emplace_back("referer", referer_);
    for (const auto& [name, value] : fields_) {
      std::string header = HeaderOfField(name);
      if (header.empty()) continue;
      if (name == "tagging") {
        auto tags = TaggingHeader(value);
        if (!tags.has_value()) return Stop(tags.error());
        put_.headers.emplace_back(std::move(header), std::move(tags).value());
      } else {
        put_.headers.emplace_back(std::move(header), value);
      }
    }
    if (fields_.count("content-type") == 0 && !file_type.empty()) {
      put_.headers.emplace_back("content-type", std::string(file_type));  // the file part's
    }
    put_route_.op = S3Op::kPutObject;
    put_route_.bucket = bucket_;
    put_route_.key = key_;
    put_route_.raw_path = put_.target;

    // Authorized exactly as that PUT would be (root included: a bucket policy's Deny binds it).
    authz_.context = RequestConditions(put_, put_route_, auth_);
    if (!auth_.anonymous) authz_.context["s3:authType"] = {"POST"};
    for (const engine::AuthzRequest& q : AuthzRequestsFor(put_route_, put_, authz_)) {
      Status allowed = engine_.iam().Authorize(q);
      if (!allowed.ok()) {
        LogDenied(put_, q, allowed);
        return Stop(S3Error{S3ErrorCode::kAccessDenied, "Access Denied"});
      }
    }
    RequestContext ctx{
        engine_, options_, put_, put_route_, auth_.access_key, PayloadMode::kUnsigned, authz_};
    HandlerOutcome started = HandlePutObject(ctx);
    if (!started.has_value()) return Stop(started.error());
    if (!started.value().consumer) {
      return Stop(S3Error{S3ErrorCode::kInternalError, "the upload did not start"});
    }
    consumer_ = std::move(started.value().consumer);
    return std::nullopt;
  }

  std::optional<FormFailure> OnFileData(std::string_view data) {
    size_ += data.size();
    if (policy_max_ && size_ > *policy_max_) {
      return Stop(S3Error{S3ErrorCode::kEntityTooLarge,
                          "Your proposed upload exceeds the maximum allowed size"});
    }
    if (auto err = consumer_->Consume(data)) return Stop(std::move(*err));
    return std::nullopt;
  }

  std::string ObjectUrl() const {
    std::string url = tls_ ? "https://" : "http://";
    if (virtual_host_) return url + host_ + "/" + PercentEncode(key_, true);
    return url + host_ + "/" + PercentEncode(bucket_, false) + "/" + PercentEncode(key_, true);
  }

  Response Success(Response put) {
    std::string etag;
    for (const auto& [name, value] : put.headers) {
      if (name == "ETag") etag = value;
    }
    Response r;
    r.headers = std::move(put.headers);
    r.AddHeader("Location", ObjectUrl());
    std::string_view redirect = Field("success_action_redirect");
    if (redirect.empty()) redirect = Field("redirect");
    if (redirect.starts_with("http://") || redirect.starts_with("https://")) {
      std::string to(redirect);
      to += to.find('?') == std::string::npos ? '?' : '&';
      to += "bucket=" + PercentEncode(bucket_, false) + "&key=" + PercentEncode(key_, false) +
            "&etag=" + PercentEncode(etag, false);
      r.status = 303;
      for (auto& [name, value] : r.headers) {
        if (name == "Location") value = std::move(to);
      }
      return r;
    }
    std::string_view status = Field("success_action_status");
    if (status == "200") {
      r.status = 200;
    } else if (status == "201") {
      r.status = 201;
      XmlWriter w;
      w.Open("PostResponse");
      w.Element("Location", ObjectUrl());
      w.Element("Bucket", bucket_);
      w.Element("Key", key_);
      w.Element("ETag", etag);
      w.Close();
      r.body = w.Finish();
      r.AddHeader("Content-Type", "application/xml");
    } else {
      r.status = 204;
    }
    return r;
  }

  engine::Engine& engine_;
  const ServiceOptions& options_;
  const std::string bucket_;
  const bool virtual_host_;
  const std::string host_;
  const std::string remote_;
  const std::string request_id_;
  const std::string user_agent_;
  const std::string referer_;
  const bool tls_;
  const std::chrono::system_clock::time_point now_;

  // Fields before the file, lower-case names (bounded by the parser's max_pre_data).
  std::map<std::string, std::string, std::less<>> fields_;
  std::string key_;
  AuthResult auth_;             // anonymous until a policy's signature verified
  engine::AuthzRequest authz_;  // the signer (anonymous by default)
  std::optional<uint64_t> policy_min_;
  std::optional<uint64_t> policy_max_;
  HttpRequest put_;  // the PUT the form stands for; outlives consumer_
  Route put_route_;
  std::unique_ptr<BodyConsumer> consumer_;  // the engine writer, once the file began
  uint64_t size_ = 0;
  std::optional<S3Error> pending_;
  FormParser parser_;  // last: its callbacks use the members above
};

}  // namespace

http::StartedRequest StartPostObject(engine::Engine& engine, const ServiceOptions& options,
                                     const HttpRequest& request, const Route& route,
                                     std::chrono::system_clock::time_point now) {
  http::StartedRequest out;
  out.operation = std::string(S3OpName(route.op));
  auto boundary = FormBoundary(request.Header("content-type").value_or(""));
  if (!boundary) {
    out.response = MakeErrorResponse(
        S3Error{S3ErrorCode::kMalformedPOSTRequest,
                "The body of your POST request is not well-formed multipart/form-data: the "
                "Content-Type has no valid boundary."},
        route.Resource(), request.request_id, false);
    return out;
  }
  out.body =
      std::make_unique<PostObjectBody>(engine, options, request, route, now, std::move(*boundary));
  if (!request.has_body()) {
    out.response = out.body->Finish();
    out.body.reset();
  }
  return out;
}

}  // namespace maxiofs::s3
