#!/usr/bin/env bash
# Load test on loopback only, bounded in time: gunicorn (2 workers) on the scale database,
# wrk with 8 connections a server for 20 s on the page mix, then on the trivial view /healthz logged in
# (session and user read: the ceiling for logged-in pages) and anonymous (the bare ceiling).
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/sammachip_scale bash bench/load.sh
# WRITES_PER_SECOND=1: as many changes a second in the mix's district during the mix
# (bench/writes.py), so its kept fragments are rendered again as after real writes.
# CACHE_URL=dummy://: every page rendered on every request (nothing kept);
# CACHE_URL=redis://127.0.0.1:6379/1: the shared cache of several servers.
# SERVERS=2 (with CACHE_URL=redis://...): two gunicorn servers on 8766 and 8767, wrk's threads
# taking them in turn, as behind a balancer; WORKERS (2) each. Each run ends with a SUMMARY
# line: requests/s, p50, p99, errors (connect, read, write, timeouts, 4xx/5xx).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to the seed_scale database}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }
export DEBUG=false ALLOWED_HOSTS=127.0.0.1,testserver SECRET_KEY="bench-$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n')"
export MIX_FILE; MIX_FILE=$(mktemp)
TRIVIAL_FILE=$(mktemp)
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python bench/sessions.py > "$MIX_FILE"
.venv/bin/python bench/sessions.py --trivial > "$TRIVIAL_FILE"
SERVERS=${SERVERS:-1}
WORKERS=${WORKERS:-2}
ports=""
servers=()
for n in $(seq 0 $((SERVERS - 1))); do
  port=$((8766 + n))
  ports="$ports $port"
  # shellcheck disable=SC2086  # GUNICORN_ARGS: extra settings for an experiment, split on spaces
  .venv/bin/gunicorn sammachip.wsgi --workers "$WORKERS" --bind 127.0.0.1:$port --log-level warning ${GUNICORN_ARGS:-} &
  servers+=($!)
done
export PORTS="$ports"
trap 'kill "${servers[@]}" 2>/dev/null; rm -f "$MIX_FILE" "$TRIVIAL_FILE"' EXIT
for port in $ports; do
  for _ in $(seq 30); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 1; done
done
# warm-up: each page once on each server (the first request of a page computes what is kept)
while IFS=$'\t' read -r path cookie; do
  for port in $ports; do curl -s -o /dev/null -H "Cookie: $cookie" "http://127.0.0.1:$port$path"; done
done < "$MIX_FILE"
# wrk's threads take the servers in turn (bench/mix.lua): a thread a server (2 at least), 4
# connections a thread: 8 in all with one or two servers, as in the one-server figures
threads=$((SERVERS > 2 ? SERVERS : 2))
run() { wrk -t"$threads" -c$((4 * threads)) -d20s --timeout 10s --latency -s bench/mix.lua http://127.0.0.1:8766/ | grep -E "Requests/sec|Non-2xx|Socket errors|50%|99%|requests in|SUMMARY"; }
echo "== page mix ($(wc -l < "$MIX_FILE") pages, logged in) on $SERVERS server(s) of $WORKERS workers, CACHE_URL=${CACHE_URL:-unset, per worker}"
writer=""
if [ -n "${WRITES_PER_SECOND:-}" ]; then
  .venv/bin/python bench/writes.py --rate "$WRITES_PER_SECOND" --seconds 20 &
  writer=$!
  sleep 2  # its start-up
fi
run
[ -z "$writer" ] || wait "$writer"
echo "== trivial view /healthz, logged in (the ceiling for logged-in pages)"
MIX_FILE=$TRIVIAL_FILE run
echo "== trivial view /healthz, anonymous (the bare ceiling)"
MIX_FILE="" run
