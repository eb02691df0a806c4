# The .deb and the .rpm: contents, maintainer scripts, lintian.
import os
import re

from conftest import run


def test_deb_contents_and_conffiles(packages):
    listing = run(["dpkg-deb", "-c", packages["deb"]], timeout=60).stdout
    for path in ["./usr/bin/maxiofs", "./lib/systemd/system/maxiofs.service",
                 "./etc/maxiofs/config.yaml", "./usr/share/doc/maxiofs/copyright",
                 "./etc/logrotate.d/maxiofs", "./usr/share/man/man8/maxiofs.8.gz"]:
        assert re.search(rf"\s{re.escape(path)}$", listing, re.M), f"{path} not in:\n{listing}"
    assert "root/root" in listing and "maxiofs/" not in listing.split()[1]
    info = run(["dpkg-deb", "-I", packages["deb"]], timeout=60).stdout
    assert re.search(r"^ Package: maxiofs$", info, re.M), info
    assert re.search(r"^ Depends: .*libleveldb1d", info, re.M), info
    assert re.search(r"^ Depends: .*liblz4-1", info, re.M), info
    assert re.search(r"^ Maintainer: MaxIOFS Maintainers <maintainers@maxiofs\.org>$", info,
                     re.M), info
    tmp = run(["mktemp", "-d"], timeout=10).stdout.strip()
    try:
        run(["dpkg-deb", "-e", packages["deb"], tmp], timeout=60)
        assert open(os.path.join(tmp, "conffiles")).read().split() == [
            "/etc/maxiofs/config.yaml", "/etc/logrotate.d/maxiofs"]
        postinst = open(os.path.join(tmp, "postinst")).read()
        assert "useradd --system" in postinst and "/var/lib/maxiofs" in postinst
        for script in ["postinst", "prerm", "postrm"]:
            text = open(os.path.join(tmp, script)).read()
            assert not re.search(r"rm\s+-[a-z]*r[a-z]*\s+\S*/var/lib/maxiofs", text), \
                f"{script} deletes the data dir"
            assert "userdel" not in text, f"{script} deletes the user"
            run(["sh", "-n", os.path.join(tmp, script)], timeout=10)
    finally:
        run(["rm", "-rf", tmp], timeout=30)


def test_deb_unit_is_hardened(packages, tmp_path):
    run(["dpkg-deb", "-x", packages["deb"], str(tmp_path)], timeout=60)
    text = (tmp_path / "lib/systemd/system/maxiofs.service").read_text()
    for line in ["User=maxiofs", "NoNewPrivileges=yes", "ProtectSystem=strict",
                 "ReadWritePaths=/var/lib/maxiofs", "PrivateTmp=yes",
                 "ExecStart=/usr/bin/maxiofs server --config /etc/maxiofs/config.yaml",
                 "ExecReload=/bin/sh -c \"kill -HUP $MAINPID\""]:
        assert line in text, f"{line} missing from the unit:\n{text}"
    # The packaged default config is valid for the packaged binary.
    check = run([str(tmp_path / "usr/bin/maxiofs"), "config", "check",
                 str(tmp_path / "etc/maxiofs/config.yaml")], timeout=30, check=False)
    assert check.returncode == 0, check
    assert "configuration is valid" in check.stdout, check


def test_license_and_manual_page(packages, tmp_path):
    run(["dpkg-deb", "-x", packages["deb"], str(tmp_path)], timeout=60)
    copyright_text = (tmp_path / "usr/share/doc/maxiofs/copyright").read_text()
    assert "License: Apache-2.0" in copyright_text
    assert "/usr/share/common-licenses/Apache-2.0" in copyright_text
    assert "No license" not in copyright_text
    page = tmp_path / "usr/share/man/man8/maxiofs.8.gz"
    proc = run(["man", "--warnings", "-l", str(page)], timeout=60, check=False)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert "MAXIOFS_STORAGE_COMPRESSION_TYPE" in proc.stdout
    info = run(["rpm", "-qpi", packages["rpm"]], timeout=60).stdout
    assert re.search(r"^License\s*: Apache-2\.0$", info, re.M), info
    files = run(["rpm", "-qpl", packages["rpm"]], timeout=60).stdout.split()
    assert "/usr/share/man/man8/maxiofs.8.gz" in files, files
    assert "/usr/share/licenses/maxiofs/LICENSE" in files, files


def test_lintian_reports_no_errors(packages):
    proc = run(["lintian", "--tag-display-limit", "0", packages["deb"]], timeout=600, check=False)
    output = proc.stdout + proc.stderr
    errors = [line for line in output.splitlines() if line.startswith("E:")]
    assert not errors, f"lintian errors:\n{output}"
    # The manual page is there and clean: no missing-page or man-page warning of any kind.
    man_tags = [line for line in output.splitlines()
                if re.search(r"manpage|man-page|groff", line)]
    assert not man_tags, f"lintian manual-page tags:\n{output}"
    # lintian exits non-zero only for errors (warnings are shown, not fatal)
    assert proc.returncode == 0, output


def test_rpm_contents_and_scripts(packages):
    rpm = packages["rpm"]
    files = run(["rpm", "-qpl", rpm], timeout=60).stdout.split()
    for path in ["/usr/bin/maxiofs", "/usr/lib/systemd/system/maxiofs.service",
                 "/etc/maxiofs/config.yaml", "/var/lib/maxiofs", "/var/log/maxiofs"]:
        assert path in files, f"{path} not in {files}"
    configs = run(["rpm", "-qpc", rpm], timeout=60).stdout.split()
    assert "/etc/maxiofs/config.yaml" in configs
    scripts = run(["rpm", "-qp", "--scripts", rpm], timeout=60).stdout
    assert re.search(r"preinstall scriptlet.*\n(.*\n)*.*useradd --system", scripts), scripts
    assert "systemctl --no-reload disable --now maxiofs.service" in scripts, scripts
    assert not re.search(r"rm\s+-[a-z]*r[a-z]*\s+\S*/var/lib/maxiofs", scripts), scripts
    assert "userdel" not in scripts
    info = run(["rpm", "-qpi", rpm], timeout=60).stdout
    assert re.search(r"^Name\s*: maxiofs$", info, re.M), info
    owner = run(["rpm", "-qp", "--qf", "[%{FILENAMES} %{FILEUSERNAME}\\n]", rpm], timeout=60).stdout
    assert "/var/lib/maxiofs maxiofs" in owner, owner
