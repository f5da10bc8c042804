# Sourced by ./mvnw and ./rnn: sets JAVA_HOME to a JDK whose feature version is at least 25.
# Order: $JAVA_HOME, the `java` on PATH, then the usual install locations. If none qualifies it
# prints how to get one and returns 1. It never changes a JAVA_HOME that already qualifies.

elman_java_feature() {
  # Prints the feature version (17, 25, ...) of the JDK at $1, or nothing if it is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

elman_find_jdk() {
  local required=25 candidate version
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for candidate in /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]* /usr/lib/jvm/jdk-2[5-9]* \
                   /usr/lib/jvm/java-2[5-9]* /opt/java/openjdk /opt/jdk-2[5-9]* \
                   "$HOME"/.sdkman/candidates/java/2[5-9]* "$HOME"/.jdks/*2[5-9]* \
                   /Library/Java/JavaVirtualMachines/*2[5-9]*/Contents/Home; do
    [ -d "$candidate" ] && candidates+=("$candidate")
  done
  for candidate in "${candidates[@]}"; do
    version=$(elman_java_feature "$candidate")
    if [ -n "$version" ] && [ "$version" -ge "$required" ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  {
    echo "error: Elman needs a JDK $required or newer, and none was found."
    echo "  looked at: JAVA_HOME (${JAVA_HOME:-unset}), the java on PATH, /usr/lib/jvm, /opt, ~/.sdkman, ~/.jdks"
    echo "  get one: e.g. 'apt-get install temurin-25-jdk' (Adoptium repository) or https://adoptium.net,"
    echo "  then run again with JAVA_HOME=/path/to/jdk-25"
  } >&2
  return 1
}
