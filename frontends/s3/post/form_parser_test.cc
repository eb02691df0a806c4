// The multipart/form-data parser: the same events whatever the chunking (every split of small
// bodies, random splits of large ones), the boundary found across chunk edges, and hostile
// bodies refused within the limits with memory bounded.
#include "post/form_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace maxiofs::s3 {
namespace {

struct Events {
  std::vector<std::pair<std::string, std::string>> fields;
  std::string filename;
  std::string file_type;
  std::string file;
  int file_starts = 0;
  size_t largest_data = 0;
  std::optional<FormFailure> failure;
};

FormParser::Callbacks Record(Events& e) {
  return FormParser::Callbacks{
      [&e](std::string_view name, std::string_view value) -> std::optional<FormFailure> {
        e.fields.emplace_back(name, value);
        return std::nullopt;
      },
      [&e](std::string_view filename, std::string_view type) -> std::optional<FormFailure> {
        ++e.file_starts;
        e.filename = filename;
        e.file_type = type;
        return std::nullopt;
      },
      [&e](std::string_view data) -> std::optional<FormFailure> {
        EXPECT_FALSE(data.empty());
        e.largest_data = std::max(e.largest_data, data.size());
        e.file.append(data);
        return std::nullopt;
      }};
}

// Feeds `body` in pieces of the given sizes (cycled), then finishes.
Events Parse(const std::string& body, const std::vector<size_t>& pieces,
             const std::string& boundary = "XyZ", FormLimits limits = {}) {
  Events e;
  FormParser p(boundary, limits, Record(e));
  size_t pos = 0;
  size_t i = 0;
  while (pos < body.size()) {
    size_t n = std::min(pieces[i++ % pieces.size()], body.size() - pos);
    if (auto f = p.Feed(std::string_view(body).substr(pos, n))) {
      e.failure = f;
      return e;
    }
    pos += n;
  }
  e.failure = p.Finish();
  return e;
}

std::string Field(const std::string& name, const std::string& value,
                  const std::string& boundary = "XyZ") {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" +
         value + "\r\n";
}

std::string FilePart(const std::string& data, const std::string& boundary = "XyZ",
                     const std::string& filename = "photo.jpg") {
  return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
         filename + "\"\r\nContent-Type: image/jpeg\r\n\r\n" + data + "\r\n--" + boundary +
         "--\r\n";
}

TEST(FormBoundaryTest, ParsesTheContentType) {
  EXPECT_EQ(FormBoundary("multipart/form-data; boundary=abc"), "abc");
  EXPECT_EQ(FormBoundary("Multipart/Form-Data;boundary=\"a b:c\""), "a b:c");
  EXPECT_EQ(FormBoundary("multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundary7M"),
            "----WebKitFormBoundary7M");
  EXPECT_FALSE(FormBoundary("multipart/form-data"));
  EXPECT_FALSE(FormBoundary("multipart/form-data; boundary="));
  EXPECT_FALSE(FormBoundary("multipart/mixed; boundary=abc"));
  EXPECT_FALSE(FormBoundary("multipart/form-data; boundary=" + std::string(71, 'a')));
  EXPECT_FALSE(FormBoundary("multipart/form-data; boundary=\"abc \""));
  EXPECT_FALSE(FormBoundary("multipart/form-data; boundary=a\rb"));
}

TEST(FormParserTest, SameEventsForEveryChunking) {
  // Near misses of the delimiter "\r\n--XyZ": the data may hold anything but the delimiter.
  const std::string data = "line one--XyZ\r\n--XyY\r\n-XyZ\n--XyZ\r-\r\n--Xy";
  const std::string body = "preamble to ignore\r\n" + Field("key", "user/${filename}") +
                           Field("Content-Type", "image/jpeg") + Field("empty", "") +
                           FilePart(data) + "epilogue";
  for (size_t n = 1; n <= body.size(); ++n) {
    Events e = Parse(body, {n});
    ASSERT_FALSE(e.failure) << n << ": " << e.failure->message;
    ASSERT_EQ(e.fields.size(), 3u) << n;
    EXPECT_EQ(e.fields[0], (std::pair<std::string, std::string>{"key", "user/${filename}"}));
    EXPECT_EQ(e.fields[1].first, "Content-Type");
    EXPECT_EQ(e.fields[2], (std::pair<std::string, std::string>{"empty", ""}));
    EXPECT_EQ(e.file_starts, 1);
    EXPECT_EQ(e.filename, "photo.jpg");
    EXPECT_EQ(e.file_type, "image/jpeg");
    EXPECT_EQ(e.file, data) << n;
  }
}

TEST(FormParserTest, LargeFileStreamsInBoundedPieces) {
  std::mt19937 rng(7);
  std::string data(3 * 1024 * 1024 + 17, '\0');
  for (char& c : data) c = static_cast<char>(rng());
  // Near-delimiters inside the data.
  data.replace(1000, 7, "\r\n--XyY");
  data.replace(2000, 6, "\r\n--Xy");
  const std::string body = Field("key", "k") + FilePart(data);
  for (int round = 0; round < 5; ++round) {
    std::vector<size_t> pieces;
    for (int i = 0; i < 50; ++i) pieces.push_back(1 + rng() % (300 * 1024));
    Events e = Parse(body, pieces);
    ASSERT_FALSE(e.failure) << e.failure->message;
    EXPECT_EQ(e.file.size(), data.size());
    EXPECT_TRUE(e.file == data);
    EXPECT_LE(e.largest_data, 300u * 1024);  // never more than one chunk at a time
  }
}

TEST(FormParserTest, FileFirstAndFieldsAfterIt) {
  // A file part before the policy: the fields after it are never seen (S3: file last).
  Events e = Parse("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\ndata\r\n" +
                       Field("policy", "late") + "--XyZ--\r\n",
                   {5});
  ASSERT_FALSE(e.failure);
  EXPECT_TRUE(e.fields.empty());
  EXPECT_EQ(e.file, "data");
}

TEST(FormParserTest, MissingFileAndTruncatedBodies) {
  Events none = Parse(Field("key", "k") + "--XyZ--\r\n", {3});
  ASSERT_TRUE(none.failure);
  EXPECT_EQ(none.failure->error, FormError::kNoFile);
  Events only_fields = Parse(Field("key", "k"), {3});
  ASSERT_TRUE(only_fields.failure);
  EXPECT_EQ(only_fields.failure->error, FormError::kNoFile);

  std::string body = Field("key", "k") + FilePart("0123456789");
  Events cut = Parse(body.substr(0, body.size() - 12), {4});
  ASSERT_TRUE(cut.failure);
  EXPECT_EQ(cut.failure->error, FormError::kTruncated);

  Events empty = Parse("", {1});
  ASSERT_TRUE(empty.failure);
  EXPECT_EQ(empty.failure->error, FormError::kMalformed);
  Events garbage = Parse(std::string(1000, 'x'), {100});
  ASSERT_TRUE(garbage.failure);
  EXPECT_EQ(garbage.failure->error, FormError::kMalformed);
}

TEST(FormParserTest, MalformedParts) {
  auto error_of = [](const std::string& body) {
    Events e = Parse(body, {1000});
    return e.failure ? std::optional<FormError>(e.failure->error) : std::nullopt;
  };
  EXPECT_EQ(error_of("--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--"),
            FormError::kMalformed);  // no Content-Disposition
  EXPECT_EQ(error_of("--XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--XyZ--"),
            FormError::kMalformed);
  EXPECT_EQ(error_of("--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--"),
            FormError::kMalformed);  // no name
  EXPECT_EQ(error_of("--XyZ\r\nContent-Disposition form-data; name=a\r\n\r\nv\r\n--XyZ--"),
            FormError::kMalformed);  // no colon
  EXPECT_EQ(error_of("--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--"),
            FormError::kMalformed);  // unterminated quote
  EXPECT_EQ(error_of("--XyZgarbage\r\n"), FormError::kMalformed);
  // Transport padding after a delimiter is allowed; an unquoted name too.
  Events padded = Parse(
      "--XyZ  \r\nContent-Disposition: form-data; name=key\r\n\r\nk\r\n" + FilePart("d"), {2});
  ASSERT_FALSE(padded.failure) << padded.failure->message;
  EXPECT_EQ(padded.fields[0].second, "k");
}

TEST(FormParserTest, LimitsBoundMemory) {
  FormLimits limits;
  limits.max_pre_data = 4096;
  limits.max_trailing = 1024;
  // A field of 100 MiB is refused after about max_pre_data bytes, whatever the chunking.
  for (size_t piece : {1000u, 65536u}) {
    Events e;
    FormParser p("XyZ", limits, Record(e));
    std::string head = "--XyZ\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\n";
    std::optional<FormFailure> f = p.Feed(head);
    std::string chunk(piece, 'a');
    uint64_t fed = head.size();
    while (!f && fed < (100u << 20)) {
      f = p.Feed(chunk);
      fed += chunk.size();
    }
    ASSERT_TRUE(f);
    EXPECT_EQ(f->error, FormError::kTooLarge);
    EXPECT_LT(fed, 4096u + 2 * piece + 100);
  }
  // Many small fields add up.
  std::string many;
  for (int i = 0; i < 200; ++i) many += Field("f" + std::to_string(i), std::string(30, 'v'));
  Events e = Parse(many + FilePart("x"), {512}, "XyZ", limits);
  ASSERT_TRUE(e.failure);
  EXPECT_EQ(e.failure->error, FormError::kTooLarge);
  // A huge preamble, and a huge header block.
  EXPECT_EQ(Parse(std::string(10000, 'p') + FilePart("x"), {700}, "XyZ", limits).failure->error,
            FormError::kTooLarge);
  EXPECT_EQ(Parse("--XyZ\r\nX-Pad: " + std::string(10000, 'h') + "\r\n", {700}, "XyZ", limits)
                .failure->error,
            FormError::kTooLarge);
  // Past the file, at most max_trailing bytes are read.
  Events trailing =
      Parse(Field("key", "k") + FilePart("d") + std::string(5000, 't'), {512}, "XyZ", limits);
  ASSERT_TRUE(trailing.failure);
  EXPECT_EQ(trailing.failure->error, FormError::kMalformed);
}

// Found by fuzz/post_form_fuzz: a header block over the limit was refused when it arrived in
// pieces but accepted when it arrived in one chunk (the limit was checked only while waiting).
TEST(FormParserTest, HeaderBlockLimitHoldsForEveryChunking) {
  FormLimits limits;
  limits.max_pre_data = 4096;
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\nX-Pad: " + std::string(6000, 'h') +
      "\r\n\r\ndata\r\n--XyZ--\r\n";
  for (size_t piece : {7u, 700u, 1u << 20}) {
    Events e = Parse(body, {piece}, "XyZ", limits);
    ASSERT_TRUE(e.failure) << piece;
    EXPECT_EQ(e.failure->error, FormError::kTooLarge) << piece;
    EXPECT_EQ(e.file_starts, 0) << piece;
  }
  // Just under the limit, the same part is accepted however it is split.
  const std::string small =
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\nX-Pad: " + std::string(3000, 'h') +
      "\r\n\r\ndata\r\n--XyZ--\r\n";
  for (size_t piece : {7u, 700u, 1u << 20}) {
    Events e = Parse(small, {piece}, "XyZ", limits);
    EXPECT_FALSE(e.failure) << piece;
    EXPECT_EQ(e.file, "data") << piece;
  }
}

TEST(FormParserTest, CallbackErrorsStopParsing) {
  Events e;
  FormParser::Callbacks c = Record(e);
  c.on_file_start = [](std::string_view, std::string_view) -> std::optional<FormFailure> {
    return FormFailure{FormError::kMalformed, "denied"};
  };
  FormParser p("XyZ", {}, c);
  auto f = p.Feed(Field("key", "k") + FilePart("data"));
  ASSERT_TRUE(f);
  EXPECT_EQ(f->message, "denied");
  EXPECT_TRUE(e.file.empty());
  EXPECT_EQ(p.Feed("more")->message, "denied");  // stays failed
  EXPECT_EQ(p.Finish()->message, "denied");
}

}  // namespace
}  // namespace maxiofs::s3
