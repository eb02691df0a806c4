// Tagging handlers against a real engine (see handlers_test_fixture.h): ?tagging on objects and
// buckets, x-amz-tagging on writes, x-amz-tagging-count, and the errors of each.
#include "handlers/handlers_test_fixture.h"
#include "xml/tagging_document.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

using test_support::HandlersTest;

std::string Doc(std::initializer_list<std::pair<std::string, std::string>> tags) {
  std::string out = "<Tagging><TagSet>";
  for (const auto& [k, v] : tags) out += "<Tag><Key>" + k + "</Key><Value>" + v + "</Value></Tag>";
  return out + "</TagSet></Tagging>";
}

engine::TagSet Tags(const std::string& xml) {
  auto t = ParseTaggingDocument(xml);
  EXPECT_TRUE(t.has_value());
  return t.has_value() ? t.value() : engine::TagSet{};
}

class TaggingHandlersTest : public HandlersTest {};

TEST_F(TaggingHandlersTest, ObjectTaggingRoundTrip) {
  MakeBucket("tagb");
  ASSERT_EQ(Run("PUT", "/tagb/k", {}, "data").status, 200);
  auto empty = Run("GET", "/tagb/k?tagging");
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(Tags(empty.body).empty());
  EXPECT_NE(empty.body.find("<TagSet></TagSet>"), std::string::npos) << empty.body;
  EXPECT_FALSE(Run("HEAD", "/tagb/k").HasHeader("x-amz-tagging-count"));

  const std::string doc = Doc({{"Hello", "World"}, {"a &amp; b", "&lt;x&gt;"}, {"e", ""}});
  auto put = Run("PUT", "/tagb/k?tagging", {{"content-md5", ContentMd5(doc)}}, doc);
  EXPECT_EQ(put.status, 200) << put.body;
  auto got = Run("GET", "/tagb/k?tagging");
  ASSERT_EQ(got.status, 200);
  engine::TagSet want = {{"Hello", "World"}, {"a & b", "<x>"}, {"e", ""}};
  EXPECT_EQ(Tags(got.body), want);
  EXPECT_EQ(Run("HEAD", "/tagb/k").Header("x-amz-tagging-count"), "3");
  EXPECT_EQ(Run("GET", "/tagb/k").Header("x-amz-tagging-count"), "3");
  EXPECT_EQ(Run("GET", "/tagb/k").body, "data");

  auto del = Run("DELETE", "/tagb/k?tagging");
  EXPECT_EQ(del.status, 204);
  EXPECT_TRUE(Tags(Run("GET", "/tagb/k?tagging").body).empty());
  // The object is still there.
  EXPECT_EQ(Run("GET", "/tagb/k").body, "data");
}

