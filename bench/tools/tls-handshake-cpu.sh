#!/usr/bin/env bash
# Builds and runs tls-handshake-cpu.c: the server CPU of one TLS connection in OpenSSL (what
# lyceumd uses) and in GnuTLS (what Debian's InspIRCd and ngIRCd use), outside any server.
# Needs gcc, libssl-dev and libgnutls28-dev. Argument: connections per library (2000).
exec bash "$(dirname "$0")/run-probe.sh" tls-handshake-cpu "-lssl -lcrypto -lgnutls" "${1:-2000}"
