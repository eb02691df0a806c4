# Multipart uploads through S3: every operation and error with boto3 (5 MiB parts: the server's
# minimum part size is S3's real 5 MiB), the raw response shapes, `aws s3 cp` of a 200 MiB file
# that really uses multipart, and rclone with a small upload cutoff plus `rclone check`.
import base64
import hashlib
import os
import subprocess
import zlib

import botocore
import pytest

from conftest import client_env
from s3util import DetStream, S3Raw, det_bytes, err_code, err_status

MIB = 1024 * 1024
PART = 5 * MIB
AWS = "/usr/bin/aws"


def md5_hex(b):
    return hashlib.md5(b).hexdigest()


def multipart_etag(parts):
    return '"%s-%d"' % (hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest(),
                        len(parts))


@pytest.fixture
def raw(server):
    return S3Raw(server)


@pytest.fixture(scope="module")
def parts():
    """Three parts: two of exactly 5 MiB and a short last one."""
    return [det_bytes(PART, seed=11), det_bytes(PART, seed=12), det_bytes(1234, seed=13)]


def upload_parts(s3, bucket, key, parts, **create_kw):
    up = s3.create_multipart_upload(Bucket=bucket, Key=key, **create_kw)
    uid = up["UploadId"]
    done = []
    for i, p in enumerate(parts, start=1):
        r = s3.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=i, Body=p)
        assert r["ETag"] == '"%s"' % md5_hex(p)
        done.append({"PartNumber": i, "ETag": r["ETag"]})
    return uid, done


def test_multipart_round_trip(s3, bucket, parts):
    uid, done = upload_parts(s3, bucket, "big/object.bin", parts, ContentType="text/x-mp",
                             Metadata={"color": "red"})
    resp = s3.complete_multipart_upload(Bucket=bucket, Key="big/object.bin", UploadId=uid,
                                        MultipartUpload={"Parts": done})
    assert resp["ETag"] == multipart_etag(parts)
    assert resp["Bucket"] == bucket and resp["Key"] == "big/object.bin"
    assert resp["Location"].endswith(f"/{bucket}/big/object.bin")
    assert "VersionId" not in resp  # unversioned bucket
    whole = b"".join(parts)
    got = s3.get_object(Bucket=bucket, Key="big/object.bin")
    body = got["Body"].read()
    assert len(body) == len(whole) and body == whole
    assert got["ETag"] == multipart_etag(parts)
    assert got["ContentType"] == "text/x-mp" and got["Metadata"] == {"color": "red"}
    assert "PartsCount" not in got  # only with partNumber, as S3
    # The upload is gone.
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="big/object.bin", UploadId=uid)
    assert err_code(e.value) == "NoSuchUpload"


def test_get_and_head_by_part_number(s3, bucket, parts, raw):
    uid, done = upload_parts(s3, bucket, "p", parts)
    s3.complete_multipart_upload(Bucket=bucket, Key="p", UploadId=uid,
                                 MultipartUpload={"Parts": done})
    total = sum(len(p) for p in parts)
    offset = 0
    for n, p in enumerate(parts, start=1):
        got = s3.get_object(Bucket=bucket, Key="p", PartNumber=n)
        assert got["Body"].read() == p
        assert got["PartsCount"] == 3
        assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert got["ContentRange"] == "bytes %d-%d/%d" % (offset, offset + len(p) - 1, total)
        head = s3.head_object(Bucket=bucket, Key="p", PartNumber=n)
        assert head["ContentLength"] == len(p) and head["PartsCount"] == 3
        offset += len(p)
    r = raw.request("GET", f"/{bucket}/p?partNumber=4")
    assert r.status == 400 and r.error_code() == "InvalidPartNumber", r
    r = raw.request("GET", f"/{bucket}/p?partNumber=0")
    assert r.status == 400 and r.error_code() == "InvalidArgument", r
    r = raw.request("GET", f"/{bucket}/p?partNumber=1", headers={"Range": "bytes=0-1"})
    assert r.status == 400, r
    # A single-part object has exactly one part.
    s3.put_object(Bucket=bucket, Key="single", Body=b"0123456789")
    got = s3.get_object(Bucket=bucket, Key="single", PartNumber=1)
    assert got["Body"].read() == b"0123456789" and "PartsCount" not in got
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_object(Bucket=bucket, Key="single", PartNumber=2)
    assert err_status(e.value) == 400 and err_code(e.value) == "InvalidPartNumber"


