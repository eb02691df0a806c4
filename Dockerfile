# MaxIOFS container image: a build stage compiling the binary and a small runtime stage.
#
#   podman build --format docker -t maxiofs .   (or docker build; docker format keeps HEALTHCHECK)
#   podman run -d -p 8080:8080 -v maxiofs-data:/data \
#       -e MAXIOFS_AUTH_ACCESS_KEY=admin -e MAXIOFS_AUTH_SECRET_KEY=change-me maxiofs
# With the FUSE mount inside the container (needs root in the container, /dev/fuse and
# CAP_SYS_ADMIN):
#   podman run -d --user 0 --device /dev/fuse --cap-add SYS_ADMIN -p 8080:8080 \
#       -v maxiofs-data:/data maxiofs server --mount /mnt/maxiofs
# See docs/operations.md ("Containers").

# ---- build stage -------------------------------------------------------------------------
FROM debian:bookworm AS build
ARG DEBIAN_FRONTEND=noninteractive
# PREBUILT: the path, inside the build context, of an already built maxiofs binary to
# package instead of compiling here (the packaging test uses the binary it has just built and
# tested; compiling on 2 shared cores takes over 10 minutes). Empty: compile from source.
ARG PREBUILT=
RUN if [ -z "$PREBUILT" ]; then \
      apt-get update -qq \
      && apt-get install -y -qq --no-install-recommends \
           build-essential cmake ninja-build ccache pkg-config \
           libboost1.81-dev libleveldb-dev libsnappy-dev libcrypto++-dev libzstd-dev \
           libspdlog-dev libfmt-dev libfuse3-dev libyaml-cpp-dev nlohmann-json3-dev \
           libcli11-dev libssl-dev liblz4-dev zlib1g-dev libcurl4-openssl-dev >/dev/null \
      && rm -rf /var/lib/apt/lists/*; \
    fi
# Where the source sits in the build stage. A builder sharing a compiler cache with a checkout
# (CCACHE_DIR mounted with --volume) may set it to the checkout's own path so cache entries
# can match; the result is the same either way.
ARG SRC_DIR=/src
ARG CCACHE_DIR=/ccache
ENV CCACHE_DIR=${CCACHE_DIR}
COPY . ${SRC_DIR}
WORKDIR ${SRC_DIR}
RUN if [ -n "$PREBUILT" ]; then \
      install -m 0755 "$PREBUILT" /usr/local/bin/maxiofs; \
    else \
      cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DMAXIOFS_TESTS=OFF -DMAXIOFS_BENCH=OFF >/dev/null \
      && cmake --build build --target maxiofs -j"$(nproc)" \
      && objcopy --strip-unneeded build/maxiofs /usr/local/bin/maxiofs; \
    fi

# ---- runtime stage -----------------------------------------------------------------------
FROM debian:bookworm
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends \
      libcrypto++8 libfmt9 libleveldb1d libsnappy1v5 libspdlog1.10 libyaml-cpp0.7 \
      libfuse3-3 fuse3 libzstd1 liblz4-1 zlib1g libcurl4 libssl3 ca-certificates curl >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 maxiofs \
 && useradd --system --uid 10001 --gid maxiofs --home-dir /data --no-create-home \
      --shell /usr/sbin/nologin maxiofs \
 && install -d -o maxiofs -g maxiofs -m 0750 /data \
 && install -d -m 0755 /mnt/maxiofs
COPY --from=build /usr/local/bin/maxiofs /usr/bin/maxiofs
COPY packaging/docker/entrypoint.sh /usr/local/bin/maxiofs-entrypoint
RUN maxiofs version
ENV MAXIOFS_SERVER_DATA_DIR=/data \
    MAXIOFS_SERVER_LISTEN=:8080 \
    MAXIOFS_SERVER_CONSOLE_LISTEN=:8081
VOLUME ["/data"]
EXPOSE 8080 8081
# Non-root unless the FUSE mount is wanted (run with --user 0, see above).
USER maxiofs
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/maxiofs-entrypoint", "healthcheck"]
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/maxiofs-entrypoint"]
CMD ["server"]
