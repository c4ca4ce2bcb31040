using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CroydonAudit.Contracts;

/// <summary>
/// The contract's files as described with their comments (source info): built at compile time by protoc into the
/// embedded croydon-audit-v1.binpb (see the project file), for server reflection to serve, so a client that
/// discovers the service also reads what each method and field means, its limits and its errors.
/// </summary>
public static class ContractDescriptors
{
    private static readonly Lazy<IReadOnlyList<FileDescriptor>> Files = new(Load);

    /// <summary>The contract's services, from the descriptors that carry their comments.</summary>
    public static IReadOnlyList<ServiceDescriptor> Services =>
        [.. Files.Value.Where(f => f.Package == Croydon.Audit.V1.GradingService.Descriptor.File.Package).SelectMany(f => f.Services)];

    private static IReadOnlyList<FileDescriptor> Load()
    {
        using var resource = typeof(ContractDescriptors).Assembly.GetManifestResourceStream("croydon-audit-v1.binpb")
            ?? throw new InvalidOperationException("croydon-audit-v1.binpb is not embedded in the contract's assembly.");
        // protoc writes imports first (--include_imports), so each file follows the files it depends on.
        var set = FileDescriptorSet.Parser.ParseFrom(resource);
        return FileDescriptor.BuildFromByteStrings(set.File.Select(f => f.ToByteString()));
    }
}
