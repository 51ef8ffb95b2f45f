#!/bin/sh
# Builds the AppCDS archive of this function image (run by the Dockerfile, inside the run image, so the
# archive matches the JVM that will map it). Training: one representative invocation through the real FDK
# runtime (CdsTraining), recording every class it loads; then a static archive of those classes.
# A JVM that cannot build the archive must not break the image: the function then starts without it
# (the ENTRYPOINT uses -Xshare:auto), and the build log says so.
set -u
cmd="$1"
cp="/function/app/*:/function/runtime/*:/function/cds/cds-training.jar"

if OCI_SDK_DEFAULT_RETRY_ENABLED=false OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED=false \
   java -XX:DumpLoadedClassList=/tmp/classes.lst -XX:TieredStopAtLevel=1 -XX:+UseSerialGC \
        -Djava.library.path=/function/runtime/lib -cp "$cp" \
        dev.datasync.image.CdsTraining "$cmd" /function/cds/training-event.properties; then
  # Lambda-proxy entries crash -Xshare:dump on some JDK 17 builds (SIGSEGV in
  # adjust_lambda_proxy_class_dictionary); the classes themselves are still archived.
  grep -v '^@lambda-proxy' /tmp/classes.lst > /tmp/classes.cds
  if java -Xshare:dump -XX:SharedClassListFile=/tmp/classes.cds -XX:SharedArchiveFile=/function/cds/app.jsa \
          -XX:+UseSerialGC -cp "$cp" > /tmp/cds-dump.log 2>&1; then
    echo "AppCDS archive built: $(grep -c . /tmp/classes.cds) classes listed"
  else
    tail -20 /tmp/cds-dump.log
    echo "WARNING: AppCDS archive NOT built; the function will start without it" >&2
    rm -f /function/cds/app.jsa
  fi
else
  echo "training invocation of $cmd failed: is the CMD right and the jar built (mvn -B package)?" >&2
  exit 1
fi
rm -f /tmp/classes.lst /tmp/classes.cds /tmp/cds-dump.log
