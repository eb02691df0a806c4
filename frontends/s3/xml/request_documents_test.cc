#include "xml/request_documents.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(RequestDocuments, Versioning) {
  auto on = ParseVersioningConfiguration(
      "<VersioningConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Status>Enabled</Status></VersioningConfiguration>");
  ASSERT_TRUE(on.has_value());
  EXPECT_EQ(on.value(), engine::VersioningState::kEnabled);
  auto off = ParseVersioningConfiguration(
      "<VersioningConfiguration><Status>Suspended</Status><MfaDelete>Disabled</MfaDelete>"
      "</VersioningConfiguration>");
  ASSERT_TRUE(off.has_value());
  EXPECT_EQ(off.value(), engine::VersioningState::kSuspended);
  // Unknown values go to the engine (which refuses kUnversioned).
  auto other = ParseVersioningConfiguration(
      "<VersioningConfiguration><Status>On</Status></VersioningConfiguration>");
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(other.value(), engine::VersioningState::kUnversioned);
  for (std::string bad :
       {"", "<VersioningConfiguration/>", "<Other><Status>Enabled</Status></Other>",
        "<VersioningConfiguration><Status>Enabled</Status>"}) {
    auto r = ParseVersioningConfiguration(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, S3ErrorCode::kMalformedXML) << bad;
  }
  auto mfa = ParseVersioningConfiguration(
      "<VersioningConfiguration><Status>Enabled</Status><MfaDelete>Enabled</MfaDelete>"
      "</VersioningConfiguration>");
  ASSERT_FALSE(mfa.has_value());
  EXPECT_EQ(mfa.error().code, S3ErrorCode::kNotImplemented);
}

TEST(RequestDocuments, ObjectLockConfiguration) {
  auto plain = ParseObjectLockConfiguration(
      "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
      "</ObjectLockConfiguration>");
  ASSERT_TRUE(plain.has_value());
  EXPECT_TRUE(plain.value().enabled);
  EXPECT_EQ(plain.value().default_retention.mode, engine::LockMode::kNone);
  auto rule = ParseObjectLockConfiguration(
      "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
      "<DefaultRetention><Mode>COMPLIANCE</Mode><Years>2</Years></DefaultRetention></Rule>"
      "</ObjectLockConfiguration>");
  ASSERT_TRUE(rule.has_value());
  EXPECT_EQ(rule.value().default_retention,
            (engine::DefaultRetention{engine::LockMode::kCompliance, 0, 2}));
  for (std::string bad :
       {"<ObjectLockConfiguration/>",
        "<ObjectLockConfiguration><ObjectLockEnabled>Disabled</ObjectLockEnabled>"
        "</ObjectLockConfiguration>",
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule/>"
        "</ObjectLockConfiguration>",
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
        "<DefaultRetention><Mode>FOREVER</Mode><Days>1</Days></DefaultRetention></Rule>"
        "</ObjectLockConfiguration>",
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
        "<DefaultRetention><Mode>GOVERNANCE</Mode><Days>x</Days></DefaultRetention></Rule>"
        "</ObjectLockConfiguration>",
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
        "<DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days><Years>1</Years>"
        "</DefaultRetention></Rule></ObjectLockConfiguration>"}) {
    auto r = ParseObjectLockConfiguration(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, S3ErrorCode::kMalformedXML) << bad;
  }
  // Well-formed but not a period.
  for (std::string period : {"<Days>-1</Days>", "<Days>0</Days>", "<Years>-3</Years>"}) {
    auto r = ParseObjectLockConfiguration(
        "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule>"
        "<DefaultRetention><Mode>GOVERNANCE</Mode>" +
        period + "</DefaultRetention></Rule></ObjectLockConfiguration>");
    ASSERT_FALSE(r.has_value()) << period;
    EXPECT_EQ(r.error().code, S3ErrorCode::kInvalidRetentionPeriod) << period;
  }
}

