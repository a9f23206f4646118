using System.Text;
using k8s;
using PodManager.TestCluster.ApiServer.Authentication;
using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer.Registry;

/// <summary>
/// A kind that is only ever created and never stored (the self-subject reviews of authorization.k8s.io and
/// authentication.k8s.io): the API server answers the create with the object and its status, 201.
/// </summary>
internal abstract class CreateOnlyApi<T>(string plural, string kind, string group) : IResourceApi
    where T : class
{
    public ResourceInfo Info { get; } = new(plural, kind.ToLowerInvariant(), kind, Namespaced: false, ["create"], [], [], [], group);

    public async Task HandleCollectionAsync(HttpContext context, string? namespaceName, bool watchPath, CancellationToken cancellationToken)
    {
        if (context.Request.Method != "POST" || watchPath)
        {
            throw ApiErrors.MethodNotAllowed();
        }

        var body = await JsonBody.ReadBytesAsync(context.Request, cancellationToken);
        var review = JsonBody.Deserialize<T>(body, Info.Kind);
        var answered = Answer(ApiPipeline.User(context), review);
        await ApiResponses.WriteJsonAsync(context, 201, Encoding.UTF8.GetBytes(KubernetesJson.Serialize(answered)), cancellationToken);
    }

    public Task HandleItemAsync(HttpContext context, string? namespaceName, string name, bool watchPath, CancellationToken cancellationToken) =>
        throw ApiErrors.MethodNotAllowed();

    public Task HandleSubresourceAsync(HttpContext context, string? namespaceName, string name, string subresource, CancellationToken cancellationToken) =>
        throw ApiErrors.PathNotFound();

    protected abstract T Answer(UserInfo user, T review);

    protected ApiException Invalid(params FieldError[] errors) => ApiErrors.Invalid(Info.Kind, string.Empty, errors, Info.Group);
}

