using System.Text;
using System.Text.Json;

namespace PodManager.TestCluster;

/// <summary>
/// The private registry of the test cluster: images under <see cref="Host"/> (e.g. <c>registry.private.test/team/app:1.0</c>)
/// pull only for a pod whose <c>imagePullSecrets</c> name a <c>kubernetes.io/dockerconfigjson</c> Secret with these
/// credentials; any other pull fails with containerd's <c>401 Unauthorized</c>.
/// </summary>
public static class TestClusterRegistry
{
    public const string Host = "registry.private.test";

    public const string Username = "testcluster";

    public const string Password = "registry-password";

    /// <summary>The <c>.dockerconfigjson</c> of a pull secret for this registry (or, with other credentials, one it refuses).</summary>
    public static string DockerConfigJson(string username = Username, string password = Password) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object>
            {
                [Host] = new Dictionary<string, string>
                {
                    ["username"] = username,
                    ["password"] = password,
                    ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")),
                },
            },
        });
}
