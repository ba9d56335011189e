#!/usr/bin/env bash
# Smoke check after a deploy: GET <url> until it answers 2xx, and fail otherwise.
#
# CI passes the stack's public URL (`pulumi stack output apiUrl` + /api/health), so the request takes the
# path users take: Route 53 → Global Accelerator → ALB → backend task. A `pulumi up` that succeeds but leaves
# that path broken (no healthy targets, a wrong certificate, a bad alias) fails the deploy job here.
# Retries cover what settles after an update: accelerator endpoint health, DNS of a new name, tasks starting.
# A redirect is not success: the health endpoint must answer directly. Messages go to stdout, where the
# runner reads `::error::` annotations.
#
# Usage: smoke-check.sh <url>
#   SMOKE_ATTEMPTS         requests before giving up (default 20)
#   SMOKE_DELAY_SECONDS    pause between requests (default 15)
#   SMOKE_TIMEOUT_SECONDS  limit per request, connect included (default 10)
set -euo pipefail

url="${1:-}"
case "$url" in
  http://* | https://*) ;;
  *)
    echo "::error::smoke check needs an absolute http(s) URL, got '${url}'"
    exit 2
    ;;
esac
attempts="${SMOKE_ATTEMPTS:-20}"
delay="${SMOKE_DELAY_SECONDS:-15}"
timeout="${SMOKE_TIMEOUT_SECONDS:-10}"

for ((attempt = 1; attempt <= attempts; attempt++)); do
  # curl prints 000 when no response arrived (DNS, connect, TLS or timeout); its error goes to stderr.
  code="$(curl --silent --show-error --output /dev/null --write-out '%{http_code}' \
    --connect-timeout "$timeout" --max-time "$timeout" "$url")" || true
  if [[ "$code" =~ ^2[0-9][0-9]$ ]]; then
    echo "smoke check passed: ${url} answered ${code} (attempt ${attempt} of ${attempts})"
    exit 0
  fi
  echo "attempt ${attempt} of ${attempts}: ${url} answered ${code:-000}"
  if ((attempt < attempts)); then sleep "$delay"; fi
done

echo "::error::smoke check failed: ${url} did not answer 2xx in ${attempts} attempts"
exit 1
