//! TLS settings: rustls with the ring provider, verification on by default.
//!
//! Trust comes from the operating system's store, with Mozilla's bundled
//! roots as a fallback when that store is empty (feature `bundled-roots`,
//! on by default), plus any CA file the user names (kamaki's `ca_certs`).
//! Turning verification off is possible, explicit, and logged as a warning
//! every time a client is built with it.

use crate::error::{Error, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How server certificates are checked.
#[derive(Clone, Debug, Default)]
pub struct TlsConfig {
    /// Extra trusted certificates (a PEM bundle), added to the system roots.
    pub ca_file: Option<PathBuf>,
    /// Accept any certificate. For test clouds with self-signed
    /// certificates only: it makes the connection open to interception.
    pub insecure: bool,
}

/// Builds the rustls client configuration for `tls` (the connector sets the
/// ALPN protocols).
pub(crate) fn client_config(tls: &TlsConfig) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS setup failed: {e}")))?;
    let config = if tls.insecure {
        tracing::warn!(
            "TLS certificate verification is OFF: connections can be intercepted; use it only with test clouds"
        );
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(provider)))
            .with_no_client_auth()
    } else {
        builder
            .with_root_certificates(root_store(tls.ca_file.as_deref())?)
            .with_no_client_auth()
    };
    Ok(config)
}

/// The system roots (or the bundled ones when the system has none) plus the
/// certificates of `ca_file`.
fn root_store(ca_file: Option<&Path>) -> Result<RootCertStore> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    for error in &native.errors {
        tracing::debug!(%error, "skipping part of the system certificate store");
    }
    roots.add_parsable_certificates(native.certs);
    #[cfg(feature = "bundled-roots")]
    if roots.is_empty() {
        tracing::debug!("system certificate store is empty: using the bundled Mozilla roots");
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    }
    if let Some(path) = ca_file {
        let added = add_ca_file(&mut roots, path)?;
        tracing::debug!(path = %path.display(), added, "loaded CA certificates");
    }
    if roots.is_empty() {
        return Err(Error::Config(
            "no trusted root certificates: install your system's CA bundle or pass a CA file (--ca-certs)".into(),
        ));
    }
    Ok(roots)
}

/// Adds every certificate of a PEM file; fails if the file cannot be read
/// or holds none.
fn add_ca_file(roots: &mut RootCertStore, path: &Path) -> Result<usize> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::Config(format!("cannot read the CA file {}: {e}", path.display())))?;
    let mut added = 0;
    for cert in CertificateDer::pem_slice_iter(&bytes) {
        let cert = cert.map_err(|e| {
            Error::Config(format!(
                "the CA file {} is not valid PEM: {e}",
                path.display()
            ))
        })?;
        roots.add(cert).map_err(|e| {
            Error::Config(format!(
                "the CA file {} holds an unusable certificate: {e}",
                path.display()
            ))
        })?;
        added += 1;
    }
    if added == 0 {
        return Err(Error::Config(format!(
            "the CA file {} holds no PEM certificate",
            path.display()
        )));
    }
    Ok(added)
}

/// A verifier that accepts any certificate but still checks handshake
/// signatures (so the connection is at least with the holder of the key the
/// certificate names).
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_ca_file_is_a_clear_config_error() {
        let err = client_config(&TlsConfig {
            ca_file: Some("/nonexistent/ca.pem".into()),
            insecure: false,
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("cannot read the CA file /nonexistent/ca.pem"),
            "{err}"
        );
    }

    #[test]
    fn ca_file_without_certificates_is_refused() {
        let dir = std::env::temp_dir().join(format!("synnefo-core-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("empty.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let err = client_config(&TlsConfig {
            ca_file: Some(path.clone()),
            insecure: false,
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("holds no PEM certificate"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn insecure_mode_builds() {
        let config = client_config(&TlsConfig {
            ca_file: None,
            insecure: true,
        })
        .unwrap();
        assert!(config.alpn_protocols.is_empty());
    }
}
