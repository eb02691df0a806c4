# ListObjects V1 and V2 through boto3, compared page by page to a Python model of S3 listing
# semantics (prefix, delimiter, max-keys, start-after, marker, continuation-token).
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote, unquote

import pytest
from botocore.exceptions import ClientError

from conftest import unique_bucket_name
from s3util import S3NS, S3Raw, empty_and_delete_bucket, err_code, err_status


def _make_keys():
    keys = []
    for i in range(120):
        keys.append(f"flat-{i:04d}")
    for d in ("alpha", "beta", "gamma"):
        for i in range(40):
            keys.append(f"dir/{d}/file-{i:03d}.txt")
    for i in range(30):
        keys.append(f"dir/top-{i:02d}")
    for i in range(10):
        keys.append(f"deep/a/b/c/d/{i}")
    keys += ["sp ace/one", "sp ace/two", "plus+sign", "pct%41", "amp&er", "ünïcödé/ключ", "日本/語",
             "q?mark", "hash#tag", "tilde~", "eq=sign", "x/", "x/y", "z.", "z-", "z_", "zz"]
    return sorted(set(keys))


KEYS = _make_keys()


@pytest.fixture(scope="module")
def listing_bucket(s3):
    name = unique_bucket_name("list")
    s3.create_bucket(Bucket=name)
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda k: s3.put_object(Bucket=name, Key=k, Body=k.encode()), KEYS))
    yield name
    empty_and_delete_bucket(s3, name)


def model_list(keys, prefix="", delimiter="", max_keys=1000, after=""):
    """One page: (contents, common_prefixes, truncated, last_element)."""
    contents, cps = [], []
    count = 0
    truncated = False
    last = None
    for k in sorted(keys):
        if k <= after or not k.startswith(prefix):
            continue
        entry_is_cp = False
        if delimiter:
            rest = k[len(prefix):]
            pos = rest.find(delimiter)
            if pos >= 0:
                cp = prefix + rest[:pos + len(delimiter)]
                if cps and cps[-1] == cp:
                    continue
                if after == cp:  # marker/start-after naming a common prefix skips it whole
                    continue
                entry_is_cp = True
        if count == max_keys:
            truncated = True
            break
        if entry_is_cp:
            cps.append(cp)
            last = cp
        else:
            contents.append(k)
            last = k
        count += 1
    return contents, cps, truncated, last


def model_pages(keys, prefix="", delimiter="", max_keys=1000, start_after=""):
    pages = []
    after = start_after
    while True:
        c, p, t, last = model_list(keys, prefix, delimiter, max_keys, after)
        pages.append((c, p, t))
        if not t:
            return pages
        # Resuming after a common prefix skips every key under it.
        after = last if last not in p else last + "\U0010ffff"


COMBOS = [
    dict(),
    dict(max_keys=7),
    dict(max_keys=1),
    dict(prefix="dir/"),
    dict(prefix="dir/", delimiter="/"),
    dict(prefix="dir/", delimiter="/", max_keys=3),
    dict(delimiter="/"),
    dict(delimiter="/", max_keys=2),
    dict(prefix="dir/al"),
    dict(prefix="flat-00", max_keys=4),
    dict(delimiter="-"),
    dict(prefix="deep/", delimiter="/c/"),
    dict(start_after="dir/beta/file-010.txt", max_keys=50),
    dict(start_after="dir/", delimiter="/", max_keys=5),
    dict(prefix="nope/"),
    dict(prefix="sp ace/", delimiter="/"),
]


def _combo_id(c):
    return ",".join(f"{k}={v}" for k, v in c.items()) or "all"