TEST(RequestDocuments, RetentionAndLegalHold) {
  auto r = ParseRetention(
      "<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-02T03:04:05.250Z"
      "</RetainUntilDate></Retention>");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r.value().mode, engine::LockMode::kGovernance);
  EXPECT_EQ(r.value().retain_until_ns, 1893553445 * kSec + 250'000'000);
  auto none = ParseRetention("<Retention/>");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none.value().mode, engine::LockMode::kNone);
  for (std::string bad : {"<Retention><Mode>GOVERNANCE</Mode></Retention>",
                          "<Retention><Mode>X</Mode><RetainUntilDate>2030-01-02T03:04:05Z"
                          "</RetainUntilDate></Retention>",
                          "<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>tomorrow"
                          "</RetainUntilDate></Retention>",
                          "<Hold/>"}) {
    EXPECT_FALSE(ParseRetention(bad).has_value()) << bad;
  }
  EXPECT_TRUE(ParseLegalHold("<LegalHold><Status>ON</Status></LegalHold>").value());
  EXPECT_FALSE(ParseLegalHold("<LegalHold><Status>OFF</Status></LegalHold>").value());
  EXPECT_FALSE(ParseLegalHold("<LegalHold><Status>on</Status></LegalHold>").has_value());
  EXPECT_FALSE(ParseLegalHold("<LegalHold/>").has_value());
}

TEST(RequestDocuments, LockDates) {
  EXPECT_EQ(ParseLockDate("2030-01-02T03:04:05Z"), 1893553445 * kSec);
  EXPECT_EQ(ParseLockDate("2030-01-02T05:04:05+02:00"), 1893553445 * kSec);
  EXPECT_EQ(ParseLockDate("2030-01-02T00:04:05-03:00"), 1893553445 * kSec);
  // Found by fuzz/s3_documents_fuzz: years past 2262 overflowed (undefined behaviour); out of
  // range now, offset or not.
  EXPECT_FALSE(ParseLockDate("8310-01-02T03:04:05+02:00").has_value());
  EXPECT_FALSE(ParseLockDate("2262-04-11T23:47:16Z").has_value());
  EXPECT_FALSE(ParseLockDate("2262-04-11T23:47:15.900-23:59").has_value());
  EXPECT_TRUE(ParseLockDate("2262-04-11T23:47:15+01:00").has_value());
  // Sub-millisecond digits are dropped (S3 keeps milliseconds).
  EXPECT_EQ(ParseLockDate("2030-01-02T03:04:05.123456Z"), 1893553445 * kSec + 123'000'000);
  EXPECT_FALSE(ParseLockDate("Wed, 02 Jan 2030 03:04:05 GMT"));
  EXPECT_FALSE(ParseLockDate("2030-01-02T03:04:05+25:00"));
  EXPECT_FALSE(ParseLockDate(""));
  EXPECT_EQ(ParseLockMode(" COMPLIANCE "), engine::LockMode::kCompliance);
  EXPECT_FALSE(ParseLockMode("governance"));
  EXPECT_EQ(LockModeName(engine::LockMode::kGovernance), "GOVERNANCE");
}

TEST(RequestDocuments, CompleteMultipartUpload) {
  auto parts = ParseCompleteMultipartUpload(
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Part><ETag>&quot;aa&quot;</ETag><PartNumber>1</PartNumber></Part>"
      "<Part><PartNumber>3</PartNumber><ETag>bb</ETag><ChecksumCRC32>x</ChecksumCRC32></Part>"
      "</CompleteMultipartUpload>");
  ASSERT_TRUE(parts.has_value());
  ASSERT_EQ(parts.value().size(), 2u);
  EXPECT_EQ(parts.value()[0].part_number, 1u);
  EXPECT_EQ(parts.value()[0].etag, "aa");
  EXPECT_EQ(parts.value()[1].part_number, 3u);
  EXPECT_EQ(parts.value()[1].etag, "bb");
  for (std::string bad : {"", "<CompleteMultipartUpload/>",
                          "<CompleteMultipartUpload><Part><ETag>a</ETag></Part>"
                          "</CompleteMultipartUpload>",
                          "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a"
                          "</ETag></Part></CompleteMultipartUpload>",
                          "<Complete><Part><PartNumber>1</PartNumber><ETag>a</ETag></Part>"
                          "</Complete>"}) {
    auto r = ParseCompleteMultipartUpload(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, S3ErrorCode::kMalformedXML);
  }
}

}  // namespace
}  // namespace maxiofs::s3