def test_complete_errors(s3, bucket, parts, raw):
    uid, done = upload_parts(s3, bucket, "e", parts)
    complete = lambda ps: s3.complete_multipart_upload(  # noqa: E731
        Bucket=bucket, Key="e", UploadId=uid, MultipartUpload={"Parts": ps})

    def expect(code, ps):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            complete(ps)
        assert err_code(e.value) == code, e.value.response
        assert err_status(e.value) == 400

    expect("InvalidPart", [done[0], {"PartNumber": 2, "ETag": '"%s"' % ("0" * 32)}, done[2]])
    expect("InvalidPart", [done[0], {"PartNumber": 7, "ETag": done[1]["ETag"]}])
    expect("InvalidPartOrder", [done[1], done[0], done[2]])
    # A part under 5 MiB that is not the last: EntityTooSmall.
    small = s3.upload_part(Bucket=bucket, Key="e", UploadId=uid, PartNumber=4,
                           Body=b"tiny")["ETag"]
    expect("EntityTooSmall", [done[0], done[2], {"PartNumber": 4, "ETag": small}])
    # Malformed / empty lists: MalformedXML.
    for body in (b"", b"<CompleteMultipartUpload></CompleteMultipartUpload>",
                 b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part>"
                 b"</CompleteMultipartUpload>", b"<CompleteMultipartUpload><Part>"):
        r = raw.request("POST", f"/{bucket}/e?uploadId={uid}", body=body)
        assert r.status == 400 and r.error_code() == "MalformedXML", (body, r)
    # The upload survives failed completions; a correct one still works (parts 1-3).
    resp = complete(done)
    assert resp["ETag"] == multipart_etag(parts)
    # NoSuchUpload afterwards, for every upload operation but a retried completion.
    expect_nsu = [
        lambda: s3.upload_part(Bucket=bucket, Key="e", UploadId=uid, PartNumber=1, Body=b"x"),
        lambda: s3.list_parts(Bucket=bucket, Key="e", UploadId=uid),
        lambda: s3.abort_multipart_upload(Bucket=bucket, Key="e", UploadId=uid),
        lambda: s3.upload_part(Bucket=bucket, Key="e", UploadId="nope", PartNumber=1, Body=b"x"),
    ]
    for call in expect_nsu:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert err_code(e.value) == "NoSuchUpload" and err_status(e.value) == 404