@pytest.mark.parametrize("combo", COMBOS, ids=[_combo_id(c) for c in COMBOS])
def test_list_v2_pages_match_model(s3, listing_bucket, combo):
    expected = model_pages(KEYS, **combo)
    args = dict(Bucket=listing_bucket)
    if "prefix" in combo:
        args["Prefix"] = combo["prefix"]
    if "delimiter" in combo:
        args["Delimiter"] = combo["delimiter"]
    if "max_keys" in combo:
        args["MaxKeys"] = combo["max_keys"]
    if "start_after" in combo:
        args["StartAfter"] = combo["start_after"]
    got = []
    token = None
    for _ in range(len(KEYS) + 5):
        a = dict(args)
        if token:
            a["ContinuationToken"] = token
        r = s3.list_objects_v2(**a)
        contents = [o["Key"] for o in r.get("Contents", [])]
        cps = [p["Prefix"] for p in r.get("CommonPrefixes", [])]
        assert r["KeyCount"] == len(contents) + len(cps), "KeyCount counts keys and prefixes"
        assert r["MaxKeys"] == combo.get("max_keys", 1000)
        assert r.get("Prefix", "") == combo.get("prefix", "")
        if "delimiter" in combo:
            assert r.get("Delimiter") == combo["delimiter"]
        if token:
            assert r.get("ContinuationToken") == token
        if "start_after" in combo:
            assert r.get("StartAfter") == combo["start_after"]
        got.append((contents, cps, r["IsTruncated"]))
        if not r["IsTruncated"]:
            assert "NextContinuationToken" not in r
            break
        token = r["NextContinuationToken"]
        assert token
    assert got == expected


@pytest.mark.parametrize("combo", COMBOS[:10], ids=[_combo_id(c) for c in COMBOS[:10]])
def test_list_v1_marker_pages_match_model(s3, listing_bucket, combo):
    expected = model_pages(KEYS, **combo)
    args = dict(Bucket=listing_bucket)
    if "prefix" in combo:
        args["Prefix"] = combo["prefix"]
    if "delimiter" in combo:
        args["Delimiter"] = combo["delimiter"]
    if "max_keys" in combo:
        args["MaxKeys"] = combo["max_keys"]
    got = []
    marker = ""
    for _ in range(len(KEYS) + 5):
        a = dict(args)
        if marker:
            a["Marker"] = marker
        r = s3.list_objects(**a)
        contents = [o["Key"] for o in r.get("Contents", [])]
        cps = [p["Prefix"] for p in r.get("CommonPrefixes", [])]
        assert r.get("Marker", "") == marker
        got.append((contents, cps, r["IsTruncated"]))
        if not r["IsTruncated"]:
            break
        last = max(contents[-1:] + cps[-1:])
        if "delimiter" in combo:
            # NextMarker is returned when a delimiter is given: the last key or prefix returned.
            assert r.get("NextMarker") == last
        marker = r.get("NextMarker") or last
    assert got == expected


def test_list_v2_object_fields(s3, listing_bucket):
    r = s3.list_objects_v2(Bucket=listing_bucket, Prefix="flat-0000")
    assert r["KeyCount"] == 1
    o = r["Contents"][0]
    assert o["Key"] == "flat-0000"
    assert o["Size"] == len(b"flat-0000")
    assert o["ETag"].startswith('"') and o["ETag"].endswith('"') and len(o["ETag"]) == 34
    assert o["StorageClass"] == "STANDARD"
    assert "LastModified" in o
    assert "Owner" not in o, "V2 returns Owner only with fetch-owner=true"
    r = s3.list_objects_v2(Bucket=listing_bucket, Prefix="flat-0000", FetchOwner=True)
    assert r["Contents"][0]["Owner"]["ID"]
    # V1 always returns Owner.
    r = s3.list_objects(Bucket=listing_bucket, Prefix="flat-0000")
    assert r["Contents"][0]["Owner"]["ID"]


def test_list_v2_encoding_type_url_raw(server, listing_bucket):
    raw = S3Raw(server)
    target = f"/{listing_bucket}?encoding-type=url&list-type=2&prefix=sp%20ace%2F"
    r = raw.request("GET", target)
    assert r.status == 200, r
    root = r.xml()
    assert root.find(S3NS + "EncodingType").text == "url"
    keys = [e.text for e in root.iter(S3NS + "Key")]
    assert keys == ["sp%20ace/one", "sp%20ace/two"] or keys == ["sp+ace/one", "sp+ace/two"]
    assert unquote(root.find(S3NS + "Prefix").text.replace("+", " ")) == "sp ace/"
    # Unicode keys come back percent-encoded UTF-8.
    r = raw.request("GET", f"/{listing_bucket}?encoding-type=url&list-type=2&prefix={quote('ünïcödé/', safe='')}")
    assert r.status == 200, r
    keys = [e.text for e in r.xml().iter(S3NS + "Key")]
    assert keys == [quote("ünïcödé/ключ", safe="/")]


