namespace PodManager.TestCluster.ApiServer.Printers;

internal sealed record TableColumn(string Name, string Type, string Format, string Description, int Priority = 0);

/// <summary>The server-side <c>Table</c> columns of a kind (pkg/printers/internalversion) and how to fill a row.</summary>
internal sealed class TableConverter<T>(IReadOnlyList<TableColumn> columns, Func<T, DateTime, IReadOnlyList<object?>> cells)
{
    public IReadOnlyList<TableColumn> Columns { get; } = columns;

    /// <summary>The row's cells for an object, given the current time (for ages).</summary>
    public IReadOnlyList<object?> Cells(T item, DateTime now) => cells(item, now);
}
