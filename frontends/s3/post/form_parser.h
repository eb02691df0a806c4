// A streaming multipart/form-data parser (RFC 7578, RFC 2046 section 5.1) for S3's POST Object
// (browser form uploads). Bytes arrive in chunks of any size and split anywhere; the parser
// reports each form field whole, then the file part's bytes as they arrive, without ever
// holding the file: memory is bounded by the limits below whatever the body's size.
//
// As S3 defines the form: every part before the one named "file" is a field (at most
// `max_pre_data` bytes of parts before the file, headers included); the "file" part is the
// upload; whatever follows the file part is read and ignored (at most `max_trailing` bytes).
//
// Not thread-safe: one owner; one per request.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace maxiofs::s3 {

struct FormLimits {
  // Bytes of everything before the file part's data (preamble, field headers and values).
  uint64_t max_pre_data = 64 * 1024;
  // Bytes after the file part (ignored fields, the closing delimiter, an epilogue).
  uint64_t max_trailing = 64 * 1024;
};

// What the parser found wrong. kTooLarge: the fields before the file exceed max_pre_data;
// kMalformed: not multipart/form-data as RFC 7578 writes it (a part without a
// Content-Disposition form-data name, a header line without ':', a missing delimiter, bytes
// past max_trailing); kNoFile: the body ended without a part named "file";
// kTruncated: the body ended inside the file part.
enum class FormError : uint8_t { kTooLarge, kMalformed, kNoFile, kTruncated };

struct FormFailure {
  FormError error;
  std::string message;
};

// The boundary of a Content-Type "multipart/form-data; boundary=..." (type case-insensitive,
// the boundary quoted or not). nullopt for another type, or a boundary RFC 2046 does not allow
// (1 to 70 characters of its bchars, not ending in a space).
std::optional<std::string> FormBoundary(std::string_view content_type);

class FormParser {
 public:
  struct Callbacks {
    // A field before the file: its name as sent and its whole value. An error stops parsing.
    std::function<std::optional<FormFailure>(std::string_view name, std::string_view value)>
        on_field;
    // The file part begins: its filename parameter ("" when none) and Content-Type ("" when
    // none). Called once. An error stops parsing.
    std::function<std::optional<FormFailure>(std::string_view filename,
                                             std::string_view content_type)>
        on_file_start;
    // The next bytes of the file (never empty). An error stops parsing.
    std::function<std::optional<FormFailure>(std::string_view data)> on_file_data;
  };

  FormParser(std::string boundary, FormLimits limits, Callbacks callbacks);
  ~FormParser();
  FormParser(const FormParser&) = delete;
  FormParser& operator=(const FormParser&) = delete;

  // The next body bytes. After the first failure, every call returns it again.
  std::optional<FormFailure> Feed(std::string_view data);
  // The body ended: nullopt when the file part was complete (its closing delimiter seen);
  // kNoFile or kTruncated (or an earlier failure) otherwise.
  std::optional<FormFailure> Finish();
  // True once the file part's closing delimiter was seen.
  bool file_complete() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace maxiofs::s3
