using System.Reflection;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Routing;

namespace CroydonAudit.Api.Infrastructure.Grpc;

/// <summary>
/// Binds each generated gRPC service (the contract's, health, reflection) as grpc-dotnet's own binder does,
/// but with every request read through the <see cref="RequestGuard"/>. grpc-dotnet parses a request before
/// any interceptor runs, and reports a request it cannot parse as UNKNOWN: a caller's mistake must be
/// INVALID_ARGUMENT, and an oversized list must be refused before it is built. It replaces the default binder
/// (<see cref="RequestGuardServiceCollectionExtensions.AddRequestGuard"/>), so each method is bound once; a test
/// compares what it binds with what grpc-dotnet's own binder does, so that an upgrade changing that fails loudly.
/// </summary>
public sealed class GuardedServiceMethodProvider<TService>(RequestGuard guard) : IServiceMethodProvider<TService>
    where TService : class
{
    /// <inheritdoc />
    public void OnServiceMethodDiscovery(ServiceMethodProviderContext<TService> context)
    {
        var declaring = typeof(TService);
        BindServiceMethodAttribute? attribute = null;
        while (declaring is not null && (attribute = declaring.GetCustomAttribute<BindServiceMethodAttribute>(inherit: false)) is null)
        {
            declaring = declaring.BaseType;
        }

        if (attribute is null || declaring is null)
        {
            // Left unbound, its methods would answer UNIMPLEMENTED without anyone knowing why: stop the start instead.
            throw new InvalidOperationException($"{typeof(TService)} has no [BindServiceMethod] (code generated from a .proto): its methods cannot be bound through the request guard.");
        }

        var bind = attribute.BindType.GetMethod(attribute.BindMethodName, BindingFlags.Public | BindingFlags.Static, [typeof(ServiceBinderBase), declaring])
            ?? throw new InvalidOperationException($"{attribute.BindType} has no {attribute.BindMethodName}(ServiceBinderBase, {declaring.Name}).");
        try
        {
            bind.Invoke(null, [new Binder(context, declaring, guard), null]);
        }
        catch (Exception e)
        {
            // As grpc-dotnet's binder: which service could not be bound, with what went wrong inside.
            throw new InvalidOperationException($"Error binding gRPC service '{typeof(TService).Name}'.", e is TargetInvocationException { InnerException: { } inner } ? inner : e);
        }
    }

    private sealed class Binder(ServiceMethodProviderContext<TService> context, Type declaring, RequestGuard guard) : ServiceBinderBase
    {
        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<UnaryServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(ServerCallContext)]);
            context.AddUnaryMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ServerStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(TRequest), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddServerStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<ClientStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(ServerCallContext)]);
            context.AddClientStreamingMethod(Guarded(method), metadata, invoker);
        }

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        {
            var (invoker, metadata) = Model<DuplexStreamingServerMethod<TService, TRequest, TResponse>>(method.Name, [typeof(IAsyncStreamReader<TRequest>), typeof(IServerStreamWriter<TResponse>), typeof(ServerCallContext)]);
            context.AddDuplexStreamingMethod(Guarded(method), metadata, invoker);
        }

        private Method<TRequest, TResponse> Guarded<TRequest, TResponse>(Method<TRequest, TResponse> method)
            where TRequest : class
            where TResponse : class
        {
            var descriptor = typeof(IMessage).IsAssignableFrom(typeof(TRequest)) ? ((IMessage)Activator.CreateInstance(typeof(TRequest))!).Descriptor : null;
            var deserialize = method.RequestMarshaller.ContextualDeserializer;
            var marshaller = new Marshaller<TRequest>(
                method.RequestMarshaller.ContextualSerializer,
                context => guard.Deserialize(context, deserialize, descriptor, method.FullName));
            return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
        }

        // As grpc-dotnet's binder: the service's override of the generated method, with the attributes of its
        // type and then of the method itself (so [Authorize] and the like apply) as the endpoint's metadata.
        private (TDelegate Invoker, List<object> Metadata) Model<TDelegate>(string name, Type[] parameters)
            where TDelegate : Delegate
        {
            var handler = FindOverride(name, parameters) ?? throw new InvalidOperationException($"Could not find '{name}' on {typeof(TService)}.");
            List<object> metadata = [.. typeof(TService).GetCustomAttributes(inherit: true), .. handler.GetCustomAttributes(inherit: true)];
            metadata.Add(new HttpMethodMetadata(["POST"], acceptCorsPreflight: true));
            return ((TDelegate)Delegate.CreateDelegate(typeof(TDelegate), handler), metadata);
        }

        private MethodInfo? FindOverride(string name, Type[] parameters)
        {
            for (var type = typeof(TService); type is not null; type = type.BaseType)
            {
                var method = type.GetMethod(name, BindingFlags.Public | BindingFlags.Instance, binder: null, parameters, modifiers: null);
                if (method is null)
                {
                    return null;
                }

                if (method.IsVirtual && method.GetBaseDefinition().DeclaringType == declaring)
                {
                    return method;
                }
            }

            return null;
        }
    }
}

/// <summary>Puts the <see cref="GuardedServiceMethodProvider{TService}"/> in the place of grpc-dotnet's own binder.</summary>
public static class RequestGuardServiceCollectionExtensions
{
    /// <summary>
    /// Binds every generated gRPC service through the request guard: removes grpc-dotnet's own binder (JSON
    /// transcoding's provider, which binds the REST routes, stays) and adds the guarded one. Call it after every
    /// AddGrpc…, each of which adds grpc-dotnet's binder again if it is missing.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// grpc-dotnet no longer registers its binder as a type this can find: every method would be bound twice, or
    /// not guarded. Stops the start, so that an upgrade cannot silently unguard the service.
    /// </exception>
    public static IServiceCollection AddRequestGuard(this IServiceCollection services)
    {
        var grpcOwn = new ServiceCollection().AddGrpc().Services
            .Where(d => d.ServiceType == typeof(IServiceMethodProvider<>) && d.ImplementationType is not null)
            .Select(d => d.ImplementationType!)
            .ToHashSet();
        if (grpcOwn.Count == 0)
        {
            throw new InvalidOperationException("grpc-dotnet's own service binder was not found among its registrations: GuardedServiceMethodProvider must be brought up to date with this version of Grpc.AspNetCore.");
        }

        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IServiceMethodProvider<>) && services[i].ImplementationType is { } type && grpcOwn.Contains(type))
            {
                services.RemoveAt(i);
            }
        }

        services.AddSingleton<RequestGuard>();
        services.AddSingleton(typeof(IServiceMethodProvider<>), typeof(GuardedServiceMethodProvider<>));
        return services;
    }
}
