#!/usr/bin/env bash
# Builds and runs openssl-connection-memory.c: OpenSSL's own heap per idle server-side TLS
# connection, the floor under Lyceum's memory per connection. Needs gcc and libssl-dev.
exec bash "$(dirname "$0")/run-probe.sh" openssl-connection-memory "-lssl -lcrypto"
