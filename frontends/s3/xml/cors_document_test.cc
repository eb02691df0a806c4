// The CORSConfiguration document: botocore's shape in and out, and hostile input refused with
// MalformedXML naming the rule.
#include "xml/cors_document.h"

#include "xml/xml_parser.h"

#include <gtest/gtest.h>

namespace maxiofs::s3 {
namespace {

TEST(CorsDocumentTest, ParsesEveryElementAndWritesItBack) {
  const std::string doc = R"(<?xml version="1.0" encoding="UTF-8"?>
<CORSConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <CORSRule>
    <ID>web app</ID>
    <AllowedHeader>*</AllowedHeader>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedOrigin>https://app.example</AllowedOrigin>
    <AllowedOrigin>http://localhost:*</AllowedOrigin>
    <ExposeHeader>ETag</ExposeHeader>
    <ExposeHeader>x-amz-version-id</ExposeHeader>
    <MaxAgeSeconds> 3000 </MaxAgeSeconds>
  </CORSRule>
  <CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>
</CORSConfiguration>)";
  auto parsed = ParseCorsConfiguration(doc);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  const engine::CorsConfiguration& c = parsed.value();
  ASSERT_EQ(c.rules.size(), 2u);
  EXPECT_EQ(c.rules[0].id, "web app");
  EXPECT_EQ(c.rules[0].allowed_methods, (std::vector<std::string>{"PUT", "GET"}));
  EXPECT_EQ(c.rules[0].allowed_origins,
            (std::vector<std::string>{"https://app.example", "http://localhost:*"}));
  EXPECT_EQ(c.rules[0].allowed_headers, std::vector<std::string>{"*"});
  EXPECT_EQ(c.rules[0].expose_headers, (std::vector<std::string>{"ETag", "x-amz-version-id"}));
  EXPECT_EQ(c.rules[0].max_age_seconds, 3000);
  EXPECT_FALSE(c.rules[1].max_age_seconds.has_value());

  std::string xml = CorsConfigurationXml(c);
  auto again = ParseCorsConfiguration(xml);
  ASSERT_TRUE(again.has_value()) << xml;
  EXPECT_EQ(again.value(), c);
  EXPECT_NE(xml.find("<CORSConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"),
            std::string::npos);
  EXPECT_NE(xml.find("<ID>web app</ID>"), std::string::npos);
  EXPECT_EQ(xml.find("<ID></ID>"), std::string::npos);  // no ID element for a rule without one
}

std::string ErrorOf(std::string_view doc) {
  auto r = ParseCorsConfiguration(doc);
  return r.has_value() ? ""
                       : std::string(S3ErrorCodeName(r.error().code)) + ": " + r.error().message;
}

TEST(CorsDocumentTest, RefusesWhatBreaksTheSchema) {
  EXPECT_NE(ErrorOf(""), "");
  EXPECT_NE(ErrorOf("<CORSConfiguration>").find("MalformedXML"), std::string::npos);
  EXPECT_NE(ErrorOf("<CORSConfiguration/>").find("MalformedXML"), std::string::npos);
  EXPECT_NE(ErrorOf("<Other><CORSRule/></Other>").find("MalformedXML"), std::string::npos);
  EXPECT_NE(ErrorOf("<CORSConfiguration><Rule/></CORSConfiguration>").find("MalformedXML"),
            std::string::npos);
  std::string no_method = ErrorOf(
      "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*"
      "</AllowedOrigin></CORSRule><CORSRule><ID>two</ID><AllowedOrigin>*</AllowedOrigin>"
      "</CORSRule></CORSConfiguration>");
  EXPECT_NE(no_method.find("MalformedXML"), std::string::npos);
  EXPECT_NE(no_method.find("CORSRule 2 (ID \"two\") has no AllowedMethod"), std::string::npos)
      << no_method;
  EXPECT_NE(ErrorOf("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
                    "</CORSRule></CORSConfiguration>")
                .find("has no AllowedOrigin"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
                    "<AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>soon</MaxAgeSeconds>"
                    "</CORSRule></CORSConfiguration>")
                .find("MaxAgeSeconds that is not an integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
                    "<AllowedOrigin>*</AllowedOrigin><MaxAgeSeconds>99999999999</MaxAgeSeconds>"
                    "</CORSRule></CORSConfiguration>")
                .find("MaxAgeSeconds"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
                    "<AllowedOrigin>*</AllowedOrigin><Bogus>1</Bogus>"
                    "</CORSRule></CORSConfiguration>")
                .find("unknown element Bogus"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<CORSConfiguration><CORSRule><ID>a</ID><ID>b</ID><AllowedMethod>GET"
                    "</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>"
                    "</CORSConfiguration>")
                .find("more than one ID"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><CORSConfiguration/>").find("MalformedXML"),
            std::string::npos);
}

TEST(CorsDocumentTest, HugeAndOverfullDocumentsAreRefusedCleanly) {
  std::string rule =
      "<CORSRule><AllowedMethod>GET</AllowedMethod><AllowedOrigin>*</AllowedOrigin></CORSRule>";
  std::string many = "<CORSConfiguration>";
  for (int i = 0; i < 101; ++i) many += rule;
  many += "</CORSConfiguration>";
  EXPECT_NE(ErrorOf(many).find("InvalidRequest"), std::string::npos);
  std::string huge =
      "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
      "<AllowedOrigin>" +
      std::string(70 * 1024, 'a') + "</AllowedOrigin></CORSRule></CORSConfiguration>";
  EXPECT_NE(ErrorOf(huge).find("larger than 65536"), std::string::npos);
  std::string deep = "<CORSConfiguration>";
  for (int i = 0; i < 40; ++i) deep += "<CORSRule>";
  EXPECT_NE(ErrorOf(deep).find("MalformedXML"), std::string::npos);
}

}  // namespace
}  // namespace maxiofs::s3
