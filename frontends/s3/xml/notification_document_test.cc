// The NotificationConfiguration document: parsing S3's flattened lists (every kind, filters,
// S3's errors) and the answer written back.
#include "xml/notification_document.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace maxiofs::s3 {
namespace {

TEST(NotificationDocumentTest, ParsesEveryKindWithFilters) {
  auto c = ParseNotificationConfiguration(
      R"(<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
      R"(<QueueConfiguration><Id>q1</Id><Queue>arn:maxiofs:sqs::hook</Queue>)"
      R"(<Event>s3:ObjectCreated:*</Event><Event>s3:ObjectRemoved:Delete</Event>)"
      R"(<Filter><S3Key><FilterRule><Name>Prefix</Name><Value>img/</Value></FilterRule>)"
      R"(<FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule></S3Key></Filter>)"
      R"(</QueueConfiguration>)"
      R"(<TopicConfiguration><Topic>arn:maxiofs:sqs::t</Topic><Event>s3:ObjectTagging:*</Event>)"
      R"(</TopicConfiguration>)"
      R"(<CloudFunctionConfiguration><Id>f</Id><CloudFunction>arn:maxiofs:sqs::f</CloudFunction>)"
      R"(<Event>s3:LifecycleExpiration:*</Event></CloudFunctionConfiguration>)"
      R"(</NotificationConfiguration>)");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  ASSERT_EQ(c.value().rules.size(), 3u);
  EXPECT_EQ(c.value().rules[0].kind, engine::NotificationKind::kQueue);
  EXPECT_EQ(c.value().rules[0].id, "q1");
  EXPECT_EQ(c.value().rules[0].arn, "arn:maxiofs:sqs::hook");
  EXPECT_EQ(c.value().rules[0].events.size(), 2u);
  EXPECT_EQ(c.value().rules[0].prefix, "img/");
  EXPECT_EQ(c.value().rules[0].suffix, ".jpg");
  EXPECT_EQ(c.value().rules[1].kind, engine::NotificationKind::kTopic);
  EXPECT_EQ(c.value().rules[2].kind, engine::NotificationKind::kCloudFunction);

  const std::string xml = NotificationConfigurationXml(c.value());
  EXPECT_NE(xml.find("<QueueConfiguration><Id>q1</Id><Queue>arn:maxiofs:sqs::hook</Queue>"),
            std::string::npos);
  EXPECT_NE(xml.find("<FilterRule><Name>suffix</Name><Value>.jpg</Value></FilterRule>"),
            std::string::npos);
  auto back = ParseNotificationConfiguration(xml);
  ASSERT_TRUE(back.has_value());
  // Written grouped by kind (Topic, Queue, CloudFunction, as S3 answers): the same rules.
  ASSERT_EQ(back.value().rules.size(), 3u);
  for (const engine::NotificationRule& r : c.value().rules) {
    EXPECT_NE(std::find(back.value().rules.begin(), back.value().rules.end(), r),
              back.value().rules.end())
        << r.arn;
  }

  auto empty = ParseNotificationConfiguration("<NotificationConfiguration/>");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty.value().rules.empty());
}

TEST(NotificationDocumentTest, RefusesWhatS3Refuses) {
  auto code = [](std::string_view body) {
    auto c = ParseNotificationConfiguration(body);
    return c.has_value() ? S3ErrorCode::kInternalError : c.error().code;
  };
  EXPECT_EQ(code("<Other/>"), S3ErrorCode::kMalformedXML);
  EXPECT_EQ(code("<NotificationConfiguration><QueueConfiguration><Event>s3:ObjectCreated:*"
                 "</Event></QueueConfiguration></NotificationConfiguration>"),
            S3ErrorCode::kMalformedXML);  // no Queue
  EXPECT_EQ(code("<NotificationConfiguration><QueueConfiguration><Queue>a</Queue>"
                 "</QueueConfiguration></NotificationConfiguration>"),
            S3ErrorCode::kMalformedXML);  // no Event
  EXPECT_EQ(code("<NotificationConfiguration><QueueConfiguration><Queue>a</Queue><Event>e"
                 "</Event><Filter><S3Key><FilterRule><Name>middle</Name><Value>x</Value>"
                 "</FilterRule></S3Key></Filter></QueueConfiguration></NotificationConfiguration>"),
            S3ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("<NotificationConfiguration><QueueConfiguration><Queue>a</Queue><Event>e"
                 "</Event><Filter><S3Key><FilterRule><Name>prefix</Name><Value>x</Value>"
                 "</FilterRule><FilterRule><Name>prefix</Name><Value>y</Value></FilterRule>"
                 "</S3Key></Filter></QueueConfiguration></NotificationConfiguration>"),
            S3ErrorCode::kInvalidArgument);
  EXPECT_EQ(code("<NotificationConfiguration><EventBridgeConfiguration/>"
                 "</NotificationConfiguration>"),
            S3ErrorCode::kNotImplemented);
}

}  // namespace
}  // namespace maxiofs::s3
