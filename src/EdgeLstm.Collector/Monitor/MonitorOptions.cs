using System.Net;
using EdgeLstm.Collector.Monitor.Auth;

namespace EdgeLstm.Collector.Monitor;

/// <summary>Where the monitor listens, and who may sign in (null: nobody needs to, which is allowed on loopback only).</summary>
internal sealed record MonitorOptions(IPEndPoint Endpoint, UsersFile? Users);
