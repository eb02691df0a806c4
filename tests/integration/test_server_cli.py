# The command-line contract: ready line, health endpoints, `version`, clear failures.
import socket
import subprocess


from s3util import http_get


def test_health_endpoints_without_auth(server):
    for which in ("live", "ready"):
        status, headers, _ = http_get(server.host, server.port, f"/_maxiofs/health/{which}")
        assert status == 200, which


def test_ready_line_reports_data_dir(server):
    with open(server.log_path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    lines = [ln for ln in text.splitlines() if "maxiofs ready:" in ln]
    assert len(lines) == 1, "exactly one ready line"
    assert f"s3=127.0.0.1:{server.port}" in lines[0]
    assert f"data={server.data_dir}" in lines[0] or "data=" in lines[0]


def test_secret_key_not_logged(server):
    s3 = server.client()
    s3.list_buckets()
    with open(server.log_path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    assert server.secret_key not in text, "secret keys must never be logged"


def test_version_subcommand(maxiofs_bin):
    p = subprocess.run([maxiofs_bin, "version"], capture_output=True, text=True, timeout=20)
    assert p.returncode == 0
    assert (p.stdout + p.stderr).strip()


def test_unknown_flag_fails_clearly(maxiofs_bin):
    p = subprocess.run([maxiofs_bin, "server", "--no-such-flag"], capture_output=True, text=True, timeout=20)
    assert p.returncode != 0
    assert "no-such-flag" in p.stdout + p.stderr


def test_port_in_use_exits_nonzero(maxiofs_bin, tmp_dir):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(1)
    port = s.getsockname()[1]
    try:
        p = subprocess.run([maxiofs_bin, "server", "--data-dir", tmp_dir, "--listen", f"127.0.0.1:{port}",
                            "--console-listen", "127.0.0.1:0", "--access-key", "k1234567",
                            "--secret-key", "s12345678901"], capture_output=True, text=True, timeout=30)
        assert p.returncode != 0
        assert str(port) in p.stdout + p.stderr or "in use" in (p.stdout + p.stderr).lower()
    finally:
        s.close()
