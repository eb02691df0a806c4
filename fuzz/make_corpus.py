#!/usr/bin/python3
"""Writes the seed corpora of the fuzz harnesses (fuzz/corpus/<harness>/) from the inputs of
the unit tests: AWS's published SigV4/SigV2 examples, the aws-chunked examples, the request
documents, headers, policies and console documents the tests use. Run it again after editing;
the files are committed. Inputs found by fuzzing (fuzz/run.sh merges them into build-fuzz/) may
be added by hand when they matter (a crash fixed, a new format); name them after what they hold."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
SEEDS = {}


def seed(harness, name, data, prefix=b""):
    if isinstance(data, str):
        data = data.encode()
    SEEDS.setdefault(harness, []).append((name, prefix + data))


EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
HOST = "examplebucket.s3.amazonaws.com"


def v4(signed, sig):
    return ("AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
            "SignedHeaders=%s,Signature=%s" % (signed, sig))


def req(line, *headers):
    return "\n".join([line] + ["%s: %s" % h for h in headers]) + "\n"


# --- SigV4 (frontends/s3/auth/sigv4_test.cc: AWS's examples) ---
seed("sigv4", "get_object", req(
    "GET /test.txt", ("host", HOST), ("range", "bytes=0-9"), ("x-amz-content-sha256", EMPTY),
    ("x-amz-date", "20130524T000000Z"),
    ("authorization", v4("host;range;x-amz-content-sha256;x-amz-date",
                         "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"))))
seed("sigv4", "put_object", req(
    "PUT /test%24file.text", ("host", HOST), ("date", "Fri, 24 May 2013 00:00:00 GMT"),
    ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
    ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
    ("authorization", v4("date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class",
                         "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"))))
seed("sigv4", "list_objects", req(
    "GET /?max-keys=2&prefix=J", ("host", HOST), ("x-amz-date", "20130524T000000Z"),
    ("x-amz-content-sha256", EMPTY),
    ("authorization", v4("host;x-amz-content-sha256;x-amz-date",
                         "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"))))
seed("sigv4", "presigned", req(
    "GET /test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F"
    "20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&"
    "X-Amz-SignedHeaders=host&X-Amz-Signature="
    "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404", ("host", HOST)))
seed("sigv4", "streaming", req(
    "PUT /examplebucket/chunkObject.txt", ("host", "s3.amazonaws.com"),
    ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
    ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
    ("content-encoding", "aws-chunked"), ("x-amz-decoded-content-length", "66560"),
    ("content-length", "66824"),
    ("authorization", v4("content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;"
                         "x-amz-decoded-content-length;x-amz-storage-class",
                         "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"))))
seed("sigv4", "streaming_trailer", req(
    "PUT /examplebucket/chunkObject.txt", ("host", "s3.amazonaws.com"),
    ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
    ("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
    ("content-encoding", "aws-chunked"), ("x-amz-decoded-content-length", "66560"),
    ("x-amz-trailer", "x-amz-checksum-crc32c"),
    ("authorization", v4("content-encoding;host;x-amz-content-sha256;x-amz-date;"
                         "x-amz-decoded-content-length;x-amz-storage-class;x-amz-trailer",
                         "106e2a8a18243abcf37539882f36619c00e2dfc72633413f02d3b74544bfeb8e"))))
seed("sigv4", "unsigned_trailer", req(
    "PUT /b/k", ("host", "127.0.0.1:8080"), ("x-amz-date", "20130524T000000Z"),
    ("x-amz-content-sha256", "STREAMING-UNSIGNED-PAYLOAD-TRAILER"),
    ("x-amz-trailer", "x-amz-checksum-crc32"),
    ("authorization", v4("host;x-amz-content-sha256;x-amz-date;x-amz-trailer", "0" * 64))))
seed("sigv4", "iam_sts", req(
    "POST /", ("host", "127.0.0.1:8080"), ("x-amz-date", "20130524T000000Z"),
    ("content-type", "application/x-www-form-urlencoded"),
    ("authorization", "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/iam/"
                      "aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + "a" * 64)))

# --- SigV2 (frontends/s3/auth/sigv2_test.cc: the S3 developer guide's examples) ---
seed("sigv2", "get_object", req(
    "GET /awsexamplebucket1/photos/puppy.jpg", ("host", "awsexamplebucket1.s3.us-west-1.amazonaws.com"),
    ("date", "Tue, 27 Mar 2007 19:36:42 +0000"),
    ("authorization", "AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=")))
seed("sigv2", "put_object", req(
    "PUT /awsexamplebucket1/photos/puppy.jpg", ("content-type", "image/jpeg"),
    ("content-length", "94328"), ("date", "Tue, 27 Mar 2007 21:15:45 +0000"),
    ("authorization", "AWS AKIAIOSFODNN7EXAMPLE:iqRzw+ileNPu1fhspnRs8nOjjIA=")))
seed("sigv2", "list_sub_resources", req(
    "GET /b/?acl&foo=bar", ("x-amz-meta-b", " 2 "), ("x-amz-meta-a", "1"),
    ("content-type", "text/plain"), ("date", "Thu, 29 Feb 2024 23:59:30 GMT"),
    ("authorization", "AWS AKIDMAXIOFSTEST:lTRYZPszLhF9Neajam7VZSZuV9w=")))
seed("sigv2", "amz_headers", req(
    "PUT /db-backup.dat.gz", ("user-agent", "curl/7.15.5"),
    ("host", "static.awsexamplebucket1.net:8080"), ("x-amz-acl", "public-read"),
    ("content-type", "application/x-download"), ("content-md5", "4gJE4saaMU4BqNR0kLY+lw=="),
    ("X-Amz-Meta-ReviewedBy", "joe@awsexamplebucket1.net"),
    ("X-Amz-Meta-ReviewedBy", "jane@awsexamplebucket1.net"),
    ("X-Amz-Meta-FileChecksum", "0x02661779"), ("x-amz-date", "Tue, 27 Mar 2007 21:06:08 +0000"),
    ("authorization", "AWS AKIAIOSFODNN7EXAMPLE:dKZcB+bz2EPXgSdXZp9ozGeOM4I=")))
seed("sigv2", "query", req(
    "GET /awsexamplebucket1/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&"
    "Expires=1369357200&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&response-content-type=text%2Fplain",
    ("host", "awsexamplebucket1.s3.us-west-1.amazonaws.com")))

# --- aws-chunked (chunked_decoder_test.cc; first byte: mode % 3, piece size) ---
SIG1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
SIG2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
SIG3 = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
# AWS's example with its 64 KiB and 1 KiB chunks cut to 16 and 4 bytes (the sizes stay hex).
seed("chunked", "signed_aws_shape", "10;chunk-signature=%s\r\n%s\r\n4;chunk-signature=%s\r\n%s"
     "\r\n0;chunk-signature=%s\r\n\r\n" % (SIG1, "a" * 16, SIG2, "a" * 4, SIG3), bytes([1]))
seed("chunked", "signed_short", "5;chunk-signature=%s\r\nhello\r\n0;chunk-signature=%s\r\n\r\n"
     % (SIG1, SIG3), bytes([4]))
seed("chunked", "signed_trailer",
     "3;chunk-signature=%s\r\nabc\r\n0;chunk-signature=%s\r\nx-amz-checksum-crc32c:sOO8/Q==\r\n"
     "x-amz-trailer-signature:%s\r\n\r\n" % (SIG1, SIG2, SIG3), bytes([2]))
seed("chunked", "unsigned_trailer", "5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n",
     bytes([0]))
seed("chunked", "unsigned_split", "a\r\n0123456789\r\n0\r\n\r\n", bytes([3 * 7]))
seed("chunked", "unsigned_ext", "1;ext=1\r\nx\r\n0\r\nx-amz-checksum-sha256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\r\n\r\n",
     bytes([0]))

# --- XML (xml_test.cc, request_documents_test.cc, cors/acl/tagging/lifecycle tests) ---
NS = ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"'
DOCS = {
    "versioning": (0, "<VersioningConfiguration%s><Status>Enabled</Status><MfaDelete>Disabled</MfaDelete></VersioningConfiguration>" % NS),
    "versioning_suspended": (0, "<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>"),
    "object_lock": (1, "<ObjectLockConfiguration%s><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>GOVERNANCE</Mode><Days>1</Days></DefaultRetention></Rule></ObjectLockConfiguration>" % NS),
    "object_lock_years": (1, "<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled><Rule><DefaultRetention><Mode>COMPLIANCE</Mode><Years>2</Years></DefaultRetention></Rule></ObjectLockConfiguration>"),
    "sse": (2, "<ServerSideEncryptionConfiguration%s><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>aws:kms</SSEAlgorithm><KMSMasterKeyID>k1</KMSMasterKeyID></ApplyServerSideEncryptionByDefault><BucketKeyEnabled>true</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>" % NS),
    "retention": (3, "<Retention%s><Mode>GOVERNANCE</Mode><RetainUntilDate>2030-01-02T03:04:05.123Z</RetainUntilDate></Retention>" % NS),
    "retention_offset": (3, "<Retention><Mode>COMPLIANCE</Mode><RetainUntilDate>2030-01-02T03:04:05+02:00</RetainUntilDate></Retention>"),
    "legal_hold": (4, "<LegalHold%s><Status>ON</Status></LegalHold>" % NS),
    "complete_multipart": (5, "<CompleteMultipartUpload%s><Part><PartNumber>1</PartNumber><ETag>\"a54357aff0632cce46d942af68356b38\"</ETag><ChecksumCRC32>DUoRhQ==</ChecksumCRC32></Part><Part><PartNumber>2</PartNumber><ETag>0c78aef83f66abc1fa1e8477f296d394</ETag></Part></CompleteMultipartUpload>" % NS),
    "acl": (6, "<AccessControlPolicy xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><Owner><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID><DisplayName>owner</DisplayName></Owner><AccessControlList><Grant><Grantee xsi:type=\"CanonicalUser\"><ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID></Grantee><Permission>FULL_CONTROL</Permission></Grant><Grant><Grantee xsi:type=\"Group\"><URI>http://acs.amazonaws.com/groups/global/AllUsers</URI></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"),
    "acl_email": (6, "<AccessControlPolicy><AccessControlList><Grant><Grantee><EmailAddress>a@b</EmailAddress></Grantee><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>"),
    "tagging": (7, "<Tagging%s><TagSet><Tag><Key>project</Key><Value>blue</Value></Tag><Tag><Key>a b</Key><Value></Value></Tag></TagSet></Tagging>" % NS),
    "tagging_header": (8, "k1=v1&k2&a%20b=c+d"),
    "cors": (9, "<CORSConfiguration%s><CORSRule><ID>r1</ID><AllowedOrigin>http://www.example.com</AllowedOrigin><AllowedMethod>PUT</AllowedMethod><AllowedMethod>POST</AllowedMethod><AllowedHeader>*</AllowedHeader><ExposeHeader>x-amz-server-side-encryption</ExposeHeader><MaxAgeSeconds>3000</MaxAgeSeconds></CORSRule><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>GET</AllowedMethod></CORSRule></CORSConfiguration>" % NS),
    "lifecycle": (10, "<LifecycleConfiguration%s><Rule><ID>logs</ID><Filter><And><Prefix>logs/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag><ObjectSizeGreaterThan>100</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status><Expiration><Days>30</Days></Expiration><NoncurrentVersionExpiration><NoncurrentDays>7</NoncurrentDays><NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionExpiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule><Rule><Filter><Prefix></Prefix></Filter><Status>Disabled</Status><Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration><Transition><Days>10</Days><StorageClass>GLACIER</StorageClass></Transition></Rule></LifecycleConfiguration>" % NS),
    "lifecycle_date": (10, "<LifecycleConfiguration><Rule><Prefix>a/</Prefix><Status>Enabled</Status><Expiration><Date>2030-01-01T00:00:00Z</Date></Expiration></Rule></LifecycleConfiguration>"),
    "lock_mode": (11, "GOVERNANCE"),
}
for name, (selector, doc) in DOCS.items():
    seed("s3_documents", name, doc, bytes([selector]))
    if selector not in (8, 11):
        seed("xml", name, doc)
seed("xml", "delete", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete%s><Quiet>true</Quiet><Object><Key>a&amp;b</Key><VersionId>null</VersionId></Object><Object><Key>&#x1F600;&#10;</Key><ETag>\"x\"</ETag><LastModifiedTime>2024-01-01T00:00:00Z</LastModifiedTime><Size>3</Size></Object></Delete>" % NS)
seed("xml", "entities", "<a b='1' c=\"2\"><!-- c --><?pi x?><![CDATA[<raw>]]>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;<s3:k xmlns:s3='n'/></a>")
seed("xml", "create_bucket", "<CreateBucketConfiguration%s><LocationConstraint>us-west-2</LocationConstraint></CreateBucketConfiguration>" % NS)

# --- Headers (headers_test.cc) ---
for name, value in {
    "range": "bytes=0-9", "range_open": "bytes=100-", "range_suffix": "bytes=-500",
    "range_multi": "bytes=0-1,5-6", "date_rfc1123": "Sun, 06 Nov 1994 08:49:37 GMT",
    "date_rfc850": "Sunday, 06-Nov-94 08:49:37 GMT", "date_asctime": "Sun Nov  6 08:49:37 1994",
    "date_iso": "20130524T000000Z", "date_iso_ext": "2013-05-24T00:00:00.123Z",
    "etags": "\"a\", W/\"b\", *, c", "uint": "18446744073709551615",
    "headers": "content-type: text/plain\ncache-control: no-cache\nx-amz-meta-a: 1\nX-Amz-Meta-A: 2\n"
               "x-amz-storage-class: STANDARD\nif-match: \"e\"\nif-none-match: *\n"
               "if-modified-since: Sun, 06 Nov 1994 08:49:37 GMT\n"
               "x-amz-copy-source-if-unmodified-since: 2013-05-24T00:00:00Z\n"
               "content-disposition: attachment\nexpires: Thu, 01 Dec 1994 16:00:00 GMT\n",
}.items():
    seed("s3_headers", name, value)

# --- HTTP heads as the server reads them (first byte: read size) ---
for name, head in {
    "get_object": "GET /bucket/key%20with%2Fslash?versionId=abc HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nRange: bytes=0-9\r\nIf-None-Match: \"e\"\r\n\r\n",
    "put_object": "PUT /bucket/a/b.txt HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nContent-Type: text/plain\r\nx-amz-meta-mode: 33188\r\nExpect: 100-continue\r\n\r\nhello",
    "virtual_host": "GET /key?tagging HTTP/1.1\r\nHost: bucket.s3.example.com:8080\r\n\r\n",
    "list_v2": "GET /bucket?list-type=2&prefix=a%2F&delimiter=%2F&max-keys=10&encoding-type=url HTTP/1.1\r\nHost: h\r\n\r\n",
    "multipart": "POST /bucket/key?uploads HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "copy": "PUT /b/dst HTTP/1.1\r\nHost: h\r\nx-amz-copy-source: /src/k%3Fv?versionId=1\r\nx-amz-copy-source-if-match: \"e\"\r\nx-amz-metadata-directive: REPLACE\r\nContent-Length: 0\r\n\r\n",
    "delete": "POST /b?delete HTTP/1.1\r\nHost: h\r\nContent-MD5: 1B2M2Y8AsgTpgAmY7PhCfg==\r\nContent-Length: 0\r\n\r\n",
    "http10": "HEAD / HTTP/1.0\r\n\r\n",
    "iam": "POST / HTTP/1.1\r\nHost: h\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n\r\n",
    "post_form": "POST /bucket HTTP/1.1\r\nHost: h\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 0\r\n\r\n",
}.items():
    seed("http_head", name, head, bytes([0x20]))

# --- Percent-decoding, query strings, base64 (percent_test.cc, base64_test.cc, encoding_test.cc) ---
for name, text in {
    "path": "/bucket/a%20b%2Fc%E2%82%AC", "query": "a=1&b&c=%20&d=x+y&&e=%2B",
    "bad_escape": "100%", "base64": "1B2M2Y8AsgTpgAmY7PhCfg==", "base64url": "eyJhbGciOiJIUzI1NiJ9",
    "utf8": "caf\xc3\xa9 \xf0\x9f\x98\x80", "sigv4_uri": "/test$file.text/%7Euser/a+b",
}.items():
    seed("percent", name, text.encode("latin-1") if name != "utf8" else text.encode("latin-1"))

# --- Policies (policy_test.cc, condition_test.cc) ---
POLICIES = {
    "public_read": '{"Version":"2012-10-17","Statement":[{"Sid":"Pub","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::examplebucket/*"}]}',
    "user_home": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:ListBucket"],"Resource":"arn:aws:s3:::examplebucket","Condition":{"StringLike":{"s3:prefix":["home/${aws:username}/*"]}}},{"Effect":"Allow","Action":"s3:*Object","Resource":"arn:aws:s3:::examplebucket/home/${aws:username}/*"}]}',
    "deny_ip": '{"Version":"2012-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":"*"},"NotAction":["s3:Get*"],"NotResource":"arn:aws:s3:::examplebucket/public/*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","2001:db8::/32"]},"Bool":{"aws:SecureTransport":"false"}}}}',
    "conditions": '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::000000000000:user/alice"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::examplebucket/*","Condition":{"NumericLessThanEquals":{"s3:max-keys":"100"},"DateGreaterThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"StringEqualsIgnoreCase":{"s3:x-amz-acl":["PRIVATE"]},"ForAnyValue:StringLike":{"s3:ExistingObjectTag/team":["d*"]},"Null":{"aws:TokenIssueTime":"true"},"ArnLike":{"aws:SourceArn":"arn:aws:s3:::example*"},"BinaryEquals":{"aws:userid":"YWxpY2U="},"StringNotEqualsIfExists":{"aws:username":"bob"},"ForAllValues:StringEquals":{"s3:prefix":["home/alice/"]}}}]}',
    "old_version": '{"Version":"2008-10-17","Id":"x","Statement":[{"Effect":"Allow","Principal":{"CanonicalUser":"75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a"},"Action":"*","Resource":"*"}]}',
}
for name, policy in POLICIES.items():
    seed("policy", name, policy)
seed("policy", "extra_conditions", POLICIES["conditions"] + "\n#\ns3:x-amz-acl=private\naws:sourceip=2001:db8::1\n")
seed("console_json", "policy_document", '{"document":' + POLICIES["public_read"] + '}', bytes([3]))
seed("console_json", "validate", '{"document":"{}","kind":"bucket","bucket":"examplebucket"}', bytes([4]))

# --- Console JSON bodies (cors_json_test.cc, lifecycle_json_test.cc, iam_json_test.cc) ---
seed("console_json", "cors", '{"rules":[{"id":"r1","allowedOrigins":["https://a.example"],"allowedMethods":["GET","PUT"],"allowedHeaders":["*"],"exposeHeaders":["ETag"],"maxAgeSeconds":600}]}', bytes([0]))
seed("console_json", "lifecycle", '{"Rules":[{"ID":"logs","Status":"Enabled","Filter":{"And":{"Prefix":"logs/","Tags":[{"Key":"k","Value":"v"}],"ObjectSizeGreaterThan":1,"ObjectSizeLessThan":9}},"Expiration":{"Days":30},"NoncurrentVersionExpiration":{"NoncurrentDays":7,"NewerNoncurrentVersions":2},"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":3},"Transitions":[{"Days":10,"StorageClass":"GLACIER"}],"NoncurrentVersionTransitions":[{"NoncurrentDays":5,"StorageClass":"STANDARD_IA"}]}]}', bytes([1]))
seed("console_json", "lifecycle_date", '{"Rules":[{"ID":"d","Status":"Disabled","Filter":{"Prefix":"a/"},"Expiration":{"Date":"2030-01-01T00:00:00Z","ExpiredObjectDeleteMarker":false}}]}', bytes([1]))
seed("console_json", "public_access_block", '{"blockPublicAcls":true,"ignorePublicAcls":false,"blockPublicPolicy":true,"restrictPublicBuckets":false}', bytes([2]))

# --- JWT (jwt_test.cc; first byte 0: a token, 1: header/payload JSON the harness signs) ---
seed("jwt", "claims", '{"alg":"HS256","typ":"JWT"}\n{"sub":"maxioadmin","knd":"root","iat":1700000000,"exp":1700003600,"jti":"abc","csrf":"def"}', bytes([1]))
seed("jwt", "user", '{"alg":"HS256"}\n{"sub":"alice","knd":"user","iat":1,"exp":1800000000,"jti":"j","csrf":"c"}', bytes([1]))
seed("jwt", "token", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhIn0.c2ln", bytes([0]))
seed("jwt", "alg_none", '{"alg":"none"}\n{"sub":"a"}', bytes([1]))

# --- POST Object forms (post/form_parser_test.cc; first byte: piece size; first line: type) ---
FORM = ("--xYzZY\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nuser/${filename}\r\n"
        "--xYzZY\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\neyJ9\r\n"
        "--xYzZY\r\nContent-Disposition: form-data; name=\"x-amz-meta-tag\"\r\n\r\na\r\n"
        "--xYzZY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
        "Content-Type: text/plain\r\n\r\nhello\r\nworld\r\n--xYzZY\r\n"
        "Content-Disposition: form-data; name=\"submit\"\r\n\r\nUpload\r\n--xYzZY--\r\n")
seed("post_form", "form", "multipart/form-data; boundary=xYzZY\n" + FORM, bytes([7]))
seed("post_form", "quoted_boundary", "Multipart/Form-Data; boundary=\"a b\"\n--a b\r\n"
     "Content-Disposition: form-data; name=file\r\n\r\nx\r\n--a b--", bytes([0]))
seed("post_form", "preamble", "multipart/form-data; boundary=-\npreamble\r\n---\r\n"
     "content-disposition: form-data; name=\"file\"; filename=\"\"\r\n\r\n\r\n-----\r\nepilogue", bytes([31]))
POST_POLICY = ('{"expiration": "2030-01-01T00:00:00Z", "conditions": [{"bucket": "examplebucket"}, '
               '["starts-with", "$key", "user/"], {"acl": "private"}, ["eq", "$success_action_status", "201"], '
               '["starts-with", "$Content-Type", "image/"], ["content-length-range", 10, "1024"], '
               '["starts-with", "$x-amz-meta-tag", ""]]}')
seed("post_policy", "policy", POST_POLICY)
seed("post_policy", "policy_fields", POST_POLICY + "\n#\nacl=private\nsuccess_action_status=201\nx-amz-meta-other=1\n")
seed("post_policy", "mixed_case", '{"expiration": "2023-11-14T22:13:20.000Z", "conditions": [{"bUcKeT": "b"}, ["StArTs-WiTh", "$KeY", "foo"], ["EQ", "$X-Amz-Meta-A", "1"]]}')

# --- Engine keys (key_codec: version ids, tails) ---
seed("engine_keys", "version_id", "0123456789abcdef0123456789abcdef")
seed("engine_keys", "version_tail", b"photos/a.jpg\x00" + bytes(range(16)))
seed("engine_keys", "upload_tail", b"dir/key\x00" + b"0" * 32)


def main():
    if os.path.isdir(CORPUS):
        for harness in SEEDS:
            for f in os.listdir(os.path.join(CORPUS, harness)) if os.path.isdir(os.path.join(CORPUS, harness)) else []:
                if f.startswith("seed-"):
                    os.remove(os.path.join(CORPUS, harness, f))
    for harness, items in SEEDS.items():
        d = os.path.join(CORPUS, harness)
        os.makedirs(d, exist_ok=True)
        for name, data in items:
            with open(os.path.join(d, "seed-" + name), "wb") as f:
                f.write(data)
    print("wrote", sum(len(v) for v in SEEDS.values()), "seeds for", len(SEEDS), "harnesses")


if __name__ == "__main__":
    main()
