using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace CroydonAudit.FunctionalTests.Infrastructure;

/// <summary>Polls the health service as a real probe does, until it reports a status or ten seconds pass.</summary>
public static class HealthProbe
{
    public static async Task<ServingStatus> EventuallyAsync(Health.HealthClient health, ServingStatus expected)
    {
        var status = ServingStatus.Unknown;
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                status = (await health.CheckAsync(new HealthCheckRequest())).Status;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // Not yet published.
            }

            if (status == expected)
            {
                break;
            }

            await Task.Delay(200);
        }

        return status;
    }
}