TEST_F(TaggingHandlersTest, ObjectTaggingErrorsChangeNothing) {
  MakeBucket("tagb");
  ASSERT_EQ(Run("PUT", "/tagb/k", {{"x-amz-tagging", "keep=1"}}, "data").status, 200);
  std::string eleven = "<Tagging><TagSet>";
  for (int i = 0; i < 11; ++i) {
    eleven += "<Tag><Key>" + std::to_string(i) + "</Key><Value>v</Value></Tag>";
  }
  eleven += "</TagSet></Tagging>";
  struct Case {
    std::string body;
    HeaderList headers;
    std::string code;
  };
  const Case cases[] = {
      {eleven, {}, "InvalidTag"},
      {Doc({{std::string(129, 'k'), "v"}}), {}, "InvalidTag"},
      {Doc({{"k", std::string(257, 'v')}}), {}, "InvalidTag"},
      {Doc({{"d", "1"}, {"d", "2"}}), {}, "InvalidTag"},
      {Doc({{"aws:x", "1"}}), {}, "InvalidTag"},
      {"<Tagging><TagSet><Tag><Key>k</Key></Tag></TagSet></Tagging>", {}, "MalformedXML"},
      {"<Tagging><TagSet><Tag><Key>k</Key><Key>j</Key><Value>v</Value></Tag></TagSet></Tagging>",
       {},
       "MalformedXML"},
      {"<Tagging></Tagging>", {}, "MalformedXML"},
      {"<Other><TagSet/></Other>", {}, "MalformedXML"},
      {"<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value>", {}, "MalformedXML"},
      {"<!DOCTYPE x [<!ENTITY a \"b\">]><Tagging><TagSet/></Tagging>", {}, "MalformedXML"},
      {"not xml at all", {}, "MalformedXML"},
      {Doc({{"k", "v"}}), {{"content-md5", "1B2M2Y8AsgTpgAmY7PhCfg=="}}, "BadDigest"},
      {std::string(300 * 1024, ' '), {}, "MalformedXML"},
  };
  for (const Case& c : cases) {
    auto r = Run("PUT", "/tagb/k?tagging", c.headers, c.body);
    EXPECT_EQ(r.Code(), c.code) << c.body.substr(0, 120);
    EXPECT_EQ(r.status, 400);
  }
  EXPECT_EQ(Run("PUT", "/tagb/k?tagging").Code(), "MissingRequestBodyError");
  EXPECT_EQ(Tags(Run("GET", "/tagb/k?tagging").body), (engine::TagSet{{"keep", "1"}}));
  EXPECT_EQ(Run("GET", "/tagb/nope?tagging").Code(), "NoSuchKey");
  EXPECT_EQ(Run("PUT", "/tagb/nope?tagging", {}, Doc({{"a", "b"}})).Code(), "NoSuchKey");
  EXPECT_EQ(Run("DELETE", "/tagb/nope?tagging").Code(), "NoSuchKey");
  EXPECT_EQ(Run("GET", "/nob/k?tagging").Code(), "NoSuchBucket");
  EXPECT_EQ(Run("GET", "/tagb/k?tagging&versionId=").Code(), "InvalidArgument");
  EXPECT_EQ(Run("POST", "/tagb/k?tagging").status, 405);
}

TEST_F(TaggingHandlersTest, VersionedTagging) {
  MakeBucket("verb");
  ASSERT_EQ(Run("PUT", "/verb?versioning", {},
                "<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>")
                .status,
            200);
  auto v1 = Run("PUT", "/verb/k", {{"x-amz-tagging", "gen=1"}}, "one");
  auto v2 = Run("PUT", "/verb/k", {{"x-amz-tagging", "gen=2"}}, "two");
  const std::string id1 = v1.Header("x-amz-version-id");
  const std::string id2 = v2.Header("x-amz-version-id");
  ASSERT_FALSE(id1.empty());
  auto got = Run("GET", "/verb/k?tagging&versionId=" + id1);
  EXPECT_EQ(Tags(got.body), (engine::TagSet{{"gen", "1"}}));
  EXPECT_EQ(got.Header("x-amz-version-id"), id1);
  auto cur = Run("GET", "/verb/k?tagging");
  EXPECT_EQ(Tags(cur.body), (engine::TagSet{{"gen", "2"}}));
  EXPECT_EQ(cur.Header("x-amz-version-id"), id2);
  auto put = Run("PUT", "/verb/k?tagging&versionId=" + id1, {}, Doc({{"old", "y"}}));
  EXPECT_EQ(put.status, 200);
  EXPECT_EQ(put.Header("x-amz-version-id"), id1);
  EXPECT_EQ(Tags(Run("GET", "/verb/k?tagging&versionId=" + id1).body),
            (engine::TagSet{{"old", "y"}}));
  auto del = Run("DELETE", "/verb/k?tagging&versionId=" + id2);
  EXPECT_EQ(del.status, 204);
  EXPECT_EQ(del.Header("x-amz-version-id"), id2);
  EXPECT_FALSE(Run("HEAD", "/verb/k").HasHeader("x-amz-tagging-count"));
  EXPECT_EQ(Run("GET", "/verb/k?tagging&versionId=00000000000000000000000000000000").Code(),
            "NoSuchVersion");
  // A delete marker: the current object is gone; the marker itself has no tags.
  auto marker = Run("DELETE", "/verb/k");
  EXPECT_EQ(Run("GET", "/verb/k?tagging").Code(), "NoSuchKey");
  EXPECT_EQ(Run("GET", "/verb/k?tagging&versionId=" + marker.Header("x-amz-version-id")).status,
            405);
}