def test_repeated_complete_answers_the_first_result(s3, bucket, parts):
    # A client that lost the answer retries the completion: S3 answers the same result again.
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    uid, done = upload_parts(s3, bucket, "retry", parts[1:])
    first = s3.complete_multipart_upload(Bucket=bucket, Key="retry", UploadId=uid,
                                         MultipartUpload={"Parts": done})
    again = s3.complete_multipart_upload(Bucket=bucket, Key="retry", UploadId=uid,
                                         MultipartUpload={"Parts": done})
    assert again["ETag"] == first["ETag"] == multipart_etag(parts[1:])
    assert again["VersionId"] == first["VersionId"]
    assert again["Key"] == "retry" and again["Bucket"] == bucket
    versions = s3.list_object_versions(Bucket=bucket)["Versions"]
    assert [v["VersionId"] for v in versions] == [first["VersionId"]]  # no second version
    assert s3.get_object(Bucket=bucket, Key="retry")["Body"].read() == b"".join(parts[1:])
    # Another list of parts is not a retry; nor is a completion of an upload never made.
    for ps, key in ((done[:1], "retry"), (done, "other-key")):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=uid,
                                         MultipartUpload={"Parts": ps})
        assert err_code(e.value) == "NoSuchUpload"
    # Once the version it made is deleted there is nothing to answer.
    s3.delete_object(Bucket=bucket, Key="retry", VersionId=first["VersionId"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="retry", UploadId=uid,
                                     MultipartUpload={"Parts": done})
    assert err_code(e.value) == "NoSuchUpload"


def test_delete_bucket_with_only_incomplete_uploads(s3, bucket_name, parts):
    s3.create_bucket(Bucket=bucket_name)
    uid, _ = upload_parts(s3, bucket_name, "half", parts[:1])
    s3.create_multipart_upload(Bucket=bucket_name, Key="empty")
    s3.put_object(Bucket=bucket_name, Key="obj", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_bucket(Bucket=bucket_name)
    assert err_code(e.value) == "BucketNotEmpty"  # an object keeps it
    assert len(s3.list_multipart_uploads(Bucket=bucket_name)["Uploads"]) == 2
    s3.delete_object(Bucket=bucket_name, Key="obj")
    s3.delete_bucket(Bucket=bucket_name)  # the uploads go with it
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_bucket(Bucket=bucket_name)
    assert err_status(e.value) == 404
    s3.create_bucket(Bucket=bucket_name)
    assert s3.list_multipart_uploads(Bucket=bucket_name).get("Uploads", []) == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_parts(Bucket=bucket_name, Key="half", UploadId=uid)
    assert err_code(e.value) == "NoSuchUpload"


def test_part_number_limits_and_bad_requests(s3, bucket, raw):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="lim")["UploadId"]
    for n in (0, 10001):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.upload_part(Bucket=bucket, Key="lim", UploadId=uid, PartNumber=n, Body=b"x")
        assert err_code(e.value) == "InvalidArgument"
    r = raw.request("PUT", f"/{bucket}/lim?uploadId={uid}&partNumber=abc", body=b"x")
    assert r.status == 400 and r.error_code() == "InvalidArgument"
    r = raw.request("PUT", f"/{bucket}/lim?uploadId={uid}&partNumber=1", body=b"x",
                    headers={"Content-MD5": base64.b64encode(hashlib.md5(b"y").digest()).decode()})
    assert r.status == 400 and r.error_code() == "BadDigest"
    assert s3.list_parts(Bucket=bucket, Key="lim", UploadId=uid).get("Parts", []) == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.create_multipart_upload(Bucket="no-such-bucket-mp", Key="k")
    assert err_code(e.value) == "NoSuchBucket"
    s3.abort_multipart_upload(Bucket=bucket, Key="lim", UploadId=uid)
    r = raw.request("DELETE", f"/{bucket}/lim?uploadId={uid}")
    assert r.status == 404 and r.error_code() == "NoSuchUpload"


def test_reupload_of_a_part_number_replaces_it(s3, bucket, parts):
    uid, done = upload_parts(s3, bucket, "re", parts)
    replacement = det_bytes(PART, seed=99)
    etag = s3.upload_part(Bucket=bucket, Key="re", UploadId=uid, PartNumber=2,
                          Body=replacement)["ETag"]
    listed = s3.list_parts(Bucket=bucket, Key="re", UploadId=uid)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in listed] == [
        (1, done[0]["ETag"], PART), (2, etag, PART), (3, done[2]["ETag"], 1234)]
    # The old ETag of part 2 no longer completes.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="re", UploadId=uid,
                                     MultipartUpload={"Parts": done})
    assert err_code(e.value) == "InvalidPart"
    done[1]["ETag"] = etag
    s3.complete_multipart_upload(Bucket=bucket, Key="re", UploadId=uid,
                                 MultipartUpload={"Parts": done})
    body = s3.get_object(Bucket=bucket, Key="re")["Body"].read()
    assert body == parts[0] + replacement + parts[2]


def test_abort(s3, bucket, raw):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="ab")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="ab", UploadId=uid, PartNumber=1, Body=b"data")
    r = raw.request("DELETE", f"/{bucket}/ab?uploadId={uid}")
    assert r.status == 204, r
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket=bucket, Key="ab")
    assert err_status(e.value) == 404


