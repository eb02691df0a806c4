# Integration-test harness: starts the real `maxiofs` binary on a free loopback port with a fresh
# data dir and random credentials, and hands tests an endpoint, clients and fresh buckets.
#
# Binary: --maxiofs-bin PATH or env MAXIOFS_BIN. Run with Debian's interpreter:
#   /usr/bin/python3 -m pytest -q tests/integration --maxiofs-bin build/maxiofs
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Everything here talks plain http on loopback; a CA bundle from the environment only gets in
# the way (rclone refuses to start with it).
os.environ.pop("AWS_CA_BUNDLE", None)

from s3util import (  # noqa: E402  (path set above)
    REGION,
    boto3_client,
    empty_and_delete_bucket,
    http_get,
)

READY_RE = re.compile(r"maxiofs ready: s3=(?P<host>[^\s:]+|\[[^\]]+\]):(?P<port>\d+) data=(?P<data>\S+)")
READY_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 15.0
KEEP_LOG_DIR = os.environ.get("MAXIOFS_IT_LOG_DIR", os.path.join(tempfile.gettempdir(), "maxiofs-it-logs"))


def pytest_addoption(parser):
    parser.addoption("--maxiofs-bin", action="store", default=os.environ.get("MAXIOFS_BIN"),
                     help="path to the maxiofs executable (or env MAXIOFS_BIN)")


def _binary(config):
    path = config.getoption("--maxiofs-bin")
    if not path:
        pytest.exit("no maxiofs binary: pass --maxiofs-bin PATH or set MAXIOFS_BIN", returncode=4)
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        pytest.exit(f"maxiofs binary not executable: {path}", returncode=4)
    return path


class ServerProcess:
    """One running maxiofs server. Use ServerFactory.start() to create."""

    def __init__(self, binary, data_dir, access_key, secret_key, extra_args=(), owns_data_dir=True,
                 env=None, credential_flags=True, cwd=None):
        self.extra_env = dict(env or {})
        # False: no --access-key/--secret-key/--log-level (the config file decides them).
        self.credential_flags = credential_flags
        self.cwd = cwd
        self.binary = binary
        self.data_dir = data_dir
        self.access_key = access_key
        self.secret_key = secret_key
        self.extra_args = list(extra_args)
        self.owns_data_dir = owns_data_dir
        self.log_path = None
        self.proc = None
        self.host = None
        self.port = None
        self.failed = False

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self):
        fd, self.log_path = tempfile.mkstemp(prefix="maxiofs-it-", suffix=".log")
        os.close(fd)
        args = [self.binary, "server",
                "--data-dir", self.data_dir,
                "--listen", "127.0.0.1:0",
                "--console-listen", "127.0.0.1:0"]
        if self.credential_flags:
            args += ["--access-key", self.access_key,
                     "--secret-key", self.secret_key,
                     "--log-level", os.environ.get("MAXIOFS_IT_LOG_LEVEL", "info")]
        args += self.extra_args
        env = dict(os.environ)
        # Never let the environment (MAXIOFS_*) override what the test asked for.
        for k in list(env):
            if k.startswith("MAXIOFS_") and k not in ("MAXIOFS_BIN",):
                del env[k]
        env.update(self.extra_env)
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, env=env, start_new_session=True,
                                     cwd=self.cwd)
        deadline = time.monotonic() + READY_TIMEOUT_S
        while time.monotonic() < deadline:
            m = self._find_ready()
            if m:
                self.host = m.group("host").strip("[]")
                self.port = int(m.group("port"))
                return self
            if self.proc.poll() is not None:
                self.failed = True
                raise RuntimeError(f"maxiofs exited with {self.proc.returncode} before ready:\n"
                                   + self.log_tail())
            time.sleep(0.05)
        self.failed = True
        self.kill()
        raise RuntimeError(f"maxiofs not ready within {READY_TIMEOUT_S}s:\n" + self.log_tail())

    def _find_ready(self):
        with open(self.log_path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
        return READY_RE.search(text)

    @property
    def pid(self):
        return self.proc.pid

    @property
    def endpoint(self):
        return f"http://{self.host}:{self.port}"

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=STOP_TIMEOUT_S):
        """SIGTERM, bounded wait, then SIGKILL. Returns the exit code (or -9)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.failed = True
                print(f"maxiofs pid {self.proc.pid} ignored SIGTERM for {timeout}s; SIGKILL",
                      file=sys.stderr)
                self.kill()
        self._log.close()
        return self.proc.returncode

    def kill(self):
        """kill -9 by PID (crash simulation)."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=STOP_TIMEOUT_S)

    def log_tail(self, n=60):
        if not self.log_path or not os.path.exists(self.log_path):
            return "(no log)"
        with open(self.log_path, "rb") as f:
            lines = f.read().decode("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])

    def rss_kib(self):
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    # -- clients -----------------------------------------------------------------------------
    def client(self, **kw):
        return boto3_client(self.endpoint, self.access_key, self.secret_key, **kw)

    def health(self, which="live", timeout=5):
        status, _, _ = http_get(self.host, self.port, f"/_maxiofs/health/{which}", timeout=timeout)
        return status

    def cleanup(self, keep_log):
        self.stop()
        if keep_log and self.log_path and os.path.exists(self.log_path):
            os.makedirs(KEEP_LOG_DIR, exist_ok=True)
            kept = os.path.join(KEEP_LOG_DIR, os.path.basename(self.log_path))
            shutil.copy(self.log_path, kept)
            print(f"\n---- maxiofs server log (kept at {kept}), tail ----\n{self.log_tail()}\n",
                  file=sys.stderr)
        if self.log_path and os.path.exists(self.log_path):
            os.unlink(self.log_path)
        if self.owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)


