# Bucket notifications end to end: the real maxiofs binary with a webhook target (configured by
# MAXIOFS_NOTIFY_WEBHOOK_NAME/_ENDPOINT/_AUTH_TOKEN) posting to a small HTTP receiver in this
# process. Checks Put/GetBucketNotificationConfiguration (round trip, S3's errors, the test
# event), every event kind made through S3 (PUT, COPY, multipart, tagging, DELETE, delete
# markers) and through the FUSE mount, the event JSON's fields, delivery after the receiver was
# down for a while, after a kill -9 of maxiofs with events queued, and the metrics.
import http.server
import json
import os
import shutil
import socket
import tempfile
import threading
import time
import urllib.parse

import pytest

from conftest import unique_bucket_name
from s3util import empty_and_delete_bucket, err_code, http_get, is_mounted, unmount_fuse, wait_until

TOKEN = "tok-" + "x" * 20
ARN = "arn:maxiofs:sqs::hook"
WAIT_S = 15.0


class Receiver:
    """An HTTP server on a fixed loopback port that records every POST; stop() closes the port
    (a target that is down), start() opens it again."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.messages = []  # (authorization header, parsed JSON body)
        self.lock = threading.Lock()
        self.httpd = None
        self.thread = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/events"

    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                n = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(n)
                with receiver.lock:
                    receiver.messages.append((self.headers.get("Authorization"),
                                              json.loads(body)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_HEAD(self):
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread.join(timeout=10)
            self.httpd = None

    def records(self, bucket):
        """(eventName, key) of every Records message about `bucket`, in arrival order."""
        with self.lock:
            out = []
            for _, m in self.messages:
                for r in m.get("Records", []):
                    if r["s3"]["bucket"]["name"] == bucket:
                        out.append(r)
            return out

    def names(self, bucket):
        return [(r["eventName"], urllib.parse.unquote_plus(r["s3"]["object"]["key"]))
                for r in self.records(bucket)]


def webhook_env(receiver):
    return {"MAXIOFS_NOTIFY_WEBHOOK_NAME": "hook",
            "MAXIOFS_NOTIFY_WEBHOOK_ENDPOINT": receiver.url,
            "MAXIOFS_NOTIFY_WEBHOOK_AUTH_TOKEN": TOKEN,
            "MAXIOFS_NOTIFY_RETRY_MAX_MS": "200"}


@pytest.fixture(scope="module")
def receiver():
    r = Receiver()
    r.start()
    yield r
    r.stop()


@pytest.fixture(scope="module")
def srv(server_factory, receiver):
    assert os.path.exists("/dev/fuse"), "the mount test needs /dev/fuse (run as root with fuse3)"
    mnt = tempfile.mkdtemp(prefix="maxiofs-it-mnt-")
    try:
        server = server_factory.start(extra_args=["--mount", mnt], env=webhook_env(receiver))
        server.mnt = mnt
        yield server
        server.stop()
    finally:
        unmount_fuse(mnt)
        shutil.rmtree(mnt, ignore_errors=True)


@pytest.fixture(scope="module")
def s3c(srv):
    return srv.client()


@pytest.fixture
def bkt(s3c):
    name = unique_bucket_name("ev")
    s3c.create_bucket(Bucket=name)
    yield name
    empty_and_delete_bucket(s3c, name)


def configure(s3c, bucket, events, **filters):
    rule = {"Id": "r1", "QueueArn": ARN, "Events": events}
    if filters:
        rule["Filter"] = {"Key": {"FilterRules": [{"Name": k, "Value": v}
                                                  for k, v in filters.items()]}}
    s3c.put_bucket_notification_configuration(
        Bucket=bucket, NotificationConfiguration={"QueueConfigurations": [rule]})


def test_configuration_round_trip_errors_and_test_event(s3c, bkt, receiver):
    configure(s3c, bkt, ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"], prefix="img/",
              suffix=".jpg")
    got = s3c.get_bucket_notification_configuration(Bucket=bkt)
    assert got["QueueConfigurations"] == [{
        "Id": "r1", "QueueArn": ARN,
        "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:Delete"],
        "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "img/"},
                                           {"Name": "suffix", "Value": ".jpg"}]}}}]
    # S3's test event reached the target, with the bearer token.
    assert wait_until(lambda: any(m.get("Event") == "s3:TestEvent" and m.get("Bucket") == bkt
                                  for _, m in list(receiver.messages)), WAIT_S)
    auth = [a for a, m in list(receiver.messages) if m.get("Bucket") == bkt]
    assert auth[0] == "Bearer " + TOKEN

    for arn, events, message in [
        ("arn:maxiofs:sqs::nobody", ["s3:ObjectCreated:*"],
         "Unable to validate the following destination configurations"),
        (ARN, ["s3:ObjectCreated:Sometimes"], "The event is not supported for notifications"),
    ]:
        with pytest.raises(Exception) as e:
            s3c.put_bucket_notification_configuration(
                Bucket=bkt, NotificationConfiguration={
                    "QueueConfigurations": [{"QueueArn": arn, "Events": events}]})
        assert err_code(e.value) == "InvalidArgument"
        assert message in str(e.value)
    # Overlapping rules for one event type: refused.
    with pytest.raises(Exception) as e:
        s3c.put_bucket_notification_configuration(Bucket=bkt, NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": ARN, "Events": ["s3:ObjectCreated:*"]},
                                    {"QueueArn": ARN, "Events": ["s3:ObjectCreated:Put"]}]})
    assert err_code(e.value) == "InvalidArgument"
    # The refused configurations changed nothing; an empty one turns notifications off.
    assert s3c.get_bucket_notification_configuration(Bucket=bkt)["QueueConfigurations"][0][
        "Id"] == "r1"
    s3c.put_bucket_notification_configuration(Bucket=bkt, NotificationConfiguration={})
    assert "QueueConfigurations" not in s3c.get_bucket_notification_configuration(Bucket=bkt)
    with pytest.raises(Exception) as e:
        s3c.get_bucket_notification_configuration(Bucket=unique_bucket_name("none"))
    assert err_code(e.value) == "NoSuchBucket"


def test_every_s3_event_kind_in_order(srv, s3c, bkt, receiver):
    s3c.put_bucket_versioning(Bucket=bkt, VersioningConfiguration={"Status": "Enabled"})
    configure(s3c, bkt, ["s3:ObjectCreated:*", "s3:ObjectRemoved:*", "s3:ObjectTagging:*"])
    put = s3c.put_object(Bucket=bkt, Key="dir/a b.txt", Body=b"hello")
    s3c.copy_object(Bucket=bkt, Key="copy", CopySource={"Bucket": bkt, "Key": "dir/a b.txt"})
    up = s3c.create_multipart_upload(Bucket=bkt, Key="mp")
    part = s3c.upload_part(Bucket=bkt, Key="mp", UploadId=up["UploadId"], PartNumber=1,
                           Body=b"p" * 1000)
    s3c.complete_multipart_upload(Bucket=bkt, Key="mp", UploadId=up["UploadId"],
                                  MultipartUpload={"Parts": [{"PartNumber": 1,
                                                              "ETag": part["ETag"]}]})
    s3c.put_object_tagging(Bucket=bkt, Key="copy",
                           Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3c.delete_object_tagging(Bucket=bkt, Key="copy")
    marker = s3c.delete_object(Bucket=bkt, Key="copy")
    s3c.delete_object(Bucket=bkt, Key="copy", VersionId=marker["VersionId"])
    s3c.delete_objects(Bucket=bkt, Delete={"Objects": [{"Key": "mp"}]})
    want = [("ObjectCreated:Put", "dir/a b.txt"),
            ("ObjectCreated:Copy", "copy"),
            ("ObjectCreated:CompleteMultipartUpload", "mp"),
            ("ObjectTagging:Put", "copy"),
            ("ObjectTagging:Delete", "copy"),
            ("ObjectRemoved:DeleteMarkerCreated", "copy"),
            ("ObjectRemoved:Delete", "copy"),
            ("ObjectRemoved:DeleteMarkerCreated", "mp")]
    assert wait_until(lambda: len(receiver.names(bkt)) >= len(want), WAIT_S), \
        receiver.names(bkt)
    assert receiver.names(bkt) == want
    first = receiver.records(bkt)[0]
    assert first["eventVersion"] == "2.1"
    assert first["eventSource"] == "aws:s3"
    assert first["awsRegion"] == "us-east-1"
    assert first["eventTime"].endswith("Z")
    assert first["userIdentity"]["principalId"] == srv.access_key
    assert first["requestParameters"]["sourceIPAddress"] == "127.0.0.1"
    obj = first["s3"]["object"]
    assert obj["key"] == "dir/a+b.txt"  # URL-encoded as S3 does
    assert obj["size"] == 5
    assert obj["eTag"] == put["ETag"].strip('"')
    assert obj["versionId"] == put["VersionId"]
    assert first["s3"]["bucket"]["arn"] == "arn:aws:s3:::" + bkt
    assert first["s3"]["configurationId"] == "r1"
    seqs = [r["s3"]["object"]["sequencer"] for r in receiver.records(bkt)]
    assert seqs == sorted(seqs)


def test_mount_changes_are_events(srv, s3c, bkt, receiver):
    configure(s3c, bkt, ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"], prefix="f")
    assert wait_until(lambda: os.path.isdir(os.path.join(srv.mnt, bkt)), WAIT_S)
    tmp = os.path.join(srv.mnt, bkt, "f.tmp")
    with open(tmp, "wb") as f:
        f.write(b"written through the mount")
    os.rename(tmp, os.path.join(srv.mnt, bkt, "fdone.txt"))  # as rsync and editors do
    os.unlink(os.path.join(srv.mnt, bkt, "fdone.txt"))
    assert wait_until(lambda: ("ObjectRemoved:Delete", "fdone.txt") in receiver.names(bkt),
                      WAIT_S), receiver.names(bkt)
    names = receiver.names(bkt)
    # The file's creation (its empty placeholder at open may come first), then the rename as
    # a copy and a removal, then the unlink.
    assert ("ObjectCreated:Put", "f.tmp") in names
    assert names[-3:] == [("ObjectCreated:Copy", "fdone.txt"), ("ObjectRemoved:Delete", "f.tmp"),
                          ("ObjectRemoved:Delete", "fdone.txt")], names
    sizes = [r["s3"]["object"].get("size") for r in receiver.records(bkt)
             if r["eventName"] == "ObjectCreated:Copy"]
    assert sizes == [len(b"written through the mount")]


def test_delivered_after_the_receiver_was_down(srv, s3c, bkt, receiver):
    configure(s3c, bkt, ["s3:ObjectCreated:Put"])
    assert wait_until(lambda: any(m.get("Bucket") == bkt for _, m in list(receiver.messages)),
                      WAIT_S)
    before = failed(srv)
    receiver.stop()
    try:
        for i in range(3):
            s3c.put_object(Bucket=bkt, Key=f"k{i}", Body=b"x")
        # Delivery is being retried (and nothing can have arrived: the port is closed).
        assert wait_until(lambda: failed(srv) >= before + 2, WAIT_S)
        assert receiver.names(bkt) == []
        time.sleep(0.5)  # down "for a while": several retries
    finally:
        receiver.start()
    assert wait_until(lambda: len(receiver.names(bkt)) == 3, WAIT_S), receiver.names(bkt)
    assert receiver.names(bkt) == [("ObjectCreated:Put", f"k{i}") for i in range(3)]


def metrics(srv):
    status, _, body = http_get(srv.host, srv.port, "/_maxiofs/metrics")
    assert status == 200
    return body.decode()


def failed(srv):
    for line in metrics(srv).splitlines():
        if line.startswith('maxiofs_notify_failed_total{target="hook"'):
            return float(line.split()[-1])
    return 0


def test_metrics_count_deliveries(srv, s3c, bkt, receiver):
    configure(s3c, bkt, ["s3:ObjectCreated:*"])
    s3c.put_object(Bucket=bkt, Key="m", Body=b"x")
    assert wait_until(lambda: len(receiver.names(bkt)) == 1, WAIT_S)
    text = metrics(srv)
    for family in ["maxiofs_notify_queued_events", "maxiofs_notify_enqueued_total",
                   "maxiofs_notify_delivered_total", "maxiofs_notify_dropped_total",
                   "maxiofs_notify_delivery_latency_seconds_count"]:
        assert f'{family}{{target="hook",type="webhook"}}' in text, family
    delivered = [line for line in text.splitlines()
                 if line.startswith('maxiofs_notify_delivered_total{target="hook"')]
    assert float(delivered[0].split()[-1]) >= 2  # the test event and the PUT at least
    assert 'maxiofs_notify_delivery_latency_seconds_bucket{target="hook",le="+Inf"}' in text


def test_events_queued_survive_kill_9(server_factory, tmp_dir):
    receiver = Receiver()  # down while the server runs
    data = os.path.join(tmp_dir, "data")
    first = server_factory.start(data_dir=data, env=webhook_env(receiver))
    s3c = first.client()
    bucket = unique_bucket_name("ev")
    s3c.create_bucket(Bucket=bucket)
    configure(s3c, bucket, ["s3:ObjectCreated:*"])
    for i in range(5):
        s3c.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    assert "is not reachable" in first.log_tail(200)
    first.kill()
    receiver.start()
    try:
        second = server_factory.start(data_dir=data, access_key=first.access_key,
                                      secret_key=first.secret_key, env=webhook_env(receiver))
        assert wait_until(lambda: len(receiver.names(bucket)) >= 5, WAIT_S), \
            receiver.names(bucket)
        assert receiver.names(bucket) == [("ObjectCreated:Put", f"k{i}") for i in range(5)]
        assert any(m.get("Event") == "s3:TestEvent" for _, m in list(receiver.messages))
        second.stop()
    finally:
        receiver.stop()
