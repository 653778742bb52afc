#!/bin/sh
# Regenerates the test-only certificates in this directory (a CA, a server certificate for
# 127.0.0.1 and a client certificate, all valid for 100 years). Never use them outside tests.
set -eu
cd "$(dirname "$0")"
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days "$days" \
  -subj "/CN=completion-sidecar test CA"
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1"
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > server.ext
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt \
  -days "$days" -extfile server.ext
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr \
  -subj "/CN=sidecar-test-client/O=system:masters"
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt \
  -days "$days" -extfile client.ext
rm -f server.csr client.csr server.ext client.ext ca.srl ca.key
