//! TLS to the server, with rustls (a terminal needs no OpenSSL), chosen by the URL's `sslmode`
//! as libpq reads it:
//!
//! - `disable`: never; `prefer` (the default): when the server offers it, unverified;
//! - `require`: always, and the connection fails without it; the certificate is checked only
//!   when `sslrootcert=FILE` names the authority that signed it (as libpq does);
//! - `verify-ca`: always, the certificate signed by `sslrootcert` (default
//!   `~/.postgresql/root.crt`); `verify-full`: that, and issued for the host in the URL.
//!
//! The `postgres` client knows only the first three and no `sslrootcert`: this module takes
//! them out of the URL before the client reads it.

use std::str::FromStr;
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::store::StoreError;

/// A root certificate file larger than this is refused (a bundle of a few hundred CAs is
/// far below it).
const MAX_ROOT_FILE: u64 = 1024 * 1024;

/// How a URL connects: the client's configuration and its TLS.
pub struct Connection {
    pub config: postgres::Config,
    pub tls: MakeRustlsConnect,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// Reads `url` (which may hold a password: errors never show it) into a configuration and TLS.
pub fn parse(url: &str, shown_url: &str) -> Result<Connection, StoreError> {
    let bad = |reason: String| StoreError::Open {
        path: shown_url.to_string(),
        reason,
    };
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut mode = Mode::Prefer;
    let mut root_file: Option<String> = None;
    let mut kept: Vec<&str> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "sslmode" => {
                mode = match value {
                    "disable" => Mode::Disable,
                    "allow" | "prefer" => Mode::Prefer,
                    "require" => Mode::Require,
                    "verify-ca" => Mode::VerifyCa,
                    "verify-full" => Mode::VerifyFull,
                    other => {
                        return Err(bad(format!(
                            "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
                        )))
                    }
                }
            }
            "sslrootcert" => root_file = Some(percent_decoded(value)),
            _ => kept.push(pair),
        }
    }
    let client_mode = match mode {
        Mode::Disable => "disable",
        Mode::Prefer => "prefer",
        Mode::Require | Mode::VerifyCa | Mode::VerifyFull => "require",
    };
    kept.push(match client_mode {
        "disable" => "sslmode=disable",
        "prefer" => "sslmode=prefer",
        _ => "sslmode=require",
    });
    let rebuilt = format!("{base}?{}", kept.join("&"));
    let mut config = postgres::Config::from_str(&rebuilt)
        .map_err(|e| bad(format!("not a PostgreSQL URL: {}", super::causes(&e))))?;
    if config.get_hosts().is_empty() && config.get_hostaddrs().is_empty() {
        // No host (`postgres:///brigade`): the server on this machine, through its socket
        // directory, as psql does.
        let dir = ["/var/run/postgresql", "/tmp"]
            .into_iter()
            .find(|d| std::path::Path::new(d).is_dir())
            .unwrap_or("/tmp");
        config.host_path(dir);
    }

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| bad(format!("TLS cannot be set up: {e}")))?;
    let verifier: Arc<dyn ServerCertVerifier> = match (mode, root_file) {
        (Mode::Disable | Mode::Prefer | Mode::Require, None) => {
            Arc::new(Unverified(provider.clone()))
        }
        (Mode::Disable | Mode::Prefer, Some(_)) => Arc::new(Unverified(provider.clone())),
        (Mode::Require | Mode::VerifyCa, Some(file)) => {
            Arc::new(ChainOnly(webpki(&file, &provider, &bad)?))
        }
        (Mode::VerifyCa | Mode::VerifyFull, None) => {
            let default = dirs::home_dir()
                .map(|h| h.join(".postgresql").join("root.crt"))
                .filter(|p| p.is_file())
                .ok_or_else(|| {
                    bad("sslmode=verify-ca and verify-full need sslrootcert=FILE: the certificate of the authority that signed the server's".into())
                })?;
            let file = default.display().to_string();
            if mode == Mode::VerifyCa {
                Arc::new(ChainOnly(webpki(&file, &provider, &bad)?))
            } else {
                webpki(&file, &provider, &bad)?
            }
        }
        (Mode::VerifyFull, Some(file)) => webpki(&file, &provider, &bad)?,
    };
    let tls = builder
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(Connection {
        config,
        tls: MakeRustlsConnect::new(tls),
    })
}

