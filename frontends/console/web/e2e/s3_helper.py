#!/usr/bin/python3
# boto3 on behalf of the browser tests (s3_browser.e2e.mjs, console.e2e.mjs): presigned URLs,
# presigned POST forms (generate_presigned_post), bucket CORS rules, object reads and tags, so
# the pages under test get exactly what boto3 gives a real web app's back end.
#
# Usage: s3_helper.py ENDPOINT ACCESS_KEY SECRET_KEY '{"op": ..., ...}'  -> one JSON line
import json
import sys

import boto3
from botocore.config import Config


def main():
    endpoint, access_key, secret_key, raw = sys.argv[1:5]
    req = json.loads(raw)
    s3 = boto3.session.Session().client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=Config(s3={"addressing_style": "path"}, signature_version="s3v4",
                      retries={"max_attempts": 1}))
    op = req["op"]
    out = {}
    if op == "create_bucket":
        s3.create_bucket(Bucket=req["bucket"])
    elif op == "put_cors":
        s3.put_bucket_cors(Bucket=req["bucket"], CORSConfiguration={"CORSRules": req["rules"]})
    elif op == "delete_cors":
        s3.delete_bucket_cors(Bucket=req["bucket"])
    elif op == "presign":
        params = {"Bucket": req["bucket"], "Key": req["key"]}
        if req.get("content_type"):
            params["ContentType"] = req["content_type"]
        out["url"] = s3.generate_presigned_url(req["method"], Params=params, ExpiresIn=600)
    elif op == "presign_post":
        out = s3.generate_presigned_post(req["bucket"], req["key"], Fields=req.get("fields"),
                                         Conditions=req.get("conditions"), ExpiresIn=600)
    elif op == "get":
        try:
            r = s3.get_object(Bucket=req["bucket"], Key=req["key"])
            out = {"found": True, "body": r["Body"].read().decode("latin-1"), "etag": r["ETag"],
                   "content_type": r["ContentType"], "metadata": r["Metadata"]}
        except s3.exceptions.NoSuchKey:
            out = {"found": False}
    elif op == "put_object_tagging":
        s3.put_object_tagging(Bucket=req["bucket"], Key=req["key"],
                              Tagging={"TagSet": req["tags"]})
    elif op == "get_object_tagging":
        out["tags"] = s3.get_object_tagging(Bucket=req["bucket"], Key=req["key"])["TagSet"]
    elif op == "get_bucket_tagging":
        try:
            out["tags"] = s3.get_bucket_tagging(Bucket=req["bucket"])["TagSet"]
        except s3.exceptions.ClientError as e:
            if e.response["Error"]["Code"] != "NoSuchTagSet":
                raise
            out["tags"] = []
    elif op == "list":
        r = s3.list_objects_v2(Bucket=req["bucket"])
        out["keys"] = [o["Key"] for o in r.get("Contents", [])]
    else:
        raise SystemExit(f"unknown op {op}")
    print(json.dumps(out))


if __name__ == "__main__":
    main()
