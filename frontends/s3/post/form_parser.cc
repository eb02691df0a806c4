#include "post/form_parser.h"

#include <algorithm>
#include <functional>
#include <vector>

namespace maxiofs::s3 {
namespace {

constexpr std::string_view kCrlf = "\r\n";

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 2046 bchars (without the space, allowed only inside).
bool IsBchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
}

// One "; name=value" parameter list (value a token or a quoted string; backslashes are kept as
// they are, as browsers send them: WHATWG escapes '"', CR and LF as %22, %0D, %0A instead).
// False when malformed.
bool ParseParameters(std::string_view s, std::vector<std::pair<std::string, std::string>>& out) {
  while (true) {
    s = Trim(s);
    if (s.empty()) return true;
    if (s.front() != ';') return false;
    s = Trim(s.substr(1));
    if (s.empty()) return true;  // a trailing ';'
    size_t eq = s.find('=');
    if (eq == std::string_view::npos) return false;
    std::string name = ToLower(Trim(s.substr(0, eq)));
    if (name.empty()) return false;
    s = Trim(s.substr(eq + 1));
    std::string value;
    if (!s.empty() && s.front() == '"') {
      size_t close = s.find('"', 1);
      if (close == std::string_view::npos) return false;
      value = std::string(s.substr(1, close - 1));
      s = s.substr(close + 1);
    } else {
      size_t end = s.find(';');
      value = std::string(Trim(s.substr(0, end)));
      s = end == std::string_view::npos ? std::string_view() : s.substr(end);
    }
    out.emplace_back(std::move(name), std::move(value));
  }
}

}  // namespace

