#!/bin/sh
# Regenerates tests/data/event-ruler/cases.jsonl: event-ruler 2.0.1's answers on the pairs
# tools/event-ruler/corpus.py writes. Needs git, python3, a JDK (17 was used) and Debian's
# Jackson jars:
#   apt-get install -y libjackson2-databind-java libjackson2-core-java \
#     libjackson2-annotations-java libjsr305-java
# event-ruler's sources are cloned into a scratch directory and compiled there with javac;
# nothing of them enters this repository. Maven Central is not needed: the one call into
# fastdoubleparser (ComparableNumber) is replaced with `new BigDecimal`, which parses the same
# numbers.
#
# Usage: tools/event-ruler/record.sh [scratch-dir]   (default /tmp/event-ruler)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
scratch=${1:-/tmp/event-ruler}
jars=/usr/share/java
cp="$jars/jackson-core.jar:$jars/jackson-databind.jar:$jars/jackson-annotations.jar:$jars/jsr305.jar"

if [ ! -d "$scratch/src/main" ]; then
    git clone --quiet --depth 1 --branch v2.0.1 https://github.com/aws/event-ruler "$scratch"
fi
number="$scratch/src/main/software/amazon/event/ruler/ComparableNumber.java"
sed -i '/import ch.randelshofer/d; s/JavaBigDecimalParser.parseBigDecimal(str)/new BigDecimal(str)/' "$number"
mkdir -p "$scratch/classes" "$scratch/driver"
javac -nowarn -d "$scratch/classes" -cp "$cp" $(find "$scratch/src/main" -name '*.java')
javac -d "$scratch/driver" -cp "$cp:$scratch/classes" "$here/Driver.java"

mkdir -p "$repo/tests/data/event-ruler"
python3 "$here/corpus.py" "$scratch" \
    | java -cp "$cp:$scratch/classes:$scratch/driver" Driver \
    > "$repo/tests/data/event-ruler/cases.jsonl"
wc -l "$repo/tests/data/event-ruler/cases.jsonl"
