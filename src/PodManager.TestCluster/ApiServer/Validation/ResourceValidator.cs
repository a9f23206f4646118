using k8s.Models;

namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>A container's resources as ValidateResourceRequirements checks them: known resource names, quantities
/// that are not negative, whole numbers for extended resources, requests within limits, and extended resources
/// (which cannot be overcommitted) limited and requested alike.</summary>
internal static class ResourceValidator
{
    public static IEnumerable<FieldError> Validate(V1ResourceRequirements? resources, string at)
    {
        var errors = new List<FieldError>();
        var limits = resources?.Limits ?? new Dictionary<string, ResourceQuantity>();
        var requests = resources?.Requests ?? new Dictionary<string, ResourceQuantity>();
        foreach (var (name, quantity) in limits)
        {
            Quantity(errors, $"{at}.limits[{name}]", name, quantity);
        }

        foreach (var (name, quantity) in requests)
        {
            var path = $"{at}.requests[{name}]";
            Quantity(errors, path, name, quantity);
            if (limits.TryGetValue(name, out var limit))
            {
                if (quantity.ToDecimal() != limit.ToDecimal() && !ResourceNames.IsOvercommitAllowed(name))
                {
                    errors.Add(FieldError.Invalid(path, quantity.ToString(), $"must be equal to {name} limit of {limit}"));
                }
                else if (quantity.ToDecimal() > limit.ToDecimal())
                {
                    errors.Add(FieldError.Invalid(path, quantity.ToString(), $"must be less than or equal to {name} limit of {limit}"));
                }
            }
            else if (!ResourceNames.IsOvercommitAllowed(name))
            {
                errors.Add(FieldError.Required($"{at}.limits", "Limit must be set for non overcommitable resources"));
            }
        }

        return errors;
    }

    private static void Quantity(List<FieldError> errors, string path, string name, ResourceQuantity quantity)
    {
        if (!name.Contains('/', StringComparison.Ordinal))
        {
            if (!ResourceNames.IsStandardContainer(name))
            {
                errors.Add(FieldError.Invalid(path, name, "must be a standard resource for containers"));
            }
        }
        else if (!ResourceNames.IsNative(name) && !ResourceNames.IsExtended(name))
        {
            errors.Add(FieldError.Invalid(path, name, "doesn't follow extended resource name standard"));
        }

        var value = quantity.ToDecimal();
        if (value < 0)
        {
            errors.Add(FieldError.Invalid(path, quantity.ToString(), "must be greater than or equal to 0"));
        }

        if (ResourceNames.IsInteger(name) && value != decimal.Truncate(value))
        {
            errors.Add(FieldError.Invalid(path, quantity.ToString(), "must be an integer"));
        }
    }
}
