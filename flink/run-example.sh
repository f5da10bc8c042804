#!/usr/bin/env bash
# Runs the example job (dev.elman.flink.example.Main) on a local Flink cluster inside one JVM, with
# the Vector API enabled; the arguments go to the job (e.g. --hidden 256 --readings 2000000).
# Builds the flink module (and what it needs) the first time or when a source changed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
. "$root/.mvn/find-jdk.sh"
elman_find_jdk || exit 1

jar="$here/target/elman-flink-job.jar"
classpath_file="$here/target/local-classpath.txt"
if [ ! -f "$jar" ] || [ ! -f "$classpath_file" ] || [ -n "$(find "$here/src" "$here/pom.xml" "$root/engine/src/main" \
        -newer "$jar" -type f -print -quit)" ]; then
  echo "run-example: building the flink module ..." >&2
  (cd "$root" && ./mvnw -q -B -DskipTests package -pl flink -am) >&2
fi
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  --sun-misc-unsafe-memory-access=allow -cp "$jar:$(cat "$classpath_file")" dev.elman.flink.example.Main "$@"
