# HTTPS on the S3 port: a self-signed certificate made here with the openssl CLI, real
# clients (boto3, aws cli, curl) verifying it, TLS 1.1 refused, and SIGHUP reloading the
# certificate for new connections while an open connection keeps working.
import hashlib
import http.client
import os
import shutil
import signal
import ssl
import subprocess
import tempfile
import time

import boto3
import pytest


def make_cert(directory, name, cn):
    """A self-signed certificate for 127.0.0.1 (SAN) and its key; returns (cert, key)."""
    cert = os.path.join(directory, name + ".pem")
    key = os.path.join(directory, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", f"/CN={cn}", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
                    "-keyout", key, "-out", cert], check=True, capture_output=True, timeout=60)
    return cert, key


def fingerprint(der):
    return hashlib.sha256(der).hexdigest()


def file_fingerprint(cert):
    der = ssl.PEM_cert_to_DER_cert(open(cert).read())
    return fingerprint(der)


@pytest.fixture(scope="module")
def tls_dir():
    d = tempfile.mkdtemp(prefix="maxiofs-tls-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def tls_server(server_factory, tls_dir):
    cert, key = make_cert(tls_dir, "a", "maxiofs-a")
    # The server reads these paths; the test replaces their contents to test the reload.
    live_cert = os.path.join(tls_dir, "live.pem")
    live_key = os.path.join(tls_dir, "live.key")
    shutil.copy(cert, live_cert)
    shutil.copy(key, live_key)
    srv = server_factory.start(extra_args=["--tls-cert", live_cert, "--tls-key", live_key])
    srv.ca = cert
    srv.live_cert, srv.live_key = live_cert, live_key
    srv.https = f"https://127.0.0.1:{srv.port}"
    return srv


def context(ca, **kw):
    ctx = ssl.create_default_context(cafile=ca)
    for k, v in kw.items():
        setattr(ctx, k, v)
    return ctx


def test_boto3_over_https_verifies_the_certificate(tls_server):
    client = boto3.session.Session().client(
        "s3", endpoint_url=tls_server.https, region_name="us-east-1", verify=tls_server.ca,
        aws_access_key_id=tls_server.access_key, aws_secret_access_key=tls_server.secret_key)
    client.create_bucket(Bucket="tls-boto3")
    client.put_object(Bucket="tls-boto3", Key="k", Body=b"over tls")
    assert client.get_object(Bucket="tls-boto3", Key="k")["Body"].read() == b"over tls"
    # A body larger than one read chunk is read from the TLS stream straight into the body
    # chunk (several 1 MiB chunks); it must come back whole, with its MD5 as the ETag.
    big = os.urandom(3 * 1024 * 1024 + 17)
    etag = client.put_object(Bucket="tls-boto3", Key="big", Body=big)["ETag"].strip('"')
    assert etag == hashlib.md5(big).hexdigest()
    assert client.get_object(Bucket="tls-boto3", Key="big")["Body"].read() == big
    # Without the CA the client refuses the self-signed certificate.
    untrusting = boto3.session.Session().client(
        "s3", endpoint_url=tls_server.https, region_name="us-east-1",
        aws_access_key_id=tls_server.access_key, aws_secret_access_key=tls_server.secret_key)
    with pytest.raises(Exception) as e:
        untrusting.list_buckets()
    assert "certificate" in str(e.value).lower() or "ssl" in str(e.value).lower()


def test_aws_cli_and_curl_over_https(tls_server, tmp_path):
    env = dict(os.environ, AWS_ACCESS_KEY_ID=tls_server.access_key,
               AWS_SECRET_ACCESS_KEY=tls_server.secret_key, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=str(tmp_path / "cfg"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "cr"))
    env.pop("AWS_CA_BUNDLE", None)
    src = tmp_path / "f.txt"
    src.write_bytes(b"aws cli over tls")
    base = ["/usr/bin/aws", "--endpoint-url", tls_server.https, "--ca-bundle", tls_server.ca]
    subprocess.run(base + ["s3", "mb", "s3://tls-cli"], check=True, env=env, timeout=120,
                   capture_output=True)
    subprocess.run(base + ["s3", "cp", str(src), "s3://tls-cli/f.txt"], check=True, env=env,
                   timeout=120, capture_output=True)
    out = subprocess.run(base + ["s3", "cp", "s3://tls-cli/f.txt", "-"], check=True, env=env,
                         timeout=120, capture_output=True).stdout
    assert out == b"aws cli over tls"
    health = subprocess.run(["curl", "-sS", "--cacert", tls_server.ca, "--max-time", "10",
                             tls_server.https + "/_maxiofs/health/ready"],
                            capture_output=True, text=True, timeout=30)
    assert health.returncode == 0 and '"ok"' in health.stdout, health
    plain = subprocess.run(["curl", "-sS", "--max-time", "10",
                            f"http://127.0.0.1:{tls_server.port}/_maxiofs/health/live"],
                           capture_output=True, text=True, timeout=30)
    assert '"ok"' not in plain.stdout  # plain HTTP gets no answer on the TLS port


def test_tls_1_1_is_refused_and_1_2_accepted(tls_server):
    old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    old.load_verify_locations(tls_server.ca)
    old.set_ciphers("DEFAULT:@SECLEVEL=0")  # let the client offer TLS 1.1 at all
    old.minimum_version = ssl.TLSVersion.TLSv1_1
    old.maximum_version = ssl.TLSVersion.TLSv1_1
    conn = http.client.HTTPSConnection("127.0.0.1", tls_server.port, context=old, timeout=10)
    with pytest.raises(ssl.SSLError) as e:
        conn.request("GET", "/_maxiofs/health/live")
        conn.getresponse()
    assert "version" in str(e.value).lower(), e.value
    conn.close()

    ok = context(tls_server.ca, maximum_version=ssl.TLSVersion.TLSv1_2)
    conn = http.client.HTTPSConnection("127.0.0.1", tls_server.port, context=ok, timeout=10)
    conn.request("GET", "/_maxiofs/health/live")
    assert conn.getresponse().status == 200
    assert conn.sock.version() == "TLSv1.2"
    conn.close()


def test_min_version_1_3_refuses_1_2(server_factory, tls_dir):
    cert, key = make_cert(tls_dir, "v13", "maxiofs-v13")
    srv = server_factory.start(extra_args=["--tls-cert", cert, "--tls-key", key,
                                           "--tls-min-version", "1.3"])
    conn = http.client.HTTPSConnection(
        "127.0.0.1", srv.port, timeout=10,
        context=context(cert, maximum_version=ssl.TLSVersion.TLSv1_2))
    with pytest.raises(ssl.SSLError):
        conn.request("GET", "/_maxiofs/health/live")
        conn.getresponse()
    conn.close()
    conn = http.client.HTTPSConnection("127.0.0.1", srv.port, timeout=10, context=context(cert))
    conn.request("GET", "/_maxiofs/health/live")
    assert conn.getresponse().status == 200
    assert conn.sock.version() == "TLSv1.3"
    conn.close()


def test_sighup_reloads_the_certificate_without_dropping_connections(tls_server, tls_dir):
    cert_b, key_b = make_cert(tls_dir, "b", "maxiofs-b")
    both = os.path.join(tls_dir, "both.pem")
    with open(both, "w") as f:
        f.write(open(tls_server.ca).read() + open(cert_b).read())

    old = http.client.HTTPSConnection("127.0.0.1", tls_server.port, timeout=10,
                                      context=context(both))
    old.request("GET", "/_maxiofs/health/live")
    assert old.getresponse().read()
    before = fingerprint(old.sock.getpeercert(binary_form=True))
    assert before == file_fingerprint(tls_server.live_cert)

    # Replace the files (rename over them, as certbot and friends do) and signal.
    shutil.copy(cert_b, tls_server.live_cert + ".new")
    shutil.copy(key_b, tls_server.live_key + ".new")
    os.replace(tls_server.live_key + ".new", tls_server.live_key)
    os.replace(tls_server.live_cert + ".new", tls_server.live_cert)
    os.kill(tls_server.pid, signal.SIGHUP)

    deadline = time.monotonic() + 10
    after = before
    while time.monotonic() < deadline and after == before:
        new = http.client.HTTPSConnection("127.0.0.1", tls_server.port, timeout=10,
                                          context=context(both))
        new.request("GET", "/_maxiofs/health/live")
        assert new.getresponse().status == 200
        after = fingerprint(new.sock.getpeercert(binary_form=True))
        new.close()
        time.sleep(0.1)
    assert after == file_fingerprint(cert_b), "new connections did not get the new certificate"

    # The connection opened before the reload still works, with its old certificate.
    old.request("GET", "/_maxiofs/health/live")
    assert old.getresponse().status == 200
    assert fingerprint(old.sock.getpeercert(binary_form=True)) == before
    old.close()
    assert tls_server.alive()


def test_broken_certificate_on_reload_keeps_the_old_one(tls_server, tls_dir):
    good = open(tls_server.live_cert).read()
    with open(tls_server.live_cert, "w") as f:
        f.write("not a certificate\n")
    try:
        os.kill(tls_server.pid, signal.SIGHUP)
        time.sleep(0.5)
        conn = http.client.HTTPSConnection("127.0.0.1", tls_server.port, timeout=10,
                                           context=ssl._create_unverified_context())
        conn.request("GET", "/_maxiofs/health/live")
        assert conn.getresponse().status == 200
        conn.close()
        assert "cannot reload" in tls_server.log_tail(200).lower()
    finally:
        with open(tls_server.live_cert, "w") as f:
            f.write(good)


def test_console_port_speaks_https_with_a_secure_session_cookie(server_factory, tls_dir):
    """tls.* covers both ports: the console serves its app and API over HTTPS only, and the
    session cookie it sets there is Secure. (Its own server: the module's one has had its
    certificate replaced by the reload tests.)"""
    import re
    import requests

    cert, key = make_cert(tls_dir, "console", "maxiofs-console")
    tls_server = server_factory.start(extra_args=["--tls-cert", cert, "--tls-key", key])
    tls_server.ca = cert

    pattern = re.compile(r"web console listening on https://[^\s]+:(\d+)")
    deadline = time.monotonic() + 10
    port = None
    while port is None and time.monotonic() < deadline:
        m = pattern.search(open(tls_server.log_path, "rb").read().decode("utf-8", "replace"))
        if m:
            port = int(m.group(1))
        else:
            time.sleep(0.05)
    assert port, "no https console line in the log:\n" + tls_server.log_tail()
    base = f"https://127.0.0.1:{port}"
    page = requests.get(base + "/", verify=tls_server.ca, timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()
    login = requests.post(base + "/api/v1/auth/login", verify=tls_server.ca, timeout=10,
                          headers={"Origin": base},
                          json={"accessKey": tls_server.access_key,
                                "secretKey": tls_server.secret_key})
    assert login.status_code == 200, login.text
    cookie = login.headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie, cookie
    # Plain HTTP gets no answer on the console's TLS port.
    with pytest.raises(requests.exceptions.RequestException):
        requests.get(f"http://127.0.0.1:{port}/", timeout=5)
