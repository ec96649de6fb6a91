"""Makes a throwaway certificate authority and a server certificate for 127.0.0.1 signed by
it, with the `cryptography` package, for a registry on loopback that clients reach over TLS.

    python3 test_ca.py <directory>

Writes <directory>/ca.pem (the authority, for clients to trust), cert.pem and key.pem (the
server's). Both certificates are valid for one day. A self-signed server certificate alone
does not do: rustls refuses a CA certificate used as the server's own (CaUsedAsEndEntity).
"""

import datetime
import ipaddress
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def certificate(subject, issuer, public_key, signing_key, is_ca):
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=is_ca, path_length=None), critical=True)
    )
    if not is_ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


out = Path(sys.argv[1])
ca_key = ec.generate_private_key(ec.SECP256R1())
ca = certificate("truefoundry-volumes test CA", "truefoundry-volumes test CA", ca_key.public_key(), ca_key, True)
server_key = ec.generate_private_key(ec.SECP256R1())
server = certificate("127.0.0.1", "truefoundry-volumes test CA", server_key.public_key(), ca_key, False)
(out / "ca.pem").write_bytes(pem(ca))
(out / "cert.pem").write_bytes(pem(server))
(out / "key.pem").write_bytes(
    server_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
)
