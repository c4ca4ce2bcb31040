using System.Diagnostics;
using CroydonAudit.Api.Extensions;
using CroydonAudit.FunctionalTests.Infrastructure;
using CroydonAudit.Testing;
using Grpc.Core;
using Grpc.Health.V1;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace CroydonAudit.FunctionalTests.Deployment;

/// <summary>
/// deploy/kubernetes, checked offline: every manifest (and the rules' ConfigMap generated from rules/) reads
/// strictly as the Kubernetes API's own types, generated from its OpenAPI schema (KubernetesClient: an unknown or
/// misspelt field, or a value of the wrong type, is refused); the pieces fit one another and the service (ports,
/// probes, selectors, the Secret's key); and the health services the probes ask for answer SERVING.
/// </summary>
public sealed class KubernetesManifestTests(GradingServiceHost host) : IClassFixture<GradingServiceHost>
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Path, "deploy", "kubernetes");

    [Fact]
    public void EveryManifest_ReadsStrictlyAsTheKubernetesApiTypes()
    {
        var manifests = Directory.EnumerateFiles(Folder, "*.yaml").Where(f => Path.GetFileName(f) != "kustomization.yaml").Order().ToList();
        Assert.NotEmpty(manifests);

        var kinds = manifests.SelectMany(f => Load(File.ReadAllText(f))).Select(o => o.GetType()).ToList();

        Assert.Equal(
            new[] { typeof(V1Deployment), typeof(V1PodDisruptionBudget), typeof(V1Secret), typeof(V1Secret), typeof(V1Service), typeof(V1ConfigMap) }.Order(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name))),
            kinds.Order(Comparer<Type>.Create((a, b) => string.CompareOrdinal(a.Name, b.Name))));
        var kustomization = Yaml(File.ReadAllText(Path.Combine(Folder, "kustomization.yaml")));
        var listed = ((YamlSequenceNode)kustomization.Children[new YamlScalarNode("resources")]).Select(n => n.ToString()).Order();
        // Everything but the Secrets, whose placeholders must never replace the real ones.
        Assert.Equal(manifests.Select(Path.GetFileName).Where(f => !f!.EndsWith("secret.yaml", StringComparison.Ordinal)).Order(), listed);
    }

    [Theory]
    [InlineData("replicas: 2", "replicas: two")]
    [InlineData("revisionHistoryLimit: 5", "revisionHistoryLimt: 5")]
    [InlineData("containerPort: 5000", "containerPort: \"grpc\"")]
    public void AMistakeInAManifest_IsRefused(string line, string mistake)
    {
        var deployment = File.ReadAllText(Path.Combine(Folder, "deployment.yaml"));
        Assert.Contains(line, deployment);

        Assert.ThrowsAny<Exception>(() => Load(deployment.Replace(line, mistake, StringComparison.Ordinal)));
    }

    [Fact]
    public void RulesConfigMap_IsGeneratedFromTheRulesFolder_ByteForByte()
    {
        var configMap = Assert.IsType<V1ConfigMap>(Assert.Single(Load(RulesConfigMap())));
        var files = Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "rules"), "*.json")
            .Select(f => (Key: Path.GetFileName(f), Path: f))
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "rules", "tests"), "*.json").Select(f => (Key: "tests." + Path.GetFileName(f), Path: f)))
            .Concat(Directory.EnumerateFiles(Path.Combine(RepositoryRoot.Path, "rules", "tests", "bases"), "*.json").Select(f => (Key: "tests.bases." + Path.GetFileName(f), Path: f)))
            .ToList();

        Assert.Equal(Deployment().Spec.Template.Spec.Volumes.Single(v => v.ConfigMap is not null).ConfigMap.Name, configMap.Metadata.Name);
        Assert.Equal(files.Select(f => f.Key).Order(StringComparer.Ordinal), configMap.Data.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, path) in files)
        {
            Assert.Equal(File.ReadAllText(path), configMap.Data[key]);
        }
    }

    [Fact]
    public async Task TheInitContainer_PutsTheConfigMapBackAsTheRulesFolder_WorkedCasesAndBasesIncluded()
    {
        var configMap = Assert.IsType<V1ConfigMap>(Assert.Single(Load(RulesConfigMap())));
        var scratch = Directory.CreateTempSubdirectory("croydon-init");
        try
        {
            var mounted = Directory.CreateDirectory(Path.Combine(scratch.FullName, "configmap")).FullName;
            var rules = Path.Combine(scratch.FullName, "rules");
            foreach (var (key, text) in configMap.Data)
            {
                await File.WriteAllTextAsync(Path.Combine(mounted, key), text);
            }

            var init = Deployment().Spec.Template.Spec.InitContainers.Single(c => c.Name == "rules");
            var script = init.Command[^1].Replace("/rules-configmap", mounted, StringComparison.Ordinal).Replace("/rules/", rules + "/", StringComparison.Ordinal);
            using var shell = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", script]))!;
            await shell.WaitForExitAsync();

            Assert.Equal(0, shell.ExitCode);
            Assert.Equal(
                CroydonAudit.Grading.Rules.RuleSetFiles.FromDirectory(Path.Combine(RepositoryRoot.Path, "rules")).Fingerprint,
                CroydonAudit.Grading.Rules.RuleSetFiles.FromDirectory(rules).Fingerprint);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheManifests_FitOneAnother_AndTheService()
    {
        var deployment = Deployment();
        var pod = deployment.Spec.Template;
        var container = Assert.Single(pod.Spec.Containers);
        var service = Single<V1Service>("service.yaml");
        var budget = Single<V1PodDisruptionBudget>("pod-disruption-budget.yaml");
        var secret = Single<V1Secret>("secret.yaml");
        var settings = Single<V1ConfigMap>("settings.yaml");
        int Port(string name) => container.Ports.Single(p => p.Name == name).ContainerPort;

        Assert.Equal(2, deployment.Spec.Replicas);
        Assert.All(deployment.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));
        Assert.All(budget.Spec.Selector.MatchLabels, label => Assert.Equal(label.Value, pod.Metadata.Labels[label.Key]));
        Assert.All(service.Spec.Ports, port => Assert.Contains(container.Ports, p => p.Name == port.TargetPort.Value));

        // The probes ask the gRPC port's health service, by the names the service maps.
        Assert.All(new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe }, probe => Assert.Equal(Port("grpc"), probe.Grpc.Port));
        Assert.Equal(GradingServiceExtensions.LivenessService, container.LivenessProbe.Grpc.Service);
        Assert.Equal(Croydon.Audit.V1.GradingService.Descriptor.FullName, container.ReadinessProbe.Grpc.Service);

        // Each endpoint listens where the container says, and the connection string is the Secret's key.
        var environment = container.Env.ToDictionary(e => e.Name);
        Assert.Equal(Port("grpc"), new Uri(environment["ASPNETCORE_URLS"].Value).Port);
        Assert.Equal(Port("http"), new Uri(environment["Pages__Url"].Value).Port);
        var connection = environment["ConnectionStrings__Audit"].ValueFrom.SecretKeyRef;
        Assert.Equal((secret.Metadata.Name, true), (connection.Name, secret.StringData.ContainsKey(connection.Key)));
        var owner = environment["ConnectionStrings__AuditOwner"].ValueFrom.SecretKeyRef;
        Assert.Equal((secret.Metadata.Name, true), (owner.Name, secret.StringData.ContainsKey(owner.Key)));
        Assert.EndsWith("Username=croydon_audit", secret.StringData[connection.Key], StringComparison.Ordinal);
        Assert.Contains("Username=croydon_audit_owner", secret.StringData[owner.Key], StringComparison.Ordinal);
        var signIn = Single<V1Secret>("sign-in-secret.yaml");
        var clientSecret = environment["Auth__ClientSecret"].ValueFrom.SecretKeyRef;
        Assert.Equal((signIn.Metadata.Name, true), (clientSecret.Name, signIn.StringData.ContainsKey(clientSecret.Key)));
        Assert.False(string.IsNullOrEmpty(settings.Data["Auth__ClientId"]));
        Assert.Equal(settings.Metadata.Name, Assert.Single(container.EnvFrom).ConfigMapRef.Name);
        Assert.Contains(pod.Spec.Volumes, v => v.Name == container.VolumeMounts.Single(m => m.MountPath == environment["Grading__RulesPath"].Value).Name);

        // Requests, and a memory limit above them (from the measured figures); never root, nothing writable but volumes.
        Assert.True(container.Resources.Requests.ContainsKey("memory") && container.Resources.Requests.ContainsKey("cpu"));
        Assert.True(container.Resources.Limits["memory"].ToInt64() > container.Resources.Requests["memory"].ToInt64());
        Assert.True(pod.Spec.SecurityContext.RunAsNonRoot);
        Assert.All(pod.Spec.Containers.Concat(pod.Spec.InitContainers), c => Assert.Equal(((bool?)false, (bool?)true), (c.SecurityContext.AllowPrivilegeEscalation, c.SecurityContext.ReadOnlyRootFilesystem)));
    }

    [Fact]
    public async Task TheProbesHealthServices_AnswerServing()
    {
        var container = Deployment().Spec.Template.Spec.Containers.Single();
        foreach (var probe in new[] { container.StartupProbe, container.LivenessProbe, container.ReadinessProbe })
        {
            // Statuses are published every second from the service's checks: NOT_FOUND or UNKNOWN until the first
            // (what the startup probe's patience is for), then SERVING.
            var request = new HealthCheckRequest { Service = probe.Grpc.Service };
            async Task<bool> Serving()
            {
                try
                {
                    return (await host.Health.CheckAsync(request)).Status == HealthCheckResponse.Types.ServingStatus.Serving;
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                {
                    return false;
                }
            }

            Assert.True(await Eventually.HoldsAsync(Serving, TimeSpan.FromSeconds(10)), $"{probe.Grpc.Service} is not SERVING");
        }
    }

    private static V1Deployment Deployment() => Single<V1Deployment>("deployment.yaml");

    private static T Single<T>(string file) => Assert.IsType<T>(Assert.Single(Load(File.ReadAllText(Path.Combine(Folder, file)))));

    // Strict: an unknown field or a value of the wrong type throws; then each object's own validation, if it has one.
    private static List<object> Load(string yaml)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true);
        foreach (var o in objects)
        {
            o.GetType().GetMethod("Validate", Type.EmptyTypes)?.Invoke(o, null);
        }

        return objects;
    }

    private static YamlMappingNode Yaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static string RulesConfigMap()
    {
        var start = new ProcessStartInfo("/usr/bin/python3", [Path.Combine(Folder, "rules-configmap.py")]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
