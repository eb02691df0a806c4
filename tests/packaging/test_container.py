# The container image: built with podman from the Dockerfile on a base imported from the
# cached debootstrap root, run as a non-root user with S3 on a published loopback port, stopped
# by SIGTERM as PID 1, and run again with /dev/fuse and CAP_SYS_ADMIN serving the FUSE mount.
#
# The image is built from the Dockerfile with PREBUILT=maxiofs: the build stage packages the
# binary this build has just compiled and tested instead of compiling it again (over 10 min on
# 2 shared cores; `make image` runs the compiling path). The context is a temp dir holding the
# Dockerfile, the entrypoint and that binary.
#
# podman runs with a private store under BUILD/pkgtest/podman (base image and build-layer
# cache live there, like the debootstrap root) and a private containers.conf (runc; ulimits
# that root without CAP_SYS_RESOURCE can set). The test's containers and image are removed at
# the end, which also removes their port-forwarding rules.
import os
import shlex
import shutil
import subprocess
import uuid

import pytest

from conftest import SRC_DIR, free_port, run, wait_for
from s3util import boto3_client

BUILD_TIMEOUT_S = 600


class Podman:
    def __init__(self, build_dir):
        base = os.path.join(build_dir, "pkgtest", "podman")
        os.makedirs(base, exist_ok=True)
        conf = os.path.join(base, "containers.conf")
        with open(conf, "w") as f:
            f.write('[engine]\nruntime = "runc"\n'
                    '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]\n')
        self.env = dict(os.environ, CONTAINERS_CONF=conf)
        self.prefix = ["podman", "--root", os.path.join(base, "root"),
                       "--runroot", os.path.join(base, "run")]
        self.stamp = os.path.join(base, "base.stamp")

    def __call__(self, *args, timeout=120, check=True):
        return run(self.prefix + list(args), timeout=timeout, check=check, env=self.env)

    def ensure_base(self, rootfs):
        """Imports the cached minbase root as debian:bookworm when it changed."""
        want = open(os.path.join(rootfs, "minbase.stamp")).read().strip()
        have = open(self.stamp).read().strip() if os.path.exists(self.stamp) else ""
        present = self("image", "exists", "debian:bookworm", check=False).returncode == 0
        if want != have or not present:
            self("import", os.path.join(rootfs, "minbase.tar"), "debian:bookworm", timeout=300)
            with open(self.stamp, "w") as f:
                f.write(want)


def remove_cni_leftovers():
    """Removes what podman's CNI plugins leave once no container uses them: the CNI-* iptables
    chains with the rules jumping to them, and the cni-podman0 bridge. Skipped while any
    per-container CNI chain exists (someone else's container is running)."""
    rules = {}
    for table in ("nat", "filter"):
        out = subprocess.run(["iptables-save", "-t", table], capture_output=True, text=True,
                             timeout=30).stdout
        rules[table] = out.splitlines()
    chains = {t: [l[1:].split()[0] for l in lines if l.startswith(":CNI-")]
              for t, lines in rules.items()}
    shared = {"CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK", "CNI-ADMIN",
              "CNI-FORWARD"}
    if any(c not in shared for cs in chains.values() for c in cs):
        return  # a container's own chains: in use
    for table, lines in rules.items():
        for line in lines:
            if line.startswith("-A ") and " -j CNI-" in line and \
                    not line.split()[1].startswith("CNI-"):
                subprocess.run(["iptables", "-t", table, "-D"] + shlex.split(line)[1:],
                               capture_output=True, timeout=30)
        for chain in chains[table]:
            subprocess.run(["iptables", "-t", table, "-F", chain], capture_output=True, timeout=30)
        for chain in chains[table]:
            subprocess.run(["iptables", "-t", table, "-X", chain], capture_output=True, timeout=30)
    subprocess.run(["ip", "link", "delete", "cni-podman0"], capture_output=True, timeout=30)


@pytest.fixture(scope="module")
def podman(build_dir):
    yield Podman(build_dir)
    remove_cni_leftovers()


