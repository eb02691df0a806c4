# The original design's configuration file, exactly as documented (issue 20), in YAML and in its
# JSON equivalent: the real binary starts with it (ports and data dir overridden by flags) and
# serves; then each of its keys is shown to have its effect. Compression has its own file
# (test_compression.py), the users file too (test_users_file.py).
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import botocore
import pytest
import requests

from s3util import boto3_client, err_code, err_status

# Exactly the file of the issue (and of the original MaxIOFS design).
ORIGINAL_YAML = """\
server:
  listen: ":8080"
  console_listen: ":8081"
  data_dir: "./data"
  log_level: "info"
tls:
  enabled: false
  cert_file: ""
  key_file: ""
storage:
  backend: "filesystem"
  root: "./data/objects"
  compression:
    enabled: false
    type: "gzip"
    level: 6
  encryption:
    enabled: false
    key: ""
  object_lock:
    enabled: true
auth:
  enabled: true
  jwt_secret: ""
  access_key: "maxioadmin"
  secret_key: "maxioadmin"
  users_file: ""
metrics:
  enabled: true
  path: "/metrics"
  interval: 60
"""

# The same file in JSON, as a user would write it.
ORIGINAL_JSON = """\
{
  "server": {
    "listen": ":8080",
    "console_listen": ":8081",
    "data_dir": "./data",
    "log_level": "info"
  },
  "tls": {"enabled": false, "cert_file": "", "key_file": ""},
  "storage": {
    "backend": "filesystem",
    "root": "./data/objects",
    "compression": {"enabled": false, "type": "gzip", "level": 6},
    "encryption": {"enabled": false, "key": ""},
    "object_lock": {"enabled": true}
  },
  "auth": {
    "enabled": true,
    "jwt_secret": "",
    "access_key": "maxioadmin",
    "secret_key": "maxioadmin",
    "users_file": ""
  },
  "metrics": {"enabled": true, "path": "/metrics", "interval": 60}
}
"""

BLOB = 300 * 1024  # past the inline threshold: stored as a blob file
CONSOLE_RE = re.compile(r"web console listening on (?P<scheme>https?)://[^\s]+:(?P<port>\d+)")
METRICS_RE = re.compile(r"metrics listening on \S+ \(port (\d+)")


