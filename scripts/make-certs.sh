#!/usr/bin/env bash
# scripts/make-certs.sh [DIR] [NAME...]
# Makes a private CA and, signed by it, one certificate per NAME (default: silo client) for MarketSim's TLS
# (marketsim silo|run --tls-cert DIR/NAME.pfx --tls-ca DIR/ca.crt). Each certificate is good for both TLS server
# and client use (silos are both), with the subject CN=NAME and SANs DNS:marketsim, DNS:localhost, IP:127.0.0.1
# (peers are checked against the CA, not by name). Files: ca.crt ca.key NAME.crt NAME.key NAME.pfx (PKCS#12,
# password $CERT_PASSWORD, default "marketsim"). Existing files are kept, so rerunning adds only missing names.
set -euo pipefail
dir="${1:-certs}"; shift || true
names=("$@"); [[ ${#names[@]} -gt 0 ]] || names=(silo client)
password="${CERT_PASSWORD:-marketsim}"
days="${CERT_DAYS:-825}"
command -v openssl >/dev/null || { echo "make-certs.sh: openssl not found (fix: apt-get install -y openssl)" >&2; exit 1; }
mkdir -p "$dir"; cd "$dir"
if [[ ! -f ca.key ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days "$days" -subj "/CN=MarketSim CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    echo "made $dir/ca.crt (the CA: give it to every silo and client with --tls-ca)"
fi
for name in "${names[@]}"; do
    [[ -f "$name.pfx" ]] && { echo "kept $dir/$name.pfx"; continue; }
    openssl req -newkey rsa:2048 -nodes -keyout "$name.key" -out "$name.csr" -subj "/CN=$name" 2>/dev/null
    cat >"$name.ext" <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=DNS:marketsim,DNS:localhost,DNS:$name,IP:127.0.0.1
EXT
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" -days "$days" -extfile "$name.ext" 2>/dev/null
    openssl pkcs12 -export -out "$name.pfx" -inkey "$name.key" -in "$name.crt" -certfile ca.crt -passout "pass:$password"
    rm -f "$name.csr" "$name.ext"
    echo "made $dir/$name.pfx (password \"$password\")"
done
