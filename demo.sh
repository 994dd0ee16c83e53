#!/usr/bin/env bash
# Runs the Usher demo on the embedded defaults: a generated organisation in the in-memory directory,
# synced into the in-memory store, with progress and the report printed. Builds what it needs first.
# Usage: ./demo.sh [users] [groups]
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -ntp -DskipTests install >/dev/null
exec mvn -B -q -ntp -pl testkit exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.usher.testkit.demo.Demo -Dexec.args="${*:-}"