/// Whether a connection error is TLS failing (handshake, certificate, a server without TLS).
pub fn is_tls_failure(e: &postgres::Error) -> bool {
    // The client's error kinds are private; its message for the TLS kind is stable (and
    // covers a server that offers no TLS when it is required).
    e.code().is_none() && e.to_string().starts_with("error performing TLS handshake")
}

/// The standard verifier, trusting the authorities in `file`.
fn webpki(
    file: &str,
    provider: &Arc<CryptoProvider>,
    bad: &dyn Fn(String) -> StoreError,
) -> Result<Arc<dyn ServerCertVerifier>, StoreError> {
    let pem = read_bounded(file).map_err(|e| bad(format!("sslrootcert {file}: {e}")))?;
    let mut roots = RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| bad(format!("sslrootcert {file}: {e}")))?;
        roots
            .add(cert)
            .map_err(|e| bad(format!("sslrootcert {file}: {e}")))?;
    }
    if roots.is_empty() {
        return Err(bad(format!("sslrootcert {file} holds no certificate")));
    }
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map(|v| v as Arc<dyn ServerCertVerifier>)
        .map_err(|e| bad(format!("sslrootcert {file}: {e}")))
}

/// The file, refused when larger than [`MAX_ROOT_FILE`].
fn read_bounded(file: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_ROOT_FILE + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > MAX_ROOT_FILE {
        return Err(format!("larger than {MAX_ROOT_FILE} bytes"));
    }
    Ok(bytes)
}

/// `%XX` escapes decoded (a path in a URL); anything malformed is kept as it is.
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encrypts without checking who the server is (`prefer`, `require` without a root file):
/// the handshake's signatures are still checked, the certificate's issuer and name are not.
#[derive(Debug)]
struct Unverified(Arc<CryptoProvider>);

impl ServerCertVerifier for Unverified {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain must lead to a trusted authority; the name on it is not checked.
#[derive(Debug)]
struct ChainOnly(Arc<dyn ServerCertVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode_of(url: &str) -> postgres::config::SslMode {
        parse(url, "shown")
            .map(|c| c.config.get_ssl_mode())
            .unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    #[test]
    fn sslmode_is_read_as_libpq_reads_it() {
        use postgres::config::SslMode;
        assert_eq!(mode_of("postgres://u@h/db"), SslMode::Prefer);
        assert_eq!(
            mode_of("postgres://u@h/db?sslmode=disable"),
            SslMode::Disable
        );
        assert_eq!(
            mode_of("postgres://u@h/db?sslmode=require"),
            SslMode::Require
        );
        let err = parse("postgres://u@h/db?sslmode=verify-full", "shown").err();
        if dirs::home_dir().is_none_or(|h| !h.join(".postgresql/root.crt").is_file()) {
            let err = err.expect("verify-full without a root certificate is refused");
            assert!(err.to_string().contains("sslrootcert"), "{err}");
        }
        let err = parse("postgres://u@h/db?sslmode=sometimes", "shown")
            .err()
            .expect("an unknown sslmode is refused");
        assert!(err.to_string().contains("sslmode=sometimes"), "{err}");
        let err = parse(
            "postgres://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent%20dir/ca.pem",
            "shown",
        )
        .err()
        .expect("a missing root file is refused");
        assert!(err.to_string().contains("/nonexistent dir/ca.pem"), "{err}");
    }

    #[test]
    fn other_parameters_pass_through() {
        let c = parse(
            "postgres://u@h:6000/db?application_name=x&sslmode=require",
            "s",
        )
        .expect("parses");
        assert_eq!(c.config.get_ports(), &[6000]);
        assert_eq!(c.config.get_dbname(), Some("db"));
    }
}
