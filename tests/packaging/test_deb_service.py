# The .deb installed with dpkg/apt on a clean Debian 12 booted with systemd-nspawn: the unit
# starts as the maxiofs user and answers S3 from the host; removal and purge keep the data.
import os
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

from conftest import free_port, run, wait_for
from s3util import boto3_client

BOOT_TIMEOUT_S = 60


class NspawnMachine:
    """A copy of the cached systemd root, booted with systemd-nspawn (host network)."""

    def __init__(self, template):
        # /var/tmp, not /tmp: nspawn gives the guest its own /tmp.
        self.root = tempfile.mkdtemp(prefix="maxiofs-nspawn-", dir="/var/tmp")
        run(["cp", "-a", "--reflink=auto", template + "/.", self.root], timeout=300)
        self.name = "maxiofs-" + os.path.basename(self.root)[-6:].lower().replace("_", "x")
        self.init_pid = None
        self.log = open(os.path.join(self.root + ".log"), "w")
        self.proc = subprocess.Popen(
            ["systemd-nspawn", "--register=no", "--keep-unit", "-q", "-D", self.root,
             "-M", self.name, "-b"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_for(self._booted, BOOT_TIMEOUT_S, what="the guest's boot")
        except BaseException:
            self.close()
            raise

    def _booted(self):
        # nspawn's first child may be a short-lived intermediate: find init afresh each time.
        self.init_pid = self._init_pid()
        if self.init_pid is None:
            return False
        state = self.sh("systemctl is-system-running", check=False).stdout.strip()
        return state in ("running", "degraded")

    def _init_pid(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"systemd-nspawn exited {self.proc.returncode}")
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)],
                             capture_output=True, text=True, timeout=10).stdout.split()
        return int(out[0]) if out else None

    def sh(self, script, timeout=120, check=True):
        return run(["nsenter", "-t", str(self.init_pid), "-a", "/bin/sh", "-c", script],
                   timeout=timeout, check=check)

    def put_file(self, src, name):
        dest = os.path.join(self.root, "var", "tmp", name)
        shutil.copy(src, dest)
        return "/var/tmp/" + name

    def close(self):
        if self.proc.poll() is None:
            try:
                os.kill(self._init_pid() or self.proc.pid, signal.SIGRTMIN + 3)  # poweroff
                self.proc.wait(timeout=30)
            except Exception:  # noqa: BLE001
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.log.close()
        shutil.rmtree(self.root, ignore_errors=True)
        try:
            os.unlink(self.root + ".log")
        except OSError:
            pass


@pytest.fixture
def machine(rootfs):
    m = NspawnMachine(os.path.join(rootfs, "systemd"))
    try:
        yield m
    finally:
        m.close()


def test_deb_installs_starts_answers_s3_and_keeps_data_on_removal(machine, packages):
    port = free_port()
    # The machine shares the host's network: the console's default :8081 may be taken there.
    console_port = free_port()
    secret = "nspawn-secret-" + str(port)
    deb = machine.put_file(packages["deb"], os.path.basename(packages["deb"]))
    # The documented place for secrets and overrides, read by the unit if present.
    machine.sh("install -d -m 0755 /etc/maxiofs && "
               f"printf 'MAXIOFS_SERVER_LISTEN=127.0.0.1:{port}\\n"
               f"MAXIOFS_SERVER_CONSOLE_LISTEN=127.0.0.1:{console_port}\\n"
               "MAXIOFS_AUTH_ACCESS_KEY=pkgtest\\n"
               f"MAXIOFS_AUTH_SECRET_KEY={secret}\\n' > /etc/maxiofs/maxiofs.env && "
               "chmod 0600 /etc/maxiofs/maxiofs.env")
    install = machine.sh(f"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                         f"--no-install-recommends {deb}", timeout=300, check=False)
    assert install.returncode == 0, install.stdout + install.stderr

    wait_for(lambda: machine.sh("systemctl is-active maxiofs", check=False).stdout.strip()
             == "active", 30, what="maxiofs.service active")
    user = machine.sh("stat -c %U /proc/$(systemctl show -p MainPID --value maxiofs)").stdout
    assert user.strip() == "maxiofs", user
    assert machine.sh("stat -c %U:%a /var/lib/maxiofs").stdout.strip() == "maxiofs:750"

    s3 = boto3_client(f"http://127.0.0.1:{port}", "pkgtest", secret)
    wait_for(lambda: s3.list_buckets() is not None, 30, what="S3 answering")
    s3.create_bucket(Bucket="pkgtest")
    s3.put_object(Bucket="pkgtest", Key="hello.txt", Body=b"hello from the host")
    assert s3.get_object(Bucket="pkgtest", Key="hello.txt")["Body"].read() == b"hello from the host"

    # Reload (SIGHUP) keeps the service up.
    machine.sh("systemctl reload maxiofs")
    assert machine.sh("systemctl is-active maxiofs", check=False).stdout.strip() == "active"

    machine.sh("DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq maxiofs", timeout=120)
    assert machine.sh("systemctl is-active maxiofs", check=False).stdout.strip() != "active"
    assert machine.sh("test ! -e /usr/bin/maxiofs && ls /var/lib/maxiofs").stdout.split(), \
        "data dir emptied on remove"
    machine.sh("DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq maxiofs", timeout=120)
    kept = machine.sh("find /var/lib/maxiofs -type f | wc -l; getent passwd maxiofs").stdout
    assert int(kept.split()[0]) > 0, "data dir emptied on purge"
    assert "maxiofs:" in kept, "user removed on purge"

    # Reinstalling finds the same data.
    machine.sh(f"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "
               f"{deb}", timeout=300)
    machine.sh("install -d -m 0755 /etc/maxiofs && "
               f"printf 'MAXIOFS_SERVER_LISTEN=127.0.0.1:{port}\\n"
               f"MAXIOFS_SERVER_CONSOLE_LISTEN=127.0.0.1:{console_port}\\n"
               "MAXIOFS_AUTH_ACCESS_KEY=pkgtest\\n"
               f"MAXIOFS_AUTH_SECRET_KEY={secret}\\n' > /etc/maxiofs/maxiofs.env && "
               "systemctl restart maxiofs")
    body = wait_for(lambda: s3.get_object(Bucket="pkgtest", Key="hello.txt")["Body"].read(), 30,
                    what="the object after reinstall")
    assert body == b"hello from the host"
    machine.sh("systemctl stop maxiofs")