TEST_F(TaggingHandlersTest, TaggingHeaderOnWrites) {
  MakeBucket("tagb");
  auto put = Run("PUT", "/tagb/k", {{"x-amz-tagging", "foo=bar&bar&sp=a+b%26c&u=%C3%A9"}}, "x");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Tags(Run("GET", "/tagb/k?tagging").body),
            (engine::TagSet{{"foo", "bar"}, {"bar", ""}, {"sp", "a b&c"}, {"u", "\xc3\xa9"}}));
  EXPECT_EQ(Run("HEAD", "/tagb/k").Header("x-amz-tagging-count"), "4");
  // Refused headers store nothing.
  const std::pair<std::string, std::string> bad[] = {
      {"a=1&a=2", "InvalidArgument"}, {"a=%zz", "InvalidArgument"},
      {"aws:k=1", "InvalidTag"},      {"k=" + std::string(257, 'v'), "InvalidTag"},
      {"=v", "InvalidTag"},           {"0&1&2&3&4&5&6&7&8&9&10", "InvalidTag"},
  };
  for (const auto& [header, code] : bad) {
    EXPECT_EQ(Run("PUT", "/tagb/bad", {{"x-amz-tagging", header}}, "x").Code(), code) << header;
    EXPECT_EQ(Run("POST", "/tagb/bad?uploads", {{"x-amz-tagging", header}}).Code(), code) << header;
  }
  EXPECT_EQ(Run("HEAD", "/tagb/bad").status, 404);
  EXPECT_EQ(
      Run("PUT", "/tagb/bad", {{"x-amz-tagging", "a=1"}, {"x-amz-tagging", "b=1"}}, "x").Code(),
      "InvalidArgument");
  // An empty header means no tags.
  EXPECT_EQ(Run("PUT", "/tagb/e", {{"x-amz-tagging", ""}}, "x").status, 200);
  EXPECT_TRUE(Tags(Run("GET", "/tagb/e?tagging").body).empty());
}

TEST_F(TaggingHandlersTest, CopyTaggingDirective) {
  MakeBucket("tagb");
  ASSERT_EQ(Run("PUT", "/tagb/src", {{"x-amz-tagging", "s=1"}}, "x").status, 200);
  // COPY (the default) keeps the source's tags and ignores x-amz-tagging.
  ASSERT_EQ(
      Run("PUT", "/tagb/c1", {{"x-amz-copy-source", "/tagb/src"}, {"x-amz-tagging", "n=2"}}).status,
      200);
  EXPECT_EQ(Tags(Run("GET", "/tagb/c1?tagging").body), (engine::TagSet{{"s", "1"}}));
  ASSERT_EQ(Run("PUT", "/tagb/c2",
                {{"x-amz-copy-source", "/tagb/src"},
                 {"x-amz-tagging-directive", "REPLACE"},
                 {"x-amz-tagging", "n=2"}})
                .status,
            200);
  EXPECT_EQ(Tags(Run("GET", "/tagb/c2?tagging").body), (engine::TagSet{{"n", "2"}}));
  ASSERT_EQ(Run("PUT", "/tagb/c3",
                {{"x-amz-copy-source", "/tagb/src"}, {"x-amz-tagging-directive", "REPLACE"}})
                .status,
            200);
  EXPECT_TRUE(Tags(Run("GET", "/tagb/c3?tagging").body).empty());
  EXPECT_EQ(Run("PUT", "/tagb/c4",
                {{"x-amz-copy-source", "/tagb/src"}, {"x-amz-tagging-directive", "MOVE"}})
                .Code(),
            "InvalidArgument");
  EXPECT_EQ(Run("PUT", "/tagb/c4",
                {{"x-amz-copy-source", "/tagb/src"},
                 {"x-amz-tagging-directive", "REPLACE"},
                 {"x-amz-tagging", "aws:x=1"}})
                .Code(),
            "InvalidTag");
  EXPECT_EQ(Run("HEAD", "/tagb/c4").status, 404);
}

