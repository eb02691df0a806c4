// ChunkedDecoder: the aws-chunked body decoder declared in auth.h. See the grammar there.
#include "auth/auth.h"
#include "auth/crypto.h"
#include "auth/request_view.h"
#include "auth/sigv4.h"

#include <algorithm>
#include <string>

namespace maxiofs::s3 {
namespace {

constexpr size_t kMaxLineBytes = 4 * 1024;             // one size or trailer line, without CRLF
constexpr uint64_t kMaxChunkBytes = 16 * 1024 * 1024;  // one chunk's data
constexpr size_t kMaxTrailerBytes = 16 * 1024;         // all trailer lines together

constexpr std::string_view kChunkSignatureExt = "chunk-signature=";
constexpr std::string_view kTrailerSignatureName = "x-amz-trailer-signature";

enum class Phase : uint8_t { kSizeLine, kData, kDataCr, kDataLf, kTrailerLine, kDone, kFailed };

S3Error Malformed(std::string what) {
  return auth::AuthError(S3ErrorCode::kInvalidArgument,
                         "Malformed aws-chunked body: " + std::move(what));
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

struct ChunkedDecoder::State {
  std::optional<ChunkSigningContext> ctx;
  bool trailer = false;
  Phase phase = Phase::kSizeLine;
  std::optional<S3Error> error;

  std::string line;             // the size or trailer line being read (without CRLF)
  uint64_t remaining = 0;       // data bytes left in the current chunk
  std::string chunk_signature;  // the signature announced for the current chunk
  std::string previous_signature;
  auth::Sha256Hasher hasher;
  uint64_t decoded = 0;

  std::vector<std::pair<std::string, std::string>> trailers;
  std::string canonical_trailers;  // "name:value\n" lines, for the trailer signature
  size_t trailer_bytes = 0;
  bool trailer_signature_seen = false;

  std::optional<S3Error> Fail(S3Error e) {
    phase = Phase::kFailed;
    error = std::move(e);
    return error;
  }

  // Checks the current chunk's signature against the hash of its data.
  std::optional<S3Error> VerifyChunk() {
    if (!ctx) return std::nullopt;
    const std::string expected = auth::SignHex(
        ctx->signing_key, auth::ChunkStringToSign(*ctx, previous_signature, hasher.FinishHex()));
    if (!auth::ConstantTimeEquals(expected, chunk_signature)) {
      return Fail(auth::AuthError(S3ErrorCode::kSignatureDoesNotMatch,
                                  "The chunk signature we calculated does not match the "
                                  "signature you provided."));
    }
    previous_signature = expected;
    return std::nullopt;
  }

  // "<hex-size>[;chunk-signature=<sig>]"
  std::optional<S3Error> OnSizeLine() {
    const std::string_view l = line;
    const size_t semi = l.find(';');
    const std::string_view size_text = l.substr(0, semi);
    if (size_text.empty() || size_text.size() > 16) return Fail(Malformed("bad chunk size"));
    uint64_t size = 0;
    for (char c : size_text) {
      const int d = HexDigit(c);
      if (d < 0) return Fail(Malformed("bad chunk size"));
      size = size * 16 + static_cast<uint64_t>(d);
      if (size > kMaxChunkBytes) {
        return Fail(Malformed("chunk size over " + std::to_string(kMaxChunkBytes) + " bytes"));
      }
    }
    chunk_signature.clear();
    if (ctx) {
      if (semi == std::string_view::npos) return Fail(Malformed("missing chunk-signature"));
      const std::string_view ext = l.substr(semi + 1);
      if (ext.substr(0, kChunkSignatureExt.size()) != kChunkSignatureExt ||
          !auth::IsHex(ext.substr(kChunkSignatureExt.size()), 64)) {
        return Fail(Malformed("bad chunk-signature"));
      }
      chunk_signature = std::string(ext.substr(kChunkSignatureExt.size()));
    }
    // Unsigned variants carry no signature; any chunk extension is ignored.
    line.clear();
    if (size == 0) {
      if (auto err = VerifyChunk()) return err;
      phase = Phase::kTrailerLine;
    } else {
      remaining = size;
      phase = Phase::kData;
    }
    return std::nullopt;
  }

  // A trailer line "name:value", or the empty line that ends the body.
  std::optional<S3Error> OnTrailerLine() {
    const std::string_view l = line;
    if (l.empty()) {
      if (ctx && trailer && !trailer_signature_seen) {
        return Fail(auth::AuthError(S3ErrorCode::kSignatureDoesNotMatch,
                                    "The trailer signature is missing."));
      }
      phase = Phase::kDone;
      return std::nullopt;
    }
    if (!trailer) return Fail(Malformed("trailing headers where none were declared"));
    if (trailer_signature_seen) return Fail(Malformed("data after the trailer signature"));
    trailer_bytes += l.size();
    if (trailer_bytes > kMaxTrailerBytes) return Fail(Malformed("trailers too large"));
    const size_t colon = l.find(':');
    if (colon == std::string_view::npos) return Fail(Malformed("bad trailer line"));
    std::string name = ToLower(auth::TrimWhitespace(l.substr(0, colon)));
    const std::string_view value = auth::TrimWhitespace(l.substr(colon + 1));
    if (name.empty()) return Fail(Malformed("bad trailer line"));
    if (name == kTrailerSignatureName) {
      trailer_signature_seen = true;
      if (ctx) {
        const std::string expected = auth::SignHex(
            ctx->signing_key, auth::TrailerStringToSign(*ctx, previous_signature,
                                                        auth::Sha256Hex(canonical_trailers)));
        if (!auth::ConstantTimeEquals(expected, value)) {
          return Fail(auth::AuthError(S3ErrorCode::kSignatureDoesNotMatch,
                                      "The trailer signature we calculated does not match the "
                                      "signature you provided."));
        }
        previous_signature = expected;
      }
    } else {
      canonical_trailers += name;
      canonical_trailers.push_back(':');
      canonical_trailers += value;
      canonical_trailers.push_back('\n');
      trailers.emplace_back(std::move(name), std::string(value));
    }
    line.clear();
    return std::nullopt;
  }

  // Appends input up to and including a LF to `line`, advancing `in`; sets `complete` once a
  // whole CRLF-terminated line was read (CRLF removed). Errors: over-long line, bare LF.
  std::optional<S3Error> ReadLine(std::string_view& in, bool& complete) {
    complete = false;
    const size_t lf = in.find('\n');
    const std::string_view part = in.substr(0, lf);
    if (line.size() + part.size() > kMaxLineBytes + 1) {  // +1: the CR
      return Fail(Malformed("line longer than " + std::to_string(kMaxLineBytes) + " bytes"));
    }
    line.append(part);
    if (lf == std::string_view::npos) {
      in = {};
      return std::nullopt;
    }
    in.remove_prefix(lf + 1);
    if (line.empty() || line.back() != '\r') return Fail(Malformed("line not ended by CRLF"));
    line.pop_back();
    complete = true;
    return std::nullopt;
  }
};

ChunkedDecoder::ChunkedDecoder(std::optional<ChunkSigningContext> ctx, bool trailer)
    : state_(std::make_unique<State>()) {
  state_->ctx = std::move(ctx);
  state_->trailer = trailer;
  if (state_->ctx) state_->previous_signature = state_->ctx->seed_signature;
}

ChunkedDecoder::~ChunkedDecoder() = default;

std::optional<S3Error> ChunkedDecoder::Feed(std::string_view in, std::string& out) {
  State& s = *state_;
  while (!in.empty()) {
    switch (s.phase) {
      case Phase::kFailed:
        return s.error;
      case Phase::kDone:
        return s.Fail(Malformed("data after the end of the body"));
      case Phase::kSizeLine:
      case Phase::kTrailerLine: {
        bool complete = false;
        if (auto err = s.ReadLine(in, complete)) return err;
        if (!complete) break;
        auto err = s.phase == Phase::kSizeLine ? s.OnSizeLine() : s.OnTrailerLine();
        if (err) return err;
        break;
      }
      case Phase::kData: {
        const size_t n = static_cast<size_t>(std::min<uint64_t>(s.remaining, in.size()));
        const std::string_view data = in.substr(0, n);
        out.append(data);
        if (s.ctx) s.hasher.Update(data);
        s.remaining -= n;
        s.decoded += n;
        in.remove_prefix(n);
        if (s.remaining == 0) {
          if (auto err = s.VerifyChunk()) return err;
          s.phase = Phase::kDataCr;
        }
        break;
      }
      case Phase::kDataCr:
        if (in.front() != '\r') return s.Fail(Malformed("chunk data not followed by CRLF"));
        in.remove_prefix(1);
        s.phase = Phase::kDataLf;
        break;
      case Phase::kDataLf:
        if (in.front() != '\n') return s.Fail(Malformed("chunk data not followed by CRLF"));
        in.remove_prefix(1);
        s.phase = Phase::kSizeLine;
        break;
    }
  }
  return s.phase == Phase::kFailed ? s.error : std::nullopt;
}

bool ChunkedDecoder::done() const { return state_->phase == Phase::kDone; }

std::optional<S3Error> ChunkedDecoder::Finish() const {
  if (state_->phase == Phase::kDone) return std::nullopt;
  if (state_->phase == Phase::kFailed) return state_->error;
  return auth::AuthError(S3ErrorCode::kIncompleteBody,
                         "The aws-chunked body ended before its final chunk.");
}

uint64_t ChunkedDecoder::decoded_bytes() const { return state_->decoded; }

const std::vector<std::pair<std::string, std::string>>& ChunkedDecoder::trailers() const {
  return state_->trailers;
}

}  // namespace maxiofs::s3
