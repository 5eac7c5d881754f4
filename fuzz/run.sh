#!/usr/bin/env bash
# Builds the protocol fuzzer with libFuzzer and AddressSanitizer and runs it.
# Usage: fuzz/run.sh [seconds]   (default 60). Crashes are written to fuzz/artifacts/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
mkdir -p .build-fuzz artifacts corpus
swiftc -O -parse-as-library -sanitize=fuzzer,address -module-name LyceumProtocolFuzz \
  ../Sources/LyceumProtocol/*.swift ProtocolFuzzer.swift -o .build-fuzz/protocol-fuzzer
printf 'PRIVMSG #a :hi\r\n' > corpus/privmsg
printf '@a=b\\:c;+d :n!u@h CMD p1 :trail\r\n' > corpus/tagged
.build-fuzz/protocol-fuzzer -max_total_time="$seconds" -artifact_prefix=artifacts/ corpus
