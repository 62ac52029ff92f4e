using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Orleans.Connections.Security;

namespace MarketSim.Client;

/// <summary>
/// TLS between silos and between clients and silos (Microsoft.Orleans.Connections.Security): each side presents
/// its certificate (a PFX with the private key) and accepts the other's only if it was signed by the given CA
/// (<see cref="CaCertificatePath"/>) or has one of the given thumbprints. Both sides must present one (mutual
/// TLS), so a client without a certificate the cluster accepts cannot join.
/// </summary>
public sealed record ClusterTls
{
    /// <summary>This process's certificate and private key (PKCS#12, e.g. certs/silo.pfx from scripts/make-certs.sh).</summary>
    public required string CertificatePath { get; init; }
    public string? Password { get; init; }
    /// <summary>Accept peers whose certificate chains to this CA certificate (PEM or DER, e.g. certs/ca.crt).</summary>
    public string? CaCertificatePath { get; init; }
    /// <summary>Accept peers whose certificate has one of these SHA-1 thumbprints (hex).</summary>
    public IReadOnlyList<string> Thumbprints { get; init; } = [];

    /// <summary>Loads the certificate and CA; a missing or unreadable file or a wrong password says so.</summary>
    /// <exception cref="ArgumentException">A file cannot be read, or no way to check peers was given.</exception>
    public (X509Certificate2 Certificate, Func<X509Certificate2, X509Chain?, SslPolicyErrors, bool> Validate) Load()
    {
        if (CaCertificatePath is null && Thumbprints.Count == 0)
            throw new ArgumentException("TLS needs a way to check the other side's certificate: give --tls-ca CA.crt or --tls-thumbprint HEX");
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, Password, X509KeyStorageFlags.Exportable);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new ArgumentException($"cannot read the TLS certificate {CertificatePath}: {e.Message.Trim()} " +
                "(fix: a PKCS#12 file with the private key, e.g. from scripts/make-certs.sh, and the right --tls-password)", e);
        }
        if (!certificate.HasPrivateKey)
            throw new ArgumentException($"the TLS certificate {CertificatePath} has no private key (fix: export it as PKCS#12 with its key)");
        X509Certificate2? ca = null;
        if (CaCertificatePath is not null)
        {
            try { ca = X509CertificateLoader.LoadCertificateFromFile(CaCertificatePath); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"cannot read the CA certificate {CaCertificatePath}: {e.Message.Trim()} (fix: a PEM or DER certificate, e.g. certs/ca.crt)", e);
            }
        }
        var thumbprints = Thumbprints.Select(t => t.Replace(":", "").Trim().ToUpperInvariant()).ToHashSet();
        return (certificate, (remote, _, _) => Accepts(remote, ca, thumbprints));
    }

    private static bool Accepts(X509Certificate2? remote, X509Certificate2? ca, HashSet<string> thumbprints)
    {
        if (remote is null) return false;
        if (thumbprints.Contains(remote.Thumbprint.ToUpperInvariant())) return true;
        if (ca is null) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        return chain.Build(remote) && chain.ChainElements[^1].Certificate.Thumbprint == ca.Thumbprint;
    }

    /// <summary>Fills Orleans' TLS options: our certificate, a certificate required from the other side, our check.</summary>
    public void Apply(TlsOptions options)
    {
        var (certificate, validate) = Load();
        options.LocalCertificate = certificate;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.RemoteCertificateValidation = (cert, chain, errors) => validate(cert, chain, errors);
        options.OnAuthenticateAsClient = (_, o) => o.TargetHost = "marketsim";
        options.HandshakeTimeout = ClusterDefaults.TlsHandshakeTimeout;
    }
}
