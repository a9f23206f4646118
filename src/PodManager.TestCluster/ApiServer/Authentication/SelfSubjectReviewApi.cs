using k8s.Models;
using PodManager.TestCluster.ApiServer.Registry;

namespace PodManager.TestCluster.ApiServer.Authentication;

/// <summary>SelfSubjectReview (authentication.k8s.io/v1): who am I? (<c>kubectl auth whoami</c>).</summary>
internal sealed class SelfSubjectReviewApi() : CreateOnlyApi<V1SelfSubjectReview>("selfsubjectreviews", "SelfSubjectReview", "authentication.k8s.io")
{
    protected override V1SelfSubjectReview Answer(UserInfo user, V1SelfSubjectReview review)
    {
        review.ApiVersion = Info.ApiVersion;
        review.Kind = Info.Kind;
        review.Metadata ??= new V1ObjectMeta();
        review.Status = new V1SelfSubjectReviewStatus { UserInfo = new V1UserInfo { Username = user.Name, Groups = [.. user.Groups] } };
        return review;
    }
}
