// The AccessControlPolicy document of Get/PutBucketAcl and Get/PutObjectAcl, both ways.
// Pure; thread-safe.
#pragma once

#include "s3_error.h"
#include "xml/xml_parser.h"
#include "xml/xml_writer.h"

#include "maxiofs/engine/iam.h"

#include <string>
#include <string_view>

namespace maxiofs::s3 {

// <AccessControlPolicy> with the Owner (`display_name` as its DisplayName, left out when empty)
// and one <Grant> per grant (Grantee xsi:type CanonicalUser with ID, or Group with URI).
std::string WriteAclDocument(const engine::Acl& acl, std::string_view display_name);

// The <Grantee> of a grant, in ACLs and in bucket logging's TargetGrants: sets g->type and
// g->grantee from its ID (canonical user), URI (group) or EmailAddress child; false when it has
// none of them.
bool ParseGrantee(const XmlElement& grantee, engine::AclGrant* g);
// Writes <Grantee xsi:type="CanonicalUser|Group"> with the ID (and `display_name` when not
// empty) or the URI of `g`.
void WriteGrantee(XmlWriter& w, const engine::AclGrant& g, std::string_view display_name);

// Parses a PutBucketAcl/PutObjectAcl body. MalformedACLError for a document that is not an
// AccessControlPolicy, a grant without a Grantee ID/URI or with an unknown Permission;
// NotImplemented for e-mail grantees. Whether the grantee ids are valid is the engine's call.
S3Result<engine::Acl> ParseAclDocument(std::string_view body);

}  // namespace maxiofs::s3
