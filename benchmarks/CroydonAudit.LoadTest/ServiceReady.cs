using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace CroydonAudit.LoadTest;

/// <summary>Waits until the service's health service reports SERVING (the store reachable and migrated).</summary>
public static class ServiceReady
{
    public static async Task<bool> WaitAsync(GrpcChannel channel, TimeSpan timeout)
    {
        var client = new Health.HealthClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await client.CheckAsync(new HealthCheckRequest())).Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return true;
                }
            }
            catch (RpcException)
            {
                // Not listening or not yet published: keep waiting.
            }

            await Task.Delay(500);
        }

        return false;
    }
}