std::optional<std::string> FormBoundary(std::string_view content_type) {
  size_t semi = content_type.find(';');
  if (ToLower(Trim(content_type.substr(0, semi))) != "multipart/form-data") return std::nullopt;
  if (semi == std::string_view::npos) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> params;
  if (!ParseParameters(content_type.substr(semi), params)) return std::nullopt;
  for (const auto& [name, value] : params) {
    if (name != "boundary") continue;
    if (value.empty() || value.size() > 70 || value.back() == ' ') return std::nullopt;
    if (!std::all_of(value.begin(), value.end(), IsBchar)) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

struct FormParser::State {
  enum class Phase : uint8_t {
    kPreamble,    // before the first delimiter
    kAfterDelim,  // a delimiter was read: "--" (the end) or LWSP CRLF (a part) follows
    kHeaders,     // a part's header lines
    kFieldValue,  // a field's value, up to the next delimiter
    kFile,        // the file's bytes, up to the next delimiter
    kTrailing,    // after the file: read and ignored
  };

  State(std::string b, FormLimits l, Callbacks c)
      : delim("\r\n--" + b),
        searcher(delim.begin(), delim.end()),
        limits(l),
        callbacks(std::move(c)) {
    // The first delimiter has no CRLF before it: pretend it had, so one search finds them all.
    buf = kCrlf;
  }

  std::optional<FormFailure> Fail(FormError e, std::string message) {
    failure = FormFailure{e, std::move(message)};
    return failure;
  }

  size_t FindDelim() const {
    auto it = std::search(buf.begin(), buf.end(), searcher);
    return it == buf.end() ? std::string::npos : static_cast<size_t>(it - buf.begin());
  }

  // Consumes n bytes of buf before the file.
  void ConsumePre(size_t n) {
    pre_bytes += n;
    buf.erase(0, n);
  }

  // Fields (or headers) waiting for more bytes: refuse when they could only end past the limit.
  std::optional<FormFailure> CheckPending() {
    if (pre_bytes + buf.size() > limits.max_pre_data + delim.size() + 2) {
      return Fail(FormError::kTooLarge,
                  "Your POST request fields preceding the upload file were too large.");
    }
    return std::nullopt;
  }

  std::optional<FormFailure> ParseHeaders(std::string_view block) {
    std::string name;
    bool has_disposition = false;
    std::string filename;
    std::string content_type;
    while (!block.empty()) {
      size_t eol = block.find(kCrlf);
      std::string_view line = block.substr(0, eol);
      block = eol == std::string_view::npos ? std::string_view() : block.substr(eol + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' ||
          line.front() == '\t') {
        return Fail(FormError::kMalformed, "A part's header line is not \"Name: value\".");
      }
      std::string header = ToLower(line.substr(0, colon));
      std::string_view value = Trim(line.substr(colon + 1));
      if (header == "content-disposition") {
        if (has_disposition) {
          return Fail(FormError::kMalformed, "A part has two Content-Disposition headers.");
        }
        has_disposition = true;
        size_t semi = value.find(';');
        if (ToLower(Trim(value.substr(0, semi))) != "form-data") {
          return Fail(FormError::kMalformed, "A part's Content-Disposition is not form-data.");
        }
        std::vector<std::pair<std::string, std::string>> params;
        if (semi == std::string_view::npos || !ParseParameters(value.substr(semi), params)) {
          return Fail(FormError::kMalformed, "A part's Content-Disposition has no name.");
        }
        bool has_name = false;
        for (auto& [k, v] : params) {
          if (k == "name") {
            has_name = true;
            name = std::move(v);
          } else if (k == "filename") {
            filename = std::move(v);
          }
        }
        if (!has_name || name.empty()) {
          return Fail(FormError::kMalformed, "A part's Content-Disposition has no name.");
        }
      } else if (header == "content-type") {
        content_type = std::string(value);
      }
    }
    if (!has_disposition) {
      return Fail(FormError::kMalformed, "A part has no Content-Disposition header.");
    }
    if (ToLower(name) == "file") {
      phase = Phase::kFile;
      file_seen = true;
      if (callbacks.on_file_start) {
        if (auto f = callbacks.on_file_start(filename, content_type))
          return Fail(f->error, f->message);
      }
    } else {
      phase = Phase::kFieldValue;
      field_name = std::move(name);
    }
    return std::nullopt;
  }

  // Makes as much progress as buf allows.
  std::optional<FormFailure> Run() {
    while (true) {
      switch (phase) {
        case Phase::kPreamble: {
          size_t pos = FindDelim();
          if (pos == std::string::npos) {
            // Keep what could be the start of a delimiter.
            if (buf.size() >= delim.size()) ConsumePre(buf.size() - (delim.size() - 1));
            return CheckPending();
          }
          ConsumePre(pos + delim.size());
          phase = Phase::kAfterDelim;
          break;
        }
        case Phase::kAfterDelim: {
          size_t i = 0;
          if (buf.size() >= 2 && buf.compare(0, 2, "--") == 0) {
            // The close delimiter, and no file part before it.
            return Fail(FormError::kNoFile, "POST requires exactly one file upload per request.");
          }
          while (i < buf.size() && (buf[i] == ' ' || buf[i] == '\t')) ++i;
          if (buf.size() < i + 2) return CheckPending();
          if (buf.compare(i, 2, kCrlf) != 0) {
            return Fail(FormError::kMalformed, "A multipart delimiter is not followed by CRLF.");
          }
          ConsumePre(i + 2);
          phase = Phase::kHeaders;
          break;
        }
        case Phase::kHeaders: {
          std::string_view b = buf;
          size_t end = b.starts_with(kCrlf) ? 0 : b.find("\r\n\r\n");
          if (end == std::string_view::npos) return CheckPending();
          // The limit holds however the body was split: a header block that arrived whole is
          // measured as one still arriving would be.
          if (pre_bytes + end > limits.max_pre_data) {
            return Fail(FormError::kTooLarge,
                        "Your POST request fields preceding the upload file were too large.");
          }
          std::string block(b.substr(0, end));
          ConsumePre(end == 0 ? 2 : end + 4);
          if (auto f = ParseHeaders(block)) return f;
          break;
        }
        case Phase::kFieldValue: {
          size_t pos = FindDelim();
          if (pos == std::string::npos) return CheckPending();
          if (pre_bytes + pos > limits.max_pre_data) {
            return Fail(FormError::kTooLarge,
                        "Your POST request fields preceding the upload file were too large.");
          }
          if (callbacks.on_field) {
            if (auto f = callbacks.on_field(field_name, std::string_view(buf).substr(0, pos))) {
              return Fail(f->error, f->message);
            }
          }
          ConsumePre(pos + delim.size());
          phase = Phase::kAfterDelim;
          break;
        }
        case Phase::kFile: {
          size_t pos = FindDelim();
          size_t emit = pos;
          if (pos == std::string::npos) {
            emit = buf.size() >= delim.size() ? buf.size() - (delim.size() - 1) : 0;
          }
          if (emit > 0 && callbacks.on_file_data) {
            if (auto f = callbacks.on_file_data(std::string_view(buf).substr(0, emit))) {
              return Fail(f->error, f->message);
            }
          }
          if (pos == std::string::npos) {
            buf.erase(0, emit);
            return std::nullopt;
          }
          buf.erase(0, pos + delim.size());
          file_complete = true;
          phase = Phase::kTrailing;
          break;
        }
        case Phase::kTrailing: {
          trailing += buf.size();
          buf.clear();
          if (trailing > limits.max_trailing) {
            return Fail(FormError::kMalformed,
                        "The POST request has too many bytes after the file field.");
          }
          return std::nullopt;
        }
      }
    }
  }

  const std::string delim;
  const std::boyer_moore_horspool_searcher<std::string::const_iterator> searcher;
  const FormLimits limits;
  Callbacks callbacks;
  Phase phase = Phase::kPreamble;
  std::string buf;
  std::string field_name;
  uint64_t pre_bytes = 0;  // bytes consumed before the file (the 2 of the pretended CRLF too)
  uint64_t trailing = 0;
  bool file_seen = false;
  bool file_complete = false;
  std::optional<FormFailure> failure;
};

FormParser::FormParser(std::string boundary, FormLimits limits, Callbacks callbacks)
    : state_(std::make_unique<State>(std::move(boundary), limits, std::move(callbacks))) {}

FormParser::~FormParser() = default;

std::optional<FormFailure> FormParser::Feed(std::string_view data) {
  if (state_->failure) return state_->failure;
  if (state_->phase == State::Phase::kTrailing) {
    state_->trailing += data.size();
    if (state_->trailing > state_->limits.max_trailing) {
      return state_->Fail(FormError::kMalformed,
                          "The POST request has too many bytes after the file field.");
    }
    return std::nullopt;
  }
  state_->buf.append(data);
  return state_->Run();
}

std::optional<FormFailure> FormParser::Finish() {
  if (state_->failure) return state_->failure;
  if (state_->file_complete) return std::nullopt;
  if (state_->phase == State::Phase::kFile) {
    return state_->Fail(FormError::kTruncated, "The POST request body ended inside the file.");
  }
  if (state_->phase == State::Phase::kPreamble) {
    return state_->Fail(FormError::kMalformed,
                        "The body of your POST request is not well-formed multipart/form-data.");
  }
  return state_->Fail(FormError::kNoFile, "POST requires exactly one file upload per request.");
}

bool FormParser::file_complete() const { return state_->file_complete; }

}  // namespace maxiofs::s3
