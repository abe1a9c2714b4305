#!/usr/bin/env bash
# The README's quick start, as a newcomer runs it on the machine's own node (older than 24
# included): in a clean copy of the repository, `npm ci`, then `npm start` on a free port, until
# /health answers 200 and the first-administrator link is printed; then it stops the server.
# Exits non-zero, with the server's output, when any step fails.
#
# QUICK_START_PATH sets the PATH to run under (default: /usr/bin and /bin first, where the
# machine's own node is).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="${QUICK_START_PATH:-/usr/bin:/bin:$PATH}"
echo "quick start: node $(node --version) ($(command -v node)), npm $(npm --version)"

work="$(mktemp -d)"
server_group=""
cleanup() {
  if [ -n "$server_group" ]; then
    kill -TERM -- "-$server_group" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "quick start FAILED: $*" >&2
  if [ -f "$work/server.log" ]; then
    echo "--- server output (last 40 lines) ---" >&2
    tail -n 40 "$work/server.log" >&2
  fi
  exit 1
}

# A clean copy: what git tracks or would track, as it is in the working tree; nothing ignored
# (no node_modules, no data).
mkdir "$work/repo"
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  tar --null --files-from=- --ignore-failed-read -cf - 2>/dev/null) | tar -xf - -C "$work/repo"
cd "$work/repo"

npm ci --no-audit --no-fund --loglevel=error >"$work/npm-ci.log" 2>&1 || {
  tail -n 40 "$work/npm-ci.log" >&2
  fail "npm ci"
}

port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')"

# The README's start command, with the defaults it documents (./data/itb.sqlite, here inside the
# copy), in a process group of its own so that stopping it stops npm's children too.
env -u DATABASE_URL -u HOST PORT="$port" setsid npm start >"$work/server.log" 2>&1 &
server_pid=$!
server_group="$(ps -o pgid= -p "$server_pid" | tr -d ' ')"

status=""
for _ in $(seq 1 120); do
  status="$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/health" || true)"
  [ "$status" = 200 ] && break
  kill -0 "$server_pid" 2>/dev/null || fail "npm start exited before /health answered"
  sleep 0.5
done
[ "$status" = 200 ] || fail "/health answered ${status:-nothing} after 60 s"
grep -q 'Create the first administrator' "$work/server.log" || fail "no first-administrator link printed"
[ -f data/itb.sqlite ] || fail "no database at ./data/itb.sqlite"

server_node="$(pgrep -g "$server_group" -f "bin/itb.js serve" | tail -n 1)"
echo "quick start: /health 200 on port $port; server on $(readlink "/proc/$server_node/exe") $("/proc/$server_node/exe" --version)"

kill -TERM -- "-$server_group"
for _ in $(seq 1 20); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$server_pid" 2>/dev/null; then
  fail "the server did not stop within 10 s of SIGTERM"
fi
server_group=""
echo "quick start: passed"
