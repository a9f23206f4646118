using k8s.Models;
using PodManager.TestCluster.ApiServer.Registry;
using PodManager.TestCluster.ApiServer.Validation;

namespace PodManager.TestCluster.ApiServer.Authorization;

/// <summary>SelfSubjectAccessReview: may I do this? Answered by the same authorizer as every request, so
/// <c>kubectl auth can-i</c> says what the API server would do.</summary>
internal sealed class SelfSubjectAccessReviewApi(RbacAuthorizer authorizer) : CreateOnlyApi<V1SelfSubjectAccessReview>("selfsubjectaccessreviews", "SelfSubjectAccessReview", "authorization.k8s.io")
{
    protected override V1SelfSubjectAccessReview Answer(Authentication.UserInfo user, V1SelfSubjectAccessReview review)
    {
        var spec = review.Spec ?? new V1SelfSubjectAccessReviewSpec();
        if (spec.ResourceAttributes is not null && spec.NonResourceAttributes is not null)
        {
            throw Invalid(new FieldError("spec.nonResourceAttributes", "FieldValueInvalid", "Invalid value: \"object\": cannot be specified in combination with resourceAttributes"));
        }

        if (spec.ResourceAttributes is null && spec.NonResourceAttributes is null)
        {
            throw Invalid(new FieldError("spec.resourceAttributes", "FieldValueInvalid", "Invalid value: \"null\": exactly one of nonResourceAttributes or resourceAttributes must be specified"));
        }

        var request = spec.ResourceAttributes is { } resource
            ? new RequestInfo(
                resource.Verb ?? string.Empty,
                resource.Resource ?? string.Empty,
                string.IsNullOrEmpty(resource.Subresource) ? null : resource.Subresource,
                string.IsNullOrEmpty(resource.NamespaceProperty) ? null : resource.NamespaceProperty,
                string.IsNullOrEmpty(resource.Name) ? null : resource.Name,
                IsResourceRequest: true,
                ApiGroup: resource.Group ?? string.Empty,
                ApiVersion: resource.Version ?? string.Empty)
            : new RequestInfo(spec.NonResourceAttributes!.Verb ?? string.Empty, spec.NonResourceAttributes.Path ?? string.Empty, null, null, null, IsResourceRequest: false, Path: spec.NonResourceAttributes.Path ?? string.Empty);
        var decision = authorizer.Authorize(user, request);
        review.ApiVersion = Info.ApiVersion;
        review.Kind = Info.Kind;
        review.Metadata ??= new V1ObjectMeta();
        review.Status = new V1SubjectAccessReviewStatus { Allowed = decision.Allowed, Reason = decision.Reason.Length == 0 ? null : decision.Reason };
        return review;
    }
}

/// <summary>SelfSubjectRulesReview: what may I do in this namespace? (<c>kubectl auth can-i --list</c>).</summary>
internal sealed class SelfSubjectRulesReviewApi(RbacAuthorizer authorizer) : CreateOnlyApi<V1SelfSubjectRulesReview>("selfsubjectrulesreviews", "SelfSubjectRulesReview", "authorization.k8s.io")
{
    protected override V1SelfSubjectRulesReview Answer(Authentication.UserInfo user, V1SelfSubjectRulesReview review)
    {
        var ns = review.Spec?.NamespaceProperty;
        if (string.IsNullOrEmpty(ns))
        {
            throw Invalid(FieldError.Required("spec.namespace"));
        }

        var (rules, error) = authorizer.RulesFor(user, ns);
        review.ApiVersion = Info.ApiVersion;
        review.Kind = Info.Kind;
        review.Metadata ??= new V1ObjectMeta();
        review.Status = new V1SubjectRulesReviewStatus
        {
            ResourceRules = rules.Where(r => r.Resources is { Count: > 0 })
                .Select(r => new V1ResourceRule { Verbs = r.Verbs, ApiGroups = r.ApiGroups, Resources = r.Resources, ResourceNames = r.ResourceNames })
                .ToList(),
            NonResourceRules = rules.Where(r => r.NonResourceURLs is { Count: > 0 })
                .Select(r => new V1NonResourceRule { Verbs = r.Verbs, NonResourceURLs = r.NonResourceURLs })
                .ToList(),
            Incomplete = error is not null,
            EvaluationError = error,
        };
        return review;
    }
}
