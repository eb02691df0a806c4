#!/usr/bin/env bash
# Builds the .deb and the .rpm of MaxIOFS from a compiled build tree (make package).
# Usage: packaging/build-packages.sh BUILD_DIR OUT_DIR
# Output: OUT_DIR/maxiofs_<version>-1_<arch>.deb and OUT_DIR/maxiofs-<version>-1.x86_64.rpm
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:?usage: build-packages.sh BUILD_DIR OUT_DIR}" && pwd)
out=${2:?usage: build-packages.sh BUILD_DIR OUT_DIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
bin="$build/maxiofs"
[ -x "$bin" ] || { echo "build-packages: $bin not built" >&2; exit 1; }

version=$("$bin" version | awk '{print $2}')
debversion="$version-1"
arch=$(dpkg --print-architecture)
work=$(mktemp -d "$out/.work.XXXXXX")
trap 'rm -rf "$work"' EXIT

# --- the file tree shared by both packages --------------------------------------------
stage="$work/stage"
install -d "$stage/usr/bin" "$stage/etc/maxiofs" "$stage/etc/logrotate.d" \
  "$stage/usr/share/doc/maxiofs"
objcopy --strip-unneeded "$bin" "$stage/usr/bin/maxiofs"
chmod 0755 "$stage/usr/bin/maxiofs"
install -m 0644 "$src/packaging/config.yaml" "$stage/etc/maxiofs/config.yaml"
install -m 0644 "$src/packaging/logrotate" "$stage/etc/logrotate.d/maxiofs"
for doc in configuration.md operations.md fuse.md s3-compatibility.md; do
  [ -f "$src/docs/$doc" ] && install -m 0644 "$src/docs/$doc" "$stage/usr/share/doc/maxiofs/$doc"
done
gzip -9n "$stage/usr/share/doc/maxiofs/"*.md 2>/dev/null || true

# --- .deb ------------------------------------------------------------------------------
deb="$work/deb"
cp -a "$stage" "$deb"
install -d "$deb/lib/systemd/system" "$deb/DEBIAN"
install -m 0644 "$src/packaging/maxiofs.service" "$deb/lib/systemd/system/maxiofs.service"
install -m 0644 "$src/packaging/deb/copyright" "$deb/usr/share/doc/maxiofs/copyright"
sed -e "s/@VERSION@/$debversion/" -e "s/@DATE@/$(date -uR)/" "$src/packaging/deb/changelog.in" \
  | gzip -9n > "$deb/usr/share/doc/maxiofs/changelog.Debian.gz"
chmod 0644 "$deb/usr/share/doc/maxiofs/changelog.Debian.gz"
for script in postinst prerm postrm; do
  install -m 0755 "$src/packaging/deb/$script" "$deb/DEBIAN/$script"
done
printf '/etc/maxiofs/config.yaml\n/etc/logrotate.d/maxiofs\n' > "$deb/DEBIAN/conffiles"
# Shared-library dependencies, as dh_shlibdeps would compute them.
mkdir -p "$work/shlibs/debian"
printf 'Source: maxiofs\n\nPackage: maxiofs\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O -e"$deb/usr/bin/maxiofs" 2>/dev/null \
  | sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-packages: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
size=$(du -sk --exclude=DEBIAN "$deb" | cut -f1)
sed -e "s/@VERSION@/$debversion/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
  -e "s/@DEPENDS@/$depends/" "$src/packaging/deb/control.in" > "$deb/DEBIAN/control"
(cd "$deb" && find . -path ./DEBIAN -prune -o -type f -print | sed 's|^\./||' | sort \
  | xargs md5sum) > "$deb/DEBIAN/md5sums"
chmod 0644 "$deb/DEBIAN/control" "$deb/DEBIAN/conffiles" "$deb/DEBIAN/md5sums"
find "$deb" -type d -exec chmod 0755 {} +
dpkg-deb --root-owner-group -Zxz --build "$deb" "$out/maxiofs_${debversion}_${arch}.deb" >/dev/null
echo "$out/maxiofs_${debversion}_${arch}.deb"

# --- .rpm ------------------------------------------------------------------------------
if command -v rpmbuild >/dev/null 2>&1; then
  rpmstage="$work/rpmstage"
  cp -a "$stage" "$rpmstage"
  install -d "$rpmstage/usr/lib/systemd/system" "$rpmstage/var/lib/maxiofs" "$rpmstage/var/log/maxiofs"
  install -m 0644 "$src/packaging/maxiofs.service" "$rpmstage/usr/lib/systemd/system/maxiofs.service"
  top="$work/rpmbuild"
  mkdir -p "$top"/{BUILD,RPMS,SOURCES,SPECS,SRPMS,BUILDROOT}
  rpmbuild -bb --quiet --nodeps --target x86_64 \
    --define "_topdir $top" --define "maxiofs_version $version" --define "staging $rpmstage" \
    --define "_build_id_links none" \
    "$src/packaging/rpm/maxiofs.spec" > "$work/rpmbuild.log" 2>&1 \
    || { cat "$work/rpmbuild.log" >&2; exit 1; }
  cp "$top"/RPMS/x86_64/maxiofs-"$version"-1.x86_64.rpm "$out/"
  echo "$out/maxiofs-$version-1.x86_64.rpm"
else
  echo "build-packages: rpmbuild not installed (package rpm): no .rpm" >&2
  exit 1
fi