def test_upload_part_copy_with_range(s3, bucket, parts):
    src = det_bytes(12 * MIB, seed=21)
    s3.put_object(Bucket=bucket, Key="src", Body=src)
    uid = s3.create_multipart_upload(Bucket=bucket, Key="dst")["UploadId"]
    r1 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=1,
                             CopySource={"Bucket": bucket, "Key": "src"},
                             CopySourceRange="bytes=0-%d" % (PART - 1))
    assert r1["CopyPartResult"]["ETag"] == '"%s"' % md5_hex(src[:PART])
    assert r1["CopyPartResult"]["LastModified"]
    r2 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=2,
                             CopySource=f"{bucket}/src", CopySourceRange="bytes=%d-%d" % (
                                 7 * MIB, 12 * MIB - 1))
    r3 = s3.upload_part(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=3, Body=b"tail")
    # Whole-object copy as a part (no range).
    s3.put_object(Bucket=bucket, Key="small", Body=b"small object")
    r4 = s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=4,
                             CopySource={"Bucket": bucket, "Key": "small"})
    assert r4["CopyPartResult"]["ETag"] == '"%s"' % md5_hex(b"small object")
    # Invalid ranges.
    for rng in ("bytes=5-", "bytes=-5", "bytes=9-3", "items=0-1"):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=5,
                                CopySource={"Bucket": bucket, "Key": "src"}, CopySourceRange=rng)
        assert err_code(e.value) == "InvalidArgument", rng
    # (A range past the end of the source is clamped by the engine where S3 answers
    # InvalidArgument; reported, not asserted here.)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="dst", UploadId=uid, PartNumber=5,
                            CopySource={"Bucket": bucket, "Key": "missing"})
    assert err_code(e.value) == "NoSuchKey"
    s3.complete_multipart_upload(Bucket=bucket, Key="dst", UploadId=uid, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": r1["CopyPartResult"]["ETag"]},
                  {"PartNumber": 2, "ETag": r2["CopyPartResult"]["ETag"]},
                  {"PartNumber": 3, "ETag": r3["ETag"]}]})
    body = s3.get_object(Bucket=bucket, Key="dst")["Body"].read()
    assert body == src[:PART] + src[7 * MIB:] + b"tail"


def test_list_parts_pagination(s3, bucket):
    uid = s3.create_multipart_upload(Bucket=bucket, Key="lp")["UploadId"]
    for n in (1, 2, 3, 5, 8, 13, 21):
        s3.upload_part(Bucket=bucket, Key="lp", UploadId=uid, PartNumber=n, Body=b"p%d" % n)
    seen, marker, pages = [], 0, 0
    while True:
        resp = s3.list_parts(Bucket=bucket, Key="lp", UploadId=uid, MaxParts=3,
                             PartNumberMarker=marker)
        pages += 1
        seen += [(p["PartNumber"], p["Size"]) for p in resp["Parts"]]
        assert resp["MaxParts"] == 3 and len(resp["Parts"]) <= 3
        assert resp["UploadId"] == uid and resp["Key"] == "lp"
        if not resp["IsTruncated"]:
            break
        marker = resp["NextPartNumberMarker"]
        assert marker == resp["Parts"][-1]["PartNumber"]
    assert pages == 3
    assert seen == [(n, len(b"p%d" % n)) for n in (1, 2, 3, 5, 8, 13, 21)]
    assert [p["PartNumber"] for p in s3.list_parts(Bucket=bucket, Key="lp", UploadId=uid,
                                                    PartNumberMarker=8)["Parts"]] == [13, 21]
    s3.abort_multipart_upload(Bucket=bucket, Key="lp", UploadId=uid)


def test_list_multipart_uploads_pagination(s3, bucket):
    uploads = []
    for key in ("a/1", "a/2", "b", "b", "c/d/e", "z"):
        uploads.append((key, s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]))
    expected = sorted(uploads)  # by key, then upload id (S3 orders same-key uploads by time;
    # the engine's ids sort by creation, which the second sort key follows)
    seen, kw, pages = [], {"Bucket": bucket, "MaxUploads": 2}, 0
    while True:
        resp = s3.list_multipart_uploads(**kw)
        pages += 1
        seen += [(u["Key"], u["UploadId"]) for u in resp.get("Uploads", [])]
        assert len(resp.get("Uploads", [])) <= 2
        for u in resp.get("Uploads", []):
            assert u["Initiated"] and u["StorageClass"] == "STANDARD"
        if not resp["IsTruncated"]:
            break
        kw["KeyMarker"] = resp["NextKeyMarker"]
        kw["UploadIdMarker"] = resp["NextUploadIdMarker"]
    assert pages == 3
    assert sorted(seen) == expected and len(seen) == len(set(seen))
    assert [k for k, _ in seen] == sorted(k for k, _ in uploads)
    resp = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in resp["CommonPrefixes"]] == ["a/", "c/"]
    assert sorted(u["Key"] for u in resp["Uploads"]) == ["b", "b", "z"]
    resp = s3.list_multipart_uploads(Bucket=bucket, Prefix="c/")
    assert [u["Key"] for u in resp["Uploads"]] == ["c/d/e"]
    resp = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="b")
    assert [u["Key"] for u in resp["Uploads"]] == ["c/d/e", "z"]
    for key, uid in uploads:
        s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=uid)


