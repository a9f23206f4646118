using System.Management.Automation;

namespace PodManager.Commands.Pipeline;

/// <summary>
/// An engine error as PowerShell reports it: its catalog id (the first part of the FullyQualifiedErrorId), the
/// PowerShell category of the same name, the pod (or what the input named) as target object, and for a diagnosed
/// failure a short view of the diagnosis (<see cref="FailureView"/>) with its recommended action.
/// </summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(PodManagerException error, object? target)
    {
        var record = new ErrorRecord(error, error.ErrorId, Category(error.Category), (object?)error.Pod ?? target);
        if (error.Diagnosis is { } diagnosis)
        {
            record.ErrorDetails = new ErrorDetails(FailureView.Text(error, diagnosis)) { RecommendedAction = diagnosis.RecommendedAction };
        }

        return record;
    }

    // The model's categories are named after PowerShell's, so the mapping is by name.
    private static ErrorCategory Category(PodManagerErrorCategory category) =>
        Enum.TryParse<ErrorCategory>(category.ToString(), out var mapped) ? mapped : ErrorCategory.NotSpecified;
}
