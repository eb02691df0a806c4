// The Owner / Initiator element of S3 documents (ListBuckets, listings, uploads, ACLs): one
// canonical id for the one account everywhere, so a client that reads the owner from one answer
// can write it into an AccessControlPolicy. Pure; thread-safe.
#pragma once

#include "xml/xml_writer.h"

#include <string_view>

namespace maxiofs::s3 {

// Writes <element><ID>canonical id</ID><DisplayName>display_name</DisplayName></element>;
// DisplayName is left out when `display_name` is empty (as AWS does for accounts without one).
void WriteOwnerElement(XmlWriter& w, std::string_view element, std::string_view display_name);

}  // namespace maxiofs::s3
