#!/usr/bin/env bash
# Builds bench/tools/<probe>.c with gcc and the given libraries, makes a throw-away EC P-256
# certificate, and runs the probe as `<probe> CERT.pem KEY.pem [ARGS...]`. Shared by the
# tools' own scripts. Usage: run-probe.sh PROBE "LIBS" [ARGS...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
probe=$1
libs=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
  -subj /CN=localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
# shellcheck disable=SC2086 # the libraries are separate words
gcc -O2 -Wall -o "$work/probe" "$here/$probe.c" $libs
"$work/probe" "$work/cert.pem" "$work/key.pem" "$@"
