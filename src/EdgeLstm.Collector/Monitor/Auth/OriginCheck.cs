using Microsoft.AspNetCore.Http;

namespace EdgeLstm.Collector.Monitor.Auth;

/// <summary>
/// Cross-site request forgery defence for the monitor's forms, with the SameSite=Strict cookie: a POST is taken only
/// when its <c>Origin</c> (or, without one, its <c>Referer</c>) is this server. Browsers send one with every form POST.
/// </summary>
internal static class OriginCheck
{
    /// <summary>Whether <paramref name="request"/> comes from a page of this server.</summary>
    public static bool IsSameOrigin(HttpRequest request)
    {
        string self = $"{request.Scheme}://{request.Host}";
        string? origin = request.Headers.Origin;
        if (!string.IsNullOrEmpty(origin)) return string.Equals(origin, self, StringComparison.OrdinalIgnoreCase);
        string? referer = request.Headers.Referer;
        return referer is not null && Uri.TryCreate(referer, UriKind.Absolute, out Uri? from)
            && string.Equals($"{from.Scheme}://{from.Authority}", self, StringComparison.OrdinalIgnoreCase);
    }
}