def test_checksums_per_part_and_composite(s3, bucket, raw):
    parts = [det_bytes(PART, seed=31), det_bytes(77, seed=32)]
    up = s3.create_multipart_upload(Bucket=bucket, Key="ck", ChecksumAlgorithm="CRC32")
    assert up["ChecksumAlgorithm"] == "CRC32"
    uid = up["UploadId"]
    done, raw_crcs = [], []
    for n, p in enumerate(parts, start=1):
        crc = zlib.crc32(p).to_bytes(4, "big")
        raw_crcs.append(crc)
        r = s3.upload_part(Bucket=bucket, Key="ck", UploadId=uid, PartNumber=n, Body=p,
                           ChecksumAlgorithm="CRC32")
        assert r["ChecksumCRC32"] == base64.b64encode(crc).decode()
        done.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
    listed = s3.list_parts(Bucket=bucket, Key="ck", UploadId=uid)
    assert [p["ChecksumCRC32"] for p in listed["Parts"]] == [d["ChecksumCRC32"] for d in done]
    assert listed["ChecksumAlgorithm"] == "CRC32"
    # A wrong checksum for a part: BadDigest, nothing stored.
    r = raw.request("PUT", f"/{bucket}/ck?uploadId={uid}&partNumber=3", body=b"xyz",
                    headers={"x-amz-checksum-crc32": base64.b64encode(b"\0\0\0\0").decode()})
    assert r.status == 400 and r.error_code() == "BadDigest", r
    resp = s3.complete_multipart_upload(Bucket=bucket, Key="ck", UploadId=uid,
                                        MultipartUpload={"Parts": done})
    composite = base64.b64encode(zlib.crc32(b"".join(raw_crcs)).to_bytes(4, "big")).decode()
    assert resp["ChecksumCRC32"] == f"{composite}-2"
    head = s3.head_object(Bucket=bucket, Key="ck", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == f"{composite}-2"
    # A part without a checksum in an upload that has an algorithm: the server computes it.
    up2 = s3.create_multipart_upload(Bucket=bucket, Key="ck2", ChecksumAlgorithm="SHA256")
    r = raw.request("PUT", f"/{bucket}/ck2?uploadId={up2['UploadId']}&partNumber=1", body=b"abc")
    assert r.status == 200
    assert r.headers["x-amz-checksum-sha256"] == base64.b64encode(
        hashlib.sha256(b"abc").digest()).decode()
    s3.abort_multipart_upload(Bucket=bucket, Key="ck2", UploadId=up2["UploadId"])


def test_full_object_crc32(s3, bucket, raw):
    """x-amz-checksum-type FULL_OBJECT (sent raw: Debian's botocore predates it): the object's
    CRC32 is the CRC32 of all its bytes, checked against the client's value at completion."""
    ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    parts = [det_bytes(PART, seed=41), det_bytes(77, seed=42)]
    whole = base64.b64encode(zlib.crc32(b"".join(parts)).to_bytes(4, "big")).decode()
    # Refused types: an unknown name, FULL_OBJECT with SHA256, a type without an algorithm.
    for headers, code in [({"x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "WHOLE"},
                           "InvalidRequest"),
                          ({"x-amz-checksum-algorithm": "SHA256",
                            "x-amz-checksum-type": "FULL_OBJECT"}, "InvalidRequest"),
                          ({"x-amz-checksum-type": "FULL_OBJECT"}, "InvalidRequest")]:
        r = raw.request("POST", f"/{bucket}/full?uploads", headers=headers)
        assert r.status == 400 and r.error_code() == code, (headers, r)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    r = raw.request("POST", f"/{bucket}/full?uploads", headers={
        "x-amz-checksum-algorithm": "CRC32", "x-amz-checksum-type": "FULL_OBJECT"})
    assert r.status == 200, r
    assert r.headers["x-amz-checksum-type"] == "FULL_OBJECT"
    uid = r.xml().find(ns + "UploadId").text
    listing = raw.request("GET", f"/{bucket}?uploads").xml()
    assert listing.find(f"{ns}Upload/{ns}ChecksumType").text == "FULL_OBJECT"
    body = "<CompleteMultipartUpload>"
    for n, p in enumerate(parts, start=1):
        r = s3.upload_part(Bucket=bucket, Key="full", UploadId=uid, PartNumber=n, Body=p,
                           ChecksumAlgorithm="CRC32")
        assert r["ChecksumCRC32"] == base64.b64encode(zlib.crc32(p).to_bytes(4, "big")).decode()
        body += "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>" % (n, r["ETag"])
    body = (body + "</CompleteMultipartUpload>").encode()
    # The client's whole-object CRC is checked: a wrong one is BadDigest and completes nothing.
    wrong = base64.b64encode(zlib.crc32(b"other").to_bytes(4, "big")).decode()
    r = raw.request("POST", f"/{bucket}/full?uploadId={uid}", body=body,
                    headers={"x-amz-checksum-crc32": wrong})
    assert r.status == 400 and r.error_code() == "BadDigest", r
    assert raw.request("HEAD", f"/{bucket}/full").status == 404
    r = raw.request("POST", f"/{bucket}/full?uploadId={uid}", body=body,
                    headers={"x-amz-checksum-crc32": whole})
    assert r.status == 200, r
    assert r.xml().find(ns + "ChecksumCRC32").text == whole
    assert r.xml().find(ns + "ChecksumType").text == "FULL_OBJECT"
    head = s3.head_object(Bucket=bucket, Key="full", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == whole
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-checksum-type"] == "FULL_OBJECT"
    # A part read shows that part's CRC.
    part2 = s3.head_object(Bucket=bucket, Key="full", PartNumber=2, ChecksumMode="ENABLED")
    assert part2["ChecksumCRC32"] == base64.b64encode(
        zlib.crc32(parts[1]).to_bytes(4, "big")).decode()
    assert s3.get_object(Bucket=bucket, Key="full")["Body"].read() == b"".join(parts)


def test_raw_response_shapes(s3, bucket, raw):
    r = raw.request("POST", f"/{bucket}/shape%20key?uploads")
    assert r.status == 200, r
    ns = "{http://s3.amazonaws.com/doc/2006-03-01/}"
    root = r.xml()
    assert root.tag == ns + "InitiateMultipartUploadResult"
    assert root.find(ns + "Key").text == "shape key"
    uid = root.find(ns + "UploadId").text
    r = raw.request("PUT", f"/{bucket}/shape%20key?partNumber=1&uploadId={uid}", body=b"hello")
    assert r.status == 200 and r.headers["etag"] == '"%s"' % md5_hex(b"hello")
    body = ('<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"%s"</ETag></Part>'
            '</CompleteMultipartUpload>' % md5_hex(b"hello")).encode()
    r = raw.request("POST", f"/{bucket}/shape%20key?uploadId={uid}", body=body)
    assert r.status == 200, r
    root = r.xml()
    assert root.tag == ns + "CompleteMultipartUploadResult"
    assert root.find(ns + "ETag").text == multipart_etag([b"hello"])
    r = raw.request("GET", f"/{bucket}/shape%20key?uploads")
    assert r.status == 405 and r.error_code() == "MethodNotAllowed"


def test_multipart_in_versioned_bucket(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    try:
        v1 = s3.put_object(Bucket=bucket, Key="v", Body=b"old")["VersionId"]
        uid, done = upload_parts(s3, bucket, "v", [b"new"])
        resp = s3.complete_multipart_upload(Bucket=bucket, Key="v", UploadId=uid,
                                            MultipartUpload={"Parts": done})
        assert resp["VersionId"] not in ("null", v1)
        assert s3.get_object(Bucket=bucket, Key="v")["VersionId"] == resp["VersionId"]
        assert s3.get_object(Bucket=bucket, Key="v", VersionId=v1)["Body"].read() == b"old"
    finally:
        for v in s3.list_object_versions(Bucket=bucket).get("Versions", []):
            s3.delete_object(Bucket=bucket, Key=v["Key"], VersionId=v["VersionId"])


# ------------------------------------------------------------------------------------------
# Real clients
# ------------------------------------------------------------------------------------------
def write_det_file(path, size, seed):
    s = DetStream(size, seed)
    with open(path, "wb") as f:
        while True:
            chunk = s.read(8 * MIB)
            if not chunk:
                break
            f.write(chunk)
    return s.md5.hexdigest()


def file_md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(8 * MIB), b""):
            h.update(chunk)
    return h.hexdigest()


def test_aws_cli_cp_200mib_uses_multipart(server, s3, bucket, tmp_dir):
    cfg = os.path.join(tmp_dir, "aws-config")
    with open(cfg, "w") as f:  # the default 8 MiB threshold and chunk size
        f.write("[default]\nregion = us-east-1\ns3 =\n    addressing_style = path\n")
    env = client_env(server, tmp_dir)
    src = os.path.join(tmp_dir, "big.bin")
    md5 = write_det_file(src, 200 * MIB, seed=7)

    def aws(*args):
        p = subprocess.run([AWS, "--endpoint-url", server.endpoint, "--no-cli-pager"] + list(args),
                           env=env, capture_output=True, timeout=600)
        assert p.returncode == 0, p.stderr.decode()[-3000:]

    aws("s3", "cp", src, f"s3://{bucket}/big.bin")
    head = s3.head_object(Bucket=bucket, Key="big.bin")
    assert head["ContentLength"] == 200 * MIB
    assert head["ETag"].strip('"').endswith("-25"), head["ETag"]  # 200 MiB / 8 MiB parts
    assert s3.head_object(Bucket=bucket, Key="big.bin", PartNumber=1)["PartsCount"] == 25
    dst = os.path.join(tmp_dir, "back.bin")
    aws("s3", "cp", f"s3://{bucket}/big.bin", dst)
    assert os.path.getsize(dst) == 200 * MIB
    assert file_md5(dst) == md5
    os.unlink(src)
    os.unlink(dst)


def test_rclone_multipart_copy_and_check(server, s3, bucket, tmp_dir):
    cfg = os.path.join(tmp_dir, "rclone.conf")
    open(cfg, "w").close()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and not k.startswith("RCLONE_")}
    env.update({
        "HOME": tmp_dir,
        "RCLONE_CONFIG_MX_TYPE": "s3",
        "RCLONE_CONFIG_MX_PROVIDER": "Other",
        "RCLONE_CONFIG_MX_ENDPOINT": server.endpoint,
        "RCLONE_CONFIG_MX_ACCESS_KEY_ID": server.access_key,
        "RCLONE_CONFIG_MX_SECRET_ACCESS_KEY": server.secret_key,
        "RCLONE_CONFIG_MX_REGION": "us-east-1",
        "RCLONE_CONFIG_MX_FORCE_PATH_STYLE": "true",
    })

    def rclone(*args):
        cmd = ["rclone", "--config", cfg, "--retries", "1", "--low-level-retries", "1",
               "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M",
               "--s3-upload-concurrency", "4"] + list(args)
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=600)
        assert p.returncode == 0, f"{cmd}\n{p.stderr.decode()[-4000:]}"
        return p

    src = os.path.join(tmp_dir, "src")
    os.makedirs(src)
    write_det_file(os.path.join(src, "large.bin"), 23 * MIB + 17, seed=8)
    with open(os.path.join(src, "small.txt"), "wb") as f:
        f.write(b"small\n")
    rclone("copy", src, f"mx:{bucket}/r")
    head = s3.head_object(Bucket=bucket, Key="r/large.bin")
    assert head["ContentLength"] == 23 * MIB + 17
    assert head["ETag"].strip('"').endswith("-5"), head["ETag"]  # 4 x 5 MiB + the rest
    rclone("check", src, f"mx:{bucket}/r")
    back = os.path.join(tmp_dir, "back")
    rclone("copy", f"mx:{bucket}/r", back)
    assert file_md5(os.path.join(back, "large.bin")) == file_md5(os.path.join(src, "large.bin"))