def text(n):
    line = b"2026-01-02T03:04:05 INFO request complete bucket=photos key=a/b/c.jpg bytes=12345\n"
    return (line * (n // len(line) + 1))[:n]


def blob_files(root):
    out = []
    for dirpath, _, names in os.walk(root):
        out += [os.path.join(dirpath, n) for n in names if re.fullmatch(r"[0-9a-f]{32}", n)]
    return out


def run_binary(binary, args, cwd=None, timeout=30):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAXIOFS_")}
    return subprocess.run([binary] + args, capture_output=True, text=True, timeout=timeout,
                          cwd=cwd, env=env)


def expect_refused(binary, args, cwd, *fragments):
    """The server must exit 2 before serving, with a message holding every fragment."""
    p = run_binary(binary, ["server"] + args, cwd=cwd)
    out = p.stdout + p.stderr
    assert p.returncode == 2, out
    assert "maxiofs ready" not in out
    for f in fragments:
        assert f in out, out
    return out


@pytest.fixture
def workdir():
    d = tempfile.mkdtemp(prefix="maxiofs-orig-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def write(path, content):
    with open(path, "w") as f:
        f.write(content)
    return path


def variant(**changes):
    """The original YAML with `section.key: value` lines replaced (dotted paths, YAML text)."""
    lines = ORIGINAL_YAML.splitlines()
    path = []
    out = []
    for line in lines:
        indent = (len(line) - len(line.lstrip())) // 2
        key = line.strip().split(":")[0]
        path = path[:indent] + [key]
        dotted = ".".join(path)
        if dotted in changes:
            line = " " * (2 * indent) + f"{key}: {changes.pop(dotted)}"
        out.append(line)
    assert not changes, f"no such keys: {changes}"
    return "\n".join(out) + "\n"


def start(factory, workdir, config_text, name="maxiofs.yaml", data="data", extra=()):
    """The server with `config_text`, run in `workdir` (so the file's relative paths resolve
    there); only ports and the data dir are given as flags."""
    cfg = write(os.path.join(workdir, name), config_text)
    srv = factory.start(data_dir=os.path.join(workdir, data),
                        access_key="maxioadmin", secret_key="maxioadmin",
                        extra_args=["--config", cfg] + list(extra),
                        credential_flags=False, cwd=workdir)
    return srv


def console_base(srv):
    m = CONSOLE_RE.search(srv.log_tail(10000))
    assert m, srv.log_tail()
    return f"{m.group('scheme')}://127.0.0.1:{m.group('port')}"


def serves_s3(srv):
    s3 = srv.client()
    s3.create_bucket(Bucket="orig")
    body = text(BLOB)
    s3.put_object(Bucket="orig", Key="k", Body=body)
    assert s3.get_object(Bucket="orig", Key="k")["Body"].read() == body
    assert s3.get_object(Bucket="orig", Key="k", Range="bytes=1000-1999")["Body"].read() == \
        body[1000:2000]


# --- the file as written --------------------------------------------------------------------
@pytest.mark.parametrize("name,content", [("maxiofs.yaml", ORIGINAL_YAML),
                                          ("maxiofs.json", ORIGINAL_JSON)])
def test_the_original_file_starts_the_server_as_written(server_factory, workdir, name, content):
    # The data dir is overridden to another directory than the file's ./data: the blobs follow
    # it (storage.root "./data/objects" is the data dir's objects/, as in the original design).
    srv = start(server_factory, workdir, content, name=name, data="moved")
    serves_s3(srv)
    assert len(blob_files(os.path.join(workdir, "moved", "objects"))) == 1
    assert not os.path.exists(os.path.join(workdir, "data"))
    log = srv.log_tail(10000)
    assert "SECURITY WARNING: the default credentials" in log  # auth.access_key/secret_key
    assert "maxiofs ready" in log
    # compression.enabled: false wins over type: gzip: the blob is the object's bytes.
    (blob,) = blob_files(os.path.join(workdir, "moved", "objects"))
    assert os.path.getsize(blob) == BLOB
    # tls.enabled: false: plain HTTP on both ports.
    assert srv.endpoint.startswith("http://")
    assert console_base(srv).startswith("http://")
    # metrics.path /metrics without a metrics listener: said in the log; the S3 port keeps
    # /_maxiofs/metrics.
    assert "metrics.path /metrics is served on metrics.listen, which is not set" in log
    with urllib.request.urlopen(srv.endpoint + "/_maxiofs/metrics", timeout=10) as r:
        assert b"maxiofs_http_requests_total" in r.read()
    srv.stop()


@pytest.mark.parametrize("name,content", [("maxiofs.yaml", ORIGINAL_YAML),
                                          ("maxiofs.json", ORIGINAL_JSON)])
def test_config_check_accepts_the_file_and_lists_every_key(maxiofs_bin, workdir, name, content):
    cfg = write(os.path.join(workdir, name), content)
    p = run_binary(maxiofs_bin, ["config", "check", cfg], cwd=workdir)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout
    assert f"{cfg}: configuration is valid" in out
    for key, value in [("tls.enabled", "false"), ("storage.backend", "filesystem"),
                       ("storage.root", "./data/objects"), ("storage.compression.type", "gzip"),
                       ("storage.compression.enabled", "false"),
                       ("storage.compression.level", "6"), ("storage.object_lock.enabled", "true"),
                       ("auth.enabled", "true"), ("metrics.path", "/metrics"),
                       ("metrics.interval", "60")]:
        assert re.search(rf"^  {re.escape(key)} = {re.escape(value)}\n      from config file "
                         rf"{re.escape(cfg)} line \d+ column \d+;", out, re.M), (key, out)
    # Every key of the table, with its option and its variable.
    help_text = run_binary(maxiofs_bin, ["server", "--help"]).stdout
    for env in re.findall(r"env (MAXIOFS_[A-Z0-9_]+)", help_text):
        assert env in out, env
    assert "auth.jwt_secret = <hidden>" in out
    assert "warning: auth.secret_key is the public default" in out


def test_json_errors_name_the_key_and_position(maxiofs_bin, workdir):
    bad_key = ORIGINAL_JSON.replace('"interval": 60', '"intervall": 60')
    p = run_binary(maxiofs_bin, ["config", "check", write(os.path.join(workdir, "a.json"), bad_key)])
    assert p.returncode == 2
    assert re.search(r"a\.json line 23 column \d+: unknown key 'metrics\.intervall'", p.stderr), \
        p.stderr
    bad_type = ORIGINAL_JSON.replace('"level": 6', '"level": [6]')
    p = run_binary(maxiofs_bin, ["config", "check", write(os.path.join(workdir, "b.json"), bad_type)])
    assert p.returncode == 2
    assert re.search(r"b\.json line 12 column \d+: storage\.compression\.level must be an integer",
                     p.stderr), p.stderr
    syntax = ORIGINAL_JSON.replace('"log_level": "info"', '"log_level": "info",')
    p = run_binary(maxiofs_bin, ["config", "check", write(os.path.join(workdir, "c.json"), syntax)])
    assert p.returncode == 2
    assert "c.json is not valid JSON: line 7, column" in p.stderr, p.stderr
    twice = ORIGINAL_JSON.replace('"backend": "filesystem",',
                                  '"backend": "filesystem", "backend": "filesystem",')
    p = run_binary(maxiofs_bin, ["config", "check", write(os.path.join(workdir, "d.json"), twice)])
    assert p.returncode == 2
    assert "key 'storage.backend' is given twice" in p.stderr, p.stderr


# --- tls.enabled ----------------------------------------------------------------------------
def make_cert(directory):
    cert, key = os.path.join(directory, "c.pem"), os.path.join(directory, "c.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=maxiofs", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    return cert, key


def test_tls_enabled(server_factory, maxiofs_bin, workdir):
    cert, key = make_cert(workdir)
    # false with both files named: plain HTTP.
    srv = start(server_factory, workdir,
                variant(**{"tls.cert_file": f'"{cert}"', "tls.key_file": f'"{key}"'}))
    assert srv.health() == 200  # a plain-HTTP request
    assert console_base(srv).startswith("http://")
    srv.stop()
    # true with the files: HTTPS on both ports.
    srv = start(server_factory, workdir,
                variant(**{"tls.enabled": "true", "tls.cert_file": f'"{cert}"',
                           "tls.key_file": f'"{key}"'}), data="data2")
    r = requests.get(f"https://127.0.0.1:{srv.port}/_maxiofs/health/live", verify=cert, timeout=10)
    assert r.status_code == 200
    assert console_base(srv).startswith("https://")
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{srv.port}/_maxiofs/health/live", timeout=10)
    srv.stop()
    # true without files: refused, naming the key.
    cfg = write(os.path.join(workdir, "tls.yaml"), variant(**{"tls.enabled": "true"}))
    expect_refused(maxiofs_bin, ["--config", cfg, "--listen", "127.0.0.1:0",
                                 "--console-listen", "127.0.0.1:0", "--data-dir", "d3"], workdir,
                   "invalid tls.cert_file", "must be set when tls.enabled is true")


# --- storage.backend, storage.root ------------------------------------------------------------
def test_storage_backend_and_root(server_factory, maxiofs_bin, workdir):
    cfg = write(os.path.join(workdir, "nfs.yaml"), variant(**{"storage.backend": '"nfs"'}))
    out = expect_refused(maxiofs_bin, ["--config", cfg, "--listen", "127.0.0.1:0",
                                       "--console-listen", "127.0.0.1:0", "--data-dir", "d"],
                         workdir, "invalid storage.backend 'nfs'", "filesystem")
    assert "storage backends: filesystem, s3, azure, gcs" in out
    # A remote backend without its keys: refused at start, naming the missing key.
    cfg = write(os.path.join(workdir, "s3.yaml"), variant(**{"storage.backend": '"s3"'}))
    p = run_binary(maxiofs_bin, ["server", "--config", cfg, "--listen", "127.0.0.1:0",
                                 "--console-listen", "127.0.0.1:0", "--data-dir", "d"], cwd=workdir)
    assert p.returncode != 0 and "storage.s3.endpoint must be set" in p.stdout + p.stderr
    # Another root: the blobs go there, none under the data dir.
    root = os.path.join(workdir, "blob-disk", "objects")  # created; its parent must exist
    os.mkdir(os.path.join(workdir, "blob-disk"))
    srv = start(server_factory, workdir, variant(**{"storage.root": f'"{root}"'}))
    serves_s3(srv)
    srv.stop()
    assert len(blob_files(root)) == 1
    assert blob_files(os.path.join(workdir, "data")) == []
    # The data dir is bound to its blob directory: another data dir cannot take it over.
    p = run_binary(maxiofs_bin, ["server", "--config", os.path.join(workdir, "maxiofs.yaml"),
                                 "--data-dir", "other", "--listen", "127.0.0.1:0",
                                 "--console-listen", "127.0.0.1:0"], cwd=workdir)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "belongs to another data dir" in p.stdout + p.stderr
    assert len(blob_files(root)) == 1  # nothing swept


# --- storage.object_lock.enabled ------------------------------------------------------------
def test_object_lock_enabled(server_factory, workdir):
    srv = start(server_factory, workdir, ORIGINAL_YAML)
    s3 = srv.client()
    s3.create_bucket(Bucket="locked", ObjectLockEnabledForBucket=True)
    v = s3.put_object(Bucket="locked", Key="k", Body=b"kept", ObjectLockMode="COMPLIANCE",
                      ObjectLockRetainUntilDate="2099-01-01T00:00:00Z")["VersionId"]
    srv.stop()
    srv = start(server_factory, workdir, variant(**{"storage.object_lock.enabled": "false"}))
    s3 = srv.client()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.create_bucket(Bucket="new-locked", ObjectLockEnabledForBucket=True)
    assert err_code(e.value) == "InvalidRequest" and err_status(e.value) == 400
    assert "storage.object_lock.enabled" in e.value.response["Error"]["Message"]
    s3.create_bucket(Bucket="new-plain")
    # The existing locked bucket keeps its lock.
    assert s3.get_object_lock_configuration(Bucket="locked")["ObjectLockConfiguration"][
        "ObjectLockEnabled"] == "Enabled"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.delete_object(Bucket="locked", Key="k", VersionId=v)
    assert err_status(e.value) == 403
    assert s3.get_object(Bucket="locked", Key="k")["Body"].read() == b"kept"


# --- auth.enabled ---------------------------------------------------------------------------
def test_auth_disabled_serves_anonymous_requests_as_root_on_loopback(server_factory, workdir):
    srv = start(server_factory, workdir, variant(**{"auth.enabled": "false"}))
    assert "SECURITY WARNING: auth.enabled is false" in srv.log_tail(10000)
    anon = boto3_client(srv.endpoint, None, None,
                        signature_version=botocore.UNSIGNED)
    anon.create_bucket(Bucket="open")
    anon.put_object(Bucket="open", Key="k", Body=b"no keys needed")
    assert anon.get_object(Bucket="open", Key="k")["Body"].read() == b"no keys needed"
    # Signed requests are still checked.
    with pytest.raises(botocore.exceptions.ClientError) as e:
        boto3_client(srv.endpoint, "maxioadmin", "wrong-secret").list_buckets()
    assert err_code(e.value) == "SignatureDoesNotMatch"
    # The console logs anyone in as root.
    r = requests.post(console_base(srv) + "/api/v1/auth/login",
                      json={"user": "anyone", "password": "whatever"}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["kind"] == "root" and r.json()["user"] == "maxioadmin"
    # With auth on, the same anonymous request is refused.
    srv.stop()
    srv = start(server_factory, workdir, ORIGINAL_YAML)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        boto3_client(srv.endpoint, None, None, signature_version=botocore.UNSIGNED).put_object(
            Bucket="open", Key="k2", Body=b"x")
    assert err_code(e.value) == "AccessDenied"
    r = requests.post(console_base(srv) + "/api/v1/auth/login",
                      json={"user": "anyone", "password": "whatever"}, timeout=10)
    assert r.status_code == 401


def test_auth_disabled_on_a_non_loopback_address_refuses_to_start(maxiofs_bin, workdir):
    cfg = write(os.path.join(workdir, "open.yaml"), variant(**{"auth.enabled": "false"}))
    # The file's own ":8080" is every interface.
    expect_refused(maxiofs_bin, ["--config", cfg, "--data-dir", "d", "--console-listen",
                                 "127.0.0.1:0"], workdir,
                   "invalid auth.enabled", "every listen address is loopback",
                   "server.listen is ':8080'")
    expect_refused(maxiofs_bin, ["--config", cfg, "--data-dir", "d", "--listen", "127.0.0.1:0",
                                 "--console-listen", "0.0.0.0:0"], workdir,
                   "server.console_listen is '0.0.0.0:0'")
    assert not os.path.exists(os.path.join(workdir, "d"))  # nothing was created


# --- auth.jwt_secret ------------------------------------------------------------------------
def b64url_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def test_jwt_secret_signs_console_sessions(server_factory, maxiofs_bin, workdir):
    secret = "a-console-session-secret-of-40-characters"
    srv = start(server_factory, workdir, variant(**{"auth.jwt_secret": f'"{secret}"'}))
    s = requests.Session()
    r = s.post(console_base(srv) + "/api/v1/auth/login",
               json={"user": "maxioadmin", "password": "maxioadmin"}, timeout=10)
    assert r.status_code == 200, r.text
    token = s.cookies.get("maxiofs_session")
    head, payload, sig = token.split(".")
    want = hmac.new(secret.encode(), f"{head}.{payload}".encode(), hashlib.sha256).digest()
    assert b64url_decode(sig) == want
    assert json.loads(b64url_decode(head))["alg"] == "HS256"
    srv.stop()
    # Both names set to different values: refused.
    cfg = write(os.path.join(workdir, "two.yaml"),
                variant(**{"auth.jwt_secret": f'"{secret}"'}) +
                "console:\n  session_secret: \"another-secret-of-at-least-32-chars!!\"\n")
    expect_refused(maxiofs_bin, ["--config", cfg, "--listen", "127.0.0.1:0",
                                 "--console-listen", "127.0.0.1:0", "--data-dir", "d"], workdir,
                   "invalid auth.jwt_secret", "console.session_secret")


# --- metrics.path, metrics.interval ---------------------------------------------------------
def scrape(url):
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode()


def objects_gauge(text_, bucket):
    m = re.search(rf'^maxiofs_bucket_objects\{{bucket="{bucket}"\}} (\S+)$', text_, re.M)
    return float(m.group(1)) if m else None


def test_metrics_path_and_interval(server_factory, workdir):
    srv = start(server_factory, workdir, ORIGINAL_YAML, extra=["--metrics-listen", "127.0.0.1:0"])
    port = int(METRICS_RE.search(srv.log_tail(10000)).group(1))
    s3 = srv.client()
    s3.create_bucket(Bucket="usage")
    s3.put_object(Bucket="usage", Key="a", Body=b"a")
    # metrics.path on the metrics listener (and /_maxiofs/metrics there too).
    body = scrape(f"http://127.0.0.1:{port}/metrics")
    assert "maxiofs_http_requests_total" in body
    assert objects_gauge(body, "usage") == 1
    assert "maxiofs_http_requests_total" in scrape(f"http://127.0.0.1:{port}/_maxiofs/metrics")
    # On the S3 port, /metrics is a bucket's name, not the metrics.
    r = requests.get(srv.endpoint + "/metrics", timeout=10)
    assert r.status_code in (403, 404) and "maxiofs_http_requests_total" not in r.text
    # Usage gauges come from the engine's exact counters (issue 18): a scrape right after a
    # change shows it, whatever metrics.interval is (which now paces the disk gauges only).
    s3.put_object(Bucket="usage", Key="b", Body=b"b")
    assert objects_gauge(scrape(f"http://127.0.0.1:{port}/metrics"), "usage") == 2
    assert "maxiofs_disk_" in scrape(f"http://127.0.0.1:{port}/metrics")
    srv.stop()
    # interval: 1 is accepted and changes nothing of that.
    srv = start(server_factory, workdir, variant(**{"metrics.interval": "1"}),
                extra=["--metrics-listen", "127.0.0.1:0"])
    port = int(METRICS_RE.search(srv.log_tail(10000)).group(1))
    s3 = srv.client()
    assert objects_gauge(scrape(f"http://127.0.0.1:{port}/metrics"), "usage") == 2
    s3.put_object(Bucket="usage", Key="c", Body=b"c")
    deadline = time.monotonic() + 10
    while objects_gauge(scrape(f"http://127.0.0.1:{port}/metrics"), "usage") != 3:
        assert time.monotonic() < deadline, "usage not refreshed within 10 s"
        time.sleep(0.2)


# --- the command line -----------------------------------------------------------------------
def test_version_help_and_man_page(maxiofs_bin, workdir):
    v = run_binary(maxiofs_bin, ["--version"])
    assert v.returncode == 0 and re.fullmatch(r"maxiofs \d+\.\d+\.\d+\n", v.stdout), v.stdout
    assert run_binary(maxiofs_bin, ["version"]).stdout == v.stdout
    h = run_binary(maxiofs_bin, ["help"])
    assert h.returncode == 0
    for command in ["server", "config", "admin", "version", "help"]:
        assert re.search(rf"^\s+{command}\b", h.stdout, re.M), h.stdout
    hs = run_binary(maxiofs_bin, ["help", "server"])
    assert hs.returncode == 0
    assert hs.stdout == run_binary(maxiofs_bin, ["server", "--help"]).stdout
    assert run_binary(maxiofs_bin, ["help", "nope"]).returncode == 2
    man = run_binary(maxiofs_bin, ["help", "--man"])
    assert man.returncode == 0 and man.stdout.startswith(".\\\"")
    # Every key of --help is in the page, with its variable.
    for env in re.findall(r"env (MAXIOFS_[A-Z0-9_]+)", hs.stdout):
        assert env in man.stdout, env
    page = write(os.path.join(workdir, "maxiofs.8"), man.stdout)
    # groff's own warnings (what lintian's man-page check reports) must be empty.
    g = subprocess.run(["groff", "-man", "-ww", "-z", page], capture_output=True, text=True,
                       timeout=60)
    assert g.returncode == 0 and g.stderr == "", g.stderr
    rendered = subprocess.run(["man", "-l", page], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "MANWIDTH": "100", "MAN_KEEP_FORMATTING": "0"})
    plain = re.sub(r".\x08", "", rendered.stdout)  # drop the overstrike of bold text
    assert "storage.compression.type" in plain
    assert "MAXIOFS_STORAGE_COMPRESSION_TYPE" in plain