class ServerFactory:
    """Starts extra servers (restart tests, virtual-host tests); cleans them all up."""

    def __init__(self, binary):
        self.binary = binary
        self.servers = []
        self.any_failure = False

    def start(self, data_dir=None, access_key=None, secret_key=None, extra_args=(), env=None,
              credential_flags=True, cwd=None):
        owns = data_dir is None
        if data_dir is None:
            data_dir = tempfile.mkdtemp(prefix="maxiofs-it-data-")
        srv = ServerProcess(self.binary, data_dir,
                            access_key or ("IT" + secrets.token_hex(8).upper()),
                            secret_key or secrets.token_urlsafe(30),
                            extra_args=extra_args, owns_data_dir=owns, env=env,
                            credential_flags=credential_flags, cwd=cwd)
        self.servers.append(srv)
        srv.start()
        return srv

    def cleanup(self):
        for srv in reversed(self.servers):
            srv.cleanup(keep_log=self.any_failure or srv.failed)
        self.servers.clear()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.failed:
        item.session.config._maxiofs_failed = True


@pytest.fixture(scope="session")
def maxiofs_bin(pytestconfig):
    return _binary(pytestconfig)


@pytest.fixture(scope="session")
def server_factory(pytestconfig, maxiofs_bin):
    factory = ServerFactory(maxiofs_bin)
    yield factory
    factory.any_failure = getattr(pytestconfig, "_maxiofs_failed", False)
    factory.cleanup()


@pytest.fixture(scope="session")
def server(server_factory):
    """The shared server of this pytest session (one per test file under ctest)."""
    return server_factory.start()


@pytest.fixture(autouse=True)
def _server_still_healthy(request):
    """After every test that used the shared server, it must still be alive and healthy."""
    yield
    if "server" in request.fixturenames:
        srv = request.getfixturevalue("server")
        assert srv.alive(), "maxiofs died during the test:\n" + srv.log_tail()
        assert srv.health("live") == 200, "health/live failed after the test"


@pytest.fixture(scope="session")
def s3(server):
    return server.client()


def unique_bucket_name(prefix="it"):
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


@pytest.fixture
def bucket(s3):
    """A fresh, empty bucket; removed with its contents afterwards."""
    name = unique_bucket_name()
    s3.create_bucket(Bucket=name)
    yield name
    empty_and_delete_bucket(s3, name)


@pytest.fixture
def bucket_name(s3):
    """A fresh bucket name that does not exist yet; removed afterwards if a test created it."""
    name = unique_bucket_name()
    yield name
    empty_and_delete_bucket(s3, name)


@pytest.fixture
def tmp_dir():
    d = tempfile.mkdtemp(prefix="maxiofs-it-tmp-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


def client_env(server, tmp):
    """Environment for CLI clients: explicit credentials, no CA bundle, temp config files."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and not k.startswith("RCLONE_")}
    cfg = os.path.join(tmp, "aws-config")
    creds = os.path.join(tmp, "aws-credentials")
    if not os.path.exists(cfg):
        with open(cfg, "w") as f:
            f.write("[default]\nregion = %s\n" % REGION)
    if not os.path.exists(creds):
        with open(creds, "w") as f:
            f.write("")
    env.update({
        "AWS_ACCESS_KEY_ID": server.access_key,
        "AWS_SECRET_ACCESS_KEY": server.secret_key,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": cfg,
        "AWS_SHARED_CREDENTIALS_FILE": creds,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
        "HOME": tmp,
    })
    return env