@pytest.fixture(scope="module")
def image(podman, rootfs, build_dir, tmp_path_factory):
    podman.ensure_base(rootfs)
    tag = "localhost/maxiofs-test:" + uuid.uuid4().hex[:8]
    context = tmp_path_factory.mktemp("image-context")
    shutil.copy(os.path.join(SRC_DIR, "Dockerfile"), context / "Dockerfile")
    (context / "packaging" / "docker").mkdir(parents=True)
    shutil.copy(os.path.join(SRC_DIR, "packaging", "docker", "entrypoint.sh"),
                context / "packaging" / "docker" / "entrypoint.sh")
    run(["objcopy", "--strip-unneeded", os.path.join(build_dir, "maxiofs"),
         str(context / "maxiofs")], timeout=120)
    try:
        # docker format: OCI images have no HEALTHCHECK
        podman("build", "--format", "docker", "--pull=never", "-t", tag,
               "--build-arg", "PREBUILT=maxiofs",
               str(context), timeout=BUILD_TIMEOUT_S)
        yield tag
    finally:
        podman("rmi", "-f", tag, check=False)
        # dangling final-stage layers; the build-stage cache stays in the private store
        podman("image", "prune", "-f", check=False)


class Container:
    def __init__(self, podman, image, args, run_args=()):
        self.podman = podman
        self.port = free_port()
        self.secret = "ct-" + uuid.uuid4().hex
        out = podman("run", "-d", "-p", f"127.0.0.1:{self.port}:8080",
                     "-e", "MAXIOFS_AUTH_ACCESS_KEY=ctadmin",
                     "-e", f"MAXIOFS_AUTH_SECRET_KEY={self.secret}", *run_args, image, *args,
                     timeout=120)
        self.id = out.stdout.strip().splitlines()[-1]

    def logs(self):
        return self.podman("logs", self.id, check=False).stderr + \
            self.podman("logs", self.id, check=False).stdout

    def s3(self):
        client = boto3_client(f"http://127.0.0.1:{self.port}", "ctadmin", self.secret)
        wait_for(lambda: client.list_buckets() is not None, 60, what="S3 in the container")
        return client

    def exec(self, *cmd, check=True):
        return self.podman("exec", self.id, *cmd, timeout=60, check=check)

    def remove(self):
        self.podman("rm", "-f", "-t", "5", self.id, check=False, timeout=60)


@pytest.fixture
def containers(podman):
    made = []

    def start(image, args=("server",), run_args=()):
        c = Container(podman, image, list(args), list(run_args))
        made.append(c)
        return c

    yield start
    for c in made:
        c.remove()


def test_image_serves_s3_as_non_root_and_stops_on_sigterm(podman, image, containers):
    c = containers(image)
    s3 = c.s3()
    s3.create_bucket(Bucket="ctbucket")
    s3.put_object(Bucket="ctbucket", Key="k", Body=b"from the host")
    assert s3.get_object(Bucket="ctbucket", Key="k")["Body"].read() == b"from the host"
    assert c.exec("id", "-u").stdout.strip() == "10001"
    assert c.exec("sh", "-c", "cat /proc/1/comm").stdout.strip() == "maxiofs"
    assert c.exec("/usr/local/bin/maxiofs-entrypoint", "healthcheck", check=False).returncode == 0
    health = podman("healthcheck", "run", c.id, check=False)
    assert health.returncode == 0, health
    # SIGTERM to PID 1: a clean stop, well before podman's kill timeout.
    podman("stop", "-t", "30", c.id, timeout=60)
    state = podman("inspect", "-f", "{{.State.ExitCode}}", c.id).stdout.strip()
    assert state == "0", c.logs()
    assert "maxiofs stopped" in c.logs()


def test_fuse_mount_inside_the_container(image, containers):
    c = containers(image, args=("server", "--mount", "/mnt/maxiofs"),
                   run_args=("--user", "0", "--device", "/dev/fuse", "--cap-add", "SYS_ADMIN"))
    s3 = c.s3()
    s3.create_bucket(Bucket="fusect")
    s3.put_object(Bucket="fusect", Key="dir/from-s3.txt", Body=b"s3 side")
    assert c.exec("cat", "/mnt/maxiofs/fusect/dir/from-s3.txt").stdout == "s3 side"
    c.exec("sh", "-c", "printf 'fuse side' > /mnt/maxiofs/fusect/from-fuse.txt")
    assert s3.get_object(Bucket="fusect", Key="from-fuse.txt")["Body"].read() == b"fuse side"
    assert "fuse" in c.exec("sh", "-c", "grep /mnt/maxiofs /proc/mounts").stdout


def test_no_container_is_left_behind(podman):
    # Runs last in this file: the fixtures above removed their containers.
    assert podman("ps", "-a", "-q").stdout.strip() == ""
