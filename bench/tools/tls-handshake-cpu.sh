#!/usr/bin/env bash
# Builds and runs tls-handshake-cpu.c: the server CPU of one TLS connection in OpenSSL (what
# lyceumd uses) and in GnuTLS (what Debian's InspIRCd and ngIRCd use), outside any server.
# Needs gcc, libssl-dev and libgnutls28-dev. Argument: connections per library (2000).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
gcc -O2 -Wall -o "$work/probe" "$here/tls-handshake-cpu.c" -lssl -lcrypto -lgnutls
"$work/probe" "$work/cert.pem" "$work/key.pem" "${1:-2000}"
