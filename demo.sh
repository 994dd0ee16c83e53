#!/usr/bin/env bash
# The Usher demo on the embedded defaults: a generated organisation served over LDAP and as a fake Entra ID
# tenant, synced into in-memory stores (preview, sync, incremental changes, the mass-deletion guard), then the
# push routes: a SCIM server with curl lines to try, JIT logins (SAML and OIDC) and websudo.
# It builds what it needs first (the reactor compiles the modules the demo uses; nothing is installed).
# Usage: ./demo.sh [users] [groups] [--keep-serving]      (default 20000 2000)
set -euo pipefail
cd "$(dirname "$0")"
echo "Building the demo (mvn -q -pl examples -am compile)..." >&2
# (Maven 3.8 prints colour resets even with -B -q: dropped; errors still show, and a failed build stops here)
mvn -B -q -ntp -Dstyle.color=never -pl examples -am compile dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime 2>&1 | sed -u 's/\x1b\[0m//g' >&2
exec java -cp "examples/target/classes:$(cat examples/target/classpath.txt)" io.usher.examples.demo.Demo "$@"
