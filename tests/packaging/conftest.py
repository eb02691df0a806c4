# Packaging tests: the .deb and .rpm built by packaging/build-packages.sh, the .deb installed
# in a debootstrapped Debian booted with systemd-nspawn, and the container image built and run
# with podman. Every external command is bounded by a timeout; everything started is stopped
# (by PID or by container id) and everything created is removed, even on failure.
#
#   /usr/bin/python3 -m pytest -q tests/packaging --build-dir build
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
os.environ.pop("AWS_CA_BUNDLE", None)  # plain http on loopback

SRC_DIR = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def pytest_addoption(parser):
    parser.addoption("--build-dir", action="store", default=os.environ.get("MAXIOFS_BUILD_DIR"),
                     help="the CMake build dir holding maxiofs (packages go to BUILD/packages)")


@pytest.fixture(scope="session")
def build_dir(pytestconfig):
    path = pytestconfig.getoption("--build-dir")
    if not path or not os.access(os.path.join(path, "maxiofs"), os.X_OK):
        pytest.exit("pass --build-dir with a built maxiofs", returncode=4)
    return os.path.abspath(path)


def run(cmd, timeout, check=True, **kw):
    """Runs `cmd`, bounded by `timeout` seconds; returns the CompletedProcess (text)."""
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}\nstdout:\n{proc.stdout[-4000:]}\n"
                             f"stderr:\n{proc.stderr[-4000:]}")
    return proc


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout, interval=0.5, what="condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as e:  # noqa: BLE001 (report the last failure)
            last = e
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what} (last: {last!r})")


@pytest.fixture(scope="session")
def packages(build_dir):
    """Builds the .deb and .rpm once per session: {'deb': path, 'rpm': path}."""
    out = os.path.join(build_dir, "packages")
    shutil.rmtree(out, ignore_errors=True)
    proc = run(["bash", os.path.join(SRC_DIR, "packaging", "build-packages.sh"), build_dir, out],
               timeout=300)
    paths = proc.stdout.split()
    deb = next(p for p in paths if p.endswith(".deb"))
    rpm = next(p for p in paths if p.endswith(".rpm"))
    return {"deb": deb, "rpm": rpm}


@pytest.fixture(scope="session")
def rootfs(build_dir):
    """The cached Debian roots (packaging/debian-rootfs.sh): the directory holding them."""
    out = os.path.join(build_dir, "pkgtest", "rootfs")
    run(["bash", os.path.join(SRC_DIR, "packaging", "debian-rootfs.sh"), out, "systemd"],
        timeout=1500)
    return out
