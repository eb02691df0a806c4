#!/bin/sh
# Container entrypoint. `exec`s maxiofs so it is PID 1 and receives SIGTERM itself (it stops
# gracefully: in-flight requests finish, the mount is removed, the engine closes).
#   entrypoint.sh server [flags]   run the server (the default command)
#   entrypoint.sh healthcheck      exit 0 when the server is ready (HEALTHCHECK)
#   entrypoint.sh <anything else>  run it as a command (e.g. sh)
set -e

case "${1:-server}" in
  healthcheck)
    addr=${MAXIOFS_SERVER_LISTEN:-:8080}
    port=${addr##*:}
    scheme=http
    [ -n "${MAXIOFS_TLS_CERT_FILE:-}" ] && scheme=https
    exec curl -fsSk --max-time 4 -o /dev/null "$scheme://127.0.0.1:$port/_maxiofs/health/ready"
    ;;
  server)
    shift || true
    if [ "$(id -u)" = 0 ] && [ -d "${MAXIOFS_SERVER_DATA_DIR:-/data}" ]; then
      # Running as root (for FUSE): keep the volume usable by the non-root default too.
      chown maxiofs:maxiofs "${MAXIOFS_SERVER_DATA_DIR:-/data}" 2>/dev/null || true
    fi
    exec /usr/bin/maxiofs server "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
