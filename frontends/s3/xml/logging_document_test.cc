// The BucketLoggingStatus document: what S3 accepts and refuses, and the answer's shape.
#include "xml/logging_document.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

std::string Doc(std::string_view inner) {
  return "<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">" +
         std::string(inner) + "</BucketLoggingStatus>";
}

S3ErrorCode ErrorOf(std::string_view body) {
  auto r = ParseBucketLoggingStatus(body);
  EXPECT_FALSE(r.has_value()) << body;
  return r.has_value() ? S3ErrorCode::kInternalError : r.error().code;
}

TEST(LoggingDocumentTest, EmptyStatusTurnsLoggingOff) {
  auto r = ParseBucketLoggingStatus(Doc(""));
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r.value().has_value());
  auto self_closed = ParseBucketLoggingStatus(
      "<BucketLoggingStatus xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
  ASSERT_TRUE(self_closed.has_value());
  EXPECT_FALSE(self_closed.value().has_value());
}

TEST(LoggingDocumentTest, ParsesEveryField) {
  auto r = ParseBucketLoggingStatus(
      Doc("<LoggingEnabled><TargetBucket>logs</TargetBucket><TargetPrefix>a b/</TargetPrefix>"
          "<TargetGrants><Grant><Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
          "xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee>"
          "<Permission>READ</Permission></Grant></TargetGrants>"
          "<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>DeliveryTime"
          "</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled>"));
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_TRUE(r.value().has_value());
  const engine::BucketLoggingConfig& c = *r.value();
  EXPECT_EQ(c.target_bucket, "logs");
  EXPECT_EQ(c.target_prefix, "a b/");
  ASSERT_EQ(c.target_grants.size(), 1u);
  EXPECT_EQ(c.target_grants[0].type, engine::AclGrant::GranteeType::kGroup);
  EXPECT_EQ(c.target_grants[0].permission, engine::AclPermission::kRead);
  EXPECT_EQ(c.key_format, engine::LogKeyFormat::kPartitionedPrefix);
  EXPECT_EQ(c.date_source, engine::LogPartitionDateSource::kDeliveryTime);
  // The answer gives the same back.
  auto again = ParseBucketLoggingStatus(BucketLoggingStatusXml(c));
  ASSERT_TRUE(again.has_value() && again.value().has_value());
  EXPECT_EQ(*again.value(), c);
}

TEST(LoggingDocumentTest, RefusesWhatS3Refuses) {
  EXPECT_EQ(ErrorOf(""), S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf("<LoggingStatus/>"), S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf(Doc("<LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled>")),
            S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf(Doc("<LoggingEnabled><TargetBucket>b</TargetBucket></LoggingEnabled>")),
            S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf(Doc("<LoggingEnabled><TargetBucket>b</TargetBucket><TargetBucket>c"
                        "</TargetBucket><TargetPrefix/></LoggingEnabled>")),
            S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf(Doc("<LoggingEnabled><TargetBucket>b</TargetBucket><TargetPrefix/>"
                        "<LoggingType>Journal</LoggingType></LoggingEnabled>")),
            S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf(Doc("<LoggingEnabled><TargetBucket>b</TargetBucket><TargetPrefix/>"
                        "<TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>kaboom"
                        "</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat>"
                        "</LoggingEnabled>")),
            S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf(Doc("<LoggingEnabled><TargetBucket>b</TargetBucket><TargetPrefix/>"
                        "<TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix/>"
                        "</TargetObjectKeyFormat></LoggingEnabled>")),
            S3ErrorCode::kMalformedXML);
  EXPECT_EQ(ErrorOf(Doc("<LoggingEnabled><TargetBucket>b</TargetBucket><TargetPrefix/>"
                        "<TargetGrants><Grant><Grantee><ID>x</ID></Grantee><Permission>"
                        "WRITE_ACP</Permission></Grant></TargetGrants></LoggingEnabled>")),
            S3ErrorCode::kMalformedXML);
}

TEST(LoggingDocumentTest, AnswerGivesTheDefaultKeyFormat) {
  engine::BucketLoggingConfig c;
  c.target_bucket = "logs";
  c.target_prefix = "p/";
  const std::string xml = BucketLoggingStatusXml(c);
  EXPECT_NE(xml.find("<TargetObjectKeyFormat><SimplePrefix></SimplePrefix>"), std::string::npos)
      << xml;
  EXPECT_EQ(BucketLoggingStatusXml(std::nullopt).find("LoggingEnabled"), std::string::npos);
}

}  // namespace
}  // namespace maxiofs::s3