def test_list_v2_without_encoding_returns_plain_xml_keys(server, listing_bucket):
    raw = S3Raw(server)
    r = raw.request("GET", f"/{listing_bucket}?list-type=2&prefix=amp")
    assert r.status == 200
    assert [e.text for e in r.xml().iter(S3NS + "Key")] == ["amp&er"]
    assert b"amp&amp;er" in r.body


def test_list_special_keys_roundtrip_via_boto3(s3, listing_bucket):
    # boto3 asks for encoding-type=url and decodes; every key must come back identical.
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=listing_bucket,
                                                                PaginationConfig={"PageSize": 100}):
        keys += [o["Key"] for o in page.get("Contents", [])]
    assert keys == KEYS
    keys = []
    for page in s3.get_paginator("list_objects").paginate(Bucket=listing_bucket,
                                                             PaginationConfig={"PageSize": 77}):
        keys += [o["Key"] for o in page.get("Contents", [])]
    assert keys == KEYS


def test_list_v2_max_keys_zero(s3, listing_bucket):
    r = s3.list_objects_v2(Bucket=listing_bucket, MaxKeys=0)
    assert r["KeyCount"] == 0
    assert "Contents" not in r


def test_list_v2_invalid_continuation_token(s3, listing_bucket):
    with pytest.raises(ClientError) as ei:
        s3.list_objects_v2(Bucket=listing_bucket, ContinuationToken="not-a-valid-token!!")
    assert err_code(ei.value) == "InvalidArgument"
    assert err_status(ei.value) == 400


def test_list_v2_negative_max_keys(server, listing_bucket):
    r = S3Raw(server).request("GET", f"/{listing_bucket}?list-type=2&max-keys=-1")
    assert r.status == 400
    assert r.error_code() == "InvalidArgument"


def test_list_v2_max_keys_capped_at_1000(s3, bucket):
    with ThreadPoolExecutor(8) as ex:
        list(ex.map(lambda i: s3.put_object(Bucket=bucket, Key=f"k{i:05d}", Body=b""), range(1005)))
    r = s3.list_objects_v2(Bucket=bucket, MaxKeys=5000)
    assert r["KeyCount"] == 1000
    assert r["IsTruncated"] is True
    r2 = s3.list_objects_v2(Bucket=bucket, ContinuationToken=r["NextContinuationToken"])
    assert [o["Key"] for o in r2["Contents"]] == [f"k{i:05d}" for i in range(1000, 1005)]
    assert r2["IsTruncated"] is False


def test_list_empty_bucket(s3, bucket):
    r = s3.list_objects_v2(Bucket=bucket)
    assert r["KeyCount"] == 0 and r["IsTruncated"] is False and "Contents" not in r
    r = s3.list_objects(Bucket=bucket)
    assert r["IsTruncated"] is False and "Contents" not in r


def test_list_reflects_puts_and_deletes(s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=b"1")
    s3.put_object(Bucket=bucket, Key="b", Body=b"22")
    s3.put_object(Bucket=bucket, Key="a", Body=b"333")  # overwrite: still one entry
    r = s3.list_objects_v2(Bucket=bucket)
    assert [(o["Key"], o["Size"]) for o in r["Contents"]] == [("a", 3), ("b", 2)]
    s3.delete_object(Bucket=bucket, Key="a")
    r = s3.list_objects_v2(Bucket=bucket)
    assert [o["Key"] for o in r["Contents"]] == ["b"]


def test_model_sanity():
    # The model itself: delimiter roll-up and resume after a common prefix.
    keys = ["a/1", "a/2", "b", "c/1"]
    assert model_pages(keys, delimiter="/", max_keys=1) == [
        ([], ["a/"], True), (["b"], [], True), ([], ["c/"], False)]
