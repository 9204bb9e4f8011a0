using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeLstm.Collector.Monitor.Auth;

namespace EdgeLstm.Collector.Monitor;

/// <summary>Where the monitor listens, and who may sign in (null: nobody needs to, which is allowed on loopback only).</summary>
/// <param name="Endpoint">The address and port to listen on.</param>
/// <param name="Users">Who may sign in; null: no login.</param>
/// <param name="Certificate">The certificate (with its key) to serve HTTPS with; null: plain HTTP.</param>
internal sealed record MonitorOptions(IPEndPoint Endpoint, UsersFile? Users, X509Certificate2? Certificate = null);