TEST_F(TaggingHandlersTest, MultipartTagsAtCompletion) {
  MakeBucket("tagb");
  auto init = Run("POST", "/tagb/mp?uploads", {{"x-amz-tagging", "Hello=World&foo=bar"}});
  ASSERT_EQ(init.status, 200);
  auto doc = ParseXml(init.body);
  ASSERT_TRUE(doc && doc->Child("UploadId"));
  const std::string id = doc->Child("UploadId")->text;
  auto part = Run("PUT", "/tagb/mp?partNumber=1&uploadId=" + id, {}, "x");
  ASSERT_EQ(part.status, 200);
  const std::string complete = "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>" +
                               part.Header("ETag") + "</ETag></Part></CompleteMultipartUpload>";
  ASSERT_EQ(Run("POST", "/tagb/mp?uploadId=" + id, {}, complete).status, 200);
  EXPECT_EQ(Tags(Run("GET", "/tagb/mp?tagging").body),
            (engine::TagSet{{"Hello", "World"}, {"foo", "bar"}}));
}

TEST_F(TaggingHandlersTest, BucketTagging) {
  MakeBucket("tagb");
  EXPECT_EQ(Run("GET", "/tagb?tagging").Code(), "NoSuchTagSet");
  EXPECT_EQ(Run("GET", "/tagb?tagging").status, 404);
  const std::string doc = Doc({{"team", "storage"}, {"env", "prod"}});
  EXPECT_EQ(Run("PUT", "/tagb?tagging", {{"content-md5", ContentMd5(doc)}}, doc).status, 204);
  auto got = Run("GET", "/tagb?tagging");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(Tags(got.body), (engine::TagSet{{"team", "storage"}, {"env", "prod"}}));
  EXPECT_EQ(Run("PUT", "/tagb?tagging", {}, Doc({{"aws:x", "1"}})).Code(), "InvalidTag");
  EXPECT_EQ(Run("PUT", "/tagb?tagging", {}, "<Tagging><TagSet></TagSet></Tagging>").Code(),
            "MalformedXML");
  EXPECT_EQ(Run("PUT", "/tagb?tagging").Code(), "MissingRequestBodyError");
  EXPECT_EQ(Tags(Run("GET", "/tagb?tagging").body).size(), 2u);
  EXPECT_EQ(Run("DELETE", "/tagb?tagging").status, 204);
  EXPECT_EQ(Run("GET", "/tagb?tagging").Code(), "NoSuchTagSet");
  EXPECT_EQ(Run("DELETE", "/tagb?tagging").status, 204);
  EXPECT_EQ(Run("GET", "/nob?tagging").Code(), "NoSuchBucket");
  EXPECT_EQ(Run("PUT", "/nob?tagging", {}, doc).Code(), "NoSuchBucket");
}

TEST(TaggingDocument, WriteThenParse) {
  engine::TagSet tags = {{"k<&>\"'", "v\x01"}, {"\xc3\xa9", ""}};
  auto back = ParseTaggingDocument(WriteTaggingDocument(tags));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back.value(), tags);
  // Whitespace inside Key/Value is kept; whitespace between elements is not a tag.
  auto spaced = ParseTaggingDocument(
      "<Tagging xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n <TagSet>\n  <Tag>"
      "<Key> k </Key><Value> v </Value></Tag>\n </TagSet>\n</Tagging>");
  ASSERT_TRUE(spaced.has_value());
  EXPECT_EQ(spaced.value(), (engine::TagSet{{" k ", " v "}}));
  // An unknown element among the tags is refused.
  EXPECT_FALSE(ParseTaggingDocument("<Tagging><TagSet><Foo/></TagSet></Tagging>").has_value());
  // Thousands of tags are refused by the parser, before any set is built.
  std::string many = "<Tagging><TagSet>";
  for (int i = 0; i < 1001; ++i) many += "<Tag><Key>k</Key><Value/></Tag>";
  many += "</TagSet></Tagging>";
  EXPECT_EQ(ParseTaggingDocument(many).error().code, S3ErrorCode::kMalformedXML);
}

TEST(TaggingHeader, Forms) {
  EXPECT_EQ(ParseTaggingHeader("").value(), engine::TagSet{});
  EXPECT_EQ(ParseTaggingHeader("a=1&&b").value(), (engine::TagSet{{"a", "1"}, {"b", ""}}));
  EXPECT_EQ(ParseTaggingHeader("k%3D=v%3D").value(), (engine::TagSet{{"k=", "v="}}));
  EXPECT_FALSE(ParseTaggingHeader("a=1&a=1").has_value());
  EXPECT_FALSE(ParseTaggingHeader("a=%").has_value());
}

}  // namespace
}  // namespace maxiofs::s3
