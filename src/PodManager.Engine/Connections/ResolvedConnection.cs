using k8s;

namespace PodManager.Engine.Connections;

/// <summary>A connection ready to build a client from, with the public description of it and who it acts as.</summary>
internal sealed record ResolvedConnection(KubernetesClientConfiguration Configuration, KConnection Connection, ClientIdentity Identity);
