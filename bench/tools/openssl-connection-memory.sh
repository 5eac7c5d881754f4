#!/usr/bin/env bash
# Builds and runs openssl-connection-memory.c: OpenSSL's own heap per idle server-side TLS
# connection, the floor under Lyceum's memory per connection. Needs gcc and libssl-dev.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
gcc -O2 -Wall -o "$work/probe" "$here/openssl-connection-memory.c" -lssl -lcrypto
"$work/probe" "$work/cert.pem" "$work/key.pem"
