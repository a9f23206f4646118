namespace PodManager.TestCluster.ApiServer.Validation;

/// <summary>One validation failure, phrased like k8s.io/apimachinery/pkg/util/validation/field.</summary>
internal sealed record FieldError(string Field, string Reason, string Detail)
{
    public override string ToString() => $"{Field}: {Detail}";

    public static FieldError Required(string field, string? detail = null) =>
        new(field, "FieldValueRequired", detail is null ? "Required value" : $"Required value: {detail}");

    public static FieldError Invalid(string field, string value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: \"{value}\": {detail}");

    public static FieldError Invalid(string field, long value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {value}: {detail}");

    /// <summary>An invalid value printed as Go prints it (<c>%#v</c> of a struct, <c>null</c>).</summary>
    public static FieldError InvalidValue(string field, string printedValue, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {printedValue}: {detail}");

    public static FieldError Duplicate(string field, string value) =>
        new(field, "FieldValueDuplicate", $"Duplicate value: \"{value}\"");

    public static FieldError NotFound(string field, string value) =>
        new(field, "FieldValueNotFound", $"Not found: \"{value}\"");

    public static FieldError NotSupported(string field, string value, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: \"{value}\": supported values: {string.Join(", ", supported.Select(s => $"\"{s}\""))}");

    public static FieldError Forbidden(string field, string detail) => new(field, "FieldValueForbidden", $"Forbidden: {detail}");
}
